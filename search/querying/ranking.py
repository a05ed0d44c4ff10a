"""Ranking: the one default configuration, BM25F over title and body (scoring.py), and bonuses re-ranking the best."""

from __future__ import annotations

import re
from collections import Counter
from math import log
from typing import TYPE_CHECKING

import numpy as np
from whoosh.query import AndMaybe, AndNot, Every, Or, Phrase, Query, Term

from ..analysis import QUERY_STOP_WORDS, stem_word
from ..indexing.schema import InLanguage
from .matching import members
from .scoring import BM25, SEARCH_FIELDS, bm25f, idf, query_parts, score_query, weights_of, whoosh_scores

if TYPE_CHECKING:
    from .snapshot import Snapshot

FIELD_BOOSTS = {"title": 1.0, "body": 1.0}  # the query's own weights: a title word's weight is BM25F's (scoring)
PROXIMITY_SLOP = 2  # how far apart (in words) the pair may be and still count as next to each other
# Pseudo-relevance feedback for questions of several words: the key words of the best few
# documents re-rank the documents the query matched (never add new matches).
FEEDBACK_MIN_WORDS = 3  # shorter queries are precise already: left as typed
# A feedback word is in at least this many of the feedback documents, the best of them among them: a
# word of one document alone is that document's, and one the best does not hold pulls the ranking
# away from the page that answers the query (a question one paragraph answers), not the subject it found.
FEEDBACK_MIN_DOCS = 2
FEEDBACK_DEPTH = 40  # the best documents by the query alone that the feedback words re-rank
MAX_REMEMBERED_SCORED = 20  # queries' scored match sets a snapshot keeps (up to 16 bytes a document each)
MAX_REMEMBERED_FREQUENCIES = 200_000  # words' index frequencies a snapshot keeps for Bo1 (an int each)
FEEDBACK_CHARS = 5_000  # text read from each feedback document, so a 100 KB article costs as little as a short one

# The stop words as the analyzer leaves query words: stemmed ("does" is "doe" by then). A query drops
# the function words of each language it is analysed for (wording.stop_terms); these are English's.
QUERY_STOP_STEMS = QUERY_STOP_WORDS | frozenset(stem_word(w) for w in QUERY_STOP_WORDS)


_QUOTED = re.compile(r'"[^"]*"?')
_EXCLUDED = re.compile(r"(?:(?<![^\s(])-\S+|\bNOT\s+\S+)")
OPERATORS = frozenset(("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"))


def word_text(query: Query, forms: list[frozenset[str]] = ()) -> frozenset[str] | None:
    """The terms a free word stands for: a Term, or an Or of terms over the searchable fields of one
    text, or of the forms one word of the query takes (`forms`: each word's forms, one per language)."""
    if isinstance(query, Term) and query.fieldname in SEARCH_FIELDS:
        return frozenset((query.text,))
    if isinstance(query, Or) and query.subqueries:
        leaves = list(query.leaves())  # a generator: read twice below
        if not all(isinstance(q, Term) and q.fieldname in SEARCH_FIELDS for q in leaves):
            return None
        texts = frozenset(q.text for q in leaves)
        if len(texts) == 1 or any(texts <= word for word in forms):
            return texts
    return None


def as_meant(text: str) -> str:
    """A query typed all in capitals (caps lock, a pasted heading or request) read as the sentence it
    is: lowercased, so its AND, OR, NOT and TO are words, not operators; operators need lower case beside them."""
    return text.lower() if not any(c.islower() for c in text) else text


def free_word_sequence(text: str, analyzer, stops: frozenset[str] = QUERY_STOP_STEMS) -> list[str]:
    """The query's free words in the order typed, as the analyzer leaves them (a word's forms in
    each language analysed, one after another): no phrases, fields, operators or excluded words;
    question words dropped."""
    from .wording import word_forms

    text = _QUOTED.sub(" ", as_meant(text))
    text = _EXCLUDED.sub(" ", text)
    kept = [w for w in text.split() if w not in OPERATORS and ":" not in w]
    return [w for forms in word_forms(" ".join(kept), analyzer) if stops.isdisjoint(forms) for w in forms]


