"""`make bench` (briefings): time to build each briefing on the full coded corpus (goal <= 10 s)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import ofsted_atlas
from ofsted_atlas.coding import code_reports
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.publish.briefings import build_briefing

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OFSTED_ATLAS_SHARED", ROOT.parent / "shared"))
LOOKUP = SHARED / "reference" / "la_lookup.csv"
CASES = [
    ("mapping", "docx", {}),
    ("mapping", "html", {}),
    ("weaknesses", "pptx", {}),
    ("weaknesses", "html", {}),
    ("authority", "pptx", {"authority_name": "Norfolk", "lookup": LOOKUP}),
    ("authority", "docx", {"authority_name": "Norfolk", "lookup": LOOKUP}),
    ("workbook", "xlsx", {"lookup": LOOKUP}),
]


def main() -> int:
    corpus = SHARED / "corpus" / "reports"
    if not corpus.is_dir():
        print(f"bench: no corpus at {corpus}; set OFSTED_ATLAS_SHARED")
        return 1
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        ofsted_atlas.ingest([corpus], db, IngestOptions(reference=SHARED / "reference"))
        conn = ofsted_atlas.open_db(db)
        code_reports(conn)
        for kind, fmt, options in CASES:
            start = time.perf_counter()
            payload = build_briefing(conn, kind, fmt, **options)
            took = time.perf_counter() - start
            print(
                f"briefing {kind:<10} {fmt:<4}: {took:5.2f} s, {len(payload) / 1e3:,.0f} kB"
                "  (goal <= 10 s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
