"""Property: the wording of a real report's judgement rows and list headings drifts (a word
dropped, doubled or swapped, a footnote digit, another case or punctuation), and the parser either
reads the same judgements and lists, or raises a self-check warning. Never a silent loss.

Real reports from ../shared (skipped without it), one per layout: ILACS before 2023 (four rows),
2023 on (care leavers row), from 27 April 2026 (no overall), and the single framework (numbered
rows, sentence forms, the local authority's and the LSCB's lists)."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_atlas.extract import Document, Page, extract_document
from ofsted_atlas.parse import Report, parse_document
from ofsted_atlas.parse.frameworks import FRAMEWORKS, JUDGEMENT_KEYS
from ofsted_atlas.parse.grades import GRADE_PATTERN
from ofsted_atlas.parse.judgements import key_of
from ofsted_atlas.parse.structure import normalise_heading
from tests.conftest import CORPUS, require_shared

pytestmark = pytest.mark.corpus

REPORTS = (
    "2532283_dorset/children's services inspection - 19 november 2021.pdf",
    "80474_herefordshire/children's services inspection - 12 january 2026.pdf",
    "80442_buckinghamshire/children's services inspection - 14 may 2025.pdf",
    "80489_brent/children's services inspection - 17 june 2026.pdf",
    "80480_lancashire/children's services inspection - 27 november 2015.pdf",
    "80426_barnsley/children's services inspection - 08 august 2014.pdf",
)
EXAMPLES = int(os.environ.get("OFSTED_ATLAS_MUTATION_EXAMPLES", "60"))
MUTATIONS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_ALL_KEYS = {key.key for key in JUDGEMENT_KEYS}
_GRADE_LINE = re.compile(rf"(?:\d[\d.]*\s+)?(?:{GRADE_PATTERN})\.?", re.I)
_LIST_HEADINGS = re.compile(
    "|".join(block.heading for spec in FRAMEWORKS for block in spec.recommendations), re.I
)
_TABLE_REACH = 40  # the judgement table is within the first lines of page 1


@cache
def document(name: str) -> Document:
    path = CORPUS / name
    return extract_document(path.read_bytes(), str(path), "0" * 64)


@cache
def parsed(name: str) -> Report:
    return parse_document(document(name))


def targets(doc: Document) -> list[tuple[int, int]]:
    """(page index, line index) of every judgement-row line and list heading of the report."""
    found = []
    for page_index, page in enumerate(doc.pages):
        for line_index, line in enumerate(page.text.split("\n")):
            text = " ".join(line.split())
            if not text:
                continue
            in_table = page_index == 0 and line_index < _TABLE_REACH
            row = in_table and (key_of(text, _ALL_KEYS) or _GRADE_LINE.fullmatch(text))
            if row or _LIST_HEADINGS.fullmatch(normalise_heading(text)):
                found.append((page_index, line_index))
    return found


def mutate(words: list[str], kind: str, at: int, digit: int) -> list[str]:
    at = at % len(words)
    if kind == "drop" and len(words) > 1:
        return words[:at] + words[at + 1 :]
    if kind == "double":
        return words[: at + 1] + words[at:]
    if kind == "swap" and len(words) > 1:
        at = min(at, len(words) - 2)
        return [*words[:at], words[at + 1], words[at], *words[at + 2 :]]
    if kind == "footnote":
        return [*words[:at], f"{words[at]}{digit}", *words[at + 1 :]]
    if kind == "upper":
        return [word.upper() for word in words]
    if kind == "lower":
        return [word.lower() for word in words]
    if kind == "punctuation":
        return [*words[:-1], words[-1].rstrip("?:.") + ("?", ":", ".", "")[digit % 4]]
    return words


def with_line(doc: Document, page_index: int, line_index: int, text: str) -> Document:
    lines = doc.pages[page_index].text.split("\n")
    lines[line_index] = text
    pages = list(doc.pages)
    pages[page_index] = Page(number=pages[page_index].number, text="\n".join(lines))
    return replace(doc, pages=tuple(pages))


def outcome(report: Report) -> tuple[dict[str, str], Counter[str]]:
    judgements = {j.key: j.grade for j in report.judgements}
    return judgements, Counter(r.scope for r in report.recommendations)


@pytest.mark.parametrize("name", REPORTS)
def test_reports_have_targets(name: str) -> None:
    require_shared()
    assert len(targets(document(name))) >= 5


@pytest.mark.parametrize("name", REPORTS)
@MUTATIONS
@given(
    pick=st.integers(min_value=0, max_value=10_000),
    kind=st.sampled_from(["drop", "double", "swap", "footnote", "upper", "lower", "punctuation"]),
    at=st.integers(min_value=0, max_value=30),
    digit=st.integers(min_value=1, max_value=9),
)
def test_drifted_wording_parses_the_same_or_is_flagged(
    name: str, pick: int, kind: str, at: int, digit: int
) -> None:
    require_shared()
    doc = document(name)
    page_index, line_index = targets(doc)[pick % len(targets(doc))]
    words = doc.pages[page_index].text.split("\n")[line_index].split()
    drifted = " ".join(mutate(words, kind, at, digit))
    base = parsed(name)
    report = parse_document(with_line(doc, page_index, line_index, drifted))
    new_checks = Counter(c.code for c in report.checks) - Counter(c.code for c in base.checks)
    assert outcome(report) == outcome(base) or new_checks, (
        f"silent change after {kind} on {' '.join(words)!r} -> {drifted!r}: "
        f"{outcome(base)} -> {outcome(report)}"
    )
