"""The readiness page and its uploads on a synthetic database: the page in readers' words,
uploads refused by default, and with --allow-uploads only same-site, size- and type-limited
uploads, analysed in memory with nothing stored."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ofsted_atlas
from ofsted_atlas.coding import code_reports
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import connect
from ofsted_atlas.web import create_app
from ofsted_atlas.web import readiness as page
from tests.synthetic import SIF_TEXT, ilacs_pdf, ilacs_text

BASE = "http://testserver"
SAME_SITE = {"origin": BASE}
EVALUATION = (
    b"Strategy discussions now always include the police. We introduced a weekly check and "
    b"96% of strategy discussions in March included all statutory partners.\n"
)


def lookup(folder: Path) -> Path:
    header = [
        "urn",
        "la_code",
        "la_code_new",
        "stat_neighbours",
        "local_authority_ons_name",
        "region_name",
        "ons_la_type",
    ]
    rows = [
        ["1001", "901", "E06000901", "902", "Exampleton", "North West", "Unitary"],
        ["1002", "902", "E06000902", "901", "Exampleshire", "North West", "County"],
    ]
    (folder / "reference").mkdir()
    with (folder / "reference" / "la_lookup.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return folder / "reference"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readiness-web")
    reports = folder / "reports"
    reports.mkdir()
    reference = lookup(folder)
    (reports / "sif.txt").write_text(SIF_TEXT, encoding="utf-8")
    later = ilacs_text(dates="3 to 14 October 2019").replace("Exampleshire", "Exampleton")
    (reports / "ilacs-exampleton.txt").write_text(later, encoding="utf-8")
    (reports / "ilacs.pdf").write_bytes(ilacs_pdf())
    db = folder / "atlas.sqlite"
    ofsted_atlas.ingest([reports], db, IngestOptions(workers=1, reference=reference))
    code_reports(connect(db), workers=1)
    return folder


@pytest.fixture
def client(folder: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv(page.ALLOW_UPLOADS_ENV, "1")
    client = TestClient(create_app(folder / "atlas.sqlite", folder / "reference"), base_url=BASE)
    client.get("/authorities/901/readiness")  # sets the same-site cookie
    return client


def test_page_shows_the_latest_inspection_in_readers_words(folder: Path) -> None:
    client = TestClient(create_app(folder / "atlas.sqlite", folder / "reference"))
    response = client.get("/authorities/901/readiness")
    assert response.status_code == 200
    text = response.text
    assert "Exampleton: readiness for the next inspection" in text
    assert "ILACS standard inspection ending 14 October 2019" in text
    assert "No documents given" in text
    for machine in ("not_mentioned", "requires_improvement", "ilacs_standard"):
        assert machine not in text
    assert client.get("/authorities/999/readiness").status_code == 404


def test_uploads_are_refused_by_default(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(page.ALLOW_UPLOADS_ENV, raising=False)
    client = TestClient(create_app(folder / "atlas.sqlite", folder / "reference"), base_url=BASE)
    assert "Uploading documents is off" in client.get("/authorities/901/readiness").text
    response = client.post(
        "/authorities/901/readiness",
        files={"documents": ("plan.txt", EVALUATION)},
        headers=SAME_SITE,
    )
    assert response.status_code == 403


def test_upload_is_analysed_in_memory_and_not_stored(client: TestClient, folder: Path) -> None:
    db = folder / "atlas.sqlite"
    before = db.read_bytes()
    response = client.post(
        "/authorities/901/readiness",
        files={"documents": ("plan.txt", EVALUATION)},
        data={"format": "page"},
        headers=SAME_SITE,
    )
    assert response.status_code == 200, response.text
    assert "Documents read (not stored): plan.txt" in response.text
    assert "Addressed" in response.text
    assert response.headers["cache-control"] == "no-store"
    assert db.read_bytes() == before
    assert not any(p.name.startswith("plan") for p in folder.rglob("*"))


def test_upload_can_come_back_as_a_tracker(client: TestClient) -> None:
    response = client.post(
        "/authorities/901/readiness",
        files={"documents": ("plan.txt", EVALUATION)},
        data={"format": "xlsx"},
        headers=SAME_SITE,
    )
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "attachment" in response.headers["content-disposition"]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"referer": "http://evil.example/form"},
        {},
        {"origin": BASE, "sec-fetch-site": "cross-site"},
        {"origin": "null"},
    ],
)
def test_cross_site_uploads_are_refused(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/authorities/901/readiness", files={"documents": ("plan.txt", EVALUATION)}, headers=headers
    )
    assert response.status_code == 403


def test_a_browser_that_sends_no_origin_but_says_same_origin_is_let_in(client: TestClient) -> None:
    """Regression: the site's no-referrer policy made Chromium send `Origin: null` with the form,
    and the same-site check refused every upload from the page itself."""
    response = client.post(
        "/authorities/901/readiness",
        files={"documents": ("plan.txt", EVALUATION)},
        headers={"origin": "null", "sec-fetch-site": "same-origin"},
    )
    assert response.status_code == 200
    page_response = client.get("/authorities/901/readiness")
    assert page_response.headers["referrer-policy"] == "same-origin"


def test_upload_without_the_pages_cookie_is_refused(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(page.ALLOW_UPLOADS_ENV, "1")
    fresh = TestClient(create_app(folder / "atlas.sqlite", folder / "reference"), base_url=BASE)
    response = fresh.post(
        "/authorities/901/readiness",
        files={"documents": ("plan.txt", EVALUATION)},
        headers=SAME_SITE,
    )
    assert response.status_code == 403


def test_uploads_are_limited_in_size_type_and_number(client: TestClient) -> None:
    url = "/authorities/901/readiness"
    big = b"x" * (page.MAX_UPLOAD_BYTES + 1)
    assert (
        client.post(url, files={"documents": ("a.txt", big)}, headers=SAME_SITE).status_code == 413
    )
    html = b"<!DOCTYPE html><html><body>plan</body></html>"
    response = client.post(url, files={"documents": ("a.docx", html)}, headers=SAME_SITE)
    assert response.status_code == 415 and "not a Word" in response.text
    many = [("documents", (f"{i}.txt", EVALUATION)) for i in range(page.MAX_FILES + 1)]
    assert client.post(url, files=many, headers=SAME_SITE).status_code == 400
    assert client.post(url, data={"format": "page"}, headers=SAME_SITE).status_code == 400


def test_readiness_json_api(folder: Path) -> None:
    client = TestClient(create_app(folder / "atlas.sqlite", folder / "reference"))
    body = client.get("/api/authorities/901/readiness").json()
    assert set(body) == {"authority", "inspection", "recommendations", "themes", "next_inspection"}
    assert body["inspection"]["inspection_end"] == "2019-10-14"
    assert {r["status"] for r in body["recommendations"]} == {"not_mentioned"}
    missing = client.get("/api/authorities/999/readiness")
    assert missing.status_code == 404 and "error" in missing.json()
