"""Briefing builds, away from the pages: a pool of their own (a separate process, so a build never
holds the server's interpreter lock or its memory), a bounded queue (503 with Retry-After past
it), one build per distinct briefing however many ask at once, and the built files cached per
database version (a briefing is deterministic), bounded by bytes.

Pages and /healthz never wait behind a build: the download route awaits the build without
holding one of the server's threads. The build process is shut down when no build is left, so
its memory goes back to the system.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sqlite3
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ofsted_atlas.analysis.trajectory import UnknownAuthority
from ofsted_atlas.publish.briefings import build_briefing
from ofsted_atlas.store import connect

from .context import database_version


class PoolFull(Exception):
    """Too many distinct briefings are being built: come back later."""


def _build(db: str, kind: str, fmt: str, options: dict[str, Any]) -> bytes:
    conn = connect(Path(db), read_only=True)
    try:
        return build_briefing(conn, kind, fmt, **options)
    except (UnknownAuthority, ValueError, sqlite3.DatabaseError) as error:
        raise type(error)(str(error)) from None  # plain, picklable
    finally:
        conn.close()


class BriefingPool:
    def __init__(
        self,
        db: Path,
        workers: int = 1,
        queue_limit: int = 6,
        cache_bytes: int = 48_000_000,
    ) -> None:
        self.db = db
        self.workers = workers
        self.queue_limit = queue_limit
        self.cache_bytes = cache_bytes
        self._executor: ProcessPoolExecutor | None = None
        self._building: dict[tuple[Any, ...], Future[bytes]] = {}
        self._done: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    async def get(self, kind: str, fmt: str, options: dict[str, Any]) -> bytes:
        key = (
            kind,
            fmt,
            tuple(sorted((k, str(v)) for k, v in options.items())),
            database_version(self.db),
        )
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            future = self._building.get(key)
            if future is None:
                if len(self._building) >= self.queue_limit:
                    raise PoolFull(
                        f"{len(self._building)} briefings are being built: try again shortly"
                    )
                if self._executor is None:
                    self._executor = ProcessPoolExecutor(
                        self.workers, mp_context=multiprocessing.get_context("spawn")
                    )
                future = self._executor.submit(_build, str(self.db), kind, fmt, options)
                self._building[key] = future
                future.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.wrap_future(future)

    def _finished(self, key: tuple[Any, ...], future: Future[bytes]) -> None:
        with self._lock:
            self._building.pop(key, None)
            if not future.cancelled() and future.exception() is None:
                payload = future.result()
                if len(payload) <= self.cache_bytes // 4:
                    self._done[key] = payload
                    self._bytes += len(payload)
                    while self._bytes > self.cache_bytes:
                        _, evicted = self._done.popitem(last=False)
                        self._bytes -= len(evicted)
            if not self._building and self._executor is not None:
                executor, self._executor = self._executor, None
                executor.shutdown(wait=False)

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
