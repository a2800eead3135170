"""The real pages in headless Chromium (Debian's package, driven by Playwright), on the whole
coded corpus: a user's path through the app, keyboard navigation, axe-core accessibility checks,
and screenshots of each page (test-artifacts/screenshots)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import AXE, SHOTS

pytestmark = pytest.mark.corpus


def _page(browser: object, bypass_csp: bool = False) -> object:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp
    )
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    return page


def _shot(page: object, name: str) -> None:
    """Save a screenshot and check it shows a page: a PNG the viewport's width, taller than a
    blank window, with the many colours of text and charts (a blank or error page has few)."""
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    path.unlink(missing_ok=True)
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    with Image.open(path) as image:
        assert image.format == "PNG"
        width = page.viewport_size["width"]  # type: ignore[attr-defined]
        assert image.width == width and image.height >= 300, (name, image.size)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50, f"{name}: the screenshot looks blank"


def test_a_users_path_through_the_app(server: str, browser: object, tmp_path: Path) -> None:
    page = _page(browser)
    page.goto(server + "/")
    page.wait_for_selector("#map svg, #map canvas", timeout=20_000)
    assert "Ofsted inspections of children's services in England" in page.inner_text("h1")
    _shot(page, "1-home")
    page.click("text=Authorities")
    page.select_option("#f-region", "North West")
    page.click("button:has-text('Filter')")
    assert "North West" in page.inner_text("tbody")
    _shot(page, "2-authorities")
    page.click("tbody tr:first-child td:first-child a")
    page.wait_for_selector("#timeline svg, #timeline canvas", timeout=20_000)
    assert page.inner_text("h2 >> nth=0") == "Inspections"
    _shot(page, "3-authority")
    page.click("tbody >> nth=0 >> tr >> nth=0 >> td >> nth=0 >> a")
    assert "Judgements" in page.inner_text("main")
    assert page.locator("span.coded").count() > 20
    page.select_option("#f-pol", "weakness")
    page.click("button:has-text('Show')")
    assert page.locator("span.coded.strength").count() == 0
    _shot(page, "4-report")
    page.goto(server + "/search?q=return+home+interviews")
    assert page.locator("main ol li").count() == 25 and page.locator("mark").count() > 0
    page.click("text=Next")
    assert "results 26 to 50" in page.inner_text("main")
    _shot(page, "5-search")
    page.goto(server + "/themes")
    _shot(page, "6-themes")
    page.goto(server + "/briefings")
    with page.expect_download() as download:
        page.click("a:has-text('Word')")
    path = tmp_path / "mapping.docx"
    download.value.save_as(path)
    assert path.stat().st_size > 20_000 and path.read_bytes()[:2] == b"PK"
    _shot(page, "7-briefings")
    assert page.errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/authorities",
        "/authorities/926",
        "/reports/5",
        "/themes",
        "/search?q=neglect",
        "/briefings",
    ],
)
def test_keyboard_and_accessibility(server: str, browser: object, path: str) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: .ci/run installs it with npm")
    page = _page(browser, bypass_csp=True)  # to inject axe-core; the app's own CSP is tested
    page.goto(server + path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "SELECT", "INPUT", "BUTTON")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious
