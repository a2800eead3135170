"""The mapping paper (seed 004), in the form of a council paper: front matter for the council to
complete, the framework's context, themes of well-performing and of weaker authorities as
findings, grade statistics (with the share of authorities inspected and the pace of the cycle),
a conclusion and a landscape annex of every authority's grades."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

from ofsted_atlas.analysis import Filters, annex_rows, grade_statistics
from ofsted_atlas.analysis.findings import GROUPS, Ranking, plain_prevalence, rank_themes
from ofsted_atlas.analysis.labels import GRADE_LABELS, framework_label, framework_title, long_date
from ofsted_atlas.analysis.quotes import QuoteGuard
from ofsted_atlas.parse.frameworks import FRAMEWORKS

from .. import charts
from ..document import Block, Briefing, Bullets, Chart, Note, Section, Table, Text
from .common import (
    area_label,
    findings_blocks,
    grade_label,
    percent,
    test_note,
    too_small,
)
from .coverage import _lookup_size, coverage, latest_grades

MIN_SHARE = 0.75  # themes praised (or criticised) in at least three quarters of the group
SUB_AREAS = ("help_and_protection", "children_in_care", "adoption", "care_leavers", "leadership")


def build(
    conn: sqlite3.Connection, filters: Filters | None = None, lookup: Path | None = None
) -> Briefing:
    filters = filters or Filters()
    period = _period(conn, filters)
    frameworks = _frameworks(conn, filters)
    subject = "Ofsted inspection mapping: " + (
        ", ".join(framework_label(f) for f in frameworks) or "children's services"
    )
    briefing = Briefing(
        kind="mapping",
        title=subject,
        subtitle=f"Themes and grades across the published reports ({filters.describe()})",
        date=date.today().isoformat(),
    )
    briefing.front_matter = [
        ("From", Text("Cabinet member and corporate director (names and roles)", placeholder=True)),
        ("To", Text("Committee and date of meeting", placeholder=True)),
        ("Subject", Text(subject)),
        ("Classification", Text("Unrestricted (confirm)", placeholder=True)),
        (
            "Summary",
            Text(
                "This paper gives an overview of the key themes emerging from the inspections "
                f"of children's services {period}, in the inspectors' own words, with the grades "
                "awarded."
            ),
        ),
        (
            "Recommendations",
            Text(
                "The committee is asked to NOTE the findings and to AGREE how the council "
                "prepares for inspection (the council's own wording)",
                placeholder=True,
            ),
        ),
    ]
    guard = QuoteGuard()
    strengths = rank_themes(
        conn,
        filters,
        polarity="strength",
        group="good_or_better",
        guard=guard,
        min_share=MIN_SHARE,
    )
    weaknesses = rank_themes(
        conn,
        filters,
        polarity="weakness",
        group="not_yet_good",
        guard=guard,
        min_share=MIN_SHARE,
    )
    briefing.sections.append(
        Section(
            "1. Introduction",
            [
                Text(
                    "To help the council prepare for its next inspection, this paper reviews "
                    f"every published inspection report {period} and draws out the themes "
                    "inspectors return to: what they praise in well-performing authorities and "
                    "what they criticise in weaker ones."
                ),
                *coverage(conn, filters, lookup),
            ],
        )
    )
    briefing.sections.append(_context(frameworks))
    briefing.sections += _themes("3. Key themes of well-performing authorities", strengths, period)
    briefing.sections += _themes("4. Key themes of weaker authorities", weaknesses, period)
    briefing.sections.append(_distinctive(weaknesses, period))
    briefing.sections.append(_statistics(conn, filters, lookup, period))
    briefing.sections.append(_conclusion(strengths, weaknesses))
    briefing.sections.append(_annex(conn, filters))
    return briefing


def _period(conn: sqlite3.Connection, filters: Filters) -> str:
    where, params = filters.sql()
    first, last = conn.execute(
        f"SELECT MIN(r.inspection_end), MAX(r.inspection_end) FROM reports r WHERE {where}",
        params,
    ).fetchone()
    if not first:
        return "in this selection"
    return f"ending between {long_date(first)} and {long_date(last)}"


def _frameworks(conn: sqlite3.Connection, filters: Filters) -> list[str]:
    where, params = filters.sql()
    found = [
        row[0]
        for row in conn.execute(
            f"SELECT r.framework, COUNT(*) FROM reports r WHERE {where} GROUP BY r.framework"
            " ORDER BY 2 DESC",
            params,
        )
    ]
    out: list[str] = []
    for f in found:
        base = "ilacs" if f.startswith("ilacs") else f
        if base not in out:
            out.append(base)
    return out


def _context(frameworks: list[str]) -> Section:
    blocks: list[Block] = []
    for framework in frameworks:
        spec = next((f for f in FRAMEWORKS if f.id == framework), None)
        if spec is None or not spec.judgements:
            continue
        areas = [area_label(j.key).lower() for j in spec.judgements]
        blocks.append(
            Text(
                f"{framework_title(framework)}: inspectors grade "
                + ", ".join(areas[:-1])
                + f" and {areas[-1]}, each as outstanding, good, requires improvement to be "
                "good, or inadequate."
            )
        )
    return Section("2. Background and context", blocks or [Text("No graded framework in scope.")])


def _themes(title: str, ranking: Ranking, period: str) -> list[Section]:
    """The section's introduction, then one sub-section per theme: its prevalence in words and
    the findings inspectors wrote most often."""
    section = Section(title)
    group = {"good_or_better": "good or better", "not_yet_good": "not yet good"}[ranking.group]
    verb = "praised" if ranking.polarity == "strength" else "criticised"
    if ranking.too_small:
        section.blocks.append(Text(too_small(ranking, period)))
        return [section]
    included = ranking.included(MIN_SHARE)
    section.blocks.append(
        Text(
            f"Themes {verb} in at least {percent(MIN_SHARE)} of the {ranking.size} reports on "
            f"{group} authorities, the most widespread first (where as many reports "
            f"{verb[:-1]} two themes, the one with more such findings per report "
            "comes first). Under each, the findings inspectors wrote most often, in their "
            "words, with how many reports say something similar."
        )
    )
    out = [section]
    prefix = title.split(".")[0]
    for number, theme in enumerate(included, start=1):
        blocks: list[Block] = [
            Text(
                plain_prevalence(theme.featured, theme.sizes, ranking.polarity, GROUPS).capitalize()
                + f"; {theme.per_report(ranking.group):.0f} such findings per "
                f"{group} report on average."
            )
        ]
        blocks += findings_blocks(theme.findings[:2], theme.sizes, ranking.polarity, quotes=1)
        out.append(Section(f"{prefix}.{number} {theme.name}", blocks, level=2))
    return out


def _distinctive(ranking: Ranking, period: str) -> Section:
    """The second lens: what inadequate reports criticise far more often than good ones."""
    section = Section("4a. What sets inadequate authorities apart", level=2)
    if not ranking.comparable:
        small = min(ranking.sizes.get("inadequate", 0), ranking.sizes.get("good_or_better", 0))
        which = "inadequate" if ranking.sizes.get("inadequate", 0) == small else "good or better"
        section.blocks.append(
            Text(f"Only {small} {which} reports {period}: too few to compare the two groups.")
        )
        return section
    top = sorted(ranking.themes, key=lambda t: -t.distinctiveness)[:8]
    section.blocks.append(
        Table(
            ("Theme", "Inadequate reports criticising it", "Good or better reports", "Difference"),
            tuple(
                (
                    t.name,
                    f"{t.featured['inadequate']} of {t.sizes['inadequate']}",
                    f"{t.featured['good_or_better']} of {t.sizes['good_or_better']}",
                    ("clear" if t.q_value < 0.05 else "not clear")
                    + f" ({percent(t.share('inadequate'))} against "
                    f"{percent(t.share('good_or_better'))})",
                )
                for t in top
            ),
            "Themes criticised far more often in inadequate reports than in good or better ones",
        )
    )
    section.blocks.append(test_note())
    return section


def _statistics(
    conn: sqlite3.Connection, filters: Filters, lookup: Path | None, period: str
) -> Section:
    section = Section("5. Important statistics")
    overall = Counter(latest_grades(conn, filters, "overall_effectiveness").values())
    lscb = Counter(latest_grades(conn, filters, "lscb").values())
    items = []
    for name, counts in (("local authorities", overall), ("safeguarding boards", lscb)):
        total = sum(counts.values())
        if not total:
            continue
        for grade in ("outstanding", "good", "requires_improvement", "adequate", "inadequate"):
            if grade in counts or grade != "adequate":
                items.append(Text(f"{counts.get(grade, 0)} {name} rated '{GRADE_LABELS[grade]}'"))
        not_good = sum(n for g, n in counts.items() if g not in ("good", "outstanding"))
        items.append(
            Text(
                f"This means {percent(not_good / total)} of the {total} {name} inspected "
                f"{period} were not yet good (each counted once, at its latest inspection)."
            )
        )
    inspected = sum(overall.values())
    total_las = _lookup_size(lookup)
    if total_las and inspected:
        items.append(Text(_pace(conn, filters, inspected, total_las)))
    section.blocks.append(Bullets(tuple(items)) if items else Text("No graded reports."))
    table = grade_statistics(conn, filters, by="year")
    rows = table.rows()
    if rows:
        section.blocks.append(
            Chart(
                charts.grade_distribution(rows, "year", "Overall effectiveness by year"),
                "Share of each overall grade, by year the inspection ended.",
                alt="Stacked bars, one per year, of the share of reports at each overall grade: "
                + "; ".join(
                    f"{r['year']}: {r['reports']} reports, "
                    f"{percent(float(str(r['not_yet_good_share'])))} not yet good"
                    for r in rows
                ),
            )
        )
    return section


def _pace(conn: sqlite3.Connection, filters: Filters, inspected: int, total: int) -> str:
    where, params = filters.sql()
    first, last = conn.execute(
        f"SELECT MIN(r.inspection_end), MAX(r.inspection_end) FROM reports r WHERE {where}",
        params,
    ).fetchone()
    text = f"{percent(inspected / total)} of England's {total} authorities were inspected."
    if first and last and first != last:
        years = (date.fromisoformat(last[:10]) - date.fromisoformat(first[:10])).days / 365.25
        if years >= 0.25:
            per_year = inspected / years
            text += (
                f" At {per_year:.0f} authorities a year, a full cycle of all {total} would take "
                f"about {total / per_year:.1f} years."
            )
    return text


def _conclusion(strengths: Ranking, weaknesses: Ranking) -> Section:
    blocks: list[Block] = []
    for ranking, lead in (
        (strengths, "Inspectors most widely praise"),
        (weaknesses, "and most widely criticise"),
    ):
        top = ranking.included(MIN_SHARE)[:5]
        if top and not ranking.too_small:
            blocks.append(Text(f"{lead}: " + "; ".join(t.name.lower() for t in top) + "."))
    blocks.append(
        Text("How the council will use these findings in its preparation.", placeholder=True)
    )
    return Section("6. Conclusion", blocks)


def _notable(row: dict[str, object]) -> str:
    overall = row.get("overall_effectiveness")
    different: dict[str, list[str]] = {}
    for area in SUB_AREAS:
        grade = row.get(area)
        if grade and grade != overall:
            different.setdefault(str(grade), []).append(area_label(area))
    return "; ".join(f"{', '.join(a)}: {grade_label(g)}" for g, a in different.items())


def _annex(conn: sqlite3.Connection, filters: Filters) -> Section:
    rows = annex_rows(conn, filters)
    return Section(
        "Annex 1: inspection details",
        [
            Table(
                (
                    "Local authority",
                    "Inspection ended",
                    "Framework",
                    "Overall effectiveness",
                    "Other judgements that differ",
                    "Safeguarding board",
                ),
                tuple(
                    (
                        str(r["authority"]),
                        long_date(str(r["inspection_end"] or "")),
                        framework_label(str(r["framework"])),
                        grade_label(str(r.get("overall_effectiveness") or "")),
                        _notable(r),
                        grade_label(str(r["lscb"])) if r.get("lscb") else "",
                    )
                    for r in rows
                ),
                "Every inspection in scope, with its judgements",
                widths=(3, 2.4, 2.6, 2.6, 5, 2.4),
            ),
            Note("A dash means the report gives no overall effectiveness grade."),
        ],
        landscape=True,
    )
