"""The readiness briefing (HTML and Word) and the readiness JSON contract, from one `Readiness`.

Every status cites the document passage it rests on; every finding from another council's report
cites its page. Human words only: grades as Ofsted prints them, theme names, dates in full.
"""

from __future__ import annotations

from typing import Any

from ofsted_atlas.analysis.council_documents import Passage
from ofsted_atlas.analysis.inspectors_focus import ThemeFocus
from ofsted_atlas.analysis.readiness import Readiness, TrackedRecommendation

from ..document import Briefing, Bullets, Citation, Quote, Section, Table, Text
from ..readiness_labels import (
    STATUS_LABELS,
    STATUS_MEANINGS,
    VISIT_LABELS,
    backtest_words,
    basis_words,
    framework_label,
    long_date,
    peers_words,
    status_label,
    theme_name,
)
from .common import area_label, citation, grade_label, percent


def to_json(result: Readiness) -> dict[str, Any]:
    """The public readiness contract (README, 'Readiness')."""
    window = result.window
    return {
        "authority": result.authority,
        "inspection": {
            "report_id": result.inspection.report_id,
            "inspection_end": result.inspection.inspection_end,
            "framework": result.inspection.framework,
        },
        "recommendations": [
            {
                "number": item.number,
                "text": item.text,
                "status": item.status,
                "recurring": item.recurring,
                "evidence": [_passage_json(p) for p in item.evidence],
            }
            for item in result.recommendations
        ],
        "themes": [
            {
                "theme": focus.theme,
                "criticised_share": focus.criticised_share,
                "covered": focus.covered,
                "evidence": [_passage_json(p) for p in focus.evidence],
            }
            for focus in result.themes
        ],
        "next_inspection": {
            "earliest": window.earliest if window else None,
            "likely": window.likely if window else None,
            "latest": window.latest if window else None,
            "basis": basis_words(window) if window else "no inspection dates to go on",
        },
    }


def _passage_json(passage: Passage) -> dict[str, Any]:
    return {"document": passage.document, "page": passage.page, "text": passage.text}


def passage_where(passage: Passage) -> str:
    return passage.document + (f", page {passage.page}" if passage.page else "")


def build(result: Readiness) -> Briefing:
    inspection = result.inspection
    names = ", ".join(d.name for d in result.documents) or "no documents"
    briefing = Briefing(
        kind="readiness",
        title=f"{result.authority}: readiness for the next inspection",
        subtitle=(
            f"Read against the {framework_label(inspection.framework)} ending "
            f"{long_date(inspection.inspection_end)}. Documents read: {names}."
        ),
    )
    briefing.sections.append(_at_a_glance(result))
    briefing.sections.append(_tracker(result))
    briefing.sections.append(_coverage(result))
    briefing.sections.extend(_focus(focus) for focus in result.themes)
    briefing.sections.append(_next(result))
    briefing.sections.append(_method())
    return briefing


def _report_link(result: Readiness, page: int | None = None) -> Citation:
    where = f", page {page}" if page else ""
    label = f"{result.authority} report, {long_date(result.inspection.inspection_end)}{where}"
    return Citation(label, f"file://{result.inspection.source}#page={page or 1}")


def _at_a_glance(result: Readiness) -> Section:
    counts = {status: 0 for status in STATUS_LABELS}
    for item in result.recommendations:
        counts[item.status] = counts.get(item.status, 0) + 1
    total = len(result.recommendations)
    recurring = sum(item.recurring for item in result.recommendations)
    uncovered = [theme_name(f.theme) for f in result.themes if not f.covered]
    grades = tuple(
        (area_label(key), grade_label(grade)) for key, grade in result.inspection.judgements.items()
    )
    blocks: list[Any] = [
        Table(
            ("Judgement", "Grade"),
            grades,
            f"Judgements at the inspection ending {long_date(result.inspection.inspection_end)}",
        ),
        Text(
            f"Of the {total} recommendations: {counts['addressed']} addressed in the documents, "
            f"{counts['mentioned']} mentioned without action or evidence, "
            f"{counts['not_mentioned']} not mentioned."
            + (
                f" Repeating an issue raised at the inspection before: {recurring}."
                if recurring
                else ""
            )
        ),
    ]
    if uncovered:
        blocks.append(
            Text(
                "Themes inspectors often criticise in councils like this one that the documents "
                "do not cover: " + ", ".join(uncovered) + "."
            )
        )
    if result.window:
        blocks.append(
            Text(
                f"The next inspection is most likely around {long_date(result.window.likely)}, "
                f"between {long_date(result.window.earliest)} and "
                f"{long_date(result.window.latest)}."
            )
        )
    return Section("At a glance", blocks)


