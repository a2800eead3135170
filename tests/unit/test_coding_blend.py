"""Choosing the blend of the reader and the linear model (reader_tune.py, blend.py) on made-up
probabilities whose answer is known."""

from __future__ import annotations

import numpy as np

from ofsted_atlas.coding.blend import ReaderDev, in_polarity_order, tune
from ofsted_atlas.coding.calibration import Calibration
from ofsted_atlas.coding.reader_tune import best_blend, best_polarity_blend, best_thresholds

RNG = np.random.default_rng(0)
TRUTH = RNG.random((400, 4)) < 0.2


def _noisy(noise: float) -> np.ndarray:
    return np.clip(TRUTH * 0.7 + 0.15 + RNG.normal(0, noise, TRUTH.shape), 0, 1)


def test_thresholds_fall_between_the_classes() -> None:
    probabilities = np.where(TRUTH, 0.8, 0.3)
    thresholds = best_thresholds(probabilities, TRUTH)
    assert ((thresholds > 0.3) & (thresholds <= 0.8)).all()


def test_the_blend_leans_on_the_better_reader() -> None:
    good, poor = _noisy(0.05), _noisy(0.6)
    assert best_blend(good, poor, TRUTH) >= 0.7
    assert best_blend(poor, good, TRUTH) <= 0.3


def test_polarity_blend_leans_on_the_better_reader() -> None:
    classes = RNG.integers(0, 3, 300)
    right = np.eye(3)[classes] * 0.9 + 0.05
    wrong = np.eye(3)[(classes + 1) % 3] * 0.9 + 0.05
    assert best_polarity_blend(right, wrong, classes) >= 0.6
    assert best_polarity_blend(wrong, right, classes) <= 0.4


def test_classes_are_put_in_polarity_order() -> None:
    probabilities = np.array([[0.1, 0.9]])
    ordered = in_polarity_order(probabilities, np.array(["weakness", "strength"]))
    assert ordered.tolist() == [[0.9, 0.1, 0.0]]  # strength, weakness, neutral


def test_tune_chooses_on_the_dev_rows_only() -> None:
    """The reader is right on the dev rows; the linear model's out-of-fold probabilities are
    noise there: the blend leans on the reader, and thresholds come from the dev rows."""
    rows = np.arange(100, 300)
    truth = TRUTH[rows]
    dev = ReaderDev(
        rows=rows,
        themes=np.where(truth, 0.9, 0.1),
        polarity=np.tile([0.8, 0.1, 0.1], (len(rows), 4, 1)),
        identity="test",
    )
    linear = RNG.random(TRUTH.shape)
    flat = Calibration(np.ones(4), np.zeros(4))

    def dev_polarity(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(len(pairs), dtype=int), np.tile([0.1, 0.8, 0.1], (len(pairs), 1))

    tuned = tune(dev, linear, TRUTH, (np.full(4, 0.5), flat, 0.9), dev_polarity)
    assert tuned.blend.theme_weight > 0.5
    assert tuned.blend.polarity_weight >= 0.5
    assert tuned.blend.figures["dev_micro_f1"]["reader"] == 1.0
    assert tuned.blend.figures["dev_sentences"] == len(rows)
    assert tuned.thresholds.shape == (4,)
