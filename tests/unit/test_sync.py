"""`sync` against a local fixture site (the live Ofsted site is not reachable from here)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from ofsted_atlas.sources.http import FetchError, PoliteClient, Politeness, _retry_after
from ofsted_atlas.sources.ofsted_site import SiteLayoutChanged, parse_search_page
from ofsted_atlas.sources.sync import SyncOptions, sync
from ofsted_atlas.store import connect
from tests.fixture_site import (
    Reply,
    Site,
    html_page,
    pdf_reply,
    provider_page,
    search_page,
    serve,
)
from tests.synthetic import NOT_FOUND_HTML, focused_visit_pdf, ilacs_pdf_for

FAST = Politeness(delay_seconds=0, backoff_seconds=0, retries=3, timeout_seconds=5)
SEARCH = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12"
FILES = {
    "/file/a1": "Alphaton",
    "/file/b1": "Betaby",
    "/file/c1": "Gammaford",
    "/file/c2": "Deltaham",
}


def build_site() -> Site:
    site = Site()
    site.route(
        f"{SEARCH}&start=0&rows=100",
        search_page([("80001", "Alphaton"), ("80002", "Betaby")], f"{SEARCH}&start=100&rows=100"),
    )
    site.route(f"{SEARCH}&start=100&rows=100", search_page([("80003", "Gammaford")], None))
    site.route(
        "/provider/16/80001",
        provider_page(
            "Alphaton",
            [
                ("children's services inspection, pdf - 19 november 2021", "/file/a1"),
                ("focused visit, pdf - 01 november 2019", "/file/a2"),
                ("children's services inspection, pdf - 13 july 2012", "/file/a3"),
                ("joint targeted area inspection, pdf - 01 may 2018", "/file/a4"),
            ],
        ),
    )
    site.route(
        "/provider/16/80002",
        provider_page(
            "Betaby", [("children's services inspection, pdf - 02 march 2020", "/file/b1")]
        ),
    )
    site.route(
        "/provider/16/80003",
        provider_page(
            "Gammaford",
            [
                ("children's services inspection, pdf - 11 june 2019", "/file/c1"),
                ("children's services inspection, pdf - 04 april 2016", "/file/c2"),
            ],
        ),
    )
    site.route("/file/a1", pdf_reply(ilacs_pdf_for("Alphaton")))
    site.route("/file/a2", pdf_reply(focused_visit_pdf()))
    site.route("/file/a3", Reply(body=NOT_FOUND_HTML.encode()))  # an old link: "report not found"
    site.route(
        "/file/b1",
        Reply(429, b"slow down", headers=(("Retry-After", "0"),)),
        pdf_reply(ilacs_pdf_for("Betaby")),
    )
    site.route("/file/c1", Reply(500, b"oops"), pdf_reply(ilacs_pdf_for("Gammaford")))
    body = ilacs_pdf_for("Deltaham")
    site.route(
        "/file/c2",
        Reply(body=body, content_type="application/pdf", drop_after=200),
        pdf_reply(body),
    )
    return site


def options(site: Site, tmp_path: Path, **changes: object) -> SyncOptions:
    base = {"base_url": site.base_url, "data_dir": tmp_path / "data", "politeness": FAST}
    base.update(changes)
    return SyncOptions(**base)  # type: ignore[arg-type]


def test_sync_downloads_every_report_once_and_ingests(tmp_path: Path, db_path: Path) -> None:
    with serve(build_site()) as site:
        summary = sync(db_path, options(site, tmp_path))
    assert summary.providers == 3 and not summary.failed
    assert sorted(p.parent.name for p in summary.downloaded) == [
        "80001_alphaton",
        "80002_betaby",
        "80003_gammaford",
        "80003_gammaford",
    ]
    assert {path: site.served_ok[path] for path in FILES} == dict.fromkeys(FILES, 1)
    assert site.hits["/file/b1"] == 2 and site.hits["/file/c1"] == 2 and site.hits["/file/c2"] == 2
    assert site.hits["/file/a2"] == 0 and site.hits["/file/a4"] == 0  # not requested types
    assert summary.not_found == [f"{site.base_url}/file/a3"]
    conn = connect(db_path)
    authorities = {
        row[0]
        for row in conn.execute("SELECT local_authority FROM reports WHERE status = 'parsed'")
    }
    assert authorities == set(FILES.values())
    assert not list((tmp_path / "data").rglob("*.part"))
    target = (
        tmp_path
        / "data/reports/80001_alphaton/children's services inspection - 19 november 2021.pdf"
    )
    assert target.exists()


def test_second_sync_downloads_nothing(tmp_path: Path, db_path: Path) -> None:
    with serve(build_site()) as site:
        sync(db_path, options(site, tmp_path))
        before = sum(site.hits[path] for path in [*FILES, "/file/a3"])
        again = sync(db_path, options(site, tmp_path))
        after = sum(site.hits[path] for path in [*FILES, "/file/a3"])
    assert after == before and again.downloaded == [] and again.unchanged == 5


def test_interrupted_sync_resumes(tmp_path: Path, db_path: Path) -> None:
    def stop_after_first(message: str) -> None:
        if message.startswith("downloaded"):
            raise KeyboardInterrupt

    with serve(build_site()) as site:
        with pytest.raises(KeyboardInterrupt):
            sync(db_path, options(site, tmp_path), progress=stop_after_first)
        resumed = sync(db_path, options(site, tmp_path))
    assert len(resumed.downloaded) == 3 and resumed.unchanged == 1
    assert {path: site.served_ok[path] for path in FILES} == dict.fromkeys(FILES, 1)
    assert (
        connect(db_path)
        .execute("SELECT COUNT(*) FROM reports WHERE status = 'parsed'")
        .fetchone()[0]
        == 3
    ), "the interrupted run ingested nothing; the resumed one ingests what it fetched"


def test_a_bad_response_leaves_no_file_and_no_row(tmp_path: Path, db_path: Path) -> None:
    site = build_site()
    site.route("/file/c1", Reply(500, b"down"))
    site.route(
        "/file/c2", Reply(body=b"%PDF-1.4 partial", content_type="application/pdf", drop_after=5)
    )
    with serve(site):
        summary = sync(db_path, options(site, tmp_path))
    assert {url.rsplit("/", 1)[1] for url, _ in summary.failed} == {"c1", "c2"}
    assert not summary.ok
    assert not (tmp_path / "data/reports/80003_gammaford").exists() or not list(
        (tmp_path / "data/reports/80003_gammaford").iterdir()
    )
    conn = sqlite3.connect(db_path)
    urls = {row[0] for row in conn.execute("SELECT url FROM downloads")}
    assert not any(url.endswith(("/c1", "/c2")) for url in urls)


def test_focused_visits_are_ingested_when_requested(tmp_path: Path, db_path: Path) -> None:
    with serve(build_site()) as site:
        sync(db_path, options(site, tmp_path, types=("focused-visits",), authorities=("Alphaton",)))
    conn = connect(db_path)
    row = conn.execute(
        "SELECT id, framework, publication_type, inspection_start, inspection_end,"
        " lead_inspector FROM reports"
    ).fetchone()
    assert tuple(row)[1:] == ("other", "focused_visit", "2019-10-09", "2019-10-10", "Jane Example")
    recommendations = conn.execute(
        "SELECT timescale, text FROM recommendations WHERE report_id = ? ORDER BY ordinal",
        (row[0],),
    ).fetchall()
    assert [tuple(r) for r in recommendations] == [
        ("immediately", "Ensure that management oversight of all children's cases is effective."),
        (None, "The timeliness of return home interviews."),
        (None, "The quality of written plans for children in need."),
    ]
    assert conn.execute("SELECT COUNT(*) FROM judgements").fetchone()[0] == 0


def test_filters_and_dry_run(tmp_path: Path, db_path: Path) -> None:
    with serve(build_site()) as site:
        summary = sync(
            db_path,
            options(site, tmp_path, authorities=("80003",), since=date(2018, 1, 1), dry_run=True),
        )
    assert [p.url.rsplit("/", 1)[1] for p in summary.listed] == ["c1"]
    assert summary.downloaded == [] and not site.hits["/file/c1"]


def test_layout_change_is_a_clear_error(tmp_path: Path, db_path: Path) -> None:
    site = build_site()
    site.route(
        f"{SEARCH}&start=0&rows=100",
        Reply(body=html_page("Search", "<div class='new-design'>results</div>")),
    )
    with serve(site), pytest.raises(SiteLayoutChanged, match="no provider links found"):
        sync(db_path, options(site, tmp_path))
    site = build_site()
    for urn in ("80001", "80002", "80003"):
        site.route(f"/provider/16/{urn}", Reply(body=html_page("P", "<a href='/x'>x</a>")))
    with serve(site), pytest.raises(SiteLayoutChanged, match="no publication links"):
        sync(db_path, options(site, tmp_path))


def test_client_gives_up_with_a_clear_error() -> None:
    site = Site()
    site.route("/always-busy", Reply(503, b"busy"))
    with serve(site), PoliteClient(FAST) as client, pytest.raises(FetchError, match="HTTP 503"):
        client.get_text(f"{site.base_url}/always-busy")
    assert site.hits["/always-busy"] == FAST.retries + 1


def test_politeness_waits_between_requests_and_honours_retry_after() -> None:
    waits: list[float] = []
    site = Site()
    site.route("/a", Reply(429, b"", headers=(("Retry-After", "7"),)), Reply(body=b"ok"))
    with (
        serve(site),
        PoliteClient(
            Politeness(delay_seconds=1.5, backoff_seconds=2), sleep=waits.append
        ) as client,
    ):
        assert client.get_text(f"{site.base_url}/a") == "ok"
    assert 7 in waits  # Retry-After honoured
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0 and _retry_after("x") is None


def test_pagination_is_read_from_the_markup() -> None:
    reply = search_page([("80001", "A"), ("80001", "A")], "/search?start=100")
    providers, next_url = parse_search_page(reply.body.decode(), "http://host/search?start=0")
    assert [p.urn for p in providers] == ["80001"] and next_url == "http://host/search?start=100"
