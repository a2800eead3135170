"""`ofsted-atlas readiness`: read a council's documents, analyse, render. Shared by the CLI and
the web page (which passes bytes and never keeps anything)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from .analysis.council_documents import CouncilDocument, read_council_document
from .analysis.readiness import Readiness, apply_tracker_edits, readiness
from .analysis.trajectory import resolve_authority
from .publish.briefings.readiness import build, to_json
from .publish.readiness_tracker import read_tracker, write_tracker
from .publish.readiness_word import render_readiness_docx
from .publish.render_html import render_html
from .store import connect
from .store.repository import transaction

FORMATS = ("html", "docx", "json", "xlsx")


def render(result: Readiness, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(to_json(result), indent=2, ensure_ascii=False).encode("utf-8")
    if fmt == "xlsx":
        return write_tracker(result)
    if fmt == "docx":
        return render_readiness_docx(build(result))
    if fmt == "html":
        return render_html(build(result))
    raise ValueError(f"readiness comes as {', '.join(FORMATS)}, not {fmt}")


def analyse(
    conn: sqlite3.Connection,
    authority: str,
    documents: list[CouncilDocument],
    *,
    lookup: Path | None,
    report_id: int | None = None,
    tracker: bytes | None = None,
) -> Readiness:
    result = readiness(conn, authority, documents, report_id=report_id, lookup=lookup)
    if tracker is not None:
        edits = read_tracker(tracker, result.inspection.report_id)
        result = apply_tracker_edits(result, edits)
    return result


def run_readiness(
    authority: str,
    paths: list[Path],
    *,
    fmt: str,
    db: Path,
    lookup: Path | None,
    report_id: int | None = None,
    tracker: Path | None = None,
    keep: bool = False,
) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"readiness comes as {', '.join(FORMATS)}, not {fmt}")
    blobs = [(path.name, path.read_bytes()) for path in paths]
    documents = [read_council_document(data, name) for name, data in blobs]
    conn = connect(db, read_only=not keep)
    try:
        result = analyse(
            conn,
            authority,
            documents,
            lookup=lookup,
            report_id=report_id,
            tracker=tracker.read_bytes() if tracker else None,
        )
        if keep:
            keep_documents(conn, authority, documents, [data for _, data in blobs])
    finally:
        conn.close()
    return render(result, fmt)


def keep_documents(
    conn: sqlite3.Connection,
    authority: str,
    documents: list[CouncilDocument],
    blobs: list[bytes],
) -> None:
    """Store the documents' coded sentences (`--keep`); the same bytes again replace them."""
    name, la_code = resolve_authority(conn, authority)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with transaction(conn):
        for document, data in zip(documents, blobs, strict=True):
            digest = hashlib.sha256(data).hexdigest()
            conn.execute(
                "DELETE FROM council_documents WHERE la_code IS ? AND sha256 = ?",
                (la_code, digest),
            )
            cursor = conn.execute(
                "INSERT INTO council_documents (la_code, authority, name, kind, sha256, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (la_code, name, document.name, document.kind, digest, now),
            )
            conn.executemany(
                "INSERT INTO council_passages (document_id, ordinal, page, text, themes, polarity)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (cursor.lastrowid, i, p.page, p.text, json.dumps(sorted(p.themes)), p.polarity)
                    for i, p in enumerate(document.passages)
                ],
            )
