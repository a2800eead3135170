"""Stage 4: code every sentence into the codebook's themes with polarity, keeping the evidence.

`code_reports` codes what is new or changed in the store (reports without a coding run by the
current model); `code_texts` is the same classifier over free text (the `code-text` contract).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ofsted_atlas.store.repository import transaction

from .codebook import Codebook, load_codebook
from .context import Context
from .model import Coding, ThemeModel, load_model, saved_identity
from .reader import use_threads
from .segment import Sentence, split_sentences

__all__ = [
    "Codebook",
    "Coding",
    "CodingSummary",
    "ThemeModel",
    "code_reports",
    "code_texts",
    "evidence_threshold",
    "load_codebook",
    "load_model",
    "report_tone",
    "split_sentences",
]

# Sections whose items are recommendations: weakness by the codebook's rule.
_RECOMMENDATION_SECTION = re.compile(
    r"what needs to improve|areas? for (?:priority action|improvement)|recommendations"
    r"|priority and immediate action",
    re.I,
)


@dataclass
class CodingSummary:
    reports: int = 0
    sentences: int = 0
    codings: int = 0
    skipped: int = 0
    model: str = ""  # the model in words (its training, not its hash)


def code_reports(
    conn: sqlite3.Connection,
    model: ThemeModel | None = None,
    *,
    force: bool = False,
    workers: int = 0,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> CodingSummary:
    """Code parsed reports not yet coded by this model (all of them with `force`). Sentences are
    classified in worker processes; this process alone writes, one transaction per report."""
    say = stage or (lambda _: None)
    # A run with nothing to code need not load the model: its version file names the version.
    identity = (model.version, model.description) if model else saved_identity()
    if identity is None:
        model = load_model()
        identity = (model.version, model.description)
    version, description = identity
    say("finding reports to code")
    todo = [
        row[0]
        for row in conn.execute(
            "SELECT r.id FROM reports r LEFT JOIN coding_runs c ON c.report_id = r.id"
            " WHERE r.status = 'parsed' AND (? OR c.model_version IS NULL OR c.model_version != ?)"
            " ORDER BY r.id",
            (int(force), version),
        )
    ]
    parsed = conn.execute("SELECT COUNT(*) FROM reports WHERE status = 'parsed'").fetchone()[0]
    summary = CodingSummary(skipped=parsed - len(todo), model=description)
    if on_start:
        on_start(len(todo))
    if not todo:
        return summary
    model = model or load_model()
    workers = min(workers or os.cpu_count() or 1, len(todo))
    if workers > 1:
        say(f"starting {workers} worker processes (each loads the model)")
    jobs = ((report_id, list(_sentences_of(conn, report_id))) for report_id in todo)
    for report_id, units, results in _classify_all(jobs, model, workers):
        summary.codings += _store(conn, model, report_id, units, results)
        summary.reports += 1
        summary.sentences += len(units)
        if progress:
            progress(report_id)
    return summary


_worker_model: ThemeModel | None = None


def _init_worker(path: str, threads: int) -> None:
    global _worker_model
    use_threads(threads)  # the workers share the cores: the reader's threads are split among them
    _worker_model = load_model(Path(path)) if path else None


def _classify(units: list[_Unit]) -> list[list[Coding]]:
    assert _worker_model is not None
    return _code_units(_worker_model, units)


def _code_units(model: ThemeModel, units: list[_Unit]) -> list[list[Coding]]:
    return model.code(
        [u.text for u in units], [u.weakness for u in units], [u.context for u in units]
    )


def _classify_all(
    jobs: Iterator[tuple[int, list[_Unit]]], model: ThemeModel, workers: int
) -> Iterator[tuple[int, list[_Unit], list[list[Coding]]]]:
    source = getattr(model, "source_path", None)
    if workers <= 1 or source is None:
        for report_id, units in jobs:
            yield report_id, units, _code_units(model, units)
        return
    threads = max(1, (os.cpu_count() or 1) // workers)
    with ProcessPoolExecutor(
        workers, initializer=_init_worker, initargs=(str(source), threads)
    ) as pool:
        pending: deque[tuple[int, list[_Unit], Future[list[list[Coding]]]]] = deque()
        for report_id, units in jobs:
            future = pool.submit(_classify, units)
            pending.append((report_id, units, future))
            if len(pending) >= workers * 2:
                done_id, done_units, done = pending.popleft()
                yield done_id, done_units, done.result()
        while pending:
            done_id, done_units, done = pending.popleft()
            yield done_id, done_units, done.result()


def _store(
    conn: sqlite3.Connection,
    model: ThemeModel,
    report_id: int,
    units: list[_Unit],
    results: list[list[Coding]],
) -> int:
    tone = report_tone(
        c for unit, coded in zip(units, results, strict=True) for c in coded if not unit.weakness
    )
    with transaction(conn):
        conn.execute("DELETE FROM sentences WHERE report_id = ?", (report_id,))
        conn.executemany(
            "INSERT INTO sentences (report_id, paragraph_id, ordinal, start, end)"
            " VALUES (?, ?, ?, ?, ?)",
            [(report_id, u.paragraph_id, i, u.start, u.end) for i, u in enumerate(units)],
        )
        ids = dict(
            conn.execute(
                "SELECT ordinal, id FROM sentences WHERE report_id = ?", (report_id,)
            ).fetchall()
        )
        rows = [
            (ids[i], report_id, c.theme, c.polarity, c.confidence, json.dumps(list(c.cues)))
            for i, coded in enumerate(results)
            for c in coded
        ]
        conn.executemany(
            "INSERT INTO codings (sentence_id, report_id, theme, polarity, confidence, cues)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        conn.execute(
            "INSERT OR REPLACE INTO coding_runs (report_id, model_version, sentences, codings,"
            " tone, coded_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                report_id,
                model.version,
                len(units),
                len(rows),
                tone,
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )
    return len(rows)


@dataclass(frozen=True)
class _Unit:
    paragraph_id: int
    start: int
    end: int
    text: str
    weakness: bool
    context: Context


def _sentences_of(conn: sqlite3.Connection, report_id: int) -> Iterator[_Unit]:
    """A report's sentences in reading order, each with its section heading and the sentence
    before it in the same section."""
    rows = conn.execute(
        "SELECT p.id, p.text, s.heading FROM paragraphs p LEFT JOIN sections s"
        " ON s.report_id = p.report_id AND s.ordinal = p.section_ordinal"
        " WHERE p.report_id = ? ORDER BY p.ordinal",
        (report_id,),
    )
    previous, section = "", None
    for paragraph_id, text, heading in rows:
        if heading != section:
            previous, section = "", heading
        weakness = bool(heading and _RECOMMENDATION_SECTION.search(heading))
        for sentence in split_sentences(text):
            context = Context(heading or "", previous)
            yield _Unit(
                paragraph_id, sentence.start, sentence.end, sentence.text, weakness, context
            )
            previous = " ".join(sentence.text.split())


def report_tone(codings: Iterable[Coding]) -> float | None:
    """The tone of a report's findings: (strengths - weaknesses) / (strengths + weaknesses).

    Callers leave out recommendation lists: they are weaknesses by definition and their length
    is set by each framework's format (long numbered lists in 2013-18), not by the findings."""
    strengths = weaknesses = 0
    for coding in codings:
        strengths += coding.polarity == "strength"
        weaknesses += coding.polarity == "weakness"
    total = strengths + weaknesses
    return round((strengths - weaknesses) / total, 4) if total else None


def evidence_threshold(model: ThemeModel | None = None) -> float:
    """The calibrated confidence at or above which the model's codings are right at least nine
    times in ten (chosen by cross-validation on the training labels; `make eval-coding` reports
    the precision measured above it on the held-out set). Briefings and the web choose evidence
    quotes from codings with `confidence >= evidence_threshold()`."""
    return (model or load_model()).evidence_threshold


def code_texts(texts: list[str], model: ThemeModel | None = None) -> list[list[Coding]]:
    """Code free text, one string per sentence (no segmentation: callers send sentences)."""
    model = model or load_model()
    return model.code(texts)


def sentences_of(text: str) -> list[Sentence]:
    return split_sentences(text)
