"""Regression tests on synthetic reports, one per parsing bug fixed for issue 13 (each named after
the bug), and the self-checks that flag what the parser could not read.

The same bugs are tested on the real reports in tests/corpus/test_parse_regressions.py."""

from __future__ import annotations

from datetime import date

import pytest

from ofsted_atlas.extract import extract_document
from ofsted_atlas.parse import Report, parse_document
from ofsted_atlas.parse.authorities import match_authority
from ofsted_atlas.parse.model import FrameworkTag
from ofsted_atlas.parse.tags import national_framework_tag
from tests.conftest import REFERENCE
from tests.synthetic import SIF_TEXT, pdf_bytes


def parse_pdf(pages: list[list[str]]) -> Report:
    return parse_document(extract_document(pdf_bytes(pages), "report.pdf", "0" * 64))


def parse_text(text: str) -> Report:
    return parse_document(extract_document(text.encode(), "report.txt", "0" * 64))


def ilacs_pages(
    *,
    dates: str = "3 to 14 March 2025",
    care_leavers_label: tuple[str, ...] = ("The experiences and progress of", "care leavers"),
    overall: str | None = "Overall effectiveness Good",
    heading: str = "What needs to improve?",
    items: tuple[str, ...] = (
        "\u2022 The timeliness of initial child protection conferences. (Outcome three,",
        "National Framework)",
        "\u2022 The quality of supervision. (Enabler 2: Leaders drive conditions for effective",
        "practice)",
    ),
    lead: str = "Lead inspector: Jane Example, His Majesty's Inspector",
) -> list[list[str]]:
    """A two-page ILACS report of 2025 and after, with the parts a test varies."""
    first = [
        "Inspection of Exampleshire local authority",
        "children's services",
        f"Inspection dates: {dates}",
        lead,
        "Judgement Grade",
        "The impact of leaders on social work",
        "practice with children and families",
        "Good",
        "The experiences and progress of",
        "children who need help and protection",
        "Requires improvement to be good",
        "The experiences and progress of",
        "children in care",
        "Good",
        *care_leavers_label,
        "Outstanding",
        *([overall] if overall else []),
        "Services for children in Exampleshire are good. Leaders know their services well.",
    ]
    second = [
        heading,
        *items,
        "The experiences and progress of children who need help and",
        "protection: requires improvement to be good",
        "1. Children and families benefit from a well-established early help offer.",
    ]
    return [first, second]


def codes(report: Report) -> list[str]:
    return [check.code for check in report.checks]


# --- Judgement tables read as label + grade ------------------------------------------------


def test_care_leavers_row_printed_children_care_leavers_is_read() -> None:
    report = parse_pdf(
        ilacs_pages(care_leavers_label=("The experiences and progress of", "children care leavers"))
    )
    assert report.judgement("care_leavers") == "outstanding"
    assert report.checks == ()


def test_judgement_row_that_cannot_be_read_raises_a_check() -> None:
    report = parse_pdf(ilacs_pages(care_leavers_label=("The experiences of", "those leaving")))
    assert report.judgement("care_leavers") is None
    assert "missing_judgement" in codes(report)
    assert any("care leavers" in check.message for check in report.checks)


def test_inspection_from_27_april_2026_has_no_overall_and_no_warning() -> None:
    report = parse_pdf(ilacs_pages(dates="27 April to 8 May 2026", overall=None))
    assert report.judgement("overall_effectiveness") is None
    assert report.checks == ()


def test_overall_read_after_27_april_2026_is_flagged() -> None:
    report = parse_pdf(ilacs_pages(dates="27 April to 8 May 2026"))
    assert "unexpected_judgement" in codes(report)


def test_ilacs_before_2023_has_no_separate_care_leavers_row() -> None:
    pages = ilacs_pages(
        dates="3 to 14 October 2022",
        care_leavers_label=("The experiences and progress of", "children in care and care leavers"),
    )
    del pages[0][11:14]  # only the combined children-in-care-and-care-leavers row
    report = parse_pdf(pages)
    assert report.judgement("children_in_care") == "outstanding"
    assert report.judgement("care_leavers") is None
    assert report.checks == ()


def test_sif_overall_printed_as_the_overall_judgement_is_that_sentence() -> None:
    text = SIF_TEXT.replace(
        "Children's services in Exampleton require improvement",
        "The overall judgement is that children's services are\ninadequate.",
    )
    assert parse_text(text).judgement("overall_effectiveness") == "inadequate"


