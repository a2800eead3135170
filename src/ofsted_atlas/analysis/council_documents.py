"""A council's own documents (self-evaluation, improvement plan) as coded passages, in memory.

Word (.docx) is read here; PDF, text and Markdown go through the ingest readers (`extract/`). The
type is sniffed from the bytes, never the name. Nothing is written anywhere: the caller decides
whether to keep anything (`readiness --keep`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ofsted_atlas.coding import ThemeModel, load_model, split_sentences
from ofsted_atlas.errors import EmptyFile, FileTooLarge, Rejected, UnsupportedFileType
from ofsted_atlas.extract import ExtractSettings, extract_document
from ofsted_atlas.extract.sniff import sniff_kind

ACCEPTED_KINDS = ("docx", "pdf", "text", "markdown")
ACCEPTED_LABEL = "Word (.docx), PDF, text or Markdown"
_DOCX_PART = "word/document.xml"
_MAX_DOCX_XML = 50 * 1024 * 1024  # uncompressed document.xml: refuses zip bombs
_BLANK_LINES = re.compile(r"\n\s*\n")
_HEADING_WORDS = 8
# What makes a passage describe action or evidence rather than merely name an issue.
ACTION_CUES = tuple(
    re.compile(cue, re.I)
    for cue in (
        r"\bwe (?:have|will|are|now|introduced|launched|set up|appointed|created|put)\b",
        r"\b(?:has|have|had|was|were) (?:now |been |recently )*(?:introduced|implemented|"
        r"established|launched|strengthened|improved|reduced|increased|recruited|appointed|"
        r"developed|created|completed|reviewed|embedded|commissioned|restructured|redesigned|"
        r"trained|audited|agreed|extended|expanded|replaced|refreshed)\b",
        r"\b(?:is|are) now\b|\bnow (?:has|have|is|are|receive|see|take)\b",
        r"\b(?:improved|improving|better|stronger|more consistent|increasingly|more timely)\b",
        r"\b\d+(?:\.\d+)?\s?(?:%|per cent)",
        r"\baudits? (?:show|shows|showed|found|finds|demonstrate)",
        r"\b(?:action plan|improvement plan|by (?:january|february|march|april|may|june|july|"
        r"august|september|october|november|december|\w+ \d{4}|the end of)|target|milestone)\b",
        r"\b(?:training|programme|pilot|new (?:team|service|framework|policy|tool|panel|model))\b",
    )
)


@dataclass(frozen=True)
class Passage:
    """One sentence of a council document, where it is, and how the theme model codes it."""

    document: str
    page: int | None
    text: str
    themes: frozenset[str]
    polarity: str  # the model's polarity of the sentence ("neutral" when no theme fires)
    context: str = ""  # the paragraph the sentence stands in


@dataclass(frozen=True)
class CouncilDocument:
    name: str
    kind: str
    passages: tuple[Passage, ...]


def sniff_document(data: bytes, name: str) -> str | None:
    """'docx', 'pdf', 'text', 'markdown', 'html' or None, from the content."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return "docx" if _DOCX_PART in archive.namelist() else None
        except zipfile.BadZipFile:
            return None
    return sniff_kind(data[:8192], Path(name))


def read_council_document(
    data: bytes,
    name: str,
    *,
    max_bytes: int = 20 * 1024 * 1024,
    model: ThemeModel | None = None,
) -> CouncilDocument:
    """Read, segment and code one document. Raises a `Rejected` error (with a hint) for anything
    that is not a readable Word, PDF, text or Markdown file, or is over `max_bytes`."""
    if not data or data.isspace():
        raise EmptyFile(f"{name}: the file is empty")
    if len(data) > max_bytes:
        raise FileTooLarge(
            f"{name}: {len(data) / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit"
        )
    kind = sniff_document(data, name)
    if kind not in ACCEPTED_KINDS:
        raise UnsupportedFileType(f"{name}: not a {ACCEPTED_LABEL} file")
    if kind == "docx":
        blocks = _docx_blocks(data, name)
    else:
        document = extract_document(data, name, "", ExtractSettings(max_size_bytes=max_bytes))
        paged = kind == "pdf" or document.page_count > 1  # text has pages only at form feeds
        blocks = [
            (page.number if paged else None, paragraph)
            for page in document.pages
            for paragraph in _paragraphs(page.text)
        ]
    return CouncilDocument(name, kind, tuple(_code(name, blocks, model or load_model())))


def _paragraphs(text: str) -> list[str]:
    """Paragraphs of a page: blank-line separated blocks, their lines joined."""
    out = []
    for block in _BLANK_LINES.split(text):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines:
            out.append(" ".join(lines))
    return out


def _docx_blocks(data: bytes, name: str) -> list[tuple[int | None, str]]:
    """Paragraphs and table cells of a Word file, with the page each starts on when Word
    recorded its page breaks (explicit or as last laid out); otherwise no page."""
    from docx import Document as open_word

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.getinfo(_DOCX_PART).file_size > _MAX_DOCX_XML:
                raise FileTooLarge(f"{name}: the Word document's text is too large to read")
        word = open_word(io.BytesIO(data))
    except FileTooLarge:
        raise
    except Exception as error:  # python-docx and lxml raise many types for damaged files
        raise UnsupportedFileType(
            f"{name}: a damaged Word file ({type(error).__name__})"
        ) from error
    body = word.element.body
    has_breaks = bool(
        body.xpath(".//w:lastRenderedPageBreak") or body.xpath('.//w:br[@w:type="page"]')
    )
    page = 1
    blocks: list[tuple[int | None, str]] = []
    for paragraph in body.iter(qn_tag("p")):
        text = "".join(node.text or "" for node in paragraph.iter(qn_tag("t"))).strip()
        breaks = len(paragraph.xpath(".//w:lastRenderedPageBreak")) + len(
            paragraph.xpath('.//w:br[@w:type="page"]')
        )
        if text:
            blocks.append((page if has_breaks else None, text))
        page += breaks
    return blocks


def qn_tag(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _is_heading(text: str) -> bool:
    """A short line without closing punctuation ('Supervision and management oversight')."""
    return len(text.split()) <= _HEADING_WORDS and not text.rstrip().endswith((".", "!", "?", ":"))


def _code(name: str, blocks: list[tuple[int | None, str]], model: ThemeModel) -> list[Passage]:
    units = [
        (page, s.text, text)
        for page, text in blocks
        if not _is_heading(text)
        for s in split_sentences(text)
    ]
    coded = model.code([text for _, text, _ in units]) if units else []
    passages = []
    for (page, text, paragraph), codings in zip(units, coded, strict=True):
        polarities = [c.polarity for c in codings]
        polarity = max(set(polarities), key=polarities.count) if polarities else "neutral"
        themes = frozenset(c.theme for c in codings)
        passages.append(Passage(name, page, text, themes, polarity, paragraph))
    return passages


def describes_action(passage: Passage) -> bool:
    """The passage, or the paragraph it stands in, describes action or evidence."""
    text = passage.context or passage.text
    return passage.polarity == "strength" or any(c.search(text) for c in ACTION_CUES)


__all__ = [
    "ACCEPTED_LABEL",
    "CouncilDocument",
    "Passage",
    "Rejected",
    "describes_action",
    "read_council_document",
    "sniff_document",
]
