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
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ofsted_atlas.coding import ThemeModel, load_model
from ofsted_atlas.parse.authorities import load_lookup

from .council_documents import CouncilDocument, Passage
from .next_inspection import Backtest, Window, backtest, family_of, next_inspection
from .themes import Evidence
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
# What makes a passage describe action or evidence rather than merely name an issue.
ACTION_CUES = tuple(
    re.compile(cue, re.I)
    for cue in (
        r"\bwe (?:have|will|are|now|introduced|launched|set up|appointed|created|put)\b",
        r"\b(?:has|have|had|was|were) (?:now |been |recently )*(?:introduced|implemented|"
        r"established|launched|strengthened|improved|reduced|increased|recruited|appointed|"
        r"developed|created|completed|reviewed|embedded|commissioned|restructured|redesigned|"
        r"trained|audited|agreed|extended|expanded|replaced|refreshed)\b",
        r"\b(?:is|are) now\b|\bnow (?:has|have|is|are|receive|see|take)\b",
        r"\b(?:improved|improving|better|stronger|more consistent|increasingly|more timely)\b",
        r"\b\d+(?:\.\d+)?\s?(?:%|per cent)",
        r"\baudits? (?:show|shows|showed|found|finds|demonstrate)",
        r"\b(?:action plan|improvement plan|by (?:january|february|march|april|may|june|july|"
        r"august|september|october|november|december|\w+ \d{4}|the end of)|target|milestone)\b",
        r"\b(?:training|programme|pilot|new (?:team|service|framework|policy|tool|panel|model))\b",
    )
)
# Coverage: a report criticises a theme when at least this many of its sentences code it as a
# weakness; themes ranked by the share of peer reports that criticise them.
CRITICISED_MIN = 3
FOCUS_THEMES = 8
RECENT_YEARS = 3
FINDINGS_PER_THEME = 3
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
class ThemeFocus:
    theme: str
    criticised_share: float  # of all peer reports
    grade_share: float | None  # of councils with the same latest grade
    neighbour_share: float | None  # of the statistical neighbours
    covered: bool
    evidence: list[Passage]
    findings: list[Evidence]


@dataclass
class Peers:
    since: str
    grade: str | None
    family: str
    grade_reports: int
    neighbour_reports: int


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


def describes_action(passage: Passage) -> bool:
    """The passage, or the paragraph it stands in, describes action or evidence."""
    text = passage.context or passage.text
    return passage.polarity == "strength" or any(c.search(text) for c in ACTION_CUES)


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


# ---- coverage against inspectors' focus -------------------------------------------------------


def coverage(
    conn: sqlite3.Connection,
    inspection: Inspection,
    la_code: str | None,
    passages: list[Passage],
    lookup: Path | None,
) -> tuple[Peers, list[ThemeFocus]]:
    grade = inspection.judgements.get("overall_effectiveness")
    family = family_of(inspection.framework)
    newest = conn.execute(
        "SELECT MAX(inspection_end) FROM reports WHERE status = 'parsed'"
        " AND publication_type = 'inspection'"
    ).fetchone()[0]
    since = (date.fromisoformat(newest) - timedelta(days=round(365.25 * RECENT_YEARS))).isoformat()
    recent: dict[str, tuple[int, str | None]] = {}  # la_code -> latest recent report and grade
    for code, report_id, framework, overall in conn.execute(
        "SELECT r.la_code, r.id, r.framework, j.grade FROM reports r LEFT JOIN judgements j"
        " ON j.report_id = r.id AND j.key = 'overall_effectiveness' WHERE r.status = 'parsed'"
        " AND r.publication_type = 'inspection' AND r.la_code IS NOT NULL"
        " AND r.inspection_end >= ? ORDER BY r.inspection_end",
        (since,),
    ):
        if family_of(framework) == family and code != la_code:
            recent[code] = (report_id, overall)
    neighbour_codes: set[str] = set()
    if lookup is not None and la_code:
        rows = {row.la_code: row for row in load_lookup(lookup)}
        neighbour_codes = set(rows[la_code].stat_neighbours) if la_code in rows else set()
    same_grade = {r for r, g in recent.values() if grade is not None and g == grade}
    near = {recent[c][0] for c in neighbour_codes if c in recent}
    peers = Peers(since, grade, family, len(same_grade), len(near))
    criticised = _criticised(conn, same_grade | near)
    everyone = same_grade | near
    if not everyone:
        return peers, []

    def share(group: set[int], theme: str) -> float | None:
        return sum(theme in criticised[r] for r in group) / len(group) if group else None

    counts = Counter(theme for r in everyone for theme in criticised[r])
    weight = _weakness_counts(conn, everyone)
    ranked = sorted(counts, key=lambda theme: (-counts[theme], -weight[theme], theme))
    focus = []
    for theme in ranked[:FOCUS_THEMES]:
        count = counts[theme]
        covering = [p for p in passages if theme in p.themes]
        covering.sort(key=lambda p: not describes_action(p))
        focus.append(
            ThemeFocus(
                theme=theme,
                criticised_share=round(count / len(everyone), 3),
                grade_share=share(same_grade, theme),
                neighbour_share=share(near, theme),
                covered=bool(covering),
                evidence=covering[:EVIDENCE_PER_ITEM],
                findings=_findings(conn, theme, everyone),
            )
        )
    return peers, focus


def _criticised(conn: sqlite3.Connection, reports: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {r: set() for r in reports}
    if not reports:
        return out
    marks = ", ".join("?" for _ in reports)
    for report_id, theme in conn.execute(
        f"SELECT report_id, theme FROM codings WHERE polarity = 'weakness' AND report_id IN"
        f" ({marks}) GROUP BY report_id, theme HAVING COUNT(*) >= ?",
        [*reports, CRITICISED_MIN],
    ):
        out[report_id].add(theme)
    return out


def _weakness_counts(conn: sqlite3.Connection, reports: set[int]) -> Counter[str]:
    """Weakness codings per theme across the reports: breaks ties between equally common themes."""
    marks = ", ".join("?" for _ in reports)
    return Counter(
        dict(
            conn.execute(
                f"SELECT theme, COUNT(*) FROM codings WHERE polarity = 'weakness'"
                f" AND report_id IN ({marks}) GROUP BY theme",
                list(reports),
            ).fetchall()
        )
    )


def _findings(conn: sqlite3.Connection, theme: str, reports: set[int]) -> list[Evidence]:
    """The most confidently coded criticisms of the theme, one per report, in findings (not in
    recommendation lists, which repeat them in the imperative)."""
    marks = ", ".join("?" for _ in reports)
    rows = conn.execute(
        "SELECT cs.report_id, COALESCE(r.la_name, r.local_authority), r.framework,"
        " r.inspection_end, r.source, cs.page, cs.paragraph_number, cs.section, cs.sentence,"
        " cs.confidence FROM coded_sentences cs JOIN reports r ON r.id = cs.report_id"
        f" WHERE cs.theme = ? AND cs.polarity = 'weakness' AND cs.report_id IN ({marks})"
        " AND length(cs.sentence) BETWEEN 60 AND 320 ORDER BY cs.confidence DESC LIMIT 400",
        [theme, *reports],
    ).fetchall()
    from ofsted_atlas.coding import _RECOMMENDATION_SECTION

    out: list[Evidence] = []
    seen: set[int] = set()
    for row in rows:
        if row[0] in seen or (row[7] and _RECOMMENDATION_SECTION.search(row[7])):
            continue
        seen.add(row[0])
        out.append(Evidence(*row))
        if len(out) == FINDINGS_PER_THEME:
            break
    return out
