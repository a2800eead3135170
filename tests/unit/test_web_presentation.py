"""Issue 16: human labels, coverage line, the England map, search with one hit per passage and
true totals, on a small synthetic database (and the real reference files where present)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ofsted_atlas
from ofsted_atlas.coding import code_reports
from ofsted_atlas.parse.frameworks import FRAMEWORK_IDS
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import connect
from ofsted_atlas.web import create_app, geography, labels
from ofsted_atlas.web.coverage import coverage
from tests.conftest import REFERENCE
from tests.synthetic import SIF_TEXT, ilacs_pdf

# Stored ids look like this: lower-case words joined by underscores.
MACHINE_ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("web16")
    (folder / "a.pdf").write_bytes(ilacs_pdf())
    (folder / "b.txt").write_text(SIF_TEXT, encoding="utf-8")
    db = folder / "atlas.sqlite"
    ofsted_atlas.ingest([folder], db, IngestOptions(workers=1))
    code_reports(connect(db), workers=1)
    return folder


@pytest.fixture(scope="module")
def client(folder: Path) -> TestClient:
    return TestClient(create_app(folder / "atlas.sqlite", folder / "no-reference"))


def test_grades_and_dates_read_as_ofsted_prints_them() -> None:
    assert labels.grade_label("requires_improvement") == "Requires improvement to be good"
    assert labels.grade_label("adequate") == "Adequate"
    assert labels.human_date("2019-06-21") == "21 June 2019"
    assert labels.human_date("2019-06-01T10:00:00+00:00") == "1 June 2019"
    assert labels.human_date(None) == ""
    for framework in FRAMEWORK_IDS:
        assert "_" not in labels.framework_label(framework)
    for area in labels.AREA_ORDER:
        assert "_" not in labels.area_label(area)


def test_judgements_in_ofsteds_order_overall_first() -> None:
    stored = [
        {"key": "leadership", "grade": "good"},
        {"key": "adoption", "grade": "good"},
        {"key": "overall_effectiveness", "grade": "good"},
        {"key": "help_and_protection", "grade": "good"},
    ]
    assert [j["key"] for j in labels.judgements_sorted(stored)] == [
        "overall_effectiveness",
        "help_and_protection",
        "adoption",
        "leadership",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/authorities",
        "/themes",
        "/themes?polarity=strength",
        "/search?q=plans",
        "/search?q=plans&group=report",
        "/briefings",
        "/reports/999999",
    ],
)
def test_no_machine_id_in_visible_text(client: TestClient, url: str) -> None:
    html = client.get(url).text
    assert MACHINE_ID.findall(visible(html)) == []


def test_no_machine_id_on_report_and_authority_pages(client: TestClient) -> None:
    for item in client.get("/api/reports").json()["items"]:
        for url in (f"/reports/{item['id']}", f"/authorities/{item['la_code']}"):
            if url.endswith("/None"):
                continue
            response = client.get(url)
            assert response.status_code == 200, url
            assert MACHINE_ID.findall(visible(response.text)) == [], url


def test_report_page_lists_overall_effectiveness_first(client: TestClient) -> None:
    sif = next(r for r in client.get("/api/reports").json()["items"] if r["framework"] == "sif")
    text = visible(client.get(f"/reports/{sif['id']}").text)
    judgements = text.split("Judgements", 1)[1].split("Recommendations", 1)[0]
    assert judgements.index("Overall effectiveness") < judgements.index("Leadership")
    assert "Requires improvement to be good" in text or "Good" in text


def test_coverage_line_on_every_listing_and_export(client: TestClient) -> None:
    assert "authorities · newest report" in visible(client.get("/authorities").text)
    assert "ofsted-atlas sync" in visible(client.get("/").text)
    body = client.get("/api/reports").json()
    assert body["coverage"]["how_to_update"] == "ofsted-atlas sync"
    assert body["coverage"]["newest_report"]
    csv_response = client.get("/api/authorities?format=csv")
    assert "newest report" in csv_response.headers["x-atlas-coverage"]


def test_coverage_counts_englands_authorities_and_last_sync(folder: Path) -> None:
    if not (REFERENCE / "la_lookup.csv").is_file():
        pytest.skip("reference lookup not found")
    conn = connect(folder / "atlas.sqlite", read_only=True)
    about = coverage(conn, REFERENCE)
    assert about.total == 153 and about.held + len(about.missing) == 153
    assert about.line.startswith(f"{about.held} of 153 authorities · newest report ")
    assert "never synced" in about.line
    writable = connect(folder / "atlas.sqlite")
    writable.execute(
        "INSERT INTO downloads (url, urn, kind, status, fetched_at)"
        " VALUES ('https://example.test/r.pdf', '1', 'inspection', 'not_found',"
        " '2026-03-04T10:00:00+00:00')"
    )
    writable.commit()
    try:
        assert "last synced 4 March 2026" in coverage(conn, REFERENCE).line
    finally:
        writable.execute("DELETE FROM downloads")
        writable.commit()


def test_search_one_hit_per_passage_and_the_same_total_on_every_page(client: TestClient) -> None:
    pages = [
        client.get("/api/search", params={"q": "plans", "limit": 1, "offset": offset}).json()
        for offset in range(0, 6)
    ]
    totals = {page["total"] for page in pages}
    assert len(totals) == 1
    total = totals.pop()
    hits = [item for page in pages for item in page["items"]]
    assert len(hits) == min(total, 6)
    passages = [(h["report_id"], h["paragraph_id"], h["recommendation_number"]) for h in hits]
    assert len(set(passages)) == len(passages)
    snippets = [h["snippet"] for h in hits]
    assert len(set(snippets)) == len(snippets)  # no passage twice (recommendation + paragraph)
    assert all(h["report_url"].startswith("http") and "/reports/" in h["report_url"] for h in hits)
    past_the_end = client.get("/api/search", params={"q": "plans", "offset": total + 5}).json()
    assert past_the_end["total"] == total and past_the_end["items"] == []


def test_search_grouped_by_report(client: TestClient) -> None:
    flat = client.get("/api/search", params={"q": "plans", "limit": 200}).json()
    grouped = client.get("/api/search", params={"q": "plans", "group": "report"}).json()
    assert grouped["total"] == len({h["report_id"] for h in flat["items"]})
    assert sum(g["matches"] for g in grouped["items"]) == flat["total"]
    page = client.get("/search", params={"q": "plans", "group": "report"}).text
    assert "matching passages in" in visible(page)
    csv_text = client.get("/api/search", params={"q": "plans", "format": "csv"}).text
    assert "report_url" in csv_text.splitlines()[0]


def test_search_snippets_are_clean() -> None:
    from ofsted_atlas.store.search import clean_snippet

    assert clean_snippet("\uf0b7  Plans\n\n are   \x02clear\x03\x0c") == "Plans are \x02clear\x03"
    assert clean_snippet("• Staff visit") == "Staff visit"


@pytest.fixture(scope="module")
def england() -> dict[str, object]:
    if not (REFERENCE / geography.BOUNDARIES).is_file():
        pytest.skip("reference boundaries not found")
    return dict(json.loads(geography.england_geojson(REFERENCE)))


def test_map_file_is_served_gzipped_after_the_merge(
    england: dict[str, object], folder: Path
) -> None:
    """Regression: static files were compressed once at start, but the map of England is built
    on first use, so a browser asking for gzip got a server error and the home map stayed empty."""
    client = TestClient(create_app(folder / "atlas.sqlite", REFERENCE))
    for _ in range(2):  # the first answer builds and compresses it, the second reuses both
        response = client.get("/static/england.geojson", headers={"accept-encoding": "gzip"})
        assert response.status_code == 200, response.text[:200]
        assert response.headers["content-encoding"] == "gzip"
        assert json.loads(response.content) == england  # httpx decompresses it


def test_map_draws_all_153_english_authorities_and_nothing_else(
    england: dict[str, object],
) -> None:
    features = england["features"]
    assert isinstance(features, list)
    current = {a.la_code for a in geography.current_authorities(REFERENCE)}
    assert len(current) == 153
    assert sorted(f["properties"]["la_code"] for f in features) == sorted(current)
    for feature in features:  # England lies within these bounds; Scotland and Wales do not count
        for x, y in _points(feature["geometry"]):
            assert -6.5 < x < 1.8 and 49.8 < y < 55.85, feature["properties"]["name"]
    names = {f["properties"]["name"] for f in features}
    assert {"Norfolk", "Kent", "Cumberland", "Dorset"} <= names
    assert not names & {"Glasgow City", "Cardiff", "Poole", "Cumbria"}


def test_map_rings_wound_clockwise_so_no_area_fills_the_globe(
    england: dict[str, object],
) -> None:
    """Regression: after rounding, slivers flipped their winding and d3 filled the whole map."""
    from shapely.geometry import Polygon

    features = england["features"]
    assert isinstance(features, list)
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        for polygon in polygons:
            outer = Polygon(polygon[0])
            assert not outer.exterior.is_ccw and outer.area > 0, feature["properties"]["name"]


def _points(geometry: dict[str, object]) -> list[tuple[float, float]]:
    coordinates = geometry["coordinates"]
    polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
    return [(x, y) for polygon in polygons for ring in polygon for x, y in ring]  # type: ignore[union-attr]


def test_datasette_metadata_file_matches_the_labels_and_its_queries_run(folder: Path) -> None:
    from ofsted_atlas.web import datasette

    shipped = json.loads(datasette.METADATA.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(datasette.metadata()))  # regenerate when labels change
    tables = shipped["databases"]["ofsted-atlas"]["tables"]
    assert tables["paragraphs"]["fts_table"] == "paragraphs_fts"
    assert tables["recommendations"]["fts_table"] == "recommendations_fts"
    conn = connect(folder / "atlas.sqlite", read_only=True)
    existing = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert set(tables) <= existing
    queries = shipped["databases"]["ofsted-atlas"]["queries"]
    graded = conn.execute(queries["graded_judgements"]["sql"]).fetchall()
    assert graded and {row["grade"] for row in graded} <= set(labels.GRADE_LABELS.values())
    assert conn.execute(queries["search_passages"]["sql"], {"words": "plans"}).fetchall()


def test_placeholder_section_heading_reads_as_words(client: TestClient) -> None:
    """Regression: the stored '(opening)' heading showed on report pages and search hits."""
    assert labels.section_label("(opening)") == "Opening pages"
    assert labels.section_label("Recommendations") == "Recommendations"
    for item in client.get("/api/reports").json()["items"]:
        assert "(opening)" not in visible(client.get(f"/reports/{item['id']}").text)
