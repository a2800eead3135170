"""Dates as Ofsted prints them: '8 – 12 July 2013', '19 November-11 December 2013 and 28 – 30
January 2014', '8 October 2018 to 19 October 2018'. Missing months and years are taken from the
next date that has them, as a reader would."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_TOKEN = re.compile(
    rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:\s*(?P<month>{_MONTH})\b\.?)?(?:\s*(?P<year>(?:19|20)\d\d)\b)?",
    re.I,
)
_FULL_DATE = re.compile(
    rf"\b([0-3]?\d)(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+((?:19|20)\d\d)\b", re.I
)


_NUMERIC_DATE = re.compile(r"\b([0-3]?\d)/([01]?\d)/((?:19|20)\d\d)\b")
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _spell_numeric_dates(text: str) -> str:
    """'1/06/2015' -> '1 june 2015' (Ofsted prints day/month/year)."""

    def spell(match: re.Match[str]) -> str:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return match.group(0)
        return f"{int(match.group(1))} {_MONTH_NAMES[month - 1]} {match.group(3)}"

    return _NUMERIC_DATE.sub(spell, text)


def parse_date(text: str) -> date | None:
    """The first complete 'day month year' in text."""
    text = _spell_numeric_dates(text)
    match = _FULL_DATE.search(text)
    if not match:
        return None
    return _safe_date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))


def parse_date_range(text: str) -> tuple[date | None, date | None]:
    """First and last day of a printed fieldwork span."""
    text = _spell_numeric_dates(text)
    tokens = [
        (int(m.group("day")), m.group("month"), m.group("year"))
        for m in _DAY_TOKEN.finditer(text)
        if not _is_bare_number_of_year(m, text)
    ]
    filled: list[date] = []
    month: int | None = None
    year: int | None = None
    for day, month_text, year_text in reversed(tokens):
        month = MONTHS[month_text.lower()] if month_text else month
        year = int(year_text) if year_text else year
        if month is None or year is None:
            continue
        value = _safe_date(year, month, day)
        if value is not None:
            filled.append(value)
    if not filled:
        return None, None
    filled.reverse()
    return filled[0], filled[-1]


def _is_bare_number_of_year(match: re.Match[str], text: str) -> bool:
    """'2013' itself must not be read as a day token."""
    return match.group("month") is None and text[match.end() : match.end() + 2].isdigit()


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date_spans(text: str) -> list[tuple[date, date]]:
    """Fieldwork printed in parts ('8-12 July 2019 and 7-8 August 2019') as one span per part."""
    parts = re.split(r"\band\b|;", text)
    spans = [parse_date_range(part) for part in parts]
    complete = [(start, end) for start, end in spans if start and end]
    if len(complete) == len(parts):
        return complete
    start, end = parse_date_range(text)
    return [(start, end)] if start and end else []


def fieldwork_days(spans: list[tuple[date, date]]) -> int:
    return sum((end - start).days + 1 for start, end in spans)
