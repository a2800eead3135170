"""Full-text search over paragraphs and recommendations (FTS5, bm25 rank, highlighted snippets)."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
_TOKEN = re.compile(r"[\w'-]+", re.UNICODE)
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})
_PREFIX = re.compile(r"([\w'-]+)\"?\s*\*", re.UNICODE)  # adop*, "adop" *
PROGRESS_STEPS = 1_000  # SQLite virtual-machine steps between two looks at the clock


class SearchTooCostly(ValueError):
    """A search refused by its budget; the message says what to change."""


class SearchTimedOut(SearchTooCostly):
    """A search stopped when it ran past its budget's seconds."""


@dataclass(frozen=True)
class SearchBudget:
    """What one search may cost (the web app sets one; the CLI runs without)."""

    max_terms: int = 16
    max_prefix_terms: int = 3
    min_prefix_letters: int = 3  # "adop*" is fine; "a*" expands to most of the vocabulary
    seconds: float = 1.0  # wall time, checked by SQLite's progress handler

    def check(self, query: str) -> None:
        words = [w for w in _TOKEN.findall(query) if w not in _OPERATORS]
        if len(words) > self.max_terms:
            raise SearchTooCostly(
                f"too many words ({len(words)}): search with at most {self.max_terms}"
            )
        prefixes = _PREFIX.findall(query)
        if len(prefixes) > self.max_prefix_terms:
            raise SearchTooCostly(
                f"too many words ending in * ({len(prefixes)}): use at most {self.max_prefix_terms}"
            )
        if any(len(stem) < self.min_prefix_letters for stem in prefixes):
            raise SearchTooCostly(
                f"a word ending in * needs at least {self.min_prefix_letters} letters before the *"
            )


@dataclass(frozen=True)
class SearchFilters:
    authority: str | None = None  # name (substring), LA code or URN
    framework: str | None = None  # exact id, or a prefix such as "ilacs"
    grade: str | None = None  # grade of `area`
    area: str = "overall_effectiveness"
    year: int | None = None  # year the inspection ended (or was published)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "paragraph" | "recommendation" (a paragraph that is a recommendation, or one
    # found only in the recommendations list)
    report_id: int
    source: str
    local_authority: str
    framework: str
    inspection_end: str | None
    page: int | None
    paragraph_number: int | None
    section: str | None
    snippet: str  # highlighted terms wrapped in HIGHLIGHT_START / HIGHLIGHT_END
    rank: float
    paragraph_id: int | None = None  # anchor on the report page
    recommendation_number: int | None = None


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int  # every matching passage, whatever the page


@dataclass(frozen=True)
class ReportGroup:
    report_id: int
    local_authority: str
    framework: str
    inspection_end: str | None
    matches: int  # passages of this report that match
    hits: list[SearchHit]  # its best few


@dataclass(frozen=True)
class GroupedPage:
    groups: list[ReportGroup]
    total_reports: int
    total: int  # passages, as in SearchPage


# One hit per passage: a paragraph is the passage, and a recommendation is searched on its own
# only when no paragraph of its report holds its text (recommendations are stored twice: as
# paragraphs of the report and as the recommendations list). `{orphans}` lists those ids.
_MATCHES = """
    SELECT 'paragraph' AS kind, p.id AS passage_id, p.report_id AS report_id,
           bm25(paragraphs_fts) AS rank
    FROM paragraphs_fts
    JOIN paragraphs p ON p.id = paragraphs_fts.rowid
    JOIN reports r ON r.id = p.report_id
    WHERE paragraphs_fts MATCH :query {filters}
    UNION ALL
    SELECT 'recommendation' AS kind, c.id AS passage_id, c.report_id AS report_id,
           bm25(recommendations_fts) AS rank
    FROM recommendations_fts
    JOIN recommendations c ON c.id = recommendations_fts.rowid
    JOIN reports r ON r.id = c.report_id
    WHERE recommendations_fts MATCH :query {filters} AND c.id IN ({orphans})"""
