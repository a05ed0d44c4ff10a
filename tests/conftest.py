"""Shared fixtures: a corpus written for the tests, an index built by the reindex code path, the app."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import settings
from werkzeug.serving import make_server

from search.indexing.index import build_index
from tests.news_corpus import write_news_corpus
from tests.pages import write_corpus
from web import create_app

REPO = Path(__file__).resolve().parent.parent

# In CI the property tests run the same examples every time, so a red build is reproducible;
# on a workstation they explore new examples each run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A small corpus of pages written for the tests, with a few broken files among them."""
    root = tmp_path / "corpus"
    root.mkdir()
    write_corpus(root)
    return root


@pytest.fixture
def index_dir(tmp_path: Path, corpus_dir: Path) -> Path:
    """A real Whoosh index of corpus_dir, built the way `search reindex` builds it."""
    target = tmp_path / "index"
    build_index(corpus_dir, target)
    return target


@pytest.fixture
def seed_index(tmp_path: Path) -> Path:
    """An index of the bundled corpus (the two seed pages)."""
    target = tmp_path / "seed-index"
    build_index(REPO / "corpus", target)
    return target


@pytest.fixture
def app(index_dir: Path):
    """The Flask app over the test index."""
    return create_app({"TESTING": True, "INDEX": str(index_dir)})


@pytest.fixture
def client(app):
    """Flask's test client."""
    return app.test_client()


@contextmanager
def serving(index_dir: Path) -> Iterator[str]:
    """The app over index_dir really served on a loopback port (threaded); yields its base URL."""
    httpd = make_server("127.0.0.1", 0, create_app({"INDEX": str(index_dir)}), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def live_url(tmp_path_factory) -> Iterator[str]:
    """The app over an index of the test corpus, really served, shared by a module's tests."""
    base = tmp_path_factory.mktemp("served")
    (base / "corpus").mkdir()
    write_corpus(base / "corpus")
    build_index(base / "corpus", base / "index")
    with serving(base / "index") as url:
        yield url


@pytest.fixture(scope="module")
def news_index(tmp_path_factory) -> Path:
    """An index of the news corpus (syndicated story, dated pages, duplicates, JSON Lines), built by build_index."""
    from tests.news_corpus import write_news_corpus

    root = tmp_path_factory.mktemp("news")
    corpus = root / "corpus"
    corpus.mkdir()
    write_news_corpus(corpus)
    target = root / "index"
    build_index(corpus, target)
    return target


@pytest.fixture
def news_client(news_index: Path):
    """Flask's test client over the news index."""
    return create_app({"TESTING": True, "INDEX": str(news_index)}).test_client()


@pytest.fixture(scope="session")
def changed_index(tmp_path_factory) -> Path:
    """The news corpus indexed, then changed (a page edited, one deleted, one added) and reindexed
    incrementally: postings come from more than one segment and deleted documents remain in them."""
    root = tmp_path_factory.mktemp("ranking")
    corpus = root / "corpus"
    corpus.mkdir()
    write_news_corpus(corpus)
    build_index(corpus, root / "index")
    pages = sorted(p for p in corpus.rglob("*") if p.suffix in (".html", ".txt"))
    pages[0].unlink()
    edited = pages[1].read_text(encoding="utf-8")
    pages[1].write_text(edited.replace("</p>", " The council met the barrier engineers again.</p>", 1)
                        if "</p>" in edited else edited + "\nThe council met the barrier engineers again.\n",
                        encoding="utf-8")
    (corpus / "added.txt").write_text("Barrier works\n\nThe engineers said the river barrier would open in spring, "
                                      "and the council agreed to pay for the flood defences.\n", encoding="utf-8")
    assert build_index(corpus, root / "index").mode == "incremental"
    return root / "index"
