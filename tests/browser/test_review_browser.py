"""Review mode in headless Chromium on the coded corpus: a reviewer signs in, marks a coding wrong
and adds a theme on a report page, and `ofsted-atlas labels export` then writes that sentence as a
label; the default server refuses the same writes."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from ofsted_atlas.cli import app
from tests.browser.conftest import serving
from tests.browser.test_browser import _shot
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus
TOKEN = "a long enough review token"
REPORT = 5


@pytest.fixture(scope="module")
def review_db(coded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("review") / "atlas.sqlite"
    shutil.copyfile(coded_corpus, copy)  # review mode writes: never into the shared database
    return copy


@pytest.fixture(scope="module")
def review_server(review_db: Path) -> Iterator[str]:
    with serving(review_db, "--review", "--review-token", TOKEN) as base:
        yield base


def test_a_correction_made_on_a_report_page_appears_in_labels_export(
    review_server: str, review_db: Path, browser: object
) -> None:
    page = browser.new_page(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}
    )
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{review_server}/reports/{REPORT}")
    assert page.locator("details.review").count() == 0  # not signed in: no controls
    page.click("text=sign in with the review token")
    page.fill("#review-token", TOKEN)
    page.click("button:has-text('Sign in')")
    assert "You are signed in" in page.inner_text("main")
    page.goto(f"{review_server}/reports/{REPORT}")
    review = page.locator("details.review").first
    review.locator("summary").click()
    sentence = review.locator(".review-sentence").first
    theme = sentence.locator("form.review-coding input[name=theme]").first.get_attribute("value")
    sentence.locator("form.review-coding button:has-text('Wrong theme')").first.click()
    page.wait_for_load_state()
    review = page.locator("details.review").first
    review.locator("summary").click()
    assert "marked wrong" in review.inner_text()
    add = review.locator(".review-sentence").first.locator("form.review-add")
    add.locator("select[name=theme]").select_option("care_leavers")
    add.locator("select[name=polarity]").select_option("weakness")
    add.locator("button:has-text('Add theme')").click()
    page.wait_for_load_state()
    review = page.locator("details.review").first
    review.locator("summary").click()
    assert "Added: Care leavers: weakness" in review.inner_text()
    _shot(page, "8-review")
    assert errors == []

    result = CliRunner().invoke(
        app, ["labels", "export", "--db", str(review_db), "--corpus", str(CORPUS)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    [row] = rows
    assert (CORPUS / row["file"]).is_file() and int(row["end"]) > int(row["start"])
    assert "care_leavers:weakness" in row["codings"].split(";")
    assert f"{theme}:" not in row["codings"]


def test_the_default_server_refuses_writes(coded_corpus: Path, review_db: Path) -> None:
    with serving(review_db) as base:
        site = {"Origin": base}
        for path in ("/review/sign-in", "/review/codings", f"/reports/{REPORT}"):
            response = httpx.post(base + path, data={"token": TOKEN}, headers=site)
            assert response.status_code in (404, 405), path
        assert httpx.get(base + "/review").status_code == 404
