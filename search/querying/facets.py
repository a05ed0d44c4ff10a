"""Facets: how many of a query's matches fall on each site, in each year and in each language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .snapshot import Snapshot

FACET_FIELDS = {"site": "sitekey", "year": "year", "lang": "lang"}  # facet name -> the index field it counts
MAX_FACET_VALUES = 20


def count_facets(snapshot: Snapshot, docs: np.ndarray) -> dict:
    """Per-facet (value, count) pairs of a match set: most common sites first, years newest first."""
    facets = {}
    for name, fieldname in FACET_FIELDS.items():
        values, codes = snapshot.column_codes(fieldname)
        tally = np.bincount(codes[docs], minlength=len(values)).tolist()
        counts = [(k, n) for k, n in zip(values, tally, strict=True) if k and n]
        if name == "year":
            counts.sort(key=lambda kv: kv[0], reverse=True)
        else:
            counts.sort(key=lambda kv: (-kv[1], kv[0]))
        facets[name] = tuple(counts[:MAX_FACET_VALUES])
    return facets
