"""Highlighting: marked, HTML-escaped snippets and whole texts, built on Whoosh's highlighter parts."""

from __future__ import annotations

import re
from html import escape

from whoosh.analysis.analyzers import Analyzer
from whoosh.highlight import Formatter, SentenceFragmenter, WholeFragmenter, get_text, highlight

MAX_HIGHLIGHT_CHARS = 100_000  # the document page marks at most this much of a body in one piece
PASSAGE_CHARS = 800  # a long body is cut into passages of about this size to find where the words are
SNIPPET_SCAN_CHARS = 2_400  # the highlighter reads at most this much: the passages richest in the words
SNIPPET_FRAGMENTS = 3
FALLBACK_SNIPPET_CHARS = 240
# Marks on neighbouring words (a phrase, a name) become one mark over the whole run.
# So do the parts of an identifier (COVID-19, 47/50-POL): one punctuation mark between them, no space.
_ADJACENT_MARKS = re.compile(r"</mark>(\s+|[-/.,&])<mark>")


def index_tokens(analyzer: Analyzer):
    """The analyzer as the index ran it, so a joined identifier (COVID-19) is found in the text whole."""
    def tokenize(text: str, **kwargs):
        kwargs["mode"] = "index"
        return analyzer(text, **kwargs)
    return tokenize


def join_marks(html: str) -> str:
    """One <mark> over a run of marked words, so a phrase reads as one match."""
    return _ADJACENT_MARKS.sub(r"\1", html)


OPENING_PUNCTUATION = "\"“‘'(["


class MarkFormatter(Formatter):
    """Wraps matches in <mark> and escapes all document text, quotes included."""

    between = " … "

    def _text(self, text: str) -> str:
        return escape(text, quote=True)

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return "<mark>" + escape(get_text(text, token, replace), quote=True) + "</mark>"

    def format_fragment(self, fragment, replace: bool = False) -> str:
        # Sentence fragments start at their first word and stop before their closing punctuation:
        # give back the opening quote or bracket and the closing punctuation.
        while fragment.startchar > 0 and fragment.text[fragment.startchar - 1] in OPENING_PUNCTUATION:
            fragment.startchar -= 1
        while fragment.endchar < len(fragment.text) and fragment.text[fragment.endchar] in ".!?\"”’)":
            fragment.endchar += 1
        out = super().format_fragment(fragment, replace=replace)
        # Show the reader that a fragment starts or ends mid-text.
        lead = "… " if fragment.startchar > 0 else ""
        tail = " …" if fragment.endchar < len(fragment.text) else ""
        return lead + out.strip() + tail

    def format(self, fragments, replace: bool = False) -> str:
        joined = " ".join(self.format_fragment(f, replace=replace) for f in fragments)
        return joined.replace("… … ", "… ")


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
    # Stems are mostly prefixes of the words they came from ("librari" of "library" less one letter).
    patterns = [re.compile(r"\b" + re.escape(t[: max(3, len(t) - 1)]), re.IGNORECASE) for t in terms]
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


def make_snippet(text: str, terms: frozenset[str], analyzer: Analyzer, top: int = SNIPPET_FRAGMENTS) -> str:
    """Up to `top` fragments of text around the matched terms, escaped, matches in <mark>."""
    snippet = ""
    if terms:
        text = likely_passages(text, terms)
        # A new formatter and fragmenter per call: Whoosh's highlighter parts keep state.
        # Whole sentences around the matches: the sentence a reader needs, not a window cut mid-word.
        snippet = highlight(text, terms, index_tokens(analyzer), SentenceFragmenter(maxchars=300), MarkFormatter(),
                            top=top)
        snippet = join_marks(" ".join(snippet.split()))
    if not snippet:
        text = " ".join(text[: 2 * FALLBACK_SNIPPET_CHARS].split())
        cut = text[:FALLBACK_SNIPPET_CHARS]
        snippet = escape(cut.rsplit(" ", 1)[0] + " …" if len(text) > len(cut) else cut, quote=True)
    return snippet


def mark_text(text: str, terms: frozenset[str], analyzer: Analyzer) -> str:
    """The whole text escaped, every match of the terms wrapped in <mark>."""
    if not terms:
        return escape(text, quote=True)
    marked = highlight(text, terms, index_tokens(analyzer), WholeFragmenter(charlimit=None), MarkFormatter(), top=1)
    return join_marks(marked) if marked else escape(text, quote=True)
