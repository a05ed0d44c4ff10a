"""What a reindex records of each page as saved: the removed blocks with their reasons, in place."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from search.cleaning.markup import page_lines
from search.cli import main
from search.indexing.index import build_index
from search.indexing.saved import saved_blocks, source_state, unpack_removed
from search.indexing.store import open_index, read_meta
from search.reading.corpus import read_corpus
from search.records import Page, Removed
from tests.news_corpus import write_news_corpus


def indexed(index_dir: Path) -> dict[str, dict]:
    with open_index(index_dir).searcher() as searcher:
        return {fields["id"]: fields for fields in searcher.all_stored_fields()}


def test_reindex_records_what_clean_explain_removes(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_news_corpus(corpus)
    build_index(corpus, tmp_path / "ix")
    docs = indexed(tmp_path / "ix")
    # `search clean --explain` over the same corpus: the same pages, the same templates.
    out = CliRunner().invoke(main, ["clean", "--json", "--explain", str(corpus)])
    assert out.exit_code == 0, out.output
    explained = {r["id"]: r for r in map(json.loads, out.stdout.splitlines()) if r["id"] in docs}
    assert explained and set(explained) <= set(docs)
    reasons = set()
    for doc_id, record in explained.items():
        removed = unpack_removed(docs[doc_id].get("removed"))
        assert [{"text": r.text, "reason": r.reason} for r in removed] == record["removed"], doc_id
        reasons |= {r.reason for r in removed}
    assert {"<nav> element", "<footer> element"} <= reasons


def test_saved_blocks_are_the_page_as_saved_in_order(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_news_corpus(corpus)
    build_index(corpus, tmp_path / "ix")
    docs = indexed(tmp_path / "ix")
    pages = {p.id: p for p in read_corpus(corpus) if isinstance(p, Page)}
    checked = 0
    for doc_id, fields in docs.items():
        blocks = saved_blocks(fields["body"], unpack_removed(fields.get("removed")))
        lines, _ = page_lines(pages[doc_id])
        assert [b.text for b in blocks] == [line.text for line in lines], doc_id
        assert "\n\n".join(b.text for b in blocks if b.reason is None) == fields["body"]
        checked += any(b.reason for b in blocks)
    assert checked >= 3  # the syndicated pages lose their menus and footers


def test_blocks_out_of_step_with_the_body_lose_nothing():
    # A kept block holding a blank line of its own splits in two: every text still shows, in order.
    removed = (Removed(text="Home | News", reason="link list", at=0),)
    blocks = saved_blocks("First.\n\nSecond.\n\nThird.", removed)
    assert [(b.text, b.reason) for b in blocks] == [("Home | News", "link list"), ("First.", None),
                                                    ("Second.", None), ("Third.", None)]
    assert unpack_removed(b"\x09garbage") == () and unpack_removed(None) == ()


def test_source_state_tells_edited_and_deleted_files(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_news_corpus(corpus)
    build_index(corpus, tmp_path / "ix")
    docs = indexed(tmp_path / "ix")
    root = Path(read_meta(tmp_path / "ix")["corpus"])
    assert root == corpus.resolve()
    fields = docs["valley/ferry-2017.html"]
    assert source_state(root, fields["source"], fields["digest"]) == "same"
    (corpus / "valley" / "ferry-2017.html").write_text("<p>Rewritten.</p>", encoding="utf-8")
    assert source_state(root, fields["source"], fields["digest"]) == "changed"
    (corpus / "valley" / "ferry-2017.html").unlink()
    assert source_state(root, fields["source"], fields["digest"]) == "gone"
    assert source_state(None, fields["source"], fields["digest"]) == "unknown"
