"""Common weaknesses of authorities with a given grade (seed 000): every theme criticised in at
least a set share of the grade's reports, each as findings in Ofsted's words; the statistics go
to the speaker notes."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from ofsted_atlas.analysis import Filters
from ofsted_atlas.analysis.findings import (
    GROUPS,
    Ranking,
    ThemeFinding,
    plain_prevalence,
    rank_themes,
)
from ofsted_atlas.analysis.labels import GROUP_LABELS, group_of
from ofsted_atlas.analysis.quotes import QuoteGuard

from .. import charts
from ..document import Block, Briefing, Bullets, Chart, Section, Text
from .common import finding_items, percent, rank_words, test_note, too_small
from .coverage import coverage

MIN_SHARE = 0.75  # themes criticised in at least three quarters of the grade's reports


def build(
    conn: sqlite3.Connection,
    grade: str = "inadequate",
    filters: Filters | None = None,
    lookup: Path | None = None,
    min_share: float = MIN_SHARE,
) -> Briefing:
    filters = filters or Filters()
    group = group_of(grade) or "inadequate"
    label = GROUP_LABELS[group]
    ranking = rank_themes(
        conn, filters, polarity="weakness", group=group, guard=QuoteGuard(), min_share=min_share
    )
    briefing = Briefing(
        kind="weaknesses",
        title=f"Common weaknesses in local authorities judged {label}",
        subtitle=f"A summary from the inspection reports ({filters.describe()})",
        date=date.today().isoformat(),
    )
    intro: list[Block] = [
        Bullets(
            (
                Text(
                    f"This deck summarises what inspectors criticised in the reports on local "
                    f"authorities judged {label}, in the inspectors' own words."
                ),
                Text(
                    "It aims to help local authorities identify whether they have these or "
                    "similar weaknesses and improve practice."
                ),
            )
        ),
        *coverage(conn, filters, lookup),
    ]
    briefing.sections.append(Section("Purpose of this slide deck", intro))
    if ranking.too_small:
        briefing.sections.append(
            Section("Weaknesses identified", [Text(too_small(ranking, "in this selection"))])
        )
        return briefing
    included = ranking.included(min_share)
    briefing.sections.append(
        Section(
            "Weaknesses identified are in:",
            [
                Text(
                    f"Every theme criticised in at least {percent(min_share)} of the "
                    f"{ranking.size} {label} reports, most widespread first; themes criticised "
                    "in the same number of reports share a place."
                ),
                Bullets(
                    tuple(
                        Text(f"{t.name.lower().capitalize()} ({_in_words(t, ranking)})")
                        for t in included
                    )
                ),
                _chart(included, group),
            ],
            notes=_ranking_notes(ranking, included),
        )
    )
    for theme in included:
        items = finding_items(theme.findings[:4], theme.sizes, "weakness", quotes=1)
        blocks: list[Block] = (
            [Bullets(tuple(items))]
            if items
            else [Text("No sentence on this theme is clear enough to quote on its own.")]
        )
        briefing.sections.append(Section(theme.name, blocks, notes=_theme_notes(theme, ranking)))
    briefing.sections.append(Section("How these figures were made", [test_note()]))
    return briefing


def _chart(included: list[ThemeFinding], group: str) -> Chart:
    label = GROUP_LABELS[group]
    items: list[dict[str, Any]] = [
        {"name": t.name, label: t.share(group), "good or better": t.share("good_or_better")}
        for t in included
    ]
    return Chart(
        charts.theme_lift(items, "How widely each weakness is criticised", label, "good or better"),
        f"Share of {label} and of good or better reports criticising each theme.",
        alt="Bars for each theme: "
        + "; ".join(
            f"{i['name']}: {percent(i[label])} of {label} and "
            f"{percent(i['good or better'])} of good or better reports"
            for i in items
        ),
    )


def _in_words(theme: ThemeFinding, ranking: Ranking) -> str:
    return f"{theme.count(ranking.group)} of {ranking.size} reports"


def _ranking_notes(ranking: Ranking, included: list[ThemeFinding]) -> str:
    lines = [
        f"{t.name}: {rank_words(t.rank, t.tied_with)}; "
        + plain_prevalence(t.featured, t.sizes, "weakness", GROUPS)
        + "."
        for t in included
    ]
    return "\n".join(lines)


def _theme_notes(theme: ThemeFinding, ranking: Ranking) -> str:
    lines = [
        f"{theme.name} is {rank_words(theme.rank, theme.tied_with)} of 28 themes by how many "
        f"{GROUP_LABELS[ranking.group]} reports criticise it: "
        + plain_prevalence(theme.featured, theme.sizes, "weakness", GROUPS)
        + "."
    ]
    if ranking.comparable:
        clear = "a clear difference" if theme.q_value < 0.05 else "no clear difference"
        lines.append(
            f"Inadequate against good or better reports: {percent(theme.share('inadequate'))} "
            f"against {percent(theme.share('good_or_better'))}, {clear} (Fisher's exact test, "
            "corrected for the 28 themes)."
        )
    else:
        lines.append("Too few inadequate or good reports here to compare the two.")
    return "\n".join(lines)
