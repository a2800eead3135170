"""The Ofsted reports website's structure, held as data, and the parsing of its pages.

When the site changes, edit `SITE` (paths, classes, the publication types) rather than the code.
Parsing uses the standard library's HTML parser: it needs anchors, their classes and a nested
`span.nonvisual`, nothing more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin

from ofsted_atlas.errors import AtlasError
from ofsted_atlas.parse.dates import parse_date


class SiteLayoutChanged(AtlasError):
    code = "site_layout_changed"
    hint = (
        "The Ofsted site's pages no longer look as Inspection Atlas expects: update "
        "ofsted_atlas/sources/ofsted_site.py (SITE) or report an issue."
    )


@dataclass(frozen=True)
class SiteLayout:
    base_url: str = "https://reports.ofsted.gov.uk"
    # Local authority children's services providers, 100 a page.
    search_path: str = (
        "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
        "&start={start}&rows=100"
    )
    provider_href: str = r"/provider/(?:[^\"'?#]*/)?(?P<urn>\d+)/?$"
    publication_class: str = "publication-link"
    publication_label_class: str = "nonvisual"
    pagination_class: str = "pagination"
    next_class: str = "next"
    # Publication type key -> patterns on the link's label ("children's services inspection, pdf
    # - 19 november 2021"). The first matching type wins; unmatched publications are skipped.
    publication_types: tuple[tuple[str, str], ...] = (
        ("focused-visits", r"focused visit"),
        ("monitoring-visits", r"monitoring visit"),
        (
            "inspections",
            r"children'?s services inspection|inspection of (?:local authority )?children'?s "
            r"services|single inspection|children'?s social care services",
        ),
    )


SITE = SiteLayout()
PUBLICATION_TYPES = tuple(key for key, _ in SITE.publication_types)


@dataclass(frozen=True)
class Provider:
    urn: str
    url: str
    name: str


@dataclass(frozen=True)
class Publication:
    urn: str
    authority: str
    kind: str  # a key of SiteLayout.publication_types
    label: str  # as printed in the link's hidden label
    published: date | None
    url: str


@dataclass
class _Anchor:
    href: str
    classes: set[str]
    text: list[str] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    in_next: bool = False


class _PageParser(HTMLParser):
    """Collects anchors (with their span.nonvisual text) and whether each sits in li.next of
    ul.pagination."""

    def __init__(self, layout: SiteLayout) -> None:
        super().__init__(convert_charrefs=True)
        self.layout = layout
        self.anchors: list[_Anchor] = []
        self._stack: list[tuple[str, set[str]]] = []
        self._anchor: _Anchor | None = None
        self._label_depth = 0
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "title":
            self._in_title = True
        if tag == "a":
            self._anchor = _Anchor(
                href=attributes.get("href") or "", classes=classes, in_next=self._inside_next()
            )
            self.anchors.append(self._anchor)
        elif tag == "span" and self._anchor and self.layout.publication_label_class in classes:
            self._label_depth = 1
        elif self._label_depth and tag == "span":
            self._label_depth += 1
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._stack.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "a":
            self._anchor = None
            self._label_depth = 0
        elif tag == "span" and self._label_depth:
            self._label_depth -= 1
        while self._stack:
            opened, _ = self._stack.pop()
            if opened == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        if self._anchor is not None:
            (self._anchor.label if self._label_depth else self._anchor.text).append(data)

    def _inside_next(self) -> bool:
        in_pagination = any(
            tag in ("ul", "ol", "nav", "div") and self.layout.pagination_class in classes
            for tag, classes in self._stack
        )
        in_next = any(
            tag == "li" and self.layout.next_class in classes for tag, classes in self._stack
        )
        return in_pagination and in_next


def _parse(html: str, layout: SiteLayout) -> _PageParser:
    parser = _PageParser(layout)
    parser.feed(html)
    parser.close()
    return parser


def _clean(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


def parse_search_page(
    html: str, page_url: str, layout: SiteLayout = SITE
) -> tuple[list[Provider], str | None]:
    """Providers listed on one search page, and the next page's URL (None on the last page)."""
    parser = _parse(html, layout)
    providers: dict[str, Provider] = {}
    next_url = None
    for anchor in parser.anchors:
        match = re.search(layout.provider_href, anchor.href)
        if match and match.group("urn") not in providers:
            providers[match.group("urn")] = Provider(
                urn=match.group("urn"), url=urljoin(page_url, anchor.href), name=_clean(anchor.text)
            )
        if anchor.in_next and anchor.href and next_url is None:
            next_url = urljoin(page_url, anchor.href)
    return list(providers.values()), next_url


def parse_provider_page(
    html: str, provider: Provider, page_url: str, layout: SiteLayout = SITE
) -> list[Publication]:
    """Publications of the types we know, as listed (newest first on the live site)."""
    parser = _parse(html, layout)
    found = []
    for anchor in parser.anchors:
        if layout.publication_class not in anchor.classes or not anchor.href:
            continue
        label = _clean(anchor.label) or _clean(anchor.text)
        kind = publication_kind(label, layout)
        if kind is None:
            continue
        found.append(
            Publication(
                urn=provider.urn,
                authority=provider.name,
                kind=kind,
                label=label,
                published=parse_date(label),
                url=urljoin(page_url, anchor.href),
            )
        )
    return found


def publication_kind(label: str, layout: SiteLayout = SITE) -> str | None:
    text = label.lower().replace("\u2019", "'")
    for kind, pattern in layout.publication_types:
        if re.search(pattern, text):
            return kind
    return None
