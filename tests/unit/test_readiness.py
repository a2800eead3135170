"""Readiness on synthetic material: reading council documents, the tracker's statuses, the JSON
contract, the Excel round trip, the next-inspection window, and the command."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document as new_word
from docx.enum.text import WD_BREAK
from openpyxl import load_workbook
from typer.testing import CliRunner

import ofsted_atlas
from ofsted_atlas.analysis.council_documents import read_council_document, sniff_document
from ofsted_atlas.analysis.next_inspection import InspectionPoint, _intervals, window_for
from ofsted_atlas.analysis.readiness import apply_tracker_edits, readiness
from ofsted_atlas.cli import app
from ofsted_atlas.coding import code_reports
from ofsted_atlas.errors import EmptyFile, FileTooLarge, UnsupportedFileType
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.publish.briefings.readiness import to_json
from ofsted_atlas.publish.readiness_tracker import TrackerError, read_tracker, write_tracker
from ofsted_atlas.readiness_run import render
from ofsted_atlas.store import connect
from tests.synthetic import SIF_TEXT, pdf_bytes

SELF_EVALUATION = """Our self-evaluation

Strategy discussions now always include the police and health partners. We introduced a
weekly check in January and 96% of strategy discussions in March included all statutory partners.

Pathway plans for care leavers are not yet as clear as we would like.

Our workforce is stable and committed.
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readiness")
    (folder / "sif.txt").write_text(SIF_TEXT, encoding="utf-8")
    path = folder / "atlas.sqlite"
    ofsted_atlas.ingest([folder], path, IngestOptions(workers=1))
    code_reports(connect(path), workers=1)
    return path


def word_file(paragraphs: list[str], break_after: int | None = None) -> bytes:
    document = new_word()
    for index, text in enumerate(paragraphs):
        paragraph = document.add_paragraph(text)
        if index == break_after:
            paragraph.add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_documents_are_read_with_their_pages() -> None:
    data = word_file(
        ["Strategy discussions now include the police.", "Care leavers have pathway plans."],
        break_after=0,
    )
    document = read_council_document(data, "plan.docx")
    assert document.kind == "docx"
    assert [(p.page, p.text) for p in document.passages] == [
        (1, "Strategy discussions now include the police."),
        (2, "Care leavers have pathway plans."),
    ]


def test_types_are_sniffed_from_content_not_names() -> None:
    assert sniff_document(word_file(["One two three."]), "plan.pdf") == "docx"
    assert sniff_document(pdf_bytes([["Some text here"]]), "plan.docx") == "pdf"
    assert sniff_document(b"# Plan\n\nWe will do things.", "plan.md") == "markdown"
    with pytest.raises(UnsupportedFileType):
        read_council_document(b"<!DOCTYPE html><html><body>x</body></html>", "plan.txt")
    with pytest.raises(UnsupportedFileType):
        read_council_document(b"PK\x03\x04 not really a zip", "plan.docx")
    with pytest.raises(UnsupportedFileType):
        read_council_document(bytes(range(256)) * 4, "plan.txt")
    damaged = word_file(["One two three."]).replace(b"word/document.xml", b"word/document.xmm")
    with pytest.raises(UnsupportedFileType):
        read_council_document(damaged, "plan.docx")
    with pytest.raises(EmptyFile):
        read_council_document(b"  \n", "plan.txt")
    with pytest.raises(FileTooLarge):
        read_council_document(b"word " * 1000, "plan.txt", max_bytes=100)


def test_statuses_follow_what_the_documents_say(db: Path) -> None:
    conn = connect(db, read_only=True)
    document = read_council_document(SELF_EVALUATION.encode(), "self-evaluation.txt")
    result = readiness(conn, "Exampleton City Council", [document])
    status = {item.text[:30]: item.status for item in result.recommendations}
    assert status["Ensure that strategy discussio"] == "addressed"
    assert status["Ensure that care leavers have "] == "mentioned"
    assert status["Improve the educational achiev"] == "not_mentioned"
    addressed = next(i for i in result.recommendations if i.status == "addressed")
    assert "police" in addressed.evidence[0].text


def test_without_documents_nothing_is_mentioned(db: Path) -> None:
    result = readiness(connect(db, read_only=True), "Exampleton City Council", [])
    assert {item.status for item in result.recommendations} == {"not_mentioned"}


def test_json_contract_has_exactly_the_issue_keys(db: Path) -> None:
    document = read_council_document(SELF_EVALUATION.encode(), "self-evaluation.txt")
    out = to_json(readiness(connect(db, read_only=True), "Exampleton City Council", [document]))
    assert set(out) == {"authority", "inspection", "recommendations", "themes", "next_inspection"}
    assert set(out["inspection"]) == {"report_id", "inspection_end", "framework"}
    assert set(out["next_inspection"]) == {"earliest", "likely", "latest", "basis"}
    for item in out["recommendations"]:
        assert set(item) == {"number", "text", "status", "recurring", "evidence"}
        assert item["status"] in {"addressed", "mentioned", "not_mentioned"}
        for evidence in item["evidence"]:
            assert set(evidence) == {"document", "page", "text"}
    assert [r["number"] for r in out["recommendations"]] == [4, 5, 6]
    json.dumps(out)


