"""What every browser test shares: where Chromium and axe-core are, the flags Chromium needs on
this closed network, a server started on the coded corpus, and one browser per module."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REFERENCE, ROOT, free_port, wait_for_server

CHROMIUM = os.environ.get("OFSTED_ATLAS_CHROMIUM", "/usr/bin/chromium")
AXE = Path(
    os.environ.get(
        "OFSTED_ATLAS_AXE", ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
SHOTS = ROOT / "test-artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def serving(db: Path, *flags: str) -> Iterator[str]:
    """`ofsted-atlas serve` on `db` (with `flags`) in a process of its own; yields its address
    once it answers, and stops it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "ofsted_atlas", "serve", "--db", str(db)]
    command += ["--reference", str(REFERENCE), "--port", str(port), *flags]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for_server(base)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(coded_corpus: Path) -> Iterator[str]:
    """The default (read-only) server on the coded corpus."""
    with serving(coded_corpus) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: .ci/run installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
