"""`make eval-coding`: the theme model on our held-out labels, coder agreement, and the report
tone's rank correlation with the overall effectiveness grade across a coded database."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score

from .calibration import reliability
from .codebook import THEME_IDS, load_codebook
from .context import Context
from .labels import LabelledSentence, load_heldout_readings, load_labels, load_second_reader
from .labels import examples as labelled_examples
from .model import Example, ThemeModel, load_model

GRADE_RANK = {
    "inadequate": 1,
    "requires_improvement": 2,
    "adequate": 2,
    "good": 3,
    "outstanding": 4,
}


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    per_theme: list[ThemeScore]
    micro_f1: float
    macro_f1: float
    polarity_accuracy: float
    polarity_pairs: int
    sentences: int
    theme_kappa: float = float("nan")
    polarity_kappa: float = float("nan")


def evaluate(model: ThemeModel, labels: list[LabelledSentence], corpus: Path) -> Evaluation:
    return score(*heldout_codings(model, labels, corpus))


def heldout_codings(
    model: ThemeModel,
    labels: list[LabelledSentence],
    corpus: Path,
    examples: list[Example] | None = None,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(gold, model's) theme -> polarity for each held-out sentence."""
    if examples is None:
        examples = labelled_examples([label for label in labels if label.heldout], corpus)
    predicted = model.code([e.text for e in examples], None, [e.context for e in examples])
    return [e.themes for e in examples], [{c.theme: c.polarity for c in cs} for cs in predicted]


def score(gold: list[dict[str, str]], guess: list[dict[str, str]]) -> Evaluation:
    per_theme = []
    totals = np.zeros(3)
    for theme in THEME_IDS:
        tp = sum(theme in g and theme in p for g, p in zip(gold, guess, strict=True))
        fp = sum(theme not in g and theme in p for g, p in zip(gold, guess, strict=True))
        fn = sum(theme in g and theme not in p for g, p in zip(gold, guess, strict=True))
        totals += (tp, fp, fn)
        per_theme.append(ThemeScore(theme, *_prf(tp, fp, fn), support=tp + fn))
    micro = _prf(*totals)[2]
    macro = float(np.mean([s.f1 for s in per_theme if s.support]))
    shared = [(g[t], p[t]) for g, p in zip(gold, guess, strict=True) for t in g.keys() & p.keys()]
    accuracy = sum(a == b for a, b in shared) / len(shared) if shared else 0.0
    return Evaluation(
        per_theme,
        micro,
        macro,
        accuracy,
        len(shared),
        len(gold),
        theme_kappa=_kappa(
            [t in g for g in gold for t in THEME_IDS], [t in p for p in guess for t in THEME_IDS]
        ),
        polarity_kappa=_kappa([a for a, _ in shared], [b for _, b in shared]),
    )


def _kappa(first: list[Any], second: list[Any]) -> float:
    """Cohen's kappa: agreement beyond what the two sides' own label frequencies give by chance.
    For themes, over every (sentence, theme) yes/no decision; for polarity, over the pairs both
    sides gave the theme. NaN when there is nothing to compare or no variation at all."""
    if not first or len(set(first) | set(second)) < 2:
        return float("nan")
    return float(cohen_kappa_score(first, second))


