"""`make bench` (coding): time to code the whole corpus, and a no-op re-run (goal <= 2 min)."""

from __future__ import annotations

import os
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
        start = time.perf_counter()
        again = code_reports(conn, model)
        noop = time.perf_counter() - start
    print(
        f"coding: {summary.reports} reports, {summary.sentences:,} sentences, "
        f"{summary.codings:,} codings in {full:.1f} s ({summary.sentences / full:,.0f} "
        f"sentences/s, {os.cpu_count()} workers)  (goal <= 120 s)"
    )
    print(f"coding no-op re-run: {noop:.2f} s ({again.reports} reports recoded)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
