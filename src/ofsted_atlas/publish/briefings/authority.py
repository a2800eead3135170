"""A council's briefing of its own inspection result to a scrutiny panel (seed 001)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from ofsted_atlas.analysis import neighbours, trajectory
from ofsted_atlas.analysis.trajectory import Inspection

from .. import charts
from ..document import Briefing, Bullets, Chart, Citation, Quote, Section, Table, Text
from .common import area_label, grade_label

SUMMARY_PARAGRAPHS = 3


def build(conn: sqlite3.Connection, authority: str, lookup: Path | None = None) -> Briefing:
    journey = trajectory(conn, authority)
    if not journey.inspections:
        raise ValueError(f"{authority}: no graded inspection reports ingested")
    latest = journey.inspections[-1]
    previous = journey.inspections[-2] if len(journey.inspections) > 1 else None
    briefing = Briefing(
        kind="authority",
        title=f"{journey.authority}: Ofsted inspection of children's services",
        subtitle=f"Briefing for scrutiny — inspection ending {latest.inspection_end}",
    )
    briefing.sections.append(_judgements(latest, previous))
    briefing.sections.append(_summary(conn, latest))
    briefing.sections.append(_to_improve(conn, latest))
    if previous is not None:
        briefing.sections.append(_progress(journey, previous, latest))
    briefing.sections.append(_history(journey.inspections))
    if lookup is not None and journey.la_code:
        briefing.sections.append(_neighbours(conn, journey.la_code, lookup))
    return briefing


def _link(inspection: Inspection, page: int | None = None) -> Citation:
    year = (inspection.inspection_end or "")[:4]
    label = f"{year} report" + (f", p. {page}" if page else "")
    return Citation(label, f"file://{inspection.source}#page={page or 1}")


def _judgements(latest: Inspection, previous: Inspection | None) -> Section:
    keys = list(latest.judgements)
    rows = tuple(
        (
            area_label(k),
            grade_label(latest.judgements[k]),
            grade_label(previous.judgements.get(k)) if previous else "—",
        )
        for k in keys
    )
    previous_label = f"Previous ({(previous.inspection_end or '')[:4]})" if previous else "Previous"
    return Section(
        "Judgements",
        [
            Table(
                ("Judgement", "Grade", previous_label),
                rows,
                f"Inspection ending {latest.inspection_end}",
            )
        ],
    )


_FRONT_MATTER = re.compile(
    r"^.*?\boverall (?:effectiveness|judgement is)\W+(?:requires improvement to be good|requires"
    r" improvement|good|outstanding|inadequate)\b[.\s]*",
    re.I | re.S,
)
_TITLE_PAGE = re.compile(r"inspection dates?|lead inspector|judgement grade", re.I)


def _summary(conn: sqlite3.Connection, latest: Inspection) -> Section:
    """The report's own opening summary, without the title-page lines run into it."""
    rows = conn.execute(
        "SELECT text, page FROM paragraphs WHERE report_id = ? AND section_ordinal = 0"
        " ORDER BY ordinal",
        (latest.report_id,),
    ).fetchall()
    blocks: list[object] = []
    for row in rows:
        text = _FRONT_MATTER.sub("", row["text"]).strip()
        if len(text) > 150 and not _TITLE_PAGE.search(text):
            blocks.append(Quote(text, _link(latest, row["page"])))
        if len(blocks) == SUMMARY_PARAGRAPHS:
            break
    return Section("Summary of findings", blocks or [Text("The report has no opening summary.")])  # type: ignore[arg-type]


def _to_improve(conn: sqlite3.Connection, latest: Inspection) -> Section:
    rows = conn.execute(
        "SELECT text, timescale, page FROM recommendations WHERE report_id = ?"
        " AND scope = 'local_authority' ORDER BY ordinal",
        (latest.report_id,),
    ).fetchall()
    items = tuple(
        Text(
            row["text"] + (f" ({row['timescale']})" if row["timescale"] else ""),
            (_link(latest, row["page"]),),
        )
        for row in rows
    )
    return Section(
        "What needs to improve",
        [Bullets(items)] if items else [Text("The report lists no recommendations.")],
    )


def _progress(journey, previous: Inspection, latest: Inspection) -> Section:  # type: ignore[no-untyped-def]
    blocks: list[object] = []
    before = previous.judgements.get("overall_effectiveness")
    after = latest.judgements.get("overall_effectiveness")
    blocks.append(
        Text(
            f"Overall effectiveness moved from {grade_label(before).lower()} "
            f"({(previous.inspection_end or '')[:4]}) to {grade_label(after).lower()}."
        )
    )
    recurring = [r for r in journey.recurring if r.later_report == latest.report_id]
    if recurring:
        blocks.append(
            Text(
                f"{len(recurring)} of this inspection's recommendations repeat issues "
                "raised at the previous inspection:"
            )
        )
        blocks.append(
            Table(
                ("Previous recommendation", "This inspection", "Similarity"),
                tuple((r.earlier, r.later, f"{r.similarity:.2f}") for r in recurring[:8]),
            )
        )
    else:
        blocks.append(Text("No recommendation repeats one from the previous inspection."))
    changes = journey.theme_changes[-1][:6] if journey.theme_changes else []
    if changes:
        blocks.append(
            Table(
                ("Theme", "Polarity", "Previous (per 100 sentences)", "Now"),
                tuple(
                    (c.theme.replace("_", " "), c.polarity, f"{c.before:.1f}", f"{c.after:.1f}")
                    for c in changes
                ),
                "Largest changes in what inspectors wrote about",
            )
        )
    return Section("Progress since the last inspection", blocks)  # type: ignore[arg-type]


def _history(inspections: list[Inspection]) -> Section:
    keys = [
        k
        for k in (
            "overall_effectiveness",
            "help_and_protection",
            "children_in_care",
            "care_leavers",
            "leadership",
        )
        if any(k in i.judgements for i in inspections)
    ]
    rows = tuple(
        (
            (i.inspection_end or ""),
            i.framework,
            *[grade_label(i.judgements.get(k)) if k in i.judgements else "" for k in keys],
        )
        for i in inspections
    )
    points = [
        {"date": i.inspection_end, "judgement": area_label(k), "grade": i.judgements[k]}
        for i in inspections
        for k in keys
        if k in i.judgements and i.inspection_end
    ]
    return Section(
        "Inspection history",
        [
            Table(("Inspection ended", "Framework", *[area_label(k) for k in keys]), rows),
            Chart(charts.grade_timeline(points, "Grades over time"), "Grades at each inspection."),
        ],
    )


def _neighbours(conn: sqlite3.Connection, la_code: str, lookup: Path) -> Section:
    rows = neighbours(conn, la_code, lookup)
    return Section(
        "Statistical neighbours",
        [
            Table(
                (
                    "Authority",
                    "Latest inspection",
                    "Overall",
                    "Help and protection",
                    "Children in care",
                    "Leadership",
                ),
                tuple(
                    (
                        n.name,
                        n.latest_inspection or "not in the database",
                        *[
                            grade_label(n.judgements.get(k)) if n.judgements else ""
                            for k in (
                                "overall_effectiveness",
                                "help_and_protection",
                                "children_in_care",
                                "leadership",
                            )
                        ],
                    )
                    for n in rows
                ),
                "The ten statistical neighbours' most recent inspections",
            )
        ],
    )
