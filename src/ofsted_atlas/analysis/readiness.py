"""Readiness: a council's own documents read against its last inspection and what inspectors
criticise in councils like it.

- The tracker: for each recommendation of the inspection, the document passages that address it
  (matched on wording and on the themes the model gives both) and a status: addressed (a matched
  passage describes action or evidence), mentioned (matched, without either) or not mentioned.
- Coverage: the themes most often criticised in recent inspections of councils with the same
  latest grade and of the statistical neighbours, whether the documents cover each, and cited
  findings from those reports.
- The next inspection's likely window (`next_inspection.py`).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ofsted_atlas.coding import ThemeModel, load_model

from .council_documents import CouncilDocument, Passage, describes_action
from .inspectors_focus import Peers, ThemeFocus, coverage
from .next_inspection import Backtest, Window, backtest, next_inspection
from .trajectory import Inspection, recurring_recommendations, trajectory

STATUSES = ("addressed", "mentioned", "not_mentioned")
# A passage matches a recommendation when the model reads them as about the same themes (cosine of
# their theme probabilities) and the passage holds some of its distinctive wording, or when it
# holds much of that wording whatever the themes (`wording_overlap`). Chosen on three councils'
# pairs of inspections and checked on six others (README, 'Readiness').
SAME_THEMES = 0.5
THEME_AND_WORDING = 0.10
WORDING_ALONE = 0.40
EVIDENCE_PER_ITEM = 3
_WORD = re.compile(r"[a-z]{3,}|\d{2,}")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ies", "ed", "es", "s")


@dataclass
class TrackedRecommendation:
    number: int
    text: str
    page: int | None
    themes: frozenset[str]
    status: str  # one of STATUSES
    recurring: bool
    earlier_text: str | None = None  # the previous inspection's recommendation it repeats
    evidence: list[Passage] = field(default_factory=list)
    # From the council's edited tracker (`readiness --tracker`):
    status_source: str = "documents"  # or "council"
    owner: str = ""
    due: str = ""
    notes: str = ""


@dataclass
class Readiness:
    authority: str
    la_code: str | None
    inspection: Inspection
    previous: Inspection | None
    documents: list[CouncilDocument]
    recommendations: list[TrackedRecommendation]
    themes: list[ThemeFocus]
    peers: Peers
    window: Window | None
    backtest: Backtest | None = None  # how often such windows held the next inspection


def readiness(
    conn: sqlite3.Connection,
    authority: str,
    documents: list[CouncilDocument],
    *,
    report_id: int | None = None,
    lookup: Path | None = None,
    model: ThemeModel | None = None,
) -> Readiness:
    model = model or load_model()
    journey = trajectory(conn, authority)
    if not journey.inspections:
        raise ValueError(f"{authority}: no graded inspection report is in the database")
    index = len(journey.inspections) - 1
    if report_id is not None:
        ids = [i.report_id for i in journey.inspections]
        if report_id not in ids:
            raise ValueError(f"report {report_id} is not an inspection of {journey.authority}")
        index = ids.index(report_id)
    inspection = journey.inspections[index]
    previous = journey.inspections[index - 1] if index > 0 else None
    passages = [p for d in documents for p in d.passages]
    tracked = track(conn, inspection, previous, passages, model)
    peers, focus = coverage(conn, inspection, journey.la_code, passages, lookup)
    window = next_inspection(conn, journey.la_code) if journey.la_code else None
    tested = backtest(conn) if window else None
    return Readiness(
        journey.authority,
        journey.la_code,
        inspection,
        previous,
        documents,
        tracked,
        focus,
        peers,
        window,
        tested,
    )


# ---- the tracker ------------------------------------------------------------------------------


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _analyse(text: str) -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]


def wording_overlap(
    conn: sqlite3.Connection, recommendations: list[str], passages: list[str]
) -> np.ndarray:
    """(recommendations x passages): the share of a recommendation's wording found in a passage,
    each word weighted by its rarity across every stored recommendation and the passages, so
    words all recommendations use ('ensure', 'children') count for little."""
    if not recommendations or not passages:
        return np.zeros((len(recommendations), len(passages)))
    background = [row[0] for row in conn.execute("SELECT text FROM recommendations")]
    weights = TfidfVectorizer(analyzer=_analyse, binary=True, norm=None, smooth_idf=True)
    weights.fit(background + recommendations + passages)
    left = weights.transform(recommendations)
    right = weights.transform(passages)
    right.data[:] = 1.0
    total = np.asarray(left.sum(axis=1)).ravel()
    shared = np.asarray((left @ right.T).toarray())
    return shared / np.where(total > 0, total, 1.0)[:, None]


def theme_closeness(model: ThemeModel, left: list[str], right: list[str]) -> np.ndarray:
    """Cosine of the theme probabilities the model gives each text (left x right)."""
    if not left or not right:
        return np.zeros((len(left), len(right)))
    a, b = model.theme_probabilities(left), model.theme_probabilities(right)
    a = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-9)
    b = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-9)
    return np.asarray(a @ b.T)


def track(
    conn: sqlite3.Connection,
    inspection: Inspection,
    previous: Inspection | None,
    passages: list[Passage],
    model: ThemeModel,
) -> list[TrackedRecommendation]:
    rows = conn.execute(
        "SELECT id, ordinal, number, text, page FROM recommendations WHERE report_id = ?"
        " AND scope = 'local_authority' ORDER BY ordinal",
        (inspection.report_id,),
    ).fetchall()
    texts = [row["text"] for row in rows]
    coded = model.code(texts, [True] * len(texts)) if texts else []
    rec_themes = [frozenset(c.theme for c in codings) for codings in coded]
    similarity = wording_overlap(conn, texts, [p.text for p in passages])
    closeness = theme_closeness(model, texts, [p.text for p in passages])
    repeats = {
        pair.later: pair.earlier
        for pair in (recurring_recommendations(conn, previous, inspection) if previous else [])
    }
    out = []
    for i, row in enumerate(rows):
        matched = [
            (float(similarity[i, j]), passage)
            for j, passage in enumerate(passages)
            if similarity[i, j] >= WORDING_ALONE
            or (similarity[i, j] >= THEME_AND_WORDING and closeness[i, j] >= SAME_THEMES)
        ]
        matched.sort(key=lambda pair: (not describes_action(pair[1]), -pair[0]))
        if not matched:
            status = "not_mentioned"
        elif any(describes_action(p) for _, p in matched):
            status = "addressed"
        else:
            status = "mentioned"
        out.append(
            TrackedRecommendation(
                number=row["number"] or i + 1,
                text=row["text"],
                page=row["page"],
                themes=rec_themes[i],
                status=status,
                recurring=row["text"] in repeats,
                earlier_text=repeats.get(row["text"]),
                evidence=[p for _, p in matched[:EVIDENCE_PER_ITEM]],
            )
        )
    return out


def apply_tracker_edits(result: Readiness, edits: dict[int, dict[str, str]]) -> Readiness:
    """The council's own status, owner, due date and notes (from its edited tracker) override
    what the documents suggest; rows are matched by recommendation number."""
    updated = []
    for item in result.recommendations:
        edit = edits.get(item.number)
        if not edit:
            updated.append(item)
            continue
        status = edit.get("status") or item.status
        updated.append(
            replace(
                item,
                status=status,
                status_source="council" if status != item.status else item.status_source,
                owner=edit.get("owner", ""),
                due=edit.get("due", ""),
                notes=edit.get("notes", ""),
            )
        )
    return replace(result, recommendations=updated)
