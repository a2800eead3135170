"""Writes of reports. One report = one transaction (a savepoint, inside a batch): a crash leaves
the old row or the new, never half of either."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ofsted_atlas.errors import Rejected
from ofsted_atlas.parse import PARSER_VERSION
from ofsted_atlas.parse.model import Recommendation, Report


@dataclass(frozen=True)
class StoredFile:
    id: int
    sha256: str
    parser_version: int
    status: str
    rejection_code: str | None = None
    rejection_reason: str | None = None
    rejection_hint: str | None = None
    warnings: int = 0  # how many self-checks the stored report failed


def stored_files(conn: sqlite3.Connection) -> dict[str, StoredFile]:
    rows = conn.execute(
        "SELECT id, source, sha256, parser_version, status, rejection_code, rejection_reason,"
        " rejection_hint, json_array_length(warnings) AS warnings FROM reports"
    )
    return {
        row["source"]: StoredFile(
            row["id"],
            row["sha256"],
            row["parser_version"],
            row["status"],
            row["rejection_code"],
            row["rejection_reason"],
            row["rejection_hint"],
            row["warnings"] or 0,
        )
        for row in rows
    }


def parsed_source_with_sha(conn: sqlite3.Connection, sha256: str, source: str) -> str | None:
    """Another source already holding these exact bytes as a parsed report."""
    row = conn.execute(
        "SELECT source FROM reports WHERE sha256 = ? AND status = 'parsed' AND source != ?",
        (sha256, source),
    ).fetchone()
    return None if row is None else str(row["source"])


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All or nothing. Inside an open transaction (a `Batch`) this is a savepoint: a failure
    undoes this unit only, and the unit lands when the batch commits."""
    if conn.in_transaction:
        conn.execute("SAVEPOINT unit")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO unit")
            conn.execute("RELEASE unit")
            raise
        conn.execute("RELEASE unit")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class Batch:
    """Many reports in one commit, indexed for search together as it commits.

    Why: the full-text index is most of the cost of storing a report, and indexing forty
    reports in one statement costs about half as much as indexing each on its own commit.

    Each report is still all or nothing (a savepoint): a failure undoes that report only. The
    batch commits, index included, at `maybe_commit` once `max_seconds` have passed since it
    opened, and on closing, also when closing on an error, since every report in it is complete.
    A crash loses at most the batch in hand (stored again by the next run), never half a report,
    and never leaves a stored report out of the index."""

    def __init__(self, conn: sqlite3.Connection, max_seconds: float = 2.0) -> None:
        self.conn = conn
        self.max_seconds = max_seconds
        self._opened: float | None = None
        self._unindexed: list[int] = []
        self._sources: set[str] = set()

    def save_report(self, report: Report) -> int:
        self._open(report.source)
        report_id = save_report(self.conn, report, index=False)
        self._unindexed.append(report_id)
        return report_id

    def save_rejection(self, source: str, sha256: str, kind: str | None, error: Rejected) -> int:
        self._open(source)
        return save_rejection(self.conn, source, sha256, kind, error)

    def maybe_commit(self) -> None:
        if self._opened is not None and time.monotonic() - self._opened >= self.max_seconds:
            self._commit()

    def _open(self, source: str) -> None:
        if self._opened is None:
            self.conn.execute("BEGIN IMMEDIATE")
            self._opened = time.monotonic()
        elif source in self._sources:
            # Replacing a report of this same batch: index it first, so that removing it
            # from the index finds the entries removal expects.
            self._index_pending()
        self._sources.add(source)

    def _index_pending(self) -> None:
        _index_reports(self.conn, self._unindexed)
        self._unindexed = []

    def _commit(self) -> None:
        self._index_pending()
        self.conn.execute("COMMIT")
        self._opened, self._sources = None, set()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._opened is None:
            return
        try:
            self._commit()
        except sqlite3.Error:
            self.conn.execute("ROLLBACK")
            self._opened, self._unindexed, self._sources = None, [], set()
            raise


def save_report(conn: sqlite3.Connection, report: Report, *, index: bool = True) -> int:
    """Store a parsed report, replacing any earlier one from the same source. `index=False`
    leaves the search index to the caller (a `Batch` indexes its reports as it commits)."""
    with transaction(conn):
        _delete_source(conn, report.source)
        report_id = _insert_report_row(conn, report)
        _insert_children(conn, report_id, report)
        if index:
            _index_reports(conn, [report_id])
    return report_id


_FTS_TABLES = {"paragraphs_fts": "paragraphs", "recommendations_fts": "recommendations"}


