"""Decide what a file is from its bytes, never from its name.

Councils' folders hold HTML pages saved as `.pdf` and PDFs without extensions; the extension is
only a tie-breaker between plain text and Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_TEXT_SUFFIXES = {".txt", ".text"}


def sniff_kind(head: bytes, path: Path) -> str | None:
    """Return "pdf", "html", "markdown", "text", or None when it is none of those."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if _HTML_START.match(head[:4096].lstrip(b"\xef\xbb\xbf")):
        return "html"
    if _looks_like_text(head):
        markdown = path.suffix.lower() in _MARKDOWN_SUFFIXES or _has_markdown_markup(head)
        return "markdown" if markdown else "text"
    return None


_MARKDOWN_HEADING = re.compile(rb"^#{1,6} \S", re.M)


def _has_markdown_markup(head: bytes) -> bool:
    """Reports converted to Markdown keep their .txt name: judge by '# Heading' lines."""
    return len(_MARKDOWN_HEADING.findall(head)) >= 3


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 (or Windows-1252) with almost no control characters."""
    if not head or b"\x00" in head:
        return False
    sample = head[:8192]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the sample's end
            try:
                text = sample.decode("cp1252")
            except UnicodeDecodeError:
                return False
        else:
            text = sample[: error.start].decode("utf-8")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= max(2, len(text) // 200)


def is_text_suffix(path: Path) -> bool:
    return path.suffix.lower() in _TEXT_SUFFIXES | _MARKDOWN_SUFFIXES
