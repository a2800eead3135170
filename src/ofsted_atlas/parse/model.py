"""The structured `Report`: what parsing produces and the store saves (plain, picklable data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Judgement:
    key: str  # canonical key from CODEBOOK.md, or snake_case of the printed area
    grade: str  # outstanding | good | requires_improvement | adequate | inadequate
    label: str  # the area as printed
    page: int | None


@dataclass(frozen=True)
class FrameworkTag:
    """The National Framework tag a 2025+ item ends with ("(Outcome one, National Framework)")."""

    kind: str  # "outcome" | "enabler" | "principle"
    number: int


@dataclass(frozen=True)
class Recommendation:
    number: int  # as printed where numbered, else the item's position in its list
    text: str
    timescale: str | None  # e.g. "immediately", "within three months"
    scope: str  # "local_authority" | "lscb"
    page: int | None
    national_framework: FrameworkTag | None = None


@dataclass(frozen=True)
class Check:
    """A self-check the parsed report failed: something its framework implies is missing or odd."""

    code: str  # e.g. "missing_judgement", "empty_list", "long_item"
    message: str  # in words a reader understands
    page: int | None = None


@dataclass(frozen=True)
class Section:
    ordinal: int
    heading: str
    page: int
    area: str | None = None  # the judgement area (canonical key) the section reports on


@dataclass(frozen=True)
class Paragraph:
    ordinal: int
    section: int  # Section.ordinal
    number: int | None  # the printed paragraph number, when numbered
    page: int
    text: str


@dataclass(frozen=True)
class Statistic:
    key: str
    value: float
    rate_per_10k: float | None
    as_of: str | None  # e.g. "31 March 2013", as printed
    page: int | None


@dataclass(frozen=True)
class Authority:
    """The printed authority matched to the reference lookup (all None when unmatched)."""

    printed: str
    name: str | None = None
    urn: str | None = None
    la_code: str | None = None
    ons_code: str | None = None
    region: str | None = None
    la_type: str | None = None


@dataclass(frozen=True)
class Report:
    source: str
    sha256: str
    kind: str
    page_count: int
    framework: str
    publication_type: str  # "inspection" | "focused_visit" | "monitoring_visit"
    reinspection: bool
    title: str
    authority: Authority
    inspection_start: date | None
    inspection_end: date | None
    published: date | None
    lead_inspector: str | None
    judgements: tuple[Judgement, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    sections: tuple[Section, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    statistics: tuple[Statistic, ...] = ()
    checks: tuple[Check, ...] = field(default=())
    not_judged: tuple[str, ...] = ()  # judgement rows printed "Not judged"

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(check.message for check in self.checks)

    def judgement(self, key: str) -> str | None:
        return next((j.grade for j in self.judgements if j.key == key), None)
