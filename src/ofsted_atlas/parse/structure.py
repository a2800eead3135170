"""Sections and paragraphs (numbered where the report numbers them), each with its page."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from .layout import Line
from .model import Paragraph, Section

# "12. Ensure ...", and "12.Ensure ..." as some reports print it (never "2.1 Adoption").
_NUMBERED = re.compile(r"^(?P<number>\d{1,3})\.(?:\s+|(?=[A-Z]))(?P<rest>\S.*)$")
_BULLET_CHARS = "◼▪■●•◦‣∙·–-*"
_TERMINAL = (".", ":", "?", "!", ".'", ".’", '."', ".”", ")")
_TIMESCALE = re.compile(
    r"^(?P<timescale>immediately|within (?:the next )?[a-z0-9\- ]{1,20}? (?:days?|weeks?|months?)"
    r"|by [a-z]+ \d{4})\s*:?$",
    re.I,
)


_BULLET_MARKS = frozenset(_BULLET_CHARS[:-3])  # marks that are bullets even without a space


def is_bullet(text: str) -> bool:
    if not text:
        return False
    first = text[0]
    if first.isalnum():  # nearly every line: decided at once
        return False
    return (
        first in _BULLET_MARKS
        or "\ue000" <= first <= "\uf8ff"
        or (first in "-*–" and len(text) > 1 and text[1] == " ")
    )


def strip_bullet(text: str) -> str:
    return text[1:].strip() if is_bullet(text) else text


_TIMESCALE_MAX = 40  # the longest line that can be a timescale heading


def timescale_of(text: str) -> str | None:
    """The timescale a line such as 'Within three months:' announces (text already flattened)."""
    if len(text) > _TIMESCALE_MAX:
        return None
    match = _TIMESCALE.match(text)
    return match.group("timescale").lower() if match else None


# A footnote marker printed against a heading ("What needs to improve?1", "Board1", "Areas²").
_FOOTNOTE_MARK = re.compile(
    r"(?<=[A-Za-z?:)'])\d{1,2}(?=[\s?:.]|$)|[\u00b9\u00b2\u00b3\u2070-\u2079]"
)


def normalise_heading(text: str) -> str:
    """A heading as its table spells it: footnote markers gone, no closing full stop or space
    (case is ignored by the match, and a `?` or `:` is optional in every heading pattern)."""
    if text and (text[-1].isdigit() or not text.isascii()):
        text = _FOOTNOTE_MARK.sub("", text)
    return text.rstrip(" .:?")


_LEADING_WORD = re.compile(r"[a-z']+")
_LEADING_PAIR = re.compile(r"([a-z']+) ([a-z']+)(?=[ ,:.?\\(\[]|$)")


def _top_level_alternatives(regex: str) -> list[str]:
    """Split a regex on the '|' that are outside any group."""
    parts, depth, start, escaped = [], 0, 0, False
    for index, char in enumerate(regex):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(regex[start:index])
            start = index + 1
    return [*parts, regex[start:]]


_COMMON_FIRST_WORDS = frozenset({"the", "a", "an", "this", "what"})


def _leading_words(alternative: str) -> set[str] | None:
    """Like `_first_words`, but a heading opening with a common word is keyed by its first two
    words ('the impact', 'the experiences')."""
    words = _first_words(alternative)
    if words and words & _COMMON_FIRST_WORDS:
        pair = _LEADING_PAIR.match(alternative)
        if pair and pair.group(1) in _COMMON_FIRST_WORDS:
            return {f"{pair.group(1)} {pair.group(2)}"}
        return None
    return words


def _first_words(alternative: str) -> set[str] | None:
    """The literal first word(s) a heading regex demands ('requires?' -> require, requires)."""
    match = _LEADING_WORD.match(alternative)
    if not match:
        return None
    word, after = match.group(0), alternative[match.end() : match.end() + 1]
    if after == "?":
        return {word, word[:-1]} - {""}
    if after not in ("", " ", "\\", ":", "(", "[", ".", ","):
        return None
    return {word}


@dataclass
class HeadingMatcher:
    pattern: re.Pattern[str]  # all of a table's headings as one alternation
    first_words: frozenset[str] | None  # every heading's first word, when all are literal
    # Lines opening with one of `first_words`, found in one scan of the whole report
    openers: re.Pattern[str] | None = None

    @classmethod
    @functools.lru_cache(maxsize=32)  # one per framework table, built once per process
    def of(cls, regexes: tuple[str, ...]) -> HeadingMatcher:
        """Compile the table, and note the literal first words (or word pairs, for headings
        that start with a common word) every heading must begin with: most lines are then
        dismissed by a set lookup instead of a regular expression."""
        alternatives = [part for r in regexes for part in _top_level_alternatives(r)]
        words = [_leading_words(part) for part in alternatives]
        first_words = (
            frozenset(w for group in words if group for w in group) if all(words) else None
        )
        openers = _opener_pattern(first_words) if first_words is not None else None
        return cls(re.compile("|".join(f"(?:{r})" for r in regexes), re.I), first_words, openers)

    def lines_used(self, lines: list[Line], index: int) -> int:
        """0 when no heading starts at `index`, else how many lines (1 or 2) it spans."""
        first = normalise_heading(lines[index].flat)
        if len(first) > 140 or not first or first[0].isdigit() or is_bullet(first):
            return 0
        if self.first_words is not None:
            head = first.split(" ", 2)
            word = head[0].lower().rstrip(":?.,")
            if word not in self.first_words and (
                len(head) < 2 or f"{word} {head[1].lower().rstrip(':?.,')}" not in self.first_words
            ):
                return 0
        used = 0
        if self.pattern.fullmatch(first):
            used = 1
        elif index + 1 < len(lines) and len(first) < 100:
            joined = normalise_heading(f"{lines[index].flat} {lines[index + 1].flat}")
            if len(joined) <= 160 and self.pattern.fullmatch(joined):
                used = 2
        return used if used and _may_start_heading(lines, index) else 0


def _opener_pattern(first_words: frozenset[str]) -> re.Pattern[str]:
    """A newline, one of `first_words` (or word pairs), what `lines_used` strips from a word
    (":?.,"), then a space or a newline. Alternatives are grouped by their first letter, so at
    each line start the scan tries one group, not every heading."""
    groups = []
    for letter, keys in groupby(sorted(first_words), key=lambda key: key[0]):
        tails = [
            r"[:?.,]* ".join(re.escape(word) for word in key.split(" "))[len(re.escape(letter)) :]
            for key in sorted(keys, key=len, reverse=True)
        ]
        groups.append(f"{re.escape(letter)}(?:{'|'.join(tails)})")
    return re.compile(rf"\n(?:{'|'.join(groups)})[:?.,]*(?:\d{{1,2}}[:?.,]*)?(?= |\n)", re.I)


def _may_start_heading(lines: list[Line], index: int) -> bool:
    """A heading never continues a sentence: the line before it ends one, or a page starts."""
    if index == 0 or lines[index - 1].page != lines[index].page:
        return True
    if index == 1 or lines[index - 2].page != lines[index].page:
        return True  # the line before opens the page: a running header the furniture pass kept
    previous = lines[index - 1].flat
    return previous.endswith(_TERMINAL) or len(previous) < 60 or timescale_of(previous) is not None


def looks_like_heading(lines: list[Line], index: int) -> bool:
    """An unlisted heading: a short line, no closing punctuation, after a finished sentence."""
    text = lines[index].flat
    if not text or len(text) > 70 or text.endswith((*_TERMINAL, ",", ";")):
        return False
    if _NUMBERED.match(text) or is_bullet(text) or timescale_of(text) or not text[0].isupper():
        return False
    if index == 0:
        return False
    return lines[index - 1].flat.endswith(_TERMINAL)


def find_headings(lines: list[Line], headings: HeadingMatcher) -> dict[int, int]:
    """Line index -> number of lines of each known heading, in one pass over the report."""
    found: dict[int, int] = {}
    free_from = 0  # the lines of a two-line heading are not looked at again
    for index in _candidate_lines(lines, headings):
        if index < free_from:
            continue
        used = headings.lines_used(lines, index)
        if used:
            found[index] = used
            free_from = index + used
    return found


def _candidate_lines(lines: list[Line], headings: HeadingMatcher) -> Iterable[int]:
    """Every line, or when the table's first words are known, only the lines that open with
    one: one regular-expression scan of the report instead of a call per line."""
    if headings.openers is None:
        return range(len(lines))
    text = "\n" + "\n".join(line.flat for line in lines) + "\n"
    found, index, scanned = [], -1, 0
    for match in headings.openers.finditer(text):
        index += text.count("\n", scanned, match.start() + 1)  # the line this match opens
        scanned = match.start() + 1
        found.append(index)
    return found


def build_structure(
    lines: list[Line], heading_at: dict[int, int]
) -> tuple[tuple[Section, ...], tuple[Paragraph, ...]]:
    builder = _Builder(typical_width=_typical_width(lines))
    index = 0
    while index < len(lines):
        used = heading_at.get(index, 0)
        if used:
            heading = normalise_heading(" ".join(line.flat for line in lines[index : index + used]))
            builder.start_section(heading, lines[index].page)
            index += used
            continue
        builder.add_line(lines[index])
        index += 1
    builder.close_paragraph()
    return tuple(builder.sections), tuple(builder.paragraphs)


def _typical_width(lines: list[Line]) -> int:
    widths = sorted(len(line.flat) for line in lines)
    return widths[int(len(widths) * 0.9)] if widths else 80


class _Builder:
    """Accumulates lines into paragraphs; a paragraph ends at a short line ending a sentence."""

    def __init__(self, typical_width: int) -> None:
        self.typical_width = typical_width
        self.sections: list[Section] = [Section(ordinal=0, heading="(opening)", page=1)]
        self.paragraphs: list[Paragraph] = []
        self._lines: list[str] = []
        self._page = 1
        self._number: int | None = None
        self._last_number = 0

    def start_section(self, heading: str, page: int) -> None:
        self.close_paragraph()
        self.sections.append(Section(ordinal=len(self.sections), heading=heading, page=page))

    def add_line(self, line: Line) -> None:
        # Runs once per printed line: the common case (a long line of prose) is decided by
        # cheap length and first-character tests before any pattern is tried.
        text = line.flat
        numbered = _NUMBERED.match(text) if text[:1].isdigit() else None
        timescale = timescale_of(text) if len(text) <= _TIMESCALE_MAX else None
        if numbered and self._continues_numbering(int(numbered.group("number"))):
            self.close_paragraph()
            self._number = int(numbered.group("number"))
            self._last_number = self._number
            text = numbered.group("rest")
            timescale = timescale_of(text)
        elif timescale or is_bullet(text):
            self.close_paragraph()
        if not self._lines:
            self._page = line.page
        self._lines.append(text)
        if self._ends_paragraph(text, timescale is not None):
            self.close_paragraph()

    def _continues_numbering(self, number: int) -> bool:
        return number == self._last_number + 1 or number == 1

    def _ends_paragraph(self, text: str, is_timescale: bool) -> bool:
        if is_timescale:
            return True
        if self._number is not None:  # numbered paragraphs run until the next number
            return False
        return text.endswith(_TERMINAL) and len(text) < 0.8 * self.typical_width

    def close_paragraph(self) -> None:
        if not self._lines:
            return
        text = join_lines([strip_bullet(self._lines[0]), *self._lines[1:]])
        if text:
            self.paragraphs.append(
                Paragraph(
                    ordinal=len(self.paragraphs),
                    section=self.sections[-1].ordinal,
                    number=self._number,
                    page=self._page,
                    text=text,
                )
            )
        self._lines = []
        self._number = None


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines; a line ending in a hyphen joins without a space."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out.endswith("-") and not out.endswith(" -"):
            out += line
        else:
            out = f"{out} {line}" if out else line
    return out
