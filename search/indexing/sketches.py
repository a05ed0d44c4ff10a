"""Each segment's near-duplicate sketches as arrays, kept in its postings copy: by document and by hash.

A document's sketch is the smallest hashes of its shingles (analysis/fingerprints.py). Finding
the documents that share a sketch's hashes through Whoosh opens a posting list per hash (the
sketch field holds tens of millions of terms at a million pages, most held by one document) and
reads every sketch from a column of hex strings: at a million pages, nine in ten milliseconds
of a query went there. Here the segment's (hash, document) pairs are sorted twice, once by hash
(which documents hold a hash: a binary search) and once by document (a document's sketch: a
slice), all mapped from the copy's file like the postings.
"""

from __future__ import annotations

import numpy as np

# The copy's array names for the sketches (postings.py writes and maps them).
BY_HASH, HOLDERS, BY_DOC, STARTS = "sketch:hashes", "sketch:docs", "sketch:rows", "sketch:starts"


def sketch_arrays(hashes: np.ndarray, docs: np.ndarray, doc_count: int) -> list[tuple[str, np.ndarray]]:
    """The copy's sketch arrays from a segment's (hash, document) pairs, in any order."""
    hashes = hashes.astype(np.uint32, copy=False)
    docs = docs.astype(np.int32, copy=False)
    by_hash = np.lexsort((docs, hashes))
    by_doc = np.lexsort((hashes, docs))
    starts = np.zeros(doc_count + 1, dtype=np.int64)
    np.cumsum(np.bincount(docs, minlength=doc_count)[:doc_count], out=starts[1:])
    return [(BY_HASH, hashes[by_hash]), (HOLDERS, docs[by_hash]), (BY_DOC, hashes[by_doc]), (STARTS, starts)]


class SketchTable:
    """One segment's sketches, mapped: a document's hashes, and the documents holding some hashes."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._hashes, self._holders = arrays[BY_HASH], arrays[HOLDERS]
        self._rows, self._starts = arrays[BY_DOC], arrays[STARTS]

    def doc_count(self) -> int:
        """The segment documents the table has a row for (each has one, empty or not)."""
        return len(self._starts) - 1

    def sketch(self, doc: int) -> np.ndarray:
        """A segment document's sketch hashes, ascending (empty for a text too short to have one)."""
        return self._rows[self._starts[doc]:self._starts[doc + 1]]

    def holders(self, hashes: np.ndarray) -> list[np.ndarray]:
        """For each hash, the segment documents whose sketch holds it, ascending."""
        low = np.searchsorted(self._hashes, hashes, side="left")
        high = np.searchsorted(self._hashes, hashes, side="right")
        return [self._holders[a:b] for a, b in zip(low.tolist(), high.tolist(), strict=True)]


def has_sketch_arrays(names: set[str]) -> bool:
    """Whether a copy's arrays include the sketches."""
    return {BY_HASH, HOLDERS, BY_DOC, STARTS} <= names
