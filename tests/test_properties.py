"""Property-based tests: whatever text, HTML or query arrives, nothing escapes and the invariants hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.cleaning.clean import clean_page
from search.errors import QueryError
from search.indexing.index import build_index
from search.querying.query import search_index
from search.querying.snapshot import open_snapshot
from search.records import Page
from tests.pages import write_corpus
from web import create_app

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

WORDS = st.sampled_from("the harbour boats storm crew said on Monday club chess 2021 U.S. COVID-19 café "
                        "Share Home | News.Az error message px + − ↺ © <script> & \" ' 22 February 2018".split())
LINE = st.one_of(st.lists(WORDS, min_size=1, max_size=40).map(" ".join), st.text(max_size=80))
PAGE_TEXT = st.lists(LINE, max_size=25).map("\n".join)
TAGS = st.sampled_from(["p", "div", "nav", "footer", "article", "h1", "li", "a", "script", "span", "aside",
                        "header", "table", "td", "form", "main", "section", "title", "meta", "br"])


@st.composite
def html_pages(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        attrs = draw(st.sampled_from(["", ' class="share"', ' id="content"', ' class="article-body"',
                                      ' property="og:title" content="A title"', ' href="/x"']))
        parts.append(f"<{tag}{attrs}>{draw(LINE)}")
        if draw(st.booleans()):
            parts.append(f"</{tag}>")
    return "<html><body>" + "".join(parts) + draw(st.sampled_from(["</body></html>", "", "</div>"]))


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


@SETTINGS
@given(PAGE_TEXT)
def test_text_cleaning_keeps_only_lines_of_the_page_or_runs_of_them(text: str):
    doc = clean_page(Page(id="p.txt", path="p.txt", kind="text", content=text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    # A paragraph is one line of the page, or a run of its lines joined (text wrapped at a fixed width).
    runs = {" ".join(lines[i:j]) for i in range(len(lines)) for j in range(i + 1, len(lines) + 1)}
    for paragraph in filter(None, doc.body.split("\n\n")):
        assert paragraph in runs
    assert isinstance(doc.title, str)
    assert doc.date is None or re.fullmatch(r"\d{4}-\d\d-\d\d", doc.date)


@SETTINGS
@given(html_pages())
def test_html_cleaning_never_invents_words(markup: str):
    doc = clean_page(Page(id="p.html", path="p.html", kind="html", content=markup))
    # Inline elements join their text ("<a>the</a><b>the</b>" reads "thethe"), block ones do not:
    # every word of the body is a run of the page's text, read without any separator.
    joined = BeautifulSoup(markup, "lxml").get_text("")
    assert all(word in joined for word in words(doc.body))


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("props")
    (base / "corpus").mkdir()
    write_corpus(base / "corpus")
    build_index(base / "corpus", base / "index")
    return base / "index"


QUERY = st.one_of(st.text(max_size=60), st.lists(st.one_of(WORDS, st.sampled_from(
    ['"', "(", ")", "AND", "OR", "NOT", "*", "?", "-", "+", ":", "title:", "^", "~", "[", "]", "TO", "{", "}"])),
    max_size=12).map(" ".join))


@SETTINGS
@given(QUERY)
def test_any_query_answers_or_says_why(index_dir: Path, text: str):
    with open_snapshot(index_dir) as snapshot:
        try:
            results = search_index(snapshot, text)
        except QueryError as exc:
            assert str(exc)
            return
    for hit in results.hits:
        # Everything but the <mark> tags is escaped document text.
        assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")


@SETTINGS
@given(QUERY, st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 10**12).map(str)),
       st.one_of(st.none(), st.text(max_size=8), st.integers(-5, 10**7).map(str)))
def test_api_never_fails_with_500(index_dir: Path, q: str, page, per_page):
    client = create_app({"TESTING": True, "INDEX": str(index_dir)}).test_client()
    params = {k: v for k, v in {"q": q, "page": page, "per_page": per_page}.items() if v is not None}
    response = client.get("/api/search", query_string=params)
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    body = response.get_json()
    assert ("hits" in body) if response.status_code == 200 else set(body["error"]) == {"status", "message"}