# Snippets and details only for the hits of one page (snippets cost far more than ranking).
_DETAILS = {
    "paragraph": """
        SELECT 'paragraph' AS kind, r.id AS report_id, r.source,
               COALESCE(r.la_name, r.local_authority) AS local_authority, r.framework,
               r.inspection_end, p.page, p.number AS paragraph_number, s.heading AS section,
               snippet(paragraphs_fts, 0, char(2), char(3), '…', 16) AS snippet,
               0.0 AS rank, p.id AS paragraph_id,
               (SELECT rc.number FROM recommendations rc WHERE rc.report_id = p.report_id
                AND instr(p.text, substr(rc.text, 1, 60)) > 0 ORDER BY rc.ordinal LIMIT 1)
                AS recommendation_number, p.id AS passage_id
        FROM paragraphs_fts
        JOIN paragraphs p ON p.id = paragraphs_fts.rowid
        JOIN reports r ON r.id = p.report_id
        LEFT JOIN sections s ON s.report_id = p.report_id AND s.ordinal = p.section_ordinal
        WHERE paragraphs_fts MATCH :query AND paragraphs_fts.rowid IN ({ids})""",
    "recommendation": """
        SELECT 'recommendation' AS kind, r.id AS report_id, r.source,
               COALESCE(r.la_name, r.local_authority) AS local_authority, r.framework,
               r.inspection_end, c.page, NULL AS paragraph_number,
               'Recommendations' AS section,
               snippet(recommendations_fts, 0, char(2), char(3), '…', 16) AS snippet,
               0.0 AS rank, NULL AS paragraph_id, c.number AS recommendation_number,
               c.id AS passage_id
        FROM recommendations_fts
        JOIN recommendations c ON c.id = recommendations_fts.rowid
        JOIN reports r ON r.id = c.report_id
        WHERE recommendations_fts MATCH :query AND recommendations_fts.rowid IN ({ids})""",
}
_CLEAN = re.compile(r"[\x00-\x01\x04-\x1f\x7f\u00ad\uf000-\uf8ff]")
_SPACES = re.compile(r"\s+")
_LEADING_BULLETS = re.compile(r"^(…\s*)?[•▪◼■●◦\-–*]\s+")


def search(
    conn: sqlite3.Connection,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    budget: SearchBudget | None = None,
) -> list[SearchHit]:
    """Best matches first, one hit per passage. Any text is accepted: FTS syntax errors fall
    back to plain words. With a budget, a query past its limits raises `SearchTooCostly`
    (before running, or when it runs longer than the budget's seconds)."""
    _check_page(limit, offset)
    matches, params = _matches(conn, filters), _params(query, filters, limit, offset)
    with _budgeted(conn, query, budget) as deadline:
        return _search(conn, matches, params, deadline)


def _search(
    conn: sqlite3.Connection, matches: str, params: dict[str, object], deadline: float | None
) -> list[SearchHit]:
    ranked = _run(
        conn,
        f"SELECT kind, passage_id, rank FROM ({matches})"
        " ORDER BY rank, kind, passage_id LIMIT :limit OFFSET :offset",
        params,
        deadline,
    )
    return _details(conn, ranked, params, deadline)


def _details(
    conn: sqlite3.Connection,
    ranked: list[sqlite3.Row],
    params: dict[str, object],
    deadline: float | None,
) -> list[SearchHit]:
    found: dict[tuple[str, int], dict[str, object]] = {}
    for kind, sql in _DETAILS.items():
        ids = [int(row[1]) for row in ranked if row[0] == kind]
        if ids:
            for row in _run(conn, sql.format(ids=", ".join(map(str, ids))), params, deadline):
                found[(kind, int(row["passage_id"]))] = dict(row)
    hits = []
    for kind, passage_id, rank, *_ in ranked:
        data = found.get((kind, int(passage_id)))
        if data is not None:
            data.pop("passage_id")
            hits.append(_hit({**data, "rank": rank}))
    return hits


def search_page(
    conn: sqlite3.Connection,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    budget: SearchBudget | None = None,
) -> SearchPage:
    """A page of hits and the true total of matching passages (the same on every page). The
    budget's seconds cover both queries."""
    _check_page(limit, offset)
    matches, params = _matches(conn, filters), _params(query, filters, limit, offset)
    with _budgeted(conn, query, budget) as deadline:
        hits = _search(conn, matches, params, deadline)
        return SearchPage(hits, _count(conn, matches, params, deadline)[0])


