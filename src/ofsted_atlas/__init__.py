"""Inspection Atlas: Ofsted inspections of English councils' children's services as data.

The Python API mirrors the CLI:

    import ofsted_atlas
    summary = ofsted_atlas.ingest(["reports/"], db="atlas.sqlite")
    conn = ofsted_atlas.open_db("atlas.sqlite")
    hits = ofsted_atlas.search(conn, "management oversight", framework="sif")
    records = ofsted_atlas.export_reports(conn)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .extract import extract_document
from .parse import parse_document
from .pipeline import IngestOptions, IngestSummary, Outcome, ingest
from .publish import report_records as export_reports
from .store import SearchFilters, SearchHit, connect
from .store import search as _search

__version__ = "0.1.0"

__all__ = [
    "IngestOptions",
    "IngestSummary",
    "Outcome",
    "SearchHit",
    "export_reports",
    "extract_document",
    "ingest",
    "open_db",
    "parse_document",
    "search",
]


def open_db(path: Path | str | None = None, *, read_only: bool = False) -> sqlite3.Connection:
    from . import config

    return connect(path or config.default_db_path(), read_only=read_only)


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    authority: str | None = None,
    framework: str | None = None,
    grade: str | None = None,
    area: str = "overall_effectiveness",
    year: int | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    filters = SearchFilters(authority, framework, grade, area, year)
    return _search(conn, query, filters, limit)
