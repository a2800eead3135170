"""A folder of whatever councils have: every good file ingested, every bad one rejected with the
right reason, nothing escapes, and the database equals a clean run over the good files."""

from __future__ import annotations

import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

import ofsted_atlas
from ofsted_atlas.pipeline import IngestOptions
from tests.conftest import REFERENCE
from tests.reliability.conftest import comparable

pytestmark = pytest.mark.corpus


def test_hostile_folder(hostile_folder: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, expected = hostile_folder
    db = tmp_path / "hostile.sqlite"
    summary = ofsted_atlas.ingest([root], db, IngestOptions(reference=REFERENCE))
    outcomes = {Path(o.source).name: (o.status, o.code) for o in summary.outcomes}
    assert set(outcomes) == set(expected)
    assert summary.ok, summary.of("failed")
    pairs: dict[str, list[str]] = defaultdict(list)
    for name, want in expected.items():
        status, code = outcomes[name]
        if want.startswith("pair:"):
            pairs[want].append("ingested" if status == "ingested" else code)
        elif want == "any":
            assert status in ("ingested", "rejected"), name
        elif want == "ingested":
            assert status == "ingested", (name, outcomes[name])
        else:
            assert (status, code) == ("rejected", want), (name, outcomes[name])
    assert all(sorted(found) == ["duplicate", "ingested"] for found in pairs.values()), pairs
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    clean_root = tmp_path / "clean"
    clean_root.mkdir()
    ingested = [n for n, (status, _) in outcomes.items() if status == "ingested"]
    for path in root.rglob("*"):
        if path.name in ingested:
            target = clean_root / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    clean_db = tmp_path / "clean.sqlite"
    ofsted_atlas.ingest([clean_root], clean_db, IngestOptions(reference=REFERENCE))
    hostile_parsed = [r for r in comparable(db, root) if r["status"] == "parsed"]
    assert hostile_parsed == comparable(clean_db, clean_root)
