"""`make bench`: ingest speed on the real corpus, against raw text extraction with the same library.

Prints: full-ingest wall time, reports/s, pages/s; raw pypdfium2 extraction of the same files with
the same number of worker processes; their ratio (goal <= 1.3); the no-op re-ingest time (goal
<= 2 s, measured through the CLI as a user runs it); peak memory of the parent and of a worker.

The machine is shared, so the two are measured alternately, RUNS times each: the ratio is given
both as best against best and as the median of each run's pair (a slow moment then hits both),
and the CPU time both spend is printed too: it moves far less than wall time when other work
shares the machine. Both hand the largest files out first, as ingest does, so the ratio measures
work, not scheduling.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

import ofsted_atlas
from ofsted_atlas.pipeline import IngestOptions

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OFSTED_ATLAS_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "reports"
REFERENCE = SHARED / "reference"
RUNS = 7


def raw_text(path: Path) -> int:
    """Text of every page, nothing else: the floor any ingest pays."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return 0
    chars = 0
    for page in pdf:
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return chars


def time_raw_extraction(files: list[Path], workers: int) -> float:
    largest_first = sorted(files, key=lambda path: path.stat().st_size, reverse=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(raw_text, largest_first))
    return time.perf_counter() - start


def cpu_seconds() -> float:
    """CPU time of this process and its reaped children (the worker pools), user + system."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    if not CORPUS.is_dir():
        print(f"bench: no corpus at {CORPUS}; set OFSTED_ATLAS_SHARED")
        return 1
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    workers = os.cpu_count() or 1
    raws, fulls, raw_cpu, full_cpu = [], [], [], []
    for _ in range(RUNS):
        before = cpu_seconds()
        raws.append(time_raw_extraction(files, workers))
        raw_cpu.append(cpu_seconds() - before)
        with tempfile.TemporaryDirectory() as folder:
            before, start = cpu_seconds(), time.perf_counter()
            ofsted_atlas.ingest(
                [CORPUS], Path(folder) / "b.sqlite", IngestOptions(reference=REFERENCE)
            )
            fulls.append(time.perf_counter() - start)
            full_cpu.append(cpu_seconds() - before)
    raw, full = min(raws), min(fulls)
    serial = time_raw_extraction(files, 1)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        summary = ofsted_atlas.ingest([CORPUS], db, IngestOptions(reference=REFERENCE))
        pages = (
            sqlite3.connect(db)
            .execute("SELECT COALESCE(SUM(page_count), 0) FROM reports WHERE status = 'parsed'")
            .fetchone()[0]
        )
        cli = [
            sys.executable,
            "-m",
            "ofsted_atlas",
            "ingest",
            str(CORPUS),
            "--db",
            str(db),
            "--reference",
            str(REFERENCE),
        ]
        start = time.perf_counter()
        subprocess.run(cli, check=True, capture_output=True)
        noop = time.perf_counter() - start
    parent_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"corpus: {len(files)} files, {pages} pages of parsed reports, {workers} workers")
    print(
        f"outcomes: ingested {summary.count('ingested')}, rejected {summary.count('rejected')},"
        f" failed {summary.count('failed')}"
    )
    print(
        f"runs (s): ingest {', '.join(f'{t:.2f}' for t in fulls)};"
        f" raw {', '.join(f'{t:.2f}' for t in raws)}"
    )
    print(
        f"full ingest (best of {RUNS}): {full:.2f} s  "
        f"({len(files) / full:.1f} reports/s, {pages / full:.0f} pages/s)"
    )
    print(f"raw pypdfium2 text extraction, same files and workers (best of {RUNS}): {raw:.2f} s")
    paired = statistics.median(f / r for f, r in zip(fulls, raws, strict=True))
    print(
        f"ingest / raw extraction ratio: {full / raw:.2f} best against best, {paired:.2f} median"
        " of the paired runs  (goal <= 1.3; same workers)"
    )
    print(
        f"CPU time (all processes, least of {RUNS}): ingest {min(full_cpu):.2f} s, raw"
        f" {min(raw_cpu):.2f} s, ratio {min(full_cpu) / min(raw_cpu):.2f}  (the work done, whatever"
        " else the machine is running)"
    )
    print(f"raw extraction in one process: {serial:.2f} s (ingest / that: {full / serial:.2f})")
    print(f"no-op re-ingest (CLI, process start included): {noop:.2f} s  (goal <= 2 s)")
    print(f"peak memory: parent {parent_mb:.0f} MB, largest worker or child {child_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
