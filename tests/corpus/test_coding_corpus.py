"""The theme model on our held-out labels and the whole corpus coded end to end.

The theme goal (micro-F1 >= 0.85) is not yet reached; polarity (>= 0.92) and the tone's rank
correlation (>= 0.85) are. These tests guard the current level against regression; `make
eval-coding` prints the full figures. The held-out gold is the codebook-v2 reading (the v1-trained
model scored 0.712 on it, the shipped v2-trained one 0.760).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import ofsted_atlas
from ofsted_atlas.coding import code_reports, load_model
from ofsted_atlas.coding.evaluate import coder_agreement, evaluate, tone_correlation
from ofsted_atlas.coding.labels import load_heldout_readings, load_labels
from tests.conftest import CORPUS, require_shared

pytestmark = pytest.mark.corpus


def test_labels_resolve_and_keep_a_double_read_heldout_part() -> None:
    require_shared()
    labels = load_labels()
    assert len(labels) >= 1500
    heldout = {label.id for label in labels if label.heldout}
    assert len(heldout) >= 400
    assert set(load_heldout_readings()) == heldout  # every held-out sentence was read twice
    assert all((CORPUS / label.file).exists() for label in labels)


def test_heldout_scores() -> None:
    require_shared()
    result = evaluate(load_model(), load_labels(), CORPUS)
    assert result.micro_f1 >= 0.745
    assert result.polarity_accuracy >= 0.92
    weak = [s.theme for s in result.per_theme if s.support >= 10 and s.f1 < 0.50]
    assert weak == []
    double_read, spot_check = coder_agreement(load_labels())
    assert double_read.sentences == result.sentences
    assert double_read.micro_f1 > 0.85 and double_read.polarity_accuracy > 0.95
    assert spot_check.micro_f1 > 0.85 and spot_check.polarity_accuracy > 0.95


@pytest.fixture
def coded_db(coded_corpus: Path) -> sqlite3.Connection:
    return ofsted_atlas.open_db(coded_corpus)


def test_tone_tracks_the_overall_grade(coded_db: sqlite3.Connection) -> None:
    rho, reports = tone_correlation(coded_db)
    assert reports > 250 and rho >= 0.85


def test_every_coded_sentence_is_traceable(coded_db: sqlite3.Connection) -> None:
    untraceable = coded_db.execute(
        "SELECT COUNT(*) FROM coded_sentences WHERE page IS NULL OR sentence = ''"
    ).fetchone()[0]
    assert untraceable == 0
    row = coded_db.execute(
        "SELECT r.source, c.page, c.sentence FROM coded_sentences c JOIN reports r"
        " ON r.id = c.report_id WHERE r.kind = 'pdf' LIMIT 1"
    ).fetchone()
    page_text = (
        ofsted_atlas.extract_document(Path(row["source"]).read_bytes(), "", "")
        .pages[row["page"] - 1]
        .text
    )
    assert row["sentence"].split()[0] in page_text


def test_recoding_does_nothing_when_nothing_changed(coded_db: sqlite3.Connection) -> None:
    assert code_reports(coded_db).reports == 0
