"""Match sets: which documents a query matches, without scoring them, and what a searcher remembers.

A searcher sees one committed generation, so whatever is derived from it (a column read
whole, a common word's documents) stays true for the searcher's life and is kept on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
from whoosh.query import Or, Phrase, Query, Term
from whoosh.searching import Searcher

from ..indexing.postings import PostingsCopy, open_copy

T = TypeVar("T")
MAX_CACHED_POSTINGS = 8_000_000  # postings (8 bytes each) a searcher keeps for the words it was asked
MAX_REMEMBERED = 200  # derived values a searcher keeps: columns, filters' document sets


def remembered(searcher: Searcher, key, make: Callable[[], T], shelf: str = "derived",
               limit: int = MAX_REMEMBERED) -> T:
    """A value derived from the searcher's generation, made once per searcher and kept on one of
    its shelves (one per kind of value) with the last `limit` others: keys may come from users."""
    memo = searcher.__dict__.setdefault("_shelf_" + shelf, {})
    if key not in memo:
        if len(memo) >= limit:
            memo.pop(next(iter(memo)))
        memo[key] = make()
    return memo[key]


def live_docs(searcher: Searcher) -> np.ndarray:
    """Every document number of the generation that is not deleted (columns hold deleted ones too), in order."""
    return remembered(searcher, "live", lambda: np.fromiter(searcher.reader().all_doc_ids(), dtype=np.int64))


def column_values(searcher: Searcher, fieldname: str, raw: bool = False) -> list:
    """A sortable field's value for every document number, read once per searcher; `raw` keeps the
    stored form (a date as an orderable number, where an undated page's filler is no valid date).

    Opening a variable-length column reads an offset for every document: per lookup that
    would cost as much as the lookup's whole query.
    """
    def read() -> list:
        reader = searcher.reader()
        column = reader.column_reader(fieldname, translate=not raw)
        return list(column) if reader.doc_count_all() else []
    return remembered(searcher, f"column:{fieldname}:{raw}", read)


def column_codes(searcher: Searcher, fieldname: str) -> tuple[tuple[str, ...], np.ndarray]:
    """A text column's distinct values and each document's index into them, read once per
    searcher: match sets are then counted and filtered as arrays."""
    def read() -> tuple[tuple[str, ...], np.ndarray]:
        # Coded on the stored bytes, and only the distinct values decoded: decoding every document's
        # value was half the cost of a searcher's first faceted query.
        values = column_values(searcher, fieldname, raw=True)
        index: dict[bytes, int] = {}
        codes = np.fromiter((index.setdefault(v or b"", len(index)) for v in values), dtype=np.int64,
                            count=len(values))
        field = searcher.schema[fieldname]
        return tuple(field.from_column_value(v) if v else "" for v in index), codes
    return remembered(searcher, f"codes:{fieldname}", read)


def date_numbers(searcher: Searcher) -> np.ndarray:
    """Every document's date as an orderable number (the stored form), -1 where it has none."""
    def read() -> np.ndarray:
        years = column_values(searcher, "year", raw=True)  # only whether there is one
        return np.array([d if y else -1 for d, y in zip(column_values(searcher, "date", raw=True), years, strict=True)],
                        dtype=np.int64)
    return remembered(searcher, "dates", read)


def term_postings(searcher: Searcher, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's (document numbers, weights) as arrays, remembered per searcher up to
    MAX_CACHED_POSTINGS postings, the least recently asked words forgotten first: scoring and set
    operations then run over whole arrays, and a common word is read from the index once."""
    cache = searcher.__dict__.setdefault("_term_postings", {})
    key = (fieldname, text)
    found = cache.pop(key, None)
    if found is None:
        found = read_postings(searcher, fieldname, text)
        held = searcher.__dict__.get("_term_postings_held", 0) + len(found[0])
        while held > MAX_CACHED_POSTINGS and cache:
            held -= len(cache.pop(next(iter(cache)))[0])
        searcher.__dict__["_term_postings_held"] = held
    cache[key] = found  # the most recently asked last
    return found


def segment_copies(searcher: Searcher) -> list[tuple[PostingsCopy | None, int]]:
    """Each segment's positions-free postings copy (None where it has none) with its first document number."""
    return remembered(searcher, "copies", lambda: [(open_copy(leaf), offset)
                                                   for leaf, offset in searcher.reader().leaf_readers()])


def read_postings(searcher: Searcher, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
    """A term's (document numbers, weights) over the live documents of every segment, in order."""
    term = text.encode("utf-8") if isinstance(text, str) else text
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for (leaf, offset), (copy, _) in zip(searcher.reader().leaf_readers(), segment_copies(searcher), strict=True):
        if copy is not None and copy.has_field(fieldname):
            leaf_docs, leaf_weights = copy.postings(fieldname, term)
        elif (fieldname, text) in leaf:
            matcher = leaf.postings(fieldname, text)
            leaf_docs, leaf_weights = read_matcher(getattr(matcher, "child", matcher))
        else:
            continue
        # Deleted documents are dropped below, from the live set, rather than one at a time.
        docs.append(np.asarray(leaf_docs, dtype=np.int32) + np.int32(offset))
        # Whoosh keeps weights as 32-bit floats: nothing is lost.
        weights.append(np.asarray(leaf_weights, dtype=np.float32))
    found = ((np.concatenate(docs), np.concatenate(weights)) if docs
             else (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)))
    if searcher.reader().has_deletions():
        keep = np.isin(found[0], live_docs(searcher), assume_unique=True)
        found = found[0][keep], found[1][keep]
    return found


def phrase_docs(searcher: Searcher, fieldname: str, words: list[bytes]) -> np.ndarray | None:
    """The live documents holding the words side by side in this order (a phrase with slop 1, as
    Whoosh matches it), from the segments' copied positions; None where a segment has none."""
    copies = segment_copies(searcher)
    if not all(copy is not None and copy.has_positions() and copy.has_field(fieldname) for copy, _ in copies):
        return None
    found = []
    for copy, offset in copies:
        # Candidates first: the documents holding every word, rarest word first.
        postings = sorted((copy.postings(fieldname, word)[0] for word in words), key=len)
        docs = postings[0]
        for other in postings[1:]:
            docs = docs[contains(other, docs)]
        keys = copy.positions(fieldname, words[0], docs)
        read = {words[0]: keys}  # a word the phrase repeats ("dlrs dlrs") is read once
        for distance, word in enumerate(words[1:], 1):
            if not len(keys):
                break
            if word not in read:
                read[word] = copy.positions(fieldname, word, np.unique(keys >> 32))
            # keys are document << 32 | position: the next word must sit `distance` places on.
            keys = keys[contains(read[word], keys + distance)]
        found.append((np.unique(keys >> 32) + offset).astype(np.int64))
    docs = np.concatenate([np.zeros(0, dtype=np.int64), *found])
    if searcher.reader().has_deletions():
        docs = docs[np.isin(docs, live_docs(searcher), assume_unique=True)]
    return docs


def contains(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Which of the values are in an ordered array (a mask), by binary search: cheaper than a set
    operation when the values are few and the array long."""
    at = np.searchsorted(ordered, values)
    inside = at < len(ordered)
    mask = np.zeros(len(values), dtype=bool)
    mask[inside] = ordered[at[inside]] == values[inside]
    return mask


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


def field_lengths(searcher: Searcher, fieldname: str) -> np.ndarray:
    """Every document's length in a field as the index stores it (rounded as BM25 reads it), read once per searcher."""
    def read() -> np.ndarray:
        reader = searcher.reader()
        copies = segment_copies(searcher)
        if all(copy is not None and copy.lengths(fieldname) is not None for copy, _ in copies):
            return np.concatenate([np.zeros(0), *(copy.lengths(fieldname) for copy, _ in copies)]).astype(np.float64)
        return np.array([reader.doc_field_length(d, fieldname, 0) for d in range(reader.doc_count_all())],
                        dtype=np.float64)
    return remembered(searcher, f"lengths:{fieldname}", read)


def plain_leaves(query: Query, boost: float = 1.0) -> list[tuple[Term | Phrase, float]] | None:
    """The leaves of a query that is a term, an exact phrase or an any-of of them (nested), each
    with the boost its score is multiplied by, else None."""
    if type(query) is Term:  # not its subclasses (fuzzy terms, variations): they expand to several
        return [(query, boost * query.boost)]
    if type(query) is Phrase and query.slop == 1 and len(query.words) >= 2:
        return [(query, boost * query.boost)]
    if type(query) is Or and query.scale is None and not query.minmatch:
        terms = []
        for sub in query.subqueries:
            found = plain_leaves(sub, boost * query.boost)
            if found is None:
                return None
            terms.extend(found)
        return terms
    return None