def _index_reports(conn: sqlite3.Connection, report_ids: list[int]) -> None:
    for chunk in (report_ids[i : i + 500] for i in range(0, len(report_ids), 500)):
        marks = ", ".join("?" * len(chunk))
        for fts, table in _FTS_TABLES.items():
            conn.execute(
                f"INSERT INTO {fts} (rowid, text) SELECT id, text FROM {table}"
                f" WHERE report_id IN ({marks})",
                chunk,
            )


def _delete_source(conn: sqlite3.Connection, source: str) -> int:
    """Remove a stored input and its search entries (children go by ON DELETE CASCADE)."""
    for fts, table in _FTS_TABLES.items():
        conn.execute(
            f"INSERT INTO {fts} ({fts}, rowid, text) SELECT 'delete', c.id, c.text FROM {table} c"
            " JOIN reports r ON r.id = c.report_id WHERE r.source = ?",
            (source,),
        )
    return conn.execute("DELETE FROM reports WHERE source = ?", (source,)).rowcount


def save_rejection(
    conn: sqlite3.Connection, source: str, sha256: str, kind: str | None, error: Rejected
) -> int:
    with transaction(conn):
        _delete_source(conn, source)
        cursor = conn.execute(
            "INSERT INTO reports (source, sha256, kind, status, rejection_code, rejection_reason,"
            " rejection_hint, parser_version, ingested_at)"
            " VALUES (?, ?, ?, 'rejected', ?, ?, ?, ?, ?)",
            (source, sha256, kind, error.code, error.message, error.hint, PARSER_VERSION, _now()),
        )
    return int(cursor.lastrowid or 0)


def delete_sources(conn: sqlite3.Connection, sources: list[str]) -> int:
    with transaction(conn):
        return sum(_delete_source(conn, source) for source in sources)


def _insert_report_row(conn: sqlite3.Connection, report: Report) -> int:
    authority = report.authority
    row = {
        "source": report.source,
        "sha256": report.sha256,
        "kind": report.kind,
        "status": "parsed",
        "framework": report.framework,
        "publication_type": report.publication_type,
        "reinspection": int(report.reinspection),
        "title": report.title,
        "local_authority": authority.printed,
        "la_name": authority.name,
        "urn": authority.urn,
        "la_code": authority.la_code,
        "ons_code": authority.ons_code,
        "region": authority.region,
        "la_type": authority.la_type,
        "inspection_start": _iso(report.inspection_start),
        "inspection_end": _iso(report.inspection_end),
        "published": _iso(report.published),
        "lead_inspector": report.lead_inspector,
        "page_count": report.page_count,
        "parser_version": PARSER_VERSION,
        "warnings": json.dumps(list(report.warnings)),
        "ingested_at": _now(),
    }
    columns = ", ".join(row)
    placeholders = ", ".join(f":{column}" for column in row)
    cursor = conn.execute(f"INSERT INTO reports ({columns}) VALUES ({placeholders})", row)
    return int(cursor.lastrowid or 0)


def _insert_children(conn: sqlite3.Connection, report_id: int, report: Report) -> None:
    conn.executemany(
        "INSERT INTO judgements (report_id, key, grade, label, page) VALUES (?, ?, ?, ?, ?)",
        [(report_id, j.key, j.grade, j.label, j.page) for j in report.judgements],
    )
    conn.executemany(
        "INSERT INTO recommendations (report_id, ordinal, number, text, timescale, scope, page,"
        " national_framework) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (report_id, index, r.number, r.text, r.timescale, r.scope, r.page, _tag(r))
            for index, r in enumerate(report.recommendations)
        ],
    )
    conn.executemany(
        "INSERT INTO sections (report_id, ordinal, heading, page, area) VALUES (?, ?, ?, ?, ?)",
        [(report_id, s.ordinal, s.heading, s.page, s.area) for s in report.sections],
    )
    conn.executemany(
        "INSERT INTO paragraphs (report_id, ordinal, section_ordinal, number, page, text)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(report_id, p.ordinal, p.section, p.number, p.page, p.text) for p in report.paragraphs],
    )
    conn.executemany(
        "INSERT INTO parse_checks (report_id, ordinal, code, message, page) VALUES (?, ?, ?, ?, ?)",
        [(report_id, i, c.code, c.message, c.page) for i, c in enumerate(report.checks)],
    )
    conn.executemany(
        "INSERT INTO statistics (report_id, key, value, rate_per_10k, as_of, page)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(report_id, s.key, s.value, s.rate_per_10k, s.as_of, s.page) for s in report.statistics],
    )


def _tag(item: Recommendation) -> str | None:
    tag = item.national_framework
    return json.dumps({"kind": tag.kind, "number": tag.number}) if tag else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
