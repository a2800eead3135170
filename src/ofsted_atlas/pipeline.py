"""The ingest pipeline: sources -> extract -> parse -> store, files in parallel, writes in order.

Workers (one process per core) read, extract and parse; the parent alone writes, in batches that
commit every few seconds with each report a savepoint inside (`store.repository.Batch`), so a crash
at any moment leaves every stored report whole and loses at most the batch in hand.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .errors import Duplicate, FileTooLarge, Rejected
from .extract import ExtractSettings, extract_document
from .extract.sniff import sniff_kind
from .parse import PARSER_VERSION, parse_document
from .parse.model import Report
from .sources import discover_files, sha256_file
from .store import connect, stored_files
from .store.repository import Batch, StoredFile, parsed_source_with_sha


@dataclass(frozen=True)
class Outcome:
    source: str
    status: str  # "ingested" | "unchanged" | "rejected" | "failed"
    detail: str = ""
    hint: str = ""
    code: str = ""  # the rejection's code; for an unchanged file, its stored rejection's
    warnings: int = 0  # self-checks the parsed report failed (stored or new)

    @property
    def rejected_before(self) -> bool:
        """An unchanged file that was rejected when it was last read."""
        return self.status == "unchanged" and bool(self.code)


@dataclass
class IngestSummary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0

    def of(self, status: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.status == status]

    def rejections(self) -> list[Outcome]:
        """Files rejected now and unchanged files rejected before: every file not stored."""
        return [o for o in self.outcomes if o.status == "rejected" or o.rejected_before]

    def with_warnings(self, status: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == status and o.warnings]


@dataclass(frozen=True)
class IngestOptions:
    workers: int = 0  # 0: one per core
    max_size_bytes: int = 100 * 1024 * 1024
    reference: Path | None = None
    force: bool = False  # re-parse even when the bytes and parser are unchanged
    # Seconds between commits of stored reports (OFSTED_ATLAS_BATCH_SECONDS; tests that kill an
    # ingest mid-run make it short so that several batches commit before the end).
    batch_seconds: float = field(
        default_factory=lambda: float(os.environ.get("OFSTED_ATLAS_BATCH_SECONDS", "2.0"))
    )


Progress = Callable[[Outcome], None]


def ingest(
    paths: Iterable[Path | str],
    db: Path | str | None = None,
    options: IngestOptions | None = None,
    on_start: Callable[[int], None] | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Ingest files and folders into the database; never stops on a bad file."""
    options = options or IngestOptions(max_size_bytes=config.max_size_bytes())
    conn = connect(db or config.default_db_path())
    try:
        return _ingest(conn, [Path(p) for p in paths], options, on_start, progress)
    finally:
        conn.close()


def _ingest(
    conn: sqlite3.Connection,
    paths: list[Path],
    options: IngestOptions,
    on_start: Callable[[int], None] | None,
    progress: Progress | None,
) -> IngestSummary:
    summary = IngestSummary()

    def record(outcome: Outcome) -> None:
        summary.outcomes.append(outcome)
        if progress:
            progress(outcome)

    files = list(discover_files(paths))
    if on_start:
        on_start(len(files))
    known = stored_files(conn)

    def needing_work() -> Iterator[tuple[str, str | None]]:
        """Files to (re)process. A file never stored before goes straight to a worker, which
        hashes the bytes it reads anyway; a stored one is hashed here to see if it changed, so
        workers start at once and a no-op re-ingest reads each file only once."""
        for path in _largest_first(files):
            source = str(path)
            stored = known.get(source)
            if stored is None:
                yield source, None
                continue
            try:
                sha = sha256_file(path)
            except OSError as error:
                record(Outcome(source, "failed", f"cannot read the file ({error})"))
                continue
            unchanged = (
                stored.sha256 == sha
                and stored.parser_version == PARSER_VERSION
                and not options.force
            )
            if unchanged:
                record(_unchanged(source, stored))
            else:
                yield source, sha

    lookup = config.lookup_path(options.reference)
    with Batch(conn, options.batch_seconds) as batch:
        for source, work in _process_all(needing_work(), len(files), options, lookup):
            record(_store(batch, source, work))
            batch.maybe_commit()
    return summary


def _unchanged(source: str, stored: StoredFile) -> Outcome:
    if stored.status == "rejected":
        return Outcome(
            source,
            "unchanged",
            stored.rejection_reason or "",
            stored.rejection_hint or "",
            stored.rejection_code or "rejected",
        )
    return Outcome(source, "unchanged", warnings=stored.warnings)


