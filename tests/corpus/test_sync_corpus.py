"""`ofsted-atlas sync`, run as a user runs it, against a local site serving real corpus PDFs
(including the corpus's saved 'report not found' pages)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REFERENCE, require_shared
from tests.fixture_site import Reply, Site, pdf_reply, provider_page, search_page, serve
from tests.labels import expected_rows, has_overall_grade

SEARCH = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
FOLDERS = ["80431_blackpool", "80426_barnsley"]

pytestmark = pytest.mark.corpus


def corpus_site() -> tuple[Site, int, int]:
    site = Site()
    providers = []
    reports = not_found = 0
    for folder in FOLDERS:
        urn, name = folder.split("_", 1)
        providers.append((urn, name.title()))
        links = []
        for index, pdf in enumerate(sorted((CORPUS / folder).glob("*.pdf"))):
            href = f"/file/{urn}-{index}"
            label = pdf.stem.replace(" - ", ", pdf - ", 1)
            links.append((label, href))
            data = pdf.read_bytes()
            is_pdf = data.startswith(b"%PDF")
            site.route(href, pdf_reply(data) if is_pdf else Reply(body=data))
            reports += is_pdf
            not_found += not is_pdf
        site.route(f"/provider/16/{urn}", provider_page(name.title(), links))
    site.route(f"{SEARCH}&start=0&rows=100", search_page(providers, None))
    return site, reports, not_found


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ofsted_atlas", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_cli_sync_downloads_real_reports_and_ingests_them(tmp_path: Path) -> None:
    require_shared()
    site, reports, not_found = corpus_site()
    db = tmp_path / "atlas.sqlite"
    common = [
        "--base-url",
        "",
        "--data-dir",
        str(tmp_path / "data"),
        "--db",
        str(db),
        "--delay",
        "0",
        "--reference",
        str(REFERENCE),
    ]
    with serve(site):
        common[1] = site.base_url
        first = run_cli("sync", *common)
        second = run_cli("sync", *common)
    assert first.returncode == 0, first.stderr
    assert "Sync summary" in first.stderr and "Ingest summary" in first.stderr
    records = json.loads(run_cli("export", "reports", "--db", str(db)).stdout)
    assert len(records) == reports
    assert {r["la_code"] for r in records} == {"890", "370"}  # Blackpool, Barnsley
    in_folders = [r for r in expected_rows() if r["file"].split("/", 1)[0] in FOLDERS]
    labelled = [r for r in in_folders if r["status"] == "parsed"]
    graded = sum(bool(r["judgements"].get("overall_effectiveness")) for r in records)
    # Inspections from 27 April 2026 print no overall grade (Blackpool's July 2026 report)
    expected = sum(has_overall_grade(row) for row in labelled)
    assert graded == expected, f"{graded} reports with an overall grade, labels say {expected}"
    assert second.returncode == 0
    files = {path: n for path, n in site.served_ok.items() if path.startswith("/file/")}
    assert sum(files.values()) == reports + not_found, "each file once: the second sync got none"
    # Blackpool's 2012 link is a saved 'report not found' page
    assert not_found == sum(r["status"] == "rejected" for r in in_folders)
