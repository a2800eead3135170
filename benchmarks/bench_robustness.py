"""`make bench` (robustness), on loopback against the real server (one worker) on the coded
corpus, each check bounded in requests and time:
- 200 concurrent briefing downloads: /healthz polled throughout (goal: every answer < 1 s), and
  the server's memory (its process and children) before, at peak and after (goal: back within
  100 MB of the start);
- 1,000 requests with distinct long query strings (goal: memory grows < 50 MB);
- hostile searches within the length limit, alone and ten at once (goal: none over 2 s)."""

from __future__ import annotations

import asyncio
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_web import SHARED, _server, coded_database  # noqa: E402

# 16 words, 3 of them prefixes: the most the budget allows.
PREFIX_STORM = " OR ".join(
    [
        "chi*",
        "car*",
        "pla*",
        "the",
        "and",
        "of",
        "to",
        "children",
        "social",
        "work",
        "in",
        "a",
        "for",
        "is",
        "are",
        "that",
    ]
)
HOSTILE_SEARCHES = [
    PREFIX_STORM,
    " OR ".join(f"{w}*" for w in ("chi", "car", "pla")) + " OR " + " OR ".join("aeiouy"),
    "NEAR(chi* car* pla*, 50)",
    "NEAR(a* a*)",
    '"children and young people" OR "the local authority" OR "social workers" OR care',
    " ".join(random.Random(3).choice(string.ascii_lowercase) for _ in range(90)),
    " OR ".join(["the"] * 16),
    " ".join(["the"] * 16),
    'NEAR("the" "of" "and" "to" "a" "in" "children", 100)',
    "(" * 60 + "children" + ")" * 60,
]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    total = 0
    for child in [pid, *_descendants(pid)]:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _descendants(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    children = [int(p) for p in out.stdout.split()]
    return children + [d for c in children for d in _descendants(c)]


def server_pid(port: int) -> int:
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True)
    return int(out.stdout.split("pid=")[1].split(",")[0])


POLL = """
import sys, time, httpx
base, out = sys.argv[1], sys.argv[2]
with httpx.Client(base_url=base, timeout=10) as client, open(out, "w") as log:
    while True:
        began = time.perf_counter()
        try:
            client.get("/healthz").raise_for_status()
            log.write(f"{time.perf_counter() - began:.4f}\\n")
        except httpx.HTTPError:
            log.write("10.0\\n")
        log.flush()
        time.sleep(0.1)
"""


async def briefing_storm(base: str, pid: int, authorities: list[str], folder: Path) -> None:
    """/healthz is polled from a process of its own, so the downloads' client (busy reading
    hundreds of megabytes) cannot delay the polls it measures."""
    start_mb = rss_mb(pid)
    statuses: dict[int, int] = {}
    peak = start_mb
    rng = random.Random(5)
    urls = ["/briefings/download?kind=mapping&format=docx"] * 60
    urls += ["/briefings/download?kind=weaknesses&format=pptx"] * 40
    urls += ["/briefings/download?kind=workbook&format=xlsx"] * 20
    urls += [
        f"/briefings/download?kind=authority&format={rng.choice(['pptx', 'docx', 'html'])}"
        f"&authority={rng.choice(authorities)}"
        for _ in range(80)
    ]
    rng.shuffle(urls)
    log = folder / "healthz.txt"
    poller = subprocess.Popen([sys.executable, "-c", POLL, base, str(log)])
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=len(urls))
    async with httpx.AsyncClient(base_url=base, timeout=600, limits=limits) as client:

        async def watch_memory() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss_mb(pid))
                await asyncio.sleep(0.2)

        async def download(url: str) -> None:
            response = await client.get(url)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

        watcher = asyncio.create_task(watch_memory())
        began = time.perf_counter()
        await asyncio.gather(*(download(url) for url in urls))
        took = time.perf_counter() - began
        done.set()
        await watcher
    poller.terminate()
    poller.wait()
    health = [float(line) for line in log.read_text().split()]
    after = rss_mb(pid)
    for _ in range(30):  # the build process stops when idle; memory settles
        await asyncio.sleep(1)
        after = rss_mb(pid)
        if after - start_mb < 100:
            break
    print(
        f"200 concurrent briefing downloads in {took:.1f} s:"
        f" answers {dict(sorted(statuses.items()))}"
        f"; /healthz max {max(health) * 1000:.0f} ms, median"
        f" {sorted(health)[len(health) // 2] * 1000:.0f} ms over {len(health)} polls"
        f" (goal < 1000 ms); memory {start_mb:.0f} MB -> peak {peak:.0f} -> after {after:.0f} MB"
        f" ({after - start_mb:+.0f} MB; goal within 100 MB)"
    )


def distinct_queries(base: str, pid: int) -> None:
    rng = random.Random(9)
    words = ["children", "care", "plans", "leaders", "social", "work", "help", "neglect"]
    before = rss_mb(pid)
    statuses: dict[int, int] = {}
    began = time.perf_counter()
    with httpx.Client(base_url=base, timeout=60) as client:
        for n in range(1000):
            if n % 2:
                text = " ".join(rng.choice(words) for _ in range(12))[:190] + f" {n}"
                url = "/search?q=" + text.replace(" ", "+")
            else:
                junk = "".join(rng.choice(string.ascii_letters) for _ in range(1500))
                url = f"/authorities?utm_source={junk}&region={junk[:80]}"
            code = client.get(url).status_code
            statuses[code] = statuses.get(code, 0) + 1
    after = rss_mb(pid)
    print(
        f"1,000 distinct long query strings in {time.perf_counter() - began:.0f} s: answers"
        f" {dict(sorted(statuses.items()))}; memory {before:.0f} -> {after:.0f} MB"
        f" ({after - before:+.0f} MB; goal < 50 MB)"
    )


async def hostile_searches(base: str) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:

        async def timed(query: str) -> tuple[float, int]:
            began = time.perf_counter()
            response = await client.get("/api/search", params={"q": query, "limit": 200})
            return time.perf_counter() - began, response.status_code

        alone = [await timed(q) for q in HOSTILE_SEARCHES]
        together = await asyncio.gather(
            *(timed(PREFIX_STORM.replace("that", f"that{n}")) for n in range(10))
        )
    worst = max(t for t, _ in alone)
    worst_together = max(t for t, _ in together)
    print(
        f"hostile searches (<= 200 characters): slowest alone {worst * 1000:.0f} ms"
        f" (answers {sorted({s for _, s in alone})}); ten at once: slowest"
        f" {worst_together * 1000:.0f} ms (answers {sorted({s for _, s in together})})"
        f" (goal: none over 2000 ms)"
    )


def main() -> int:
    if not (SHARED / "corpus").is_dir():
        print("bench robustness: needs the corpus; skipped")
        return 0
    db = coded_database(Path(os.environ.get("TMPDIR", "/tmp")))
    import ofsted_atlas

    conn = ofsted_atlas.open_db(db, read_only=True)
    authorities = [
        r[0] for r in conn.execute("SELECT DISTINCT la_code FROM reports WHERE la_code IS NOT NULL")
    ]
    with _server(db, 1) as base:
        pid = server_pid(int(base.rsplit(":", 1)[1]))
        httpx.get(base + "/authorities", timeout=60)
        asyncio.run(hostile_searches(base))
        distinct_queries(base, pid)
        with tempfile.TemporaryDirectory() as folder:
            asyncio.run(briefing_storm(base, pid, authorities, Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
