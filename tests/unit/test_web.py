"""The web app on a small synthetic database: pages, API, errors, escaping, headers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import ofsted_atlas
from ofsted_atlas.coding import code_reports
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import connect
from ofsted_atlas.web import create_app
from tests.synthetic import SIF_TEXT, ilacs_pdf

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    folder = tmp_path_factory.mktemp("web")
    (folder / "a.pdf").write_bytes(ilacs_pdf())
    (folder / "b.txt").write_text(
        SIF_TEXT.replace(
            "Plans for looked after children are not always clear.",
            f"Plans are not always clear {HOSTILE}.",
        ),
        encoding="utf-8",
    )
    db = folder / "atlas.sqlite"
    ofsted_atlas.ingest([folder], db, IngestOptions(workers=1))
    code_reports(connect(db), workers=1)
    return TestClient(create_app(db, folder / "no-reference"))


def ids(client: TestClient) -> list[int]:
    return [r["id"] for r in client.get("/api/reports").json()["items"]]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/authorities",
        "/authorities?sort=grade&desc=true",
        "/themes",
        "/themes?polarity=strength",
        "/search",
        "/search?q=pathway+plans",
        "/briefings",
        "/healthz",
        "/openapi.json",
        "/static/site.css",
        "/static/charts.js",
    ],
)
def test_pages_answer(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        "'unsafe-inline'"
        not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )


def test_report_page_escapes_report_text(client: TestClient) -> None:
    sif = next(r for r in client.get("/api/reports").json()["items"] if r["framework"] == "sif")
    html = client.get(f"/reports/{sif['id']}").text
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html
    filtered = client.get(f"/reports/{sif['id']}?polarity=weakness").text
    assert 'class="coded weakness"' in filtered and 'class="coded strength"' not in filtered


def test_errors_are_clear(client: TestClient) -> None:
    assert client.get("/reports/999999").status_code == 404
    assert "Not found" in client.get("/authorities/nope").text
    assert client.get("/api/reports/999999").json() == {"error": "No report 999999"}
    bad = client.get("/api/reports?limit=0")
    assert bad.status_code == 400 and "limit" in bad.json()["error"]
    assert client.get("/search?year=abc").status_code == 400
    assert client.get("/reports/1?theme=not_a_theme").status_code == 400
    assert client.get("/themes?since=yesterday").status_code == 400
    assert client.get("/briefings/download?kind=mapping&format=pptx").status_code == 400


@pytest.mark.parametrize("query", ['foo:"bar', "AND OR", "(((", '"', "NEAR(", "*", "' OR 1=1 --"])
def test_search_syntax_never_breaks(client: TestClient, query: str) -> None:
    assert client.get("/search", params={"q": query}).status_code == 200
    assert client.get("/api/search", params={"q": query}).status_code == 200


def test_no_path_traversal(client: TestClient) -> None:
    for url in [
        "/static/../../etc/passwd",
        "/static/%2e%2e%2fapp.py",
        "/reports/..%2f..%2f/original",
        "/static/app.py",
    ]:
        assert client.get(url).status_code in (400, 404)


def test_api_pagination_and_csv(client: TestClient) -> None:
    first = client.get("/api/reports?limit=1&sort=date").json()
    second = client.get("/api/reports?limit=1&offset=1&sort=date").json()
    assert first["total"] == 2 and first["items"][0]["id"] != second["items"][0]["id"]
    csv_text = client.get("/api/reports?format=csv").text
    assert csv_text.splitlines()[0].startswith("id,authority") and len(csv_text.splitlines()) == 3
    report_id = first["items"][0]["id"]
    codings = client.get(f"/api/reports/{report_id}/codings").json()
    assert codings["total"] > 0 and {"theme", "polarity", "page", "sentence"} <= set(
        codings["items"][0]
    )
    spec = client.get("/openapi.json").json()
    assert {"/api/reports", "/api/search", "/api/themes", "/api/authorities"} <= set(spec["paths"])


def test_original_and_briefing_downloads(client: TestClient) -> None:
    pdf = next(r for r in client.get("/api/reports").json()["items"] if r["kind"] == "pdf")
    original = client.get(f"/reports/{pdf['id']}/original")
    assert original.status_code == 200 and original.content.startswith(b"%PDF")
    briefing = client.get("/briefings/download?kind=weaknesses&format=html")
    assert briefing.status_code == 200 and "attachment" in briefing.headers["content-disposition"]
