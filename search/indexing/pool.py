"""The writer's pool of postings to sort: Whoosh's, spilling sorted runs a batch at a time, and counting
spelling words instead of pooling them."""

from __future__ import annotations

import itertools
import pickle
from collections import Counter
from operator import itemgetter

from whoosh.writing import PostingPool

from .postings import PostingsCopyWriter

RUN_BATCH_POSTINGS = 20_000  # postings pickled together when a run is spilled to disk
POSTING_BYTES = 150  # Whoosh's estimate of a pooled posting's memory, beside its field name, term and value


def sorted_postings(postings: list) -> list:
    """Postings (field, term, docnum, weight, value) in order, as sorted() orders them, in a third of its time.

    A writer adds a term's postings in ascending document order (its own documents, then those of
    segments it merges), so a stable sort of each field's postings by term alone gives the same order
    without comparing whole tuples.
    """
    by_field: dict[str, list] = {}
    for posting in postings:
        by_field.setdefault(posting[0], []).append(posting)
    ordered = []
    for name in sorted(by_field):
        ordered.extend(sorted(by_field[name], key=itemgetter(1)))
    return ordered


class BatchedPostingPool(PostingPool):
    """Whoosh's pool of postings to sort, spilling its sorted runs to disk a batch at a time.

    Whoosh pickles each posting on its own when its memory is full, and unpickles each again to
    merge the runs: at 20,000 pages that was a quarter of the indexing process's time.

    The words of a spelling field (spell_body: the body's words unstemmed) are counted instead of
    pooled. Whoosh adds one posting per document and word, all at document 0, only so that the
    term's frequency counts the documents holding the word: two postings in five at 20,000
    pages, each sorted, spilled and written. One posting a word weighing the count keeps that
    frequency (reader.frequency) and the word list; only the spelling term's doc_frequency
    (its posting count) becomes 1.
    """

    def __init__(self, tempstore, segment, limitmb: int, spelling_fields: frozenset[str] = frozenset(),
                 copy: PostingsCopyWriter | None = None):
        super().__init__(tempstore, segment, limitmb=limitmb)
        self._spelling_fields = spelling_fields
        self._words: Counter = Counter()
        self.copy = copy

    def add(self, item) -> None:
        # item = (fieldname, term bytes, docnum, weight, value bytes)
        if item[0] in self._spelling_fields:
            self._words[item[0], item[1]] += item[3]
            return
        # Whoosh's own estimate of the posting's memory, without its per-posting type checks
        # (the writer's codec checks every posting again as it writes it).
        self.currentsize += POSTING_BYTES + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def save(self) -> None:
        # Whoosh's SortingPool.save, sorting with sorted_postings.
        if self.current:
            path, f = self._new_run()
            self._write_run(f, sorted_postings(self.current))
            self._add_run(path)
            self.current = []
        self.currentsize = 0

    def items(self, maxfiles: int = 128):
        if not self.runs:
            return sorted_postings(self.current)
        return super().items(maxfiles)

    def iter_postings(self):
        for (fieldname, word), count in self._words.items():
            super().add((fieldname, word, 0, count, b""))
        self._words.clear()
        postings = super().iter_postings()
        return self.copy.tee(postings) if self.copy else postings

    def _write_run(self, f, items) -> None:
        items = iter(items)
        while batch := list(itertools.islice(items, RUN_BATCH_POSTINGS)):
            pickle.dump(batch, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str):
        f = self._open_run(path)
        try:
            while True:
                try:
                    batch = pickle.load(f)
                except EOFError:
                    return
                yield from batch
        finally:
            f.close()
            self._remove_run(path)


