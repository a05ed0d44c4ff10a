"""Scoring: BM25F over title and body as one text (ranking computes it over arrays), and the
per-field BM25 Whoosh's matchers use for what ranking leaves to them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from whoosh import scoring
from whoosh.query import And, AndMaybe, AndNot, MultiTerm, NullQuery, Or, Phrase, Query, Term
from whoosh.searching import Searcher

from ..analysis.stopwords import REQUEST_WORDS
from .matching import contains, union_sorted

if TYPE_CHECKING:
    from .snapshot import Snapshot

SEARCH_FIELDS = ("title", "body")  # scored together as one text (BM25F)
# Postings summed by sorting them when they are fewer than one in this many documents, else in an
# array over every document (measured at a million documents: sorting n postings costs about as
# much as a pass over an array of 4n).
SPARSE_SHARE = 4
MAX_CACHED_SCORES = 4_000_000  # scored documents (16 bytes each) a snapshot keeps for the words it scored
Scored = tuple[np.ndarray, np.ndarray]  # document numbers in index order (int64), and their scores


class WordForms(Or):
    """One word as typed, in the forms the analyses of several languages make of it (Or of its terms
    over the searchable fields): it matches as an any-of and ranks as one word (word_scores).

    Scored as separate words, a form only a few documents hold (an English word left unstemmed by
    the analysis of the index's handful of pages in another language) would get the idf of a rare
    word and lift those pages above the many that hold the word's usual form.

    `languages` names, for each form, the analysis keys that make it of the word: a form counts only
    in documents analysed by one of them (the French form of an English word is a different English
    word: "information" is "inform" to French's stemmer), and unnamed forms count everywhere.
    """

    def __init__(self, subqueries, boost: float = 1.0, languages: dict[str, frozenset[str]] | None = None,
                 **kwargs):
        super().__init__(subqueries, boost=boost, **kwargs)
        self.languages = dict(languages or {})

    def __eq__(self, other) -> bool:
        return super().__eq__(other) and self.languages == getattr(other, "languages", None)

    def __hash__(self) -> int:
        return super().__hash__() ^ hash(frozenset(self.languages.items()))


@dataclass(frozen=True)
class Weights:
    """The ranking's tunable constants, each chosen leave-one-collection-out (bench/ranking_grid.py)."""

    k1: float = 1.6  # term-frequency saturation
    b: float = 0.45  # length normalisation of the title and body taken as one text
    title: float = 3.0  # a word of the title counts as this many words of the body, in frequency and length
    repeats: bool = True  # a word typed twice weighs twice (query term frequency)
    proximity: float = 0.0  # weight of two words typed side by side found side by side, against one word
    feedback: float = 0.5  # weight of the strongest pseudo-relevance feedback word, against a query word
    feedback_docs: int = 3  # the best documents by the query alone that the feedback words come from
    feedback_terms: int = 20  # the feedback words kept, strongest first
    requests: float = 0.3  # weight of a word a request is phrased with ("papers", "interested"), against a subject word
    request_words: tuple[str, ...] = REQUEST_WORDS  # those words, as typed


DEFAULT_WEIGHTS = Weights()


def idf(doc_count: int, doc_frequency: int) -> float:
    """log(1 + (N - df + 0.5) / (df + 0.5)): a rare word counts for far more than a common one, and
    none goes negative (Whoosh's log(N / (df + 1)) + 1 gives common words a floor of 1)."""
    return math.log(1 + (doc_count - doc_frequency + 0.5) / (doc_frequency + 0.5))


def bm25f(weights: Weights, word_idf: float, frequency: np.ndarray, length: np.ndarray,
          avg_length: float) -> np.ndarray:
    """BM25 of one word at documents, from its weighted frequency in title and body and their weighted length."""
    norm = weights.k1 * (1 - weights.b + weights.b * length / avg_length)
    return word_idf * frequency * (weights.k1 + 1) / (frequency + norm)


def field_weights(weights: Weights) -> dict[str, float]:
    """How much a word in each searchable field counts, against one in the body."""
    return {"title": weights.title, "body": 1.0}


class BM25Scorer(scoring.WeightLengthScorer):
    """Okapi BM25 for one term in one field (what Whoosh's matchers score: wildcards, other fields)."""

    def __init__(self, searcher: Searcher, fieldname: str, text: bytes, qf: float = 1,
                 weights: Weights = DEFAULT_WEIGHTS):
        parent = searcher.get_parent()
        self.idf = idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))
        self.avgfl = parent.avg_field_length(fieldname) or 1
        self.qf = qf
        self.weights = weights
        self.setup(searcher, fieldname, text)

    def _score(self, weight: float, length: float) -> float:
        k1, b = self.weights.k1, self.weights.b
        return self.idf * weight * (k1 + 1) / (weight + k1 * (1 - b + b * length / self.avgfl))