def refine_words(query: Query, stops: frozenset[str] = QUERY_STOP_STEMS,
                 forms: list[frozenset[str]] = ()) -> Query:
    """Drop question words from a query's free words (`forms`: each word's forms, where it has several).

    Only the top-level free words are touched: phrases, fields and boolean operators keep their
    meaning, and a query made only of function words is left as typed.
    """
    if isinstance(query, AndNot):
        return AndNot(refine_words(query.a, stops, forms), query.b)
    if isinstance(query, AndMaybe):
        return AndMaybe(query.a, refine_words(query.b, stops, forms))
    if not isinstance(query, Or) or word_text(query, forms) is not None:
        return query
    words = [(q, word_text(q, forms)) for q in query.subqueries]
    content = [(q, w) for q, w in words if w is None or stops.isdisjoint(w)]
    if any(w is not None for _, w in content) and len(content) < len(words):
        words = content
    subqueries = [q for q, _ in words]
    if len(subqueries) == 1:
        return subqueries[0]
    return Or(subqueries, boost=query.boost)


def word_pairs(sequence: list[str]) -> list[tuple[str, str]]:
    """The distinct pairs of adjacent free words, in the order typed."""
    return list(dict.fromkeys((a, b) for a, b in zip(sequence, sequence[1:], strict=False) if a != b))


def proximity_query(pairs: list[tuple[str, str]], weight: float) -> Query | None:
    """The proximity bonus as a query (loose phrases in the body), for explanations; None without pairs."""
    phrases = [Phrase("body", [a, b], slop=PROXIMITY_SLOP, boost=weight) for a, b in pairs]
    return Or(phrases) if phrases else None


def near(first: list[int], second: list[int]) -> bool:
    """Whether a position in `second` follows one in `first` by 1 to PROXIMITY_SLOP words."""
    later = set(second)
    return any(p + d in later for p in first for d in range(1, PROXIMITY_SLOP + 1))


def postings_at(snapshot: Snapshot, word: str, docnums: list[int]):
    """(document number, positions, BM25 score) of a body word at each of the given documents holding it.

    Reading a word's postings at those documents only: a phrase or term matcher run as a query
    would walk every document holding the word.
    """
    searcher = snapshot.searcher
    if ("body", word) not in searcher.reader():
        return
    matcher = searcher.postings("body", word)
    for docnum in sorted(docnums):
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active():
            return
        if matcher.id() == docnum:
            yield docnum, matcher.value_as("positions"), matcher.score()


def proximity_scores(snapshot: Snapshot, pairs: list[tuple[str, str]], docnums: list[int],
                     weight: float) -> dict[int, float]:
    """The proximity bonus of each given document that has one: a pair's body scores, weighted,
    where its second word follows the first within PROXIMITY_SLOP words (as proximity_query scores)."""
    bonus: dict[int, float] = {}
    for a, b in pairs:
        firsts = {d: (positions, score) for d, positions, score in postings_at(snapshot, a, docnums)}
        for docnum, positions, score in postings_at(snapshot, b, list(firsts)):
            if near(firsts[docnum][0], positions):
                bonus[docnum] = bonus.get(docnum, 0.0) + weight * (firsts[docnum][1] + score)
    return bonus


