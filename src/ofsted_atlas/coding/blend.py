"""The shipped coder's two readers together: the linear model's theme probabilities (model.py)
and the transformer reader's (reader.py), averaged with one weight chosen on a dev split, and the
same for polarity.

How it is tuned (`tune`, run by `make train-coding` when the reader's files are present): the
reader never saw the dev rows (`make train-reader` held them out and saved its probabilities on
them); the linear model's probabilities on them are out-of-fold. On those rows the theme weight,
the per-theme thresholds, the calibration (Platt scaling per theme, calibration.py) and the
evidence threshold are chosen, and the polarity weight on the (sentence, theme) pairs the coders
gave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import calibration as calibrate
from .calibration import Calibration
from .codebook import POLARITIES
from .context import Context
from .reader import READER_DIR, ReaderError, identity, open_reader
from .reader_tune import best_blend, best_polarity_blend, best_thresholds, micro_f1


@dataclass(frozen=True)
class ReaderDev:
    """The reader's probabilities on the dev rows (indices into the training examples)."""

    rows: np.ndarray
    themes: np.ndarray  # rows x themes
    polarity: np.ndarray  # rows x themes x polarities
    identity: str


@dataclass(frozen=True)
class Reading:
    themes: np.ndarray
    polarity: np.ndarray


@dataclass
class Blend:
    identity: str  # the reader files' digest (reader.identity) this blend was tuned with
    theme_weight: float  # reader's share; the linear model has the rest
    polarity_weight: float
    linear_thresholds: np.ndarray  # the linear model's own (for comparisons: see reader_eval)
    linear_calibration: Calibration
    linear_evidence: float
    figures: dict[str, Any] = field(default_factory=dict)  # dev-split scores, for the record
    folder: Path | None = None  # None: the reader shipped in the package

    def read(self, texts: list[str], contexts: list[Context] | None) -> Reading:
        folder = self.folder or READER_DIR
        reader = open_reader(folder)
        headings = [c.heading for c in contexts] if contexts else None
        themes, polarity = reader.read(texts, headings)
        return Reading(themes.astype(np.float64), polarity.astype(np.float64))

    def themes(self, reading: Reading, linear: np.ndarray) -> np.ndarray:
        return np.asarray(self.theme_weight * reading.themes + (1 - self.theme_weight) * linear)

    def polarity(self, reading: Reading, pairs: list[tuple[int, int]], linear: np.ndarray) -> Any:
        """Blended polarity probabilities of (sentence, theme) pairs; `linear` is pairs x
        POLARITIES."""
        rows = [i for i, _ in pairs]
        columns = [j for _, j in pairs]
        ours = reading.polarity[rows, columns]
        return self.polarity_weight * ours + (1 - self.polarity_weight) * linear

    def check(self) -> None:
        """Refuse a reader other than the one this blend was tuned with."""
        found = identity(self.folder or READER_DIR)
        if found != self.identity:
            raise ReaderError(
                f"the reader's files ({found}) are not those the theme model was tuned with"
                f" ({self.identity})"
            )


@dataclass(frozen=True)
class Tuned:
    blend: Blend
    thresholds: np.ndarray
    calibration: Calibration
    evidence_threshold: float


def tune(
    dev: ReaderDev,
    linear_out_of_fold: np.ndarray,
    targets: np.ndarray,
    linear: tuple[np.ndarray, Calibration, float],
    dev_polarity: Callable[[list[tuple[int, int]]], tuple[np.ndarray, np.ndarray]],
) -> Tuned:
    """Choose the blend on the dev rows. `dev_polarity(pairs)` gives, for (dev row, theme) pairs
    the coders gave, the true class indices and the linear polarity probabilities from a model
    that did not see those rows."""
    truth = targets[dev.rows]
    linear_dev = linear_out_of_fold[dev.rows]
    weight = best_blend(dev.themes, linear_dev, truth)
    blended = weight * dev.themes + (1 - weight) * linear_dev
    thresholds = best_thresholds(blended, truth)
    calibration = calibrate.fit(blended, truth)
    emitted = blended >= thresholds
    evidence = calibrate.evidence_threshold(calibration.apply(blended)[emitted], truth[emitted])
    pairs = [(k, int(j)) for k in range(len(dev.rows)) for j in np.flatnonzero(truth[k])]
    classes, linear_polarity = dev_polarity(pairs)
    reader_polarity = dev.polarity[[k for k, _ in pairs], [j for _, j in pairs]]
    polarity_weight = best_polarity_blend(reader_polarity, linear_polarity, classes)

    def accuracy(w: float) -> float:
        mixed = w * reader_polarity + (1 - w) * linear_polarity
        return float(np.mean(np.argmax(mixed, 1) == classes))

    alone = best_thresholds(dev.themes, truth)
    figures = {
        "dev_sentences": len(dev.rows),
        "dev_micro_f1": {
            "linear": micro_f1(truth, linear_dev >= best_thresholds(linear_dev, truth)),
            "reader": micro_f1(truth, dev.themes >= alone),
            "blend": micro_f1(truth, emitted),
        },
        "dev_polarity_accuracy": {
            "linear": accuracy(0.0),
            "reader": accuracy(1.0),
            "blend": accuracy(polarity_weight),
        },
        "reader_thresholds": alone.tolist(),
    }
    blend = Blend(
        identity=dev.identity,
        theme_weight=weight,
        polarity_weight=polarity_weight,
        linear_thresholds=linear[0],
        linear_calibration=linear[1],
        linear_evidence=linear[2],
        figures=figures,
    )
    return Tuned(blend, thresholds, calibration, evidence)


def load_dev(path: Path, ids: list[str], folder: Path = READER_DIR) -> ReaderDev | None:
    """The reader's saved dev probabilities, as rows of the training examples whose label ids
    are `ids`; None when the reader's files are not there."""
    if not path.exists() or not (folder / "reader.onnx").exists():
        return None
    saved = np.load(path)
    where = {label: k for k, label in enumerate(ids)}
    keep = [k for k, label in enumerate(saved["ids"]) if str(label) in where]
    rows = np.array([where[str(saved["ids"][k])] for k in keep], dtype=np.int64)
    return ReaderDev(
        rows=rows,
        themes=saved["themes"][keep].astype(np.float64),
        polarity=saved["polarity"][keep].astype(np.float64),
        identity=identity(folder),
    )


def in_polarity_order(probabilities: np.ndarray, classes: Any) -> np.ndarray:
    """A fitted model's class probabilities as columns in POLARITIES order (a class the model
    never saw has probability 0)."""
    out = np.zeros((probabilities.shape[0], len(POLARITIES)))
    for k, label in enumerate(classes):
        out[:, POLARITIES.index(str(label))] = probabilities[:, k]
    return out
