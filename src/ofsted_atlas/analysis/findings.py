"""Findings, not statistics: what inspectors praise or criticise, theme by theme, in their words.

For one polarity (strength or weakness), every theme is ranked by its prevalence within each
grade group (the share of the group's reports that feature it: at least `MIN_SENTENCES` such
coded findings outside the recommendation lists). Distinctiveness (inadequate against good or
better, Fisher's exact test, Benjamini-Hochberg corrected) is a second lens, never the ranking.

Within a theme, the coded sentences are clustered (TF-IDF, latent semantic analysis, k-means)
into a few sub-findings. Each is written as its most representative quotable sentence (the one
nearest its cluster's centre), how many reports of each group say it, and up to three more cited
sentences from other authorities. Nothing is paraphrased: every sentence shown is Ofsted's.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.stats import false_discovery_control, fisher_exact
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from ofsted_atlas.coding.codebook import load_codebook

from .filters import Filters
from .labels import GROUP_LABELS, group_of
from .quotes import QuoteGuard, is_quotable, on_theme

GROUPS = ("inadequate", "requires_improvement", "good_or_better")
# Groups made of others: weaker authorities are those not yet good.
COMBINED = {"not_yet_good": ("inadequate", "requires_improvement")}


def members(group: str) -> tuple[str, ...]:
    return COMBINED.get(group, (group,))


MIN_SENTENCES = 2  # a report features a theme when it has at least this many such findings
MIN_GROUP = 5  # below this many reports a group is too small to rank or compare
MAX_CLUSTERS = 8
MIN_CLUSTER_REPORTS = 3
FIT_SAMPLE = 1500  # sentences the clusters are fitted on; every sentence is then assigned
MIN_QUOTE_CONFIDENCE = 0.9  # the coding model's confidence in a quoted sentence's theme


@dataclass(frozen=True)
class Sentence:
    sentence_id: int
    report_id: int
    authority: str
    framework: str
    inspection_end: str | None
    source: str
    urn: str | None
    page: int | None
    paragraph_number: int | None
    text: str
    confidence: float
    group: str


@dataclass
class Finding:
    headline: Sentence
    quotes: list[Sentence]
    reports: dict[str, int]  # group -> reports with a sentence in this sub-finding


@dataclass
class ThemeFinding:
    theme: str
    name: str
    polarity: str
    featured: dict[str, int]  # group -> reports featuring the theme
    sizes: dict[str, int]  # group -> reports in scope
    sentences: dict[str, int] = field(default_factory=dict)  # group -> such findings in all
    rank: int = 0
    tied_with: int = 1  # how many themes share this rank
    p_value: float = 1.0
    q_value: float = 1.0
    findings: list[Finding] = field(default_factory=list)

    def count(self, group: str) -> int:
        return sum(self.featured.get(g, 0) for g in members(group))

    def size(self, group: str) -> int:
        return sum(self.sizes.get(g, 0) for g in members(group))

    def per_report(self, group: str) -> float:
        """Such findings per report of the group, on average (the tie-breaker)."""
        size = self.size(group)
        return sum(self.sentences.get(g, 0) for g in members(group)) / size if size else 0.0

    def share(self, group: str) -> float:
        return self.count(group) / self.size(group) if self.size(group) else 0.0

    @property
    def distinctiveness(self) -> float:
        """Share points by which inadequate reports feature it more than good or better ones."""
        return self.share("inadequate") - self.share("good_or_better")


@dataclass
class Ranking:
    polarity: str
    group: str  # the group ranked by
    sizes: dict[str, int]
    themes: list[ThemeFinding]

    @property
    def size(self) -> int:
        return sum(self.sizes.get(g, 0) for g in members(self.group))

    @property
    def too_small(self) -> bool:
        return self.size < MIN_GROUP

    @property
    def comparable(self) -> bool:
        """Both inadequate and good or better groups are big enough to compare."""
        return min(self.sizes.get("inadequate", 0), self.sizes.get("good_or_better", 0)) >= (
            MIN_GROUP
        )

    def included(self, min_share: float) -> list[ThemeFinding]:
        return [t for t in self.themes if t.share(self.group) >= min_share and t.count(self.group)]


def report_groups(
    conn: sqlite3.Connection, filters: Filters, judgement: str = "overall_effectiveness"
) -> dict[int, str]:
    """Coded reports in scope -> grade group of their overall (or given) judgement."""
    where, params = filters.sql()
    rows = conn.execute(
        f"SELECT r.id, j.grade FROM reports r JOIN judgements j ON j.report_id = r.id"
        f" AND j.key = ? JOIN coding_runs c ON c.report_id = r.id WHERE {where}",
        [judgement, *params],
    )
    return {rid: g for rid, grade in rows if (g := group_of(grade))}


def _sentences(
    conn: sqlite3.Connection, groups: dict[int, str], polarity: str
) -> dict[str, list[Sentence]]:
    """theme -> coded findings of this polarity in the reports, recommendation lists left out."""
    if not groups:
        return {}
    marks = ", ".join("?" for _ in groups)
    recommendations: dict[int, list[str]] = defaultdict(list)
    for report_id, text in conn.execute(
        f"SELECT report_id, text FROM recommendations WHERE report_id IN ({marks})", list(groups)
    ):
        recommendations[report_id].append(_squash(text))
    rows = conn.execute(
        f"SELECT c.sentence_id, c.report_id, c.theme, c.page, c.paragraph_number, c.sentence,"
        f" c.confidence, COALESCE(r.la_name, r.local_authority) AS authority, r.framework,"
        f" r.inspection_end, r.source, r.urn FROM coded_sentences c JOIN reports r"
        f" ON r.id = c.report_id WHERE c.polarity = ? AND c.report_id IN ({marks})",
        [polarity, *groups],
    )
    out: dict[str, list[Sentence]] = defaultdict(list)
    for row in rows:
        text = row["sentence"].strip()
        squashed = _squash(text)
        if any(squashed in rec for rec in recommendations[row["report_id"]]):
            continue
        out[row["theme"]].append(
            Sentence(
                row["sentence_id"],
                row["report_id"],
                row["authority"],
                row["framework"],
                row["inspection_end"],
                row["source"],
                row["urn"],
                row["page"],
                row["paragraph_number"],
                text,
                float(row["confidence"]),
                groups[row["report_id"]],
            )
        )
    return out


def _squash(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def rank_themes(
    conn: sqlite3.Connection,
    filters: Filters | None = None,
    *,
    polarity: str,
    group: str,
    judgement: str = "overall_effectiveness",
    guard: QuoteGuard | None = None,
    findings_for: int | None = None,
    min_share: float = 0.0,
) -> Ranking:
    """Every theme of a polarity ranked by prevalence in `group` (ties kept as ties, listed by
    how many such findings the group's reports hold on average), with the
    distinctiveness test alongside; sub-findings for the first `findings_for` themes (all when
    None) whose share is at least `min_share`."""
    filters = filters or Filters()
    groups = report_groups(conn, filters, judgement)
    sizes = {g: sum(1 for v in groups.values() if v == g) for g in GROUPS}
    by_theme = _sentences(conn, groups, polarity)
    names = {theme.id: theme.name for theme in load_codebook().themes}
    themes = []
    for theme, name in names.items():
        counts: dict[int, int] = defaultdict(int)
        for sentence in by_theme.get(theme, []):
            counts[sentence.report_id] += 1
        featured = {g: 0 for g in GROUPS}
        sentences = {g: 0 for g in GROUPS}
        for report_id, n in counts.items():
            sentences[groups[report_id]] += n
            if n >= MIN_SENTENCES:
                featured[groups[report_id]] += 1
        themes.append(ThemeFinding(theme, name, polarity, featured, sizes, sentences))
    _test(themes)
    themes.sort(key=lambda t: (-t.count(group), -t.per_report(group), t.name))
    _assign_ranks(themes, group)
    guard = guard or QuoteGuard()
    big_enough = sum(sizes[g] for g in members(group)) >= MIN_GROUP
    chosen = [t for t in themes if t.share(group) >= min_share and t.count(group)] * big_enough
    for theme_finding in chosen[:findings_for] if findings_for is not None else chosen:
        theme_finding.findings = sub_findings(
            by_theme.get(theme_finding.theme, []), theme_finding.theme, group, polarity, guard
        )
    return Ranking(polarity, group, sizes, themes)


def _test(themes: list[ThemeFinding]) -> None:
    tested = [
        t for t in themes if t.sizes.get("inadequate", 0) and t.sizes.get("good_or_better", 0)
    ]
    for t in tested:
        table = [
            [t.featured["inadequate"], t.sizes["inadequate"] - t.featured["inadequate"]],
            [
                t.featured["good_or_better"],
                t.sizes["good_or_better"] - t.featured["good_or_better"],
            ],
        ]
        t.p_value = float(fisher_exact(table).pvalue)
    if tested:
        q_values = false_discovery_control([t.p_value for t in tested], method="bh")
        for t, q in zip(tested, q_values, strict=True):
            t.q_value = float(q)


def _assign_ranks(themes: list[ThemeFinding], group: str) -> None:
    """Standard competition ranking ("joint 3rd"): equal counts share a rank."""
    position = 0
    while position < len(themes):
        count = themes[position].count(group)
        same = [t for t in themes[position:] if t.count(group) == count]
        for t in same:
            t.rank, t.tied_with = position + 1, len(same)
        position += len(same)


def sub_findings(
    sentences: list[Sentence],
    theme: str,
    group: str,
    polarity: str,
    guard: QuoteGuard,
    limit: int = 3,
) -> list[Finding]:
    """Cluster a theme's sentences; the clusters most widespread in `group` become findings."""
    if len(sentences) < MIN_CLUSTER_REPORTS:
        return []
    texts = [s.text for s in sentences]
    if len(texts) < 10:
        return []
    sample = _sample(sentences, FIT_SAMPLE)
    vectoriser = TfidfVectorizer(
        ngram_range=(1, 2), stop_words="english", sublinear_tf=True, min_df=2
    )
    fitted = vectoriser.fit_transform([texts[i] for i in sample])
    if fitted.shape[1] < 3:
        return []
    svd = TruncatedSVD(min(40, fitted.shape[1] - 1, len(sample) - 1), n_iter=3, random_state=0)
    svd.fit(fitted)
    reduced = normalize(svd.transform(vectoriser.transform(texts)))
    k = max(1, min(MAX_CLUSTERS, len({s.report_id for s in sentences}) // 6))
    model = KMeans(k, n_init=2, max_iter=60, random_state=0).fit(reduced[sample])
    labels = model.predict(reduced)
    clusters: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        clusters[int(label)].append(index)
    scored = []
    for label, indices in clusters.items():
        reports: dict[str, set[int]] = defaultdict(set)
        for i in indices:
            reports[sentences[i].group].add(sentences[i].report_id)
        centre = model.cluster_centers_[label]
        closeness = reduced[indices] @ (centre / (np.linalg.norm(centre) or 1.0))
        order = [indices[i] for i in np.argsort(-closeness)]
        in_group = sum(len(reports[g]) for g in members(group))
        scored.append((in_group, {g: len(v) for g, v in reports.items()}, order))
    scored.sort(key=lambda item: -item[0])
    findings: list[Finding] = []
    for in_group, counts, order in scored:
        if in_group < MIN_CLUSTER_REPORTS or len(findings) == limit:
            continue
        picked = _pick(sentences, order, theme, group, polarity, guard, 4)
        if not picked:
            continue
        findings.append(Finding(picked[0], picked[1:], {g: counts.get(g, 0) for g in GROUPS}))
    return findings


def _sample(sentences: list[Sentence], size: int) -> list[int]:
    """Indices of up to `size` sentences, evenly spread (deterministic)."""
    if len(sentences) <= size:
        return list(range(len(sentences)))
    step = len(sentences) / size
    return [int(i * step) for i in range(size)]


def _pick(
    sentences: list[Sentence],
    order: list[int],
    theme: str,
    group: str,
    polarity: str,
    guard: QuoteGuard,
    limit: int,
) -> list[Sentence]:
    """The most central quotable sentences, one per authority, from the group first."""
    candidates = [sentences[i] for i in order[:200]]
    candidates.sort(
        key=lambda s: s.group not in members(group)
    )  # stable: keeps centrality within each
    picked: list[Sentence] = []
    authorities: set[str] = set()
    for sentence in candidates:
        if sentence.authority in authorities or sentence.confidence < MIN_QUOTE_CONFIDENCE:
            continue
        if not is_quotable(sentence.text, polarity) or not on_theme(theme, sentence.text):
            continue
        if not guard.take(sentence.sentence_id, sentence.text):
            continue
        picked.append(sentence)
        authorities.add(sentence.authority)
        if len(picked) == limit:
            break
    return picked


def plain_prevalence(
    counts: dict[str, int], sizes: dict[str, int], polarity: str, groups: tuple[str, ...]
) -> str:
    """'criticised in 43 of 46 inadequate reports and 25 of 132 good or better ones'."""
    verb = "criticised" if polarity == "weakness" else "praised"
    parts = []
    for index, g in enumerate(g for g in groups if sizes.get(g)):
        noun = "reports" if index == 0 else ("one" if sizes[g] == 1 else "ones")
        if index == 0 and sizes[g] == 1:
            noun = "report"
        parts.append(f"{counts.get(g, 0)} of {sizes[g]} {GROUP_LABELS[g]} {noun}")
    if not parts:
        return ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{verb} in {joined}"
