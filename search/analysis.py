"""Text analysis shared by indexing, querying, highlighting and spelling: one analyzer, built here."""

from __future__ import annotations

import re

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.analyzers import Analyzer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

# Words are runs of letters and digits, joined by inner punctuation into one token when they
# form an identifier (COVID-19, 47/50-POL, 1,275, U.S., AT&T); CompoundFilter then splits it.
TOKEN_PATTERN = r"\w+(?:[-/.,&]\w+)*"
_SEPARATOR = re.compile(r"[-/.,&]")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = re.compile(r"\d+\.\d+")

# Function words a question carries ("what are the problems of ..."), dropped from the free
# words of a query but kept in the index, so a quoted phrase or a query of nothing else still works.
QUERY_STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves""".split()
)


class CompoundFilter(Filter):
    """Make identifiers findable: "COVID-19" gives covid, 19 and covid19; "1,275" gives 1275; "U.S." gives us.

    Parts get positions of their own, so a phrase query for "free flight" finds "free-flight";
    in the index the joined form shares the first part's position, so "covid19" finds "COVID-19".
    """

    def __init__(self, stoplist: frozenset[str] = frozenset(STOP_WORDS)):
        self.stoplist = stoplist

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.stoplist == self.stoplist

    def __call__(self, tokens):
        shift = 0  # positions added so far by compounds split into several parts
        for t in tokens:
            if t.positions:
                t.pos += shift
            text = t.text
            if not _SEPARATOR.search(text):
                yield t
                continue
            if _THOUSANDS.fullmatch(text) or _DECIMAL.fullmatch(text):
                t.text = text.replace(",", "")
                yield t
                continue
            parts = [p for p in _SEPARATOR.split(text) if p]
            if all(len(p) == 1 and p.isalpha() for p in parts):
                # A dotted acronym (U.S., e.g.): one word, never a stop word.
                t.text = "".join(parts)
                yield t
                continue
            kept = [p for p in parts if p.isdigit() or len(p) >= 2 and p not in self.stoplist]
            if len(kept) < len(parts):
                # A part would be lost (AT&T, e-mail): the joined form is the word, with the rest beside it.
                t.text = "".join(parts)
                yield t
                if t.mode == "index":
                    for part in kept:
                        t.text = part
                        yield t
                continue
            start, end = (t.startchar, t.endchar) if t.chars else (0, 0)
            pos = t.pos if t.positions else 0
            if t.mode == "index" and any(p.isdigit() for p in parts):
                # An identifier with digits (COVID-19, 47/50-POL) is also indexed joined, at its first
                # part's position, so "covid19" finds it; plain hyphenated words (free-flight) are not,
                # since the joined form would only lengthen the text.
                t.text = "".join(parts)
                yield t
            same_length = t.chars and end - start == len(text)
            offset = 0
            for i, part in enumerate(parts):
                offset = text.index(part, offset)
                if t.positions:
                    t.pos = pos + i
                if t.chars and same_length:
                    t.startchar, t.endchar = start + offset, start + offset + len(part)
                offset += len(part)
                t.text = part
                yield t
            shift += len(parts) - 1


def news_analyzer() -> Analyzer:
    """Lowercase, accent-folded (Yaounde finds Yaoundé), English stop words dropped, identifiers kept, stemmed."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | CompoundFilter()
        | StemFilter(cachesize=50000)
    )


def stem_word(word: str) -> str:
    """A lowercase word as the analyzer's stemmer leaves it."""
    return stem(word)
