"""A polite HTTP client: one request at a time, a pause between requests, a clear User-Agent, and
retries with exponential backoff on 429 / 5xx / dropped connections, honouring Retry-After."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TypeVar

import httpx

from ofsted_atlas import __version__
from ofsted_atlas.errors import AtlasError

USER_AGENT = (
    f"ofsted-atlas/{__version__} (open-source research tool; polite crawler: one request at a time)"
)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
T = TypeVar("T")


class FetchError(AtlasError):
    code = "fetch_error"
    hint = "The site did not answer usefully after several tries: run sync again later."


@dataclass(frozen=True)
class Politeness:
    delay_seconds: float = 1.0  # between consecutive requests
    retries: int = 5
    backoff_seconds: float = 2.0  # first retry waits this, then doubles
    max_wait_seconds: float = 120.0  # cap on any single wait, Retry-After included
    timeout_seconds: float = 60.0


@dataclass(frozen=True)
class Download:
    path: Path
    sha256: str
    size: int
    etag: str | None
    last_modified: str | None
    content_type: str


class PoliteClient:
    def __init__(
        self,
        politeness: Politeness = Politeness(),
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.politeness = politeness
        self._sleep = sleep
        self._last_request = 0.0
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=politeness.timeout_seconds,
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_text(self, url: str) -> str:
        def attempt() -> str | _Retry:
            response = self._client.get(url)
            retry = self._retry_signal(response)
            if retry:
                return retry
            response.raise_for_status()
            return response.text

        return self._with_retries(url, attempt)

    def download(self, url: str, target: Path, headers: dict[str, str] | None = None) -> Download:
        """Stream to `target.part`, then rename: a failed or interrupted download leaves nothing
        at `target` and no partial file behind."""
        temporary = target.with_name(target.name + ".part")
        target.parent.mkdir(parents=True, exist_ok=True)

        def attempt() -> Download | _Retry:
            try:
                with self._client.stream("GET", url, headers=headers or {}) as response:
                    retry = self._retry_signal(response)
                    if retry:
                        return retry
                    response.raise_for_status()
                    return self._stream_to(response, temporary, target)
            finally:
                temporary.unlink(missing_ok=True)

        return self._with_retries(url, attempt)

    def _stream_to(self, response: httpx.Response, temporary: Path, target: Path) -> Download:
        digest = hashlib.sha256()
        size = 0
        with temporary.open("wb") as handle:
            for chunk in response.iter_bytes(1 << 16):
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        expected = response.headers.get("content-length")
        if expected is not None and expected.isdigit() and int(expected) != size:
            raise httpx.ReadError(f"short body: {size} of {expected} bytes")
        temporary.replace(target)
        return Download(
            path=target,
            sha256=digest.hexdigest(),
            size=size,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            content_type=response.headers.get("content-type", ""),
        )

    def _with_retries(self, url: str, attempt: Callable[[], T | _Retry]) -> T:
        politeness = self.politeness
        problem = ""
        wait: float | None = None
        for number in range(politeness.retries + 1):
            if number:
                self._pause(
                    wait if wait is not None else politeness.backoff_seconds * 2 ** (number - 1)
                )
            self._wait_turn()
            try:
                outcome = attempt()
            except httpx.TransportError as error:  # dropped connection, timeout, short body
                problem, wait = str(error) or type(error).__name__, None
                continue
            except httpx.HTTPStatusError as error:
                raise FetchError(f"{url}: HTTP {error.response.status_code}") from error
            if isinstance(outcome, _Retry):
                problem, wait = f"HTTP {outcome.status}", outcome.after
                continue
            return outcome
        raise FetchError(f"{url}: gave up after {politeness.retries + 1} tries ({problem})")

    @staticmethod
    def _retry_signal(response: httpx.Response) -> _Retry | None:
        if response.status_code not in RETRY_STATUSES:
            return None
        return _Retry(response.status_code, _retry_after(response.headers.get("retry-after")))

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(min(seconds, self.politeness.max_wait_seconds))

    def _wait_turn(self) -> None:
        elapsed = time.monotonic() - self._last_request
        self._pause(self.politeness.delay_seconds - elapsed)
        self._last_request = time.monotonic()


@dataclass(frozen=True)
class _Retry:
    status: int
    after: float | None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