WorkResult = Report | tuple[str, Rejected] | tuple[str, str]


@dataclass(frozen=True)
class Work:
    """What a worker hands back: the file's content hash and what became of it."""

    sha256: str
    result: WorkResult


def _largest_first(files: list[Path]) -> list[Path]:
    """Big reports start first, so no core is left idle on one long report at the end."""

    def size(path: Path) -> int:
        try:
            return path.stat().st_size
        except OSError:
            return 0  # reported when it is read

    return sorted(files, key=size, reverse=True)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing makes hundreds of thousands of short-lived objects and no reference cycles:
    the cycle collector's repeated passes over them are pure overhead (a tenth of parse time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def process_file(source: str, sha: str | None, max_size_bytes: int, lookup: Path | None) -> Work:
    """Runs in a worker: read -> hash (when not given) -> extract -> parse. The result is a
    Report, (kind, Rejected) or ("failed", traceback) — it never raises, so one bad file cannot
    take the batch down."""
    kind = ""
    try:
        size = Path(source).stat().st_size
        if size > max_size_bytes:  # refused before reading: a huge file never fills memory
            sha = sha or sha256_file(Path(source))
            raise FileTooLarge(
                f"{source}: {size / 1e6:.0f} MB is over the {max_size_bytes / 1e6:.0f} MB limit"
            )
        data = Path(source).read_bytes()
        sha = sha or hashlib.sha256(data).hexdigest()
        kind = sniff_kind(data[:8192], Path(source)) or ""
        settings = ExtractSettings(max_size_bytes=max_size_bytes)
        with _collector_paused():
            document = extract_document(data, source, sha, settings)
            return Work(sha, parse_document(document, lookup))
    except Rejected as rejection:
        return Work(sha or "", (kind, rejection))
    except OSError as error:
        return Work(sha or "", ("failed", f"cannot read the file ({error})"))
    except Exception:
        return Work(sha or "", ("failed", traceback.format_exc(limit=4)))


# Files handed out ahead of the results read back: enough that workers keep going while this
# process commits a batch (or the machine pauses it), few enough that results never pile up.
_IN_FLIGHT_PER_WORKER = 8


def _process_all(
    todo: Iterator[tuple[str, str | None]], files: int, options: IngestOptions, lookup: Path | None
) -> Iterable[tuple[str, Work]]:
    workers = options.workers or os.cpu_count() or 1
    if workers == 1 or files <= 1:
        for source, sha in todo:
            yield source, process_file(source, sha, options.max_size_bytes, lookup)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: dict[Future[Work], tuple[str, str | None]] = {}
        queue = iter(todo)
        for source, sha in queue:
            pending[pool.submit(process_file, source, sha, options.max_size_bytes, lookup)] = (
                source,
                sha,
            )
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                source, sha = pending.pop(future)
                yield source, _result_of(future, sha)
                following = next(queue, None)
                if following is not None:
                    pending[
                        pool.submit(process_file, *following, options.max_size_bytes, lookup)
                    ] = following


def _result_of(future: Future[Work], sha: str | None) -> Work:
    try:
        return future.result()
    except BrokenProcessPool:
        return Work(sha or "", ("failed", "the worker process died while reading this file"))


def _store(batch: Batch, source: str, work: Work) -> Outcome:
    result = work.result
    if isinstance(result, Report):
        duplicate_of = parsed_source_with_sha(batch.conn, result.sha256, source)
        if duplicate_of:
            error = Duplicate(f"{source}: same content as {duplicate_of}")
            batch.save_rejection(source, result.sha256, result.kind, error)
            return Outcome(source, "rejected", error.message, error.hint, error.code)
        batch.save_report(result)
        return Outcome(source, "ingested", _describe(result), warnings=len(result.checks))
    kind, problem = result
    if isinstance(problem, Rejected):
        batch.save_rejection(source, work.sha256, kind or None, problem)
        return Outcome(source, "rejected", problem.message, problem.hint, problem.code)
    return Outcome(source, "failed", problem, code="failed")


def _describe(report: Report) -> str:
    grade = report.judgement("overall_effectiveness") or "no overall grade"
    return f"{report.authority.name or report.authority.printed} · {report.framework} · {grade}"
