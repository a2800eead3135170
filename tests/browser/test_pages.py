"""Issue 16 on the real coded corpus: every page type at 400 px (a phone) and 1400 px in headless
Chromium (no sideways scroll, charts inside the screen, no machine id in the rendered text, no
script error, screenshots), axe-core at phone width, a crawl of every internal link, and search
totals that stay the same from page to page."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from tests.browser.conftest import AXE, SHOTS
from tests.browser.test_browser import _page

pytestmark = pytest.mark.corpus

MACHINE_ID = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
WIDTHS = (400, 1400)
PAGES = {
    "home": "/",
    "authorities": "/authorities",
    "authority": "/authorities/926",
    "report": "REPORT",
    "themes": "/themes",
    "search": "/search?q=return+home+interviews",
    "search-by-report": "/search?q=return+home+interviews&group=report",
    "briefings": "/briefings",
    "not-found": "/reports/999999",
}


def _url(server: str, path: str) -> str:
    if path == "REPORT":  # the latest report of the authority above
        found = httpx.get(server + "/api/authorities/926").json()
        path = f"/reports/{found['inspections'][-1]['id']}"
    return server + path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_fits_the_screen_and_speaks_plainly(
    server: str, browser: object, name: str, width: int
) -> None:
    page = _page(browser)
    page.set_viewport_size({"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(_url(server, PAGES[name]))  # type: ignore[attr-defined]
    charts = page.locator("[data-chart]").count()  # type: ignore[attr-defined]
    if charts:
        page.wait_for_function(  # type: ignore[attr-defined]
            f"document.querySelectorAll('.vis svg, .vis canvas').length >= {charts}",
            timeout=20_000,
        )
    scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    assert scroll <= width, f"{name} scrolls sideways at {width} px ({scroll} px wide)"
    widest = page.evaluate(  # type: ignore[attr-defined]
        "Math.max(0, ...[...document.querySelectorAll('.vis svg')]"
        ".map(s => s.getBoundingClientRect().right))"
    )
    assert widest <= width + 1, f"a chart on {name} is clipped at {width} px"
    text = page.inner_text("body")  # type: ignore[attr-defined]
    assert MACHINE_ID.findall(text) == [], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]


def test_map_draws_englands_authorities_each_a_link(server: str, browser: object) -> None:
    page = _page(browser)
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.wait_for_selector("#map svg path", timeout=20_000)  # type: ignore[attr-defined]
    shapes = page.locator("#map svg g.mark-shape path")  # type: ignore[attr-defined]
    assert shapes.count() == 153
    labels = " ".join(shapes.evaluate_all("paths => paths.map(p => p.ariaLabel)"))
    assert labels.count("/authorities/") == 153 and "Glasgow" not in labels
    page.locator('#map path[aria-label*="Authority: Norfolk;"]').click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/authorities/926$"))  # type: ignore[attr-defined]
    assert page.inner_text("h1") == "Norfolk"  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(PAGES))
def test_accessibility_on_a_phone(server: str, browser: object, name: str) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE}: make test installs it when npm is present")
    page = _page(browser, bypass_csp=True)
    page.set_viewport_size({"width": 400, "height": 900})  # type: ignore[attr-defined]
    page.goto(_url(server, PAGES[name]))  # type: ignore[attr-defined]
    page.add_script_tag(path=str(AXE))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    serious = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


def test_every_internal_link_answers(server: str) -> None:
    """Crawl from the home page: every page, API link and original file answers without error
    (briefing downloads are built on demand and covered by their own tests)."""
    seen, queue, errors = {"/"}, deque(["/"]), []
    href = re.compile(r'href="([^"#]+)')
    with httpx.Client(base_url=server, timeout=30) as client:
        while queue and len(seen) < 600:
            path = queue.popleft()
            response = client.get(path)
            if response.status_code >= 400:
                errors.append((path, response.status_code))
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            for link in href.findall(response.text):
                target = urlsplit(urljoin(server + path, link.replace("&amp;", "&")))
                local = target.path + (f"?{target.query}" if target.query else "")
                if target.netloc != urlsplit(server).netloc or local in seen:
                    continue
                if local.startswith(("/briefings/download", "/docs")):
                    continue
                seen.add(local)
                queue.append(local)
    assert len(seen) > 250
    assert errors == []


def test_search_total_is_the_same_on_every_page(server: str) -> None:
    totals = set()
    for offset in (0, 20, 40, 1000, 5000):
        found = httpx.get(
            server + "/api/search", params={"q": "children", "offset": offset, "limit": 20}
        ).json()
        totals.add(found["total"])
        assert found["items"] or offset >= found["total"]
    assert len(totals) == 1 and totals.pop() > 5000
    shown = set()
    for number in (1, 2, 10):
        html = httpx.get(
            server + "/search", params={"q": "return home interviews", "page": number}
        ).text
        shown.add(re.search(r"([\d,]+) matching passages", html).group(1))  # type: ignore[union-attr]
    assert len(shown) == 1
