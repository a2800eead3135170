"""Which themes separate councils judged inadequate from those judged good or better.

For each theme and polarity a report 'features' the theme when its rate of such codings (per
coded sentence) is at or above the median rate across the reports in scope: common themes are
judged against their usual level, not mere presence. Groups are compared with Fisher's exact
test; p-values are corrected for the number of themes tested (Benjamini-Hochberg).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import median

from scipy.stats import false_discovery_control, fisher_exact

from ofsted_atlas.coding.codebook import load_codebook

from .filters import Filters

GRADE_GROUPS = {
    "inadequate": frozenset({"inadequate"}),
    "requires_improvement": frozenset({"requires_improvement", "adequate"}),
    "good_or_better": frozenset({"good", "outstanding"}),
}


@dataclass(frozen=True)
class Evidence:
    report_id: int
    authority: str
    framework: str
    inspection_end: str | None
    source: str
    page: int | None
    paragraph_number: int | None
    section: str | None
    sentence: str
    confidence: float

    def citation(self) -> str:
        year = (self.inspection_end or "")[:4]
        where = f"p. {self.page}" + (
            f", para {self.paragraph_number}" if self.paragraph_number else ""
        )
        return f"{self.authority} {year}, {where}"

    def link(self) -> str:
        return f"file://{self.source}#page={self.page or 1}"


@dataclass
class ThemeAssociation:
    theme: str
    name: str
    polarity: str
    prevalence: dict[str, float]  # grade group -> share of its reports featuring the theme
    reports: dict[str, int]  # grade group -> number of reports
    difference: float  # focus minus comparison prevalence (share points)
    odds_ratio: float
    p_value: float
    q_value: float = 1.0
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def significant(self) -> bool:
        return self.q_value < 0.05


def theme_association(
    conn: sqlite3.Connection,
    filters: Filters | None = None,
    *,
    judgement: str = "overall_effectiveness",
    focus: str = "inadequate",
    comparison: str = "good_or_better",
    polarity: str | None = None,
    evidence_per_theme: int = 3,
) -> list[ThemeAssociation]:
    """Themes ranked by how much more often the focus group's reports feature them (significant
    ones first), each with evidence quotes from the focus group's reports."""
    filters = filters or Filters()
    groups = _report_groups(conn, filters, judgement)
    rates = _theme_rates(conn, list(groups))
    names = {theme.id: theme.name for theme in load_codebook().themes}
    results = []
    for (theme, pol), by_report in sorted(rates.items()):
        if polarity and pol != polarity:
            continue
        results.append(
            _compare(theme, names.get(theme, theme), pol, by_report, groups, focus, comparison)
        )
    _correct(results)
    results.sort(key=lambda a: (not a.significant, -a.difference, a.p_value))
    focus_reports = [rid for rid, group in groups.items() if group == focus]
    for association in results[: max(12, evidence_per_theme and 12)]:
        association.evidence = evidence(
            conn, association.theme, association.polarity, focus_reports, evidence_per_theme
        )
    return results


def _report_groups(conn: sqlite3.Connection, filters: Filters, judgement: str) -> dict[int, str]:
    where, params = filters.sql()
    rows = conn.execute(
        f"SELECT r.id, j.grade FROM reports r JOIN judgements j ON j.report_id = r.id"
        f" AND j.key = ? JOIN coding_runs c ON c.report_id = r.id WHERE {where}",
        [judgement, *params],
    )
    groups = {}
    for report_id, grade in rows:
        for name, grades in GRADE_GROUPS.items():
            if grade in grades:
                groups[report_id] = name
    return groups


def _theme_rates(
    conn: sqlite3.Connection, report_ids: list[int]
) -> dict[tuple[str, str], dict[int, float]]:
    """(theme, polarity) -> report -> codings per coded sentence (0 when absent)."""
    sentences = dict(conn.execute("SELECT report_id, sentences FROM coding_runs"))
    chosen = set(report_ids)
    rates: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for report_id, theme, pol, count in conn.execute(
        "SELECT report_id, theme, polarity, COUNT(*) FROM codings"
        " GROUP BY report_id, theme, polarity"
    ):
        if report_id in chosen and sentences.get(report_id):
            rates[(theme, pol)][report_id] = count / sentences[report_id]
    for by_report in rates.values():
        for report_id in chosen:
            by_report.setdefault(report_id, 0.0)
    return rates


def _compare(
    theme: str,
    name: str,
    polarity: str,
    by_report: dict[int, float],
    groups: dict[int, str],
    focus: str,
    comparison: str,
) -> ThemeAssociation:
    threshold = max(median(by_report.values()), 1e-9) if by_report else 1e-9
    featured: dict[str, int] = defaultdict(int)
    sizes: dict[str, int] = defaultdict(int)
    for report_id, group in groups.items():
        sizes[group] += 1
        featured[group] += by_report.get(report_id, 0.0) >= threshold
    table = [
        [featured[focus], sizes[focus] - featured[focus]],
        [featured[comparison], sizes[comparison] - featured[comparison]],
    ]
    p_value = float(fisher_exact(table).pvalue) if sizes[focus] and sizes[comparison] else 1.0
    prevalence = {g: featured[g] / sizes[g] for g in sizes if sizes[g]}
    a, b = table[0][0] + 0.5, table[0][1] + 0.5
    c, d = table[1][0] + 0.5, table[1][1] + 0.5
    return ThemeAssociation(
        theme=theme,
        name=name,
        polarity=polarity,
        prevalence=prevalence,
        reports=dict(sizes),
        difference=prevalence.get(focus, 0.0) - prevalence.get(comparison, 0.0),
        odds_ratio=(a * d) / (b * c),
        p_value=p_value,
    )


def _correct(results: list[ThemeAssociation]) -> None:
    if not results:
        return
    q_values = false_discovery_control([r.p_value for r in results], method="bh")
    for result, q in zip(results, q_values, strict=True):
        result.q_value = float(q)


def evidence(
    conn: sqlite3.Connection, theme: str, polarity: str, report_ids: list[int], limit: int
) -> list[Evidence]:
    """The most confident sentences for a theme and polarity, one per report."""
    if not report_ids or limit <= 0:
        return []
    marks = ", ".join("?" for _ in report_ids)
    rows = conn.execute(
        f"SELECT c.report_id, COALESCE(r.la_name, r.local_authority) AS authority, r.framework,"
        f" r.inspection_end, r.source, c.page, c.paragraph_number, c.section, c.sentence,"
        f" c.confidence FROM coded_sentences c JOIN reports r ON r.id = c.report_id"
        f" WHERE c.theme = ? AND c.polarity = ? AND c.report_id IN ({marks})"
        f" AND length(c.sentence) BETWEEN 60 AND 400"
        f" ORDER BY c.confidence DESC, length(c.sentence) LIMIT 400",
        [theme, polarity, *report_ids],
    ).fetchall()
    chosen: list[Evidence] = []
    seen: set[int] = set()
    for row in rows:
        if row["report_id"] in seen:
            continue
        seen.add(row["report_id"])
        chosen.append(Evidence(**dict(row)))
        if len(chosen) == limit:
            break
    return chosen