def _tracker(result: Readiness) -> Section:
    blocks: list[Any] = [
        Text(
            "Each recommendation of the inspection with its status: "
            + "; ".join(f"{STATUS_LABELS[k].lower()}: {v}" for k, v in STATUS_MEANINGS.items())
            + ". A status set by the council in its tracker is marked as such."
        )
    ]
    edited = any(item.owner or item.due for item in result.recommendations)
    header: tuple[str, ...] = ("No.", "Recommendation", "Status", "Repeats the inspection before")
    header += ("Owner", "Due") if edited else ()
    rows = tuple(_tracker_row(item)[: len(header)] for item in result.recommendations)
    if rows:
        blocks.append(Table(header, rows, "Recommendation tracker"))
    else:
        blocks.append(Text("The report lists no recommendations for the council."))
    for item in result.recommendations:
        blocks.append(
            Text(
                f"{item.number}. {item.text}",
                (_report_link(result, item.page),),
            )
        )
        if item.evidence:
            blocks.append(
                Bullets(tuple(Text(f"“{p.text}” ({passage_where(p)})") for p in item.evidence))
            )
        else:
            blocks.append(Text("Nothing in the documents matches this recommendation."))
    return Section("Recommendation tracker", blocks)


def _tracker_row(item: TrackedRecommendation) -> tuple[str, ...]:
    status = status_label(item.status) + (
        " (set by the council)" if item.status_source == "council" else ""
    )
    return (
        str(item.number),
        _shorten(item.text),
        status,
        "Yes" if item.recurring else "No",
        item.owner or "—",
        long_date(item.due) if _is_iso(item.due) else (item.due or "—"),
    )


def _is_iso(text: str) -> bool:
    return len(text) >= 10 and text[4] == "-" and text[7] == "-" and text[:4].isdigit()


def _shorten(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _coverage(result: Readiness) -> Section:
    blocks: list[Any] = [Text(peers_words(result.peers))]
    if not result.themes:
        blocks.append(Text("No recent inspections of similar councils are in the database."))
        return Section("Coverage against inspectors' focus", blocks)
    blocks.append(
        Table(
            ("Theme", "Criticised in", "Same grade", "Neighbours", "Covered by the documents"),
            tuple(_coverage_row(f) for f in result.themes),
            "What inspectors criticise in councils like this one",
        )
    )
    return Section("Coverage against inspectors' focus", blocks)


def _focus(focus: ThemeFocus) -> Section:
    """One theme inspectors often criticise: what they found elsewhere, what the documents say."""
    blocks: list[Any] = [Text("What inspectors found in similar councils:")]
    blocks.extend(Quote(e.sentence, citation(e)) for e in focus.findings)
    if focus.evidence:
        blocks.append(Text("What the documents say:"))
        blocks.append(
            Bullets(tuple(Text(f"“{p.text}” ({passage_where(p)})") for p in focus.evidence[:2]))
        )
    else:
        blocks.append(Text("The documents say nothing on this theme."))
    return Section(f"Inspectors' focus: {theme_name(focus.theme)}", blocks)


def _coverage_row(focus: ThemeFocus) -> tuple[str, ...]:
    def share(value: float | None) -> str:
        return percent(value) if value is not None else "—"

    return (
        theme_name(focus.theme),
        percent(focus.criticised_share),
        share(focus.grade_share),
        share(focus.neighbour_share),
        "Yes" if focus.covered else "No",
    )


def _next(result: Readiness) -> Section:
    window = result.window
    if window is None:
        return Section(
            "When the next inspection is likely", [Text("No inspection dates to go on.")]
        )
    blocks: list[Any] = [
        Table(
            ("Earliest", "Most likely", "Latest"),
            ((long_date(window.earliest), long_date(window.likely), long_date(window.latest)),),
            f"Counted from the inspection ending {long_date(result.inspection.inspection_end)}",
        ),
        Text("Basis: " + basis_words(window) + "."),
        *([Text(backtest_words(result.backtest) + ".")] if result.backtest else []),
    ]
    if window.visits:
        blocks.append(
            Bullets(
                tuple(
                    Text(f"{VISIT_LABELS.get(v.kind, 'Visit')}, {long_date(v.date)}")
                    for v in window.visits
                )
            )
        )
    else:
        blocks.append(Text("No focused or monitoring visit since then is in the database."))
    return Section("When the next inspection is likely", blocks)


def _method() -> Section:
    return Section(
        "How this was made",
        [
            Text(
                "The documents were split into sentences and coded into the codebook's themes by "
                "the same model that codes the inspection reports. A passage matches a "
                "recommendation when the model reads both as about the same themes and the "
                "passage holds some of the recommendation's distinctive wording, or when it holds "
                "much of that wording. A match that describes action or evidence (something "
                "introduced, improved, measured or planned) makes the recommendation addressed. "
                "The statuses are a reading aid, not a judgement: check the cited passages."
            )
        ],
    )
