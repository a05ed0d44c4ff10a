"""Querying: rank, filter, group duplicates, page, snippet and suggest spellings (parsing.py parses)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from whoosh.query import Every, Query

from ..analysis import resemblance
from ..analysis.languages import text_direction
from ..errors import QueryError
from ..indexing import open_index, saved_blocks, source_state, unpack_removed
from ..records import Block, Hit, Related
from .facets import MatchCounter, count_facets
from .filters import Filters, date_limits, extract_syntax, filtered_docs, syntax_parts
from .highlight import make_snippet, mark_text
from .parsing import MAX_QUERY_CHARS, parse_query, query_terms, rank_query
from .ranking import explain_hit, matching_docs
from .similar import NEAR_DUPLICATE, near_duplicates, similar_documents
from .snapshot import Snapshot
from .suggest import suggest_spelling
from .timeline import Timeline, check_interval, count_timeline

MAX_PER_PAGE = 100
# The deepest page served: enough for anyone paging by hand, and it bounds the work a request
# can ask for (page * per_page hits ranked) with a limit a schema can state.
MAX_PAGE = 1000
MAX_REMEMBERED_RELATED = 50_000  # documents a snapshot keeps as listed beside others


@dataclass(frozen=True)
class SearchResults:
    """One page of ranked hits for a query, with the total and a spelling suggestion."""

    query: str
    total: int
    page: int
    per_page: int
    hits: tuple[Hit, ...]
    suggestion: str | None
    took_ms: float
    filters: Filters = Filters()
    facets: dict = field(default_factory=dict)  # {"site": ((value, count), ...), "year": ...}
    has_next: bool = False
    timeline: Timeline | None = None  # matches per period, counted over the same match set as total and facets

    @property
    def pages(self) -> int:
        """How many pages the whole result set spans."""
        return max(1, -(-self.total // self.per_page))

    def as_json(self) -> dict:
        """The results in the JSON API's shape (the web layer adds the hits' urls)."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "took_ms": round(self.took_ms, 2),
            "suggestion": self.suggestion,
            "hits": [h.as_json() for h in self.hits],
            "filters": {"site": list(self.filters.sites), "from": self.filters.date_from,
                        "to": self.filters.date_to, "sort": self.filters.sort, "lang": list(self.filters.langs)},
            "facets": {name: [{"value": v, "count": c} for v, c in counts] for name, counts in self.facets.items()},
            "histogram": self.timeline.as_json() if self.timeline else [],
            "interval": self.timeline.interval if self.timeline else "",
            "undated": self.timeline.undated if self.timeline else 0,
        }


def check_paging(page: int, per_page: int) -> None:
    """Raise QueryError when page or per_page is out of range."""
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}; narrow the query to reach deeper results")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}")


def stored_date(stored: dict) -> str | None:
    """A stored document's date as YYYY-MM-DD, or None."""
    date = stored.get("date")
    return date.date().isoformat() if date else None


def related(snapshot: Snapshot, docnum: int) -> Related:
    """A document as listed beside another (remembered per snapshot: a story's copies are listed
    under every hit of it, and reading one loads its whole stored text)."""
    def read() -> Related:
        stored = snapshot.stored_fields(docnum)
        return Related(id=stored["id"], title=stored.get("title") or stored["id"], date=stored_date(stored),
                       site=stored.get("site") or None, source_url=stored.get("url"))
    return snapshot.remember("related", docnum, read, MAX_REMEMBERED_RELATED)


def ranked_docs(snapshot: Snapshot, query: Query, words: str, filters: Filters, matched: np.ndarray,
                limit: int) -> tuple[list[tuple[int, float]], Query]:
    """The first `limit` (document number, score) pairs in the order asked for, and the query as scored.

    `matched` is every document the query and filters let through, in order (for the orders by date).
    """
    if filters.sort == "relevance":
        return rank_query(snapshot, query, words, filtered_docs(snapshot, filters), limit, filters.analysis_keys)
    # By date from the columns, undated pages last either way; equal dates in index order.
    # Sorted by date, hits carry no relevance score.
    dates = snapshot.date_numbers()[matched]
    dated = matched[dates >= 0]
    when = dates[dates >= 0]
    key = -when if filters.sort == "newest" else when
    if len(key) > limit:
        # Only pages dated at least as early (late) as the limit-th can be listed; ties all come along.
        keep = key <= np.partition(key, limit - 1)[limit - 1]
        dated, key = dated[keep], key[keep]
    order = np.lexsort((dated, key))
    listed = np.concatenate((dated[order][:limit], matched[dates < 0][:limit]))[:limit]
    return [(d, 0.0) for d in listed.tolist()], query


def group_ranked(snapshot: Snapshot, query: Query, words: str, filters: Filters, matched: np.ndarray,
                 wanted: int) -> tuple[list[tuple[int, float]], Query]:
    """The ranked documents with near-duplicates folded into the first of them, and the query as scored.

    Reads ranked hits in growing windows until `wanted` leaders are found or the matches run out.
    """
    limit = max(2 * wanted, 20)
    while True:
        ranked, scored = ranked_docs(snapshot, query, words, filters, matched, limit)
        leaders: list[tuple[int, float]] = []
        sketches: list[tuple] = []
        holding: dict[int, list[int]] = {}  # sketch hash -> leaders whose sketch holds it
        for docnum, score in ranked:
            signature = snapshot.sketch(docnum)
            # Only leaders sharing a hash with this sketch can resemble it.
            candidates = {i for h in signature for i in holding.get(h, ())}
            if any(resemblance(signature, sketches[i]) >= NEAR_DUPLICATE for i in candidates):
                continue
            for h in signature:
                holding.setdefault(h, []).append(len(leaders))
            leaders.append((docnum, score))
            sketches.append(signature)
            if len(leaders) >= wanted:
                return leaders, scored
        if len(ranked) < limit or limit >= 2 * MAX_PAGE * MAX_PER_PAGE:
            return leaders, scored
        limit *= 4


