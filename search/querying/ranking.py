"""Ranking: the one default configuration, BM25 per field with a probabilistic idf, plus proximity boosts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from whoosh import classify
from whoosh.query import AndMaybe, AndNot, Every, Not, Or, Phrase, Query, Term

from ..analysis import QUERY_STOP_WORDS, stem_word
from ..indexing.schema import InLanguage
from .matching import plain_leaves
from .scoring import BM25, BM25Scorer

if TYPE_CHECKING:
    from .snapshot import Snapshot

SEARCH_FIELDS = ("title", "body")
FIELD_BOOSTS = {"title": 1.0, "body": 1.0}  # a title word scores in both fields: title and body
PROXIMITY_BOOST = 0.3  # weight of two query words found next to each other, against one word
PROXIMITY_SLOP = 2  # how far apart (in words) the pair may be and still count as next to each other
# Pseudo-relevance feedback for questions of several words: the key words of the best few
# documents re-rank the documents the query matched (never add new matches).
FEEDBACK_MIN_WORDS = 3  # shorter queries are precise already: left as typed
FEEDBACK_DOCS = 5
FEEDBACK_TERMS = 10
FEEDBACK_WEIGHT = 0.8  # weight of the strongest feedback word, against a query word
FEEDBACK_DEPTH = 40  # the best documents by the query alone that the feedback words re-rank
MAX_REMEMBERED_SCORED = 20  # queries' scored match sets a snapshot keeps (up to 16 bytes a document each)
FEEDBACK_CHARS = 5_000  # text read from each feedback document, so a 100 KB article costs as little as a short one

# The English stop words as the analyzer leaves query words: stemmed ("does" is "doe" by then). A query
# drops the function words of every language it is analysed for (wording.stop_terms); these by default.
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
        leaves = query.leaves()
        if not all(isinstance(q, Term) and q.fieldname in SEARCH_FIELDS for q in leaves):
            return None
        texts = frozenset(q.text for q in leaves)
        if len(texts) == 1 or any(texts <= word for word in forms):
            return texts
    return None


def free_word_sequence(text: str, analyzer, stops: frozenset[str] = QUERY_STOP_STEMS) -> list[tuple[str, ...]]:
    """The query's free words in the order typed, each as its forms (one per language analysed):
    no phrases, fields, operators or excluded words; question words dropped."""
    from .wording import word_forms

    text = _QUOTED.sub(" ", text)
    text = _EXCLUDED.sub(" ", text)
    kept = [w for w in text.split() if w not in OPERATORS and ":" not in w]
    return [forms for forms in word_forms(" ".join(kept), analyzer) if stops.isdisjoint(forms)]


def refine_words(query: Query, stops: frozenset[str] = QUERY_STOP_STEMS,
                 forms: list[frozenset[str]] = ()) -> Query:
    """Drop question words from a query's free words (`forms`: each word's forms, where a word has several).

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


def word_pairs(sequence: list[tuple[str, ...]]) -> list[tuple[str, str]]:
    """The distinct pairs of adjacent free words (each form of each), in the order typed."""
    return list(dict.fromkeys((a, b) for first, second in zip(sequence, sequence[1:], strict=False)
                              for a in first for b in second if a != b))


def proximity_query(pairs: list[tuple[str, str]]) -> Query | None:
    """The proximity bonus as a query (loose phrases in the body), for explanations; None without pairs."""
    phrases = [Phrase("body", [a, b], slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST) for a, b in pairs]
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


def proximity_scores(snapshot: Snapshot, pairs: list[tuple[str, str]], docnums: list[int]) -> dict[int, float]:
    """The proximity bonus of each given document that has one: a pair's body scores, weighted,
    where its second word follows the first within PROXIMITY_SLOP words (as proximity_query scores)."""
    bonus: dict[int, float] = {}
    for a, b in pairs:
        firsts = {d: (positions, score) for d, positions, score in postings_at(snapshot, a, docnums)}
        for docnum, positions, score in postings_at(snapshot, b, list(firsts)):
            if near(firsts[docnum][0], positions):
                bonus[docnum] = bonus.get(docnum, 0.0) + PROXIMITY_BOOST * (firsts[docnum][1] + score)
    return bonus


