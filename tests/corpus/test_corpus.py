"""The real corpus against labels we built by reading the reports (tests/data/expected_reports.csv:
facts only — file, status, authority and LA code, framework, dates, lead inspector, grades, and the
number of recommendations in the local authority's list and in the LSCB's).

Skipped, with the reason, when ../shared is absent; CI always has it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import ofsted_atlas
from ofsted_atlas.parse.authorities import load_lookup, normalise_name
from ofsted_atlas.pipeline import IngestOptions
from tests.conftest import CORPUS, REFERENCE, SEEDS, require_shared
from tests.labels import expected_rows

SEED_002 = "002_0b1c72c4e2585ce8.txt"
SEED_003 = "003_b192b04e17b22324.txt"
SEED_004 = "004_94dce6978bd3ae2c.txt"
SOUTH_GLOS_2017 = (
    "80556_south gloucestershire/children's services inspection - 13 february 2017.pdf"
)

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    require_shared()
    db = tmp_path_factory.mktemp("corpus") / "atlas.sqlite"
    summary = ofsted_atlas.ingest(
        [CORPUS, SEEDS / SEED_002, SEEDS / SEED_003], db, IngestOptions(reference=REFERENCE)
    )
    assert summary.ok, [o.detail for o in summary.of("failed")]
    conn = ofsted_atlas.open_db(db)
    by_scope: dict[str, dict[str, int]] = {}
    for source, scope, count in conn.execute(
        "SELECT reports.source, recommendations.scope, COUNT(*) FROM recommendations"
        " JOIN reports ON reports.id = recommendations.report_id GROUP BY 1, 2"
    ):
        by_scope.setdefault(source, {})[scope] = count
    out = {}
    for record in ofsted_atlas.export_reports(conn):
        source = Path(record["source"])
        key = source.name if source.parent == SEEDS else str(source.relative_to(CORPUS))
        # the export carries the local authority's list only: the LSCB's is counted from the store
        record["recommendations_by_scope"] = by_scope.get(record["source"], {})
        out[key] = record
    return out


@pytest.fixture(scope="module")
def expected() -> list[dict[str, str]]:
    return expected_rows()


def disagreements(wrong: list[tuple[str, str, object, object]]) -> str:
    """One line per disagreement: file, field, what the labels expect, what the parser gave."""
    lines = [f"{file} | {field}: expected {exp!r}, got {got!r}" for file, field, exp, got in wrong]
    return f"{len(wrong)} disagreements with the labels:\n" + "\n".join(lines)


def expected_judgements(row: dict[str, str]) -> dict[str, str]:
    return {key[2:]: grade for key, grade in row.items() if key.startswith("j_") and grade}


def test_every_corpus_file_has_one_outcome(records: dict[str, Any], expected: list[Any]) -> None:
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file()}
    labelled = {row["file"] for row in expected}
    assert on_disk - labelled == set(), "corpus files with no labels (read them, add a row)"
    assert labelled - on_disk == set(), "labelled files missing from the corpus"
    assert on_disk - set(records) == set(), "corpus files with no outcome"


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("status", "status"),
        ("framework", "framework"),
        ("inspection_start", "inspection_start"),
        ("inspection_end", "inspection_end"),
        ("published", "published"),
        ("lead_inspector", "lead_inspector"),
        ("reinspection", "reinspection"),
        ("local_authority", "local_authority"),
        ("la_code", "la_code"),
    ],
)
def test_field_matches_labels(
    records: dict[str, Any], expected: list[dict[str, str]], field: str, label: str
) -> None:
    wrong = []
    for row in expected:
        record = records[row["file"]]
        if row["status"] != "parsed" and field != "status":
            continue
        got = record[field]
        got = "" if got is None else (str(got).lower() if isinstance(got, bool) else got)
        if got != row[label]:
            wrong.append((row["file"], field, row[label], got))
    assert not wrong, disagreements(wrong)


def test_every_judgement_matches_labels(records: dict[str, Any], expected: list[Any]) -> None:
    wrong = []
    for row in expected:
        if row["status"] != "parsed":
            continue
        want, got = expected_judgements(row), records[row["file"]]["judgements"]
        for key in sorted(set(want) | set(got)):
            if want.get(key) != got.get(key):
                wrong.append((row["file"], f"judgement {key}", want.get(key), got.get(key)))
    assert not wrong, disagreements(wrong)


def test_rejections_carry_the_reason(records: dict[str, Any], expected: list[Any]) -> None:
    rejected = [row["file"] for row in expected if row["status"] == "rejected"]
    assert rejected, "the corpus holds 'report not found' pages"
    for name in rejected:
        assert "report was not found" in records[name]["rejection_reason"]


def test_authorities_match_the_lookup(records: dict[str, Any], expected: list[Any]) -> None:
    """The folder name's URN is independent evidence of which council a report is about."""
    code_of_urn = {row.urn: row.la_code for row in load_lookup(REFERENCE / "la_lookup.csv")}
    wrong = []
    for row in expected:
        record = records[row["file"]]
        urn = row["file"].split("_", 1)[0]
        if row["status"] == "parsed" and record["la_code"] != code_of_urn.get(urn):
            wrong.append((row["file"], "la_code", code_of_urn.get(urn), record["la_code"]))
    assert not wrong, disagreements(wrong)


