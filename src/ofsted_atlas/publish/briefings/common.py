"""Small helpers shared by the briefing builders."""

from __future__ import annotations

from ofsted_atlas.analysis.themes import Evidence

from ..document import Citation, Quote

# The judgement areas briefings tabulate, in reading order.
MAIN_AREAS = (
    "overall_effectiveness",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "adoption",
    "leadership",
    "lscb",
)

GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement",
    "adequate": "Adequate",
    "inadequate": "Inadequate",
}
AREA_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "leadership": "Leadership",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "adoption": "Adoption",
    "lscb": "LSCB",
    "quality_of_practice": "Quality of practice",
}


def grade_label(grade: str | None) -> str:
    return GRADE_LABELS.get(grade or "", "—")


def area_label(key: str) -> str:
    return AREA_LABELS.get(key, key.replace("_", " ").capitalize())


def citation(evidence: Evidence) -> Citation:
    return Citation(evidence.citation(), evidence.link())


def quote(evidence: Evidence) -> Quote:
    return Quote(evidence.sentence, citation(evidence))


def percent(share: float) -> str:
    return f"{round(100 * share)}%"
