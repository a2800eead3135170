"""Calibrated confidence, the evidence threshold, and the context the model reads (issue 14 items
2 and 4)."""

from __future__ import annotations

import numpy as np

from ofsted_atlas.coding.calibration import evidence_threshold, fit, reliability
from ofsted_atlas.coding.codebook import load_codebook
from ofsted_atlas.coding.context import Context, sentence_contexts, theme_clause


def test_platt_scaling_pulls_inflated_probabilities_back_to_the_truth() -> None:
    rng = np.random.default_rng(0)
    truth_probability = rng.uniform(0, 1, 20_000)
    targets = (rng.uniform(0, 1, 20_000) < truth_probability).reshape(-1, 1)
    inflated = np.sqrt(truth_probability).reshape(-1, 1)  # says 0.7 when the truth is 0.49
    calibration = fit(inflated, targets)
    before = reliability(inflated[:, 0], targets[:, 0].astype(float)).ece
    after = reliability(calibration.apply(inflated)[:, 0], targets[:, 0].astype(float)).ece
    assert before > 0.1 and after < 0.02


def test_a_theme_too_rare_to_calibrate_keeps_its_raw_probability() -> None:
    raw = np.array([[0.2], [0.7], [0.9]])
    calibration = fit(raw, np.array([[False], [True], [False]]))
    assert np.allclose(calibration.apply(raw), raw)


def test_the_evidence_threshold_is_where_precision_reaches_nine_in_ten() -> None:
    confidence = np.linspace(1, 0, 200, endpoint=False)
    correct = np.ones(200)
    correct[100::2] = 0  # the lower half is right only half the time
    threshold = evidence_threshold(confidence, correct)
    above = confidence >= threshold
    assert correct[above].mean() >= 0.9
    assert 100 <= above.sum() <= 125  # and it reaches down as far as that allows
    assert evidence_threshold(confidence, np.zeros(200)) == 1.0  # never precise enough


def test_each_theme_reads_the_clause_that_names_it() -> None:
    themes = {theme.id: theme for theme in load_codebook().themes}
    sentence = "While case records are not always up to date, most plans are effective."
    assert "case records" in theme_clause(themes["case_recording"], sentence)
    assert "plans" not in theme_clause(themes["case_recording"], sentence)
    assert "most plans are effective" in theme_clause(themes["planning_quality"], sentence)
    single = "Plans are effective."
    assert theme_clause(themes["planning_quality"], single) == single


def test_context_is_the_heading_and_the_previous_sentence_of_the_same_section() -> None:
    found = sentence_contexts(
        [
            ("Help and protection", "Referrals are prompt. They are well recorded."),
            ("Help and protection", "Strategy meetings are timely."),
            ("Children in care", "Placements are stable."),
        ]
    )
    assert found == [
        ("Referrals are prompt.", Context("Help and protection", "")),
        ("They are well recorded.", Context("Help and protection", "Referrals are prompt.")),
        (
            "Strategy meetings are timely.",
            Context("Help and protection", "They are well recorded."),
        ),
        ("Placements are stable.", Context("Children in care", "")),
    ]
