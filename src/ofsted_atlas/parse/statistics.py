"""The authority's statistics block (children population, children in need, CP plans, CLA)."""

from __future__ import annotations

import re

from . import frameworks as fw
from .judgements import PageLocator
from .model import Statistic

_COMPILED = tuple((key, re.compile(pattern, re.I)) for key, pattern in fw.STATISTICS)


def find_statistics(whole: str, page_of: PageLocator) -> tuple[Statistic, ...]:
    """The first printed value of each statistic (the current one; later mentions compare)."""
    found: dict[str, Statistic] = {}
    for key, pattern in _COMPILED:
        if key in found:
            continue
        match = pattern.search(whole)
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
