"""Broken and hostile files in a corpus: each is skipped with a named reason or cleaned; the rest is indexed."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from search.cli import main
from search.indexing.index import build_index
from search.querying.query import search_index
from search.querying.snapshot import open_snapshot

PROSE = "The harbour crews brought the boats home before the storm reached the northern coast last night. "


def write_hostile_corpus(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.txt").write_text(PROSE * 3)
    (root / "nul.txt").write_bytes(b"harbour\x00boats" * 50)
    (root / "binary.html").write_bytes(bytes(range(256)) * 20)
    # Declares UTF-8 but holds windows-1252 bytes, as many old CMS pages do.
    (root / "wrong-charset.html").write_bytes(
        ("<html><head><meta charset='utf-8'></head><body><p>Caf\xe9 owners in Montb\xe9liard protested "
         "against the rent rise on the market square on Thursday afternoon.</p></body></html>").encode("cp1252"))
    (root / "empty.txt").write_text("")
    (root / "blank.html").write_text(" \n\t\n ")
    (root / "deep.html").write_text("<div>" * 20000 + "<p>" + PROSE * 2 + "</p>" + "</div>" * 20000)
    (root / "name\nwith newline.txt").write_text(PROSE.replace("harbour", "quayside") * 2)
    (root / os.fsdecode(b"bad-\xff-name.txt")).write_text(PROSE.replace("harbour", "jetty") * 2)
    (root / "ünïcødé ☃.txt").write_text(PROSE.replace("harbour", "marina") * 2)
    os.symlink("loop-b.txt", root / "loop-a.txt")
    os.symlink("loop-a.txt", root / "loop-b.txt")
    os.symlink("missing-target.txt", root / "dangling.txt")
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")  # a folder loop: never followed


def test_hostile_corpus_indexes_the_good_and_names_the_bad(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_hostile_corpus(corpus)
    report = build_index(corpus, tmp_path / "index")
    skipped = {Path(s["path"]).name: s["reason"] for s in report.skipped}
    assert set(skipped) >= {"nul.txt", "binary.html", "empty.txt", "blank.html", "loop-a.txt", "loop-b.txt",
                            "dangling.txt"}
    assert "binary" in skipped["nul.txt"] and "binary" in skipped["binary.html"]
    assert "symbolic links" in skipped["loop-a.txt"]
    assert "No such file" in skipped["dangling.txt"]
    with open_snapshot(tmp_path / "index") as snapshot:
        ids = {f["id"] for f in snapshot.searcher.all_stored_fields()}
        assert {"good.txt", "wrong-charset.html", "deep.html", "name\nwith newline.txt", "ünïcødé ☃.txt",
                "bad-\ufffd-name.txt"} <= ids
        assert not any(i.startswith("sub/up") for i in ids)
        assert search_index(snapshot, "Montbéliard").hits[0].id == "wrong-charset.html"
        assert search_index(snapshot, "jetty").hits[0].id == "bad-\ufffd-name.txt"


def test_reindex_command_names_skipped_files_without_traceback(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_hostile_corpus(corpus)
    result = CliRunner().invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "nul.txt: binary content" in result.output


def test_page_over_the_size_limit_is_skipped_by_name(tmp_path: Path):
    from search.reading.corpus import read_corpus
    from search.records import Skipped

    (tmp_path / "huge.txt").write_text(PROSE * 200)
    (tmp_path / "small.txt").write_text(PROSE)
    items = list(read_corpus(tmp_path, max_bytes=5000))
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [Path(s.path).name for s in skipped] == ["huge.txt"]
    assert "too large" in skipped[0].reason and "limit 5000" in skipped[0].reason


def test_reindex_limits_are_options(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "huge.txt").write_text(PROSE * 200)
    (corpus / "small.txt").write_text(PROSE * 2)
    result = CliRunner().invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(tmp_path / "ix"),
                                       "--max-page-mb", "0.005", "--page-seconds", "5"])
    assert result.exit_code == 0, result.output
    assert "huge.txt: too large" in result.output
    from search.querying.query import document_count

    assert document_count(tmp_path / "ix") == 1


def test_page_over_the_time_limit_is_skipped(tmp_path: Path):
    from search.indexing.workers import Limits, clean_one
    from search.records import Page

    # A page big enough that cleaning it cannot finish in a millisecond.
    page = Page(id="slow.html", path="slow.html", kind="html",
                content="<div>" + "<p>" + PROSE * 3 + "</p>" * 1 + "</div>" * 1 + ("<p>" + PROSE + "</p>") * 3000)
    result = clean_one(page, None, Limits(page_seconds=0.001))
    assert "took longer than" in result.reason
