"""Shared fixtures. Corpus tests read the real reports from ../shared (beside the checkout) and are
skipped, with the reason, when it is absent."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("OFSTED_ATLAS_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "reports"
REFERENCE = SHARED / "reference"
SEEDS = SHARED / "seeds"


def require_shared() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"real reports not found at {CORPUS} (set OFSTED_ATLAS_SHARED)")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "atlas.sqlite"


@pytest.fixture(scope="session")
def coded_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus ingested and coded once per test run (about a minute on two cores).
    OFSTED_ATLAS_CODED_DB names an already coded database to reuse in local runs."""
    require_shared()
    reuse = os.environ.get("OFSTED_ATLAS_CODED_DB")
    if reuse and Path(reuse).exists():
        return Path(reuse)
    import ofsted_atlas
    from ofsted_atlas.coding import code_reports
    from ofsted_atlas.pipeline import IngestOptions
    from tests.labels import parsed_count

    db = tmp_path_factory.mktemp("coded") / "atlas.sqlite"
    ofsted_atlas.ingest([CORPUS], db, IngestOptions(reference=REFERENCE))
    conn = ofsted_atlas.open_db(db)
    coded = code_reports(conn).reports
    assert coded == parsed_count(), f"coded {coded} reports; the labels say {parsed_count()} parse"
    conn.close()
    return db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_server(base: str, seconds: float = 30) -> None:
    """Block until the web app at `base` answers /healthz; fail clearly if it never does."""
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {base} did not start within {seconds:.0f} s")
