"""Property-based fuzzing of the parser, the sentence segmenter, the date reader, the theme model
and PDF reading of mutated real reports: arbitrary input raises nothing but the typed rejections.

The normal test run uses a small budget; `make fuzz` sets OFSTED_ATLAS_FUZZ_EXAMPLES=30000
(over 100,000 examples in all) and prints hypothesis's statistics.
"""

from __future__ import annotations

import contextlib
import os
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ofsted_atlas.coding import load_model
from ofsted_atlas.coding.segment import split_sentences
from ofsted_atlas.errors import Rejected
from ofsted_atlas.extract import extract_document
from ofsted_atlas.parse import parse_document
from ofsted_atlas.parse.dates import parse_date_range, parse_date_spans
from tests.conftest import CORPUS
from tests.synthetic import SIF_TEXT, ilacs_pdf, ilacs_text

EXAMPLES = int(os.environ.get("OFSTED_ATLAS_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SMALL = settings(
    max_examples=max(20, EXAMPLES // 15),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
REPORT_TEXT = ilacs_text() + "\f" + SIF_TEXT
REAL_PDF = CORPUS / "80426_barnsley/children's services inspection - 19 november 2018.pdf"


def _parse(data: bytes, name: str) -> None:
    with contextlib.suppress(Rejected):
        parse_document(extract_document(data, name, "0" * 64))


@FUZZ
@given(st.text(max_size=3000))
def test_parser_on_arbitrary_text(text: str) -> None:
    _parse(text.encode("utf-8", "surrogatepass"), "fuzz.txt")


@st.composite
def mutated_report(draw: st.DrawFn) -> str:
    """The synthetic reports with random deletions, insertions and swaps of whole lines/chars."""
    lines = REPORT_TEXT.splitlines()
    for _ in range(draw(st.integers(0, 12))):
        action = draw(st.sampled_from(["drop", "dup", "char", "insert"]))
        index = draw(st.integers(0, max(0, len(lines) - 1)))
        if not lines:
            break
        if action == "drop":
            lines.pop(index)
        elif action == "dup":
            lines.insert(index, lines[draw(st.integers(0, len(lines) - 1))])
        elif action == "char":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.text(max_size=3)) + line[at + 1 :]
        else:
            lines.insert(index, draw(st.text(max_size=80)))
    return "\n".join(lines)


@FUZZ
@given(mutated_report())
def test_parser_on_mutated_reports(text: str) -> None:
    _parse(text.encode("utf-8", "surrogatepass"), "mutated.txt")


@FUZZ
@given(st.text(max_size=2000))
def test_segmenter_spans_are_always_valid(text: str) -> None:
    for sentence in split_sentences(text):
        assert 0 <= sentence.start <= sentence.end <= len(text)
        assert text[sentence.start : sentence.end].strip() == sentence.text


@FUZZ
@given(st.text(max_size=200))
def test_dates_never_raise(text: str) -> None:
    start, end = parse_date_range(text)
    assert (start is None) == (end is None)
    for first, last in parse_date_spans(text):
        assert first and last


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    return load_model()


@SMALL
@given(st.lists(st.text(max_size=400), min_size=1, max_size=8))
def test_model_codes_any_text(texts: list[str]) -> None:
    coded = _model().code(texts)
    assert len(coded) == len(texts)
    assert all(0 <= c.confidence <= 1 for sentence in coded for c in sentence)


@lru_cache(maxsize=2)
def _real_pdf() -> bytes:
    return REAL_PDF.read_bytes() if REAL_PDF.exists() else ilacs_pdf()


@SMALL
@given(st.data())
def test_mutated_pdfs_never_crash(data: st.DataObject) -> None:
    pdf = bytearray(_real_pdf())
    cut = data.draw(st.integers(0, len(pdf)))
    flips = data.draw(st.lists(st.integers(0, len(pdf) - 1), max_size=50))
    for position in flips:
        pdf[position] ^= data.draw(st.integers(1, 255))
    _parse(bytes(pdf[:cut] if data.draw(st.booleans()) else pdf), "mutated.pdf")
