"""The expected labels of the real corpus (tests/data/expected_reports.csv), read once, and the
figures the corpus tests derive from them instead of pinning a snapshot of the corpus."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

EXPECTED = Path(__file__).resolve().parent / "data" / "expected_reports.csv"


@cache
def _rows() -> tuple[dict[str, str], ...]:
    with EXPECTED.open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def expected_rows() -> list[dict[str, str]]:
    """Every labelled file, one dict per row (fresh copies: callers may change them)."""
    return [dict(row) for row in _rows()]


def parsed_rows() -> list[dict[str, str]]:
    return [row for row in expected_rows() if row["status"] == "parsed"]


def parsed_count() -> int:
    """How many corpus files the labels say parse into a report."""
    return len(parsed_rows())


def has_overall_grade(row: dict[str, str]) -> bool:
    """Inspections from 27 April 2026 print no overall effectiveness grade: the labels say which."""
    return bool(row.get("j_overall_effectiveness"))
