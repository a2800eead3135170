"""Human words for every stored id the web pages show: grades as Ofsted prints them, judgement
areas in Ofsted's order, framework and publication names, polarity, dates ("21 June 2019").

Stored ids (``requires_improvement``, ``ilacs_short``, ``help_and_protection``) never reach a
page's visible text: templates go through these tables. Differences between frameworks are data
here, not branches in templates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ofsted_atlas.analysis.labels import GRADE_LABELS
from ofsted_atlas.coding.codebook import load_codebook

# Grades best first. Since 2013 Ofsted prints "Requires improvement to be good" (single
# inspection framework and ILACS alike); the 2009-2013 frameworks graded "Adequate".
GRADES_BEST_FIRST = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")
# Short forms for chart axes and legends where the full words do not fit a phone screen.
GRADE_SHORT = {**GRADE_LABELS, "requires_improvement": "Requires improvement"}
GRADE_RANK = {
    "outstanding": 4,
    "good": 3,
    "requires_improvement": 2,
    "adequate": 2,
    "inadequate": 1,
}
NO_GRADE = "Not graded"

# Judgement areas in the order Ofsted's reports print them: overall effectiveness first.
AREA_ORDER = (
    "overall_effectiveness",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
    "adoption",
    "leadership",
    "lscb",
    "capacity_to_improve",
    "outcomes_for_looked_after_children_and_young_people",
    "quality_of_provision",
    "quality_of_practice",
)
AREA_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
    "adoption": "Adoption performance",
    "leadership": "Leadership",
    "lscb": "Local Safeguarding Children Board",
    "capacity_to_improve": "Capacity to improve",
    "outcomes_for_looked_after_children_and_young_people": (
        "Outcomes for looked after children and young people"
    ),
    "quality_of_provision": "Quality of provision",
    "quality_of_practice": "Quality of practice",
}
FRAMEWORK_LABELS = {
    "slac_2009": "Safeguarding and looked after children (2009-2012)",
    "cp_2012": "Protection of children (2012-2013)",
    "lac_2012": "Looked after children services (2012-2013)",
    "sif": "Single inspection framework (2013-2018)",
    "ilacs_standard": "ILACS standard inspection (2018 on)",
    "ilacs_short": "ILACS short inspection (2018 on)",
    "other": "Other publication",
}
PUBLICATION_LABELS = {
    "inspection": "Inspection",
    "focused_visit": "Focused visit",
    "monitoring_visit": "Monitoring visit",
}
POLARITY_LABELS = {"strength": "Strength", "weakness": "Weakness", "neutral": "Neutral"}
SCOPE_LABELS = {"local_authority": "Local authority", "lscb": "Safeguarding board"}
# Stored placeholder headings (parse/structure.py) -> words; printed headings pass through.
SECTION_LABELS = {"(opening)": "Opening pages"}


def grade_label(grade: str | None, short: bool = False) -> str:
    if not grade:
        return NO_GRADE
    return (GRADE_SHORT if short else GRADE_LABELS).get(grade, grade.replace("_", " ").capitalize())


def area_label(key: str | None) -> str:
    if not key:
        return ""
    return AREA_LABELS.get(key, key.replace("_", " ").capitalize())


def framework_label(framework: str | None) -> str:
    if not framework:
        return "Framework not recognised"
    return FRAMEWORK_LABELS.get(framework, framework.replace("_", " ").capitalize())


def publication_label(kind: str | None) -> str:
    return PUBLICATION_LABELS.get(kind or "", "Publication")


def polarity_label(polarity: str | None) -> str:
    return POLARITY_LABELS.get(polarity or "", "")


def section_label(heading: str | None) -> str:
    return SECTION_LABELS.get(heading or "", heading or "")


def theme_names() -> dict[str, str]:
    return {theme.id: theme.name for theme in load_codebook().themes}


def theme_label(theme: str | None) -> str:
    if not theme:
        return ""
    return theme_names().get(theme, theme.replace("_", " ").capitalize())


def human_date(value: Any) -> str:
    """'2019-06-21' -> '21 June 2019' (the way Ofsted prints dates); empty for no date."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {day:%B %Y}"


def _position(key: str) -> tuple[int, str]:
    return (AREA_ORDER.index(key) if key in AREA_ORDER else len(AREA_ORDER), key)


def area_sorted(judgements: dict[str, str]) -> list[tuple[str, str]]:
    """(area, grade) pairs in Ofsted's order: overall effectiveness first."""
    return sorted(judgements.items(), key=lambda pair: _position(pair[0]))


def judgements_sorted(judgements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored judgement rows in Ofsted's order."""
    return sorted(judgements, key=lambda row: _position(str(row["key"])))


def install(env: Any) -> None:
    """Make the labels available to every template."""
    env.globals.update(
        grade_label=grade_label,
        area_label=area_label,
        framework_label=framework_label,
        publication_label=publication_label,
        polarity_label=polarity_label,
        theme_label=theme_label,
        section_label=section_label,
        theme_names=theme_names(),
        area_sorted=area_sorted,
        judgements_sorted=judgements_sorted,
        grades_best_first=GRADES_BEST_FIRST,
    )
    env.filters["date"] = human_date
