"""The page cache, and the query-string clean-up that runs before it.

Pages are the same until the database changes (the app is read-only), so a rendered page is kept,
gzip-compressed, until then. The cache is bounded by bytes (least recently used first out) and
keyed on the path and the route's own parameters only, after the route has accepted them (only
200 responses are kept): unknown or repeated parameters cannot make new entries.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from .context import database_version


def _drop_empty_parameters(request: Request) -> None:
    """HTML forms send 'Any' as an empty value: treat it as not given, not as invalid."""
    query = request.scope.get("query_string", b"")
    if b"=&" in query + b"&" or query.endswith(b"="):
        kept = [part for part in query.split(b"&") if part and not part.endswith(b"=")]
        request.scope["query_string"] = b"&".join(kept)


class RouteTable:
    """The query parameters each GET route declares, looked up by path."""

    def __init__(self, routers: list[APIRouter]) -> None:
        self.routes = [
            (route.path, route.path_regex, {p.alias for p in route.dependant.query_params})
            for router in routers
            for route in router.routes
            if isinstance(route, APIRoute) and "GET" in (route.methods or ())
        ]

    def parameters(self, path: str) -> set[str] | None:
        """None when no GET route matches the path."""
        for _, regex, names in self.routes:
            if regex.match(path):
                return names
        return None


def canonical_query(query: str, known: set[str]) -> tuple[str, list[str]]:
    """The route's parameters, last value of each, sorted; and the names it does not know."""
    values: dict[str, str] = {}
    unknown: list[str] = []
    for name, value in parse_qsl(query, keep_blank_values=False):
        if name in known:
            values[name] = value
        elif name not in unknown:
            unknown.append(name)
    return urlencode(sorted(values.items())), unknown


@dataclass(frozen=True)
class Entry:
    status: int
    gzipped: bytes
    headers: list[tuple[bytes, bytes]]
    etag: str


class PageCache:
    """Rendered GET responses of the cached routes, gzip-compressed, least recently used out
    first past `max_bytes`; emptied when the database changes."""

    CACHED_PREFIXES = ("/authorities", "/reports/", "/themes", "/search", "/api/", "/briefings")

    def __init__(self, db: Path, max_bytes: int = 24_000_000, max_entry: int = 4_000_000) -> None:
        self.db = db
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._version: tuple[float, float] | None = None
        self._lock = threading.Lock()

    def key(self, request: Request) -> str | None:
        path = request.url.path
        if request.method != "GET" or not (path == "/" or path.startswith(self.CACHED_PREFIXES)):
            return None
        if path.endswith("/original") or path.startswith("/briefings/download"):
            return None
        version = database_version(self.db)
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._bytes = 0
                self._version = version
        query = request.scope.get("query_string", b"").decode("latin-1")
        return f"{path}?{query}"

    def get(self, key: str, accepts_gzip: bool) -> Response | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        return self._response(entry, accepts_gzip)

    async def put(self, key: str, response: Response, accepts_gzip: bool) -> Response:
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        headers = [
            (name, value) for name, value in response.raw_headers if name != b"content-length"
        ]
        entry = Entry(
            response.status_code,
            gzip.compress(body, compresslevel=6, mtime=0),
            headers,
            f'"{zlib.crc32(body):08x}-{len(body):x}"',
        )
        if len(entry.gzipped) <= self.max_entry:
            with self._lock:
                old = self._entries.pop(key, None)
                self._bytes -= len(old.gzipped) if old else 0
                self._entries[key] = entry
                self._bytes += len(entry.gzipped)
                while self._bytes > self.max_bytes and self._entries:
                    _, evicted = self._entries.popitem(last=False)
                    self._bytes -= len(evicted.gzipped)
        return self._response(entry, accepts_gzip, body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size(self) -> tuple[int, int]:
        """(entries, compressed bytes) held."""
        return len(self._entries), self._bytes

    @staticmethod
    def _response(entry: Entry, accepts_gzip: bool, body: bytes | None = None) -> Response:
        if accepts_gzip:
            response = Response(entry.gzipped, status_code=entry.status)
            extra = [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        else:
            response = Response(
                body if body is not None else gzip.decompress(entry.gzipped),
                status_code=entry.status,
            )
            extra = [(b"vary", b"Accept-Encoding")]
        length = [h for h in response.raw_headers if h[0] == b"content-length"]
        response.raw_headers = [*entry.headers, *length, *extra, (b"etag", entry.etag.encode())]
        return response
