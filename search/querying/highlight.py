"""Highlighting: marked, HTML-escaped snippets and whole texts.

Words are found with the index's own token pattern and analyzer, so a marked word is one the
index matched; each distinct word is analysed once per snapshot (a snippet reads a few hundred
words, mostly ones seen before), which keeps a page of ten snippets to a few milliseconds.
"""

from __future__ import annotations

import re
from html import escape

from whoosh.analysis.analyzers import Analyzer

from ..analysis.tokens import PLAIN_TOKENS, is_unspaced, needs_script_pattern, text_tokens, token_spans

PASSAGE_CHARS = 800  # a long body is cut into passages of about this size to find where the words are
SNIPPET_SCAN_CHARS = 2_400  # the highlighter reads at most this much: the passages richest in the words
SNIPPET_FRAGMENTS = 3
SENTENCE_CHARS = 300  # a longer sentence is shown as a window of about this size around its first match
FALLBACK_SNIPPET_CHARS = 240
MAX_REMEMBERED_WORDS = 200_000  # analysed words kept per WordTerms (one a snapshot)
OPENING_PUNCTUATION = "\"“‘'(["
# A sentence ends after . ! or ? (and any closing quote or bracket) before white space, after a full
# stop of a script written without spaces (。！？) or a danda (।), or at a line break.
_SENTENCE_END = re.compile(r"[.!?؟][\"”’)\]]*(?=\s)|[。！？।॥][\"”’)\]」』）]*|\n")
# Marks on neighbouring words (a phrase, a name) become one mark over the whole run.
_ADJACENT_MARKS = re.compile(r"</mark>(\s+)<mark>")


class WordTerms:
    """The terms the index holds for each word as written, by one analyzer, remembered (bounded):
    a snippet reads a few hundred words, mostly ones seen before."""

    def __init__(self, analyzer: Analyzer):
        self.analyzer = analyzer
        self.known: dict[str, frozenset[str]] = {}

    def __call__(self, word: str) -> frozenset[str]:
        found = self.known.get(word)
        if found is None:
            if len(self.known) > MAX_REMEMBERED_WORDS:
                self.known.clear()
            found = self.known[word] = frozenset(t.text for t in self.analyzer(word, mode="index"))
        return found


def matched_spans(text: str, terms: frozenset[str], word_terms: WordTerms) -> list[tuple[int, int, str]]:
    """(start, end, term) of each word of the text that the index would match with one of the terms."""
    known = word_terms.known  # read directly: most words are in it, and a call costs more than a lookup
    spans: list[tuple[int, int, str]] = []
    if not needs_script_pattern(text):  # the quicker loop of the same words (most English text)
        for match in PLAIN_TOKENS.finditer(text):
            word = match.group()
            found = known.get(word)
            if found is None:
                found = word_terms(word)
            if found and not found.isdisjoint(terms):
                spans.append((match.start(), match.end(), min(found & terms)))
        return spans
    for start, end in token_spans(text):
        word = text[start:end]
        found = known.get(word)
        if found is None:
            found = word_terms(word)
        if found and not found.isdisjoint(terms):
            if spans and start < spans[-1][1]:
                # Overlapping character pairs (unspaced script) mark one run.
                spans[-1] = (spans[-1][0], end, spans[-1][2])
            else:
                spans.append((start, end, min(found & terms)))
    return spans


def marked(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """text[start:end] escaped, the spans inside it wrapped in <mark>, neighbouring marks joined."""
    end = len(text) if end is None else end
    out, at = [], start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[at:s], quote=True))
        out.append("<mark>" + escape(text[s:e], quote=True) + "</mark>")
        at = e
    out.append(escape(text[at:end], quote=True))
    return _ADJACENT_MARKS.sub(r"\1", "".join(out))


def passages(text: str) -> list[str]:
    """The text cut into paragraphs, a long paragraph cut further after a sentence end."""
    pieces = []
    for paragraph in text.split("\n\n"):
        while len(paragraph) > PASSAGE_CHARS:
            cut = paragraph.rfind(". ", 0, PASSAGE_CHARS)
            cut = cut + 1 if cut > PASSAGE_CHARS // 3 else PASSAGE_CHARS
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        if paragraph:
            pieces.append(paragraph)
    return pieces


