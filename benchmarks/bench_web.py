"""`make bench` (web): load test on loopback with wrk against the real server on the full coded
corpus: p50/p95 latency per page type at 50 concurrent connections (goal p95 <= 100 ms), and
search latency (goal <= 50 ms), both through HTTP and for the search function alone (uncached)."""

from __future__ import annotations

import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

import ofsted_atlas
from ofsted_atlas.coding import code_reports
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import search

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OFSTED_ATLAS_SHARED", ROOT.parent / "shared"))
WORDS = (
    "management oversight",
    "return home interviews",
    "neglect",
    "care leavers",
    "pathway plans",
    "strategy meetings",
    "caseloads",
    "adoption",
    "supervision",
    "private fostering",
    "child sexual exploitation",
    "thresholds",
    "agency staff",
    "personal education plans",
    "independent reviewing officers",
    "early help",
    "domestic abuse",
    "homeless",
    "court",
    "placement sufficiency",
)
LUA = """
local paths = {%s}
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %%.1f %%.1f %%d %%d\\n", latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.requests, errors))
end
"""


def coded_database(folder: Path) -> Path:
    reuse = os.environ.get("OFSTED_ATLAS_CODED_DB")
    if reuse and Path(reuse).exists():
        return Path(reuse)
    db = folder / "bench.sqlite"
    ofsted_atlas.ingest(
        [SHARED / "corpus" / "reports"], db, IngestOptions(reference=SHARED / "reference")
    )
    code_reports(ofsted_atlas.open_db(db))
    return db


def page_sets(db: Path) -> dict[str, list[str]]:
    conn = ofsted_atlas.open_db(db, read_only=True)
    reports = [r[0] for r in conn.execute("SELECT id FROM reports WHERE status = 'parsed'")]
    codes = [
        r[0] for r in conn.execute("SELECT DISTINCT la_code FROM reports WHERE la_code IS NOT NULL")
    ]
    rng = random.Random(1)
    return {
        "home": ["/"],
        "authorities list": ["/authorities", "/authorities?sort=grade&desc=true"],
        "authority page": [f"/authorities/{c}" for c in codes],
        "report page": [f"/reports/{r}" for r in rng.sample(reports, 60)],
        "themes": ["/themes", "/themes?polarity=strength"],
        "search page": [f"/search?q={w.replace(' ', '+')}" for w in WORDS],
        "search API": [f"/api/search?q={w.replace(' ', '+')}&limit=20" for w in WORDS],
        "reports API": [f"/api/reports?limit=50&offset={o}" for o in range(0, 250, 50)],
    }


def main() -> int:
    wrk = shutil.which("wrk")
    if wrk is None or not (SHARED / "corpus").is_dir():
        print("bench web: needs wrk (apt-get install wrk) and the corpus; skipped")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        db = coded_database(Path(folder))
        direct_search(db)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ofsted_atlas",
                "serve",
                "--db",
                str(db),
                "--reference",
                str(SHARED / "reference"),
                "--port",
                str(port),
                "--workers",
                "2",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base)
            for name, paths in page_sets(db).items():
                first = _first_visits(base, paths)
                script = Path(folder) / "paths.lua"
                script.write_text(LUA % ", ".join(f'"{p}"' for p in paths))
                out = subprocess.run(
                    [wrk, "-t2", "-c50", "-d6s", "-s", str(script), base],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                p50, p95, requests, errors = out.split("RESULT", 1)[1].split()
                print(
                    f"web {name:<17} 50 clients: p50 {p50:>6} ms  p95 {p95:>6} ms  "
                    f"({requests} requests, {errors} errors; first uncached visit median "
                    f"{first:.0f} ms)  (goal p95 <= 100 ms)"
                )
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


def direct_search(db: Path) -> None:
    conn = ofsted_atlas.open_db(db, read_only=True)
    times = []
    for word in WORDS * 3:
        start = time.perf_counter()
        search(conn, word, limit=25)
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    print(
        f"search (uncached, in process): p50 {statistics.median(times):.1f} ms, "
        f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms  (goal <= 50 ms)"
    )


def _first_visits(base: str, paths: list[str]) -> float:
    times = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for path in paths:
            start = time.perf_counter()
            client.get(path).raise_for_status()
            times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times)


def _wait(base: str) -> None:
    for _ in range(150):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    sys.exit(main())
