"""Words a reader sees in the readiness briefing, page and tracker: statuses, frameworks, dates,
themes, the next-inspection basis. No internal id reaches a reader."""

from __future__ import annotations

import functools
from datetime import date

from ofsted_atlas.analysis.inspectors_focus import CRITICISED_MIN, Peers
from ofsted_atlas.analysis.next_inspection import Backtest, Window
from ofsted_atlas.coding.codebook import load_codebook

from .briefings.common import grade_label

STATUS_LABELS = {
    "addressed": "Addressed",
    "mentioned": "Mentioned",
    "not_mentioned": "Not mentioned",
}
STATUS_MEANINGS = {
    "addressed": "the documents describe action or evidence on it",
    "mentioned": "the documents name it without action or evidence",
    "not_mentioned": "nothing in the documents matches it",
}
FRAMEWORK_LABELS = {
    "ilacs_standard": "ILACS standard inspection",
    "ilacs_short": "ILACS short inspection",
    "ilacs": "ILACS (inspections of local authority children's services)",
    "sif": "single inspection framework",
    "lac_2012": "2012 looked after children inspection",
    "cp_2012": "2012 child protection inspection",
    "slac_2009": "2009 safeguarding and looked after children inspection",
}
VISIT_LABELS = {"focused_visit": "Focused visit", "monitoring_visit": "Monitoring visit"}


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def status_from_label(text: str) -> str | None:
    """A status id from what a council typed into the tracker ('Addressed', 'not mentioned')."""
    wanted = " ".join(str(text).lower().replace("_", " ").split())
    for key, label in STATUS_LABELS.items():
        if wanted == label.lower():
            return key
    return None


def framework_label(framework: str | None) -> str:
    return FRAMEWORK_LABELS.get(framework or "", "another framework")


def long_date(value: str | date | None) -> str:
    """'21 June 2019' (as Ofsted prints dates); empty for no date."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def month_year(value: str | None) -> str:
    return f"{date.fromisoformat(value):%B %Y}" if value else ""


@functools.cache
def _theme_names() -> dict[str, str]:
    return {theme.id: theme.name for theme in load_codebook().themes}


def theme_name(theme: str) -> str:
    return _theme_names().get(theme, theme.replace("_", " "))


def basis_words(window: Window) -> str:
    who = "councils"
    if "grade" in window.basis:
        judged = grade_label(window.grade) if window.grade else "no overall grade"
        who += f" judged “{judged}” overall"
    if "family" in window.basis:
        who += (
            f" at an inspection under {FRAMEWORK_LABELS.get(window.family, 'the same framework')}"
        )
    if who == "councils":
        who = "all councils"
    low, high = window.range_months
    return (
        f"{window.intervals} intervals from an inspection to the next one for {who} in the "
        f"database: median {window.median_months:g} months, range {low:g} to {high:g} months; "
        "the window holds the middle 80% of them"
    )


def backtest_words(tested: Backtest) -> str:
    return (
        f"Tested on the database: predicting each of {tested.predictions} inspections from the "
        f"one before, {round(100 * tested.share_inside)}% fell inside their window, and the most "
        f"likely date was a median {tested.median_error_months:g} months out"
    )


def peers_words(peers: Peers) -> str:
    """Whose inspections the coverage rests on, in a sentence."""
    groups = []
    if peers.grade:
        groups.append(
            f"{peers.grade_reports} councils judged “{grade_label(peers.grade)}” overall (as this "
            "council was)"
        )
    groups.append(f"{peers.neighbour_reports} of this council's statistical neighbours")
    missing = "" if peers.grade else " (its last inspection gave no overall grade to compare on)"
    return (
        f"Themes most often criticised in inspections since {long_date(peers.since)} under "
        f"{framework_label(peers.family)}, of {' and of '.join(groups)}{missing}. A report "
        f"criticises a theme when at least {CRITICISED_MIN} of its sentences code it as a weakness."
    )
