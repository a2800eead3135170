"""Shared fixtures. Corpus tests read the real reports from ../shared (beside the checkout) and are
skipped, with the reason, when it is absent."""

from __future__ import annotations

import os
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
