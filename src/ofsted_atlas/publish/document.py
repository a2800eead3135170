"""A briefing's content, built once from the analyses and rendered to HTML, Word or PowerPoint.

Builders (briefings/*.py) decide what a briefing says; renderers (render_*.py) decide how it looks.
Every claim that rests on a report carries a `Citation` (report, page, paragraph, link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    label: str  # "Norfolk 2022, p. 4, para 12"
    link: str  # file://...#page=4


@dataclass(frozen=True)
class Text:
    text: str
    citations: tuple[Citation, ...] = ()


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


@dataclass(frozen=True)
class Chart:
    spec: dict[str, Any]  # Vega-Lite
    caption: str


Block = Text | Bullets | Quote | Table | Chart


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Briefing:
    kind: str
    title: str
    subtitle: str
    sections: list[Section] = field(default_factory=list)

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
