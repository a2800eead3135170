"""Each search filter keeps exactly the reports it names, in the store and through the web API
(two synthetic reports: ILACS 2022 Exampleshire graded good; SIF 2014 Exampleton requires
improvement). Each assertion names both sides, so a filter that is dropped or inverted fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ofsted_atlas
from ofsted_atlas.pipeline import IngestOptions
from ofsted_atlas.store import SearchFilters, connect, search
from ofsted_atlas.web import create_app
from tests.synthetic import SIF_TEXT, ilacs_pdf

ILACS, SIF = "ilacs_standard", "sif"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("filters")
    (folder / "a.pdf").write_bytes(ilacs_pdf())
    (folder / "b.txt").write_text(SIF_TEXT, encoding="utf-8")
    path = folder / "atlas.sqlite"
    ofsted_atlas.ingest([folder], path, IngestOptions(workers=1))
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db, db.parent / "no-reference"))


def frameworks_found(db: Path, filters: SearchFilters) -> set[str]:
    return {hit.framework for hit in search(connect(db), "children", filters, limit=200)}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (SearchFilters(), {ILACS, SIF}),
        (SearchFilters(year=2022), {ILACS}),
        (SearchFilters(year=2014), {SIF}),
        (SearchFilters(year=2019), set()),
        (SearchFilters(authority="Exampleshire"), {ILACS}),
        (SearchFilters(authority="exampleton"), {SIF}),  # a part of the name, any case
        (SearchFilters(authority="Nowhere"), set()),
        (SearchFilters(framework="sif"), {SIF}),
        (SearchFilters(framework="ilacs"), {ILACS}),  # a prefix of the id
        (SearchFilters(framework="ilac"), set()),  # not a whole part of an id
        (SearchFilters(grade="good"), {ILACS}),
        (SearchFilters(grade="requires_improvement"), {SIF}),
        (SearchFilters(grade="inadequate"), set()),
        (SearchFilters(year=2022, framework="sif"), set()),
        (SearchFilters(year=2014, grade="requires_improvement", authority="Exampleton"), {SIF}),
    ],
)
def test_each_filter_keeps_exactly_its_reports(
    db: Path, filters: SearchFilters, expected: set[str]
) -> None:
    assert frameworks_found(db, filters) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {ILACS, SIF}),
        ("&year=2022", {ILACS}),
        ("&year=2014", {SIF}),
        ("&authority=Exampleshire", {ILACS}),
        ("&authority=Exampleton", {SIF}),
        ("&framework=sif", {SIF}),
        ("&framework=ilacs", {ILACS}),
        ("&grade=good", {ILACS}),
        ("&grade=requires_improvement", {SIF}),
    ],
)
def test_the_api_applies_each_filter(client: TestClient, query: str, expected: set[str]) -> None:
    found = client.get(f"/api/search?q=children&limit=200{query}").json()["items"]
    assert {hit["framework"] for hit in found} == expected
