"""Match sets: which documents a query matches, without scoring them, and what a searcher remembers.

A searcher sees one committed generation, so whatever is derived from it (a column read
whole, a common word's documents) stays true for the searcher's life and is kept on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from whoosh.query import Or, Query, Term
from whoosh.searching import Searcher

T = TypeVar("T")
MAX_CACHED_POSTINGS = 2_000_000  # document numbers a searcher keeps for the words it was asked
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


def live_docs(searcher: Searcher) -> set[int]:
    """Every document number of the generation that is not deleted (columns hold deleted ones too)."""
    return remembered(searcher, "live", lambda: set(searcher.reader().all_doc_ids()))


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


def term_docs(searcher: Searcher, fieldname: str, text: str | bytes) -> frozenset[int]:
    """The documents holding a term, remembered while the searcher holds fewer than MAX_CACHED_POSTINGS."""
    cache = searcher.__dict__.setdefault("_term_docs", {})
    key = (fieldname, text)
    if key not in cache:
        reader = searcher.reader()
        docs = frozenset(reader.postings(fieldname, text).all_ids()) if (fieldname, text) in reader else frozenset()
        held = searcher.__dict__.get("_term_docs_held", 0) + len(docs)
        if held > MAX_CACHED_POSTINGS:
            cache.clear()
            held = len(docs)
        searcher.__dict__["_term_docs_held"] = held
        cache[key] = docs
    return cache[key]


def plain_terms(query: Query) -> list[Term] | None:
    """The terms of a query that is a term or an any-of of terms (nested), else None."""
    if isinstance(query, Term):
        return [query]
    if isinstance(query, Or):
        terms = []
        for sub in query.subqueries:
            found = plain_terms(sub)
            if found is None:
                return None
            terms.extend(found)
        return terms
    return None


def matching_docs(searcher: Searcher, query: Query, allowed: set[int] | None = None) -> set[int]:
    """Every document number the query matches (and among `allowed`, when given), unscored."""
    terms = plain_terms(query)
    if terms is not None:
        # The common case, free words: a union of remembered posting sets, far cheaper than
        # walking Whoosh's union matcher document by document.
        docs: set[int] = set()
        for term in terms:
            docs |= term_docs(searcher, term.fieldname, term.text)
    else:
        docs = set(searcher.docs_for_query(query))
    if allowed is not None:
        docs &= allowed
    return docs
