"""The theme classifier: TF-IDF words and character n-grams, the codebook's cues, one logistic
regression per theme (threshold tuned by cross-validation), and a polarity model over the same
text features plus the codebook's evaluative cues.

A saved model carries FORMAT_VERSION and refuses to load when the format changed (retrain with
`make train-coding`).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import pickle
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from ofsted_atlas.errors import AtlasError

from .codebook import POLARITIES, Codebook, load_codebook

FORMAT_VERSION = 1
DEFAULT_MODEL = Path(__file__).with_name("model") / "theme_model.pkl.gz"
_THRESHOLD_GRID = np.arange(0.2, 0.85, 0.05)
_CUE_CAP = 3


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
    words: TfidfVectorizer
    chars: TfidfVectorizer
    theme_models: list[LogisticRegression | None]
    thresholds: np.ndarray
    polarity_model: LogisticRegression
    trained_on: int
    format_version: int = FORMAT_VERSION
    sklearn_version: str = sklearn.__version__
    meta: dict[str, Any] = field(default_factory=dict)
    source_path: Path | None = None  # where it was loaded from (worker processes reload it)

    @property
    def version(self) -> str:
        """Identity stored with every coding: recoding happens when this changes."""
        digest = hashlib.sha256(
            f"{self.format_version}:{self.trained_on}:{self.meta.get('trained_at', '')}:"
            f"{self.codebook.version}".encode()
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
        return (
            f"the theme model trained on {when} from {self.trained_on:,} hand-coded sentences"
            f" (codebook version {self.codebook.version})"
        )

    def code(
        self, texts: list[str], weakness_context: list[bool] | None = None
    ) -> list[list[Coding]]:
        """Themes with polarity for each sentence. `weakness_context[i]` marks a sentence from a
        recommendations list: weakness by the codebook's rule."""
        if not texts:
            return []
        features = self._features(texts)
        probabilities = self._theme_probabilities(features)
        polarity = self.polarity_model.predict_proba(
            _polarity_features(self.codebook, features, texts)
        )
        classes = list(self.polarity_model.classes_)
        out: list[list[Coding]] = []
        for row, text in enumerate(texts):
            chosen = np.flatnonzero(probabilities[row] >= self.thresholds)
            forced = weakness_context is not None and weakness_context[row]
            label = "weakness" if forced else classes[int(np.argmax(polarity[row]))]
            out.append(
                [
                    Coding(
                        theme=self.codebook.themes[j].id,
                        polarity=label,
                        confidence=round(float(probabilities[row, j]), 3),
                        cues=tuple(self.codebook.themes[j].matching_cues(text)),
                    )
                    for j in chosen
                ]
            )
        return out

    def theme_probabilities(self, texts: list[str]) -> np.ndarray:
        """Each text's probability of each theme, before the thresholds (for comparisons)."""
        return self._theme_probabilities(self._features(texts))

    def _features(self, texts: list[str]) -> csr_matrix:
        return _text_features(self.codebook, self.words, self.chars, texts)

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


def load_model(path: Path = DEFAULT_MODEL) -> ThemeModel:
    """The model at `path`, loaded once per process (it is read-only once trained)."""
    return _load_model(path.resolve(), path.stat().st_mtime if path.exists() else 0.0)


@functools.lru_cache(maxsize=4)
def _load_model(path: Path, mtime: float) -> ThemeModel:
    del mtime  # part of the cache key: a retrained file is loaded afresh
    if not path.exists():
        raise ModelError(f"{path}: no trained theme model here")
    with gzip.open(path, "rb") as handle:
        model = pickle.load(handle)
    if not isinstance(model, ThemeModel) or model.format_version != FORMAT_VERSION:
        found = getattr(model, "format_version", "unknown")
        raise ModelError(f"{path}: model format {found}, this version reads {FORMAT_VERSION}")
    model.source_path = path
    return model


def _text_features(
    codebook: Codebook, words: TfidfVectorizer, chars: TfidfVectorizer, texts: list[str]
) -> csr_matrix:
    """What the theme models read: word and character TF-IDF, and the codebook's theme cues."""
    return hstack(
        [words.transform(texts), chars.transform(texts), _theme_cues(codebook, texts)]
    ).tocsr()


def _polarity_features(codebook: Codebook, features: csr_matrix, texts: list[str]) -> csr_matrix:
    """What the polarity model reads: the text features plus the codebook's evaluative cues."""
    return hstack([features, _polarity_cues(codebook, texts)]).tocsr()