def term_scores(snapshot: Snapshot, weighted: list[tuple[str, float]], docnums: list[int]) -> dict[int, float]:
    """Each given document's sum of weight x BM25 score in the body over the weighted words it holds."""
    bonus: dict[int, float] = {}
    for word, weight in weighted:
        for docnum, _, score in postings_at(snapshot, word, docnums):
            bonus[docnum] = bonus.get(docnum, 0.0) + weight * score
    return bonus


def feedback_words(snapshot: Snapshot, top: list[int]) -> list[tuple[str, float]]:
    """The key words of the given best documents, with their Bo1 weights (strongest 1.0)."""
    expander = classify.Expander(snapshot.searcher.reader(), "body", model=classify.Bo1Model)
    for docnum in top:
        stored = snapshot.stored_fields(docnum)
        expander.add_text(InLanguage(stored.get("body", "")[:FEEDBACK_CHARS], stored.get("lang") or ""))
    return expander.expanded_terms(FEEDBACK_TERMS, normalize=True)


def feedback_query(words: list[tuple[str, float]]) -> Query | None:
    """The feedback words as the query they score like (for explanations), or None."""
    return Or([Term("body", w, boost=FEEDBACK_WEIGHT * weight) for w, weight in words]) if words else None


def scored_matches(snapshot: Snapshot, query: Query) -> tuple[np.ndarray, np.ndarray]:
    """Every document the query matches, in index order, with its score as Whoosh's search gives it.

    For an any-of of words (what typed words parse to) the BM25 formula runs over whole arrays
    of remembered postings: Whoosh's matchers score one posting at a time in Python, about twenty
    times slower, and read the postings afresh each time. Other queries (phrases, operators,
    wildcards) are scored by Whoosh in full.
    """
    if isinstance(query, Every):
        docs = snapshot.live_docs()
        return docs, np.ones(len(docs))  # as Whoosh scores every document
    # Remembered: the total, the facets and each window of ranked hits ask for the same scores.
    return snapshot.remember("scored", query, lambda: score_matches(snapshot, query), MAX_REMEMBERED_SCORED)


def score_matches(snapshot: Snapshot, query: Query) -> tuple[np.ndarray, np.ndarray]:
    """scored_matches, computed: over postings arrays where the query is an any-of of terms, else by Whoosh."""
    leaves = plain_leaves(query)
    schema = snapshot.schema
    if (leaves is None or type(snapshot.searcher.weighting) is not BM25
            or not all(leaf.fieldname in schema and schema[leaf.fieldname].scorable for leaf, _ in leaves)):
        return score_all(snapshot, query)
    scores = np.zeros(snapshot.doc_count_all())
    matched = np.zeros(len(scores), dtype=bool)
    for leaf, boost in leaves:
        if isinstance(leaf, Phrase):
            field = schema[leaf.fieldname]
            docs = snapshot.phrase_docs(leaf.fieldname, [field.to_bytes(word) for word in leaf.words])
            if docs is None:  # a segment without copied positions
                return score_all(snapshot, query)
            # Whoosh scores a phrase as the sum of its words' scores where it matches.
            for word in leaf.words:
                scores[docs] += boost * term_scores_at(snapshot, leaf.fieldname, word, docs)
        else:
            docs = snapshot.term_postings(leaf.fieldname, leaf.text)[0]
            scores[docs] += boost * term_scores_at(snapshot, leaf.fieldname, leaf.text, None)
        matched[docs] = True
    docs = np.flatnonzero(matched)
    return docs, scores[docs]


