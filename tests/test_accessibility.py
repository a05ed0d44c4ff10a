"""The pages pass an accessibility checker (axe-core) at desktop and phone widths, light and dark.

With SEARCH_SCREENSHOTS set (to docs/screenshots, say), also saves the screenshots the README shows
there; a plain test run leaves the checkout as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search.indexing.index import build_index
from tests.conftest import serving
from tests.news_corpus import write_news_corpus
from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS, sync_api

axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

SHOTS = Path(os.environ["SEARCH_SCREENSHOTS"]) if os.environ.get("SEARCH_SCREENSHOTS") else None
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


PAGES = {"home": "/", "results": "/search?q=harbour+OR+bridge+OR+chess", "document": "/doc/gazette/chess.txt?q=chess"}
# Over the news corpus (dated across years): the timeline, and a page as saved with its removed blocks shown.
NEWS_PAGES = {"timeline": "/search?q=Elmford+OR+Marston+OR+Northbay+OR+council",
              "narrowed": "/search?q=Elmford+OR+Marston+OR+Northbay+OR+council&from=2019-03&to=2019-03",
              "removed": "/doc/valley/elmford-barrier.html"}


@pytest.fixture(scope="module")
def news_url(tmp_path_factory):
    """The app over an index of the news corpus, really served, shared by the module's tests."""
    base = tmp_path_factory.mktemp("news-served")
    (base / "corpus").mkdir()
    write_news_corpus(base / "corpus")
    build_index(base / "corpus", base / "index")
    with serving(base / "index") as url:
        yield url


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_pages_have_no_accessibility_violations(live_url, news_url, width, scheme):
    axe = axe_module.Axe()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        # axe is injected by the test; the page's own policy forbids foreign scripts, rightly.
        context = browser.new_context(viewport=VIEWPORTS[width], color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        problems = []
        visits = [(name, live_url + path) for name, path in PAGES.items()]
        visits += [(name, news_url + path) for name, path in NEWS_PAGES.items()]
        for name, url in visits:
            page.goto(url)
            if name == "removed":
                page.click("details.as-saved summary")  # what is inside a closed section is checked open
                assert page.locator("details.as-saved li.removed").first.is_visible()
            # Nothing may need sideways scrolling at phone width.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, width)
            results = axe.run(page)
            problems += [f"{name}: {v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
                         for v in results.response["violations"]]
            if SHOTS and (scheme == "light" or width == "desktop"):
                SHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
        browser.close()
    assert problems == []


def test_keyboard_focus_order_reaches_box_then_results(live_url):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        page = browser.new_page()
        page.goto(live_url + PAGES["results"])
        order = []
        for _ in range(6):
            page.keyboard.press("Tab")
            order.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        browser.close()
    # The brand link, then the box and its button, then the first result's link.
    assert order.index("q") < order.index("Search") < len(order) - 1
    assert any(o and o not in ("q", "Search", "Scrape Search") for o in order[order.index("Search") + 1:])
