"""Coding stage: segmentation, the codebook as data, the shipped model, incremental coding with
traceable evidence, and the `code-text` contract."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ofsted_atlas
from ofsted_atlas.cli import app
from ofsted_atlas.coding import code_reports, load_model, report_tone
from ofsted_atlas.coding.codebook import THEME_IDS, CodebookError, load_codebook
from ofsted_atlas.coding.evaluate import bootstrap_intervals, score
from ofsted_atlas.coding.model import Coding, ModelError
from ofsted_atlas.coding.segment import split_sentences
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import connect
from tests.synthetic import SIF_TEXT, ilacs_pdf


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Children are seen regularly (Paragraphs 56, 57). Plans are weak.",
            ["Children are seen regularly (Paragraphs 56, 57).", "Plans are weak."],
        ),
        (
            "Managers, e.g. team managers, give oversight. It is good.",
            ["Managers, e.g. team managers, give oversight.", "It is good."],
        ),
        (
            "J. Smith reported 3.5 per cent growth. Caseloads are high.",
            ["J. Smith reported 3.5 per cent growth.", "Caseloads are high."],
        ),
        (
            "What needs to improve: \u25fc The quality of plans. \u25fc Timeliness of visits.",
            ["What needs to improve:", "The quality of plans.", "Timeliness of visits."],
        ),
        ("Contents Executive summary 2", []),
    ],
)
def test_sentences_survive_report_layout(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)  # spans point at the text


def test_codebook_ids_are_the_contract(tmp_path: Path) -> None:
    codebook = load_codebook()
    assert codebook.ids == THEME_IDS
    edited = (
        Path(codebook.source)
        .read_text(encoding="utf-8")
        .replace('id = "care_leavers"', 'id = "leavers"')
    )
    bad = tmp_path / "codebook.toml"
    bad.write_text(edited, encoding="utf-8")
    with pytest.raises(CodebookError, match="missing: \\['care_leavers'\\]"):
        load_codebook(bad)
    bad.write_text(
        Path(codebook.source)
        .read_text(encoding="utf-8")
        .replace("'\\bcaseloads?\\b'", "'(unclosed'"),
        encoding="utf-8",
    )
    with pytest.raises(CodebookError, match="workforce_capacity: cue '\\(unclosed'"):
        load_codebook(bad)


def test_model_codes_themes_with_polarity_and_cues() -> None:
    model = load_model()
    coded = model.code(
        [
            "Management oversight of casework is not consistent and supervision is infrequent.",
            "Care leavers benefit from strong relationships with their personal advisers.",
            "Return home interviews are not always completed when children go missing.",
        ]
    )
    assert ("management_oversight", "weakness") in {(c.theme, c.polarity) for c in coded[0]}
    assert ("care_leavers", "strength") in {(c.theme, c.polarity) for c in coded[1]}
    assert ("exploitation_missing", "weakness") in {(c.theme, c.polarity) for c in coded[2]}
    oversight = next(c for c in coded[0] if c.theme == "management_oversight")
    assert oversight.cues and 0.0 <= oversight.confidence <= 1.0


def test_recommendations_are_weaknesses_by_rule() -> None:
    coded = load_model().code(["Strong management oversight of all children's cases."], [True])
    assert coded[0] and {c.polarity for c in coded[0]} == {"weakness"}


def test_a_model_of_another_format_refuses_to_load(tmp_path: Path) -> None:
    model = copy.copy(load_model())  # the loaded model is shared: change a copy
    model.format_version = 999
    path = tmp_path / "old.pkl.gz"
    model.save(path)
    with pytest.raises(ModelError, match="model format 999"):
        load_model(path)


def test_tone() -> None:
    def coding(polarity: str) -> Coding:
        return Coding("drift_delay", polarity, 1.0)

    assert report_tone([coding("strength")] * 3 + [coding("weakness")]) == 0.5
    assert report_tone([coding("neutral")]) is None


def test_code_reports_is_incremental_and_traceable(tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(ilacs_pdf())
    (tmp_path / "b.txt").write_text(SIF_TEXT, encoding="utf-8")
    ofsted_atlas.ingest([tmp_path], db_path, IngestOptions(workers=1))
    conn = connect(db_path)
    first = code_reports(conn, workers=1)
    assert first.reports == 2 and first.codings > 0
    assert code_reports(conn, workers=1).reports == 0  # nothing new: nothing recoded
    rows = conn.execute(
        "SELECT r.source, c.page, c.paragraph_number, c.section, c.sentence, c.theme,"
        " c.polarity FROM coded_sentences c JOIN reports r ON r.id = c.report_id"
    ).fetchall()
    assert rows and all(row["page"] and row["sentence"] for row in rows)
    missing = [row for row in rows if row["theme"] == "exploitation_missing"]
    assert any(row["paragraph_number"] == 2 and row["page"] == 2 for row in missing)
    profile = conn.execute(
        "SELECT area, strengths, weaknesses FROM theme_profiles WHERE theme = ?",
        ("exploitation_missing",),
    ).fetchall()
    assert {row["area"] for row in profile} >= {"whole_report"}
    tones = [row[0] for row in conn.execute("SELECT tone FROM coding_runs")]
    assert len(tones) == 2 and all(-1 <= t <= 1 for t in tones if t is not None)


def test_code_text_contract() -> None:
    lines = [
        json.dumps({"id": 7, "text": "Caseloads are too high and staff turnover is high."}),
        "{not json",
        json.dumps({"id": "x"}),
    ]
    result = CliRunner().invoke(app, ["code-text"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["id"] == 7
    assert {"theme": "workforce_capacity", "polarity": "weakness"} in [
        {k: t[k] for k in ("theme", "polarity")} for t in out[0]["themes"]
    ]
    assert set(out[0]["themes"][0]) == {"theme", "polarity", "confidence"}
    assert "error" in out[1] and out[2] == {
        "id": "x",
        "error": "line 3: needs a string field 'text'",
    }


def test_bootstrap_intervals_bracket_the_measured_scores() -> None:
    gold = [{"front_door": "strength"}, {"planning_quality": "weakness"}, {}] * 20
    perfect = bootstrap_intervals(gold, gold, draws=200)
    assert perfect == ((1.0, 1.0), (1.0, 1.0))
    # Half the planning sentences missed, a third of the front-door polarities wrong.
    guess = [dict(g) for g in gold]
    for i in range(1, len(gold), 6):
        guess[i] = {}
    for i in range(0, len(gold), 9):
        guess[i] = {"front_door": "weakness"}
    result = score(gold, guess)
    (micro_low, micro_high), (polarity_low, polarity_high) = bootstrap_intervals(gold, guess)
    assert micro_low < result.micro_f1 < micro_high < 1.0
    assert polarity_low < result.polarity_accuracy < polarity_high


def test_noop_code_run_does_not_load_the_model(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: a run with nothing to code took 2.4 s loading the model just to learn its
    version; the version file beside the shipped model says it, checked against the bytes."""
    import ofsted_atlas.coding as coding
    from ofsted_atlas.coding.model import DEFAULT_MODEL, saved_identity

    assert saved_identity(DEFAULT_MODEL) == (load_model().version, load_model().description)
    (tmp_path / "a.pdf").write_bytes(ilacs_pdf())
    ofsted_atlas.ingest([tmp_path], db_path, IngestOptions(workers=1))
    conn = connect(db_path)
    assert code_reports(conn, workers=1).reports == 1

    def refuse(*_: object) -> None:
        raise AssertionError("the model was loaded for a run with nothing to code")

    monkeypatch.setattr(coding, "load_model", refuse)
    again = code_reports(conn, workers=1)
    assert again.reports == 0 and again.skipped == 1
    assert "hand-coded sentences" in again.model


def test_a_stale_version_file_is_not_trusted(tmp_path: Path) -> None:
    from ofsted_atlas.coding.model import saved_identity, version_file

    model = tmp_path / "theme_model.pkl.gz"
    model.write_bytes(b"one model")
    version_file(model).write_text(
        '{"version": "abc", "description": "x", "sha256": "not these bytes"}', encoding="utf-8"
    )
    assert saved_identity(model) is None
