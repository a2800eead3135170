"""The web app under hostile or odd input: no 500 from any input, one error shape, security
headers on every response, HEAD, Allow, relative redirects, bounded caches, search cost limits,
offline API docs. On a small synthetic database."""

from __future__ import annotations

import asyncio
import gzip
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import ofsted_atlas
from ofsted_atlas.coding import code_reports
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import SearchFilters, connect, search
from ofsted_atlas.store.search import SearchBudget, SearchTooCostly, like_escape
from ofsted_atlas.web import create_app
from ofsted_atlas.web.app import SECURITY_HEADERS
from ofsted_atlas.web.briefing_pool import BriefingPool, PoolFull
from ofsted_atlas.web.cache import PageCache
from ofsted_atlas.web.frontdoor import DOCS_POLICY
from tests.synthetic import SIF_TEXT, ilacs_pdf

HUGE = "9223372036854775808"  # 2**63: one past SQLite's largest integer


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("robust")
    (folder / "a.pdf").write_bytes(ilacs_pdf())
    (folder / "b.txt").write_text(SIF_TEXT, encoding="utf-8")
    path = folder / "atlas.sqlite"
    ofsted_atlas.ingest([folder], path, IngestOptions(workers=1))
    code_reports(connect(path), workers=1)
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, db.parent / "no-reference"), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def report_id(client: TestClient) -> int:
    return int(client.get("/api/reports?sort=date").json()["items"][0]["id"])


def assert_error(response: object, status: int) -> str:
    """The one JSON error shape: exactly {"error": "<words>"}, as JSON, with the headers."""
    assert response.status_code == status, (response.status_code, response.text)  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/json"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]
    assert_secured(response)
    return str(body["error"])


def assert_secured(response: object) -> None:
    for name, value in SECURITY_HEADERS.items():
        if name == "Content-Security-Policy" and response.url.path == "/docs":  # type: ignore[attr-defined]
            value = DOCS_POLICY  # Swagger UI starts with one inline script
        assert response.headers.get(name) == value, name  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/reports/{HUGE}",
        f"/api/reports/{HUGE}/codings",
        "/api/reports/99999999999999999999999999999",
        "/api/reports/1_0",
        "/api/reports/+1",
        "/api/reports/0",
        "/api/reports/-1",
        "/api/reports/%D9%A1",  # an Arabic-Indic digit one
        "/api/authorities/nope",
    ],
)
def test_ids_beyond_sqlite_or_not_digits_are_404(client: TestClient, url: str) -> None:
    assert_error(client.get(url), 404)


