"""A briefing's content, built once from the analyses and rendered to HTML, Word or PowerPoint.

Builders (briefings/*.py) decide what a briefing says; renderers (render_*.py) decide how it looks.
Every claim that rests on a report carries a `Citation` (report, page, paragraph, link). Text a
council must write itself is a `Text` marked `placeholder`: renderers show it as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Citation:
    label: str  # "Norfolk, 21 June 2019, page 4"
    link: str  # the report's page on the Ofsted website, or the local PDF at its page
    fallback: str = ""  # the local PDF when `link` is the website


@dataclass(frozen=True)
class Text:
    text: str
    citations: tuple[Citation, ...] = ()
    level: int = 0  # bullet level: 0 top, 1 a sub-item
    placeholder: bool = False  # for the council to write: shown marked, in brackets
    quote: bool = False  # Ofsted's own words, shown in quotation marks


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Quote:
    text: str
    citation: Citation


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    widths: tuple[float, ...] = ()  # relative column widths, optional


@dataclass(frozen=True)
class Chart:
    spec: dict[str, Any]  # Vega-Lite
    caption: str
    alt: str = ""  # what the chart shows, for readers who cannot see it

    @property
    def description(self) -> str:
        return self.alt or self.caption


@dataclass(frozen=True)
class Note:
    """A footnote: how a figure was computed (the test named, the threshold used)."""

    text: str


Block = Text | Bullets | Quote | Table | Chart | Note


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    notes: str = ""  # speaker notes (PowerPoint) / a footnote paragraph elsewhere
    landscape: bool = False  # Word: its own landscape pages (wide annex tables)
    level: int = 1  # heading level; 2 for a sub-section


@dataclass
class Briefing:
    kind: str
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)
    date: str = ""  # ISO date the briefing speaks as at (default: today)
    author: str = "Inspection Atlas"
    front_matter: list[tuple[str, Text]] = field(default_factory=list)  # ("From", text) ...

    def set_properties(self, props: Any) -> None:
        """Fill a Word or PowerPoint file's document properties (python-docx and python-pptx
        share the interface): title, subject, author, keywords and the briefing's date."""
        props.title = self.title
        props.subject = self.subtitle
        props.author = self.author
        props.last_modified_by = self.author
        props.comments = "Made by Inspection Atlas from Ofsted's published reports."
        props.keywords = "Ofsted; children's services; inspection"
        when = datetime.fromisoformat(self.date) if self.date else datetime.now()
        props.created = when
        props.modified = when
        props.revision = 1

    def all_citations(self) -> list[Citation]:
        out: list[Citation] = []
        for section in self.sections:
            for block in section.blocks:
                if isinstance(block, Text):
                    out += block.citations
                elif isinstance(block, Bullets):
                    out += [c for item in block.items for c in item.citations]
                elif isinstance(block, Quote):
                    out.append(block.citation)
        return out

    def visible_text(self) -> str:
        """Every word a reader sees (for checks: no machine ids)."""
        parts = [self.title, self.subtitle]
        parts += [f"{k} {v.text}" for k, v in self.front_matter]
        for section in self.sections:
            parts.append(section.title)
            for block in section.blocks:
                if isinstance(block, Text | Note):
                    parts.append(block.text)
                elif isinstance(block, Bullets):
                    parts += [i.text for i in block.items]
                elif isinstance(block, Quote):
                    parts.append(block.text)
                elif isinstance(block, Table):
                    parts += [block.caption, *block.header, *[c for r in block.rows for c in r]]
                elif isinstance(block, Chart):
                    parts += [block.caption, block.description]
            parts.append(section.notes)
        parts += [c.label for c in self.all_citations()]
        return "\n".join(parts)
