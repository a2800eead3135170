"""Common weaknesses of authorities with a given grade (seed 000), with evidence."""

from __future__ import annotations

import sqlite3

from ofsted_atlas.analysis import Filters, theme_association
from ofsted_atlas.analysis.themes import GRADE_GROUPS

from .. import charts
from ..document import Block, Briefing, Bullets, Chart, Section, Text
from .common import citation, grade_label, percent, quote

TOP = 12


def build(
    conn: sqlite3.Connection, grade: str = "inadequate", filters: Filters | None = None
) -> Briefing:
    filters = filters or Filters()
    focus = next(name for name, grades in GRADE_GROUPS.items() if grade in grades)
    comparison = "good_or_better" if focus != "good_or_better" else "inadequate"
    ranked = theme_association(
        conn, filters, polarity="weakness", focus=focus, comparison=comparison, evidence_per_theme=3
    )
    top = [a for a in ranked if a.significant][:TOP] or ranked[:TOP]
    focus_label = grade_label(grade).lower()
    briefing = Briefing(
        kind="weaknesses",
        title=f"Common weaknesses of authorities judged {focus_label}",
        subtitle=f"From the inspection reports themselves ({filters.describe()})",
    )
    sizes = top[0].reports if top else {}
    summary: list[Block] = [
        Text(
            f"Compared {sizes.get(focus, 0)} reports judged {focus_label} with "
            f"{sizes.get(comparison, 0)} judged {comparison.replace('_', ' ')}. A report "
            "features a weakness when inspectors criticise that theme at least as often as in "
            "the median report; themes are ranked by how much more often the first group's "
            "reports feature them "
            "(Fisher's exact test, Benjamini-Hochberg corrected)."
        )
    ]
    summary.append(
        Bullets(
            tuple(
                Text(
                    f"{a.name}: {percent(a.prevalence.get(focus, 0))} vs "
                    f"{percent(a.prevalence.get(comparison, 0))}"
                )
                for a in top
            )
        )
    )
    briefing.sections.append(Section("Summary", summary))
    briefing.sections.append(
        Section(
            "How often each weakness features",
            [
                Chart(
                    charts.theme_lift(
                        [
                            {
                                "name": a.name,
                                focus_label: a.prevalence.get(focus, 0),
                                "good or better": a.prevalence.get(comparison, 0),
                            }
                            for a in top
                        ],
                        "Weaknesses by grade",
                        focus_label,
                        "good or better",
                    ),
                    "Share of reports featuring each weakness.",
                )
            ],
        )
    )
    for a in top:
        blocks: list[Block] = [
            Text(
                f"Featured in {percent(a.prevalence.get(focus, 0))} of reports on {focus_label} "
                f"authorities and {percent(a.prevalence.get(comparison, 0))} of good or better "
                "ones "
                f"(odds ratio {a.odds_ratio:.1f}, q = {a.q_value:.2g}).",
                tuple(citation(e) for e in a.evidence[:1]),
            )
        ]
        blocks.extend(quote(e) for e in a.evidence)
        briefing.sections.append(Section(a.name, blocks))
    return briefing
