"""HTML to text with the standard library: block elements become line breaks."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "title",
    "td",
    "th",
    "dd",
    "dt",
    "blockquote",
    "hr",
}
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "svg"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in {"td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._in_title:
            self.title_parts.append(data)
        self.parts.append(data)


def html_to_text(markup: str) -> tuple[str, str]:
    """Return (title, text) with whitespace tidied line by line."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    lines = ("".join(collector.parts)).splitlines()
    text = "\n".join(" ".join(line.split()) for line in lines if line.strip())
    return " ".join("".join(collector.title_parts).split()), text
