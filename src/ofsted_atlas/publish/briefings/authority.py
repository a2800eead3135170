"""A council's briefing of an inspection result to its scrutiny panel (seed 001): judgements, the
report's whole summary, improvements since the previous inspection, what needs to improve (in
the report's words), what happens next (from the framework's rules and from the database), and
marked places for the council's own self-assessment, priorities and governance."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

from ofsted_atlas.analysis import neighbours, trajectory
from ofsted_atlas.analysis.labels import framework_label, framework_title, long_date, month_year
from ofsted_atlas.analysis.quotes import QuoteGuard, is_quotable, on_theme
from ofsted_atlas.analysis.recurring import possibly_recurring
from ofsted_atlas.analysis.trajectory import Inspection, Trajectory, _rates
from ofsted_atlas.coding.codebook import load_codebook

from .. import charts
from ..document import Block, Briefing, Bullets, Chart, Citation, Section, Table, Text
from .common import area_label, cite, grade_label
from .next_steps import months_to_next, rules

GRADE_RANK = {
    "inadequate": 0,
    "adequate": 1,
    "requires_improvement": 1,
    "good": 2,
    "outstanding": 3,
}


def build(
    conn: sqlite3.Connection,
    authority: str,
    lookup: Path | None = None,
    *,
    report_id: int | None = None,
    as_at: str | None = None,
) -> Briefing:
    journey = trajectory(conn, authority, as_at=as_at)
    if not journey.inspections:
        when = f" published by {long_date(as_at)}" if as_at else ""
        raise ValueError(f"{authority}: no graded inspection report{when} in the database")
    index = len(journey.inspections) - 1
    if report_id is not None:
        ids = [i.report_id for i in journey.inspections]
        if report_id not in ids:
            raise ValueError(
                f"report {report_id} is not an inspection of {journey.authority}"
                + (f" published by {long_date(as_at)}" if as_at else "")
            )
        index = ids.index(report_id)
    latest = journey.inspections[index]
    previous = journey.inspections[index - 1] if index else None
    briefing = Briefing(
        kind="authority",
        title=f"{journey.authority}: Ofsted inspection of children's services",
        subtitle=f"Briefing for scrutiny: {framework_title(latest.framework)}, inspection "
        f"ending {long_date(latest.inspection_end)}",
        date=as_at or date.today().isoformat(),
    )
    briefing.sections.append(_judgements(latest, previous))
    briefing.sections.append(_summary(conn, journey, latest))
    if previous is not None:
        briefing.sections.append(_improvements(conn, journey, previous, latest))
    briefing.sections.append(_to_improve(conn, journey, latest))
    if previous is not None:
        briefing.sections.append(_recurring(conn, journey, previous, latest))
    for title, prompt in (
        ("Other areas of focus", "Areas the council will also focus on"),
        ("Our own self-assessment concluded", "What the council's self-assessment concluded"),
        ("And identified the following priorities", "The council's priorities"),
    ):
        briefing.sections.append(Section(title, [Text(prompt, placeholder=True)]))
    briefing.sections.append(_next(conn, latest, as_at))
    briefing.sections.append(
        Section(
            "What next: governance",
            [
                Text(
                    "Boards, chairs and reporting cycles that follow the inspection",
                    placeholder=True,
                )
            ],
        )
    )
    briefing.sections.append(_history(journey.inspections[: index + 1]))
    if lookup is not None and journey.la_code:
        briefing.sections.append(_neighbours(conn, journey.la_code, lookup, as_at))
    return briefing


def _link(journey: Trajectory, inspection: Inspection, page: int | None = None) -> Citation:
    return cite(
        journey.authority, inspection.inspection_end, inspection.urn, inspection.source, page
    )


def _judgements(latest: Inspection, previous: Inspection | None) -> Section:
    keys = list(latest.judgements)
    if "overall_effectiveness" in keys:  # the overall grade last, as the report prints it
        keys.remove("overall_effectiveness")
        keys.append("overall_effectiveness")
    rows = tuple(
        (
            area_label(k),
            grade_label(latest.judgements[k]),
            grade_label(previous.judgements.get(k)) if previous else "—",
        )
        for k in keys
    )
    previous_label = f"Previous ({month_year(previous.inspection_end)})" if previous else "Previous"
    return Section(
        "Judgements",
        [
            Table(
                ("Judgement", "Grade", previous_label),
                rows,
                f"Inspection ending {long_date(latest.inspection_end)}",
                widths=(5, 3, 3),
            )
        ],
    )


_FRONT_MATTER = re.compile(
    r"^.*?\boverall (?:effectiveness|judgement is)\W+(?:requires improvement to be good|requires"
    r" improvement|good|outstanding|inadequate)\b[.\s]*",
    re.I | re.S,
)
_TITLE_PAGE = re.compile(r"inspection dates?|lead inspector|judgement grade", re.I)


def _summary(conn: sqlite3.Connection, journey: Trajectory, latest: Inspection) -> Section:
    """The report's whole opening summary, without the title-page lines run into it."""
    rows = conn.execute(
        "SELECT text, page FROM paragraphs WHERE report_id = ? AND section_ordinal = 0"
        " ORDER BY ordinal",
        (latest.report_id,),
    ).fetchall()
    items = []
    for row in rows:
        text = _FRONT_MATTER.sub("", row["text"]).strip()
        if _TITLE_PAGE.search(text):
            text = re.split(r"(?<=\.)\s+(?=[A-Z])", text, maxsplit=1)[-1]
        if len(text) > 80 and not _TITLE_PAGE.search(text):
            items.append(Text(text, (_link(journey, latest, row["page"]),), quote=True))
    return Section(
        "High level summary",
        [Bullets(tuple(items))] if items else [Text("The report has no opening summary.")],
    )