def test_table_row_printed_not_judged_is_not_a_missing_judgement() -> None:
    text = SIF_TEXT.replace(
        "2.1 Adoption performance Requires improvement", "2.1 Adoption performance Not judged"
    )
    report = parse_text(text)
    assert report.judgement("adoption") is None
    assert report.not_judged == ("adoption",)
    assert "missing_judgement" not in codes(report)


# --- Headings and lists ----------------------------------------------------------------------


def test_what_needs_to_improve_heading_with_footnote_marker_keeps_its_list() -> None:
    report = parse_pdf(ilacs_pages(heading="What needs to improve?1"))
    assert len(report.recommendations) == 2


def test_recommendations_heading_with_no_items_is_flagged() -> None:
    report = parse_pdf(ilacs_pages(items=("Leaders know their services well and act on it.",)))
    assert report.recommendations == ()
    assert "empty_list" in codes(report)


def test_national_framework_tag_is_stored_and_stripped() -> None:
    report = parse_pdf(ilacs_pages())
    first, second = report.recommendations
    assert first.text == "The timeliness of initial child protection conferences."
    assert first.national_framework == FrameworkTag("outcome", 3)
    assert second.text == "The quality of supervision."
    assert second.national_framework == FrameworkTag("enabler", 2)


@pytest.mark.parametrize(
    ("printed", "kind", "number", "left"),
    [
        ("Consistency. (Outcome one, National Framework)", "outcome", 1, "Consistency."),
        ("Consistency. (outcome 3: national framework)", "outcome", 3, "Consistency."),
        ("Consistency (National Framework outcome three).", "outcome", 3, "Consistency."),
        ("Consistency. Enabler three: National Framework.", "enabler", 3, "Consistency."),
        ("Consistency (Enabler 1).", "enabler", 1, "Consistency."),
        ("Consistency (National Framework, Outcome 1)", "outcome", 1, "Consistency"),
        (
            "Oversight (enabler: the workforce is equipped and effective, national framework)",
            "enabler",
            3,
            "Oversight",
        ),
        ("Life-story work. (Principle 2, national framework)", "principle", 2, "Life-story work."),
    ],
)
def test_national_framework_tag_forms(printed: str, kind: str, number: int, left: str) -> None:
    assert national_framework_tag(printed) == (left, FrameworkTag(kind, number))


@pytest.mark.parametrize(
    "text",
    [
        "Improve outcome measures for children.",
        "Review the enabler programme and its outcome.",
        "Ensure plans record the outcome (for example, reunification).",
    ],
)
def test_words_outcome_and_enabler_in_an_item_are_not_a_tag(text: str) -> None:
    assert national_framework_tag(text) == (text, None)


SIF_PRIORITY = """1
Exampleton City Council
Inspection of services for children in need of help and
protection, children looked after and care leavers
Inspection dates: 19 November-11 December 2013
Report published: 21 February 2014
Children's services in Exampleton are inadequate
1. Children who need help and protection Inadequate
2. Children looked after and achieving permanence Inadequate
2.1 Adoption performance Inadequate
2.2 Experiences and progress of care leavers Inadequate
3. Leadership, management and governance Inadequate
\f2
Section 1: The local authority
Priority and immediate action
Leadership, management and governance
1. Ensure that the local authority has a credible plan to address its failings.
2. Ensure that the children's workforce is sufficient and stable.
Areas for improvement
The experiences and progress of children who need help and protection
3. Ensure that strategy discussions include statutory partners.
4.Ensure that return home interviews are offered to every child who goes missing.
Summary of key findings
5. Senior leaders have not understood the scale of the weaknesses in practice.
\f3
The inspection team
Lead inspector: Sam Sample HMI
"""


def test_priority_actions_with_a_judgement_area_subheading_are_read() -> None:
    report = parse_text(SIF_PRIORITY)
    assert [(r.number, r.timescale) for r in report.recommendations][:2] == [
        (1, "immediately"),
        (2, "immediately"),
    ]


def test_timescale_of_priority_actions_is_not_carried_to_areas_for_improvement() -> None:
    report = parse_text(SIF_PRIORITY)
    assert [r.timescale for r in report.recommendations if r.number >= 3] == [None, None]


def test_items_numbered_without_a_space_are_read() -> None:
    report = parse_text(SIF_PRIORITY)
    assert [r.number for r in report.recommendations] == [1, 2, 3, 4]
    assert report.recommendations[-1].text.startswith("Ensure that return home")


