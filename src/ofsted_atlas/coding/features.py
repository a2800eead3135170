"""What the theme and polarity models read.

Themes: word and character TF-IDF of the sentence and the codebook's theme cues; with context on,
also the words of its section heading and of the sentence before it (each weighted down so the
sentence itself leads). Polarity, per (sentence, theme) pair: the sentence's features and
evaluative cues; with per-theme polarity on, also the words and evaluative cues of the clause that
names the theme, and which theme it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from .codebook import POLARITIES, Codebook
from .context import Context, theme_clause

_CUE_CAP = 3


@dataclass(frozen=True)
class FeatureSettings:
    heading_weight: float = 0.0  # 0: the section heading is not read
    previous_weight: float = 0.0  # 0: the previous sentence is not read
    per_theme_polarity: bool = False


@dataclass
class Vectorizers:
    words: TfidfVectorizer
    chars: TfidfVectorizer
    headings: TfidfVectorizer | None = None


def fit_vectorizers(texts: list[str], headings: list[str] | None = None) -> Vectorizers:
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
    heading_vectorizer = None
    if headings is not None and any(headings):
        heading_vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, dtype=np.float32
        ).fit([h or "none" for h in headings])
    return Vectorizers(words.fit(texts), chars.fit(texts), heading_vectorizer)


def text_features(codebook: Codebook, vectorizers: Vectorizers, texts: list[str]) -> csr_matrix:
    """The sentence alone: word and character TF-IDF, and the codebook's theme cues."""
    return hstack(
        [
            vectorizers.words.transform(texts),
            vectorizers.chars.transform(texts),
            theme_cues(codebook, texts),
        ]
    ).tocsr()


def theme_features(
    codebook: Codebook,
    vectorizers: Vectorizers,
    settings: FeatureSettings,
    texts: list[str],
    contexts: list[Context] | None,
    base: csr_matrix | None = None,
) -> csr_matrix:
    """The sentence's features, then (when the settings ask) its heading's and previous
    sentence's words. `base` is the sentence's text features, when already computed."""
    parts = [base if base is not None else text_features(codebook, vectorizers, texts)]
    given = contexts or [Context()] * len(texts)
    if settings.heading_weight and vectorizers.headings is not None:
        headings = vectorizers.headings.transform([c.heading or "none" for c in given])
        parts.append(headings * settings.heading_weight)
    if settings.previous_weight:
        previous = vectorizers.words.transform([c.previous for c in given])
        parts.append(previous * settings.previous_weight)
    return hstack(parts).tocsr() if len(parts) > 1 else parts[0]


def polarity_features(
    codebook: Codebook,
    vectorizers: Vectorizers,
    settings: FeatureSettings,
    base: csr_matrix,
    texts: list[str],
    pairs: list[tuple[int, int]],
) -> csr_matrix:
    """One row per (sentence index, theme index) pair."""
    rows = [i for i, _ in pairs]
    parts = [base[rows], polarity_cues(codebook, texts)[rows]]
    if settings.per_theme_polarity:
        clauses = [theme_clause(codebook.themes[j], texts[i]) for i, j in pairs]
        parts.append(vectorizers.words.transform(clauses))
        parts.append(polarity_cues(codebook, clauses))
        which = np.zeros((len(pairs), len(codebook.themes)), dtype=np.float32)
        which[np.arange(len(pairs)), [j for _, j in pairs]] = 1.0
        parts.append(csr_matrix(which))
    return hstack(parts).tocsr()


def theme_cues(codebook: Codebook, texts: list[str]) -> csr_matrix:
    counts = np.array(
        [
            [
                min(sum(1 for p in theme.patterns if p.search(text)), _CUE_CAP)
                for theme in codebook.themes
            ]
            for text in texts
        ],
        dtype=np.float32,
    ).reshape(len(texts), len(codebook.themes))
    return csr_matrix(counts / _CUE_CAP)


def polarity_cues(codebook: Codebook, texts: list[str]) -> csr_matrix:
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
    ).reshape(len(texts), len(POLARITIES))
    return csr_matrix(counts)