@pytest.mark.parametrize(
    ("scope", "label"),
    [("local_authority", "recommendation_count_la"), ("lscb", "recommendation_count_lscb")],
)
def test_recommendation_counts(
    records: dict[str, Any], expected: list[dict[str, str]], scope: str, label: str
) -> None:
    """Every framework exact, the local authority's and the LSCB's lists counted separately
    (single-framework reports print both, in many layouts: sub-headings, continued numbering,
    priority actions, lists of bullets)."""
    wrong = []
    for row in expected:
        if row["status"] != "parsed":
            continue
        got = records[row["file"]]["recommendations_by_scope"].get(scope, 0)
        if got != int(row[label]):
            wrong.append((row["file"], label, int(row[label]), got))
    assert not wrong, disagreements(wrong)


def test_exported_recommendations_are_the_local_authoritys(records: dict[str, Any]) -> None:
    """`export reports` lists the local authority's recommendations (the public contract)."""
    wrong = []
    for name, record in records.items():
        stored = record["recommendations_by_scope"].get("local_authority", 0)
        if len(record["recommendations"]) != stored:
            wrong.append((name, "exported recommendations", stored, len(record["recommendations"])))
    assert not wrong, disagreements(wrong)


def test_seed_002_text_report(records: dict[str, Any]) -> None:
    record = records[SEED_002]
    assert record["framework"] == "cp_2012"
    assert record["la_code"] is not None and record["local_authority"] == "Devon"
    assert (record["inspection_start"], record["inspection_end"]) == ("2013-04-15", "2013-04-24")
    assert record["lead_inspector"] == "Richard Nash"
    assert record["judgements"]["overall_effectiveness"] == "inadequate"
    timescales = [r["timescale"] for r in record["recommendations"]]
    assert timescales == ["immediately"] * 4 + ["within three months"] * 2 + ["within six months"]


def test_seed_003_text_matches_its_pdf(records: dict[str, Any]) -> None:
    text, pdf = records[SEED_003], records[SOUTH_GLOS_2017]
    for field in (
        "framework",
        "judgements",
        "inspection_start",
        "inspection_end",
        "published",
        "lead_inspector",
        "la_code",
    ):
        assert text[field] == pdf[field], field
    assert len(text["recommendations"]) == len(pdf["recommendations"]) > 0


def _annex_rows() -> list[tuple[str, str, str]]:
    lines = (SEEDS / SEED_004).read_text(encoding="utf-8").split("Annex 1", 1)[1].splitlines()
    rows = []
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if (
            len(cells) == 3
            and cells[0]
            and not set(cells[0]) <= {"-"}
            and cells[1] != "Overall Judgment"
        ):
            overall = re.split(r"\s*\(", cells[1])[0]
            rows.append((cells[0], overall, cells[2]))
    return rows


def _grade(text: str) -> str:
    return "_".join(text.lower().split())


def test_seed_004_annex_agrees(records: dict[str, Any]) -> None:
    annex = _annex_rows()
    assert len(annex) > 20
    compared = 0
    for name, overall, lscb in annex:
        matches = [
            r
            for r in records.values()
            if r["status"] == "parsed"
            and r["framework"] == "sif"
            and normalise_name(r["local_authority"] or "") == normalise_name(name)
            and (r["inspection_end"] or "")[:4] in ("2013", "2014")
        ]
        for record in matches:
            compared += 1
            assert record["judgements"]["overall_effectiveness"] == _grade(overall), name
            assert record["judgements"]["lscb"] == _grade(lscb), name
    assert compared >= 10, "the corpus holds many of the annex's 2013-14 inspections"
