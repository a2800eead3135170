"""Read-only queries behind the web pages and the JSON API (one function per page's data)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ofsted_atlas.analysis.neighbours import latest_reports
from ofsted_atlas.store.search import like_escape

REPORT_COLUMNS = (
    "r.id, COALESCE(r.la_name, r.local_authority) AS authority, r.la_code, r.urn, r.region,"
    " r.framework, r.publication_type, r.reinspection, r.title, r.inspection_start,"
    " r.inspection_end, r.published, r.lead_inspector, r.page_count, r.kind"
)
SORTS = {
    "authority": "authority",
    "date": "r.inspection_end",
    "region": "r.region",
    "framework": "r.framework",
    "grade": "overall_rank",
}
GRADE_RANK_SQL = (
    "CASE j.grade WHEN 'outstanding' THEN 4 WHEN 'good' THEN 3 WHEN 'requires_improvement'"
    " THEN 2 WHEN 'adequate' THEN 2 WHEN 'inadequate' THEN 1 END"
)


def rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(row) for row in cursor.fetchall()]


def latest_by_authority(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Each authority's latest inspection with its grades (home map and authority list)."""
    latest = latest_reports(conn)
    if not latest:
        return []
    marks = ", ".join("?" for _ in latest)
    reports = rows(
        conn.execute(
            f"SELECT {REPORT_COLUMNS}, r.ons_code, r.la_type FROM reports r"
            f" WHERE r.id IN ({marks})",
            list(latest.values()),
        )
    )
    grades = _grades(conn, [r["id"] for r in reports])
    for report in reports:
        report["judgements"] = grades.get(report["id"], {})
        report["overall"] = report["judgements"].get("overall_effectiveness")
    return sorted(reports, key=lambda r: r["authority"] or "")


def _grades(conn: sqlite3.Connection, report_ids: list[int]) -> dict[int, dict[str, str]]:
    if not report_ids:
        return {}
    marks = ", ".join("?" for _ in report_ids)
    out: dict[int, dict[str, str]] = {}
    for report_id, key, grade in conn.execute(
        f"SELECT report_id, key, grade FROM judgements WHERE report_id IN ({marks})", report_ids
    ):
        out.setdefault(report_id, {})[key] = grade
    return out


