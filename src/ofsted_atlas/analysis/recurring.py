"""Recommendations that may recur from one inspection of an authority to the next.

A pair is 'possibly recurring' only when the two recommendations share a theme (as the coding
model reads them) and their wording is close (TF-IDF cosine over words and word pairs, fitted on
every recommendation in the database, at or above `THRESHOLD`). The threshold was set on
hand-labelled pairs (labels/recurring_recommendations.csv, `evaluate`): briefings and the web
show such pairs with both inspections' dates, never a score.
"""

from __future__ import annotations

import csv
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer

THRESHOLD = 0.18
CANDIDATE_FLOOR = 0.12  # pairs below this wording similarity are not even candidates


@dataclass(frozen=True)
class RecommendationPair:
    earlier_id: int
    later_id: int
    earlier: str
    later: str
    earlier_date: str | None
    later_date: str | None
    similarity: float  # kept for evaluation; never shown to readers
    shared_themes: tuple[str, ...]

    @property
    def recurring(self) -> bool:
        return bool(self.shared_themes) and self.similarity >= THRESHOLD


class _Recs:
    def __init__(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute(
            "SELECT id, report_id, text FROM recommendations WHERE scope = 'local_authority'"
            " ORDER BY id"
        ).fetchall()
        self.text = {int(r[0]): str(r[2]) for r in rows}
        self.by_report: dict[int, list[int]] = defaultdict(list)
        for r in rows:
            self.by_report[int(r[1])].append(int(r[0]))
        self.index = {rec_id: i for i, rec_id in enumerate(self.text)}
        vectoriser = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True)
        self.matrix = vectoriser.fit_transform(list(self.text.values()))

    def cosine(self, a: list[int], b: list[int]) -> list[list[float]]:
        left = self.matrix[[self.index[i] for i in a]]
        right = self.matrix[[self.index[i] for i in b]]
        return (left @ right.T).toarray().tolist()  # type: ignore[no-any-return]


_CACHE: dict[tuple[int, int, int], _Recs] = {}


def _recs_for(conn: sqlite3.Connection) -> _Recs:
    """The vectorised recommendations, rebuilt whenever the database's recommendations change."""
    count, last = conn.execute(
        "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM recommendations"
    ).fetchone()
    key = (id(conn), int(count), int(last))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _Recs(conn)
    return _CACHE[key]


def _themes(conn: sqlite3.Connection, texts: dict[int, str]) -> dict[int, set[str]]:
    from ofsted_atlas.coding import load_model

    order = list(texts)
    coded = load_model().code([texts[i] for i in order]) if order else []
    out: dict[int, set[str]] = defaultdict(set)
    for rec_id, codings in zip(order, coded, strict=True):
        out[rec_id] = {c.theme for c in codings}
    return out


def pairs_between(
    conn: sqlite3.Connection,
    earlier: tuple[int, str | None],
    later: tuple[int, str | None],
) -> list[RecommendationPair]:
    """Every candidate pair between two reports (report id, inspection end): each later
    recommendation with its closest earlier one, when at least `CANDIDATE_FLOOR` alike."""
    recs = _recs_for(conn)
    a, b = recs.by_report.get(earlier[0], []), recs.by_report.get(later[0], [])
    if not a or not b:
        return []
    cosine = recs.cosine(b, a)
    themes = _themes(conn, {i: recs.text[i] for i in a + b})
    pairs = []
    for j, later_id in enumerate(b):
        best = max(range(len(a)), key=lambda i: cosine[j][i])
        if cosine[j][best] < CANDIDATE_FLOOR:
            continue
        earlier_id = a[best]
        pairs.append(
            RecommendationPair(
                earlier_id,
                later_id,
                recs.text[earlier_id],
                recs.text[later_id],
                earlier[1],
                later[1],
                round(float(cosine[j][best]), 3),
                tuple(sorted(themes[earlier_id] & themes[later_id])),
            )
        )
    return pairs


def possibly_recurring(
    conn: sqlite3.Connection, earlier: object, later: object
) -> list[RecommendationPair]:
    """Pairs between two `Inspection`s that pass the test, in the later report's order."""
    pairs = pairs_between(
        conn,
        (earlier.report_id, earlier.inspection_end),  # type: ignore[attr-defined]
        (later.report_id, later.inspection_end),  # type: ignore[attr-defined]
    )
    return [p for p in pairs if p.recurring]


def all_candidates(conn: sqlite3.Connection) -> list[RecommendationPair]:
    """Candidate pairs across every authority's consecutive inspections."""
    rows = conn.execute(
        "SELECT id, COALESCE(la_code, la_name, local_authority), inspection_end FROM reports"
        " WHERE status = 'parsed' AND publication_type = 'inspection'"
        " ORDER BY 2, inspection_end"
    ).fetchall()
    out = []
    for before, after in pairwise(rows):
        if before[1] == after[1]:
            out += pairs_between(conn, (before[0], before[2]), (after[0], after[2]))
    return out


@dataclass(frozen=True)
class Scores:
    labelled: int
    recurring: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.recurring if self.recurring else 1.0


def evaluate(conn: sqlite3.Connection, labels: Path, corpus: Path) -> Scores:
    """Precision and recall of `recurring` on hand-labelled pairs, stored as references
    (report file under the corpus folder, recommendation ordinal), never as text."""
    ids: dict[tuple[str, int], int] = {}
    root = corpus.resolve()
    for rec_id, source, ordinal in conn.execute(
        "SELECT c.id, r.source, c.ordinal FROM recommendations c JOIN reports r"
        " ON r.id = c.report_id WHERE c.scope = 'local_authority'"
    ):
        try:
            ids[(Path(source).resolve().relative_to(root).as_posix(), int(ordinal))] = rec_id
        except ValueError:
            continue
    candidates = {(p.earlier_id, p.later_id): p for p in all_candidates(conn)}
    labelled = recurring = predicted = correct = 0
    with labels.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            earlier = ids.get((row["earlier_file"], int(row["earlier_ordinal"])))
            later = ids.get((row["later_file"], int(row["later_ordinal"])))
            if earlier is None or later is None:
                continue
            labelled += 1
            truth = row["recurring"] == "1"
            pair = candidates.get((earlier, later))
            guess = bool(pair and pair.recurring)
            recurring += truth
            predicted += guess
            correct += truth and guess
    return Scores(labelled, recurring, predicted, correct)
