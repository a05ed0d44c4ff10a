"""Text analysis shared by indexing, querying, highlighting and spelling: one analyzer, built here."""

from __future__ import annotations

import functools
import re

import Stemmer
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer, CompositeAnalyzer
from whoosh.analysis.filters import STOP_WORDS
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
            if not _SEPARATOR.search(t.text):
                yield t
                continue
            added = self.added_positions(t.text)
            yield from self.split(t)
            shift += added

    def _parts(self, text: str) -> tuple[str, list[str]]:
        """How a token holding a separator is split: its kind, and its parts."""
        if _THOUSANDS.fullmatch(text) or _DECIMAL.fullmatch(text):
            return "number", []
        parts = [p for p in _SEPARATOR.split(text) if p]
        if all(len(p) == 1 and p.isalpha() for p in parts):
            return "acronym", parts
        if any(not (p.isdigit() or len(p) >= 2 and p not in self.stoplist) for p in parts):
            return "joined", parts
        return "split", parts

    def added_positions(self, text: str) -> int:
        """Positions a token holding a separator takes beyond its own one, once split."""
        kind, parts = self._parts(text)
        return len(parts) - 1 if kind == "split" else 0

    def split(self, t):
        """The tokens one token holding a separator becomes (t is reused, as filters do)."""
        text = t.text
        kind, parts = self._parts(text)
        if kind == "number":
            t.text = text.replace(",", "")
            yield t
            return
        if kind == "acronym":
            # A dotted acronym (U.S., e.g.): one word, never a stop word.
            t.text = "".join(parts)
            yield t
            return
        if kind == "joined":
            # A part would be lost (AT&T, e-mail): the joined form is the word, with the rest beside it.
            kept = [p for p in parts if p.isdigit() or len(p) >= 2 and p not in self.stoplist]
            t.text = "".join(parts)
            yield t
            if t.mode == "index":
                for part in kept:
                    t.text = part
                    yield t
            return
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


# English Snowball ("Porter 2"), in C (PyStemmer): it ranks better than Whoosh's Porter on the six
# IR collections (bench/ranking.py) and stems several times faster.
_ENGLISH = Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """A lowercase word's English Snowball stem (a module function, so the pickled schema names it)."""
    return _ENGLISH.stemWord(word)


# Stems remembered: the stemmer is pure, and functools' cache costs less a call than Whoosh's.
_cached_stem = functools.lru_cache(maxsize=50000)(stem)


def _stemmer_of(stemmer: StemFilter):
    """The stemming function a StemFilter applies, cached."""
    return _cached_stem if stemmer.stemfn is stem and not stemmer.lang else stemmer._stem


class NewsAnalyzer(CompositeAnalyzer):
    """The news analyzer's chain run as one loop: the same tokens as the chain, a few times faster.

    Whoosh runs a chain as one generator per filter, each called for every token; indexing a
    document spends most of its analysis time passing tokens between them. The chain itself
    stays the definition (and runs for arguments this loop does not handle).
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        if keeporiginal or not tokenize or kwargs.keys() - {"boosts"}:
            return super().__call__(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                    removestops=removestops, start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, no_morph=no_morph, **kwargs)
        return self._tokens(value, positions, chars, removestops, start_pos, start_char, mode, no_morph, kwargs)

    def _tokens(self, value, positions, chars, removestops, start_pos, start_char, mode, no_morph, kwargs):
        tokenizer, _lowercase, charset, stopper, compound, stemmer = self.items
        assert isinstance(value, str), f"{value!r} is not unicode"
        charmap, stops, renumber = charset.charmap, stopper.stops, stopper.renumber
        minsize, maxsize = stopper.min, len(value) + 1 if stopper.max is None else stopper.max
        stem, ignore = (None if no_morph else _stemmer_of(stemmer)), stemmer.ignore
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        kept_pos = None  # StopFilter's renumbered position of the last word kept
        shift = 0  # CompoundFilter's positions added by split compounds
        # Without character offsets the matched strings are enough, and findall is quicker.
        matches = tokenizer.expression.finditer(value) if chars else tokenizer.expression.findall(value)
        for i, match in enumerate(matches):
            text = (match.group(0) if chars else match).lower()
            if not text.isascii():  # the accent map leaves lowercase ASCII as it is
                text = text.translate(charmap)
            stopped = not (minsize <= len(text) <= maxsize) or text in stops
            if stopped and removestops:
                continue
            t.text, t.boost, t.stopped = text, 1.0, stopped
            if positions:
                pos = start_pos + i
                if renumber and not stopped:
                    kept_pos = pos if kept_pos is None else kept_pos + 1
                    pos = kept_pos
                t.pos = pos + shift
            if chars:
                t.startchar, t.endchar = start_char + match.start(), start_char + match.end()
            if text.isalnum() or not _SEPARATOR.search(text):
                if stem is not None and not stopped and text not in ignore:
                    t.text = stem(text)
                yield t
                continue
            added = compound.added_positions(text)
            for part in compound.split(t):
                if stem is not None and not stopped and part.text not in ignore:
                    part.text = stem(part.text)
                yield part
            shift += added


def news_analyzer() -> Analyzer:
    """Lowercase, accent-folded (Yaounde finds Yaoundé), English stop words dropped, identifiers kept, stemmed."""
    return NewsAnalyzer(news_chain())


def news_chain() -> CompositeAnalyzer:
    """The news analyzer as Whoosh's chain of filters: its definition, which NewsAnalyzer runs faster."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | CompoundFilter()
        | StemFilter(stemfn=stem, cachesize=50000)
    )


def stem_word(word: str) -> str:
    """A lowercase word as the analyzer's stemmer leaves it."""
    return stem(word)
