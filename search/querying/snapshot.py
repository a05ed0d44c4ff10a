"""One committed generation of the index, and everything derived from it while it is open.

A Whoosh searcher sees exactly one generation, so whatever is read or computed from it (a
column read whole, a common word's postings, a query's scored matches) stays true for as long
as it is open. A Snapshot owns that searcher and those derived values, bounded, so that query
code asks one object of ours for them and nothing is hung on Whoosh's objects.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh.searching import Searcher

from ..analysis import read_signature
from ..analysis.words import ENGLISH, analysis_key, language_analyzer
from ..indexing import PostingsCopy, open_copy, open_index
from ..indexing.schema import SKETCH_FIELD
from .highlight import WordTerms
from .matching import contains, read_column, read_matcher, unique_sorted
from .scoring import BM25, DEFAULT_WEIGHTS, Weights
from .timeline import day_codes
from .wording import QueryAnalyzer, query_schema

T = TypeVar("T")
MAX_CACHED_POSTINGS = 8_000_000  # postings (8 bytes each) a snapshot keeps for the words it was asked
MAX_REMEMBERED = 200  # derived values a snapshot keeps on one shelf: columns, filters' document sets


class Snapshot:
    """A searcher over one generation, with the columns, postings and answers derived from it."""

    def __init__(self, searcher: Searcher):
        self.searcher = searcher
        self.schema = searcher.schema
        # The terms each word of a text stands for in each analysis, for marking matches: words repeat
        # across snippets.
        self._word_terms: dict[str, WordTerms] = {}
        self._shelves: dict[str, dict] = {}
        self._held: dict[str, int] = {}  # documents held by each shelf of remember_arrays

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the searcher's files; the derived values go with the object."""
        self.searcher.close()

    def remember(self, shelf: str, key: Hashable, make: Callable[[], T], limit: int = MAX_REMEMBERED) -> T:
        """A value derived from the generation, made once and kept on a shelf (one per kind of
        value) with the last `limit` others: keys may come from users, so no shelf grows unbounded."""
        memo = self._shelves.setdefault(shelf, {})
        if key not in memo:
            if len(memo) >= limit:
                memo.pop(next(iter(memo)))
            memo[key] = make()
        return memo[key]

    def word_terms(self, lang: str | None = None) -> WordTerms:
        """The terms each word stands for as a text in this language is analysed (remembered)."""
        key = analysis_key(lang)
        if key not in self._word_terms:
            self._word_terms[key] = WordTerms(language_analyzer(key))
        return self._word_terms[key]

    def analysis_keys(self) -> tuple[str, ...]:
        """The analyses of the languages the index holds, each once, in order: what a query is analysed for."""
        def read() -> tuple[str, ...]:
            values, codes = self.column_codes("lang")
            present = np.unique(codes[self.live_docs()]) if len(codes) else []
            return tuple(sorted({analysis_key(values[c]) for c in present})) or (ENGLISH,)
        return self.remember("derived", "analysis_keys", read)

    def analysed_as(self, keys: frozenset[str]) -> np.ndarray:
        """Whether each document number's text was analysed as one of these analysis keys (its language's)."""
        def read() -> np.ndarray:
            values, codes = self.column_codes("lang")
            if not len(codes):
                return np.zeros(self.doc_count_all(), dtype=bool)
            return np.array([analysis_key(v) in keys for v in values], dtype=bool)[codes]
        return self.remember("derived", ("analysed as", keys), read)

    def query_schema(self, keys: tuple[str, ...]):
        """The schema whose searchable fields analyse a query for these analysis keys."""
        from .ranking import SEARCH_FIELDS

        return self.remember("query_schema", keys, lambda: query_schema(self.schema, SEARCH_FIELDS, keys))

    def query_analyzer(self, keys: tuple[str, ...]) -> QueryAnalyzer:
        """The index's analyzer, analysing a query for these analysis keys."""
        return self.query_schema(keys)["body"].analyzer

    def doc_count(self) -> int:
        """Documents in the generation, deleted ones left out."""
        return self.searcher.doc_count()

    def doc_count_all(self) -> int:
        """Document numbers in the generation, deleted ones included (columns are this long)."""
        return self.searcher.doc_count_all()

    def stored_fields(self, docnum: int) -> dict:
        """A document's stored fields."""
        return self.searcher.stored_fields(docnum)

    def live_docs(self) -> np.ndarray:
        """Every document number that is not deleted (columns hold deleted ones too), in order."""
        return self.remember("derived", "live",
                             lambda: np.fromiter(self.searcher.reader().all_doc_ids(), dtype=np.int64))

    def column_values(self, fieldname: str, raw: bool = False) -> list:
        """A sortable field's value for every document number; `raw` keeps the stored form (a date
        as an orderable number, where an undated page's filler is no valid date).

        Read whole once: opening a variable-length column reads an offset for every document,
        which per lookup would cost as much as the lookup's whole query.
        """
        def read() -> list:
            values: list = []
            reader = self.searcher.reader()
            for leaf, _ in reader.leaf_readers() if reader.doc_count_all() else ():
                values.extend(read_column(leaf, fieldname, translate=not raw))
            return values
        return self.remember("derived", f"column:{fieldname}:{raw}", read)

    def column_codes(self, fieldname: str) -> tuple[tuple[str, ...], np.ndarray]:
        """A text column's distinct values and each document's index into them: match sets are
        then counted and filtered as arrays."""
        def read() -> tuple[tuple[str, ...], np.ndarray]:
            # Coded on the stored bytes, and only the distinct values decoded: decoding every document's
            # value was half the cost of a searcher's first faceted query.
            values = self.column_values(fieldname, raw=True)
            index: dict[bytes, int] = {}
            codes = np.fromiter((index.setdefault(v or b"", len(index)) for v in values), dtype=np.int64,
                                count=len(values))
            field = self.schema[fieldname]
            return tuple(field.from_column_value(v) if v else "" for v in index), codes
        return self.remember("derived", f"codes:{fieldname}", read)

    def date_numbers(self) -> np.ndarray:
        """Every document's date as an orderable number (the stored form), -1 where it has none."""
        def read() -> np.ndarray:
            years = self.column_values("year", raw=True)  # only whether there is one
            dates = self.column_values("date", raw=True)
            return np.array([d if y else -1 for d, y in zip(dates, years, strict=True)], dtype=np.int64)
        return self.remember("derived", "dates", read)

    def day_codes(self) -> tuple[int | None, np.ndarray, int]:
        """Every document's date as the timeline counts it (timeline.day_codes)."""
        return self.remember("derived", "day codes", lambda: day_codes(self.date_numbers()))

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length in a field as the index stores it (rounded as BM25 reads it)."""
        def read() -> np.ndarray:
            copies = self.segment_copies()
            if all(copy is not None and copy.lengths(fieldname) is not None for copy, _ in copies):
                return np.concatenate([np.zeros(0), *(copy.lengths(fieldname) for copy, _ in copies)]).astype(
                    np.float64)
            reader = self.searcher.reader()
            return np.array([reader.doc_field_length(d, fieldname, 0) for d in range(reader.doc_count_all())],
                            dtype=np.float64)
        return self.remember("derived", f"lengths:{fieldname}", read)

    def segment_copies(self) -> list[tuple[PostingsCopy | None, int]]:
        """Each segment's positions-free postings copy (None where it has none) with its first document number."""
        return self.remember("derived", "copies", lambda: [(open_copy(leaf), offset)
                                                           for leaf, offset in self.searcher.reader().leaf_readers()])

    def term_postings(self, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
        """A term's (document numbers, weights) as arrays, kept up to MAX_CACHED_POSTINGS postings:
        scoring and set operations then run over whole arrays, and a common word is read from the
        index once."""
        return self.remember_arrays("postings", (fieldname, text), lambda: self._read_postings(fieldname, text),
                                    MAX_CACHED_POSTINGS)

    def remember_arrays(self, shelf: str, key: Hashable, make: Callable[[], tuple[np.ndarray, ...]],
                        budget: int) -> tuple[np.ndarray, ...]:
        """Arrays derived from the generation (one entry per document they hold), kept on a shelf
        while its arrays hold at most `budget` documents, the least recently asked forgotten first:
        a common word's arrays are as long as the index, so a count of values would not bound them."""
        memo = self._shelves.setdefault(shelf, {})
        found = memo.pop(key, None)
        if found is None:
            found = make()
            self._held[shelf] = self._held.get(shelf, 0) + len(found[0])
            while self._held[shelf] > budget and memo:
                self._held[shelf] -= len(memo.pop(next(iter(memo)))[0])
        memo[key] = found  # the most recently asked last
        return found

    def cached_postings(self) -> list[int]:
        """How many postings each word kept by term_postings holds, least recently asked first."""
        return [len(docs) for docs, _ in self._shelves.get("postings", {}).values()]

    def _read_postings(self, fieldname: str, text: str | bytes) -> tuple[np.ndarray, np.ndarray]:
        """A term's (document numbers, weights) over the live documents of every segment, in order."""
        term = text.encode("utf-8") if isinstance(text, str) else text
        docs: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        reader = self.searcher.reader()
        for (leaf, offset), (copy, _) in zip(reader.leaf_readers(), self.segment_copies(), strict=True):
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
        if reader.has_deletions():
            # A mask lookup per posting: a set operation against every live document sorts a million.
            keep = self.live_mask()[found[0]]
            found = found[0][keep], found[1][keep]
        return found

    def sketch(self, docnum: int) -> tuple[int, ...]:
        """A document's near-duplicate sketch: its smallest shingle hashes, ascending (empty for a short text)."""
        copies = self.segment_copies()
        at = bisect.bisect_right([offset for _, offset in copies], docnum) - 1
        copy, offset = copies[at]
        if copy is None or copy.sketches is None:
            return read_signature(self.column_values(SKETCH_FIELD, raw=True)[docnum])
        return tuple(copy.sketches.sketch(docnum - offset).tolist())

    def sketch_holders(self, hashes: tuple[int, ...]) -> list[np.ndarray]:
        """For each sketch hash, the live documents whose sketch holds it, ascending."""
        found: list[list[np.ndarray]] = [[] for _ in hashes]
        wanted = np.array(hashes, dtype=np.uint32)
        for (copy, offset), (leaf, _) in zip(self.segment_copies(), self.searcher.reader().leaf_readers(), strict=True):
            if copy is not None and copy.sketches is not None:
                held = copy.sketches.holders(wanted)
            else:  # a segment written without the sketches (an older index): its postings, through Whoosh
                terms = [format(h, "x") for h in hashes]
                held = [np.array(list(leaf.postings(SKETCH_FIELD, t).all_ids()) if (SKETCH_FIELD, t) in leaf else [],
                                 dtype=np.int64) for t in terms]
            for docs, more in zip(found, held, strict=True):
                docs.append(more.astype(np.int64) + offset)
        holders = [np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64) for docs in found]
        if self.searcher.reader().has_deletions():
            live = self.live_mask()
            holders = [docs[live[docs]] for docs in holders]
        return holders

    def live_mask(self) -> np.ndarray:
        """Whether each document number is live (not deleted)."""
        def read() -> np.ndarray:
            mask = np.zeros(self.doc_count_all(), dtype=bool)
            mask[self.live_docs()] = True
            return mask
        return self.remember("derived", "live mask", read)

    def phrase_docs(self, fieldname: str, words: list[bytes]) -> np.ndarray | None:
        """The live documents holding the words side by side in this order (a phrase with slop 1, as
        Whoosh matches it), from the segments' copied positions; None where a segment has none."""
        copies = self.segment_copies()
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
                    read[word] = copy.positions(fieldname, word, unique_sorted(keys >> 32))
                # keys are document << 32 | position: the next word must sit `distance` places on.
                keys = keys[contains(read[word], keys + distance)]
            found.append((unique_sorted(keys >> 32) + offset).astype(np.int64))
        docs = np.concatenate([np.zeros(0, dtype=np.int64), *found])
        if self.searcher.reader().has_deletions():
            docs = docs[self.live_mask()[docs]]
        return docs


def open_snapshot(index_dir: Path, weights: Weights = DEFAULT_WEIGHTS) -> Snapshot:
    """A snapshot of the index's latest generation, ranking with the project's BM25F and these constants."""
    return Snapshot(open_index(index_dir).searcher(weighting=BM25(weights)))
