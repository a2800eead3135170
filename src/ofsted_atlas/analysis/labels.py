"""Human words for the ids the store keeps: grades as Ofsted prints them, grade groups,
framework names and dates ("21 June 2019"). Every briefing and export reads them from here."""

from __future__ import annotations

from datetime import date

from ofsted_atlas.parse.frameworks import FRAMEWORKS

GRADE_LABELS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires_improvement": "Requires improvement to be good",
    "adequate": "Adequate",
    "inadequate": "Inadequate",
}
# Grade groups compared by the analyses, and the grades each holds.
GROUP_GRADES = {
    "inadequate": ("inadequate",),
    "requires_improvement": ("requires_improvement", "adequate"),
    "good_or_better": ("good", "outstanding"),
}
GROUP_LABELS = {
    "inadequate": "inadequate",
    "requires_improvement": "requires improvement",
    "good_or_better": "good or better",
    "not_yet_good": "requires improvement or inadequate",
}
# Frameworks as a reader knows them (the parser's specs hold the long titles).
FRAMEWORK_SHORT = {
    "sif": "Single inspection framework",
    "ilacs": "ILACS",
    "ilacs_standard": "ILACS standard inspection",
    "ilacs_short": "ILACS short inspection",
    "lac_2012": "Looked after children inspection (2012)",
    "cp_2012": "Child protection inspection (2012)",
    "slac_2009": "Safeguarding and looked after children inspection",
    "other": "Other inspection",
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def grade_label(grade: str | None) -> str:
    return GRADE_LABELS.get(grade or "", "—")


def group_of(grade: str | None) -> str | None:
    return next((g for g, grades in GROUP_GRADES.items() if grade in grades), None)


def framework_label(framework: str | None) -> str:
    if not framework:
        return "—"
    if framework in FRAMEWORK_SHORT:
        return FRAMEWORK_SHORT[framework]
    base = framework.split("_")[0]
    return FRAMEWORK_SHORT.get(base, framework.replace("_", " "))


def framework_title(framework: str) -> str:
    """The framework's full name, from the parser's table."""
    base = framework.split("_")[0] if framework.startswith("ilacs") else framework
    return next((f.name for f in FRAMEWORKS if f.id == base), framework_label(framework))


def long_date(iso: str | None) -> str:
    """'2019-06-21' -> '21 June 2019' (and '2019-06' -> 'June 2019')."""
    if not iso:
        return "—"
    parts = iso[:10].split("-")
    try:
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except ValueError:
        return iso
    return iso


def month_year(iso: str | None) -> str:
    return long_date(iso[:7]) if iso else "—"