class BM25(scoring.WeightingModel):
    """The default weighting, holding the ranking's constants: BM25 per field for Whoosh's matchers."""

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS):
        self.weights = weights

    def scorer(self, searcher: Searcher, fieldname: str, text: bytes, qf: float = 1):
        if not searcher.schema[fieldname].scorable:
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        return BM25Scorer(searcher, fieldname, text, qf=qf, weights=self.weights)


def weights_of(snapshot: Snapshot) -> Weights:
    """The constants the snapshot's searcher ranks with."""
    return getattr(snapshot.searcher.weighting, "weights", DEFAULT_WEIGHTS)


def document_lengths(snapshot: Snapshot, weights: Weights) -> tuple[np.ndarray, float]:
    """Every document's title and body length as BM25F weighs them (a title word counting as
    weights.title words), and the average over the index."""
    def read() -> tuple[np.ndarray, float]:
        lengths = sum(w * snapshot.field_lengths(f) for f, w in field_weights(weights).items())
        return lengths, float(lengths.sum()) / max(1, snapshot.doc_count_all()) or 1.0
    return snapshot.remember("derived", ("document lengths", weights.title), read)


def empty() -> Scored:
    """No documents."""
    return np.zeros(0, dtype=np.int64), np.zeros(0)


def form_postings(snapshot: Snapshot, fieldname: str, form: str,
                  languages: dict[str, frozenset[str]] | None) -> tuple[np.ndarray, np.ndarray]:
    """A form's postings in a field, in the documents analysed as a language that makes it (all, unnamed)."""
    held, counts = snapshot.term_postings(fieldname, form)
    keys = (languages or {}).get(form)
    if keys is None or not len(held) or keys.issuperset(snapshot.analysis_keys()):
        return held, counts
    keep = snapshot.analysed_as(keys)[held]
    return held[keep], counts[keep]


def add_postings(helds: list[np.ndarray], values: list[np.ndarray], doc_count: int) -> tuple[np.ndarray, np.ndarray]:
    """The documents any of the posting lists holds, ascending, each with the sum of its values there."""
    lists = [(held, value) for held, value in zip(helds, values, strict=True) if len(held)]
    if len(lists) == 1:
        return np.asarray(lists[0][0], dtype=np.int64), np.asarray(lists[0][1], dtype=np.float64)
    if len(lists) == 2:
        # A word's title and body postings: the shorter merged into the longer by binary search,
        # in time of the longer's copy (a sum of two values is the same in either order).
        (small, small_values), (big, big_values) = sorted(lists, key=lambda pair: len(pair[0]))
        big = np.asarray(big, dtype=np.int64)
        at = np.searchsorted(big, small)
        held = at < len(big)
        held[held] = big[at[held]] == small[held]
        sums = np.asarray(big_values, dtype=np.float64).copy()
        sums[at[held]] += small_values[held]
        new = ~held
        return np.insert(big, at[new], small[new]), np.insert(sums, at[new], small_values[new])
    if sum(len(h) for h in helds) * SPARSE_SHARE < doc_count:
        # Few postings against many documents: sorting them costs less than an array per document.
        # Each list is ascending, so a stable sort (a merge of sorted runs) takes one pass, and keeps
        # a document's values in list order, summed as the array would sum them.
        held = np.concatenate([np.zeros(0, dtype=np.int64), *helds])
        order = np.argsort(held, kind="stable")
        held = held[order]
        first = np.ones(len(held), dtype=bool)
        first[1:] = held[1:] != held[:-1]
        docs = held[first]
        return docs, np.bincount(np.cumsum(first) - 1, weights=np.concatenate([np.zeros(0), *values])[order],
                                 minlength=len(docs))
    sums = np.zeros(doc_count)
    held_any = np.zeros(doc_count, dtype=bool)
    for held, value in zip(helds, values, strict=True):
        sums[held] += value
        held_any[held] = True
    docs = np.flatnonzero(held_any)
    return docs, sums[docs]


