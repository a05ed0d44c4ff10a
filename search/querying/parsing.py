"""Parsing what the user typed: the query language, made safe and shaped as ranking wants it."""

from __future__ import annotations

import copy
import itertools
import re
from collections import Counter
from typing import TYPE_CHECKING

import numpy as np
from whoosh.qparser import MultifieldParser, OrGroup, PlusMinusPlugin
from whoosh.query import AndNot, CompoundQuery, FuzzyTerm, Not, NullQuery, Or, Prefix, Query, Regex, Term, Wildcard

from ..errors import QueryError
from .ranking import (
    FIELD_BOOSTS,
    OPERATORS,
    SEARCH_FIELDS,
    as_meant,
    free_word_sequence,
    rank,
    refine_words,
)
from .scoring import WordForms, weights_of
from .wording import LanguagePhrases, form_keys, stop_terms, word_forms

if TYPE_CHECKING:
    from .snapshot import Snapshot


MAX_QUERY_CHARS = 1000
# Question marks Whoosh's parser reads as one-character wildcards (its own list, and the full-width
# one), and the other marks that end or open a sentence. To a person typing into a search box
# they are punctuation, except a question mark between letters, which only a pattern holds (colo?r).
QUESTION_MARKS = "?\u055e\u061f\u1367\uff1f"  # ? Armenian ՞ Arabic ؟ Ethiopic ፧ full-width ？
SENTENCE_MARKS = QUESTION_MARKS + "!.,;\u00a1\u00bf\u2026\u3001\u3002\uff01\uff0c"  # ¡ ¿ … 、 。 ！ ，
_TRAILING_MARKS = re.compile(f"[{re.escape(SENTENCE_MARKS)}]+(?=[\\s)\\]\"']|$)")
_LONE_STAR = re.compile(r"(?<![^\s(])\*+(?=[\s)]|$)")
_WORD = re.compile(r"\w")
_LEADING_MARKS = re.compile(f"(?:^|(?<=[\\s(\\[\"']))[{re.escape(QUESTION_MARKS)}\u00a1\u00bf]+")
_PLAIN_WORDS = re.compile(r"\s*[A-Za-z]+(?:\s+[A-Za-z]+)*\s*$")
# A wildcard or fuzzy word may stand for at most this many words: "*" or "a*" would otherwise
# make one query as costly as scoring the whole vocabulary.
MAX_EXPANSIONS = 1000


def parse_query(snapshot: Snapshot, text: str, keys: tuple[str, ...] | None = None) -> Query:
    """Parse the query language: words, "phrases", AND/OR/NOT, +/-, (groups), field:value; words
    analysed for each analysis key given (by default, those of every language the index holds)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    keys = keys or snapshot.analysis_keys()
    text = drop_sentence_marks(as_meant(text))
    parsed = parse_plain_words(snapshot, text, keys)
    if parsed is None:
        parsed = parse_with_whoosh(snapshot, text, keys)
        check_expansions(parsed, snapshot.searcher.reader())
    analyzer = snapshot.query_analyzer(keys)
    forms = [frozenset(f) for f in word_forms(text, analyzer) if len(f) > 1] if len(keys) > 1 else []
    query = refine_words(bind_negations(parsed), stop_terms(keys), forms)
    weights = weights_of(snapshot)
    sequence = free_word_sequence(text, analyzer, stop_terms(keys))
    factors: dict[str, float] = {}
    if weights.repeats:
        factors.update(repeat_factors(sequence))
    if weights.requests != 1.0:
        for term in request_terms(snapshot, keys, weights.request_words).intersection(sequence):
            factors[term] = factors.get(term, 1.0) * weights.requests
    query = reweigh(query, factors) if factors else query
    return group_forms(query, forms, form_keys(text, keys)) if forms else query


def group_forms(query: Query, forms: list[frozenset[str]], languages: dict[str, frozenset[str]]) -> Query:
    """The query with each free word's forms (one per language analysed) gathered into one WordForms,
    so it ranks as the one word typed, each form in the documents of the languages that make it
    (`languages`); phrases, fields and operators as they were."""
    if isinstance(query, AndNot):
        return AndNot(group_forms(query.a, forms, languages), query.b)
    if type(query) is not Or:
        return query
    groups: dict[frozenset[str], list[Term]] = {}
    rest = []
    for sub in query.subqueries:
        word = next((f for f in forms if type(sub) is Term and sub.fieldname in SEARCH_FIELDS and sub.text in f),
                    None)
        if word is None:
            rest.append(sub)
        else:
            groups.setdefault(word, []).append(sub)
    words = [WordForms(terms, languages={t.text: languages[t.text] for t in terms if t.text in languages})
             for terms in groups.values() if len({t.text for t in terms}) > 1]
    if not words:
        return query
    rest += [t for terms in groups.values() if len({t.text for t in terms}) == 1 for t in terms]
    rebuilt = copy.copy(query)
    rebuilt.subqueries = words + rest
    return rebuilt


def repeat_factors(sequence: list[str]) -> dict[str, float]:
    """A free word typed n times weighs n times ("flow ... boundary layer flow": the subject repeated),
    as the parser keeps it only once: each repeated term's factor."""
    return {term: float(n) for term, n in Counter(sequence).items() if n > 1}