def test_tracker_round_trips_through_excel(db: Path) -> None:
    conn = connect(db, read_only=True)
    result = readiness(conn, "Exampleton City Council", [])
    book = load_workbook(io.BytesIO(write_tracker(result)))
    sheet = book["Tracker"]
    sheet["C5"] = "Addressed"  # recommendation 5's row
    sheet["E5"] = "Head of virtual school"
    sheet["F5"] = date(2026, 3, 31)
    buffer = io.BytesIO()
    book.save(buffer)
    edits = read_tracker(buffer.getvalue(), result.inspection.report_id)
    updated = apply_tracker_edits(result, edits)
    item = next(i for i in updated.recommendations if i.number == 5)
    assert (item.status, item.status_source, item.owner, item.due) == (
        "addressed",
        "council",
        "Head of virtual school",
        "2026-03-31",
    )
    html = render(updated, "html").decode()
    assert "set by the council" in html and "31 March 2026" in html
    with pytest.raises(TrackerError, match="another inspection"):
        read_tracker(buffer.getvalue(), result.inspection.report_id + 1)
    sheet["C6"] = "Nearly there"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TrackerError, match="Nearly there"):
        read_tracker(buffer.getvalue())


def test_briefing_speaks_in_readers_words(db: Path) -> None:
    document = read_council_document(SELF_EVALUATION.encode(), "self-evaluation.txt")
    result = readiness(connect(db, read_only=True), "Exampleton City Council", [document])
    html = render(result, "html").decode()
    visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S)
    for machine in ("not_mentioned", "requires_improvement", "drift_delay", "ilacs_", "sif"):
        assert machine not in visible
    assert "Not mentioned" in visible and "30 January 2014" in visible
    assert render(result, "docx")[:2] == b"PK"


def point(code: str, year: int, grade: str = "good", family: str = "ilacs") -> InspectionPoint:
    return InspectionPoint(code, year, date(year, 6, 1), family, grade)


def test_window_from_intervals_of_councils_like_this_one() -> None:
    points = {
        f"c{i}": [point(f"c{i}", 2015), point(f"c{i}", 2015 + gap)]
        for i, gap in enumerate([3, 3, 4, 4, 5, 3])
    }
    window = window_for(point("me", 2020), _intervals(points))
    assert window is not None
    assert window.basis == ("family", "grade") and window.intervals == 6
    assert "2023-06" <= window.likely <= "2024-06"
    assert window.earliest <= window.likely <= window.latest


def test_window_widens_when_too_few_councils_match() -> None:
    points = {f"c{i}": [point(f"c{i}", 2015), point(f"c{i}", 2018)] for i in range(6)}
    window = window_for(point("me", 2020, grade="inadequate"), _intervals(points))
    assert window is not None and window.basis == () and window.intervals == 6


def test_command_stores_nothing_without_keep(db: Path, tmp_path: Path) -> None:
    evaluation = tmp_path / "self-evaluation.md"
    evaluation.write_text(SELF_EVALUATION, encoding="utf-8")
    runner = CliRunner()
    before = db.read_bytes()
    result = runner.invoke(
        app,
        ["readiness", "Exampleton City Council", str(evaluation), "--db", str(db), "-f", "json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["authority"] == "Exampleton City Council"
    assert db.read_bytes() == before
    kept = tmp_path / "kept.sqlite"
    kept.write_bytes(before)
    out = tmp_path / "r.html"
    result = runner.invoke(
        app,
        [
            "readiness",
            "Exampleton City Council",
            str(evaluation),
            "--db",
            str(kept),
            "--keep",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    stored = sqlite3.connect(kept).execute("SELECT COUNT(*) FROM council_passages").fetchone()[0]
    assert stored >= 3 and out.read_bytes().startswith(b"<!DOCTYPE html>")


def test_command_refuses_unknown_authority_and_bad_files(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["readiness", "Nowhere", "--db", str(db), "-f", "json"])
    assert result.exit_code == 2 and "Nowhere" in result.output
    junk = tmp_path / "plan.docx"
    junk.write_bytes(b"\x00\x01\x02" * 50)
    result = runner.invoke(
        app, ["readiness", "Exampleton City Council", str(junk), "--db", str(db)]
    )
    assert result.exit_code == 2 and "not a Word" in result.output


def test_word_file_with_broken_xml_is_a_typed_rejection() -> None:
    """Regression: lxml's XMLSyntaxError escaped as an unexpected error (a server error on
    upload) instead of the typed 'damaged Word file' rejection."""
    source = zipfile.ZipFile(io.BytesIO(word_file(["One two three."])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            broken = name == "word/document.xml"
            target.writestr(name, b"<not xml" if broken else source.read(name))
    with pytest.raises(UnsupportedFileType, match="damaged Word file"):
        read_council_document(out.getvalue(), "plan.docx")


def test_text_documents_have_pages_only_at_form_feeds() -> None:
    plain = read_council_document(SELF_EVALUATION.encode(), "plan.txt")
    assert {p.page for p in plain.passages} == {None}
    paged = read_council_document(b"We trained all managers.\f We audited all plans.", "plan.txt")
    assert [p.page for p in paged.passages] == [1, 2]


def test_command_reads_the_councils_tracker_back(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    tracker = tmp_path / "tracker.xlsx"
    common = ["readiness", "Exampleton City Council", "--db", str(db)]
    assert runner.invoke(app, [*common, "-f", "xlsx", "-o", str(tracker)]).exit_code == 0
    book = load_workbook(tracker)
    book["Tracker"]["C4"] = "Mentioned"  # recommendation 4
    book["Tracker"]["E4"] = "Head of safeguarding"
    book.save(tracker)
    result = runner.invoke(app, [*common, "--tracker", str(tracker), "-f", "json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["recommendations"][0]
    assert (first["number"], first["status"]) == (4, "mentioned")
    html = tmp_path / "r.html"
    runner.invoke(app, [*common, "--tracker", str(tracker), "-o", str(html)])
    assert "Head of safeguarding" in html.read_text(encoding="utf-8")
