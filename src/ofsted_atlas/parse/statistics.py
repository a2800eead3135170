"""The authority's statistics block (children population, children in need, CP plans, CLA)."""

from __future__ import annotations

import re

from . import frameworks as fw
from .judgements import PageLocator
from .model import Statistic

_COMPILED = tuple(
    (key, needle, re.compile(pattern, re.I)) for key, needle, pattern in fw.STATISTICS
)
_WINDOW = 220  # characters before a needle where the sentence's start can be


def find_statistics(whole: str, page_of: PageLocator) -> tuple[Statistic, ...]:
    """The first printed value of each statistic (the current one; later mentions compare)."""
    found: dict[str, Statistic] = {}
    lowered = whole.lower()
    for key, needle, pattern in _COMPILED:
        if key in found:
            continue
        match = _search_near(pattern, whole, lowered, needle)
        if not match:
            continue
        groups = match.groupdict()
        found[key] = Statistic(
            key=key,
            value=_number(groups["value"]),
            rate_per_10k=_number(groups["rate"]) if groups.get("rate") else None,
            as_of=groups.get("as_of"),
            page=page_of(whole, match.start()),
        )
    return tuple(found.values())


def _number(text: str) -> float:
    return float(text.replace(",", "").rstrip("."))


def _search_near(
    pattern: re.Pattern[str], text: str, lowered: str, needle: str
) -> re.Match[str] | None:
    position = lowered.find(needle)
    while position != -1:
        start = max(0, position - _WINDOW)
        match = pattern.search(text, start, position + len(needle) + _WINDOW)
        if match:
            return match
        position = lowered.find(needle, position + 1)
    return None