def reweigh(query: Query, factors: dict[str, float]) -> Query:
    """The query with each free word's boost times its term's factor; phrases, fields and operators as typed."""
    if isinstance(query, AndNot):
        return AndNot(reweigh(query.a, factors), query.b)
    if isinstance(query, Term):
        if query.fieldname in SEARCH_FIELDS and query.text in factors:
            return Term(query.fieldname, query.text, boost=query.boost * factors[query.text])
        return query
    if not isinstance(query, Or):
        return query
    rebuilt = copy.copy(query)
    rebuilt.subqueries = [reweigh(q, factors) if isinstance(q, Term) else q for q in query.subqueries]
    return rebuilt


def request_terms(snapshot: Snapshot, keys: tuple[str, ...], words: tuple[str, ...]) -> frozenset[str]:
    """The terms request words become in the query's analyses (every form of each)."""
    def make() -> frozenset[str]:
        analyzer = snapshot.query_analyzer(keys)
        return frozenset(t.text for word in words for t in analyzer(word, mode="query"))
    return snapshot.remember("derived", ("request terms", keys, words), make)


def drop_sentence_marks(text: str) -> str:
    """The query less its sentence punctuation: marks ending a word ("khojaly?", "war.", "¿qué?"),
    question marks opening one, and a `*` standing alone beside words ("operators like *, +");
    `*` in a word and a question mark between letters stay wildcards, and `*` alone lists everything."""
    text = _LEADING_MARKS.sub(" ", _TRAILING_MARKS.sub(" ", text))
    # Whoosh reads a lone * as every document, and the whole query as that.
    return _LONE_STAR.sub(" ", text) if _WORD.search(text) else text


def parse_plain_words(snapshot: Snapshot, text: str, keys: tuple[str, ...] | None = None) -> Query | None:
    """What Whoosh's parser makes of plain words (letters only, each one word or a stop word once
    analysed, or its forms in each language analysed; a repeated word or form kept once, as the
    parser keeps it), built directly: the parser's machinery took 0.3 ms of a common query's 8,
    and more when every word has forms in two languages. None for anything else."""
    if not _PLAIN_WORDS.match(text) or any(w in OPERATORS for w in text.split()):
        return None
    analyzer = snapshot.query_analyzer(keys or snapshot.analysis_keys())
    terms: dict[Term, None] = {}  # in the parser's order: each word's forms in each field in turn
    for word in text.split():
        forms = list(dict.fromkeys(t.text for t in analyzer(word, mode="query")))
        for term in (Term(f, form, boost=FIELD_BOOSTS[f]) for f in SEARCH_FIELDS for form in forms):
            terms.setdefault(term)
    return Or(list(terms)) if terms else NullQuery


