"""Reading a corpus: ids, encodings, and broken files named and skipped."""

from pathlib import Path

import pytest

from search.errors import CorpusError
from search.reading.corpus import read_corpus
from search.records import Page, Skipped


def test_reads_pages_and_names_the_broken_ones(corpus_dir: Path):
    items = list(read_corpus(corpus_dir))
    pages = {p.id: p for p in items if isinstance(p, Page)}
    skipped = {Path(s.path).name: s.reason for s in items if isinstance(s, Skipped)}
    assert set(pages) == {"gazette/chess.txt", "gazette/harbour.txt", "northwick/library.txt",
                          "riverside/bridge.html", "riverside/cafe.html", "museum/sign.txt"}
    assert "binary" in skipped["image.html"]
    assert "empty" in skipped["empty.txt"]
    assert "notes.pdf" not in skipped  # not a page at all: not even mentioned
    assert pages["gazette/chess.txt"].group == "gazette"


def test_declared_legacy_encoding_is_honoured(corpus_dir: Path):
    pages = {p.id: p for p in read_corpus(corpus_dir) if isinstance(p, Page)}
    assert "Montbéliard" in pages["riverside/cafe.html"].content


def test_invalid_utf8_text_is_skipped_with_reason(tmp_path: Path):
    (tmp_path / "bad.txt").write_bytes(b"\xfa\xfb\xe9\xe8\xfc" * 400)
    (tmp_path / "good.txt").write_text("A good page about the harbour and the boats that use it every day.")
    items = list(read_corpus(tmp_path))
    assert [p.id for p in items if isinstance(p, Page)] == ["good.txt"]
    assert [Path(s.path).name for s in items if isinstance(s, Skipped)] == ["bad.txt"]


def test_missing_corpus_is_a_clear_error(tmp_path: Path):
    with pytest.raises(CorpusError, match="corpus folder not found"):
        list(read_corpus(tmp_path / "nope"))


def test_wget_mirror_keeps_urls(tmp_path: Path):
    from tests.pages import HTML_ARTICLE

    (tmp_path / "www.riverside.example" / "news" / "2020").mkdir(parents=True)
    (tmp_path / "www.riverside.example" / "news" / "2020" / "bridge.html").write_text(HTML_ARTICLE)
    (tmp_path / "www.riverside.example" / "index.html").write_text(HTML_ARTICLE)
    (tmp_path / "saved pages").mkdir()
    (tmp_path / "saved pages" / "bridge.html").write_text(HTML_ARTICLE)
    urls = {p.id: p.url for p in read_corpus(tmp_path) if isinstance(p, Page)}
    assert urls == {
        "www.riverside.example/news/2020/bridge.html": "https://www.riverside.example/news/2020/bridge.html",
        "www.riverside.example/index.html": "https://www.riverside.example/",
        "saved pages/bridge.html": None,
    }


def test_valid_utf8_wins_over_a_stale_declaration(tmp_path: Path):
    page = ("<html><head><meta charset='iso-8859-1'></head><body><p>Caf\u00e9 owners in Montb\u00e9liard "
            "protested on Thursday.</p></body></html>")
    (tmp_path / "resaved.html").write_bytes(page.encode("utf-8"))
    (tmp_path / "latin.html").write_bytes(page.encode("iso-8859-1"))
    pages = {p.id: p.content for p in read_corpus(tmp_path) if isinstance(p, Page)}
    assert "Montbéliard" in pages["resaved.html"] and "Montbéliard" in pages["latin.html"]


def test_text_pages_in_a_mirrors_host_folder_belong_to_that_site(tmp_path: Path):
    from search.cleaning.clean import clean_page
    from tests.pages import CHESS_TEXT, HARBOUR_TEXT

    (tmp_path / "www.marwick.example" / "news").mkdir(parents=True)
    (tmp_path / "www.marwick.example" / "news" / "chess.txt").write_text(CHESS_TEXT)
    (tmp_path / "saved pages").mkdir()
    (tmp_path / "saved pages" / "harbour.txt").write_text(HARBOUR_TEXT)
    docs = {p.id: clean_page(p) for p in read_corpus(tmp_path) if isinstance(p, Page)}
    assert docs["www.marwick.example/news/chess.txt"].site == "www.marwick.example"
    assert docs["www.marwick.example/news/chess.txt"].url is None  # a text page's own URL is not known
    assert docs["saved pages/harbour.txt"].site == "Marwick Gazette"  # its sign-off, as before
    from search.indexing.index import build_index
    from search.querying.query import search_index
    from search.querying.snapshot import open_snapshot

    build_index(tmp_path, tmp_path.parent / "index")
    with open_snapshot(tmp_path.parent / "index") as snapshot:
        hits = search_index(snapshot, "site:marwick.example").hits
        assert [h.id for h in hits] == ["www.marwick.example/news/chess.txt"]