def word_scores(snapshot: Snapshot, text: str | tuple[str, ...], boosts: dict[str, float],
                weights: Weights, languages: dict[str, frozenset[str]] | None = None) -> Scored:
    """BM25F of one word (its forms, where it has several, each in the documents of the languages
    that make it) over the fields it is asked in (each with its boost): its frequencies there,
    weighted, summed and saturated once, with one length normalisation over title and body, and one
    idf over the documents holding any form."""
    texts = (text,) if isinstance(text, str) else text
    key = (texts, tuple(sorted(boosts.items())), weights,
           None if languages is None else tuple(languages.get(t) for t in texts))
    # Remembered: a common word's scores span most of the index and come back in query after query.
    return snapshot.remember_arrays("word scores", key, lambda: _word_scores(snapshot, texts, boosts, weights,
                                                                           languages), MAX_CACHED_SCORES)


def _word_scores(snapshot: Snapshot, texts: tuple[str, ...], boosts: dict[str, float], weights: Weights,
                 languages: dict[str, frozenset[str]] | None) -> Scored:
    """What word_scores remembers, made."""
    scale = max(boosts.values())
    if scale <= 0:  # "word^0": it matches, and adds nothing
        docs = np.unique(np.concatenate([form_postings(snapshot, f, t, languages)[0] for f in boosts
                                         for t in texts]).astype(np.int64))
        return docs, np.zeros(len(docs))
    helds, weighted = [], []
    for fieldname, boost in boosts.items():
        for form in texts:
            held, counts = form_postings(snapshot, fieldname, form, languages)
            helds.append(held)
            weighted.append(field_weights(weights)[fieldname] * max(boost, 0.0) / scale * counts)
    docs, frequency = add_postings(helds, weighted, snapshot.doc_count_all())
    counted = frequency > 0  # a field weighted zero matches nothing on its own
    docs, frequency = docs[counted], frequency[counted]
    if not len(docs):
        return docs, np.zeros(0)
    lengths, average = document_lengths(snapshot, weights)
    word_idf = idf(snapshot.doc_count_all(), len(docs))
    return docs, scale * bm25f(weights, word_idf, frequency, lengths[docs], average)


def phrase_scores(snapshot: Snapshot, words: tuple[str, ...], boosts: dict[str, float],
                  weights: Weights) -> Scored | None:
    """The documents holding the words side by side in any of the fields, each scored as the sum of
    its words' scores (as Whoosh scores a phrase); None where a segment has no copied positions."""
    found = []
    for fieldname in boosts:
        docs = snapshot.phrase_docs(fieldname, [snapshot.schema[fieldname].to_bytes(w) for w in words])
        if docs is None:
            return None
        found.append(docs)
    docs = union_sorted(found)
    scores = np.zeros(len(docs))
    for word in words:
        held, word_score = word_scores(snapshot, word, boosts, weights)
        scores += word_score[np.searchsorted(held, docs)]
    return docs, scores


def searchable(query: Query, snapshot: Snapshot) -> bool:
    """Whether a term or phrase is in a field scored as BM25F."""
    return query.fieldname in SEARCH_FIELDS and snapshot.schema[query.fieldname].scorable


def plain_phrase(query: Phrase, snapshot: Snapshot) -> bool:
    """Whether a phrase is words side by side (slop 1) in a field scored as BM25F."""
    return query.slop == 1 and len(query.words) >= 2 and searchable(query, snapshot)