def _improvements(
    conn: sqlite3.Connection, journey: Trajectory, previous: Inspection, latest: Inspection
) -> Section:
    blocks: list[Block] = []
    changes = []
    for key, grade in latest.judgements.items():
        before = previous.judgements.get(key)
        if before and GRADE_RANK.get(grade, -1) != GRADE_RANK.get(before, -1):
            word = "improved" if GRADE_RANK.get(grade, 0) > GRADE_RANK.get(before, 0) else ("fell")
            changes.append(
                Text(
                    f"{area_label(key)} {word} from {grade_label(before).lower()} to "
                    f"{grade_label(grade).lower()}."
                )
            )
    blocks.append(
        Bullets(tuple(changes))
        if changes
        else Text(
            f"No grade changed since the inspection ending {long_date(previous.inspection_end)}."
        )
    )
    turned = _turned_themes(conn, previous.report_id, latest.report_id)
    guard = QuoteGuard()
    items = []
    names = {t.id: t.name for t in load_codebook().themes}
    for theme in turned[:6]:
        evidence = _strength_sentence(conn, latest.report_id, theme, guard)
        if evidence:
            text, page = evidence
            items.append(
                Text(f"{names[theme]}: “{text}”", (_link(journey, latest, page),), quote=True)
            )
    if items:
        blocks.append(
            Text(
                "Themes inspectors mostly criticised in "
                f"{month_year(previous.inspection_end)} and now praise far more often, with "
                "what they praise:"
            )
        )
        blocks.append(Bullets(tuple(items)))
    return Section("Some important improvements have been made", blocks)


RISE = 0.15  # the rise in a theme's share of praise that counts as an improvement


def _turned_themes(conn: sqlite3.Connection, earlier: int, later: int) -> list[str]:
    """Themes mostly criticised before whose share of praise (strengths among its strengths
    and weaknesses) has risen by at least `RISE`, the largest rise first."""
    before, after = _rates(conn, earlier), _rates(conn, later)

    def share(rates: dict[tuple[str, str], float], theme: str) -> float | None:
        good, bad = rates.get((theme, "strength"), 0.0), rates.get((theme, "weakness"), 0.0)
        return good / (good + bad) if good + bad else None

    turned = []
    for theme in {t for t, _ in before}:
        was, now = share(before, theme), share(after, theme)
        if was is not None and now is not None and was < 0.5 and now - was >= RISE:
            turned.append((now - was, theme))
    return [t for _, t in sorted(turned, reverse=True)]


def _strength_sentence(
    conn: sqlite3.Connection, report_id: int, theme: str, guard: QuoteGuard
) -> tuple[str, int | None] | None:
    for row in conn.execute(
        "SELECT sentence_id, sentence, page FROM coded_sentences WHERE report_id = ? AND theme = ?"
        " AND polarity = 'strength' ORDER BY confidence DESC, length(sentence)",
        (report_id, theme),
    ):
        text = row["sentence"].strip()
        if (
            is_quotable(text, "strength")
            and on_theme(theme, text)
            and guard.take(row["sentence_id"], text)
        ):
            return text, row["page"]
    return None