def bootstrap_intervals(
    gold: list[dict[str, str]],
    guess: list[dict[str, str]],
    draws: int = 2000,
    seed: int = 0,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """95% intervals for theme micro-F1 and polarity accuracy, resampling sentences.

    Why: a few hundred held-out sentences measure these only to a few points; the interval says
    which differences (and which goals) the measurement can tell apart."""
    tp = np.array([len(g.keys() & p.keys()) for g, p in zip(gold, guess, strict=True)])
    fp = np.array([len(p.keys() - g.keys()) for g, p in zip(gold, guess, strict=True)])
    fn = np.array([len(g.keys() - p.keys()) for g, p in zip(gold, guess, strict=True)])
    agree = np.array(
        [sum(g[t] == p[t] for t in g.keys() & p.keys()) for g, p in zip(gold, guess, strict=True)]
    )
    picks = np.random.default_rng(seed).integers(0, len(gold), size=(draws, len(gold)))
    tps, fps, fns = tp[picks].sum(1), fp[picks].sum(1), fn[picks].sum(1)
    micro = np.divide(2 * tps, 2 * tps + fps + fns, out=np.zeros(draws), where=tps + fps + fns > 0)
    accuracy = np.divide(agree[picks].sum(1), tps, out=np.zeros(draws), where=tps > 0)
    return _interval(micro), _interval(accuracy)


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def coder_agreement(labels: list[LabelledSentence]) -> tuple[Evaluation, Evaluation]:
    """How far two readers agree: the held-out set's two independent readings, and the earlier
    spot check (a second reader against the first reading of the sentences both coded)."""
    readings = load_heldout_readings()
    ids = sorted(readings)
    heldout = score([readings[i][0] for i in ids], [readings[i][1] for i in ids])
    first = {label.id: label.themes for label in labels}
    first.update({i: pair[0] for i, pair in readings.items()})
    second = load_second_reader()
    spot = sorted(second)
    return heldout, score([first[i] for i in spot], [second[i] for i in spot])


_NAME_WIDTH = 54


def theme_table(result: Evaluation) -> list[str]:
    """Per-theme precision, recall, F1 and support, themes by their codebook names."""
    names = {theme.id: theme.name for theme in load_codebook().themes}
    lines = [f"{'theme':<{_NAME_WIDTH}}{'precision':>10}{'recall':>8}{'F1':>7}{'support':>9}"]
    for s in result.per_theme:
        name = names.get(s.theme, s.theme)[: _NAME_WIDTH - 1]
        lines.append(
            f"{name:<{_NAME_WIDTH}}{s.precision:>10.2f}{s.recall:>8.2f}{s.f1:>7.2f}{s.support:>9}"
        )
    return lines


def against(model: ThemeModel, path: Path, corpus: Path) -> tuple[Evaluation, str]:
    """The model scored against every sentence of a labelled file in our labels format (e.g. a
    council's own coders), and the printed report."""
    labels = load_labels(path)
    examples = labelled_examples(labels, corpus)
    predicted = model.code([e.text for e in examples], None, [e.context for e in examples])
    gold = [e.themes for e in examples]
    guess = [{c.theme: c.polarity for c in cs} for cs in predicted]
    result = score(gold, guess)
    micro_interval, polarity_interval = bootstrap_intervals(gold, guess)
    used = sum(1 for s in result.per_theme if s.support)
    lines = [
        f"{path}: {result.sentences:,} sentences, scored against {model.description}",
        *theme_table(result),
        f"theme micro-F1 {result.micro_f1:.3f} (95% interval {_span(micro_interval)}), "
        f"macro-F1 {result.macro_f1:.3f} (mean over the {used} themes the file uses)",
        f"theme agreement, Cohen's kappa {result.theme_kappa:.3f} (every sentence x theme yes/no)",
        f"polarity accuracy {result.polarity_accuracy:.3f} (95% interval "
        f"{_span(polarity_interval)}), Cohen's kappa {result.polarity_kappa:.3f}, on the "
        f"{result.polarity_pairs:,} themes both the file and the model gave",
    ]
    return result, "\n".join(lines)


def calibration_report(
    model: ThemeModel,
    texts: list[str],
    gold: list[dict[str, str]],
    contexts: list[Context] | None = None,
) -> str:
    """How far the codings' confidence can be trusted on labelled sentences the model never saw:
    reliability bins and expected calibration error (raw probabilities against calibrated), and
    the precision of codings at or above the evidence threshold."""
    predicted = model.code(texts, None, contexts)
    raw = model.theme_probabilities(texts, contexts)
    index = {theme: j for j, theme in enumerate(THEME_IDS)}
    confidence, raw_confidence, right, both_right = [], [], [], []
    for row, (codings, truth) in enumerate(zip(predicted, gold, strict=True)):
        for c in codings:
            confidence.append(c.confidence)
            raw_confidence.append(raw[row, index[c.theme]])
            right.append(c.theme in truth)
            both_right.append(truth.get(c.theme) == c.polarity)
    conf, hits = np.array(confidence), np.array(right, dtype=float)
    calibrated = reliability(conf, hits)
    uncalibrated = reliability(np.array(raw_confidence), hits)
    above = conf >= model.evidence_threshold
    lines = [
        f"confidence, {len(conf)} codings of the held-out sentences: expected calibration error "
        f"{calibrated.ece:.3f} calibrated ({uncalibrated.ece:.3f} before calibration)",
        f"{'confidence':>12}{'mean':>7}{'right':>7}{'codings':>9}",
        *(
            f"{low:>8.1f}-{low + 0.1:.1f}{mean:>7.2f}{share:>7.2f}{n:>9}"
            for low, mean, share, n in calibrated.bins
        ),
        f"evidence threshold {model.evidence_threshold:.3f}: {int(above.sum())} held-out codings "
        f"at or above it, theme right {hits[above].mean() if above.any() else float('nan'):.3f}, "
        f"theme and polarity right "
        f"{np.array(both_right)[above].mean() if above.any() else float('nan'):.3f} (goal >= 0.9)",
    ]
    return "\n".join(lines)


def _span(interval: tuple[float, float]) -> str:
    return f"{interval[0]:.3f}-{interval[1]:.3f}"


def tone_correlation(conn: sqlite3.Connection) -> tuple[float, int]:
    """Spearman's rho between each coded report's tone and its overall effectiveness grade."""
    rows = conn.execute(
        "SELECT c.tone, j.grade FROM coding_runs c JOIN judgements j ON j.report_id = c.report_id"
        " AND j.key = 'overall_effectiveness' WHERE c.tone IS NOT NULL"
    ).fetchall()
    if len(rows) < 3:
        return float("nan"), len(rows)
    rho = spearmanr([r[0] for r in rows], [GRADE_RANK[r[1]] for r in rows]).statistic
    return float(rho), len(rows)


def report(corpus: Path, conn: sqlite3.Connection | None) -> str:
    model = load_model()
    labels = load_labels()
    examples = labelled_examples([label for label in labels if label.heldout], corpus)
    gold, guess = heldout_codings(model, labels, corpus, examples)
    result = score(gold, guess)
    micro_interval, polarity_interval = bootstrap_intervals(gold, guess)
    heldout, spot = coder_agreement(labels)
    lines = [
        f"held-out sentences: {result.sentences} (trained on {model.trained_on})",
        *theme_table(result),
    ]
    lines += [
        f"micro-F1 {result.micro_f1:.3f} (95% interval {_span(micro_interval)})   "
        f"macro-F1 {result.macro_f1:.3f}   (goal micro >= 0.85); "
        f"Cohen's kappa {result.theme_kappa:.3f}",
        f"polarity accuracy {result.polarity_accuracy:.3f} (95% interval "
        f"{_span(polarity_interval)}) on {result.polarity_pairs} correctly themed pairs "
        f"(goal >= 0.92); Cohen's kappa {result.polarity_kappa:.3f}",
        f"coder agreement, two independent readings of the {heldout.sentences} held-out "
        f"sentences (disagreements then adjudicated): theme micro-F1 {heldout.micro_f1:.3f}, "
        f"polarity {heldout.polarity_accuracy:.3f}",
        f"coder agreement, earlier spot check ({spot.sentences} sentences): theme micro-F1 "
        f"{spot.micro_f1:.3f}, polarity {spot.polarity_accuracy:.3f}",
    ]
    lines.append(
        calibration_report(model, [e.text for e in examples], gold, [e.context for e in examples])
    )
    if conn is not None:
        rho, n = tone_correlation(conn)
        lines.append(
            f"report tone vs overall grade: Spearman rho {rho:.3f} over {n} reports (goal >= 0.85)"
        )
    return "\n".join(lines)
