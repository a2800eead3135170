"""Coverage against inspectors' focus: the themes most often criticised in recent inspections of
councils like this one (same latest grade; statistical neighbours), whether a council's documents
cover each, and cited findings from those reports."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ofsted_atlas.coding import _RECOMMENDATION_SECTION
from ofsted_atlas.parse.authorities import load_lookup

from .council_documents import Passage, describes_action
from .next_inspection import family_of
from .themes import Evidence
from .trajectory import Inspection

# Coverage: a report criticises a theme when at least this many of its sentences code it as a
# weakness; themes ranked by the share of peer reports that criticise them.
CRITICISED_MIN = 3
FOCUS_THEMES = 8
RECENT_YEARS = 3
FINDINGS_PER_THEME = 3
EVIDENCE_PER_THEME = 3


@dataclass
class ThemeFocus:
    theme: str
    criticised_share: float  # of all peer reports
    grade_share: float | None  # of councils with the same latest grade
    neighbour_share: float | None  # of the statistical neighbours
    covered: bool
    evidence: list[Passage]
    findings: list[Evidence]


@dataclass
class Peers:
    since: str
    grade: str | None
    family: str
    grade_reports: int
    neighbour_reports: int


def coverage(
    conn: sqlite3.Connection,
    inspection: Inspection,
    la_code: str | None,
    passages: list[Passage],
    lookup: Path | None,
) -> tuple[Peers, list[ThemeFocus]]:
    grade = inspection.judgements.get("overall_effectiveness")
    family = family_of(inspection.framework)
    newest = conn.execute(
        "SELECT MAX(inspection_end) FROM reports WHERE status = 'parsed'"
        " AND publication_type = 'inspection'"
    ).fetchone()[0]
    since = (date.fromisoformat(newest) - timedelta(days=round(365.25 * RECENT_YEARS))).isoformat()
    recent: dict[str, tuple[int, str | None]] = {}  # la_code -> latest recent report and grade
    for code, report_id, framework, overall in conn.execute(
        "SELECT r.la_code, r.id, r.framework, j.grade FROM reports r LEFT JOIN judgements j"
        " ON j.report_id = r.id AND j.key = 'overall_effectiveness' WHERE r.status = 'parsed'"
        " AND r.publication_type = 'inspection' AND r.la_code IS NOT NULL"
        " AND r.inspection_end >= ? ORDER BY r.inspection_end",
        (since,),
    ):
        if family_of(framework) == family and code != la_code:
            recent[code] = (report_id, overall)
    neighbour_codes: set[str] = set()
    if lookup is not None and la_code:
        rows = {row.la_code: row for row in load_lookup(lookup)}
        neighbour_codes = set(rows[la_code].stat_neighbours) if la_code in rows else set()
    same_grade = {r for r, g in recent.values() if grade is not None and g == grade}
    near = {recent[c][0] for c in neighbour_codes if c in recent}
    peers = Peers(since, grade, family, len(same_grade), len(near))
    criticised = _criticised(conn, same_grade | near)
    everyone = same_grade | near
    if not everyone:
        return peers, []

    def share(group: set[int], theme: str) -> float | None:
        return sum(theme in criticised[r] for r in group) / len(group) if group else None

    counts = Counter(theme for r in everyone for theme in criticised[r])
    weight = _weakness_counts(conn, everyone)
    ranked = sorted(counts, key=lambda theme: (-counts[theme], -weight[theme], theme))
    focus = []
    for theme in ranked[:FOCUS_THEMES]:
        count = counts[theme]
        covering = [p for p in passages if theme in p.themes]
        covering.sort(key=lambda p: not describes_action(p))
        focus.append(
            ThemeFocus(
                theme=theme,
                criticised_share=round(count / len(everyone), 3),
                grade_share=share(same_grade, theme),
                neighbour_share=share(near, theme),
                covered=bool(covering),
                evidence=covering[:EVIDENCE_PER_THEME],
                findings=_findings(conn, theme, everyone),
            )
        )
    return peers, focus


def _criticised(conn: sqlite3.Connection, reports: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {r: set() for r in reports}
    if not reports:
        return out
    marks = ", ".join("?" for _ in reports)
    for report_id, theme in conn.execute(
        f"SELECT report_id, theme FROM codings WHERE polarity = 'weakness' AND report_id IN"
        f" ({marks}) GROUP BY report_id, theme HAVING COUNT(*) >= ?",
        [*reports, CRITICISED_MIN],
    ):
        out[report_id].add(theme)
    return out


def _weakness_counts(conn: sqlite3.Connection, reports: set[int]) -> Counter[str]:
    """Weakness codings per theme across the reports: breaks ties between equally common themes."""
    marks = ", ".join("?" for _ in reports)
    return Counter(
        dict(
            conn.execute(
                f"SELECT theme, COUNT(*) FROM codings WHERE polarity = 'weakness'"
                f" AND report_id IN ({marks}) GROUP BY theme",
                list(reports),
            ).fetchall()
        )
    )


def _findings(conn: sqlite3.Connection, theme: str, reports: set[int]) -> list[Evidence]:
    """The most confidently coded criticisms of the theme, one per report, in findings (not in
    recommendation lists, which repeat them in the imperative)."""
    marks = ", ".join("?" for _ in reports)
    rows = conn.execute(
        "SELECT cs.report_id, COALESCE(r.la_name, r.local_authority), r.framework,"
        " r.inspection_end, r.source, cs.page, cs.paragraph_number, cs.section, cs.sentence,"
        " cs.confidence FROM coded_sentences cs JOIN reports r ON r.id = cs.report_id"
        f" WHERE cs.theme = ? AND cs.polarity = 'weakness' AND cs.report_id IN ({marks})"
        " AND length(cs.sentence) BETWEEN 60 AND 320 ORDER BY cs.confidence DESC LIMIT 400",
        [theme, *reports],
    ).fetchall()
    out: list[Evidence] = []
    seen: set[int] = set()
    for row in rows:
        if row[0] in seen or (row[7] and _RECOMMENDATION_SECTION.search(row[7])):
            continue
        seen.add(row[0])
        out.append(Evidence(*row))
        if len(out) == FINDINGS_PER_THEME:
            break
    return out
