"""Crashes and concurrent use: an ingest killed with SIGKILL at random moments leaves a consistent
database and a re-run finishes the job; two ingests and the web server share one database."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import ofsted_atlas
from ofsted_atlas.pipeline import IngestOptions
from tests.conftest import CORPUS, REFERENCE, free_port, require_shared, wait_for_server
from tests.reliability.conftest import comparable

pytestmark = pytest.mark.corpus
KILL_TRIALS = int(os.environ.get("OFSTED_ATLAS_KILL_TRIALS", "20"))
FOLDERS = [
    "80418_norfolk",
    "80426_barnsley",
    "80429_birmingham",
    "80431_blackpool",
    "80551_sheffield",
    "80447_cheshire east",
]


def _ingest_command(db: Path, *folders: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ofsted_atlas",
        "ingest",
        *[str(CORPUS / f) for f in folders],
        "--db",
        str(db),
        "--reference",
        str(REFERENCE),
    ]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    require_shared()
    db = tmp_path_factory.mktemp("clean") / "clean.sqlite"
    ofsted_atlas.ingest([CORPUS / f for f in FOLDERS], db, IngestOptions(reference=REFERENCE))
    return comparable(db, CORPUS)


def test_sigkill_at_random_moments_then_rerun(
    clean: list[dict[str, object]], tmp_path: Path
) -> None:
    rng = random.Random(2026)
    survived = 0
    for trial in range(KILL_TRIALS):
        db = tmp_path / f"kill_{trial}.sqlite"
        process = subprocess.Popen(
            _ingest_command(db, *FOLDERS),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.05, 3.5))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)  # the ingest and its workers, at once
        process.wait()
        if db.exists():
            conn = sqlite3.connect(db)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", trial
            conn.close()
        rerun = subprocess.run(
            _ingest_command(db, *FOLDERS), capture_output=True, text=True, timeout=300
        )
        assert rerun.returncode == 0, rerun.stderr
        assert comparable(db, CORPUS) == clean, f"trial {trial} differs from a clean ingest"
        survived += 1
    assert survived == KILL_TRIALS


def test_two_ingests_and_a_web_server_at_once(
    clean: list[dict[str, object]], tmp_path: Path
) -> None:
    db = tmp_path / "shared.sqlite"
    ofsted_atlas.ingest([CORPUS / FOLDERS[0]], db, IngestOptions(reference=REFERENCE))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ofsted_atlas", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(base)
        first = subprocess.Popen(
            _ingest_command(db, *FOLDERS[:4]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        second = subprocess.Popen(
            _ingest_command(db, *FOLDERS[2:]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        statuses = []
        with httpx.Client(base_url=base, timeout=30) as client:
            while first.poll() is None or second.poll() is None:
                for path in ("/", "/api/reports?limit=50", "/search?q=neglect", "/authorities"):
                    statuses.append(client.get(path).status_code)
        assert first.wait() == 0, first.stderr.read() if first.stderr else ""
        assert second.wait() == 0, second.stderr.read() if second.stderr else ""
        assert statuses and set(statuses) == {200}
        final = httpx.get(f"{base}/api/reports?limit=500", timeout=30).json()
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert comparable(db, CORPUS) == clean  # nothing lost, nothing doubled
    assert final["total"] == sum(1 for r in clean if r["status"] == "parsed")
