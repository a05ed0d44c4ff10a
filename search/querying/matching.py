"""Matching helpers over postings: binary-search membership, reading a Whoosh matcher whole, plain query leaves."""

from __future__ import annotations

import numpy as np
from whoosh.query import Or, Phrase, Query, Term


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