def count(
    conn: sqlite3.Connection,
    query: str,
    filters: SearchFilters | None = None,
    budget: SearchBudget | None = None,
) -> tuple[int, int]:
    """(matching passages, reports they come from)."""
    matches, params = _matches(conn, filters), _params(query, filters, 0, 0)
    with _budgeted(conn, query, budget) as deadline:
        return _count(conn, matches, params, deadline)


def _count(
    conn: sqlite3.Connection, matches: str, params: dict[str, object], deadline: float | None
) -> tuple[int, int]:
    sql = f"SELECT COUNT(*), COUNT(DISTINCT report_id) FROM ({matches})"
    found = _run(conn, sql, params, deadline)
    return (int(found[0][0]), int(found[0][1])) if found else (0, 0)


def search_by_report(
    conn: sqlite3.Connection,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    offset: int = 0,
    per_report: int = 3,
    budget: SearchBudget | None = None,
) -> GroupedPage:
    """Reports with matching passages, best first, each with its best few hits."""
    _check_page(limit, offset)
    matches, params = _matches(conn, filters), _params(query, filters, limit, offset)
    with _budgeted(conn, query, budget) as deadline:
        return _search_by_report(conn, matches, {**params, "per_report": per_report}, deadline)


def _search_by_report(
    conn: sqlite3.Connection, matches: str, params: dict[str, object], deadline: float | None
) -> GroupedPage:
    ranked = _run(
        conn,
        f"SELECT report_id, COUNT(*) AS matches, MIN(rank) AS best FROM ({matches})"
        " GROUP BY report_id ORDER BY best, report_id LIMIT :limit OFFSET :offset",
        params,
        deadline,
    )
    total, reports = _count(conn, matches, params, deadline)
    ids = ", ".join(str(int(row[0])) for row in ranked) or "NULL"
    best = _run(
        conn,
        "SELECT kind, passage_id, rank, report_id FROM (SELECT m.*, ROW_NUMBER() OVER"
        " (PARTITION BY m.report_id ORDER BY m.rank, m.kind, m.passage_id) AS n"
        f" FROM ({matches}) m WHERE m.report_id IN ({ids})) WHERE n <= :per_report"
        " ORDER BY report_id, n",
        params,
        deadline,
    )
    hits_by_report: dict[int, list[SearchHit]] = {}
    for hit in _details(conn, best, params, deadline):
        hits_by_report.setdefault(hit.report_id, []).append(hit)
    groups = []
    for row in ranked:
        hits = hits_by_report.get(int(row[0]), [])
        if hits:
            first = hits[0]
            groups.append(
                ReportGroup(
                    first.report_id,
                    first.local_authority,
                    first.framework,
                    first.inspection_end,
                    int(row[1]),
                    hits,
                )
            )
    return GroupedPage(groups, reports, total)


def _check_page(limit: int, offset: int) -> None:
    if limit < 1:
        raise ValueError(f"the search limit must be at least 1, not {limit}")
    if offset < 0:
        raise ValueError(f"the search offset cannot be negative ({offset})")


@contextmanager
def _budgeted(
    conn: sqlite3.Connection, query: str, budget: SearchBudget | None
) -> Iterator[float | None]:
    """Check the query against the budget, then stop SQLite (progress handler) once the
    budget's seconds have passed; yields the deadline (None without a budget). Only `_run`
    executes SQL inside, so that a stopped query always becomes `SearchTimedOut`."""
    if budget is None:
        yield None
        return
    budget.check(query)
    deadline = time.monotonic() + budget.seconds
    conn.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)
    try:
        yield deadline
    finally:
        conn.set_progress_handler(None, 0)


def clean_snippet(snippet: str) -> str:
    """One line of readable text: no control or private-use characters (PDF bullets), no runs of
    spaces, no bullet left at the start."""
    text = _SPACES.sub(" ", _CLEAN.sub(" ", snippet)).strip()
    return _LEADING_BULLETS.sub(lambda m: m.group(1) or "", text)


def _hit(data: dict[str, object]) -> SearchHit:
    data["snippet"] = clean_snippet(str(data["snippet"] or ""))
    if data.get("recommendation_number") is not None and data["kind"] == "paragraph":
        data["kind"] = "recommendation"
    return SearchHit(**data)  # type: ignore[arg-type]


