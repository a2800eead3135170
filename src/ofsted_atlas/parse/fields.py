"""Single fields printed near the top of every report: title, authority, dates, lead inspector."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from . import printed
from .dates import parse_date, parse_date_spans

_FLAGS = re.I


def find_inspection_dates(opening: str, label: str) -> list[tuple[date, date]]:
    """Fieldwork spans after the framework's dates label, up to the next printed field."""
    match = re.search(label + r"\s*(?P<rest>.{0,160})", opening, _FLAGS)
    if not match:
        return []
    rest = re.split(printed.DATES_STOP, match.group("rest"), maxsplit=1, flags=_FLAGS)[0]
    return parse_date_spans(rest)


def find_published(opening: str) -> date | None:
    match = re.search(printed.PUBLISHED_LABEL + r"\s*(?P<rest>.{0,40})", opening, _FLAGS)
    return parse_date(match.group("rest")) if match else None


def find_lead_inspector(texts: list[str]) -> str | None:
    """The first text (opening pages, then the whole report) that names a lead inspector."""
    for text in texts:
        for match in _lead_labels(text):
            if text[max(0, match.start() - 7) : match.start()].lower().rstrip().endswith("deputy"):
                continue
            names = _names_from(text[match.end() : match.end() + 160])
            if names:
                return "; ".join(names)
    return None


# Letters name their inspector under the signature.
_LEAD_LABEL = re.compile(printed.LEAD_INSPECTOR_LABEL)
_LABEL_WORDS = printed.LEAD_INSPECTOR_LABEL_WORDS  # literal parts of every label
_LABEL_REACH = 12  # how far before its literal part a label can start ("Reporting I")


def _lead_labels(text: str) -> Iterator[re.Match[str]]:
    """The label pattern's matches, in order, tried only around its literal words: a pattern
    led by character classes would otherwise be tried at every character of a whole report."""
    starts = sorted(
        {max(0, at - _LABEL_REACH) for word in _LABEL_WORDS for at in _occurrences(text, word)}
    )
    last_end = -1
    for start in starts:
        match = _LEAD_LABEL.search(text, start, start + _LABEL_REACH + 40)
        if match and match.start() > last_end:
            last_end = match.start()
            yield match


def _occurrences(text: str, word: str) -> Iterator[int]:
    at = text.find(word)
    while at != -1:
        yield at
        at = text.find(word, at + 1)


_NAME = re.compile(r"^[A-Z][\w'’.-]*(?: (?:[A-Z][\w'’.-]*|de|van|von|da|le|la))+$")


def _names_from(rest: str) -> list[str]:
    """'Rebecca Quested, His Majesty's Inspector, and Tom Anthony, ...' -> both names."""
    segment = re.split(printed.LEAD_INSPECTOR_END, rest, maxsplit=1, flags=_FLAGS)[0]
    segment = re.sub(printed.LEAD_INSPECTOR_TITLES, ",", segment, flags=_FLAGS)
    names: list[str] = []
    for chunk in re.split(r",|;|&|\band\b", segment):
        candidate = chunk.strip(" .:")
        if _NAME.match(candidate):
            names.append(candidate)
        elif candidate:
            break
    return names


_NOT_NAMES = {"local", "local authority", "the local authority"}


def find_authority(opening: str, patterns: tuple[str, ...]) -> str | None:
    for pattern in patterns:
        match = re.search(pattern, opening, _FLAGS)
        if match:
            printed = match.group("la").strip(" ,.:#")
            if 1 < len(printed) <= 80 and printed.lower() not in _NOT_NAMES:
                return printed
    return None


def find_title(lines: list[str], identify: tuple[str, ...]) -> str:
    """The report's title as printed on its opening lines: from the line where the framework's
    title phrase starts, through the lines it wraps onto, up to the next printed field."""
    opening = lines[: printed.TITLE_LINES]
    text = "\n".join(opening)
    flat = text.replace("\n", " ")  # same offsets: patterns match across line breaks
    for pattern in identify:
        match = re.search(pattern, flat, _FLAGS)
        if match:
            first = text.count("\n", 0, match.start())
            last = text.count("\n", 0, match.end())
            return _sentence_case(_title_lines(opening, first, last))
    return ""


_TITLE_STOP = re.compile(printed.TITLE_STOP, _FLAGS)
_JOINING = re.compile(r"(?:\b(?:and|of|the|for|in|on|with|to)|,)$", _FLAGS)
_FOOTNOTE_END = re.compile(r"(?<=[a-z])\d{1,2}$")


def _title_lines(lines: list[str], first: int, last: int) -> str:
    taken = [lines[first]]
    for index in range(first + 1, min(len(lines), first + printed.TITLE_MAX_LINES)):
        line = lines[index]
        if _TITLE_STOP.match(line):
            break
        within = index <= last and not (index == last and _TITLE_STOP.search(line))
        follows = (  # the title wraps: a lower-case start, a joining word, a short tail
            line[:1].islower()
            or _JOINING.search(taken[-1])
            or len(line.split()) == 1
            or (len(taken[-1]) >= 50 and len(line.split()) <= 3)
        )
        if not (within or follows):
            break
        taken.append(line)
    title = " ".join(_FOOTNOTE_END.sub("", line) for line in taken)
    return title[:1].upper() + title[1:] if title else title


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
