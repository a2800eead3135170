"""Choosing thresholds and blend weights on labelled probabilities (numpy only): per-theme
thresholds that maximise F1, and the weight given to the reader against the linear model."""

from __future__ import annotations

import numpy as np

THRESHOLD_GRID = np.arange(0.1, 0.91, 0.025)
BLEND_GRID = np.round(np.arange(0.0, 1.01, 0.1), 2)
_MIN_POSITIVES = 5


def f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    true_positive = float(np.sum(truth & predicted))
    denominator = float(np.sum(truth) + np.sum(predicted))
    return 2 * true_positive / denominator if denominator else 0.0


def micro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    return f1(truth.ravel(), predicted.ravel())


def best_thresholds(
    probabilities: np.ndarray, truth: np.ndarray, grid: np.ndarray = THRESHOLD_GRID
) -> np.ndarray:
    """Per-theme thresholds maximising F1 (0.5 for a theme with too few positives to tune)."""
    out = np.full(truth.shape[1], 0.5)
    for j in range(truth.shape[1]):
        if truth[:, j].sum() >= _MIN_POSITIVES:
            scores = [f1(truth[:, j], probabilities[:, j] >= g) for g in grid]
            out[j] = float(grid[int(np.argmax(scores))])
    return out


def best_blend(reader: np.ndarray, linear: np.ndarray, truth: np.ndarray) -> float:
    """The one weight w (reader w, linear 1 - w) whose blend, with thresholds tuned on the same
    rows, gives the best micro-F1; one weight for all themes (per-theme weights overfit a dev
    split of this size)."""
    scores = []
    for w in BLEND_GRID:
        blended = w * reader + (1 - w) * linear
        scores.append(micro_f1(truth, blended >= best_thresholds(blended, truth)))
    return float(BLEND_GRID[int(np.argmax(scores))])


def best_polarity_blend(reader: np.ndarray, linear: np.ndarray, truth: np.ndarray) -> float:
    """The weight of the reader's polarity probabilities (pairs x classes) against the linear
    model's that gives the best accuracy on `truth` (class indices)."""
    scores = [
        float(np.mean(np.argmax(w * reader + (1 - w) * linear, 1) == truth)) for w in BLEND_GRID
    ]
    return float(BLEND_GRID[int(np.argmax(scores))])
