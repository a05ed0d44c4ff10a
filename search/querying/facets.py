"""Facets: how many of a query's matches fall on each site, in each year and in each language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .snapshot import Snapshot

FACET_FIELDS = {"site": "sitekey", "year": "year", "lang": "lang"}  # facet name -> the index field it counts
MAX_FACET_VALUES = 20


class MatchCounter:
    """Counts of a match set by code (a facet's values, a day): over the matches, or, when they are
    most of the index, over the live documents they leave out, taken from every live document's
    counts (a common word matches most of a million pages; what it leaves out is far less)."""

    def __init__(self, snapshot: Snapshot, docs: np.ndarray):
        self.snapshot = snapshot
        live = snapshot.live_docs()
        self.left_out = len(docs) * 2 > len(live)
        if self.left_out:
            others = snapshot.live_mask().copy()
            others[docs] = False
            docs = np.flatnonzero(others)
        self.docs = docs

    def count(self, name: str, codes: np.ndarray, size: int) -> np.ndarray:
        """How many of the matches hold each code (codes: one a document, all below size)."""
        counts = np.bincount(codes[self.docs], minlength=size)
        if not self.left_out:
            return counts
        everyone = self.snapshot.remember("derived", ("live counts", name, size),
                                          lambda: np.bincount(codes[self.snapshot.live_docs()], minlength=size))
        return everyone - counts


def count_facets(counter: MatchCounter) -> dict:
    """Per-facet (value, count) pairs of a match set: most common sites first, years newest first."""
    facets = {}
    for name, fieldname in FACET_FIELDS.items():
        values, codes = counter.snapshot.column_codes(fieldname)
        tally = counter.count(fieldname, codes, len(values)).tolist()
        counts = [(k, n) for k, n in zip(values, tally, strict=True) if k and n]
        if name == "year":
            counts.sort(key=lambda kv: kv[0], reverse=True)
        else:
            counts.sort(key=lambda kv: (-kv[1], kv[0]))
        facets[name] = tuple(counts[:MAX_FACET_VALUES])
    return facets
