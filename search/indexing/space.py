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
# Index bytes written per corpus byte cleaned, by the form of the page file, when the index there
# gives no measure of its own: the largest seen over the sets of ../shared/data (bench/space.py).
# A text page is nearly all text; an HTML page's markup is most of its bytes and never indexed.
INDEX_PER_CORPUS_BYTE = {"text": 7.0, "jsonl": 7.0, "html": 0.5, "warc": 0.5}
# What a commit holds on disk at its peak, per byte of the segment it leaves: the segment's own files,
# their copy into the compound file, the postings copy and its temporary arrays (bench/space.py).
PEAK_PER_SEGMENT_BYTE = 1.9
FIXED_BYTES = 256 * 1024  # a TOC (the schema, pickled), JSON files, an empty segment's tables


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


def estimate_need(index_dir: Path, clean_bytes: dict[str, int], indexed_corpus_bytes: int, full: bool,
                  min_free_mb: float) -> SpaceNeed:
    """What a reindex cleaning pages of these sizes (bytes by page form) will write at its peak, against
    the free space.

    The ratio of index to corpus is the current index's own when it gives one (indexed_corpus_bytes:
    the bytes of the pages it was built from), else INDEX_PER_CORPUS_BYTE by form. An incremental
    reindex may merge the index's smaller segments into its new one: all but the largest are
    counted as rewritten.
    """
    index_dir = Path(index_dir)
    on_disk = segment_bytes(index_dir)
    sizes = sorted((os.stat(index_dir / n).st_size for n in os.listdir(index_dir) if n.endswith(".seg")),
                   reverse=True)
    if indexed_corpus_bytes > 0 and on_disk > 0:
        cleaned = sum(clean_bytes.values()) * on_disk / indexed_corpus_bytes
    else:
        cleaned = sum(size * INDEX_PER_CORPUS_BYTE.get(form, max(INDEX_PER_CORPUS_BYTE.values()))
                      for form, size in clean_bytes.items())
    new_segment = cleaned + (0 if full else sum(sizes[1:]))
    write = int(new_segment * PEAK_PER_SEGMENT_BYTE) + FIXED_BYTES
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
