"""Where the self-checks show: the ingest summary (which tells the truth on every run), the
`check` command, `export reports` (a `checks` list, `[]` when clean) and the report's web page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import ofsted_atlas
from ofsted_atlas.cli import app
from ofsted_atlas.cli_ingest import PipedProgress
from ofsted_atlas.pipeline import IngestOptions, Outcome
from ofsted_atlas.publish.exports import write_export
from ofsted_atlas.store import connect
from ofsted_atlas.web import create_app
from tests.synthetic import NOT_FOUND_HTML, pdf_bytes
from tests.unit.test_parse_tolerant import ilacs_pages

runner = CliRunner()
NO_LEAD = "Judgements are set out below."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A clean report, one without a lead inspector, and a 'report not found' page, in a folder
    whose name is long enough that a wrapped line would break it."""
    folder = tmp_path / ("a-folder-with-a-long-name-" * 4).rstrip("-")
    folder.mkdir()
    (folder / "clean.pdf").write_bytes(pdf_bytes(ilacs_pages()))
    (folder / "no-lead.pdf").write_bytes(pdf_bytes(ilacs_pages(lead=NO_LEAD)))
    (folder / "not-found.pdf").write_text(NOT_FOUND_HTML)
    return folder


def ingest(folder: Path, db: Path) -> str:
    args = ["ingest", str(folder), "--db", str(db), "--workers", "1"]
    result = runner.invoke(app, [*args, "--reference", str(db.parent / "no-reference")])
    assert result.exit_code == 0, result.output
    return result.output


def test_summary_counts_reports_parsed_with_warnings(folder: Path, tmp_path: Path) -> None:
    output = ingest(folder, tmp_path / "db.sqlite")
    assert "2 (1 parsed with warnings)" in output
    assert "parsed with 1 warning" in output and "no-lead.pdf" in output
    assert "ofsted-atlas check" in output


def test_rerun_lists_files_rejected_before_as_rejected_unchanged(
    folder: Path, tmp_path: Path
) -> None:
    db = tmp_path / "db.sqlite"
    ingest(folder, db)
    again = ingest(folder, db)
    assert "rejected (unchanged)" in again
    assert "not-found.pdf" in again
    assert "1 (1 unchanged)" in again  # the rejected row counts it
    assert "1 with warnings" in again


def test_summary_lines_never_wrap(folder: Path, tmp_path: Path) -> None:
    output = ingest(folder, tmp_path / "db.sqlite")
    rejected = next(line for line in output.splitlines() if line.startswith("rejected"))
    assert str(folder / "not-found.pdf") in rejected  # the whole path on one line, over 80
    note = next(line for line in output.splitlines() if line.startswith("note:"))
    assert note.endswith("(set --reference).")


def test_piped_ingest_prints_progress_lines(folder: Path, tmp_path: Path) -> None:
    output = ingest(folder, tmp_path / "db.sqlite")  # CliRunner's output is not a terminal
    progress = [line for line in output.splitlines() if line.startswith("ingest: ")]
    assert progress[0].startswith("ingest: 0/3 files")
    assert progress[-1].startswith("ingest: 3/3 files")


def test_progress_line_every_few_seconds() -> None:
    stream = io.StringIO()
    progress = PipedProgress(stream, every=0)
    progress.start(2)
    progress.advance(Outcome("a.pdf", "ingested"))
    progress.advance(Outcome("b.pdf", "rejected"))
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("ingest: 0/2 files")
    assert lines[-1].startswith("ingest: 2/2 files") and "1 rejected" in lines[-1]
    quiet = io.StringIO()
    slow = PipedProgress(quiet, every=3600)
    slow.start(1)
    slow.advance(Outcome("a.pdf", "ingested"))
    assert len(quiet.getvalue().splitlines()) == 1  # nothing more until the interval passes


def test_check_command_lists_open_warnings(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    ingest(folder, db)
    result = runner.invoke(app, ["check", "--db", str(db)])
    assert result.exit_code == 0
    assert "no-lead.pdf" in result.output and "no lead inspector found" in result.output
    assert "clean.pdf" not in result.output
    assert "ilacs_standard" not in result.output  # framework in words, not its id
    listed = json.loads(runner.invoke(app, ["check", "--db", str(db), "--json"]).stdout)
    assert [Path(r["source"]).name for r in listed] == ["no-lead.pdf"]
    assert listed[0]["checks"] == [
        {"code": "no_lead_inspector", "message": "no lead inspector found", "page": None}
    ]


def test_export_has_a_checks_list_empty_when_clean(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    ofsted_atlas.ingest([folder], db, IngestOptions(workers=1, reference=tmp_path / "none"))
    records = json.loads(write_export(connect(db), "reports", "json", None))
    by_name = {Path(r["source"]).name: r for r in records}
    assert by_name["clean.pdf"]["checks"] == []
    assert by_name["not-found.pdf"]["checks"] == []
    assert [c["code"] for c in by_name["no-lead.pdf"]["checks"]] == ["no_lead_inspector"]
    tags = [r["national_framework"] for r in by_name["clean.pdf"]["recommendations"]]
    assert tags == [{"kind": "outcome", "number": 3}, {"kind": "enabler", "number": 2}]


def test_report_page_shows_its_warnings(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    ofsted_atlas.ingest([folder], db, IngestOptions(workers=1, reference=tmp_path / "none"))
    conn = connect(db)
    ids = {
        Path(row["source"]).name: row["id"]
        for row in conn.execute("SELECT id, source FROM reports WHERE status = 'parsed'")
    }
    client = TestClient(create_app(db, tmp_path / "no-reference"))
    warned = client.get(f"/reports/{ids['no-lead.pdf']}")
    assert warned.status_code == 200
    assert "Parser warnings" in warned.text and "no lead inspector found" in warned.text
    clean = client.get(f"/reports/{ids['clean.pdf']}")
    assert "Parser warnings" not in clean.text


def test_check_strict_exits_1_only_when_warnings_are_open(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    ingest(folder, db)
    assert runner.invoke(app, ["check", "--db", str(db)]).exit_code == 0
    assert runner.invoke(app, ["check", "--db", str(db), "--strict"]).exit_code == 1
    assert runner.invoke(app, ["check", "--db", str(db), "--strict", "--json"]).exit_code == 1
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "clean.pdf").write_bytes((folder / "clean.pdf").read_bytes())
    clean_db = tmp_path / "clean.sqlite"
    ingest(clean, clean_db)
    result = runner.invoke(app, ["check", "--db", str(clean_db), "--strict"])
    assert result.exit_code == 0 and "0 report(s) with 0 open warning(s)." in result.output
