"""Stage 5: the embedded SQLite store (migrations, writes, full-text search)."""

from .db import connect, migrate
from .repository import save_rejection, save_report, stored_files
from .search import SearchFilters, SearchHit, search

__all__ = [
    "SearchFilters",
    "SearchHit",
    "connect",
    "migrate",
    "save_rejection",
    "save_report",
    "search",
    "stored_files",
]
