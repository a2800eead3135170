"""PDF text -> clean lines that remember their page.

Running headers and footers ("Inspection of Norfolk local authority children's services", "7 to 18
November 2022 2", lone page numbers) are found by repetition across pages, not by a list, so a new
report design needs no code change.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import repeat
from typing import NamedTuple

from ofsted_atlas.extract import Document

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 3  # how many lines at the top and bottom of a page can be running furniture
_SOFT_HYPHEN = "\u00ad"
_BROKEN_HYPHEN = "\ufffe"  # pdfium marks a line-end hyphenation with U+FFFE


class Line(NamedTuple):
    """One printed line (a tuple: a report has hundreds of thousands, made in a tight loop)."""

    flat: str  # the printed line, flattened (single spaces, straight quotes): what matchers read
    page: int


def page_lines(document: Document) -> list[list[str]]:
    """Each page's non-blank lines, flattened: computed once, read by everything after."""
    return [_page_lines(page.text) for page in document.pages]


def clean_lines(document: Document, pages: list[list[str]] | None = None) -> list[Line]:
    pages = pages if pages is not None else page_lines(document)
    furniture = _running_furniture(pages)

    def kept(flat: str) -> bool:
        return not (_PAGE_NUMBER.match(flat) or _shape(flat) in furniture)

    lines: list[Line] = []
    for page, on_page in zip(document.pages, pages, strict=True):
        number = page.number
        if len(on_page) <= 2 * _EDGE_LINES:  # every line is near an edge
            lines.extend(Line(flat, number) for flat in on_page if kept(flat))
            continue
        lines.extend(Line(flat, number) for flat in on_page[:_EDGE_LINES] if kept(flat))
        lines.extend(map(Line._make, zip(on_page[_EDGE_LINES:-_EDGE_LINES], repeat(number))))
        lines.extend(Line(flat, number) for flat in on_page[-_EDGE_LINES:] if kept(flat))
    return lines


def _page_lines(text: str) -> list[str]:
    """Each non-blank line, flattened; the page is straightened once, not line by line."""
    text = straighten(text.replace(_SOFT_HYPHEN, ""))
    return [" ".join(line.split()) for line in text.split("\n") if line and not line.isspace()]


def _shape(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def _running_furniture(pages: list[list[str]]) -> set[str]:
    """Lines at page edges that recur on at least a third of the pages (and on two or more)."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page_lines in pages:
        edges = page_lines[:_EDGE_LINES] + page_lines[-_EDGE_LINES:]
        counts.update({_shape(line) for line in edges})
    threshold = max(2, len(pages) // 3)
    return {shape for shape, count in counts.items() if count >= threshold and len(shape) > 3}


def straighten(text: str) -> str:
    """Curly quotes and dashes made plain (str.replace: far faster here than str.translate)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    return text.replace("\u2014", "-").replace(_BROKEN_HYPHEN, "-")


def flatten(text: str) -> str:
    """One line, single spaces, quotes straightened: what pattern tables match against."""
    return " ".join(straighten(text).split())
