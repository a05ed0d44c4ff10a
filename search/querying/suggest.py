"""Suggestions: spelling corrections ("did you mean") and search-as-you-type completions, from the index."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract
from whoosh.query import And, Or, Prefix, Term

from ..analysis.tokens import is_unspaced
from ..errors import QueryError
from .ranking import OPERATORS, SEARCH_FIELDS
from .wording import word_forms

if TYPE_CHECKING:
    from .snapshot import Snapshot

MAX_PREFIX_CHARS = 100
# Only a word found at most this often can be a typo worth a "did you mean": a misspelling
# recurs a few times in a big scrape, a real word far more. (The look-up scans every indexed
# word with the same first letter: the dearest part of a query, so it is kept for these.)
TYPO_MAX_FREQUENCY = 3
MAX_SUGGESTIONS = 10
MAX_REMEMBERED_LETTERS = 64  # first letters whose spelling words a snapshot keeps
MAX_TITLES = 5
_LAST_WORD = re.compile(r"(\w+)$")
# A word that may be misspelt: letters and combining marks (a Devanagari word whole), no digits, not a field name.
_SPELLED_WORD = regex.compile(r"(?<![:\w\p{M}])(?:[^\W\d_]|\p{M})+(?![:\w\p{M}])")


@dataclass(frozen=True)
class Suggestions:
    """Completions for a partly typed query: whole queries, and titles of documents that match them."""

    query: str
    completions: tuple[str, ...]
    titles: tuple[tuple[str, str], ...]  # (id, title)


def suggest_completions(snapshot: Snapshot, text: str) -> Suggestions:
    """Complete the last word of text with the index's words (most documents first), and matching titles."""
    if len(text) > MAX_PREFIX_CHARS:
        raise QueryError(f"the text to complete is too long (at most {MAX_PREFIX_CHARS} characters)")
    match = _LAST_WORD.search(text.lower())
    if not match:
        return Suggestions(query=text, completions=(), titles=())
    prefix = match.group(1)
    if is_unspaced(prefix[-1]):
        # Unspaced script is indexed as character pairs: the pairs its last character begins complete it.
        prefix = prefix[-1]
    head = text[: len(text) - len(prefix)]
    searcher = snapshot.searcher
    reader = searcher.reader()
    # The unstemmed spelling field holds words as written, so completions read as words.
    fieldname = searcher.schema["body"].spelling_fieldname("body")
    words = []
    for word in reader.expand_prefix(fieldname, prefix):
        word = word.decode("utf-8") if isinstance(word, bytes) else word
        # The documents holding the word: its frequency (the reindex writes one posting a
        # spelling word, weighing that count; see search.writer).
        words.append((int(reader.frequency(fieldname, word)), word))
        if len(words) >= 2000:  # a one-letter prefix: enough candidates to rank
            break
    words.sort(key=lambda fw: (-fw[0], fw[1]))
    completions = tuple(head + w for _, w in words[:MAX_SUGGESTIONS])
    # Titles holding the earlier words and a word starting with the prefix.
    # Each earlier word in any of its forms (one per language the index holds).
    forms = word_forms(head, snapshot.query_analyzer(snapshot.analysis_keys()))
    clauses = [Or([Term("title", form) for form in word]) if len(word) > 1 else Term("title", word[0])
               for word in forms] + [Prefix("title", prefix)]
    titles = tuple((hit["id"], hit.get("title") or hit["id"])
                   for hit in searcher.search(And(clauses), limit=MAX_TITLES))
    return Suggestions(query=text, completions=completions, titles=titles)


def words_within(snapshot: Snapshot, word: str, maxdist: int) -> list[str]:
    """The body's spelling words starting with the word's first letter and within `maxdist` edits
    (Levenshtein) of it, in order: what Whoosh's reader.terms_within(..., prefix=1) finds.

    Whoosh walks its on-disk term table with an automaton, about 9 ms a word at 20,000 pages,
    two thirds of a query holding a rare word; here the words of that first letter are read once
    per snapshot and compared in C (rapidfuzz).
    """
    fieldname = snapshot.schema["body"].spelling_fieldname("body")

    def read() -> list[str]:
        return [w.decode("utf-8") if isinstance(w, bytes) else w
                for w in snapshot.searcher.reader().expand_prefix(fieldname, word[:1])]
    choices = snapshot.remember("spelling_words", word[:1], read, MAX_REMEMBERED_LETTERS)
    found = extract(word, choices, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=None)
    return sorted(choice for choice, _, _ in found)


def suggest_spelling(snapshot: Snapshot, text: str, keys: tuple[str, ...] | None = None) -> str | None:
    """The query with rare words replaced by much more frequent close spellings, or None; words
    analysed for the analysis keys given (by default those of every language the index holds)."""
    reader = snapshot.searcher.reader()
    analyzer = snapshot.query_analyzer(keys or snapshot.analysis_keys())

    def frequency(word: str) -> int:
        return sum(reader.frequency(f, t.text) for f in SEARCH_FIELDS for t in analyzer(word))

    changed = False

    def replace(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        # A word of unspaced script is indexed as character pairs: one edit away is another word entirely.
        if word in OPERATORS or any(c.isdigit() for c in word) or len(word) < 3 or is_unspaced(word):
            return word
        spelled = [t.text for t in analyzer(word, no_morph=True)]
        if len(spelled) != 1:
            return word
        own = frequency(word)
        if own > TYPO_MAX_FREQUENCY:
            return word
        stem = [t.text for t in analyzer(word)]
        best, best_freq = None, 0
        for candidate in words_within(snapshot, spelled[0], 1 if len(word) <= 5 else 2):
            if [t.text for t in analyzer(candidate)] == stem:
                continue
            if (freq := frequency(candidate)) > best_freq:
                best, best_freq = candidate, freq
        # Suggest when the word is unknown, or rare beside a close spelling used far more often.
        if best and (own == 0 or best_freq >= 3 * own):
            changed = True
            return best
        return word

    corrected = _SPELLED_WORD.sub(replace, text)
    return corrected if changed and corrected != text else None
