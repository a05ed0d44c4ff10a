"""A query's words analysed for each language the index holds (or the ones a query names), so a
Russian word finds Russian forms in a mixed corpus: the index's analyzer, bound to analysis keys."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from whoosh.analysis.analyzers import Analyzer
from whoosh.fields import Schema
from whoosh.query import Or, Phrase, Query

from ..analysis.words import MultilingualAnalyzer, language_analyzer, query_stop_terms


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


class LanguagePhrases:
    """The parser's phrase class for one query text: a quoted phrase as each analysed language reads
    it (that language's forms, its stop words dropped as its pages drop them), any of those phrases.
    Combining every word's forms would keep one language's stop words ("the" is a word to Russian) in
    another's phrase, which then matches none of its pages."""

    def __init__(self, text: str, keys: tuple[str, ...]):
        self.text = text  # the text the parser reads: its phrases' character ranges point into it
        self.keys = keys

    def __call__(self, fieldname: str, words: list[str], slop: int = 1, boost: float = 1.0,
                 char_ranges: list | None = None) -> Query:
        spans = [s for s in char_ranges or () if s is not None and None not in s]
        if len(self.keys) < 2 or not spans or len(spans) < len(char_ranges):
            return Phrase(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        readings: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        for key in self.keys:
            # The analyzer yields one token object, changed in place: its fields are read as it goes.
            tokens = [(t.text, (start + t.startchar, start + t.endchar))
                      for t in language_analyzer(key)(self.text[start:end], mode="query", chars=True)]
            if tokens:
                readings.setdefault(tuple(w for w, _ in tokens), [r for _, r in tokens])
        phrases = [Phrase(fieldname, list(read), slop=slop, boost=boost, char_ranges=ranges)
                   for read, ranges in readings.items()]
        if not phrases:
            return Phrase(fieldname, words, slop=slop, boost=boost, char_ranges=char_ranges)
        return phrases[0] if len(phrases) == 1 else Or(phrases)
