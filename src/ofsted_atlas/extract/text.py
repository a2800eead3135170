"""Plain-text and Markdown reports: pages split on form feeds, Markdown markup removed."""

from __future__ import annotations

import re

from .document import Page

_MARKDOWN_NOISE = [
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # heading markers
    (re.compile(r"\*\*|__"), ""),  # bold
    (re.compile(r"<sup>.*?</sup>", re.S), ""),  # footnote markers
    (re.compile(r"<[^>\n]{1,80}>"), ""),  # stray tags
    (re.compile(r"\$\\[a-z]+\{\\[a-z]+\{([^}]*)\}\}[^$]*\$"), r"\1"),  # $\ensuremath{\mathsf{X}}^1$
    (re.compile(r"^\s*[-*]\s+(?=\d+\.\s)", re.M), ""),  # "- 4. text" list-wrapped paragraphs
]


def decode_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_pages(text: str) -> tuple[Page, ...]:
    chunks = text.split("\f")
    return tuple(Page(number=index + 1, text=chunk) for index, chunk in enumerate(chunks))


def strip_markdown(text: str) -> str:
    for pattern, replacement in _MARKDOWN_NOISE:
        text = pattern.sub(replacement, text)
    return text