def _matches(conn: sqlite3.Connection, filters: SearchFilters | None) -> str:
    where, _ = _filter_sql(filters or SearchFilters())
    orphans = ", ".join(str(i) for i in sorted(_orphan_recommendations(conn))) or "NULL"
    return _MATCHES.format(filters=where, orphans=orphans)


def _params(
    query: str, filters: SearchFilters | None, limit: int, offset: int
) -> dict[str, object]:
    _, params = _filter_sql(filters or SearchFilters())
    return {**params, "query": query, "limit": limit, "offset": offset}


_ORPHANS: dict[tuple[str, int, int], frozenset[int]] = {}


def _orphan_recommendations(conn: sqlite3.Connection) -> frozenset[int]:
    """Recommendations whose text no paragraph of their report holds (a few in the corpus),
    worked out once per database version."""
    path = str(conn.execute("PRAGMA database_list").fetchone()[2])
    version = conn.execute("SELECT COALESCE(MAX(id), 0), COUNT(*) FROM recommendations").fetchone()
    key = (path, int(version[0]), int(version[1]))
    found = _ORPHANS.get(key)
    if found is None:
        texts: dict[int, list[str]] = {}
        for report_id, text in conn.execute("SELECT report_id, text FROM paragraphs"):
            texts.setdefault(report_id, []).append(text)
        joined = {report_id: "\x00".join(parts) for report_id, parts in texts.items()}
        found = frozenset(
            rec_id
            for rec_id, report_id, start in conn.execute(
                "SELECT id, report_id, substr(text, 1, 60) FROM recommendations"
            )
            if start not in joined.get(report_id, "")
        )
        if len(_ORPHANS) > 8:
            _ORPHANS.clear()
        _ORPHANS[key] = found
    return found


def _run(
    conn: sqlite3.Connection, sql: str, params: dict[str, object], deadline: float | None
) -> list[sqlite3.Row]:
    try:
        return list(conn.execute(sql, params).fetchall())
    except sqlite3.DatabaseError as error:
        # FTS syntax errors, and errors raised inside FTS functions (snippet() on some NEAR
        # queries reports "database disk image is malformed") fall back to the plain words.
        _raise_if_late(error, deadline)
        plain = plain_query(str(params["query"]))
        if not plain:
            return []
        try:
            return list(conn.execute(sql, {**params, "query": plain}).fetchall())
        except sqlite3.DatabaseError as again:
            _raise_if_late(again, deadline)
            raise SearchTooCostly(f"this search could not be run ({again})") from again


def _raise_if_late(error: sqlite3.DatabaseError, deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise SearchTimedOut(
            "this search took too long and was stopped: use fewer words, or longer ones"
        ) from error


def plain_query(text: str) -> str:
    """User text as FTS5 phrase tokens, so quotes, colons or stray operators cannot fail."""
    return " ".join(f'"{token}"' for token in _TOKEN.findall(text))


def _filter_sql(filters: SearchFilters) -> tuple[str, dict[str, object]]:
    clauses: list[str] = ["r.status = 'parsed'"]
    params: dict[str, object] = {}
    if filters.authority:
        clauses.append(
            "(r.la_code = :authority OR r.urn = :authority OR r.ons_code = :authority"
            " OR r.la_name LIKE :authority_like ESCAPE '\\'"
            " OR r.local_authority LIKE :authority_like ESCAPE '\\')"
        )
        params["authority"] = filters.authority
        params["authority_like"] = f"%{like_escape(filters.authority)}%"
    if filters.framework:
        clauses.append(
            "(r.framework = :framework OR r.framework LIKE :framework_prefix ESCAPE '\\')"
        )
        params["framework"] = filters.framework
        params["framework_prefix"] = f"{like_escape(filters.framework)}\\_%"
    if filters.grade:
        clauses.append(
            "EXISTS (SELECT 1 FROM judgements j WHERE j.report_id = r.id"
            " AND j.key = :area AND j.grade = :grade)"
        )
        params["area"] = filters.area
        params["grade"] = filters.grade
    if filters.year:
        clauses.append("substr(COALESCE(r.inspection_end, r.published), 1, 4) = :year")
        params["year"] = str(filters.year)
    return "".join(f" AND {clause}" for clause in clauses), params


def like_escape(text: str) -> str:
    """User text as a literal inside a LIKE pattern written with ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
