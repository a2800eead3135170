"""The readiness page in headless Chromium: a council uploads its self-evaluation when the server
runs with --allow-uploads; the default server refuses uploads; a form on another site cannot
post to it. Screenshots go to test-artifacts/screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import AXE, serving
from tests.browser.test_browser import _page, _shot
from tests.conftest import ROOT

pytestmark = pytest.mark.corpus
EVALUATION = ROOT / "examples" / "self-evaluations" / "thorough.md"


@pytest.fixture(scope="module")
def uploads_server(coded_corpus: Path) -> Iterator[str]:
    with serving(coded_corpus, "--allow-uploads") as base:
        yield base


@pytest.fixture(scope="module")
def default_server(coded_corpus: Path) -> Iterator[str]:
    with serving(coded_corpus) as base:
        yield base


def test_a_council_uploads_its_self_evaluation(uploads_server: str, browser: object) -> None:
    page = _page(browser)
    page.goto(uploads_server + "/authorities/301/readiness")
    assert "readiness for the next inspection" in page.inner_text("h1")
    assert "No documents given" in page.inner_text("main")
    _shot(page, "readiness-1-before-upload")
    page.set_input_files("input[name=documents]", str(EVALUATION))
    page.click("button:has-text('Analyse')")
    page.wait_for_selector("text=Documents read (not stored)")
    main = page.inner_text("main")
    assert "thorough.md" in main and main.count("Addressed") >= 7
    assert "not_mentioned" not in main and "No documents given" not in main
    _shot(page, "readiness-2-after-upload")
    page.goto(uploads_server + "/authorities/301/readiness")
    with page.expect_download() as download:
        page.set_input_files("input[name=documents]", str(EVALUATION))
        page.select_option("select[name=format]", "docx")
        page.click("button:has-text('Analyse')")
    assert download.value.suggested_filename.endswith(".docx")
    assert page.errors == []


def test_the_default_server_refuses_uploads(default_server: str, browser: object) -> None:
    page = _page(browser)
    page.goto(default_server + "/authorities/301/readiness")
    assert "Uploading documents is off" in page.inner_text("main")
    assert page.locator("input[type=file]").count() == 0
    response = page.request.post(
        default_server + "/authorities/301/readiness",
        multipart={
            "documents": {
                "name": "a.md",
                "mimeType": "text/markdown",
                "buffer": EVALUATION.read_bytes(),
            }
        },
        headers={"origin": default_server},
    )
    assert response.status == 403


def test_a_form_on_another_site_cannot_post(
    uploads_server: str, browser: object, tmp_path: Path
) -> None:
    page = _page(browser)
    page.goto(uploads_server + "/authorities/301/readiness")  # the visitor has the page's cookie
    other = tmp_path / "other-site.html"
    other.write_text(
        f'<form method="post" enctype="multipart/form-data" '
        f'action="{uploads_server}/authorities/301/readiness">'
        '<input type="file" name="documents"><button>Go</button></form>',
        encoding="utf-8",
    )
    page.goto(other.as_uri())
    page.set_input_files("input[name=documents]", str(EVALUATION))
    with page.expect_navigation():
        page.click("button")
    assert "only from this site" in page.inner_text("body") or "page first" in page.inner_text(
        "body"
    )


def test_readiness_page_is_accessible(uploads_server: str, browser: object) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: .ci/run installs it with npm")
    page = _page(browser, bypass_csp=True)  # to inject axe-core
    page.goto(uploads_server + "/authorities/301/readiness")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
