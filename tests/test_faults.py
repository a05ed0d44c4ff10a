"""Disk faults met for real: a disk that fills up, a read-only mount, folders and files this user may not
read or write. Each gives a one-line message naming cause and path, exit code 1, nothing half-written
left behind, and the last complete index answering as before."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from search.cli import main
from search.errors import OutOfSpaceError
from search.indexing.index import build_index
from search.querying.snapshot import open_snapshot
from tests.faults import (
    RUN_BUILD,
    expected_files,
    fill_disk,
    give_to_nobody,
    is_one_line_error,
    read_only,
    run_as_nobody,
    shared_folder,
    small_disk,
)
from tests.test_crash import write_pages

DISK_KB = 8192


def stored_ids(index_dir: Path) -> list[str]:
    with open_snapshot(index_dir) as snapshot:
        return sorted(f["id"] for f in snapshot.searcher.all_stored_fields())


def listing(index_dir: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in index_dir.iterdir()}


def test_a_disk_filling_up_during_a_reindex_is_named_and_cleaned_up(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_pages(corpus, 40, "old")
    with small_disk(tmp_path / "disk", DISK_KB) as disk:
        index = disk / "index"
        build_index(corpus, index, min_free_mb=0)
        before, files = stored_ids(index), listing(index)
        write_pages(corpus, 100, "new")  # the disk holds it: the free-space check lets it through
        filled: list[Path] = []

        def fill_once(done: int, total: int) -> None:
            # Another program fills the disk while the reindex runs, after its free-space check.
            if not filled:
                filled.append(fill_disk(disk))

        with pytest.raises(OutOfSpaceError) as raised:
            build_index(corpus, index, min_free_mb=0, progress=fill_once)
        message = str(raised.value)
        assert "no space left" in message and str(index) in message and "\n" not in message
        assert listing(index) == files  # what it wrote is gone; the last complete index is as it was
        assert stored_ids(index) == before
        filled[0].unlink()
        report = build_index(corpus, index, min_free_mb=0)  # no cleaning up by hand
        assert report.indexed == 100 and len(stored_ids(index)) == 100
        assert set(os.listdir(index)) == expected_files(index)


def test_a_reindex_the_disk_cannot_hold_is_refused_before_writing(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_pages(corpus, 40, "old")
    runner = CliRunner()
    with small_disk(tmp_path / "disk", DISK_KB) as disk:
        index = disk / "index"
        assert runner.invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(index),
                                    "--min-free", "0"]).exit_code == 0
        before, files = stored_ids(index), listing(index)
        write_pages(corpus, 600, "new")
        result = runner.invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(index), "--min-free", "0"])
        assert result.exit_code == 1 and is_one_line_error(result.output), result.output
        assert "not enough free space" in result.output and str(index) in result.output
        assert listing(index) == files and stored_ids(index) == before
        # The headroom, from the environment: one page changed is refused too when 10 MB must stay free.
        shutil.rmtree(corpus)
        write_pages(corpus, 40, "old")
        (corpus / "site0" / "p0.txt").write_text("Harbour report\nThe harbour opened again on Monday.\n")
        result = runner.invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(index)],
                               env={"SEARCH_MIN_FREE_MB": "10"})
        assert result.exit_code == 1 and "keeps 10 MB free" in result.output, result.output
        assert stored_ids(index) == before


def test_files_a_killed_reindex_left_are_removed_by_the_next(tmp_path: Path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_pages(corpus, 40, "old")
    build_index(corpus, index)
    write_pages(corpus, 200, "new")
    # The reindex is killed (SIGKILL: no cleanup runs) once its writer has begun the new segment's files.
    kill = ("import os, signal, sys\nfrom search.indexing.index import build_index\n"
            "build_index(sys.argv[1], sys.argv[2], progress=lambda done, total: os.kill(os.getpid(), signal.SIGKILL))")
    proc = subprocess.run([sys.executable, "-c", kill, str(corpus), str(index)], cwd=Path(__file__).parent.parent)
    assert proc.returncode == -signal.SIGKILL
    assert set(os.listdir(index)) - expected_files(index), "the killed reindex left nothing to clean"
    result = CliRunner().invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert set(os.listdir(index)) == expected_files(index)
    assert len(stored_ids(index)) == 200


def test_a_read_only_index_folder_is_named_and_still_answers(tmp_path: Path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    write_pages(corpus, 20, "old")
    build_index(corpus, index)
    before = stored_ids(index)
    write_pages(corpus, 30, "new")
    runner = CliRunner()
    with read_only(index):
        result = runner.invoke(main, ["reindex", "--corpus", str(corpus), "--index", str(index)])
        assert result.exit_code == 1 and is_one_line_error(result.output), result.output
        assert "read-only filesystem" in result.output and str(index) in result.output
        query = runner.invoke(main, ["query", "harbour", "--index", str(index)])
        assert query.exit_code == 0 and "20 results" in query.output, query.output
    assert stored_ids(index) == before


@pytest.mark.parametrize("lock_writable", [False, True])
def test_an_index_folder_this_user_may_not_write_is_named(lock_writable: bool):
    with shared_folder() as root:
        corpus, index = root / "corpus", root / "index"
        write_pages(corpus, 20, "old")
        build_index(corpus, index)
        give_to_nobody(corpus)  # the corpus is the user's; the index is another's
        before = stored_ids(index)
        if lock_writable:
            (index / "MAIN_WRITELOCK").chmod(0o666)  # the lock may be taken; the folder is still not the user's
        result = run_as_nobody("reindex", "--corpus", str(corpus), "--index", str(index))
        assert result.returncode == 1 and is_one_line_error(result.stderr), result.stderr
        assert "permission denied" in result.stderr and str(index) in result.stderr
        assert ("MAIN_WRITELOCK" in result.stderr) != lock_writable, result.stderr
        assert stored_ids(index) == before
        assert set(os.listdir(index)) == expected_files(index)
        query = run_as_nobody("query", "harbour", "--index", str(index))
        assert query.returncode == 0 and "20 results" in query.stdout, query.stderr


def test_corpus_files_and_folders_this_user_may_not_read_are_skipped_and_named():
    with shared_folder() as root:
        corpus, index = root / "corpus", root / "index"
        write_pages(corpus, 24, "old")
        index.mkdir()
        give_to_nobody(root)
        (corpus / "site0" / "p4.txt").chmod(0o000)
        (corpus / "site1").chmod(0o000)
        result = run_as_nobody("reindex", "--corpus", str(corpus), "--index", str(index))
        assert result.returncode == 0, result.stderr
        assert f"{corpus / 'site0' / 'p4.txt'}: Permission denied" in result.stderr
        assert f"{corpus / 'site1'}: folder cannot be read: Permission denied" in result.stderr
        assert "Traceback" not in result.stderr
        (corpus / "site1").chmod(0o755)
        assert len(stored_ids(index)) == 24 - 1 - 6  # site1 held six pages


def test_a_corpus_folder_this_user_may_not_read_leaves_the_index_as_it_was():
    with shared_folder() as root:
        corpus, index = root / "corpus", root / "index"
        write_pages(corpus, 12, "old")
        build_index(corpus, index)
        give_to_nobody(root)
        before = stored_ids(index)
        corpus.chmod(0o000)
        try:
            result = run_as_nobody("reindex", "--corpus", str(corpus), "--index", str(index))
        finally:
            corpus.chmod(0o755)
        # Refused before reading: by the command's own check of its options (a usage error), or by the library.
        assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr
        said = result.stderr
        assert f"{corpus}' is not readable" in said or f"cannot read the corpus folder {corpus}" in said
        assert stored_ids(index) == before
        assert set(os.listdir(index)) == expected_files(index)


def test_a_corpus_root_the_library_may_not_list_is_refused():
    # The library's own check (the command's option check comes first): as the unprivileged user, in a child.
    with shared_folder() as root:
        corpus, index = root / "corpus", root / "index"
        write_pages(corpus, 12, "old")
        build_index(corpus, index)
        give_to_nobody(root)
        before = stored_ids(index)
        corpus.chmod(0o311)  # may be entered, not listed
        try:
            result = run_as_nobody(str(corpus), str(index), code=RUN_BUILD)
        finally:
            corpus.chmod(0o755)
        assert result.returncode == 1 and is_one_line_error(result.stderr), result.stderr
        assert f"cannot read the corpus folder {corpus}" in result.stderr
        assert stored_ids(index) == before


def test_a_rebuild_of_a_damaged_index_that_runs_out_of_space_leaves_the_folder_as_it_was(tmp_path: Path):
    corpus = tmp_path / "corpus"
    write_pages(corpus, 40, "old")
    with small_disk(tmp_path / "disk", DISK_KB) as disk:
        index = disk / "index"
        build_index(corpus, index, min_free_mb=0)
        (toc,) = index.glob("_MAIN_*.toc")
        toc.write_bytes(toc.read_bytes()[:64])  # the TOC is damaged: its segments are no one's to judge
        files = listing(index)
        filled: list[Path] = []
        with pytest.raises(OutOfSpaceError, match="no space left"):
            build_index(corpus, index, full=True, min_free_mb=0,
                        progress=lambda done, total: filled or filled.append(fill_disk(disk)))
        assert listing(index) == files
        filled[0].unlink()
        assert build_index(corpus, index, full=True, min_free_mb=0).indexed == 40
        assert set(os.listdir(index)) == expected_files(index)
