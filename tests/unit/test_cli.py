"""The CLI is thin: check its contract (exit codes, summary, stdout exports, help)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ofsted_atlas.cli import app
from tests.synthetic import NOT_FOUND_HTML, SIF_TEXT

runner = CliRunner()


def test_ingest_search_export(tmp_path: Path) -> None:
    (tmp_path / "sif.txt").write_text(SIF_TEXT)
    (tmp_path / "bad.pdf").write_text(NOT_FOUND_HTML)
    db = tmp_path / "db.sqlite"
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "rejected" in result.output and "bad.pdf" in result.output
    assert "report not found" in result.output.lower()
    result = runner.invoke(app, ["search", "pathway plans", "--db", str(db)])
    assert result.exit_code == 0 and "Exampleton" in result.output
    result = runner.invoke(app, ["export", "reports", "--db", str(db)])
    assert result.exit_code == 0
    assert {r["status"] for r in json.loads(result.stdout)} == {"parsed", "rejected"}


def test_missing_path_and_missing_db_fail_clearly(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "nowhere"), "--db", str(tmp_path / "d.sqlite")]
    )
    assert result.exit_code == 2 and "no such file or folder" in " ".join(result.output.split())
    result = runner.invoke(app, ["search", "x", "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "ingest" in result.output


def test_bad_grade_is_rejected(tmp_path: Path) -> None:
    result = runner.invoke(app, ["search", "x", "--grade", "great", "--db", str(tmp_path / "d")])
    assert result.exit_code == 2 and "--grade must be one of" in result.output


def test_help_teaches() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("ingest", "search", "export"):
        assert command in result.output
    result = runner.invoke(app, ["ingest", "--help"])
    assert "Exit status" in result.output and "--db" in result.output