def parse_with_whoosh(snapshot: Snapshot, text: str, keys: tuple[str, ...] | None = None) -> Query:
    """The query language parsed by Whoosh's parser, made safe (see parse_query)."""
    # Words are OR-ed: BM25 ranks documents with more of them first, and a long
    # natural-language query still finds a document that misses one word. (Whoosh's
    # OrGroup.factory(scale) is not used: it scores a document matching only some fields as 0.)
    keys = keys or snapshot.analysis_keys()
    parser = MultifieldParser(list(SEARCH_FIELDS), snapshot.query_schema(keys), fieldboosts=FIELD_BOOSTS,
                              group=OrGroup, phraseclass=LanguagePhrases(text, keys))
    # +must -mustnot, as web search boxes take them: only at the start of a word, so
    # "free-flight" stays one word and a lone "-" (as in "a - b") is no operator.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+(?=[^\s+])", minusexpr=r"(?<![^\s(])-(?=[^\s-])"))
    parsed = NullQuery
    for _attempt in ("as typed", "without +/-"):
        try:
            parsed = parser.parse(text)
            break
        except NotImplementedError:
            # Whoosh applies +/- only at the top level; inside (groups) they are read as plain words.
            parser.remove_plugin_class(PlusMinusPlugin)
        except Exception:  # Whoosh's parser has crash paths, e.g. "NOT AND x"
            # Fall back to the plain words: a sensible result beats an error for a garbled query.
            words = " ".join(w for w in re.findall(r"\w+", text) if w not in OPERATORS)
            parser.phraseclass = LanguagePhrases(words, keys)
            parsed = parser.parse(words) if words else NullQuery
            break
    return parsed


def rank_query(snapshot: Snapshot, query: Query, text: str, restrict: np.ndarray | None,
               limit: int, keys: tuple[str, ...] | None = None) -> tuple[list[tuple[int, float]], Query]:
    """The default ranking of a parsed query: (document number, score) pairs best first, and the
    query as scored, for explanations (see ranking.rank)."""
    keys = keys or snapshot.analysis_keys()
    sequence = free_word_sequence(text, snapshot.query_analyzer(keys), stop_terms(keys))
    return rank(snapshot, query, sequence, restrict, limit)


def check_expansions(query: Query, reader) -> None:
    """Refuse wildcards and fuzzy terms that would expand to a large part of the vocabulary."""
    for leaf in [query] if query.is_leaf() else query.leaves():
        if isinstance(leaf, (Wildcard, Prefix, Regex, FuzzyTerm)):
            expansions = itertools.islice(leaf.expanded_terms(reader), MAX_EXPANSIONS + 1)
            if sum(1 for _ in expansions) > MAX_EXPANSIONS:
                raise QueryError(f"{leaf.text!r} matches more than {MAX_EXPANSIONS} words; "
                                 "give the pattern more letters")


def bind_negations(query: Query) -> Query:
    """Make "a b NOT c" mean (a OR b) AND NOT c, as users mean it, not a OR b OR (NOT c)."""
    if isinstance(query, Not):
        return Not(bind_negations(query.query), boost=query.boost)
    if not isinstance(query, CompoundQuery):
        return query
    subqueries = [bind_negations(q) for q in query.subqueries]
    negated = [q.query for q in subqueries if isinstance(q, Not)]
    positive = [q for q in subqueries if not isinstance(q, Not)]
    rebuilt = copy.copy(query)
    if isinstance(query, Or) and negated and positive:
        rebuilt.subqueries = positive
        excluded = negated[0] if len(negated) == 1 else Or(negated)
        return AndNot(rebuilt if len(positive) > 1 else positive[0], excluded)
    rebuilt.subqueries = subqueries
    return rebuilt


def query_terms(query: Query) -> frozenset[str]:
    """The analysed term texts a query looks for in the searchable fields, for highlighting."""
    terms = set()
    for fieldname, text in query.iter_all_terms(phrases=True):
        if fieldname in SEARCH_FIELDS:
            terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return frozenset(terms)
