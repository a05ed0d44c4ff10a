"""A query's words analysed for each language the index holds (or the ones a query names), so a
Russian word finds Russian forms in a mixed corpus: the index's analyzer, bound to analysis keys."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence

from whoosh.analysis.analyzers import Analyzer
from whoosh.fields import Schema
from whoosh.query import Or, Phrase, Query

from ..analysis.words import MultilingualAnalyzer, language_analyzer, query_stop_terms

MAX_PHRASE_FORMS = 16  # phrases one quoted phrase may stand for, one a combination of its words' forms


class QueryAnalyzer(Analyzer):
    """The index's analyzer as a query uses it: a text analysed for each of the analysis keys,
    every form of a word at the word's position."""

    def __init__(self, keys: tuple[str, ...]):
        self.keys = keys
        self._analyzer = MultilingualAnalyzer()

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.keys == self.keys

    def has_morph(self) -> bool:
        return True

    def __call__(self, value, **kwargs):
        kwargs.pop("lang", None)
        return self._analyzer(value, languages=self.keys, **kwargs)


def query_schema(schema: Schema, fieldnames: Sequence[str], keys: tuple[str, ...]) -> Schema:
    """The schema with the given text fields analysing queries for the analysis keys (a copy)."""
    bound = copy.copy(schema)
    bound._fields = dict(schema._fields)
    analyzer = QueryAnalyzer(keys)
    for name in fieldnames:
        field = copy.copy(schema[name])
        field.analyzer = analyzer
        bound._fields[name] = field
    return bound


def word_forms(text: str, analyzer: Analyzer) -> list[tuple[str, ...]]:
    """The forms each word of a query takes (one per analysis that differs), word by word."""
    forms: dict[int, list[str]] = {}
    for t in analyzer(text, positions=True, mode="query"):
        found = forms.setdefault(t.pos, [])
        if t.text not in found:
            found.append(t.text)
    return [tuple(forms[p]) for p in sorted(forms)]


def form_keys(text: str, keys: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """The analysis keys each term of a query comes from: a form one language's analysis makes of
    a word stands for that word only in the documents analysed the same way."""
    found: dict[str, set[str]] = {}
    for key in keys:
        for t in language_analyzer(key)(text, mode="query"):
            found.setdefault(t.text, set()).add(key)
    return {term: frozenset(made_by) for term, made_by in found.items()}


def stop_terms(keys: tuple[str, ...]) -> frozenset[str]:
    """The function words of the analysis keys' languages, as written and as analysed."""
    return query_stop_terms(tuple(sorted(keys)))


def variant_phrase(fieldname: str, words: list[str], slop: int = 1, boost: float = 1.0,
                   char_ranges: list | None = None) -> Query:
    """A phrase whose words may each have several forms (one per language): any of the phrases
    their forms make, up to MAX_PHRASE_FORMS (the parser's phrase class, so quoted text works in
    every language the index holds)."""
    if not char_ranges or len(set(char_ranges)) == len(char_ranges):
        return Phrase(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
    forms: dict = {}
    for word, span in zip(words, char_ranges, strict=True):
        forms.setdefault(span[0], []).append((word, span))
    choices = [forms[start] for start in sorted(forms, key=lambda s: (s is None, s))]
    phrases = []
    for combination in itertools.islice(itertools.product(*choices), MAX_PHRASE_FORMS):
        phrases.append(Phrase(fieldname, [w for w, _ in combination], slop=slop, boost=boost,
                              char_ranges=[s for _, s in combination]))
    return phrases[0] if len(phrases) == 1 else Or(phrases)