def likely_passages(text: str, terms: frozenset[str]) -> str:
    """The part of a long text worth highlighting: the passages holding most of the terms, in text order.

    A cheap text search for each term's stem stands in for analysis, so a 100 KB article costs
    about as much as a short one; a text where no stem is found verbatim is read from its start.
    """
    if len(text) <= SNIPPET_SCAN_CHARS:
        return text
    # Stems are mostly prefixes of the words they came from ("librari" of "library" less one letter);
    # unspaced script has no word boundaries, and its pairs are found as they are.
    patterns = [re.compile(re.escape(t), re.IGNORECASE) if is_unspaced(t)
                else re.compile(r"\b" + re.escape(t[: max(3, len(t) - 1)]), re.IGNORECASE) for t in terms]
    pieces = passages(text)
    scored = []
    for number, piece in enumerate(pieces):
        found = sum(1 for p in patterns if p.search(piece))
        if found:
            scored.append((-found, number))
    if not scored:
        return text[:SNIPPET_SCAN_CHARS]
    chosen, size = [], 0
    for _, number in sorted(scored):
        if size + len(pieces[number]) > SNIPPET_SCAN_CHARS and chosen:
            break
        chosen.append(number)
        size += len(pieces[number])
    return "\n\n".join(pieces[n] for n in sorted(chosen))


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the text, without surrounding white space."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def window(text: str, start: int, end: int, first: int) -> tuple[int, int]:
    """A sentence longer than SENTENCE_CHARS cut to about that size around its first match, on word boundaries."""
    if end - start <= SENTENCE_CHARS:
        return start, end
    lo = max(start, first - SENTENCE_CHARS // 3)
    hi = min(end, lo + SENTENCE_CHARS)
    if lo > start:
        lo = text.find(" ", lo, first) + 1 or lo
    if hi < end:
        cut = text.rfind(" ", lo, hi)
        hi = cut if cut > first else hi
    return lo, hi


def distinct_sentences(text: str, ranked: list[tuple], top: int) -> list[tuple]:
    """The first `top` of the ranked sentences, each one's words unlike any chosen before.

    Scraped pages repeat sentences (a pull quote, a lede shown again above the body, a caption
    that restates the text): a snippet showing the same words twice wastes its room.
    """
    chosen, seen = [], set()
    for entry in ranked:
        start, end = entry[3], entry[4]
        words = " ".join(text_tokens(text[start:end].casefold()))  # quotes and spacing aside
        if words in seen:
            continue
        seen.add(words)
        chosen.append(entry)
        if len(chosen) == top:
            break
    return chosen


def make_snippet(text: str, terms: frozenset[str], word_terms: WordTerms, top: int = SNIPPET_FRAGMENTS) -> str:
    """Up to `top` sentences around the matched terms, in text order, escaped, matches in <mark>."""
    if terms:
        text = likely_passages(text, terms)
        spans = matched_spans(text, terms, word_terms)
        if spans:
            scored = []
            for number, (start, end) in enumerate(sentences(text)):
                inside = [sp for sp in spans if start <= sp[0] and sp[1] <= end]
                if inside:
                    # The sentence with more of the query's different words first, then more matches.
                    scored.append((-len({t for _, _, t in inside}), -len(inside), number, start, end, inside))
            chosen = sorted(distinct_sentences(text, sorted(scored), top), key=lambda s: s[2])
            pieces = []
            for *_, start, end, inside in chosen:
                start, end = window(text, start, end, inside[0][0])
                # Give back the sentence's opening quote or bracket.
                while start > 0 and text[start - 1] in OPENING_PUNCTUATION:
                    start -= 1
                lead = "… " if start > 0 else ""
                tail = " …" if end < len(text) else ""
                pieces.append(lead + " ".join(marked(text, inside, start, end).split()) + tail)
            return " ".join(pieces).replace("… … ", "… ")
    text = " ".join(text[: 2 * FALLBACK_SNIPPET_CHARS].split())
    cut = text[:FALLBACK_SNIPPET_CHARS]
    return escape(cut.rsplit(" ", 1)[0] + " …" if len(text) > len(cut) else cut, quote=True)


def mark_text(text: str, terms: frozenset[str], word_terms: WordTerms) -> str:
    """The whole text escaped, every match of the terms wrapped in <mark>."""
    return marked(text, matched_spans(text, terms, word_terms) if terms else [])