def _to_improve(conn: sqlite3.Connection, journey: Trajectory, latest: Inspection) -> Section:
    rows = conn.execute(
        "SELECT text, timescale, page FROM recommendations WHERE report_id = ?"
        " AND scope = 'local_authority' ORDER BY ordinal",
        (latest.report_id,),
    ).fetchall()
    items = []
    for row in rows:
        parts = [p.strip() for p in re.split(r"\s*[\u2022\u25aa]\s*", row["text"]) if p.strip()]
        head = parts[0] + (f" ({row['timescale']})" if row["timescale"] else "")
        items.append(Text(head, (_link(journey, latest, row["page"]),)))
        items += [Text(p, level=1) for p in parts[1:]]
    return Section(
        "What needs to improve",
        [Bullets(tuple(items))] if items else [Text("The report lists no recommendations.")],
    )


def _recurring(
    conn: sqlite3.Connection, journey: Trajectory, previous: Inspection, latest: Inspection
) -> Section:
    pairs = possibly_recurring(conn, previous, latest)
    if not pairs:
        return Section(
            "Possibly recurring recommendations",
            [
                Text(
                    "No recommendation closely repeats one from the inspection ending "
                    f"{long_date(previous.inspection_end)}."
                )
            ],
        )
    return Section(
        "Possibly recurring recommendations",
        [
            Text(
                "These recommendations share a theme and much of their wording with one made "
                "at the previous inspection: they may point to an issue not yet resolved."
            ),
            Table(
                (f"{long_date(previous.inspection_end)}", f"{long_date(latest.inspection_end)}"),
                tuple((p.earlier, p.later) for p in pairs),
                "Possibly recurring recommendations",
            ),
        ],
    )


def _next(conn: sqlite3.Connection, latest: Inspection, as_at: str | None) -> Section:
    grade = latest.judgements.get("overall_effectiveness")
    rule = rules(latest.framework, grade)
    blocks: list[Block] = []
    ofsted = [Text(line) for line in rule.get("ofsted", [])]
    interval = months_to_next(conn, latest.framework, grade, as_at)
    if len(interval.months) >= 3:
        ofsted.append(
            Text(
                f"In this database, {len(interval.months)} councils judged "
                f"{grade_label(grade).lower()} under the {framework_label(latest.framework)} "
                f"were next inspected after a median of {interval.median:.0f} months "
                f"(from {min(interval.months):.0f} to {max(interval.months):.0f})."
            )
        )
    else:
        ofsted.append(
            Text(
                f"Too few councils judged {grade_label(grade).lower()} under this framework "
                "have a later inspection in the database to say how long the wait usually is."
            )
        )
    dfe = [Text(line, level=1) for line in rule.get("dfe", [])] or [
        Text("Any change to the council's intervention status", level=1, placeholder=True)
    ]
    blocks.append(
        Bullets(
            (
                Text("Ofsted"),
                *[Text(t.text, level=1) for t in ofsted],
                Text("Department for Education"),
                *dfe,
            )
        )
    )
    return Section("What next?", blocks)


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
            long_date(i.inspection_end),
            framework_label(i.framework),
            *[grade_label(i.judgements.get(k)) if k in i.judgements else "" for k in keys],
        )
        for i in inspections
    )
    points = [
        {
            "date": i.inspection_end,
            "judgement": area_label(k),
            "grade": grade_label(i.judgements[k]),
        }
        for i in inspections
        for k in keys
        if k in i.judgements and i.inspection_end
    ]
    alt = "Grades at each inspection: " + "; ".join(
        f"{month_year(i.inspection_end)}: overall "
        f"{grade_label(i.judgements.get('overall_effectiveness')).lower()}"
        for i in inspections
    )
    return Section(
        "Inspection history",
        [
            Table(("Inspection ended", "Framework", *[area_label(k) for k in keys]), rows),
            Chart(
                charts.grade_timeline(points, "Grades over time"),
                "Grades at each inspection.",
                alt=alt,
            ),
        ],
    )


def _neighbours(conn: sqlite3.Connection, la_code: str, lookup: Path, as_at: str | None) -> Section:
    rows = neighbours(conn, la_code, lookup, as_at)
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
                        long_date(n.latest_inspection)
                        if n.latest_inspection
                        else "none in the database",
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
                "The ten statistical neighbours' latest inspections"
                + (f" published by {long_date(as_at)}" if as_at else ""),
            )
        ],
    )
