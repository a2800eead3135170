"""The mapping paper (seed 004): summary, themes of well- and poorly-performing authorities,
grade statistics and an annex of every authority's judgements."""

from __future__ import annotations

import sqlite3

from ofsted_atlas.analysis import (
    Filters,
    ThemeAssociation,
    annex_rows,
    grade_statistics,
    theme_association,
)

from .. import charts
from ..document import Block, Briefing, Bullets, Chart, Section, Table, Text
from .common import MAIN_AREAS, area_label, citation, grade_label, percent, quote

ANNEX_AREAS = MAIN_AREAS
TOP_THEMES = 6


def build(conn: sqlite3.Connection, filters: Filters | None = None) -> Briefing:
    filters = filters or Filters()
    overall = grade_statistics(conn, filters)
    by_framework = grade_statistics(conn, filters, by="framework")
    total = overall.total("all") if overall.counts else 0
    briefing = Briefing(
        kind="mapping",
        title="Mapping Ofsted inspections of children's services",
        subtitle=f"Themes and grades across {total} inspection reports ({filters.describe()})",
    )
    weaknesses = theme_association(
        conn, filters, polarity="weakness", focus="inadequate", comparison="good_or_better"
    )
    strengths = theme_association(
        conn, filters, polarity="strength", focus="good_or_better", comparison="inadequate"
    )
    briefing.sections.append(_summary(overall, total, strengths, weaknesses))
    briefing.sections.append(
        _themes(
            "Key themes of well-performing authorities",
            strengths,
            "good or outstanding",
            "inadequate",
        )
    )
    briefing.sections.append(
        _themes(
            "Key themes of poorly-performing authorities",
            weaknesses,
            "inadequate",
            "good or outstanding",
        )
    )
    briefing.sections.append(_statistics(conn, filters, by_framework))
    briefing.sections.append(_annex(conn, filters))
    return briefing


def _summary(overall, total, strengths, weaknesses) -> Section:  # type: ignore[no-untyped-def]
    if not total:
        return Section("Summary", [Text("No graded inspection reports match these filters.")])
    grades = ", ".join(
        f"{grade_label(g)} {n} ({percent(n / total)})"
        for g, n in overall.counts["all"].most_common()
    )
    text: list[Block] = [
        Text(
            f"{total} reports carry an overall effectiveness grade: {grades}. "
            f"{percent(overall.not_yet_good('all'))} were not yet good."
        ),
    ]
    text += _distinctive(
        weaknesses, "Reports on authorities judged inadequate most distinctively criticise"
    )
    text += _distinctive(
        strengths, "Reports on good and outstanding authorities most distinctively praise"
    )
    return Section("Summary", text)


def _distinctive(associations: list[ThemeAssociation], lead: str) -> list[Block]:
    """One sentence naming the top three significant themes, or nothing."""
    names = ", ".join(a.name.lower() for a in associations[:3] if a.significant)
    return [Text(f"{lead} {names}.")] if names else []


def _themes(title: str, associations, focus: str, comparison: str) -> Section:  # type: ignore[no-untyped-def]
    top = [a for a in associations if a.significant][:TOP_THEMES] or associations[:TOP_THEMES]
    section = Section(title)
    if not top:
        section.blocks.append(Text("Not enough coded reports in each grade group to compare."))
        return section
    focus_key, comparison_key = (
        ("good_or_better", "inadequate")
        if focus.startswith("good")
        else ("inadequate", "good_or_better")
    )
    items = []
    for a in top:
        items.append(
            Text(
                f"{a.name} ({a.polarity}): featured in "
                f"{percent(a.prevalence.get(focus_key, 0))} of reports on {focus} authorities "
                f"against {percent(a.prevalence.get(comparison_key, 0))} of {comparison} ones "
                f"(odds ratio {a.odds_ratio:.1f}, q = {a.q_value:.2g}).",
                tuple(citation(e) for e in a.evidence[:2]),
            )
        )
    section.blocks.append(Bullets(tuple(items)))
    section.blocks.append(
        Chart(
            charts.theme_lift(
                [
                    {
                        "name": a.name,
                        focus: a.prevalence.get(focus_key, 0),
                        comparison: a.prevalence.get(comparison_key, 0),
                    }
                    for a in top
                ],
                title,
                focus,
                comparison,
            ),
            f"Share of reports featuring each theme: {focus} vs {comparison} authorities.",
        )
    )
    for a in top[:3]:
        section.blocks.extend(quote(e) for e in a.evidence[:1])
    return section


def _statistics(conn: sqlite3.Connection, filters: Filters, by_framework) -> Section:  # type: ignore[no-untyped-def]
    section = Section("Grade statistics")
    rows = by_framework.rows()
    grades = [
        g
        for g in ("outstanding", "good", "requires_improvement", "adequate", "inadequate")
        if any(g in row for row in rows)
    ]
    section.blocks.append(
        Table(
            ("Framework", "Reports", *[grade_label(g) for g in grades], "Not yet good"),
            tuple(
                (
                    str(row["framework"]),
                    str(row["reports"]),
                    *[str(row.get(g, 0)) for g in grades],
                    percent(float(row["not_yet_good_share"])),
                )
                for row in rows
            ),
            "Overall effectiveness by framework",
        )
    )
    section.blocks.append(
        Chart(
            charts.grade_distribution(rows, "framework", "Overall effectiveness by framework"),
            "Share of each overall grade, by inspection framework.",
        )
    )
    areas = []
    for area in ANNEX_AREAS[1:]:
        table = grade_statistics(conn, filters, judgement=area)
        if table.counts:
            counts = table.counts["all"]
            areas.append(
                (
                    area_label(area),
                    str(table.total("all")),
                    *[str(counts[g]) for g in grades],
                    percent(table.not_yet_good("all")),
                )
            )
    section.blocks.append(
        Table(
            ("Judgement", "Reports", *[grade_label(g) for g in grades], "Not yet good"),
            tuple(areas),
            "Grades by judgement area",
        )
    )
    return section


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
                    *[area_label(a) for a in ANNEX_AREAS],
                ),
                tuple(
                    (
                        str(r["authority"]),
                        str(r["inspection_end"] or ""),
                        str(r["framework"]),
                        *[grade_label(str(r[a])) if r.get(a) else "" for a in ANNEX_AREAS],
                    )
                    for r in rows
                ),
                "Every inspection in scope, with its judgements",
            )
        ],
    )
