"""The authority's statistics block (children population, children in need, CP plans, CLA), read
by keyword proximity: each statistic's keyword (`frameworks.STATISTICS`) picks its sentence, and
the sentence's first count is the value, with the rate per 10,000 and the date it was taken."""

from __future__ import annotations

import re

from . import printed
from .judgements import PageLocator
from .model import Statistic

_KEYWORDS = tuple((key, re.compile(pattern, re.I)) for key, pattern in printed.STATISTICS)
# Sentences end at a full stop before a capital, a bullet, or a block heading.
_SENTENCE_END = re.compile(
    r"\.\s+(?=[^a-z0-9\s]?\s*[A-Z])|[\u2022\u25aa\u25fc\u25cf\ue000-\uf8ff]|\bin this area\b"
)
_AS_OF = re.compile(
    r"\bat (?P<as_of>\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+,? (?:\d{4}|\d{2})|the time of (?:the )?"
    r"inspection)",
    re.I,
)
_RATE = re.compile(r"(?P<rate>\d+(?:\.\d+)?) ?per 10,?000", re.I)
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s?%|\d+(?:\.\d+)? per ?cent", re.I)
_DATE = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*,? "
    r"(?:\d{4}|\d{2})\b",
    re.I,
)
# A count is followed by whom it counts ("2,108 children (DfE definition)", "no children",
# "300 looked after children"); a footnote marker may cling to it ("56,2002 children").
_COUNT = re.compile(
    r"(?:\b(?P<n>\d{1,3}(?:[, ]\d{3})+|\d+)\d?|\b(?P<word>no|one|two|three|four|five|six|seven"
    r"|eight|nine|ten))(?= (?:\([^)]{0,40}\) )?(?:children|young|looked|child))",
    re.I,
)
_WORDS = {
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


def find_statistics(whole: str, page_of: PageLocator) -> tuple[Statistic, ...]:
    """The current value of each statistic: in the statistics block when the report prints one
    (later mentions compare with earlier years), else anywhere."""
    lowered = whole.lower()
    start = lowered.rfind(printed.STATISTICS_BLOCK)
    block_start = max(start, 0)
    end = block_start + printed.STATISTICS_BLOCK_CHARS
    block = whole[block_start:end] if start != -1 else whole
    found: list[Statistic] = []
    for key, keyword in _KEYWORDS:
        statistic = _first(key, keyword, block, block_start, whole, page_of)
        if statistic is not None:
            found.append(statistic)
    return tuple(found)


def _first(
    key: str,
    keyword: re.Pattern[str],
    block: str,
    block_start: int,
    whole: str,
    page_of: PageLocator,
) -> Statistic | None:
    for match in keyword.finditer(block):
        sentence_start, sentence = _sentence(block, match.start(), match.end())
        value = _count(sentence)
        if value is None:
            continue
        rate = _RATE.search(sentence)
        as_of = _AS_OF.search(sentence)
        return Statistic(
            key=key,
            value=value,
            rate_per_10k=float(rate.group("rate")) if rate else None,
            as_of=as_of.group("as_of") if as_of else None,
            page=page_of(whole, block_start + sentence_start),
        )
    return None


def _sentence(text: str, start: int, end: int) -> tuple[int, str]:
    """The sentence around a keyword (at most a few hundred characters each side)."""
    before = text[max(0, start - 300) : start]
    ends = list(_SENTENCE_END.finditer(before))
    begin = start - len(before) + (ends[-1].end() if ends else 0)
    after = _SENTENCE_END.search(text, end, end + 300)
    return begin, text[begin : after.start() if after else end + 300]


def _count(sentence: str) -> float | None:
    """The first count in the sentence that is not a date, a percentage or the rate."""
    cleaned = _RATE.sub(" ", sentence)
    cleaned = _PERCENT.sub(" ", cleaned)
    cleaned = _DATE.sub(" ", cleaned)
    match = _COUNT.search(cleaned)
    if match is None:
        return None
    if match.group("word"):
        return float(_WORDS[match.group("word").lower()])
    return float(re.sub(r"[, ]", "", match.group("n")))