SIF_LSCB = SIF_TEXT.replace(
    "\f3\nThe inspection team",
    """\f3
Section 2: The effectiveness of the Local Safeguarding Children Board
The Local Safeguarding Children Board is good
Areas for improvement
7. Ensure that the board evaluates the impact of its training.
8. Ensure that partners attend the board's meetings.
Key strengths and weaknesses of the LSCB
9. The board is well led by an experienced independent chair.
10. Partners hold each other to account.
\f4
The inspection team""",
)


def test_lscb_list_ends_where_its_numbered_findings_start() -> None:
    report = parse_text(SIF_LSCB)
    assert [r.number for r in report.recommendations if r.scope == "lscb"] == [7, 8]
    assert [r.number for r in report.recommendations if r.scope == "local_authority"] == [4, 5, 6]


def test_lscb_part_found_by_its_heading_without_lscb_in_brackets() -> None:
    text = SIF_LSCB.replace(
        "Section 2: The effectiveness of the Local Safeguarding Children Board",
        "The Local Safeguarding Children Board",
    ).replace("The Local Safeguarding Children Board is good\nAreas", "Recommendations\nAreas")
    report = parse_text(text)
    assert [r.number for r in report.recommendations if r.scope == "lscb"] == [7, 8]


def test_list_with_implausibly_many_items_is_flagged() -> None:
    many = "\n".join(f"{n}. Ensure that item {n} is done well." for n in range(7, 40))
    text = SIF_LSCB.replace(
        "7. Ensure that the board evaluates the impact of its training.\n"
        "8. Ensure that partners attend the board's meetings.",
        many,
    )
    report = parse_text(text)
    assert "list_length" in codes(report)


# --- Fields -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "label", ["Lead inspector on site: Jane Example", "Report author: Jane Example"]
)
def test_lead_inspector_label_variants(label: str) -> None:
    report = parse_pdf(ilacs_pages(lead=label))
    assert report.lead_inspector == "Jane Example"


def test_missing_lead_inspector_is_flagged() -> None:
    report = parse_pdf(ilacs_pages(lead="Judgements are set out below."))
    assert report.lead_inspector is None
    assert "no_lead_inspector" in codes(report)


def test_title_ends_at_its_line() -> None:
    assert parse_text(SIF_TEXT).title == (
        "Inspection of services for children in need of help and protection, children looked "
        "after and care leavers and Review of the effectiveness of the Local Safeguarding "
        "Children Board"
    )
    assert parse_pdf(ilacs_pages()).title == (
        "Inspection of Exampleshire local authority children's services"
    )


def test_reinspection_without_a_hyphen_names_the_authority() -> None:
    text = SIF_TEXT.replace("Inspection of services", "Reinspection of services")
    assert parse_text(text).authority.printed == "Exampleton City Council"


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("Doncaster Children's Services Trust", "Doncaster"),
        ("Sunderland Children and Families Trust", "Sunderland"),
        ("Kingston upon Hull Safeguarding Children Board", "Kingston Upon Hull, City of"),
    ],
)
def test_authority_from_a_trust_or_board(printed: str, name: str) -> None:
    lookup = REFERENCE / "la_lookup.csv"
    if not lookup.exists():
        pytest.skip(f"no authority lookup at {lookup}")
    assert match_authority(printed, lookup).name == name


def test_authority_falls_back_to_the_one_lookup_name_page_one_prints() -> None:
    lookup = REFERENCE / "la_lookup.csv"
    if not lookup.exists():
        pytest.skip(f"no authority lookup at {lookup}")
    found = match_authority("Children First", lookup, "Children First, serving North Yorkshire")
    assert found.name == "North Yorkshire"
    assert match_authority("Nowhere", lookup, "Slough and North Yorkshire").urn is None


def test_statistics_in_the_phrasings_councils_use() -> None:
    text = SIF_TEXT.replace("Approximately 114,000 children", "114,0002 children").replace(
        "At 31 March 2013, 535 children were being looked after by the local\nauthority",
        "At 31 May 14, the LA is looking after 535 children",
    )
    stats = {s.key: (s.value, s.rate_per_10k) for s in parse_text(text).statistics}
    assert stats["children_population"] == (114000, None)
    assert stats["children_looked_after"] == (535, 47)


def test_clean_report_has_no_checks_and_dates() -> None:
    report = parse_pdf(ilacs_pages())
    assert report.inspection_start == date(2025, 3, 3)
    assert report.checks == ()
