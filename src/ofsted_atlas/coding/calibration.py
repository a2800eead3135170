"""Confidence that means something: each theme's probability calibrated, and the confidence above
which codings are right at least nine times in ten (for choosing evidence quotes).

How: the theme models are trained with balanced class weights, which inflates their probabilities
(a rare theme's "0.6" is right far less than 60% of the time). During training each theme's
out-of-fold probabilities (5-fold cross-validation on the training labels, the same ones that tune
the thresholds) are mapped to the truth by Platt scaling: a logistic regression on the logit of
the probability, two numbers per theme. A coding's confidence is that calibrated probability.
`reliability` measures the result on labelled sentences the model never saw (expected calibration
error over ten bins).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

EVIDENCE_PRECISION = 0.9
_EPSILON = 1e-4
_MIN_POSITIVES = 5
_MIN_EVIDENCE = 50  # a threshold is trusted only with this many codings above it


@dataclass(frozen=True)
class Calibration:
    """Per-theme Platt scaling: calibrated = sigmoid(slope * logit(raw) + intercept)."""

    slopes: np.ndarray
    intercepts: np.ndarray

    def apply(self, raw: np.ndarray) -> np.ndarray:
        clipped = np.clip(raw, _EPSILON, 1 - _EPSILON)
        logits = np.log(clipped / (1 - clipped))
        return np.asarray(1 / (1 + np.exp(-(logits * self.slopes + self.intercepts))))


def fit(out_of_fold: np.ndarray, targets: np.ndarray) -> Calibration:
    """Fit each theme's scaling on out-of-fold probabilities; a theme with too few examples to fit
    keeps its raw probability (slope 1, intercept 0)."""
    themes = targets.shape[1]
    slopes, intercepts = np.ones(themes), np.zeros(themes)
    clipped = np.clip(out_of_fold, _EPSILON, 1 - _EPSILON)
    logits = np.log(clipped / (1 - clipped))
    for j in range(themes):
        positives = int(targets[:, j].sum())
        if positives < _MIN_POSITIVES or positives == len(targets):
            continue
        model = LogisticRegression(C=1e4, max_iter=1000).fit(logits[:, [j]], targets[:, j])
        slopes[j], intercepts[j] = float(model.coef_[0, 0]), float(model.intercept_[0])
    return Calibration(slopes, intercepts)


def evidence_threshold(
    confidence: np.ndarray, correct: np.ndarray, precision: float = EVIDENCE_PRECISION
) -> float:
    """The lowest confidence c such that codings with confidence >= c are right at least
    `precision` of the time (and there are enough of them to say so); 1.0 if none is."""
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order])
    counts = np.arange(1, len(order) + 1)
    good = np.flatnonzero((hits / counts >= precision) & (counts >= _MIN_EVIDENCE))
    if not len(good):
        return 1.0
    return float(confidence[order][good[-1]])


@dataclass(frozen=True)
class Reliability:
    bins: list[tuple[float, float, float, int]]  # (low, mean confidence, share right, codings)
    ece: float


def reliability(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> Reliability:
    """Reliability table and expected calibration error: the codings-weighted mean gap between
    the mean confidence and the share right, over equal-width confidence bins."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges) - 1, 0, bins - 1)
    rows = []
    ece = 0.0
    for b in range(bins):
        chosen = which == b
        n = int(chosen.sum())
        if not n:
            continue
        mean_confidence = float(confidence[chosen].mean())
        share = float(correct[chosen].mean())
        ece += n / len(confidence) * abs(mean_confidence - share)
        rows.append((float(edges[b]), mean_confidence, share, n))
    return Reliability(rows, ece)
