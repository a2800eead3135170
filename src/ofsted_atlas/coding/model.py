"""The theme classifier: one logistic regression per theme over the sentence's words, character
n-grams and the codebook's cues (and, with context on, its section heading and previous sentence),
thresholds tuned by cross-validation and confidences calibrated on the same out-of-fold
probabilities (calibration.py); and a polarity model per (sentence, theme) pair (features.py).
When the transformer reader's files are present (reader.py, `make train-reader`), its
probabilities are blended with these (blend.py), and thresholds, calibration and the evidence
threshold are those of the blend, tuned on the reader's dev split.

A saved model carries FORMAT_VERSION and refuses to load when the format changed (retrain with
`make train-coding`).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import pickle
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy.sparse import csr_matrix, vstack
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from ofsted_atlas.errors import AtlasError

from . import calibration as calibrate
from .blend import Blend, ReaderDev, Reading, in_polarity_order, tune
from .calibration import Calibration
from .codebook import POLARITIES, Codebook, load_codebook
from .context import Context
from .features import (
    FeatureSettings,
    Vectorizers,
    fit_vectorizers,
    polarity_features,
    text_features,
    theme_features,
)
from .reader import ReaderError
from .reader import identity as reader_identity

FORMAT_VERSION = 4  # 2: calibrated confidences; 3: context, per-theme polarity; 4: the reader
DEFAULT_MODEL = Path(__file__).with_name("model") / "theme_model.pkl.gz"
DEFAULT_FEATURES = FeatureSettings()
_THRESHOLD_GRID = np.arange(0.2, 0.85, 0.05)


class ModelError(AtlasError):
    code = "model_error"
    hint = "Retrain the theme model: `make train-coding` (needs ../shared for the labelled text)."


@dataclass(frozen=True)
class Coding:
    theme: str
    polarity: str
    confidence: float
    cues: tuple[str, ...] = ()  # the codebook cues that fired: why the coding was made


@dataclass
class ThemeModel:
    codebook: Codebook
    vectorizers: Vectorizers
    theme_models: list[LogisticRegression | None]
    thresholds: np.ndarray
    polarity_model: LogisticRegression
    trained_on: int
    calibration: Calibration
    evidence_threshold: float  # calibrated confidence at which codings are right >= 90%
    settings: FeatureSettings = DEFAULT_FEATURES
    format_version: int = FORMAT_VERSION
    sklearn_version: str = sklearn.__version__
    meta: dict[str, Any] = field(default_factory=dict)
    source_path: Path | None = None  # where it was loaded from (worker processes reload it)
    blend: Blend | None = None  # the transformer reader blended in (None: linear alone)
    out_of_fold: np.ndarray | None = None  # training rows' out-of-fold theme probabilities

    @property
    def version(self) -> str:
        """Identity stored with every coding: recoding happens when this (or the reader) changes."""
        reader = f":{self.blend.identity}" if self.blend else ""
        digest = hashlib.sha256(
            f"{self.format_version}:{self.trained_on}:{self.meta.get('trained_at', '')}:"
            f"{self.codebook.version}{reader}".encode()
        )
        return digest.hexdigest()[:12]

    @property
    def description(self) -> str:
        """The model in words, for summaries: when it was trained, on what, for which codebook."""
        trained = self.meta.get("trained_at", "")
        try:
            when = datetime.fromisoformat(trained).strftime("%-d %B %Y at %H:%M UTC")
        except ValueError:
            when = "an unrecorded date"
        reader = " with the transformer reader" if self.blend else ""
        return (
            f"the theme model{reader} trained on {when} from {self.trained_on:,} hand-coded"
            f" sentences (codebook version {self.codebook.version})"
        )

    def code(
        self,
        texts: list[str],
        weakness_context: list[bool] | None = None,
        contexts: list[Context] | None = None,
    ) -> list[list[Coding]]:
        """Themes with polarity for each sentence. `weakness_context[i]` marks a sentence from a
        recommendations list: weakness by the codebook's rule. `contexts[i]` is the sentence's
        section heading and previous sentence (read when the model was trained with context)."""
        if not texts:
            return []
        base = text_features(self.codebook, self.vectorizers, texts)
        probabilities = self._theme_probabilities(
            theme_features(self.codebook, self.vectorizers, self.settings, texts, contexts, base)
        )
        reading = self.blend.read(texts, contexts) if self.blend else None
        if self.blend and reading:
            probabilities = self.blend.themes(reading, probabilities)
        confidence = self.calibration.apply(probabilities)
        chosen = [np.flatnonzero(row >= self.thresholds) for row in probabilities]
        pairs = [(i, int(j)) for i, row in enumerate(chosen) for j in row]
        labels = self._polarities(base, texts, pairs, reading)
        out: list[list[Coding]] = [[] for _ in texts]
        for (row, j), label in zip(pairs, labels, strict=True):
            forced = weakness_context is not None and weakness_context[row]
            out[row].append(
                Coding(
                    theme=self.codebook.themes[j].id,
                    polarity="weakness" if forced else label,
                    confidence=round(float(confidence[row, j]), 3),
                    cues=tuple(self.codebook.themes[j].matching_cues(texts[row])),
                )
            )
        return out

    def _polarities(
        self,
        base: csr_matrix,
        texts: list[str],
        pairs: list[tuple[int, int]],
        reading: Reading | None = None,
    ) -> list[str]:
        if not pairs:
            return []
        matrix = polarity_features(
            self.codebook, self.vectorizers, self.settings, base, texts, pairs
        )
        linear = in_polarity_order(
            self.polarity_model.predict_proba(matrix), self.polarity_model.classes_
        )
        if self.blend and reading:
            linear = self.blend.polarity(reading, pairs, linear)
        return [POLARITIES[k] for k in np.argmax(linear, 1)]

    def theme_probabilities(
        self, texts: list[str], contexts: list[Context] | None = None
    ) -> np.ndarray:
        """Each text's probability of each theme, before the thresholds (for comparisons)."""
        linear = self._theme_probabilities(
            theme_features(self.codebook, self.vectorizers, self.settings, texts, contexts)
        )
        if not self.blend or not texts:
            return linear
        return self.blend.themes(self.blend.read(texts, contexts), linear)

    def _theme_probabilities(self, features: csr_matrix) -> np.ndarray:
        probabilities = np.zeros((features.shape[0], len(self.theme_models)))
        for j, model in enumerate(self.theme_models):
            if model is not None:
                probabilities[:, j] = model.predict_proba(features)[:, 1]
        return probabilities

    def save(self, path: Path = DEFAULT_MODEL) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wb", compresslevel=9) as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        recorded = {"version": self.version, "description": self.description}
        recorded |= {"sha256": _sha256(path), "reader": self.blend.identity if self.blend else ""}
        version_file(path).write_text(json.dumps(recorded) + "\n", encoding="utf-8")


