"""The `Document`: what every reader produces and every parser consumes (text by page)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as a reader would cite it
    text: str


@dataclass(frozen=True)
class Document:
    source: str
    sha256: str
    kind: str  # "pdf" | "text" | "markdown" | "html"
    pages: tuple[Page, ...]
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def char_count(self) -> int:
        return sum(len(page.text.strip()) for page in self.pages)
