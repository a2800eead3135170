"""What every router of the web app shares: the read-only database, the templates, the reference
folder, and the parameter types the pages and the API accept."""

from __future__ import annotations

import functools
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ofsted_atlas.coding.codebook import load_codebook
from ofsted_atlas.store import connect
from ofsted_atlas.store.search import SearchBudget

if TYPE_CHECKING:
    from .briefing_pool import BriefingPool

PAGE_SIZE = 25
SQLITE_MAX_INT = 2**63 - 1  # the largest id or offset SQLite can hold
MAX_OFFSET = 1_000_000_000
MAX_QUERY = 200  # characters of search text
MAX_TEXT = 80  # characters of any other free-text parameter (authority names, regions)
SEARCH_BUDGET = SearchBudget()
Grade = Literal["outstanding", "good", "requires_improvement", "adequate", "inadequate"]
Polarity = Literal["strength", "weakness", "neutral"]


class Database:
    """One read-only connection per thread (SQLite connections are not shared across threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        connect(path, read_only=True).close()  # fail at start-up, with the path, if missing

    def __call__(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path, read_only=True)
            self._local.conn = conn
        return conn


def row_id(text: str, what: str) -> int:
    """An id from a URL: ASCII digits only ("1_0" and "+1" are not 10 and 1), within SQLite's
    integer range; anything else is a 404, like an id that is not in the database."""
    if text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= SQLITE_MAX_INT:
        return int(text)
    raise HTTPException(404, f"No {what} {text[:40]!r}")


def known_filters(
    conn: sqlite3.Connection, *, region: str | None = None, framework: str | None = None
) -> None:
    """A region must be one the database holds; a framework an id or the prefix of one
    ("ilacs"): anything else is a 400, not an empty page."""
    if region and region not in _values(conn, "region"):
        raise HTTPException(400, f"Unknown region {region[:40]!r}")
    if framework and not any(
        f == framework or f.startswith(framework + "_") for f in _values(conn, "framework")
    ):
        raise HTTPException(400, f"Unknown framework {framework[:40]!r}")


@functools.cache
def theme_ids() -> frozenset[str]:
    return frozenset(theme.id for theme in load_codebook().themes)


def known_theme(theme: str | None) -> None:
    if theme and theme not in theme_ids():
        raise HTTPException(400, f"Unknown theme {theme[:40]!r}")


def _values(conn: sqlite3.Connection, column: str) -> set[str]:
    return {
        row[0]
        for row in conn.execute(f"SELECT DISTINCT {column} FROM reports WHERE {column} IS NOT NULL")
    }


def database_version(path: Path) -> tuple[float, float]:
    """Changes whenever the database is written (the file or its write-ahead log)."""
    wal = path.with_name(path.name + "-wal")
    return (path.stat().st_mtime, wal.stat().st_mtime if wal.exists() else 0.0)


@dataclass
class Context:
    database: Database
    templates: Jinja2Templates
    reference_dir: Path
    lookup: Path | None
    briefings: BriefingPool
    static_versions: dict[str, str]  # file name -> content hash, for versioned static URLs

    def page(
        self, request: Request, template: str, code: int = 200, **context: Any
    ) -> HTMLResponse:
        return self.templates.TemplateResponse(request, template, context, status_code=code)

    def static_url(self, name: str) -> str:
        version = self.static_versions.get(name)
        return f"/static/{name}?v={version}" if version else f"/static/{name}"
