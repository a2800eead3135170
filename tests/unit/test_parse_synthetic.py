"""Parsing of small reports written by the tests in each framework's layout."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ofsted_atlas.errors import ImageOnlyPdf, NotAReport, Rejected, ReportNotFoundPage
from ofsted_atlas.extract import extract_document
from ofsted_atlas.parse import parse_document
from tests.synthetic import (
    FOCUSED_VISIT_LINES,
    NOT_FOUND_HTML,
    SIF_TEXT,
    ilacs_pdf,
    ilacs_text,
    pdf_bytes,
)


def parse_bytes(data: bytes, name: str = "report.pdf"):  # type: ignore[no-untyped-def]
    return parse_document(extract_document(data, name, "0" * 64))


def test_ilacs_pdf_fields() -> None:
    report = parse_bytes(ilacs_pdf())
    assert report.framework == "ilacs_standard"
    assert report.authority.printed == "Exampleshire"
    assert (report.inspection_start, report.inspection_end) == (
        date(2022, 10, 3),
        date(2022, 10, 14),
    )
    assert report.published is None  # ILACS reports print no publication date: never guessed
    assert report.lead_inspector == "Jane Example"
    assert {j.key: j.grade for j in report.judgements} == {
        "leadership": "good",
        "help_and_protection": "requires_improvement",
        "children_in_care": "good",
        "care_leavers": "outstanding",
        "overall_effectiveness": "good",
    }
    assert [r.text for r in report.recommendations] == [
        "The timeliness of initial child protection conferences.",
        "The quality of management oversight and supervision, so that plans progress without "
        "drift.",
    ]


def test_paragraphs_keep_numbers_pages_and_sections() -> None:
    report = parse_bytes(ilacs_pdf())
    numbered = {p.number: p for p in report.paragraphs if p.number}
    assert sorted(numbered) == [1, 2, 3, 4]
    assert numbered[1].text.startswith("Children and families benefit")
    assert numbered[1].text.endswith("are understood by partners.")  # wrapped line joined
    assert numbered[3].page == 3
    headings = {s.ordinal: s.heading for s in report.sections}
    assert headings[numbered[4].section].startswith("The impact of leaders")
    assert all("Inspection of Exampleshire" not in p.text for p in report.paragraphs[1:]), (
        "running headers must not leak into paragraphs"
    )


def test_short_inspection_is_one_week_of_fieldwork() -> None:
    report = parse_bytes(ilacs_text(dates="3 to 7 October 2022").encode(), "r.txt")
    assert report.framework == "ilacs_short"


def test_no_overall_grade_is_never_invented() -> None:
    """Reports inspected from late April 2026 print no overall effectiveness grade."""
    text = ilacs_text(with_overall=False, dates="4 to 15 May 2026")
    report = parse_bytes(text.encode(), "r.txt")
    keys = {j.key for j in report.judgements}
    assert "overall_effectiveness" not in keys
    assert keys == {"leadership", "help_and_protection", "children_in_care", "care_leavers"}


def test_sif_text_report() -> None:
    report = parse_bytes(SIF_TEXT.encode(), "sif.txt")
    assert report.framework == "sif"
    assert not report.reinspection
    assert report.authority.printed == "Exampleton City Council"
    assert (report.inspection_start, report.inspection_end) == (
        date(2013, 11, 19),
        date(2014, 1, 30),
    )
    assert report.published == date(2014, 2, 21)
    assert report.lead_inspector == "Sam Sample"
    assert {j.key: j.grade for j in report.judgements} == {
        "overall_effectiveness": "requires_improvement",
        "help_and_protection": "good",
        "children_in_care": "requires_improvement",
        "adoption": "requires_improvement",
        "care_leavers": "good",
        "leadership": "good",
        "lscb": "good",
    }
    assert [r.number for r in report.recommendations] == [4, 5, 6]
    assert "targeting the pupil premium" in report.recommendations[1].text
    stats = {s.key: (s.value, s.rate_per_10k) for s in report.statistics}
    assert stats == {
        "children_population": (114000, None),
        "children_in_need": (3860, None),
        "child_protection_plans": (437, 38.5),
        "children_looked_after": (535, 47),
    }


def test_reinspection_is_flagged() -> None:
    text = SIF_TEXT.replace(
        "Inspection of services for children", "Re-inspection of services for children"
    )
    assert parse_bytes(text.encode(), "sif.txt").reinspection


def test_not_found_page_is_rejected_with_reason() -> None:
    with pytest.raises(ReportNotFoundPage, match="not found"):
        parse_bytes(NOT_FOUND_HTML.encode(), "saved-as.pdf")


@pytest.mark.parametrize(
    "page",
    [
        NOT_FOUND_HTML,
        "<html><head><title>404</title></head><body><p>Nothing here.</p></body></html>",
        "<html><body><h1>Error 404 - page not found</h1><p>Try the search.</p></body></html>",
    ],
)
def test_not_found_pages_in_other_shapes_are_rejected(page: str) -> None:
    with pytest.raises(ReportNotFoundPage):
        parse_bytes(page.encode(), "saved.pdf")


def test_short_letter_mentioning_404_children_is_a_report() -> None:
    """Regression: any "404" in a short document used to mark it as a "report not found" page."""
    lines = [
        *FOCUSED_VISIT_LINES[:5],
        "There are 404 children in care. A page was not found in one child's file.",
        *FOCUSED_VISIT_LINES[5:],
    ]
    report = parse_bytes(pdf_bytes([lines]))
    assert report.publication_type == "focused_visit"
    assert report.authority.printed == "Exampleshire"


def test_other_documents_are_not_reports() -> None:
    with pytest.raises(NotAReport, match="no inspection framework"):
        parse_bytes(b"Minutes of the corporate parenting panel, 4 May 2022.\n" * 20, "m.txt")


def test_image_only_pdf_is_rejected() -> None:
    with pytest.raises(ImageOnlyPdf):
        parse_bytes(pdf_bytes([[], [], []]))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_raises_only_typed_errors(text: str) -> None:
    with contextlib.suppress(Rejected):
        parse_bytes(text.encode("utf-8", "surrogatepass"), "x.txt")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ilacs_text().splitlines()), max_size=60))
def test_shuffled_report_lines_raise_only_typed_errors(lines: list[str]) -> None:
    with contextlib.suppress(Rejected):
        parse_bytes("\n".join(lines).encode(), "x.txt")
