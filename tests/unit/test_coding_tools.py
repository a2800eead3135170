"""The coding command's progress and summary, and `eval-coding --against` (issue 14 items 5-6)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from ofsted_atlas.cli import app, coding_summary
from ofsted_atlas.coding import CodingSummary, load_model
from ofsted_atlas.coding.evaluate import score
from ofsted_atlas.coding.labels import PRIMARY
from ofsted_atlas.progress import _PlainLines, track
from tests.conftest import CORPUS, require_shared


def test_piped_progress_prints_a_plain_line_every_few_seconds() -> None:
    out = io.StringIO()
    console = Console(file=out, width=200)
    now = [0.0]
    lines = _PlainLines(console, "coding", "reports", every=5.0, clock=lambda: now[0])
    lines.start(10)
    for step in range(10):
        now[0] = step * 2.0
        lines.advance(1)
    printed = out.getvalue().splitlines()
    assert printed[0] == "coding: 10 reports to do"
    # at 6 s, 12 s and 18 s (each five seconds or more after the last), and once when done
    assert printed[1:] == [
        "coding: 4 of 10 reports (40%), 6 s so far, about 9 s left",
        "coding: 7 of 10 reports (70%), 12 s so far, about 5 s left",
        "coding: 10 of 10 reports (100%), 18 s so far",
    ]


def test_a_console_that_is_not_a_terminal_gets_plain_lines_not_a_bar() -> None:
    out = io.StringIO()
    with track(Console(file=out, width=200), "coding", "reports") as progress:
        progress.stage("loading the theme model")
        progress.start(1)
        progress.advance(1)
    assert out.getvalue().splitlines() == [
        "coding: loading the theme model",
        "coding: 1 report to do",
        "coding: 1 of 1 reports (100%), 0 s so far",
    ]
    assert "\x1b[" not in out.getvalue()


def test_coding_summary_names_the_model_in_words_not_a_hash() -> None:
    model = load_model()
    text = coding_summary(
        CodingSummary(reports=3, sentences=1200, codings=1500, skipped=2, model=model.description),
        4,
    )
    assert text.startswith("Coded 3 reports (1,200 sentences, 1,500 themes found) in 4 s")
    assert "2 reports were already coded by this model" in text
    assert model.version not in text
    assert "trained on" in text and "hand-coded sentences" in text and "codebook version" in text
    nothing = coding_summary(CodingSummary(skipped=1, model=model.description), 0)
    assert nothing.startswith("Nothing to code; 1 report was already coded")


def test_kappa_is_reported_and_is_one_for_perfect_agreement() -> None:
    gold = [{"drift_delay": "weakness"}, {"education": "strength"}, {}]
    perfect = score(gold, gold)
    assert perfect.theme_kappa == 1.0 and perfect.polarity_kappa == 1.0
    wrong = score(gold, [{"education": "weakness"}, {"drift_delay": "strength"}, {}])
    assert wrong.theme_kappa < 0 and math.isnan(wrong.polarity_kappa)


def _subset(path: Path, rows: int) -> Path:
    with PRIMARY.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        chosen = [row for row in reader if row["heldout"] == "1"][:rows]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["id", "file", "page", "start", "end", "codings"]
        )
        writer.writeheader()
        writer.writerows({k: row[k] for k in writer.fieldnames} for row in chosen)
    return path


def test_eval_coding_against_a_labelled_file(tmp_path: Path) -> None:
    require_shared()
    labels = _subset(tmp_path / "ours.csv", 60)
    result = CliRunner().invoke(
        app, ["eval-coding", "--against", str(labels), "--corpus", str(CORPUS)]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "60 sentences" in out and "Cohen's kappa" in out and "micro-F1" in out
    assert "Assessment quality and timeliness" in out and "assessment_quality" not in out
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,Plans are weak.\n", encoding="utf-8")
    refused = CliRunner().invoke(
        app, ["eval-coding", "--against", str(bad), "--corpus", str(CORPUS)]
    )
    assert refused.exit_code == 2 and "not a labels file" in " ".join(refused.output.split())