@pytest.mark.parametrize("url", [f"/reports/{HUGE}", "/reports/1_0", f"/reports/{HUGE}/original"])
def test_pages_with_bad_ids_are_404_pages(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and "text/html" in response.headers["content-type"]
    assert_secured(response)


def test_1_0_is_not_report_10(client: TestClient, report_id: int) -> None:
    digits = str(report_id)
    spaced = digits[0] + "_" + digits[1:] if len(digits) > 1 else digits + "_"
    assert client.get(f"/api/reports/{digits}").status_code == 200
    assert client.get(f"/api/reports/{spaced}").status_code == 404


@pytest.mark.parametrize(
    ("url", "names"),
    [
        (f"/api/reports?offset={HUGE}", "offset"),
        ("/api/reports?offset=-1", "offset"),
        ("/api/reports?limit=99999999999999999999", "limit"),
        ("/api/search?q=plans&offset=-1", "offset"),
        ("/api/search?q=plans&offset=1001", "offset"),
        ("/api/themes?since=2019-13-45", "since"),
        ("/api/themes?until=2019-02-30", "until"),
        ("/api/reports?framework=%25", "framework"),
        ("/api/reports?region=Atlantis", "region"),
        ("/api/reports?page=2", "page"),
        ("/api/reports?page_size=10", "page_size"),
        ("/api/search?q=" + "x" * 201, "q"),
        ("/api/reports?authority=" + "x" * 81, "authority"),
    ],
)
def test_bad_parameters_are_400_with_the_reason(client: TestClient, url: str, names: str) -> None:
    assert names in assert_error(client.get(url), 400)


def test_unknown_theme_is_400_in_the_api_too(client: TestClient, report_id: int) -> None:
    assert "theme" in assert_error(client.get(f"/api/reports/{report_id}/codings?theme=bogus"), 400)
    assert client.get(f"/reports/{report_id}?theme=bogus").status_code == 400
    known = client.get(f"/api/reports/{report_id}/codings?theme=care_leavers")
    assert known.status_code == 200


@pytest.mark.parametrize("page", ["-1", "0", "51", HUGE, "1e3", ""])
def test_negative_and_huge_search_pages_are_refused(client: TestClient, page: str) -> None:
    response = client.get(f"/search?q=plans&page={page}")
    if page == "":  # an empty form field means "any": the first page
        assert response.status_code == 200
    else:
        assert response.status_code == 400 and "page" in response.text


def test_search_refuses_a_limit_below_one(db: Path) -> None:
    """Regression: a negative limit reached SQLite as LIMIT -n, which means no limit."""
    conn = connect(db, read_only=True)
    for limit in (0, -1, -25):
        with pytest.raises(ValueError, match="limit"):
            search(conn, "plans", limit=limit)


def test_like_wildcards_in_filters_are_literal(db: Path) -> None:
    conn = connect(db, read_only=True)
    assert search(conn, "plans", limit=50), "the synthetic reports mention plans"
    for wildcard in ("%", "_", "%%", "\\"):
        assert search(conn, "plans", SearchFilters(authority=wildcard), limit=50) == []
        assert search(conn, "plans", SearchFilters(framework=wildcard), limit=50) == []
    assert like_escape("5%_a\\") == "5\\%\\_a\\\\"


def test_framework_prefix_still_matches(client: TestClient) -> None:
    found = client.get("/api/reports?framework=ilacs").json()
    assert found["total"] == 1 and found["items"][0]["framework"].startswith("ilacs_")


def test_head_is_answered_on_every_get_route(client: TestClient, report_id: int) -> None:
    paths = [path for path, _, _ in client.app.state.routes.routes]  # type: ignore[attr-defined]
    assert len(paths) >= 15
    fill = {"{report_id}": str(report_id), "{la_code}": "nope", "{name}": "site.css"}
    for path in paths:
        for placeholder, value in fill.items():
            path = path.replace(placeholder, value)
        if path.startswith("/docs-assets/"):
            path = "/docs-assets/swagger-ui.css"
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code != 405, path
        assert head.content == b"", path
        assert_secured(head)


def test_405_says_what_is_allowed(client: TestClient) -> None:
    response = client.post("/api/reports")
    assert_error(response, 405)
    assert "GET" in response.headers["allow"]
    assert client.delete("/authorities").headers["allow"]


@pytest.mark.parametrize(
    ("path", "location"),
    [("/authorities/", "/authorities"), ("//evil.example/", "/evil.example")],
)
def test_trailing_slash_redirects_are_relative(
    client: TestClient, path: str, location: str
) -> None:
    response = client.get(
        "http://testserver" + path, headers={"host": "evil.example"}, follow_redirects=False
    )
    assert response.status_code == 308 and response.headers["location"] == location
    assert_secured(response)


def test_search_pagination_keeps_its_filters(client: TestClient) -> None:
    html = client.get("/search?q=plans&framework=sif&grade=inadequate&year=2015&page=2").text
    previous = html.split('aria-label="Result pages"')[1].split("Previous")[0]
    for kept in ("q=plans", "framework=sif", "grade=inadequate", "year=2015", "page=1"):
        assert kept in previous


def test_an_unexpected_error_is_a_secured_json_500(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, report_id: int
) -> None:
    from ofsted_atlas.web import queries

    def broken(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "report", broken)
    client.app.state.page_cache.clear()  # type: ignore[attr-defined]
    assert assert_error(client.get(f"/api/reports/{report_id}"), 500) == "internal error"


def test_database_errors_are_answered(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, report_id: int
) -> None:
    from ofsted_atlas.web import queries

    def malformed(*args: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(queries, "report", malformed)
    client.app.state.page_cache.clear()  # type: ignore[attr-defined]
    assert_error(client.get(f"/api/reports/{report_id}"), 503)


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("NEAR(a* a*)", "letters before the *"),
        ("adop* care* plan* sup*", "ending in *"),
        (" OR ".join(["plans"] * 17), "too many words"),
    ],
)
def test_costly_searches_are_refused_clearly(client: TestClient, query: str, why: str) -> None:
    assert why in assert_error(client.get("/api/search", params={"q": query}), 400)
    page = client.get("/search", params={"q": query})
    assert page.status_code == 400 and why in page.text.lower()


def test_fts_errors_fall_back_to_plain_words(db: Path) -> None:
    conn = connect(db, read_only=True)
    for query in ("NEAR(a* a*)", 'plans:"', "plans AND", "NEAR(plans"):
        search(conn, query, limit=10)  # no exception: falls back to the plain words
    assert search(conn, 'plans:"', limit=10) == search(conn, "plans", limit=10)