def query_parts(snapshot: Snapshot, query: Query, weights: Weights) -> list[tuple[str, Scored]]:
    """The parts a query's score is the sum of, each named and scored: a word (over the fields it is
    asked in; a pattern's words each), a phrase (likewise), or a subquery; an any-of (Or) has one per
    word, phrase and other subquery."""
    if type(query) is not Or or query.scale is not None or query.minmatch:
        return [(str(query), score_query(snapshot, query, weights))]
    words: dict[str | tuple[str, ...], dict[str, float]] = {}
    languages: dict[tuple[str, ...], dict[str, frozenset[str]]] = {}  # each word's forms' analyses
    phrases: dict[tuple[str, ...], dict[str, float]] = {}
    parts = []
    for sub in query.subqueries:
        boost = query.boost * sub.boost
        if type(sub) is Term and searchable(sub, snapshot):
            fields = words.setdefault(sub.text, {})
            fields[sub.fieldname] = fields.get(sub.fieldname, 0.0) + boost
        elif type(sub) is WordForms and all(type(t) is Term and searchable(t, snapshot) for t in sub.subqueries):
            texts = tuple(sorted({t.text for t in sub.subqueries}))
            fields = words.setdefault(texts, {})
            languages.setdefault(texts, {}).update(sub.languages)
            for term in sub.subqueries:  # a field's weight is its strongest form's, not their sum
                fields[term.fieldname] = max(fields.get(term.fieldname, 0.0), boost * term.boost)
        elif isinstance(sub, MultiTerm) and searchable(sub, snapshot):
            # A pattern (econom*, colo?r) or a fuzzy word ranks as the words it stands for.
            for fieldname, text in sub.expanded_terms(snapshot.searcher.reader()):
                fields = words.setdefault(text.decode("utf-8") if isinstance(text, bytes) else text, {})
                fields[fieldname] = fields.get(fieldname, 0.0) + boost
        elif type(sub) is Phrase and plain_phrase(sub, snapshot):
            fields = phrases.setdefault(tuple(sub.words), {})
            fields[sub.fieldname] = fields.get(sub.fieldname, 0.0) + boost
        else:
            docs, scores = score_query(snapshot, sub, weights)
            parts.append((str(sub), (docs, query.boost * scores)))
    named = [(text if isinstance(text, str) else "|".join(text),
              word_scores(snapshot, text, fields, weights, languages.get(text)))
             for text, fields in words.items()]
    for phrase, fields in phrases.items():
        scored = phrase_scores(snapshot, phrase, fields, weights)
        if scored is None:  # no copied positions: Whoosh matches the phrase
            scored = whoosh_scores(snapshot, Or([Phrase(f, list(phrase), boost=b) for f, b in fields.items()]))
        named.append((f'"{" ".join(phrase)}"', scored))
    return named + parts


def score_query(snapshot: Snapshot, query: Query, weights: Weights) -> Scored:
    """Every document the query matches, in index order, with its score: words and phrases of the
    title and body by BM25F over arrays of remembered postings, any-of/all-of/but-not combined as
    Whoosh combines them; what else a query holds (wildcards, other fields) scored by Whoosh."""
    kind = type(query)
    if query is NullQuery:
        return empty()
    if kind is Term and searchable(query, snapshot):
        return word_scores(snapshot, query.text, {query.fieldname: query.boost}, weights)
    plain_or = kind is Or and query.scale is None and not query.minmatch
    words = (kind is Phrase and plain_phrase(query, snapshot)) or (isinstance(query, MultiTerm)
                                                                  and searchable(query, snapshot))
    if plain_or or words:
        parts = query_parts(snapshot, query if kind is Or else Or([query]), weights)
        return sum_parts(snapshot, [scored for _, scored in parts])
    if kind is And:
        docs, scores = score_query(snapshot, query.subqueries[0], weights)
        for sub in query.subqueries[1:]:
            other, more = score_query(snapshot, sub, weights)
            docs, mine, theirs = np.intersect1d(docs, other, assume_unique=True, return_indices=True)
            scores = scores[mine] + more[theirs]
        return docs, query.boost * scores
    if kind is AndNot:
        docs, scores = score_query(snapshot, query.a, weights)
        keep = ~contains(score_query(snapshot, query.b, weights)[0], docs)
        return docs[keep], scores[keep]
    if kind is AndMaybe:
        docs, scores = score_query(snapshot, query.a, weights)
        other, more = score_query(snapshot, query.b, weights)
        _, mine, theirs = np.intersect1d(docs, other, assume_unique=True, return_indices=True)
        scores = scores.copy()
        scores[mine] += more[theirs]
        return docs, scores
    return whoosh_scores(snapshot, query)


def sum_parts(snapshot: Snapshot, parts: list[Scored]) -> Scored:
    """The documents any part matches, each with the sum of its parts' scores (an any-of)."""
    if len(parts) == 1:
        return parts[0]
    return add_postings([docs for docs, _ in parts], [scores for _, scores in parts], snapshot.doc_count_all())


def whoosh_scores(snapshot: Snapshot, query: Query) -> Scored:
    """Every document the query matches, in index order, with the score Whoosh's matchers give it."""
    found = sorted((docnum, score or 0.0) for score, docnum in snapshot.searcher.search(query, limit=None).top_n)
    return (np.array([d for d, _ in found], dtype=np.int64), np.array([s for _, s in found], dtype=np.float64))
