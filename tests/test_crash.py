"""A reindex killed with SIGKILL at any moment leaves the last complete index, and the next one succeeds."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from search.indexing.index import build_index
from search.querying.snapshot import open_snapshot

PROSE = ("Fishing crews in the northern harbour said catches of cod had fallen for a third year, and asked the "
         "council to fund a study of the colder currents that now reach the bay in early spring. ")


def write_pages(root: Path, count: int, tag: str) -> None:
    for i in range(count):
        folder = root / f"site{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        body = f"{PROSE} Boat number {i} of the {tag} fleet came home late. {PROSE}"
        (folder / f"p{i}.txt").write_text(f"Harbour report {tag} {i}\n{body}\nPage {i} of the {tag} set.\n")


def stored_ids(index_dir: Path) -> list[str]:
    with open_snapshot(index_dir) as snapshot:
        return [f["id"] for f in snapshot.searcher.all_stored_fields()]


def test_sigkill_during_reindex_keeps_the_last_complete_index(tmp_path: Path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    write_pages(corpus, 40, "old")
    build_index(corpus, index_dir)
    old = sorted(stored_ids(index_dir))
    write_pages(corpus, 400, "new")  # the next reindex has more to do: 400 pages
    cli = Path(sys.executable).with_name("search")
    rng = random.Random(20261122)
    for trial in range(4):
        proc = subprocess.Popen([str(cli), "reindex", "--corpus", str(corpus), "--index", str(index_dir)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, 2.5))
        os.killpg(proc.pid, signal.SIGKILL)  # the reindex and any workers it started
        proc.wait()
        ids = sorted(stored_ids(index_dir))
        # Either the previous complete index, or (if the commit landed first) the complete new one.
        assert ids == old or len(ids) == len(set(ids)) == 400, (trial, len(ids))
    report = build_index(corpus, index_dir)  # no manual cleanup: stale locks are gone with the process
    assert report.indexed == 400
    ids = stored_ids(index_dir)
    assert len(ids) == len(set(ids)) == 400