def term_scores(snapshot: Snapshot, weighted: list[tuple[str, float]], docnums: list[int]) -> dict[int, float]:
    """Each given document's sum of weight x BM25 score in the body over the weighted words it holds
    (the body's BM25 as Whoosh's matchers score it: BM25Scorer)."""
    weights, searcher = weights_of(snapshot), snapshot.searcher
    docs = np.asarray(sorted(docnums), dtype=np.int64)
    lengths = snapshot.field_lengths("body")[docs]
    average = searcher.avg_field_length("body") or 1
    bonus = np.zeros(len(docs))
    for word, weight in weighted:
        # The word's postings as arrays (read once, then remembered): looking the documents up in
        # them costs a binary search, where a matcher skips through the word's blocks in Python.
        held, counts = snapshot.term_postings("body", word)
        if not len(held):
            continue
        at = np.minimum(np.searchsorted(held, docs), len(held) - 1)
        frequency = np.where(held[at] == docs, counts[at], 0.0)
        word_idf = idf(searcher.doc_count_all(), searcher.doc_frequency("body", word))
        bonus += weight * bm25f(weights, word_idf, frequency, lengths, average)
    return {int(d): float(x) for d, x in zip(docs, bonus, strict=True) if x > 0}


def feedback_words(snapshot: Snapshot, top: list[int], terms: int) -> list[tuple[str, float]]:
    """The `terms` key words of the given best documents (best first) that the best one and at least
    FEEDBACK_MIN_DOCS of them hold, with their Bo1 weights (normalised as Bo1 normalises them),
    strongest first."""
    field = snapshot.searcher.schema["body"]
    in_top: Counter[str] = Counter()  # each word's frequency over the documents
    holding: Counter[str] = Counter()
    held_by_best: set[str] | None = None
    for docnum in top:
        stored = snapshot.stored_fields(docnum)
        text = InLanguage(stored.get("body", "")[:FEEDBACK_CHARS], stored.get("lang") or "")
        vector = [(field.from_bytes(term), weight) for term, _, weight, _ in field.index(text)]
        in_top.update(dict(vector))
        holding.update({term for term, _ in vector})
        if held_by_best is None:
            held_by_best = {term for term, _ in vector}
    ranked = bo1_weights(snapshot, in_top)
    return [(word, weight) for word, weight in ranked
            if holding[word] >= FEEDBACK_MIN_DOCS and word in (held_by_best or ())][:terms]


def bo1_weights(snapshot: Snapshot, in_top: Counter[str]) -> list[tuple[str, float]]:
    """Each word's Bo1 weight from its frequency in the feedback documents against its frequency in
    the index, divided by the normaliser of the strongest, strongest first (as Whoosh's
    classify.Expander and Bo1Model compute them, with one term lookup a word, remembered)."""
    reader = snapshot.searcher.reader()
    count = reader.doc_count_all()
    scored, strongest = [], 0.0
    for word, weight in in_top.items():
        frequency = snapshot.remember("collection frequency", word, lambda w=word: reader.frequency("body", w),
                                      MAX_REMEMBERED_FREQUENCIES)
        if frequency:
            f = frequency / count
            score = weight * log((1.0 + f) / f, 2) + log(1.0 + f, 2)
            strongest = max(strongest, score)
            scored.append((score, word))
    if not scored:
        return []
    f = strongest / count  # Bo1's normaliser, as Whoosh writes it (the strongest score in place of a frequency)
    norm = (strongest * log((1.0 + f) / f) + log(1.0 + f)) / log(2.0)
    return [(word, score / norm) for score, word in sorted(scored, key=lambda sw: (-sw[0] / norm, sw[1]))]


def feedback_query(words: list[tuple[str, float]], weight: float) -> Query | None:
    """The feedback words as the query they score like (for explanations), or None."""
    return Or([Term("body", w, boost=weight * strength) for w, strength in words]) if words else None


def scored_matches(snapshot: Snapshot, query: Query) -> tuple[np.ndarray, np.ndarray]:
    """Every document the query matches, in index order, with its score (scoring.score_query):
    BM25F over arrays of remembered postings, for the words and phrases of title and body.

    Whoosh's matchers score one posting at a time in Python, about twenty times slower, read the
    postings afresh each time and can only sum fields scored apart.
    """
    if isinstance(query, Every):
        docs = snapshot.live_docs()
        return docs, np.ones(len(docs))  # as Whoosh scores every document
    weights = weights_of(snapshot)
    if type(snapshot.searcher.weighting) is not BM25:  # another weighting asked for: Whoosh's matchers
        return snapshot.remember("scored", (query, None), lambda: whoosh_scores(snapshot, query),
                                 MAX_REMEMBERED_SCORED)
    # Remembered: the total, the facets and each window of ranked hits ask for the same scores.
    return snapshot.remember("scored", (query, weights), lambda: score_query(snapshot, query, weights),
                             MAX_REMEMBERED_SCORED)


