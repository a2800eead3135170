"""Users' corrections of the theme coding (review mode), and their export in our labels format.

Each action is one row of `coding_reviews` (migration 0005): confirm a coding, mark it wrong,
change its polarity, or add a theme the model missed, with the time and the model version that
made the coding. `labels export` turns each reviewed sentence into one labels row: the model's
codings of the sentence when it was reviewed, with every correction applied in order. A reviewer
who corrects one theme of a sentence and leaves the others is taken to accept the others.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ofsted_atlas.errors import AtlasError
from ofsted_atlas.extract import Document, extract_document
from ofsted_atlas.store.repository import transaction

from .codebook import POLARITIES, THEME_IDS

ACTIONS = ("confirm", "wrong", "polarity", "add")


class ReviewError(AtlasError):
    code = "review_error"
    hint = "A correction names a coded sentence of the report, a codebook theme and a polarity."


@dataclass(frozen=True)
class SentenceRef:
    report_id: int
    paragraph_id: int
    start: int
    end: int


@dataclass(frozen=True)
class ExportSummary:
    sentences: int
    written: int
    unplaced: int  # sentences whose original file or page text could not be found


def record(
    conn: sqlite3.Connection,
    ref: SentenceRef,
    theme: str,
    action: str,
    polarity: str | None = None,
    now: datetime | None = None,
) -> int:
    """Store one correction; returns its id. Refuses what does not name a sentence of the
    report, a codebook theme, a known action, or (for 'polarity' and 'add') a polarity."""
    if theme not in THEME_IDS:
        raise ReviewError(f"unknown theme {theme!r}")
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    if action in ("polarity", "add") and polarity not in POLARITIES:
        raise ReviewError(f"{action} needs a polarity: one of {', '.join(POLARITIES)}")
    row = conn.execute(
        "SELECT s.id, p.page, substr(p.text, s.start + 1, s.end - s.start) FROM sentences s"
        " JOIN paragraphs p ON p.id = s.paragraph_id"
        " WHERE s.report_id = ? AND s.paragraph_id = ? AND s.start = ? AND s.end = ?",
        (ref.report_id, ref.paragraph_id, ref.start, ref.end),
    ).fetchone()
    if row is None:
        raise ReviewError(f"report {ref.report_id} has no coded sentence there")
    sentence_id, page, text = row
    codings = dict(
        conn.execute(
            "SELECT theme, polarity FROM codings WHERE sentence_id = ? ORDER BY theme",
            (sentence_id,),
        ).fetchall()
    )
    if action in ("confirm", "wrong", "polarity") and theme not in codings:
        raise ReviewError(f"the model did not give this sentence the theme {theme!r}")
    version = conn.execute(
        "SELECT model_version FROM coding_runs WHERE report_id = ?", (ref.report_id,)
    ).fetchone()
    when = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    with transaction(conn):
        cursor = conn.execute(
            "INSERT INTO coding_reviews (report_id, paragraph_id, start, end, page, sentence,"
            " theme, action, polarity, model_codings, model_version, reviewed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ref.report_id,
                ref.paragraph_id,
                ref.start,
                ref.end,
                page,
                text,
                theme,
                action,
                polarity if action in ("polarity", "add") else codings.get(theme),
                json.dumps(codings, sort_keys=True),
                version[0] if version else "",
                when,
            ),
        )
    return int(cursor.lastrowid or 0)


def report_state(
    conn: sqlite3.Connection, report_id: int
) -> dict[tuple[int, int, int], dict[str, dict[str, str | None]]]:
    """(paragraph, start, end) -> {theme: latest action and polarity} for a report page."""
    state: dict[tuple[int, int, int], dict[str, dict[str, str | None]]] = {}
    for paragraph_id, start, end, theme, action, polarity in conn.execute(
        "SELECT paragraph_id, start, end, theme, action, polarity FROM coding_reviews"
        " WHERE report_id = ? ORDER BY id",
        (report_id,),
    ):
        state.setdefault((paragraph_id, start, end), {})[theme] = {
            "action": action,
            "polarity": polarity,
        }
    return state


def reviewed_codings(conn: sqlite3.Connection) -> list[tuple[sqlite3.Row, dict[str, str]]]:
    """Each reviewed sentence (its latest review row) and its codings after the corrections."""
    sentences: dict[tuple[int, int, int, int], tuple[sqlite3.Row, dict[str, str]]] = {}
    conn.row_factory = sqlite3.Row
    for row in conn.execute(
        "SELECT v.*, r.source FROM coding_reviews v JOIN reports r ON r.id = v.report_id"
        " ORDER BY v.id"
    ):
        key = (row["report_id"], row["paragraph_id"], row["start"], row["end"])
        _, codings = sentences.get(key, (row, dict(json.loads(row["model_codings"]))))
        if row["action"] == "wrong":
            codings.pop(row["theme"], None)
        elif row["polarity"]:
            codings[row["theme"]] = row["polarity"]
        sentences[key] = (row, codings)
    return list(sentences.values())


def export_labels(conn: sqlite3.Connection, corpus: Path) -> tuple[str, ExportSummary]:
    """The corrections as a labels CSV (id, file, page, start, end, codings): each sentence located
    as a span of its page's text in the original file, `file` relative to `corpus` when it is
    inside it. References only, never the text."""
    from .teacher import locate  # the same span-finding the teacher's readings use

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "file", "page", "start", "end", "codings"])
    documents: dict[str, Document | None] = {}
    reviewed = reviewed_codings(conn)
    written = 0
    for row, codings in reviewed:
        source = row["source"]
        if source not in documents:
            documents[source] = _document(Path(source))
        document = documents[source]
        text = " ".join(row["sentence"].split())
        span = locate(document, row["page"] or 1, text) if document else None
        if span is None:
            continue
        page, start, end = span
        coded = ";".join(f"{theme}:{polarity}" for theme, polarity in sorted(codings.items()))
        file = _relative(Path(source), corpus)
        writer.writerow([f"r{row['id']:06d}", file, page, start, end, coded])
        written += 1
    return buffer.getvalue(), ExportSummary(len(reviewed), written, len(reviewed) - written)


def _document(path: Path) -> Document | None:
    try:
        return extract_document(path.read_bytes(), str(path), "")
    except (OSError, AtlasError):
        return None


def _relative(path: Path, corpus: Path) -> str:
    try:
        return path.resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return str(path.resolve())
