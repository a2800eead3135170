"""The page cache and the query-string clean-up that runs before it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response


def _drop_empty_parameters(request: Request) -> None:
    """HTML forms send 'Any' as an empty value: treat it as not given, not as invalid."""
    query = request.scope.get("query_string", b"")
    if b"=&" in query + b"&" or query.endswith(b"="):
        kept = [part for part in query.split(b"&") if part and not part.endswith(b"=")]
        request.scope["query_string"] = b"&".join(kept)


class PageCache:
    """Rendered GET responses, kept until the database file changes: the app is read-only, so a
    page is the same until the next ingest or coding run."""

    CACHED_PREFIXES = ("/authorities", "/reports/", "/themes", "/search", "/api/", "/briefings")
    MAX_ENTRIES = 2048
    MAX_BYTES = 4_000_000

    def __init__(self, db: Path) -> None:
        self.db = db
        self._entries: dict[
            tuple[str, tuple[float, float]], tuple[int, bytes, list[tuple[bytes, bytes]]]
        ] = {}
        self._lock = threading.Lock()

    def key(self, request: Request) -> tuple[str, tuple[float, float]] | None:
        path = request.url.path
        if request.method != "GET" or not (path == "/" or path.startswith(self.CACHED_PREFIXES)):
            return None
        if path.endswith("/original") or path.startswith("/briefings/download"):
            return None
        return (str(request.url.path) + "?" + str(request.url.query), self._signature())

    def _signature(self) -> tuple[float, float]:
        wal = self.db.with_name(self.db.name + "-wal")
        return (self.db.stat().st_mtime, wal.stat().st_mtime if wal.exists() else 0.0)

    def get(self, key: tuple[str, tuple[float, float]]) -> Response | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        status, body, headers = entry
        response = Response(body, status_code=status)
        response.raw_headers = list(headers)
        return response

    async def put(self, key: tuple[str, tuple[float, float]], response: Any) -> Response:
        body = b"".join([chunk async for chunk in response.body_iterator])
        fresh = Response(body, status_code=response.status_code)
        fresh.raw_headers = list(response.raw_headers)
        if len(body) <= self.MAX_BYTES:
            with self._lock:
                if len(self._entries) >= self.MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = (response.status_code, body, list(response.raw_headers))
        return fresh
