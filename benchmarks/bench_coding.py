"""`make bench` (coding): the three times of the coding budget (issue 14): coding the whole corpus
(goal <= 10 min), one newly ingested report (goal <= 5 s) and a no-op re-run (near-instant).

The last two run `ofsted-atlas code` as a user would, in a fresh process (start-up and model
loading included): one report's coding is removed to stand for a newly ingested report. With the
transformer reader blended in (coding/reader.py), every sentence is also read by it (int8 ONNX)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ofsted_atlas
from ofsted_atlas.coding import code_reports, load_model
from ofsted_atlas.pipeline import IngestOptions

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OFSTED_ATLAS_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "reports"


def _cli_code(db: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ofsted_atlas", "code", "--db", str(db)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> int:
    if not CORPUS.is_dir():
        print(f"bench: no corpus at {CORPUS}; set OFSTED_ATLAS_SHARED")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        ofsted_atlas.ingest([CORPUS], db, IngestOptions(reference=SHARED / "reference"))
        conn = ofsted_atlas.open_db(db)
        model = load_model()
        start = time.perf_counter()
        summary = code_reports(conn, model)
        full = time.perf_counter() - start
        # a typical report (the median by sentences) stands for a newly ingested one
        runs = conn.execute("SELECT report_id FROM coding_runs ORDER BY sentences").fetchall()
        newcomer = runs[len(runs) // 2][0]
        conn.execute("DELETE FROM coding_runs WHERE report_id = ?", (newcomer,))
        one = _cli_code(db)
        noop = _cli_code(db)
    print(f"model: {summary.model}")
    print(
        f"coding the corpus: {summary.reports} reports, {summary.sentences:,} sentences, "
        f"{summary.codings:,} codings in {full:.1f} s ({summary.sentences / full:,.0f} "
        f"sentences/s, {os.cpu_count()} workers)  (goal <= 600 s)"
    )
    print(f"coding one new report (`ofsted-atlas code`, fresh process): {one:.1f} s  (goal <= 5 s)")
    print(f"coding no-op re-run (`ofsted-atlas code`, fresh process): {noop:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