def test_search_budget(db: Path) -> None:
    conn = connect(db, read_only=True)
    assert search(conn, "plans", limit=10, budget=SearchBudget()) == search(conn, "plans", limit=10)
    with pytest.raises(SearchTooCostly):
        SearchBudget(max_terms=2).check("a b c")


def test_page_cache_is_bounded_by_bytes_and_keyed_on_known_parameters(db: Path) -> None:
    app = create_app(db, db.parent / "no-reference")
    client = TestClient(app)
    cache: PageCache = app.state.page_cache
    for n in range(40):
        assert client.get(f"/authorities?utm={n}&x{n}=1").status_code == 200
    assert cache.size[0] == 1  # unknown parameters are not part of the key
    for _ in range(3):
        client.get("/authorities?sort=grade&sort=date&desc=true")
    assert cache.size[0] == 2
    cache.max_bytes = 3_000
    for query in ("plans", "care", "leaders", "children", "help"):
        client.get(f"/search?q={query}")
    entries, held = cache.size
    assert held <= 3_000 and entries >= 1


def test_pages_carry_cache_headers_etags_and_gzip(client: TestClient) -> None:
    page = client.get("/authorities", headers={"accept-encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip" and page.headers["cache-control"]
    again = client.get("/authorities", headers={"if-none-match": page.headers["etag"]})
    assert again.status_code == 304
    raw = client.get("/authorities", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in raw.headers and "<html" in raw.text
    assert gzip.decompress(gzip.compress(raw.content)) == raw.content


def test_static_urls_are_versioned_and_immutable(client: TestClient) -> None:
    html = client.get("/").text
    css = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert css.startswith("/static/site.css?v=")
    response = client.get(css)
    assert response.status_code == 200 and "immutable" in response.headers["cache-control"]
    assert "immutable" not in client.get("/static/site.css?v=old").headers["cache-control"]


def test_api_docs_work_offline(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "cdn" not in html.lower() and "/docs-assets/swagger-ui-bundle.js" in html
    script = client.get("/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/docs-assets/swagger-ui.css").status_code == 200


def test_openapi_declares_the_real_errors_and_media_types(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, operations in spec["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            assert "422" not in responses, path
            assert responses["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"
            }
            if "{" in path:
                assert "404" in responses, path
            if any(p["name"] == "format" for p in operation.get("parameters", [])):
                assert "text/csv" in responses["200"]["content"], path


# ---- the API against its own schema (schemathesis; `make api-fuzz` runs over 5,000 cases) ----

SCHEMA_EXAMPLES = int(os.environ.get("OFSTED_ATLAS_SCHEMA_EXAMPLES", "20"))


@pytest.fixture(scope="module")
def api_schema(db: Path) -> Any:
    import schemathesis

    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db, db.parent / "none"))


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=SCHEMA_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_as_its_schema_says(case: Any) -> None:
    """No 500, and only documented status codes, media types and error bodies."""
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )


# ---- briefing builds ----


def test_briefing_builds_are_shared_bounded_and_cached(db: Path) -> None:
    pool = BriefingPool(db, queue_limit=1)
    options = {"grade": "inadequate"}

    async def run() -> None:
        first = asyncio.ensure_future(pool.get("weaknesses", "html", options))
        same = asyncio.ensure_future(pool.get("weaknesses", "html", dict(options)))
        await asyncio.sleep(0.05)
        with pytest.raises(PoolFull):  # a second distinct build is past the queue of one
            await pool.get("mapping", "html", {})
        one, two = await first, await same
        assert one == two and one.startswith(b"<!DOCTYPE html")
        await asyncio.sleep(0.2)
        assert pool._executor is None  # shut down when idle: its memory goes back
        start = time.perf_counter()
        assert await pool.get("weaknesses", "html", options) == one  # from the cache
        assert time.perf_counter() - start < 0.05

    asyncio.run(run())


def test_briefings_past_the_queue_are_503_with_retry_after(client: TestClient) -> None:
    pool: BriefingPool = client.app.state.briefings  # type: ignore[attr-defined]
    pool.queue_limit = 0
    try:
        response = client.get("/briefings/download?kind=mapping&format=html")
    finally:
        pool.queue_limit = 6
    assert response.status_code == 503 and int(response.headers["retry-after"]) > 0
    assert_secured(response)
