"""Stage 3: Document -> Report.

Where each field comes from:
- framework, title ........ `frameworks.FRAMEWORKS[*].identify` (opening pages)
- authority ............... `fields.find_authority` + `authorities.match_authority`
- dates, lead inspector ... `fields` (patterns in `frameworks`: DATES_*, LEAD_INSPECTOR_*)
- judgements .............. `judgements.find_judgements` over `FrameworkSpec.judgements`
- recommendations ......... `recommendations.find_recommendations`
                            over `FrameworkSpec.recommendations`
- sections, paragraphs .... `structure.build_structure` over `FrameworkSpec.section_headings`
- statistics .............. `statistics.find_statistics` over `frameworks.STATISTICS`
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from ofsted_atlas.errors import NotAReport, ReportNotFoundPage
from ofsted_atlas.extract import Document

from . import frameworks as fw
from .authorities import match_authority
from .dates import fieldwork_days
from .fields import (
    find_authority,
    find_inspection_dates,
    find_lead_inspector,
    find_published,
    find_title,
)
from .frameworks import FRAMEWORKS, FrameworkSpec
from .judgements import PageLocator, find_judgements
from .layout import clean_lines, page_lines
from .model import Report, Section
from .recommendations import find_recommendations
from .statistics import find_statistics
from .structure import HeadingMatcher, build_structure, find_headings

__all__ = ["PARSER_VERSION", "Report", "identify_framework", "parse_document"]

# Bump when parsing changes what it extracts: stored reports of an older version are re-parsed.
PARSER_VERSION = 2
_OPENING_PAGES = 3
_IDENTITY_PAGES = 2


def parse_document(document: Document, lookup_path: Path | None = None) -> Report:
    """Parse one document; raises `NotAReport` (or a subclass) for anything else."""
    pages = page_lines(document)
    # A page flattened whole is its flattened lines joined: no second pass over the text.
    flat_pages = [
        (page.number, " ".join(lines)) for page, lines in zip(document.pages, pages, strict=True)
    ]
    whole = " ".join(text for _, text in flat_pages)
    identity = " ".join(text for _, text in flat_pages[:_IDENTITY_PAGES])
    _reject_if_not_found_page(document, whole, pages[0] if pages else [])
    spec = identify_framework(identity)
    if spec is None:
        raise NotAReport(
            f"{document.source}: no inspection framework's title found on the first pages "
            "(not an Ofsted inspection of local authority children's services)"
        )
    opening = " ".join(text for _, text in flat_pages[:_OPENING_PAGES])
    spans = find_inspection_dates(opening, spec.dates_label)
    start = spans[0][0] if spans else None
    end = spans[-1][1] if spans else None
    printed_authority = find_authority(opening, spec.authority)
    page_of = PageLocator(flat_pages)
    findings = _after_last(whole, spec.findings_anchor)
    lines = clean_lines(document, pages)
    heading_at = find_headings(lines, HeadingMatcher.of(spec.all_headings))
    sections, paragraphs = build_structure(lines, heading_at)
    sections = _with_areas(sections, spec)
    report = Report(
        source=document.source,
        sha256=document.sha256,
        kind=document.kind,
        page_count=document.page_count,
        framework=_framework_id(spec, spans),
        publication_type=spec.publication,
        reinspection=bool(spec.reinspection and re.search(spec.reinspection, opening, re.I)),
        title=find_title(identity, spec.identify),
        authority=match_authority(printed_authority, lookup_path),
        inspection_start=start,
        inspection_end=end,
        published=find_published(opening),
        lead_inspector=find_lead_inspector([opening, whole]),
        judgements=find_judgements(spec, opening, findings, whole, page_of),
        recommendations=find_recommendations(lines, spec, heading_at),
        sections=sections,
        paragraphs=paragraphs,
        statistics=find_statistics(whole, page_of) if spec.statistics else (),
    )
    return _with_warnings(report, lookup_path)


def _with_areas(sections: tuple[Section, ...], spec: FrameworkSpec) -> tuple[Section, ...]:
    """Tag each section with the judgement area its heading names (for per-area profiles)."""
    rows = [(row.key, re.compile("|".join(row.labels), re.I)) for row in spec.judgements]
    tagged = []
    for section in sections:
        area = next((key for key, label in rows if label.match(section.heading)), None)
        tagged.append(replace(section, area=area) if area else section)
    return tuple(tagged)


def identify_framework(identity_text: str) -> FrameworkSpec | None:
    for spec in FRAMEWORKS:
        if any(re.search(pattern, identity_text, re.I) for pattern in spec.identify):
            return spec
    return None


def _framework_id(spec: FrameworkSpec, spans: list[tuple[date, date]]) -> str:
    if not spec.variants_by_fieldwork_days:
        return spec.id
    if not spans:
        return spec.variants_by_fieldwork_days[-1][2]
    days = fieldwork_days(spans)
    for low, high, variant in spec.variants_by_fieldwork_days:
        if low <= days <= high:
            return variant
    return spec.variants_by_fieldwork_days[-1][2]


def _after_last(text: str, anchor: str | None) -> str | None:
    """Text after the last occurrence of the anchor (the first is usually the contents page)."""
    if anchor is None:
        return None
    matches = list(re.finditer(anchor, text, re.I))
    return text[matches[-1].end() :] if matches else None


def _reject_if_not_found_page(document: Document, whole: str, first_page: list[str]) -> None:
    """The page's own structure: its title, or a heading line of its own, says "not found"."""
    if len(whole) >= 20_000:
        return
    title = document.meta.get("html_title", "")
    heading = (
        re.fullmatch(fw.NOT_FOUND_HEADING, line.strip(), re.I)
        for line in first_page[:60]
        if len(line.strip()) <= 120
    )
    if re.search(fw.NOT_FOUND_PAGE, title, re.I) or any(heading):
        raise ReportNotFoundPage(
            f"{document.source}: a web page saying the report was not found, not a report"
        )


def _with_warnings(report: Report, lookup_path: Path | None) -> Report:
    warnings: list[str] = []
    if not report.judgements and report.publication_type == "inspection":
        warnings.append("no graded judgements found")
    if report.inspection_start is None:
        warnings.append("no inspection dates found")
    if report.lead_inspector is None:
        warnings.append("no lead inspector found")
    if report.authority.urn is None and lookup_path is not None:
        warnings.append(f"authority {report.authority.printed!r} not found in the lookup")
    if not warnings:
        return report
    return replace(report, warnings=tuple(warnings))