def version_file(path: Path) -> Path:
    """The small file beside a saved model that names its version, so that a run with nothing
    to code can say so without loading the model (about 2 s)."""
    return path.with_name(path.name.split(".")[0] + ".version.json")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saved_identity(path: Path = DEFAULT_MODEL) -> tuple[str, str] | None:
    """(version, description) of the model saved at `path`, from its version file when that
    file describes these very bytes, and the reader's files when it blends them (checked by
    hash); None when only loading can tell."""
    try:
        recorded = json.loads(version_file(path).read_text(encoding="utf-8"))
        reader = recorded.get("reader", "")
        if recorded.get("sha256") == _sha256(path) and (
            not reader or reader == reader_identity(path.parent)
        ):
            return str(recorded["version"]), str(recorded["description"])
    except (OSError, ValueError, KeyError, AttributeError, ReaderError):
        pass
    return None


def load_model(path: Path = DEFAULT_MODEL) -> ThemeModel:
    """The model at `path`, loaded once per process (it is read-only once trained)."""
    return _load_model(path.resolve(), path.stat().st_mtime if path.exists() else 0.0)


@functools.lru_cache(maxsize=4)
def _load_model(path: Path, mtime: float) -> ThemeModel:
    del mtime  # part of the cache key: a retrained file is loaded afresh
    model = read_saved(path)
    if model.blend is not None:
        model.blend.folder = path.parent  # the reader's files sit beside the model
        model.blend.check()
    return model


