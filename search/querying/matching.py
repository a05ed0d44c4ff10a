"""Matching helpers over postings: binary-search membership, reading a Whoosh matcher or column whole."""

from __future__ import annotations

import numpy as np
from whoosh.filedb.structfile import BufferFile


def contains(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which of the values are in an ordered array (a mask), by binary search: cheaper than a set
    operation when the values are few and the array long."""
    at = np.searchsorted(ordered, values)
    inside = at < len(ordered)
    mask = np.zeros(len(values), dtype=bool)
    mask[inside] = ordered[at[inside]] == values[inside]
    return mask


def members(values: np.ndarray, ordered: np.ndarray, size: int) -> np.ndarray:
    """Which of the values (document numbers below size) are in an ordered array, as a mask: by binary
    search when they are few against it, else through a mask over every document (a set operation
    sorts both, which at a million documents costs tens of milliseconds)."""
    if len(values) * 16 < len(ordered):
        return contains(ordered, values)
    inside = np.zeros(size, dtype=bool)
    inside[ordered] = True
    return inside[values]


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """The distinct values of an ascending array, in one pass (np.unique sorts again)."""
    if not len(values):
        return values
    first = np.ones(len(values), dtype=bool)
    first[1:] = values[1:] != values[:-1]
    return values[first]


def union_sorted(arrays: list[np.ndarray]) -> np.ndarray:
    """The distinct values of ascending arrays, ascending: a stable sort merges sorted runs in one pass."""
    return unique_sorted(np.sort(np.concatenate([np.zeros(0, dtype=np.int64), *arrays]), kind="stable"))


def read_matcher(matcher) -> tuple[list[int], list[float]]:
    """All (document numbers, weights) of a fresh leaf matcher.

    Whoosh 2.7's on-disk matcher is read a block (up to 128 postings) at a time through its
    block readers, a third quicker than a posting at a time (unpickling the blocks is most of
    the rest); any other matcher (a short posting list kept inline, another Whoosh) is walked
    through the public interface.
    """
    docs: list[int] = []
    weights: list[float] = []
    if all(hasattr(matcher, name) for name in ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights")):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            docs.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
        return docs, weights
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return docs, weights


def read_column(leaf, fieldname: str, translate: bool) -> list:
    """Every value of one segment's column, in document order, its bytes read in one read.

    The index is read through file positions (not mapped), so Whoosh's column readers read a value
    at a time from the file: at a million pages, seconds for a searcher's first faceted query.
    Read whole into memory first, the same readers take each value from a buffer. A reader that
    is not a Whoosh 2.7 segment's is read through its public interface.
    """
    field = leaf.schema[fieldname]
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_get_column_file") or not perdoc.has_column(fieldname):
        return list(leaf.column_reader(fieldname, translate=translate))
    colfile, offset, length = perdoc._get_column_file(fieldname)
    try:
        colfile.seek(offset)
        data = colfile.read(length)
    finally:
        colfile.close()
    values = list(field.column_type.reader(BufferFile(data), 0, length, leaf.doc_count_all()))
    return [field.from_column_value(v) for v in values] if translate else values
