"""Readiness on the whole coded corpus.

- The tracker against statuses checked by hand (tests/data/readiness_tracker_checks.csv): for
  nine councils with two inspections, the later report's findings stand in for a
  self-evaluation, and each earlier recommendation was read against them by hand (does the later
  report say anything about the issue?). The file holds references only (LA code, dates,
  recommendation ordinal), never report text.
- The next-inspection window's back-test.
- The example self-evaluations: thorough, silent, out of date.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

import ofsted_atlas
from ofsted_atlas.analysis.council_documents import read_council_document
from ofsted_atlas.analysis.next_inspection import backtest
from ofsted_atlas.analysis.readiness import readiness
from ofsted_atlas.coding import _RECOMMENDATION_SECTION
from tests.conftest import REFERENCE, ROOT

pytestmark = pytest.mark.corpus
CHECKS = ROOT / "tests" / "data" / "readiness_tracker_checks.csv"
EXAMPLES = ROOT / "examples" / "self-evaluations"
LOOKUP = REFERENCE / "la_lookup.csv"


def report_id(conn: object, la_code: str, end: str) -> int:
    row = conn.execute(  # type: ignore[attr-defined]
        "SELECT id FROM reports WHERE la_code = ? AND inspection_end = ? AND status = 'parsed'"
        " AND publication_type = 'inspection'",
        (la_code, end),
    ).fetchone()
    return int(row[0])


def findings_as_text(conn: object, report: int) -> bytes:
    """The later report's findings (not its recommendation lists) as a plain-text document."""
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT p.text, s.heading FROM paragraphs p LEFT JOIN sections s ON s.report_id ="
        " p.report_id AND s.ordinal = p.section_ordinal WHERE p.report_id = ? ORDER BY p.ordinal",
        (report,),
    ).fetchall()
    kept = [t for t, h in rows if not (h and _RECOMMENDATION_SECTION.search(h))]
    return "\n\n".join(kept).encode("utf-8")


def test_tracker_agrees_with_statuses_checked_by_hand(coded_corpus: Path) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)
    pairs: dict[tuple[str, str, str], dict[int, tuple[str, str]]] = defaultdict(dict)
    with CHECKS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["la_code"], row["earlier_inspection_end"], row["later_inspection_end"])
            pairs[key][int(row["ordinal"])] = (row["by_hand"], row["set"])
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp, fp, fn, tn
    for (la_code, earlier_end, later_end), by_hand in pairs.items():
        earlier = report_id(conn, la_code, earlier_end)
        later = report_id(conn, la_code, later_end)
        document = read_council_document(findings_as_text(conn, later), "later findings.txt")
        result = readiness(conn, la_code, [document], report_id=earlier, lookup=LOOKUP)
        ordinals = [
            r[0]
            for r in conn.execute(
                "SELECT ordinal FROM recommendations WHERE report_id = ? AND scope ="
                " 'local_authority' ORDER BY ordinal",
                (earlier,),
            )
        ]
        assert sorted(by_hand) == ordinals
        for ordinal, item in zip(ordinals, result.recommendations, strict=True):
            truth, subset = by_hand[ordinal]
            found = item.status != "not_mentioned"
            positive = truth == "mentioned"
            index = {(True, True): 0, (True, False): 1, (False, True): 2, (False, False): 3}
            for group in (subset, "all"):
                counts[group][index[(found, positive)]] += 1
    for group in ("check", "all"):
        tp, fp, fn, _ = counts[group]
        precision, recall = tp / (tp + fp), tp / (tp + fn)
        print(f"{group}: precision {precision:.3f}, recall {recall:.3f} {counts[group]}")
        assert tp / (tp + fp) >= 0.85, (group, counts[group])
        assert tp / (tp + fn) >= 0.85, (group, counts[group])
    assert sum(counts["all"]) == sum(len(by_hand) for by_hand in pairs.values())


def test_next_inspection_backtest(coded_corpus: Path) -> None:
    result = backtest(ofsted_atlas.open_db(coded_corpus))
    assert result.predictions >= 150
    assert 0.65 <= result.share_inside <= 0.95  # an 80% window should hold about 80%
    assert result.median_error_months < 12


def test_example_self_evaluations_read_as_written(coded_corpus: Path) -> None:
    conn = ofsted_atlas.open_db(coded_corpus)

    def statuses(name: str) -> list[str]:
        path = EXAMPLES / name
        document = read_council_document(path.read_bytes(), path.name)
        result = readiness(conn, "301", [document], lookup=LOOKUP)
        return [item.status for item in result.recommendations]

    thorough, silent, dated = (statuses(n) for n in ("thorough.md", "silent.txt", "out_of_date.md"))
    assert len(thorough) == 8
    assert thorough.count("addressed") >= 7
    assert silent.count("not_mentioned") >= 6
    # Written for the inspection before: it answers some of today's issues, not most.
    assert silent.count("not_mentioned") > dated.count("not_mentioned") >= 3
