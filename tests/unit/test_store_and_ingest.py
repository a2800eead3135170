"""Ingest into a real SQLite file: content-hash identity, replacement, rejection, search, export."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

import ofsted_atlas
from ofsted_atlas.extract import extract_document
from ofsted_atlas.parse import parse_document
from ofsted_atlas.parse.model import Report
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.publish import write_export
from ofsted_atlas.store import SearchFilters, connect, repository, search
from ofsted_atlas.store.db import migrate, migrations
from tests.synthetic import NOT_FOUND_HTML, SIF_TEXT, ilacs_pdf, ilacs_text, pdf_bytes

SERIAL = IngestOptions(workers=1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    (root / "a").mkdir(parents=True)
    (root / "a" / "ilacs.pdf").write_bytes(ilacs_pdf())
    (root / "sif.txt").write_text(SIF_TEXT, encoding="utf-8")
    (root / "a" / "missing.pdf").write_text(NOT_FOUND_HTML, encoding="utf-8")
    (root / "a" / "scan.pdf").write_bytes(pdf_bytes([[], []]))
    (root / "empty.pdf").write_bytes(b"")
    (root / "notes.docx").write_bytes(b"PK\x03\x04 not walked: unsupported suffix")
    return root


def statuses(summary: ofsted_atlas.IngestSummary) -> dict[str, str]:
    return {Path(o.source).name: o.status for o in summary.outcomes}


def test_ingest_folder_then_noop(folder: Path, db_path: Path) -> None:
    first = ofsted_atlas.ingest([folder], db_path, SERIAL)
    assert statuses(first) == {
        "ilacs.pdf": "ingested",
        "sif.txt": "ingested",
        "missing.pdf": "rejected",
        "scan.pdf": "rejected",
        "empty.pdf": "rejected",
    }
    codes = {Path(o.source).name: o.code for o in first.of("rejected")}
    assert codes == {
        "missing.pdf": "report_not_found_page",
        "scan.pdf": "image_only",
        "empty.pdf": "empty",
    }
    assert first.ok
    again = ofsted_atlas.ingest([folder], db_path, SERIAL)
    assert {o.status for o in again.outcomes} == {"unchanged"}


def test_changed_file_replaces_its_record(folder: Path, db_path: Path) -> None:
    ofsted_atlas.ingest([folder], db_path, SERIAL)
    target = folder / "sif.txt"
    target.write_text(
        SIF_TEXT.replace(
            "Adoption performance Requires improvement", "Adoption performance Outstanding"
        ),
        encoding="utf-8",
    )
    summary = ofsted_atlas.ingest([folder], db_path, SERIAL)
    assert statuses(summary)["sif.txt"] == "ingested"
    conn = connect(db_path)
    rows = conn.execute("SELECT id FROM reports WHERE source = ?", (str(target),)).fetchall()
    assert len(rows) == 1
    grade = conn.execute(
        "SELECT grade FROM judgements WHERE report_id = ? AND key = 'adoption'", (rows[0][0],)
    ).fetchone()[0]
    assert grade == "outstanding"
    orphans = conn.execute(
        "SELECT COUNT(*) FROM paragraphs WHERE report_id NOT IN (SELECT id FROM reports)"
    ).fetchone()[0]
    assert orphans == 0
    for fts in ("paragraphs_fts", "recommendations_fts"):  # the search index followed the change
        conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
    # One passage: a recommendation and the paragraph holding it are one hit; nothing stale.
    assert len(search(conn, "pathway plans")) == 1


def test_a_fixed_file_replaces_its_rejection(tmp_path: Path, db_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("not a report at all\n" * 10)
    assert statuses(ofsted_atlas.ingest([target], db_path, SERIAL))["report.txt"] == "rejected"
    target.write_text(SIF_TEXT)
    assert statuses(ofsted_atlas.ingest([target], db_path, SERIAL))["report.txt"] == "ingested"
    records = ofsted_atlas.export_reports(connect(db_path))
    assert [r["status"] for r in records] == ["parsed"]


def test_duplicate_content_is_stored_once(tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "one.pdf").write_bytes(ilacs_pdf())
    (tmp_path / "two.pdf").write_bytes(ilacs_pdf())
    summary = ofsted_atlas.ingest([tmp_path / "one.pdf", tmp_path / "two.pdf"], db_path, SERIAL)
    assert statuses(summary) == {"one.pdf": "ingested", "two.pdf": "rejected"}
    assert summary.of("rejected")[0].code == "duplicate"


def test_parallel_ingest_matches_serial(folder: Path, tmp_path: Path) -> None:
    serial = ofsted_atlas.ingest([folder], tmp_path / "s.sqlite", SERIAL)
    parallel = ofsted_atlas.ingest([folder], tmp_path / "p.sqlite", IngestOptions(workers=2))
    assert statuses(serial) == statuses(parallel)
    dump = [
        json.dumps(ofsted_atlas.export_reports(connect(path)), sort_keys=True).replace(
            str(path), ""
        )
        for path in (tmp_path / "s.sqlite", tmp_path / "p.sqlite")
    ]
    assert dump[0] == dump[1]


def test_search_filters_and_hostile_queries(folder: Path, db_path: Path) -> None:
    ofsted_atlas.ingest([folder], db_path, SERIAL)
    conn = connect(db_path)
    hits = search(conn, "return home interviews")
    assert hits and hits[0].local_authority == "Exampleshire"
    assert "\x02" in hits[0].snippet and hits[0].page == 2 and hits[0].paragraph_number == 2
    assert search(conn, "strategy discussions", SearchFilters(framework="sif"))
    assert not search(conn, "strategy discussions", SearchFilters(framework="ilacs"))
    assert search(conn, "oversight", SearchFilters(grade="good"))
    assert not search(conn, "oversight", SearchFilters(grade="inadequate"))
    assert search(conn, "plans", SearchFilters(year=2014))
    for hostile in ['foo:"bar', "AND OR NOT", "(((", "*", '"', "NEAR(", "'; DROP TABLE x; --"]:
        search(conn, hostile)  # never raises


def test_json_export_contract(folder: Path, db_path: Path) -> None:
    ofsted_atlas.ingest([folder], db_path, SERIAL)
    records = json.loads(write_export(connect(db_path), "reports", "json", None))
    expected_keys = {
        "source",
        "sha256",
        "status",
        "rejection_reason",
        "local_authority",
        "la_code",
        "region",
        "framework",
        "reinspection",
        "title",
        "inspection_start",
        "inspection_end",
        "published",
        "lead_inspector",
        "judgements",
        "recommendations",
        "statistics",
        "checks",
    }
    assert all(set(record) == expected_keys for record in records)
    # Every record carries its failed self-checks: a list, empty when clean.
    assert all(isinstance(record["checks"], list) for record in records)
    for check in (check for record in records for check in record["checks"]):
        assert set(check) == {"code", "message", "page"}
    sif = next(r for r in records if r["source"].endswith("sif.txt"))
    assert sif["published"] == "2014-02-21" and sif["inspection_start"] == "2013-11-19"
    assert sif["recommendations"][0] == {
        "number": 4,
        "text": "Ensure that strategy discussions include statutory partners.",
        "timescale": None,
        "national_framework": None,
    }
    assert sif["statistics"]["children_looked_after"]["rate_per_10k"] == 47
    rejected = [r for r in records if r["status"] == "rejected"]
    assert len(rejected) == 3 and all(r["rejection_reason"] for r in rejected)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_tabular_exports_read_back(fmt: str, folder: Path, db_path: Path, tmp_path: Path) -> None:
    ofsted_atlas.ingest([folder], db_path, SERIAL)
    out = tmp_path / f"judgements.{fmt}"
    write_export(connect(db_path), "judgements", fmt, out)
    if fmt == "csv":
        lines = out.read_text().splitlines()
        header, rows = lines[0].split(","), lines[1:]
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(out).active
        values = list(sheet.values)
        header, rows = list(values[0]), values[1:]
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        header, rows = table.column_names, table.to_pylist()
    assert "judgement" in header and "grade" in header
    assert len(rows) == 12  # 5 ILACS judgements + 7 SIF judgements


def test_migrations_are_recorded_and_idempotent(db_path: Path) -> None:
    conn = connect(db_path)
    versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [version for version, _, _ in migrations()]
    assert migrate(conn) == []
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_read_only_open_of_missing_db_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ofsted_atlas.errors.StoreError, match="no database here yet"):
        connect(tmp_path / "nope.sqlite", read_only=True)


def test_unwritable_database_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ofsted_atlas.errors.StoreError, match="cannot open"):
        connect(blocker / "db.sqlite")


def test_integrity(folder: Path, db_path: Path) -> None:
    ofsted_atlas.ingest([folder], db_path, SERIAL)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for fts in ("paragraphs_fts", "recommendations_fts"):
        conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")


def test_text_markdown_and_html_inputs(tmp_path: Path, db_path: Path) -> None:
    (tmp_path / "r.md").write_text("# " + ilacs_text().replace("\f", "\n\n"), encoding="utf-8")
    html = "<html><body>" + "".join(f"<p>{line}</p>" for line in ilacs_text().splitlines())
    (tmp_path / "r.html").write_text(html + "</body></html>", encoding="utf-8")
    summary = ofsted_atlas.ingest([tmp_path], db_path, SERIAL)
    assert statuses(summary) == {"r.md": "ingested", "r.html": "ingested"}
    records = ofsted_atlas.export_reports(connect(db_path))
    assert records[0]["judgements"] == records[1]["judgements"]
    assert records[0]["judgements"]["care_leavers"] == "outstanding"
    assert len(records[0]["recommendations"]) == len(records[1]["recommendations"]) == 2


def _parsed(source: str, text: str) -> Report:
    data = text.encode("utf-8")
    return parse_document(extract_document(data, source, hashlib.sha256(data).hexdigest()))


def _index_is_whole(conn: sqlite3.Connection) -> None:
    for fts in ("paragraphs_fts", "recommendations_fts"):
        conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")


def test_a_failed_report_in_a_batch_leaves_the_others_stored_and_searchable(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = connect(db_path)
    first, broken, last = (_parsed(f"/r/{name}.txt", SIF_TEXT) for name in "abc")
    real_insert = repository._insert_children

    def failing(conn: sqlite3.Connection, report_id: int, report: Report) -> None:
        real_insert(conn, report_id, report)  # half written when it fails
        if report.source == broken.source:
            raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(repository, "_insert_children", failing)
    with repository.Batch(conn) as batch:
        batch.save_report(first)
        with pytest.raises(sqlite3.OperationalError):
            batch.save_report(broken)
        batch.save_report(last)
    stored = [row[0] for row in conn.execute("SELECT source FROM reports ORDER BY source")]
    assert stored == [first.source, last.source]
    orphans = conn.execute(
        "SELECT COUNT(*) FROM paragraphs WHERE report_id NOT IN (SELECT id FROM reports)"
    ).fetchone()[0]
    assert orphans == 0
    _index_is_whole(conn)
    assert {hit.source for hit in search(conn, "pathway plans")} == {first.source, last.source}


def test_a_report_replaced_within_one_batch_is_indexed_once(db_path: Path) -> None:
    conn = connect(db_path)
    before = _parsed("/r/same.txt", SIF_TEXT)
    after = _parsed("/r/same.txt", SIF_TEXT.replace("pathway plans", "transition plans"))
    with repository.Batch(conn) as batch:
        batch.save_report(before)
        batch.save_report(after)
    assert conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 1
    _index_is_whole(conn)
    assert search(conn, "pathway plans") == []
    assert search(conn, "transition plans")


def test_an_interrupted_ingest_keeps_the_reports_it_finished(
    folder: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    finished: list[str] = []

    def interrupt_after_first(outcome: ofsted_atlas.Outcome) -> None:
        finished.append(outcome.source)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ofsted_atlas.ingest([folder], db_path, SERIAL, progress=interrupt_after_first)
    conn = connect(db_path)
    assert [row[0] for row in conn.execute("SELECT source FROM reports")] == finished
    _index_is_whole(conn)


def test_a_batch_commits_when_its_time_is_up_and_not_before(db_path: Path) -> None:
    conn = connect(db_path)

    def seen_by_another_reader() -> int:
        reader = connect(db_path, read_only=True)
        try:
            return int(reader.execute("SELECT COUNT(*) FROM reports").fetchone()[0])
        finally:
            reader.close()

    with repository.Batch(conn, max_seconds=3600) as batch:
        batch.save_report(_parsed("/r/a.txt", SIF_TEXT))
        batch.maybe_commit()
        assert seen_by_another_reader() == 0  # the batch is still open
    assert seen_by_another_reader() == 1  # committed on closing
    with repository.Batch(conn, max_seconds=0) as batch:
        batch.save_report(_parsed("/r/b.txt", SIF_TEXT))
        batch.maybe_commit()
        assert seen_by_another_reader() == 2  # committed while the batch goes on
    _index_is_whole(conn)