def read_saved(path: Path) -> ThemeModel:
    """The model saved at `path`, its format checked (not its reader: see load_model)."""
    if not path.exists():
        raise ModelError(f"{path}: no trained theme model here")
    with gzip.open(path, "rb") as handle:
        model = pickle.load(handle)
    if not isinstance(model, ThemeModel) or model.format_version != FORMAT_VERSION:
        found = getattr(model, "format_version", "unknown")
        raise ModelError(f"{path}: model format {found}, this version reads {FORMAT_VERSION}")
    model.source_path = path
    return model


@dataclass(frozen=True)
class Example:
    text: str
    themes: dict[str, str]  # theme -> polarity
    context: Context = field(default_factory=Context)


def train(
    examples: list[Example],
    codebook: Codebook | None = None,
    trained_at: str = "",
    polarity_readings: list[Example] | None = None,
    settings: FeatureSettings = DEFAULT_FEATURES,
    reader_dev: ReaderDev | None = None,
) -> ThemeModel:
    """Themes from `examples` (hand-coded); polarity from those and, when given, the teacher's
    readings of unlabelled sentences (see teacher.py), the hand-coded ones weighing more. With
    `reader_dev` (the transformer reader's probabilities on a dev split of `examples`), the
    reader is blended in and thresholds, calibration and evidence threshold are the blend's."""
    codebook = codebook or load_codebook()
    texts = [example.text for example in examples]
    contexts = [example.context for example in examples]
    targets = np.array([[theme.id in e.themes for theme in codebook.themes] for e in examples])
    vectorizers = fit_vectorizers(texts, [c.heading for c in contexts])
    base = text_features(codebook, vectorizers, texts)
    features = theme_features(codebook, vectorizers, settings, texts, contexts, base)
    models = [_fit_theme(features, targets[:, j]) for j in range(targets.shape[1])]
    out_of_fold = _out_of_fold(features, targets)
    thresholds = _tuned_thresholds(out_of_fold, targets)
    calibration = calibrate.fit(out_of_fold, targets)
    emitted = out_of_fold >= thresholds
    evidence = calibrate.evidence_threshold(
        calibration.apply(out_of_fold)[emitted], targets[emitted]
    )
    polarity_model = _fit_polarity(
        codebook, vectorizers, settings, base, examples, polarity_readings or []
    )
    model = ThemeModel(
        codebook=codebook,
        vectorizers=vectorizers,
        theme_models=models,
        thresholds=thresholds,
        polarity_model=polarity_model,
        trained_on=len(examples),
        calibration=calibration,
        evidence_threshold=evidence,
        settings=settings,
        meta={"trained_at": trained_at, "polarity_readings": len(polarity_readings or [])},
    )
    model.out_of_fold = out_of_fold.astype(np.float16)  # kept to re-tune a blend (small)
    if reader_dev is not None:
        attach_reader(model, examples, reader_dev, polarity_readings or [])
    return model