def matching_docs(snapshot: Snapshot, query: Query, allowed: np.ndarray | None = None) -> np.ndarray:
    """Every document number the query matches (and among `allowed`, when given), in order."""
    docs = scored_matches(snapshot, query)[0]
    return docs if allowed is None else docs[members(docs, allowed, snapshot.doc_count_all())]


def best_scored(snapshot: Snapshot, query: Query, allowed: np.ndarray | None,
                limit: int) -> list[tuple[int, float]]:
    """The `limit` best (document number, score) pairs of the query among `allowed`, best first,
    equal scores in index order (as Whoosh orders them)."""
    docs, scores = scored_matches(snapshot, query)
    if allowed is not None:
        keep = members(docs, allowed, snapshot.doc_count_all())
        docs, scores = docs[keep], scores[keep]
    if len(docs) > limit:
        # Only documents scoring at least the limit-th best can make it; ties there all come along.
        floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= floor
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:limit]
    return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))


def rank(snapshot: Snapshot, query: Query, sequence: list[str], allowed: np.ndarray | None,
         limit: int) -> tuple[list[tuple[int, float]], Query]:
    """The best `limit` (document number, score) pairs, best first, and the query as scored.

    The query alone ranks every match (scored_matches); then bonuses re-rank the best few:
    words typed side by side found side by side, and for a question of several words, the key
    words of its best documents (pseudo-relevance feedback), over a deeper window so the
    feedback can lift a document from below the page.
    """
    weights = weights_of(snapshot)
    feedback = weights.feedback > 0 and len(set(sequence)) >= FEEDBACK_MIN_WORDS
    depth = max(limit, FEEDBACK_DEPTH) if feedback else limit
    ranked = best_scored(snapshot, query, allowed, depth)
    pairs = word_pairs(sequence) if weights.proximity > 0 else []
    top = [d for d, _ in ranked[:weights.feedback_docs]]
    words = feedback_words(snapshot, top, weights.feedback_terms) if feedback and ranked else []
    if ranked and (pairs or words):
        found = [d for d, _ in ranked]
        bonus = proximity_scores(snapshot, pairs, found, weights.proximity)
        for docnum, extra in term_scores(snapshot, [(w, weights.feedback * x) for w, x in words], found).items():
            bonus[docnum] = bonus.get(docnum, 0.0) + extra
        ranked = sorted(((d, s + bonus.get(d, 0.0)) for d, s in ranked), key=lambda ds: (-ds[1], ds[0]))
    extras = [q for q in (proximity_query(pairs, weights.proximity), feedback_query(words, weights.feedback))
              if q is not None]
    return ranked[:limit], Or([query, *extras]) if extras else query


def explain_hit(snapshot: Snapshot, query: Query, scored: Query, docnum: int) -> dict:
    """How a document's score was made: the part each word, phrase and subquery of the query gave
    (scoring.query_parts), and each bonus of the query as scored (rank's proximity and feedback)."""
    top = query.a if isinstance(query, AndNot) else query
    parts = []
    for name, (docs, scores) in query_parts(snapshot, top, weights_of(snapshot)):
        at = np.searchsorted(docs, docnum)
        if at < len(docs) and docs[at] == docnum:
            parts.append({"match": name, "score": round(float(scores[at]), 4)})
    extras = scored.subqueries[1:] if scored is not query else []
    for leaf in (leaf for extra in extras for leaf in extra.leaves()):
        matcher = leaf.matcher(snapshot.searcher)
        if matcher.is_active():
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            parts.append({"match": str(leaf), "score": round(matcher.score(), 4)})
    return {"score": round(sum(p["score"] for p in parts), 4), "parts": parts}
