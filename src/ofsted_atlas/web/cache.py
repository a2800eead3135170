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
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .context import database_version


def _drop_empty_parameters(scope: Scope) -> None:
    """HTML forms send 'Any' as an empty value: treat it as not given, not as invalid."""
    query = scope.get("query_string", b"")
    if b"=&" in query + b"&" or query.endswith(b"="):
        kept = [part for part in query.split(b"&") if part and not part.endswith(b"=")]
        scope["query_string"] = b"&".join(kept)


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
    body: bytes
    gzipped: bytes
    headers: list[tuple[bytes, bytes]]
    etag: bytes

    @property
    def size(self) -> int:
        return len(self.body) + len(self.gzipped)


class PageCache:
    """Rendered GET responses of the cached routes, as sent and gzip-compressed, least recently
    used out first past `max_bytes`; emptied when the database changes."""

    CACHED_PREFIXES = ("/authorities", "/reports/", "/themes", "/search", "/api/", "/briefings")

    def __init__(self, db: Path, max_bytes: int = 32_000_000, max_entry: int = 4_000_000) -> None:
        self.db = db
        self.max_bytes = max_bytes
        self.max_entry = max_entry
        self._entries: OrderedDict[str, Entry] = OrderedDict()
        self._bytes = 0
        self._version: tuple[float, float] | None = None
        self._lock = threading.Lock()

    def key(self, method: str, path: str, query: bytes) -> str | None:
        if method != "GET" or not (path == "/" or path.startswith(self.CACHED_PREFIXES)):
            return None
        if path.endswith("/original") or path.startswith("/briefings/download"):
            return None
        version = database_version(self.db)
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._bytes = 0
                self._version = version
        return f"{path}?{query.decode('latin-1')}"

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Entry:
        kept = [(n, v) for n, v in headers if n.lower() not in (b"content-length", b"etag")]
        entry = Entry(
            status,
            body,
            gzip.compress(body, compresslevel=6, mtime=0),
            kept,
            f'"{zlib.crc32(body):08x}-{len(body):x}"'.encode(),
        )
        if entry.size <= self.max_entry:
            with self._lock:
                old = self._entries.pop(key, None)
                self._bytes -= old.size if old else 0
                self._entries[key] = entry
                self._bytes += entry.size
                while self._bytes > self.max_bytes and self._entries:
                    _, evicted = self._entries.popitem(last=False)
                    self._bytes -= evicted.size
        return entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def size(self) -> tuple[int, int]:
        """(entries, bytes) held."""
        return len(self._entries), self._bytes


PAGE_CACHE_CONTROL = b"no-cache"  # revalidate with the ETag: pages change only with the database


class CacheLayer:
    """Plain ASGI (no task or stream per request): canonical query strings, unknown API
    parameters refused, cached pages answered (gzip when accepted, 304 on a matching ETag)."""

    def __init__(self, app: ASGIApp, cache: PageCache, routes: RouteTable) -> None:
        self.app = app
        self.cache = cache
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        _drop_empty_parameters(scope)
        known = self.routes.parameters(path)
        if known is not None:
            query, unknown = canonical_query(scope["query_string"].decode("latin-1"), known)
            if unknown and path.startswith("/api/"):
                refused = JSONResponse(
                    {"error": f"unknown parameter {unknown[0][:40]!r}"},
                    status_code=400,
                    headers={"Cache-Control": "no-store"},
                )
                await refused(scope, receive, send)
                return
            scope["query_string"] = query.encode()  # pages ignore what they do not use
        key = self.cache.key(scope["method"], path, scope["query_string"])
        headers = Headers(scope=scope)
        gzip_ok = "gzip" in headers.get("accept-encoding", "")
        if key is None:
            await self.app(scope, receive, _no_store_on_errors(send))
            return
        entry = self.cache.get(key)
        if entry is None:
            started: dict[str, Any] = {}
            chunks: list[bytes] = []

            async def capture(message: Message) -> None:
                if message["type"] == "http.response.start":
                    started.update(message)
                elif message["type"] == "http.response.body":
                    chunks.append(message.get("body", b""))

            await self.app(scope, receive, capture)
            body = b"".join(chunks)
            if started.get("status") != 200:
                await _no_store_on_errors(send)(started)
                await send({"type": "http.response.body", "body": body})
                return
            entry = self.cache.put(key, 200, list(started.get("headers", [])), body)
        await _answer(entry, gzip_ok, headers.get("if-none-match"))(scope, receive, send)


def _answer(entry: Entry, gzip_ok: bool, if_none_match: str | None) -> Response:
    if if_none_match is not None and if_none_match.encode() == entry.etag:
        response = Response(status_code=304)
        response.raw_headers = [(b"etag", entry.etag), (b"cache-control", PAGE_CACHE_CONTROL)]
        return response
    response = Response(entry.gzipped if gzip_ok else entry.body, status_code=entry.status)
    length = [h for h in response.raw_headers if h[0] == b"content-length"]
    extra = [(b"content-encoding", b"gzip")] if gzip_ok else []
    response.raw_headers = [
        *entry.headers,
        *length,
        *extra,
        (b"vary", b"Accept-Encoding"),
        (b"etag", entry.etag),
        (b"cache-control", PAGE_CACHE_CONTROL),
    ]
    return response


def _no_store_on_errors(send: Send) -> Send:
    async def guarded(message: Message) -> None:
        if message["type"] == "http.response.start" and message.get("status", 200) >= 400:
            MutableHeaders(scope=message).setdefault("Cache-Control", "no-store")
        await send(message)

    return guarded
