"""Open the SQLite store: WAL, a busy timeout, foreign keys, numbered migrations applied in order.

Migrations are the files `migrations/NNNN_name.sql`; each runs once, in one transaction, and is
recorded in `schema_migrations`, so an old database upgrades in place.
"""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from ofsted_atlas.errors import StoreError

BUSY_TIMEOUT_MS = 30_000


def connect(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the pragmas every caller needs; migrates unless read-only."""
    target = Path(path)
    try:
        if read_only:
            if not target.exists():
                raise StoreError(f"{target}: no database here yet: run `ofsted-atlas ingest` first")
            conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
    except (sqlite3.Error, OSError) as error:
        raise StoreError(f"{target}: cannot open the database ({error})") from error
    return conn


def migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("ofsted_atlas.store") / "migrations"
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name[5:-4], entry.read_text(encoding="utf-8")))
    return sorted(found)


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply pending migrations; returns the versions applied now."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, sql in migrations():
        if version in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check under the write lock: another process may have migrated meanwhile.
            if conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
            ).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, datetime('now'))", (version, name)
            )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration into statements (triggers keep their inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
