"""Every recommendation of 53 reports (all frameworks) against where we read it to start and end.

tests/data/expected_recommendations.csv holds references, never text: for each recommendation its
file, scope (`la` for the local authority's list, `lscb` for the LSCB's), its place in that list
(ordinal), the number printed beside it, the page and character offset where its text starts and
ends in the page text pypdfium2 extracts (after the list marker, before any National Framework
tag), the timescale heading printed over it, and its National Framework tag (kind and number).
The tests compare the parser's items with the first and last words of each span, its timescale and
its tag, and name the file, the item, the field, the expected value and the parser's.
"""

from __future__ import annotations

import csv
import difflib
import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import ofsted_atlas
from ofsted_atlas.pipeline import IngestOptions
from tests.conftest import CORPUS, REFERENCE, ROOT, require_shared
from tests.labels import parsed_rows

BOUNDARIES = ROOT / "tests" / "data" / "expected_recommendations.csv"
EDGE_WORDS = 3

pytestmark = pytest.mark.corpus


def words(text: str) -> list[str]:
    """Lowercase words, hyphenation and line breaks ignored (pdfium marks a broken word with
    U+FFFE; "multi-agency" and "multiagency" compare equal)."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[\ufffe\u00ad\u2010\-]\s*", "", text)
    return re.findall(r"[a-z0-9]+", text)


@cache
def labelled() -> dict[str, dict[str, list[dict[str, str]]]]:
    """file -> scope -> the labelled items in printed order."""
    out: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    with BOUNDARIES.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[row["file"]][row["scope"]].append(row)
    for scopes in out.values():
        for items in scopes.values():
            items.sort(key=lambda row: int(row["ordinal"]))
    return out


def span_text(pages: list[str], row: dict[str, str]) -> str:
    first, last = int(row["start_page"]), int(row["end_page"])
    if first == last:
        return pages[first - 1][int(row["start"]) : int(row["end"])]
    middle = [pages[n - 1] for n in range(first + 1, last)]
    return "\n".join(
        [pages[first - 1][int(row["start"]) :], *middle, pages[last - 1][: int(row["end"])]]
    )


@pytest.fixture(scope="module")
def expected() -> dict[str, list[dict[str, Any]]]:
    """Each labelled item with its edge words, read from the corpus through its reference."""
    require_shared()
    out: dict[str, list[dict[str, Any]]] = {}
    for name, scopes in labelled().items():
        path = CORPUS / name
        pages = [
            p.text for p in ofsted_atlas.extract_document(path.read_bytes(), str(path), "").pages
        ]
        items = []
        for scope, rows in scopes.items():
            for row in rows:
                spoken = words(span_text(pages, row))
                kind = row["nf_kind"] or None
                items.append(
                    {
                        "scope": scope,
                        "ordinal": int(row["ordinal"]),
                        "first_words": spoken[:EDGE_WORDS],
                        "last_words": spoken[-EDGE_WORDS:],
                        "timescale": row["timescale"] or None,
                        "national_framework": (
                            {
                                "kind": kind,
                                "number": int(row["nf_number"]) if row["nf_number"] else None,
                            }
                            if kind
                            else None
                        ),
                    }
                )
        out[name] = items
    return out


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The parser's items of the labelled reports: file -> scope -> items in stored order. The
    local authority's come from `export reports` (the public contract, with its National
    Framework tags); the LSCB's, which the export leaves out, from the store."""
    require_shared()
    db = tmp_path_factory.mktemp("boundaries") / "atlas.sqlite"
    files = [CORPUS / name for name in labelled()]
    ofsted_atlas.ingest(files, db, IngestOptions(reference=REFERENCE))
    conn = ofsted_atlas.open_db(db)
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for record in ofsted_atlas.export_reports(conn):
        name = str(Path(record["source"]).relative_to(CORPUS))
        out[name]["la"] = [
            {
                "text": item["text"],
                "timescale": item.get("timescale"),
                "national_framework": item.get("national_framework"),
            }
            for item in record["recommendations"]
        ]
    for source, text, timescale in conn.execute(
        "SELECT reports.source, recommendations.text, recommendations.timescale"
        " FROM recommendations JOIN reports ON reports.id = recommendations.report_id"
        " WHERE recommendations.scope = 'lscb' ORDER BY reports.id, recommendations.ordinal"
    ):
        name = str(Path(source).relative_to(CORPUS))
        out[name]["lscb"].append({"text": text, "timescale": timescale, "national_framework": None})
    return out


