"""Script payloads in page text, page markup and queries never run: checked in a real headless Chromium."""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

import pytest

from search.indexing.index import build_index
from tests.conftest import serving
from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS, sync_api

# Each payload would call alert() if it ever reached the page as markup; classic, attribute,
# URL, template and parser-confusion vectors.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)//",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    '" onmouseover="alert(1)" x="',
    "' autofocus onfocus='alert(1)' x='",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<object data=javascript:alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "{{7*7}}<div>{% raw %}{{config}}{% endraw %}</div>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\u2028<script>alert(1)</script>",
]
INJECTED = ("img[src='x'], svg, iframe, video, object, math, meta[http-equiv], input[autofocus], "
            "[onerror], [onload], [onmouseover], [onfocus], [ontoggle], a[href^='javascript'], body script:not([src])")

PROSE = "The museum director said the note pinned to the door was a prank by students from the college"


def write_payload_corpus(root: Path) -> None:
    root.mkdir()
    for i, payload in enumerate(PAYLOADS):
        # Text form: the payload sits in the prose, so it is indexed, snippeted and shown.
        (root / f"text-{i}.txt").write_text(f"{PROSE} {payload} museum payload{i}.\n{PROSE} again.\n")
        # HTML form: the payload is escaped in the source, so it becomes literal text in title,
        # site name, headline and body after parsing; the canonical URL is a javascript: link.
        esc = html.escape(payload, quote=True)
        (root / f"page-{i}.html").write_text(
            f"<html><head><title>{esc} | Site</title><meta property='og:site_name' content='{esc}'>"
            f"<link rel='canonical' href='javascript:alert({i})'></head><body><article><h1>Museum note {esc}</h1>"
            f"<p>{PROSE} {esc} museum htmlpayload{i}.</p><p>{PROSE} once more.</p></article></body></html>")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("xss")
    write_payload_corpus(base / "corpus")
    build_index(base / "corpus", base / "index")
    with serving(base / "index") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


def visit_all(browser, urls: list[str]) -> tuple[list[str], list[str]]:
    """Load each URL, hovering and focusing as a user would; return dialogs seen and injected elements."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    injected: list[str] = []
    for url in urls:
        response = page.goto(url)
        assert response.status < 500, url
        assert "script-src 'self'" in response.headers.get("content-security-policy", "")
        page.mouse.move(200, 300)
        page.keyboard.press("Tab")
        found = page.eval_on_selector_all(INJECTED, "els => els.map(e => e.outerHTML.slice(0, 80))")
        injected.extend(f"{url}: {f}" for f in found)
        assert "49" not in page.locator("main").inner_text().split("7*7")[0][-5:]
    page.close()
    return dialogs, injected


def test_payloads_in_documents_never_run(server, browser):
    urls = [f"{server}/search?q=museum&page={n}" for n in (1, 2, 3, 4, 5)]
    urls += [f"{server}/doc/text-{i}.txt?q=museum" for i in range(len(PAYLOADS))]
    urls += [f"{server}/doc/page-{i}.html?q=note" for i in range(len(PAYLOADS))]
    urls += [f"{server}/search?q=payload{i}" for i in range(len(PAYLOADS))]
    dialogs, injected = visit_all(browser, urls)
    assert dialogs == []
    assert injected == []


def test_payloads_in_queries_never_run(server, browser):
    urls = []
    for payload in PAYLOADS:
        q = quote(payload, safe="")
        urls += [f"{server}/search?q={q}", f"{server}/search?q={q}&page=2", f"{server}/doc/text-0.txt?q={q}",
                 f"{server}/doc/{q}"]
    dialogs, injected = visit_all(browser, urls)
    assert dialogs == []
    assert injected == []


def test_payload_text_is_shown_literally(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/doc/text-0.txt")
    assert "<script>alert(1)</script>" in page.locator("article").inner_text()
    page.close()
