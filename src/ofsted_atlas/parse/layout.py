"""PDF text -> clean lines that remember their page.

Running headers and footers ("Inspection of Norfolk local authority children's services", "7 to 18
November 2022 2", lone page numbers) are found by repetition across pages, not by a list, so a new
report design needs no code change.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ofsted_atlas.extract import Document

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.I)
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 3  # how many lines at the top and bottom of a page can be running furniture
_SOFT_HYPHEN = "\u00ad"
_BROKEN_HYPHEN = "\ufffe"  # pdfium marks a line-end hyphenation with U+FFFE


@dataclass(frozen=True)
class Line:
    text: str
    page: int
    flat: str  # `flatten(text)`, computed once: every matcher reads this


def clean_lines(document: Document) -> list[Line]:
    pages = [_page_lines(page.text) for page in document.pages]
    furniture = _running_furniture(pages)
    lines: list[Line] = []
    for page, page_lines in zip(document.pages, pages, strict=True):
        last = len(page_lines) - 1
        for index, text in enumerate(page_lines):
            at_edge = index < _EDGE_LINES or index > last - _EDGE_LINES
            if _PAGE_NUMBER.match(text) and at_edge:
                continue
            if at_edge and _shape(text) in furniture:
                continue
            lines.append(Line(text=text, page=page.number, flat=flatten(text)))
    return lines


def _page_lines(text: str) -> list[str]:
    text = text.replace(_BROKEN_HYPHEN, "-").replace(_SOFT_HYPHEN, "")
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


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


def flatten(text: str) -> str:
    """One line, single spaces, curly quotes made straight: what pattern tables match against."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-")
    text = text.replace("\u2014", "-").replace(_BROKEN_HYPHEN, "-")
    return " ".join(text.split())
