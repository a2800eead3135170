"""Full-text search over paragraphs and recommendations (FTS5, bm25 rank, highlighted snippets)."""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
_TOKEN = re.compile(r"[\w'-]+", re.UNICODE)
_PREFIX = re.compile(r"([\w'-]+)\"?\s*\*", re.UNICODE)  # adop*, "adop" *


class SearchTooCostly(ValueError):
    """A search refused by its budget; the message says what to change."""


class SearchTimedOut(SearchTooCostly):
    """A search stopped when it ran past its budget's seconds."""


@dataclass(frozen=True)
class SearchBudget:
    """What one search may cost (the web app sets one; the CLI runs without)."""

    max_terms: int = 16
    max_prefix_terms: int = 3
    min_prefix_letters: int = 3  # "adop*" is fine; "a*" expands to most of the vocabulary
    seconds: float = 1.5  # wall time, checked by SQLite's progress handler

    def check(self, query: str) -> None:
        words = _TOKEN.findall(query)
        if len(words) > self.max_terms:
            raise SearchTooCostly(
                f"too many words ({len(words)}): search with at most {self.max_terms}"
            )
        prefixes = _PREFIX.findall(query)
        if len(prefixes) > self.max_prefix_terms:
            raise SearchTooCostly(
                f"too many words ending in * ({len(prefixes)}): use at most {self.max_prefix_terms}"
            )
        if any(len(stem) < self.min_prefix_letters for stem in prefixes):
            raise SearchTooCostly(
                f"a word ending in * needs at least {self.min_prefix_letters} letters before the *"
            )


@dataclass(frozen=True)
class SearchFilters:
    authority: str | None = None  # name (substring), LA code or URN
    framework: str | None = None  # exact id, or a prefix such as "ilacs"
    grade: str | None = None  # grade of `area`
    area: str = "overall_effectiveness"
    year: int | None = None  # year the inspection ended (or was published)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "paragraph" | "recommendation"
    report_id: int
    source: str
    local_authority: str
    framework: str
    inspection_end: str | None
    page: int | None
    paragraph_number: int | None
    section: str | None
    snippet: str  # highlighted terms wrapped in HIGHLIGHT_START / HIGHLIGHT_END
    rank: float


_QUERIES = {
    "paragraph": """
        SELECT 'paragraph' AS kind, r.id AS report_id, r.source,
               COALESCE(r.la_name, r.local_authority) AS local_authority, r.framework,
               r.inspection_end, p.page, p.number AS paragraph_number, s.heading AS section,
               snippet(paragraphs_fts, 0, char(2), char(3), '…', 16) AS snippet,
               bm25(paragraphs_fts) AS rank
        FROM paragraphs_fts
        JOIN paragraphs p ON p.id = paragraphs_fts.rowid
        JOIN reports r ON r.id = p.report_id
        LEFT JOIN sections s ON s.report_id = p.report_id AND s.ordinal = p.section_ordinal
        WHERE paragraphs_fts MATCH :query {filters}
        ORDER BY rank LIMIT :limit""",
    "recommendation": """
        SELECT 'recommendation' AS kind, r.id AS report_id, r.source,
               COALESCE(r.la_name, r.local_authority) AS local_authority, r.framework,
               r.inspection_end, c.page, c.number AS paragraph_number,
               'Recommendations' AS section,
               snippet(recommendations_fts, 0, char(2), char(3), '…', 16) AS snippet,
               bm25(recommendations_fts) AS rank
        FROM recommendations_fts
        JOIN recommendations c ON c.id = recommendations_fts.rowid
        JOIN reports r ON r.id = c.report_id
        WHERE recommendations_fts MATCH :query {filters}
        ORDER BY rank LIMIT :limit""",
}


def search(
    conn: sqlite3.Connection,
    query: str,
    filters: SearchFilters | None = None,
    limit: int = 20,
    kinds: tuple[str, ...] = ("paragraph", "recommendation"),
    budget: SearchBudget | None = None,
) -> list[SearchHit]:
    """Best matches first. Any text is accepted: FTS syntax errors fall back to plain words.
    With a budget, a query past its limits raises `SearchTooCostly` (before running, or when
    it runs longer than the budget's seconds)."""
    if limit < 1:
        raise ValueError(f"the search limit must be at least 1, not {limit}")
    filters = filters or SearchFilters()
    where, params = _filter_sql(filters)
    if budget is not None:
        budget.check(query)
    deadline = time.monotonic() + budget.seconds if budget else None
    if deadline is not None:
        conn.set_progress_handler(lambda: time.monotonic() > deadline, 2_000)
    hits: list[SearchHit] = []
    try:
        for kind in kinds:
            sql = _QUERIES[kind].format(filters=where)
            hits.extend(_run(conn, sql, {**params, "query": query, "limit": limit}, deadline))
    finally:
        if deadline is not None:
            conn.set_progress_handler(None, 0)
    hits.sort(key=lambda hit: hit.rank)
    return hits[:limit]


def _run(
    conn: sqlite3.Connection, sql: str, params: dict[str, object], deadline: float | None
) -> list[SearchHit]:
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.DatabaseError as error:
        # FTS syntax errors, and errors raised inside FTS functions (snippet() on some NEAR
        # queries reports "database disk image is malformed") fall back to the plain words.
        _raise_if_late(error, deadline)
        plain = plain_query(str(params["query"]))
        if not plain:
            return []
        try:
            rows = conn.execute(sql, {**params, "query": plain}).fetchall()
        except sqlite3.DatabaseError as again:
            _raise_if_late(again, deadline)
            raise SearchTooCostly(f"this search could not be run ({again})") from again
    return [SearchHit(**dict(row)) for row in rows]


def _raise_if_late(error: sqlite3.DatabaseError, deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise SearchTimedOut(
            "this search took too long and was stopped: use fewer words, or longer ones"
        ) from error


def plain_query(text: str) -> str:
    """User text as FTS5 phrase tokens, so quotes, colons or stray operators cannot fail."""
    return " ".join(f'"{token}"' for token in _TOKEN.findall(text))


def _filter_sql(filters: SearchFilters) -> tuple[str, dict[str, object]]:
    clauses: list[str] = ["r.status = 'parsed'"]
    params: dict[str, object] = {}
    if filters.authority:
        clauses.append(
            "(r.la_code = :authority OR r.urn = :authority OR r.ons_code = :authority"
            " OR r.la_name LIKE :authority_like ESCAPE '\\'"
            " OR r.local_authority LIKE :authority_like ESCAPE '\\')"
        )
        params["authority"] = filters.authority
        params["authority_like"] = f"%{like_escape(filters.authority)}%"
    if filters.framework:
        clauses.append(
            "(r.framework = :framework OR r.framework LIKE :framework_prefix ESCAPE '\\')"
        )
        params["framework"] = filters.framework
        params["framework_prefix"] = f"{like_escape(filters.framework)}\\_%"
    if filters.grade:
        clauses.append(
            "EXISTS (SELECT 1 FROM judgements j WHERE j.report_id = r.id"
            " AND j.key = :area AND j.grade = :grade)"
        )
        params["area"] = filters.area
        params["grade"] = filters.grade
    if filters.year:
        clauses.append("substr(COALESCE(r.inspection_end, r.published), 1, 4) = :year")
        params["year"] = str(filters.year)
    return "".join(f" AND {clause}" for clause in clauses), params


def like_escape(text: str) -> str:
    """User text as a literal inside a LIKE pattern written with ESCAPE '\\'."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
