"""Stage 2: bytes -> Document. Preflight checks, then the reader registered for the sniffed kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ofsted_atlas.errors import EmptyFile, FileTooLarge, ImageOnlyPdf, UnsupportedFileType

from .document import Document, Page
from .html import html_to_text
from .pdf import read_pdf_pages
from .sniff import sniff_kind
from .text import decode_text, strip_markdown, text_pages

__all__ = ["READERS", "Document", "ExtractSettings", "Page", "extract_document"]

Reader = Callable[[bytes, str], tuple[tuple[Page, ...], dict[str, str]]]


def _read_pdf(data: bytes, source: str) -> tuple[tuple[Page, ...], dict[str, str]]:
    return read_pdf_pages(data, source), {}


def _read_text(data: bytes, source: str) -> tuple[tuple[Page, ...], dict[str, str]]:
    return text_pages(decode_text(data)), {}


def _read_markdown(data: bytes, source: str) -> tuple[tuple[Page, ...], dict[str, str]]:
    return text_pages(strip_markdown(decode_text(data))), {}


def _read_html(data: bytes, source: str) -> tuple[tuple[Page, ...], dict[str, str]]:
    title, text = html_to_text(decode_text(data))
    return (Page(number=1, text=text),), {"html_title": title}


# One table of readers, keyed by the kind `sniff_kind` returns: add a format here and nowhere else.
READERS: dict[str, Reader] = {
    "pdf": _read_pdf,
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
}


@dataclass(frozen=True)
class ExtractSettings:
    max_size_bytes: int = 100 * 1024 * 1024
    # A PDF with fewer characters of text per page than this is a scan without a text layer.
    min_chars_per_page: int = 40


def extract_document(
    data: bytes, source: str, sha256: str, settings: ExtractSettings = ExtractSettings()
) -> Document:
    """Preflight and read one input. Raises a `Rejected` subclass for anything not readable."""
    if not data or data.isspace():  # (no copy of the bytes, unlike data.strip())
        raise EmptyFile(f"{source}: the file is empty")
    if len(data) > settings.max_size_bytes:
        raise FileTooLarge(
            f"{source}: {len(data) / 1e6:.0f} MB is over the "
            f"{settings.max_size_bytes / 1e6:.0f} MB limit"
        )
    kind = sniff_kind(data[:8192], Path(source))
    if kind is None:
        raise UnsupportedFileType(f"{source}: not a PDF, text, Markdown or HTML file")
    pages, meta = READERS[kind](data, source)
    document = Document(source=source, sha256=sha256, kind=kind, pages=pages, meta=meta)
    if kind == "pdf" and document.char_count() < settings.min_chars_per_page * document.page_count:
        raise ImageOnlyPdf(f"{source}: {document.page_count} page(s) but almost no text layer")
    return document