def _theme_cues(codebook: Codebook, texts: list[str]) -> csr_matrix:
    counts = np.array(
        [
            [
                min(sum(1 for p in theme.patterns if p.search(text)), _CUE_CAP)
                for theme in codebook.themes
            ]
            for text in texts
        ],
        dtype=np.float32,
    )
    return csr_matrix(counts / _CUE_CAP)


def _polarity_cues(codebook: Codebook, texts: list[str]) -> csr_matrix:
    patterns = codebook.polarity_patterns
    counts = np.array(
        [
            [
                min(sum(1 for p in patterns.get(key, ()) if p.search(text)), 4) / 4
                for key in POLARITIES
            ]
            for text in texts
        ],
        dtype=np.float32,
    )
    return csr_matrix(counts)


@dataclass(frozen=True)
class Example:
    text: str
    themes: dict[str, str]  # theme -> polarity


def train(
    examples: list[Example],
    codebook: Codebook | None = None,
    trained_at: str = "",
    polarity_readings: list[Example] | None = None,
) -> ThemeModel:
    """Themes from `examples` (hand-coded); polarity from those and, when given, the teacher's
    readings of unlabelled sentences (see teacher.py), the hand-coded ones weighing more."""
    codebook = codebook or load_codebook()
    texts = [example.text for example in examples]
    targets = np.array([[theme.id in e.themes for theme in codebook.themes] for e in examples])
    words, chars = _vectorizers(texts)
    features = _text_features(codebook, words, chars, texts)
    models = [_fit_theme(features, targets[:, j]) for j in range(targets.shape[1])]
    thresholds = _tuned_thresholds(features, targets)
    polarity_model = _fit_polarity(
        codebook, words, chars, features, examples, polarity_readings or []
    )
    return ThemeModel(
        codebook=codebook,
        words=words,
        chars=chars,
        theme_models=models,
        thresholds=thresholds,
        polarity_model=polarity_model,
        trained_on=len(examples),
        meta={"trained_at": trained_at, "polarity_readings": len(polarity_readings or [])},
    )


_HAND_CODED_WEIGHT = 3.0  # one hand-coded polarity counts as much as three of the teacher's


def _fit_polarity(
    codebook: Codebook,
    words: TfidfVectorizer,
    chars: TfidfVectorizer,
    features: csr_matrix,
    examples: list[Example],
    readings: list[Example],
) -> LogisticRegression:
    """One polarity per (sentence, theme) pair, over the text features and evaluative cues."""
    picks = [i for i, e in enumerate(examples) for _ in e.themes]
    matrix = _polarity_features(codebook, features, [e.text for e in examples])[picks]
    labels = [p for e in examples for p in e.themes.values()]
    weights = np.full(len(picks), _HAND_CODED_WEIGHT)
    if readings:
        extra = [e.text for e in readings]
        extra_features = _polarity_features(
            codebook, _text_features(codebook, words, chars, extra), extra
        )
        extra_picks = [i for i, e in enumerate(readings) for _ in e.themes]
        matrix = vstack([matrix, extra_features[extra_picks]]).tocsr()
        labels += [p for e in readings for p in e.themes.values()]
        weights = np.concatenate([weights, np.ones(len(extra_picks))])
    return LogisticRegression(C=10, max_iter=3000).fit(matrix, labels, sample_weight=weights)


def _vectorizers(texts: list[str]) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    words = TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, max_features=30_000, dtype=np.float32
    )
    chars = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 5),
        min_df=2,
        sublinear_tf=True,
        max_features=40_000,
        dtype=np.float32,
    )
    return words.fit(texts), chars.fit(texts)


def _fit_theme(features: csr_matrix, target: np.ndarray) -> LogisticRegression | None:
    if target.sum() == 0 or target.all():  # nothing to tell apart (a tiny training set's fold)
        return None
    return LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(features, target)


def _tuned_thresholds(features: csr_matrix, targets: np.ndarray, folds: int = 5) -> np.ndarray:
    """Per-theme probability thresholds that maximise out-of-fold F1 on the training labels."""
    out_of_fold = np.zeros(targets.shape)
    for fit_rows, held_rows in KFold(folds, shuffle=True, random_state=0).split(targets):
        for j in range(targets.shape[1]):
            model = _fit_theme(features[fit_rows], targets[fit_rows, j])
            if model is not None:
                out_of_fold[held_rows, j] = model.predict_proba(features[held_rows])[:, 1]
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
