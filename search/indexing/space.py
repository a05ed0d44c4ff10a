"""The free-space check a reindex makes before it writes: what it will write, estimated from the pages it
cleans and the index there now, against the disk's free space less a headroom (as Elasticsearch refuses
writes at a disk watermark, before the disk is full)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutOfSpaceError
from .faults import SEGMENT_NAME

MIN_FREE_MB = 100  # headroom left free on the index's disk for everything else, by default
# What a page costs the index: bytes a page (its columns, sketch and id terms, stored fields) and
# bytes a corpus byte by the form of its file (long HTML pages hold long articles; a text page's
# length adds nothing the per-page cost does not cover on these sets). The costs covering every set
# of ../shared/data with the least overestimate (bench/space.py: text and HTML pages of the generated
# corpus, dragnet, readability_mozilla, big9_dev, cleanportaleval). JSON Lines and WARC files hold
# many pages each: their bytes are charged at the HTML rate, and each record as a page.
INDEX_BYTES_PER_PAGE = 19_000
INDEX_PER_CORPUS_BYTE = {"text": 0.0, "html": 0.2, "jsonl": 0.2, "warc": 0.2}
# What a commit holds on disk at its peak, per byte of the segment it leaves: the segment's own files,
# then their copy into the compound file, and the postings copy (the largest seen, 1.80: bench/space.py).
PEAK_PER_SEGMENT_BYTE = 1.81
FIXED_BYTES = 256 * 1024  # a TOC (the schema, pickled), the generation's record, an empty segment's tables
REWRITTEN_FILES = ("templates.json", "search-meta.json", "last-reindex.json")  # old and new side by side a moment


@dataclass(frozen=True)
class SpaceNeed:
    """What a reindex expects to write, and what the disk has."""

    write_bytes: int
    free_bytes: int
    min_free_bytes: int

    @property
    def enough(self) -> bool:
        """Whether the disk holds the writes and keeps its headroom."""
        return self.free_bytes - self.write_bytes >= self.min_free_bytes


def segment_bytes(index_dir: Path) -> int:
    """Bytes the index's segment files take now."""
    total = 0
    for name in os.listdir(index_dir):
        if SEGMENT_NAME.match(name):
            try:
                total += os.stat(Path(index_dir) / name).st_size
            except FileNotFoundError:
                continue
    return total


def predict_index_bytes(pages: int, corpus_bytes: dict[str, int]) -> float:
    """The bytes a segment of these pages takes (their count, their bytes by page form), by the measured costs."""
    top = max(INDEX_PER_CORPUS_BYTE.values())
    return pages * INDEX_BYTES_PER_PAGE + sum(size * INDEX_PER_CORPUS_BYTE.get(form, top)
                                              for form, size in corpus_bytes.items())


def estimate_need(index_dir: Path, clean_pages: int, clean_bytes: dict[str, int], indexed_corpus_bytes: int,
                  full: bool, min_free_mb: float) -> SpaceNeed:
    """What a reindex cleaning these pages (their count, their bytes by page form) will write at its peak,
    against the free space.

    The ratio of index to corpus is the current index's own when it gives one (indexed_corpus_bytes:
    the bytes of the pages it was built from), else the costs measured on ../shared/data. An incremental
    reindex may merge the index's smaller segments into its new one: all but the largest are
    counted as rewritten.
    """
    index_dir = Path(index_dir)
    on_disk = segment_bytes(index_dir)
    sizes = sorted((os.stat(index_dir / n).st_size for n in os.listdir(index_dir) if n.endswith(".seg")),
                   reverse=True)
    cleaned = predict_index_bytes(clean_pages, clean_bytes)
    if indexed_corpus_bytes > 0 and on_disk > 0:
        # This corpus's own measure, where it asks for more than the costs (pages of much text).
        cleaned = max(cleaned, sum(clean_bytes.values()) * on_disk / indexed_corpus_bytes)
    new_segment = cleaned + (0 if full else sum(sizes[1:]))
    rewritten = sum(os.stat(index_dir / n).st_size for n in REWRITTEN_FILES if (index_dir / n).exists())
    write = int(new_segment * PEAK_PER_SEGMENT_BYTE) + FIXED_BYTES + rewritten
    free = shutil.disk_usage(index_dir).free
    return SpaceNeed(write_bytes=write, free_bytes=free, min_free_bytes=int(min_free_mb * 2**20))


def require_space(need: SpaceNeed, index_dir: Path) -> None:
    """Raise OutOfSpaceError at once, before anything is written, when the disk cannot hold the reindex."""
    if need.enough:
        return
    mb = 2**20
    raise OutOfSpaceError(
        f"not enough free space for this reindex on the disk holding {index_dir}: it needs about "
        f"{need.write_bytes / mb:.1f} MB and keeps {need.min_free_bytes / mb:.0f} MB free, the disk has "
        f"{need.free_bytes / mb:.1f} MB; free space there, move the index (--index), or lower the "
        "headroom (--min-free, SEARCH_MIN_FREE_MB)")
