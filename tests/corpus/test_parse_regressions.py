"""Every parsing bug fixed for issue 13, on the real report that showed it (each test named after
its bug); skipped, with the reason, without ../shared. The same shapes are tested on synthetic
reports in tests/unit/test_parse_tolerant.py.

The tests assert facts read from the PDFs (grades, counts, numbers, tags), never report text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ofsted_atlas.extract import extract_document
from ofsted_atlas.parse import Report, parse_document
from ofsted_atlas.parse.model import FrameworkTag
from tests.conftest import CORPUS, REFERENCE, require_shared

pytestmark = pytest.mark.corpus


@cache
def _parsed(name: str) -> Report:
    path = CORPUS / name
    return parse_document(
        extract_document(path.read_bytes(), str(path), "0" * 64), REFERENCE / "la_lookup.csv"
    )


def report(name: str) -> Report:
    require_shared()
    return _parsed(name)


def counts(parsed: Report) -> tuple[int, int]:
    """How many recommendations the local authority's and the LSCB's lists hold."""
    scopes = [r.scope for r in parsed.recommendations]
    return scopes.count("local_authority"), scopes.count("lscb")


def inspection(folder: str, date: str) -> str:
    return f"{folder}/children's services inspection - {date}.pdf"


@pytest.mark.parametrize(
    ("name", "grade"),
    [
        (inspection("80474_herefordshire", "12 january 2026"), "good"),
        (inspection("80513_richmond upon thames", "12 august 2025"), "outstanding"),
        (inspection("80583_wolverhampton", "18 june 2026"), "outstanding"),
    ],
)
def test_care_leavers_row_printed_children_care_leavers(name: str, grade: str) -> None:
    parsed = report(name)
    assert parsed.judgement("care_leavers") == grade
    assert parsed.checks == ()


@pytest.mark.parametrize(
    ("name", "items"),
    [
        (inspection("80431_blackpool", "28 july 2026"), 1),
        (inspection("80451_wakefield", "18 july 2025"), 3),
        (inspection("80489_brent", "17 june 2026"), 4),
        (inspection("80552_shropshire", "12 august 2025"), 2),
    ],
)
def test_what_needs_to_improve_heading_with_footnote_marker(name: str, items: int) -> None:
    assert counts(report(name)) == (items, 0)


def test_inspection_from_27_april_2026_prints_no_overall_grade() -> None:
    parsed = report(inspection("80489_brent", "17 june 2026"))
    assert parsed.judgement("overall_effectiveness") is None
    assert parsed.checks == ()


def test_priority_action_with_judgement_area_subheading() -> None:
    parsed = report(inspection("80538_plymouth", "06 january 2015"))
    assert counts(parsed) == (17, 6)
    assert [r.timescale for r in parsed.recommendations[:4]] == ["immediately"] * 4


def test_items_numbered_without_a_space() -> None:
    assert counts(report(inspection("80566_sunderland", "25 july 2018"))) == (15, 0)
    assert counts(report(inspection("80431_blackpool", "08 september 2014"))) == (19, 8)


@pytest.mark.parametrize(
    ("name", "la", "lscb"),
    [
        (inspection("80426_barnsley", "08 august 2014"), 25, 7),
        (inspection("80419_isle of wight", "19 november 2014"), 21, 12),
        (inspection("80560_st helens", "20 january 2015"), 27, 12),
        (inspection("80536_oxfordshire", "30 june 2014"), 10, 5),
    ],
)
def test_lscb_list_ran_on_into_its_numbered_findings(name: str, la: int, lscb: int) -> None:
    parsed = report(name)
    assert counts(parsed) == (la, lscb)
    assert parsed.checks == ()


@pytest.mark.parametrize(
    ("name", "la", "lscb"),
    [
        (inspection("80458_darlington", "01 september 2015"), 18, 6),
        (inspection("80535_oldham", "03 august 2015"), 15, 7),
        (inspection("80508_lewisham", "20 january 2016"), 9, 4),
    ],
)
def test_lscb_part_heading_without_lscb_in_brackets(name: str, la: int, lscb: int) -> None:
    assert counts(report(name)) == (la, lscb)


def test_separate_lscb_report_with_subheadings() -> None:
    name = "80477_kingston upon hull/single inspection of la children's services as pdf"
    assert counts(report(f"{name} - 10 february 2015.pdf")) == (20, 7)


def test_list_heading_extracted_after_the_findings() -> None:
    assert counts(report(inspection("80512_redbridge", "25 november 2016"))) == (9, 3)


@pytest.mark.parametrize(
    ("name", "items"),
    [
        (inspection("80508_lewisham", "31 january 2024"), 4),
        (inspection("80474_herefordshire", "23 july 2018"), 7),
        (inspection("80469_gateshead", "29 january 2025"), 3),
    ],
)
def test_what_needs_to_improve_ran_on_into_the_findings(name: str, items: int) -> None:
    parsed = report(name)
    assert counts(parsed) == (items, 0)
    assert max(len(r.text) for r in parsed.recommendations) < 400
    assert parsed.checks == ()


def test_table_row_printed_not_judged() -> None:
    parsed = report(inspection("80455_isles of scilly", "27 june 2016"))
    assert set(parsed.not_judged) == {"children_in_care", "adoption", "care_leavers"}
    assert parsed.checks == ()


def test_national_framework_tags() -> None:
    parsed = report(inspection("80442_buckinghamshire", "14 may 2025"))
    assert [r.national_framework for r in parsed.recommendations][:3] == [
        FrameworkTag("enabler", 2),
        FrameworkTag("outcome", 3),
        FrameworkTag("outcome", 2),
    ]
    assert not any("national framework" in r.text.lower() for r in parsed.recommendations)
    named = report(inspection("80477_kingston upon hull", "18 may 2026"))
    assert named.recommendations[0].national_framework == FrameworkTag("enabler", 3)


def test_single_framework_title_ends_at_its_line() -> None:
    title = report(inspection("80495_greenwich", "05 august 2016")).title
    assert title.startswith("Inspection of services for children in need of help")
    assert title.endswith("Local Safeguarding Children Board")


def test_statistics_in_councils_phrasings() -> None:
    stats = {
        s.key: (s.value, s.rate_per_10k)
        for s in report(inspection("80426_barnsley", "08 august 2014")).statistics
    }
    assert stats["children_looked_after"] == (227, 46.2)
    assert len(stats) == 4
    lewisham = report(inspection("80508_lewisham", "20 january 2016")).statistics
    assert {s.key: s.value for s in lewisham}["children_looked_after"] == 476


def test_number_with_a_footnote_marker_is_not_read_whole() -> None:
    stats = report(inspection("80486_barking and dagenham", "07 july 2014")).statistics
    assert {s.key: s.value for s in stats}["children_population"] == 56200


def test_lead_inspector_missing_from_the_pdf_is_flagged() -> None:
    parsed = report(inspection("80461_devon", "13 may 2025"))
    assert parsed.lead_inspector is None
    assert [check.code for check in parsed.checks] == ["no_lead_inspector"]


def test_every_corpus_report_passes_its_checks_or_the_warning_is_true() -> None:
    """The two remaining warnings are true: neither PDF names a lead inspector."""
    require_shared()
    warned = {}
    for path in sorted(CORPUS.rglob("*.pdf")):
        name = str(path.relative_to(CORPUS))
        try:
            parsed = _parsed(name)
        except Exception:  # rejected ("report not found" pages)
            continue
        if parsed.checks:
            warned[name] = [check.code for check in parsed.checks]
    assert warned == {
        inspection("80461_devon", "13 may 2025"): ["no_lead_inspector"],
        inspection("80576_warwickshire", "14 october 2025"): ["no_lead_inspector"],
    }


def test_corpus_reference_is_where_the_tests_expect() -> None:
    require_shared()
    assert Path(REFERENCE / "la_lookup.csv").exists()