def reports_list(
    conn: sqlite3.Connection,
    *,
    region: str | None,
    grade: str | None,
    framework: str | None,
    year: int | None,
    authority: str | None,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    clauses = ["r.status = 'parsed'"]
    params: list[Any] = []
    if region:
        clauses.append("r.region = ?")
        params.append(region)
    if framework:
        clauses.append("(r.framework = ? OR r.framework LIKE ? ESCAPE '\\')")
        params += [framework, f"{like_escape(framework)}\\_%"]
    if year:
        clauses.append("substr(r.inspection_end, 1, 4) = ?")
        params.append(str(year))
    if authority:
        clauses.append(
            "(r.la_code = ? OR COALESCE(r.la_name, r.local_authority) LIKE ? ESCAPE '\\')"
        )
        params += [authority, f"%{like_escape(authority)}%"]
    if grade:
        clauses.append("j.grade = ?")
        params.append(grade)
    where = " AND ".join(clauses)
    base = (
        f"FROM reports r LEFT JOIN judgements j ON j.report_id = r.id"
        f" AND j.key = 'overall_effectiveness' WHERE {where}"
    )
    total = conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
    order = SORTS.get(sort, "authority") + (" DESC" if descending else "")
    found = rows(
        conn.execute(
            f"SELECT {REPORT_COLUMNS}, j.grade AS overall, {GRADE_RANK_SQL} AS overall_rank {base}"
            f" ORDER BY {order}, r.id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    )
    return found, int(total)


def report(conn: sqlite3.Connection, report_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {REPORT_COLUMNS}, r.source FROM reports r WHERE r.id = ? AND r.status = 'parsed'",
        (report_id,),
    ).fetchone()
    if row is None:
        return None
    out = dict(row)
    out["judgements"] = rows(
        conn.execute(
            "SELECT key, grade, label, page FROM judgements WHERE report_id = ?", (report_id,)
        )
    )
    out["recommendations"] = rows(
        conn.execute(
            "SELECT number, text, timescale, scope, page FROM recommendations WHERE report_id = ?"
            " ORDER BY ordinal",
            (report_id,),
        )
    )
    out["statistics"] = rows(
        conn.execute(
            "SELECT key, value, rate_per_10k, as_of, page FROM statistics WHERE report_id = ?",
            (report_id,),
        )
    )
    tone = conn.execute("SELECT tone FROM coding_runs WHERE report_id = ?", (report_id,)).fetchone()
    out["tone"] = tone[0] if tone else None
    return out


def report_sections(
    conn: sqlite3.Connection, report_id: int, theme: str | None, polarity: str | None
) -> list[dict[str, Any]]:
    """Sections with their paragraphs and each paragraph's coded sentences (for highlighting)."""
    sections = {
        s["ordinal"]: {**s, "paragraphs": []}
        for s in rows(
            conn.execute(
                "SELECT ordinal, heading, page, area FROM sections WHERE report_id = ?"
                " ORDER BY ordinal",
                (report_id,),
            )
        )
    }
    codings: dict[int, list[dict[str, Any]]] = {}
    params: list[Any] = [report_id]
    extra = ""
    if theme:
        extra += " AND c.theme = ?"
        params.append(theme)
    if polarity:
        extra += " AND c.polarity = ?"
        params.append(polarity)
    for row in rows(
        conn.execute(
            "SELECT s.paragraph_id, s.start, s.end, c.theme, c.polarity, c.confidence"
            " FROM codings c"
            f" JOIN sentences s ON s.id = c.sentence_id WHERE c.report_id = ?{extra}"
            " ORDER BY s.paragraph_id, s.start",
            params,
        )
    ):
        codings.setdefault(row["paragraph_id"], []).append(row)
    for paragraph in rows(
        conn.execute(
            "SELECT id, section_ordinal, number, page, text FROM paragraphs WHERE report_id = ?"
            " ORDER BY ordinal",
            (report_id,),
        )
    ):
        paragraph["spans"] = _spans(paragraph["text"], codings.get(paragraph["id"], []))
        section = sections.get(paragraph["section_ordinal"])
        if section is not None:
            section["paragraphs"].append(paragraph)
    return [s for s in sections.values() if s["paragraphs"]]


def _spans(text: str, codings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The paragraph cut into plain and coded pieces (several themes may share a sentence)."""
    by_span: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for coding in codings:
        by_span.setdefault((coding["start"], coding["end"]), []).append(coding)
    pieces: list[dict[str, Any]] = []
    cursor = 0
    for (start, end), found in sorted(by_span.items()):
        if start < cursor:
            continue
        if start > cursor:
            pieces.append({"text": text[cursor:start], "codings": []})
        pieces.append({"text": text[start:end], "codings": found})
        cursor = end
    if cursor < len(text):
        pieces.append({"text": text[cursor:], "codings": []})
    return pieces


def authority_reports(conn: sqlite3.Connection, la_code: str) -> list[dict[str, Any]]:
    found = rows(
        conn.execute(
            f"SELECT {REPORT_COLUMNS}, c.tone FROM reports r LEFT JOIN coding_runs c"
            " ON c.report_id = r.id WHERE r.status = 'parsed' AND r.la_code = ?"
            " ORDER BY r.inspection_end",
            (la_code,),
        )
    )
    grades = _grades(conn, [r["id"] for r in found])
    for r in found:
        r["judgements"] = grades.get(r["id"], {})
    return found


def regions(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT region FROM reports WHERE region IS NOT NULL ORDER BY region"
        )
    ]


def frameworks(conn: sqlite3.Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT framework FROM reports WHERE framework IS NOT NULL ORDER BY framework"
        )
    ]


def grades_over_time(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return rows(
        conn.execute(
            "SELECT substr(r.inspection_end, 1, 4) AS year, j.grade, COUNT(*) AS reports"
            " FROM reports r JOIN judgements j ON j.report_id = r.id"
            " AND j.key = 'overall_effectiveness'"
            " WHERE r.status = 'parsed' GROUP BY year, j.grade ORDER BY year"
        )
    )


def latest_publications(conn: sqlite3.Connection, limit: int = 8) -> list[dict[str, Any]]:
    found = rows(
        conn.execute(
            f"SELECT {REPORT_COLUMNS} FROM reports r WHERE r.status = 'parsed'"
            " ORDER BY COALESCE(r.published, r.inspection_end) DESC LIMIT ?",
            (limit,),
        )
    )
    grades = _grades(conn, [r["id"] for r in found])
    for r in found:
        r["overall"] = grades.get(r["id"], {}).get("overall_effectiveness")
    return found


def as_json(data: Any) -> str:
    return json.dumps(data, default=str)
