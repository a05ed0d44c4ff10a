"""The snapshot a long-running process uses: opened anew when a reindex commits, repeated answers remembered."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from whoosh.index import Index

from ..errors import IndexMissingError
from ..indexing.check import faults_named, raise_if_damaged
from ..indexing.faults import generation_key
from ..indexing.store import open_index
from .filters import Filters
from .query import SearchResults, search_index
from .resultcache import SharedResults
from .scoring import BM25
from .snapshot import Snapshot

CACHED_RESULTS = 2000  # result pages a server process remembers (a few KB each)


class LiveSearcher:
    """One snapshot per thread, opened anew only when a reindex has committed a new generation.

    Whoosh's searchers read their files through shared file positions, so one searcher must
    not serve two threads at once: where a server runs threads, each thread gets its own.
    """

    def __init__(self, index_dir: Path, cached_results: int = CACHED_RESULTS, shared: SharedResults | None = None):
        self.index_dir = Path(index_dir)
        self.shared = shared  # result pages shared with the server's other worker processes
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._local = threading.local()
        self._results: OrderedDict[tuple, SearchResults] = OrderedDict()
        self._cached_results = cached_results
        self.cache_hits = self.cache_misses = 0

    def get(self) -> Snapshot:
        """The current snapshot; a new one when the index's generation has changed since the last call."""
        with self._lock:
            if self._index is None:
                self._index = open_index(self.index_dir)
        # Cheap: a directory listing and a stat, no file is opened. The TOC's inode and time tell a
        # folder deleted and built again, or replaced, from the generation it had.
        with faults_named(self.index_dir):
            key = generation_key(self.index_dir)
        local = self._local
        if key is None:
            raise IndexMissingError(f"no index at {self.index_dir}: run `search reindex` to build it")
        if getattr(local, "key", None) != key:
            local.key = None  # until a snapshot of this generation is open: a failed open is tried again
            raise_if_damaged(self.index_dir)
            with faults_named(self.index_dir):
                # Never Searcher.refresh(): a fresh searcher sees exactly one committed generation.
                # The old one closes when the last request holding it lets go of it.
                local.snapshot = Snapshot(self._index.searcher(weighting=BM25()))
            local.key, local.generation = key, key[0]
        return local.snapshot

    def search(self, text: str, page: int = 1, per_page: int = 10, filters: Filters | None = None,
               explain: bool = False, facets: bool = True, interval: str = "auto") -> SearchResults:
        """search_index on the current snapshot, a repeated request answered from memory.

        Results are remembered per generation (the key holds it), so a reindex never serves
        stale hits; the oldest are forgotten first.
        """
        started = time.perf_counter()
        snapshot = self.get()
        key = (self._local.key, text, page, per_page, filters, explain, facets, interval)
        with self._lock:
            found = self._results.get(key)
            if found is not None:
                self._results.move_to_end(key)
                self.cache_hits += 1
        if found is None and self.shared is not None:
            found = self.shared.get(key)
            if found is not None:
                self._remember(key, found)
        if found is not None:
            return replace(found, took_ms=(time.perf_counter() - started) * 1000)
        with faults_named(self.index_dir):
            found = search_index(snapshot, text, page, per_page, filters, explain=explain, facets=facets,
                                 interval=interval)
        if self.shared is not None:
            self.shared.put(key, found)
        self._remember(key, found, missed=True)
        return found

    def _remember(self, key: tuple, found: SearchResults, missed: bool = False) -> None:
        with self._lock:
            self.cache_misses += missed
            if self._results and next(reversed(self._results))[0] != key[0]:
                self._results.clear()  # a new generation: the old one's pages are dead weight
            self._results[key] = found
            while len(self._results) > self._cached_results:
                self._results.popitem(last=False)
