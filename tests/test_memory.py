"""What a searcher holds in memory does not grow with the index's size on disk."""

from __future__ import annotations

import random
import string
import tracemalloc
from pathlib import Path

from search.indexing.index import build_index
from search.querying.live import LiveSearcher
from search.querying.query import search_index


def write_wordy_corpus(root: Path, pages: int, words: int) -> list[str]:
    """Plain-text pages of made-up words (many distinct terms, so the segment's files are large); the words."""
    rnd = random.Random(7)
    vocabulary = ["".join(rnd.choices(string.ascii_lowercase, k=rnd.randint(5, 10))) for _ in range(3000)]
    for n in range(pages):
        text = " ".join(rnd.choice(vocabulary) for _ in range(words))
        (root / f"page-{n:04d}.txt").write_text(f"Report number {n}\n\n{text}.\n", encoding="utf-8")
    return vocabulary


def test_a_searcher_reads_segments_without_copying_them(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    vocabulary = write_wordy_corpus(corpus, pages=400, words=2000)
    build_index(corpus, index)
    on_disk = sum(p.stat().st_size for p in index.glob("*.seg"))
    assert on_disk > 4_000_000  # large enough that a copy of it would dwarf what a query needs

    search_index(LiveSearcher(index).get(), vocabulary[2])  # imports and first-use caches, not traced
    tracemalloc.start()
    try:
        live = LiveSearcher(index)
        found = search_index(live.get(), f"{vocabulary[0]} {vocabulary[1]}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found.total > 0
    # Whoosh's memory-mapped reading copies each segment's terms and postings into memory whole.
    assert peak < on_disk / 3, f"{peak} bytes traced opening a searcher over {on_disk} bytes of segments"