def attach_reader(
    model: ThemeModel,
    examples: list[Example],
    reader_dev: ReaderDev,
    polarity_readings: list[Example],
) -> None:
    """Blend the reader into a trained model (trained on `examples`, its out-of-fold theme
    probabilities in `model.out_of_fold`): weights, thresholds, calibration and evidence
    threshold tuned on the reader's dev rows. A model already blended is re-tuned from its
    linear parts."""
    if model.blend is not None:
        blend = model.blend
        model.thresholds, model.calibration = blend.linear_thresholds, blend.linear_calibration
        model.evidence_threshold, model.blend = blend.linear_evidence, None
    codebook, vectorizers, settings = model.codebook, model.vectorizers, model.settings
    texts = [example.text for example in examples]
    targets = np.array([[theme.id in e.themes for theme in codebook.themes] for e in examples])
    assert model.out_of_fold is not None and len(model.out_of_fold) == len(examples)

    def dev_polarity(pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
        """Linear polarity on dev pairs from a model fitted without the dev rows."""
        base = text_features(codebook, vectorizers, texts)
        dev = set(reader_dev.rows.tolist())
        kept = [i for i in range(len(examples)) if i not in dev]
        fitted = _fit_polarity(
            codebook,
            vectorizers,
            settings,
            base[kept],
            [examples[i] for i in kept],
            polarity_readings,
        )
        rows = reader_dev.rows[[k for k, _ in pairs]]
        dev_pairs = [(int(i), j) for i, (_, j) in zip(rows, pairs, strict=True)]
        matrix = polarity_features(codebook, vectorizers, settings, base, texts, dev_pairs)
        truth = [POLARITIES.index(examples[i].themes[codebook.themes[j].id]) for i, j in dev_pairs]
        return np.array(truth), in_polarity_order(fitted.predict_proba(matrix), fitted.classes_)

    linear = (model.thresholds, model.calibration, model.evidence_threshold)
    tuned = tune(reader_dev, model.out_of_fold, targets, linear, dev_polarity)
    model.blend, model.thresholds = tuned.blend, tuned.thresholds
    model.calibration, model.evidence_threshold = tuned.calibration, tuned.evidence_threshold


_HAND_CODED_WEIGHT = 3.0  # one hand-coded polarity counts as much as three of the teacher's


def _fit_polarity(
    codebook: Codebook,
    vectorizers: Vectorizers,
    settings: FeatureSettings,
    base: csr_matrix,
    examples: list[Example],
    readings: list[Example],
) -> LogisticRegression:
    """One polarity per (sentence, theme) pair."""
    index = {theme.id: j for j, theme in enumerate(codebook.themes)}

    def pairs_of(batch: list[Example]) -> list[tuple[int, int]]:
        return [(i, index[t]) for i, e in enumerate(batch) for t in e.themes if t in index]

    def labels_of(batch: list[Example]) -> list[str]:
        return [p for e in batch for t, p in e.themes.items() if t in index]

    texts = [e.text for e in examples]
    matrix = polarity_features(codebook, vectorizers, settings, base, texts, pairs_of(examples))
    labels = labels_of(examples)
    weights = np.full(len(labels), _HAND_CODED_WEIGHT)
    if readings:
        extra = [e.text for e in readings]
        extra_base = text_features(codebook, vectorizers, extra)
        matrix = vstack(
            [
                matrix,
                polarity_features(
                    codebook, vectorizers, settings, extra_base, extra, pairs_of(readings)
                ),
            ]
        ).tocsr()
        extra_labels = labels_of(readings)
        labels += extra_labels
        weights = np.concatenate([weights, np.ones(len(extra_labels))])
    return LogisticRegression(C=10, max_iter=3000).fit(matrix, labels, sample_weight=weights)


def _fit_theme(features: csr_matrix, target: np.ndarray) -> LogisticRegression | None:
    if target.sum() == 0 or target.all():  # nothing to tell apart (a tiny training set's fold)
        return None
    return LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(features, target)


def _out_of_fold(features: csr_matrix, targets: np.ndarray, folds: int = 5) -> np.ndarray:
    """Each training sentence's theme probabilities from models that did not see it."""
    out_of_fold = np.zeros(targets.shape)
    for fit_rows, held_rows in KFold(folds, shuffle=True, random_state=0).split(targets):
        for j in range(targets.shape[1]):
            model = _fit_theme(features[fit_rows], targets[fit_rows, j])
            if model is not None:
                out_of_fold[held_rows, j] = model.predict_proba(features[held_rows])[:, 1]
    return out_of_fold


def _tuned_thresholds(out_of_fold: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per-theme probability thresholds that maximise out-of-fold F1 on the training labels."""
    thresholds = np.full(targets.shape[1], 0.5)
    for j in range(targets.shape[1]):
        if targets[:, j].sum() >= 5:
            scores = [_f1(targets[:, j], out_of_fold[:, j] >= g) for g in _THRESHOLD_GRID]
            thresholds[j] = float(_THRESHOLD_GRID[int(np.argmax(scores))])
    return thresholds


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    true_positive = float(np.sum(truth & predicted))
    denominator = float(np.sum(truth) + np.sum(predicted))
    return 2 * true_positive / denominator if denominator else 0.0