def corrected_query(snapshot: Snapshot, text: str, words: str, keys: tuple[str, ...] | None = None) -> str | None:
    """The spelling suggestion for the query's words, with its site:, date: and lang: parts kept as typed."""
    suggestion = suggest_spelling(snapshot, words, keys) if words else None
    if suggestion is None:
        return None
    return " ".join([suggestion, *syntax_parts(text)])


def search_index(snapshot: Snapshot, text: str, page: int = 1, per_page: int = 10,
                 filters: Filters | None = None, explain: bool = False, facets: bool = True,
                 interval: str = "auto") -> SearchResults:
    """Run a query and return one page of ranked hits with marked snippets, facets, the timeline (its
    periods a day, month or year: `interval`) and grouped duplicates; facets=False leaves out both counts."""
    started = time.perf_counter()
    check_paging(page, per_page)
    check_interval(interval)
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    words, filters = extract_syntax(text.strip(), filters or Filters())
    if not words and not filters.active:
        raise QueryError("the query is empty: type a few words to search for")
    # Filters alone (site:news.az) list every page they let through.
    query = parse_query(snapshot, words, filters.analysis_keys) if words else Every()
    terms = query_terms(query)  # the words typed are marked, not the feedback words
    matched = matching_docs(snapshot, query, filtered_docs(snapshot, filters))
    leaders, scored = group_ranked(snapshot, query, words, filters, matched, page * per_page + 1)
    counter = MatchCounter(snapshot, matched) if facets else None
    hits = []
    for docnum, score in leaders[(page - 1) * per_page: page * per_page]:
        stored = snapshot.stored_fields(docnum)
        hits.append(Hit(
            id=stored["id"],
            title=stored.get("title") or stored["id"],
            date=stored_date(stored),
            site=stored.get("site") or None,
            source_url=stored.get("url"),
            score=score,
            snippet=make_snippet(stored.get("body", ""), terms, snapshot.word_terms(stored.get("lang"))),
            also_at=tuple(related(snapshot, d) for d in near_duplicates(snapshot, docnum)),
            explanation=explain_hit(snapshot, query, scored, docnum) if explain else None,
            lang=stored.get("lang") or None,
        ))
    return SearchResults(
        query=text.strip(),
        total=len(matched),
        page=page,
        per_page=per_page,
        hits=tuple(hits),
        suggestion=corrected_query(snapshot, text, words, filters.analysis_keys),
        took_ms=(time.perf_counter() - started) * 1000,
        filters=filters,
        facets=count_facets(counter) if counter else {},
        has_next=len(leaders) > page * per_page,
        timeline=count_timeline(counter, interval, *date_limits(filters)) if counter else None,
    )


@dataclass(frozen=True)
class DocumentView:
    """A stored document prepared for display, its paragraphs marked for a query when given."""

    id: str
    title: str
    date: str | None
    site: str | None
    source_url: str | None
    path: str | None
    paragraphs: tuple[str, ...]  # HTML: escaped text, matches in <mark>
    also_at: tuple[Related, ...] = ()  # near-duplicates: the same text elsewhere
    similar: tuple[Related, ...] = ()  # other articles on the same subject
    source: str | None = None  # provenance: the corpus file it came from
    record: str | None = None  # provenance: WARC record offset or JSON Lines line in that file
    fetched: str | None = None  # provenance: when the crawler fetched it
    blocks: tuple[Block, ...] = ()  # the page as saved, block by block, the removed ones with their reasons
    source_state: str = "unknown"  # the source file since indexing: "same", "changed", "gone" or "unknown"
    lang: str | None = None  # the language it is written in (ISO 639-1), when known

    @property
    def direction(self) -> str:
        """The direction its text is written in: "rtl", "ltr" or "auto" (HTML's dir)."""
        return text_direction(self.lang)


def fetch_document(snapshot: Snapshot, doc_id: str, highlight_query: str = "",
                   corpus_dir: Path | None = None) -> DocumentView | None:
    """The stored document with this id, or None; paragraphs marked with the query's terms, and
    whether its source file in corpus_dir is still as indexed (when corpus_dir is given)."""
    docnum = snapshot.searcher.document_number(id=doc_id)
    if docnum is None:
        return None
    stored = snapshot.stored_fields(docnum)
    terms = frozenset()
    lang = stored.get("lang") or None
    if highlight_query.strip() and len(highlight_query) <= MAX_QUERY_CHARS:
        words, _ = extract_syntax(highlight_query, Filters())
        terms = query_terms(parse_query(snapshot, words)) if words else frozenset()
    word_terms = snapshot.word_terms(lang)
    return DocumentView(
        id=stored["id"],
        title=stored.get("title") or stored["id"],
        date=stored_date(stored),
        site=stored.get("site") or None,
        source_url=stored.get("url"),
        path=stored.get("path"),
        paragraphs=tuple(mark_text(p, terms, word_terms) for p in stored.get("body", "").split("\n\n") if p),
        also_at=tuple(related(snapshot, d) for d in near_duplicates(snapshot, docnum)),
        similar=tuple(related(snapshot, d) for d in similar_documents(snapshot, docnum)),
        source=stored.get("source"),
        record=stored.get("record"),
        fetched=stored.get("fetched"),
        blocks=saved_blocks(stored.get("body", ""), unpack_removed(stored.get("removed"))),
        source_state=source_state(corpus_dir, stored.get("source"), stored.get("digest")),
        lang=lang,
    )


def document_count(index_dir: Path) -> int:
    """How many documents the index's latest generation holds."""
    return open_index(index_dir).doc_count()
