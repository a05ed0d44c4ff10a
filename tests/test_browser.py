"""The real page in a real headless Chromium, served by `search serve` (gunicorn) on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"

if CHROMIUM is None:
    # CI installs Debian's chromium; there a missing browser is a failure, not a skip.
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (apt-get install -y chromium)", pytrace=False)
    pytest.skip("chromium is not installed (apt-get install -y chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(corpus_dir: Path, tmp_path: Path):
    """`search serve` as a user runs it: builds the missing index, then serves with gunicorn."""
    port = free_port()
    env = {**os.environ, "SEARCH_CORPUS": str(corpus_dir), "SEARCH_INDEX": str(tmp_path / "served-index")}
    cli = Path(sys.executable).with_name("search")
    proc = subprocess.Popen([str(cli), "serve", "--port", str(port), "--workers", "1"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(proc.stdout.read().decode(errors="replace")) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_search_box_to_results_to_document(server: str, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/")
    assert page.evaluate("document.activeElement.id") == "q"  # the home page focuses the box
    page.keyboard.type("chess captain")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=chess+captain")
    assert page.input_value("#q") == "chess captain"
    page.locator("main").click()
    page.keyboard.press("/")  # the shortcut brings focus back to the box
    assert page.evaluate("document.activeElement.id") == "q"
    first = page.locator("li.hit").first
    assert first.locator("h2 a").inner_text() == "Village chess club wins regional title"
    marks = first.locator("mark").all_inner_texts()
    assert {m.lower() for m in marks} >= {"chess", "captain"}
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "results.png"), full_page=True)
    first.locator("h2 a").click()
    page.wait_for_url("**/doc/gazette/chess.txt*")
    assert page.locator("h1").inner_text() == "Village chess club wins regional title"
    assert "captain" in [m.lower() for m in page.locator("article mark").all_inner_texts()]
    page.screenshot(path=str(SCREENSHOTS / "document.png"), full_page=True)
    assert dialogs == []


def test_script_payload_in_page_text_never_runs(server: str, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/search?q=museum+sign")
    assert "<script>" in page.locator("li.hit .snippet").first.inner_text()  # shown as text
    page.goto(server + "/doc/museum/sign.txt?q=sign")
    page.goto(server + '/search?q="><img src=x onerror=alert(1)>')
    assert dialogs == []


def test_typing_fills_suggestions_from_the_index(server: str, page):
    page.goto(server + "/")
    # Typed into the box itself, not wherever focus happens to be when the page settles.
    page.locator("#q").press_sequentially("harb")
    page.wait_for_selector("#suggestions option", state="attached", timeout=10000)
    options = page.eval_on_selector_all("#suggestions option", "els => els.map(e => e.value)")
    assert "harbour" in options


@pytest.fixture
def news_server(news_index: Path):
    """The app over the news index (pages dated across years), really served on loopback."""
    from tests.conftest import serving

    with serving(news_index) as url:
        yield url


TIMELINE_QUERY = "/search?q=Elmford+OR+Marston+OR+Northbay+OR+council"


def said_count(label: str) -> int:
    """The count a timeline bar's name says ("March 2019: 3 matching pages" -> 3)."""
    return int(label.split(": ")[1].split()[0])


def test_clicking_a_timeline_bar_narrows_the_results_to_its_period(news_server: str, page):
    page.goto(news_server + TIMELINE_QUERY)
    bars = page.locator("figure.timeline a")
    assert bars.count() >= 4
    tallest = max(range(bars.count()), key=lambda i: said_count(bars.nth(i).get_attribute("aria-label")))
    label = bars.nth(tallest).get_attribute("aria-label")
    assert bars.nth(tallest).locator("title").text_content() == label  # the tooltip says it too
    bars.nth(tallest).click()
    page.wait_for_url("**from=*")
    assert page.locator("#summary").inner_text().startswith(f"{said_count(label)} result")
    period = page.url.split("from=")[1].split("&")[0]
    dates = page.locator("li.hit > .meta time").all_inner_texts()
    assert dates and all(d.startswith(period) for d in dates)  # near-duplicates fold into one hit
    assert page.input_value("#from") and page.input_value("#from") == page.input_value("#to")
    # The narrowed search draws its own timeline, a day a bar.
    assert "per day" in page.locator("figure.timeline figcaption").inner_text()
    assert page.locator("figure.timeline a").count() >= 1


def test_keyboard_reaches_the_timeline_bars_and_follows_one(news_server: str, page):
    page.goto(news_server + TIMELINE_QUERY)
    reached = None
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('figure.timeline')"):
            reached = page.evaluate("document.activeElement.getAttribute('aria-label')")
            break
    assert reached and "matching page" in reached
    # Focus shows: the focused bar's slot is outlined.
    stroke = page.evaluate("getComputedStyle(document.activeElement.querySelector('.slot')).strokeWidth")
    assert stroke not in ("", "0px")
    page.keyboard.press("Enter")
    page.wait_for_url("**from=*")
    assert page.locator("#summary").inner_text().startswith(f"{said_count(reached)} result")
