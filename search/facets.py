"""Facets: how many of a query's matches fall on each site and in each year."""

from __future__ import annotations

from whoosh.searching import Results

FACET_FIELDS = {"site": "sitekey", "year": "year"}  # facet name -> the index field it counts
MAX_FACET_VALUES = 20


def count_facets(results: Results) -> dict:
    """Per-facet (value, count) pairs of a result set: most common sites first, years newest first."""
    facets = {}
    for name in FACET_FIELDS:
        counts = [(k, n) for k, n in results.groups(name).items() if k]
        if name == "year":
            counts.sort(key=lambda kv: kv[0], reverse=True)
        else:
            counts.sort(key=lambda kv: (-kv[1], kv[0]))
        facets[name] = tuple(counts[:MAX_FACET_VALUES])
    return facets
