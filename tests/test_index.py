"""Reindexing: the report, atomic switch-over for concurrent readers, and the write lock."""

import threading
from pathlib import Path

import pytest

from search.errors import IndexBusyError, IndexMissingError
from search.index import build_index, open_index, read_report
from search.query import LiveSearcher, open_searcher, search_index
from tests.pages import NO_HEADLINE_TEXT


def test_report_counts_indexed_and_names_skipped(corpus_dir: Path, tmp_path: Path):
    report = build_index(corpus_dir, tmp_path / "ix")
    assert report.indexed == 6
    assert sorted(Path(s["path"]).name for s in report.skipped) == ["empty.txt", "image.html"]
    assert read_report(tmp_path / "ix")["indexed"] == 6


def test_reindex_replaces_contents_without_duplicates(corpus_dir: Path, index_dir: Path):
    (corpus_dir / "gazette" / "chess.txt").unlink()
    build_index(corpus_dir, index_dir)
    build_index(corpus_dir, index_dir)
    with open_searcher(index_dir) as searcher:
        ids = [fields["id"] for fields in searcher.all_stored_fields()]
    assert len(ids) == len(set(ids)) == 5
    assert "gazette/chess.txt" not in ids


def test_concurrent_reader_never_sees_an_empty_or_partial_index(corpus_dir: Path, index_dir: Path):
    # Grow the corpus so the reindex takes a while and the document count changes.
    for i in range(60):
        (corpus_dir / "extra" / f"p{i}.txt").parent.mkdir(exist_ok=True)
        (corpus_dir / "extra" / f"p{i}.txt").write_text(NO_HEADLINE_TEXT.replace("Northwick", f"Town{i}"))
    before, after = 6, 66
    live = LiveSearcher(index_dir)
    seen: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                searcher = live.get()
                found = search_index(searcher, "bridge repairs")
                # Every generation holds the bridge page exactly once, and whole counts only.
                assert [h.id for h in found.hits].count("riverside/bridge.html") == 1
                seen.append(searcher.doc_count())
        except BaseException as exc:  # surfaced in the test thread below
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(3):
            build_index(corpus_dir, index_dir)
    finally:
        stop.set()
        reader.join()
    assert not errors, errors
    assert seen, "the reader never ran"
    assert set(seen) <= {before, after}, set(seen)
    assert live.get().doc_count() == after


def test_second_writer_is_told_a_reindex_is_running(corpus_dir: Path, index_dir: Path):
    writer = open_index(index_dir).writer()
    try:
        with pytest.raises(IndexBusyError, match="another reindex"):
            build_index(corpus_dir, index_dir, lock_timeout=0.2)
    finally:
        writer.cancel()
    assert build_index(corpus_dir, index_dir).indexed == 6


def test_missing_index_says_how_to_build_it(tmp_path: Path):
    with pytest.raises(IndexMissingError, match="search reindex"):
        open_searcher(tmp_path / "none")