def term_scores_at(snapshot: Snapshot, fieldname: str, text: str, docs: np.ndarray | None) -> np.ndarray:
    """A term's BM25 score at each of the given documents, which all hold it (at every document
    holding it, in order, when None)."""
    held, weights = snapshot.term_postings(fieldname, text)
    if docs is not None:
        weights = weights[np.searchsorted(held, docs)]
        held = docs
    if not len(held):
        return np.zeros(0)
    scorer = BM25Scorer(snapshot.searcher, fieldname, text)
    return scorer._score(weights.astype(np.float64), snapshot.field_lengths(fieldname)[held])


def score_all(snapshot: Snapshot, query: Query) -> tuple[np.ndarray, np.ndarray]:
    """Every document the query matches, in index order, with the score Whoosh's matchers give it."""
    found = sorted((docnum, score or 0.0) for score, docnum in snapshot.searcher.search(query, limit=None).top_n)
    return (np.array([d for d, _ in found], dtype=np.int64), np.array([s for _, s in found], dtype=np.float64))


def matching_docs(snapshot: Snapshot, query: Query, allowed: np.ndarray | None = None) -> np.ndarray:
    """Every document number the query matches (and among `allowed`, when given), in order."""
    docs = scored_matches(snapshot, query)[0]
    return docs if allowed is None else docs[np.isin(docs, allowed, assume_unique=True)]


def best_scored(snapshot: Snapshot, query: Query, allowed: np.ndarray | None,
                limit: int) -> list[tuple[int, float]]:
    """The `limit` best (document number, score) pairs of the query among `allowed`, best first,
    equal scores in index order (as Whoosh orders them)."""
    docs, scores = scored_matches(snapshot, query)
    if allowed is not None:
        keep = np.isin(docs, allowed, assume_unique=True)
        docs, scores = docs[keep], scores[keep]
    if len(docs) > limit:
        # Only documents scoring at least the limit-th best can make it; ties there all come along.
        floor = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= floor
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:limit]
    return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))


def rank(snapshot: Snapshot, query: Query, sequence: list[tuple[str, ...]], allowed: np.ndarray | None,
         limit: int) -> tuple[list[tuple[int, float]], Query]:
    """The best `limit` (document number, score) pairs, best first, and the query as scored.

    The query alone ranks every match (scored_matches); then bonuses re-rank the best few:
    words typed side by side found side by side, and for a question of several words, the key
    words of its best documents (pseudo-relevance feedback), over a deeper window so the
    feedback can lift a document from below the page.
    """
    feedback = len(set(sequence)) >= FEEDBACK_MIN_WORDS
    depth = max(limit, FEEDBACK_DEPTH) if feedback else limit
    ranked = best_scored(snapshot, query, allowed, depth)
    pairs = word_pairs(sequence)
    words = feedback_words(snapshot, [d for d, _ in ranked[:FEEDBACK_DOCS]]) if feedback and ranked else []
    if ranked and (pairs or words):
        found = [d for d, _ in ranked]
        bonus = proximity_scores(snapshot, pairs, found)
        for docnum, extra in term_scores(snapshot, [(w, FEEDBACK_WEIGHT * x) for w, x in words], found).items():
            bonus[docnum] = bonus.get(docnum, 0.0) + extra
        ranked = sorted(((d, s + bonus.get(d, 0.0)) for d, s in ranked), key=lambda ds: (-ds[1], ds[0]))
    extras = [q for q in (proximity_query(pairs), feedback_query(words)) if q is not None]
    return ranked[:limit], Or([query, *extras]) if extras else query


def explain_hit(snapshot: Snapshot, query: Query, docnum: int) -> dict:
    """How a document's score was made: the part each word, field and phrase of the query gave."""
    parts = []
    for leaf in query.leaves():
        if isinstance(leaf, Not) or leaf.field() not in SEARCH_FIELDS:
            continue
        matcher = leaf.matcher(snapshot.searcher)
        if matcher.is_active():
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            parts.append({"match": str(leaf), "score": round(matcher.score(), 4)})
    return {"score": round(sum(p["score"] for p in parts), 4), "parts": parts}