def report(wrong: list[tuple[str, str, object, object]]) -> str:
    lines = [f"{file} | {field}: expected {exp!r}, got {got!r}" for file, field, exp, got in wrong]
    return f"{len(wrong)} disagreements with the labels:\n" + "\n".join(lines)


def test_labels_are_references_that_resolve(expected: dict[str, list[dict[str, Any]]]) -> None:
    """No report text in the label file; every span is non-empty and on a real page; the labelled
    reports cover every framework in the corpus."""
    assert len(expected) >= 40
    header = BOUNDARIES.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert "text" not in header
    for name, items in expected.items():
        for scope in ("la", "lscb"):
            ordinals = [item["ordinal"] for item in items if item["scope"] == scope]
            assert ordinals == list(range(1, len(ordinals) + 1)), (name, scope)
        for item in items:
            assert len(item["first_words"]) == EDGE_WORDS, (name, item["scope"], item["ordinal"])
    framework = {row["file"]: row["framework"] for row in parsed_rows()}
    assert {framework[name] for name in expected} == set(framework.values())


def test_list_lengths(
    expected: dict[str, list[dict[str, Any]]], parsed: dict[str, dict[str, list[dict[str, Any]]]]
) -> None:
    wrong = []
    for name, items in expected.items():
        for scope in ("la", "lscb"):
            want = sum(item["scope"] == scope for item in items)
            got = len(parsed[name][scope])
            if want != got:
                wrong.append((name, f"{scope} list length", want, got))
    assert not wrong, report(wrong)


def paired(
    want: list[dict[str, Any]], got: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each labelled item with the parser's item for it: aligned on first words, so that one lost
    or extra item does not shift every later one; unmatched stretches pair in order."""
    keys_want = [tuple(item["first_words"]) for item in want]
    keys_got = [tuple(words(item["text"])[:EDGE_WORDS]) for item in got]
    pairs: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    matcher = difflib.SequenceMatcher(a=keys_want, b=keys_got, autojunk=False)
    for op, w1, w2, g1, g2 in matcher.get_opcodes():
        if op == "insert":
            continue
        for offset, item in enumerate(want[w1:w2]):
            partner = got[g1 + offset] if g1 + offset < g2 else None
            pairs.append((item, partner))
    return pairs


@pytest.mark.parametrize("field", ["first_words", "last_words", "timescale", "national_framework"])
def test_each_recommendation(
    expected: dict[str, list[dict[str, Any]]],
    parsed: dict[str, dict[str, list[dict[str, Any]]]],
    field: str,
) -> None:
    """Item by item (a labelled item the parser lost shows as got None in first_words; list
    lengths are checked by test_list_lengths)."""
    wrong = []
    for name, items in expected.items():
        for scope in ("la", "lscb"):
            want = [item for item in items if item["scope"] == scope]
            for item, partner in paired(want, parsed[name][scope]):
                label = f"{scope} #{item['ordinal']} {field}"
                if partner is None:
                    if field == "first_words":
                        wrong.append((name, label, " ".join(item[field]), None))
                    continue
                if field.endswith("words"):
                    spoken = words(partner["text"])
                    got = spoken[:EDGE_WORDS] if field == "first_words" else spoken[-EDGE_WORDS:]
                    if got != item[field]:
                        wrong.append((name, label, " ".join(item[field]), " ".join(got)))
                elif partner[field] != item[field]:
                    wrong.append((name, label, item[field], partner[field]))
    assert not wrong, report(wrong)
