"""Text analysis shared by indexing, querying, highlighting and spelling: one analyzer factory, used
at index and query time alike, a chain per language (as Lucene composes its language analyzers)."""

from __future__ import annotations

import functools
import re
import threading

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, StemFilter, StopFilter
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer, CompositeAnalyzer
from whoosh.analysis.filters import STOP_WORDS
from whoosh.support.charset import accent_map

from .languages import DEFAULT_LANGUAGE, SNOWBALL, analysed_language
from .stopwords import QUERY_STOP_WORDS, query_stop_words
from .tokens import PLAIN_TOKENS, TOKENS, ScriptTokenizer, character_pairs, is_unspaced, needs_script_pattern

_SEPARATOR = re.compile(r"[-/.,&]")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL = re.compile(r"\d+\.\d+")

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


class ScriptStopFilter(StopFilter):
    """Whoosh's StopFilter, keeping a lone character of unspaced script (a Han word of one character)."""

    def __call__(self, tokens):
        stops, minsize, maxsize, renumber = self.stops, self.min, self.max, self.renumber
        pos = None
        for t in tokens:
            text = t.text
            if ((len(text) >= minsize or is_unspaced(text)) and (maxsize is None or len(text) <= maxsize)
                    and text not in stops):
                if renumber and t.positions:
                    pos = t.pos if pos is None else pos + 1
                    t.pos = pos
                t.stopped = False
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


_stemmers = threading.local()  # PyStemmer's stemmers are not safe to share between threads


def snowball_stemmer(algorithm: str):
    """This thread's PyStemmer stemWord function for a Snowball algorithm ("russian")."""
    stemmers = _stemmers.__dict__
    if algorithm not in stemmers:
        import Stemmer

        stemmers[algorithm] = Stemmer.Stemmer(algorithm, 50000).stemWord
    return stemmers[algorithm]


class SnowballFilter(Filter):
    """Stem words with a Snowball stemmer (PyStemmer, in C); pairs of unspaced script are left as they are."""

    is_morph = True  # left out of the chain for spelling words (no_morph), as Whoosh's StemFilter is

    def __init__(self, algorithm: str):
        self.algorithm = algorithm

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.algorithm == self.algorithm

    def __call__(self, tokens):
        stem_fn = snowball_stemmer(self.algorithm)
        for t in tokens:
            if not t.stopped and not is_unspaced(t.text):
                t.text = stem_fn(t.text)
            yield t


# English Snowball ("Porter 2"), in C (PyStemmer): it ranks better than Whoosh's Porter on the six
# IR collections (bench/ranking.py) and stems several times faster.


def stem(word: str) -> str:
    """A lowercase word's English Snowball stem (a module function, so the pickled schema names it),
    by this thread's stemmer."""
    return snowball_stemmer("english")(word)


# Stems remembered: the stemmer is pure, and functools' cache costs less a call than Whoosh's.
_cached_stem = functools.lru_cache(maxsize=50000)(stem)


def _stemmer_of(stemmer: StemFilter):
    """The stemming function a StemFilter applies, cached."""
    return _cached_stem if stemmer.stemfn is stem and not stemmer.lang else stemmer._stem


ENGLISH = "en"  # the analysis key of English (and of any document of no known language)
PLAIN = "plain"  # the analysis key of languages without a stemmer: words folded, never stemmed


@functools.lru_cache(maxsize=1024)
def analysis_key(lang: str | None) -> str:
    """Which analysis a language's text gets: "en", a Snowball algorithm, or "plain" (no stemmer)."""
    code = analysed_language(lang) or DEFAULT_LANGUAGE
    if code == "en":
        return ENGLISH
    return SNOWBALL.get(code, PLAIN)


def english_chain() -> CompositeAnalyzer:
    """English: lowercase, accent-folded (Yaounde finds Yaoundé), English stop words dropped, identifiers kept,
    stemmed (the English stemmer is chosen here, and only here)."""
    return (
        ScriptTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | ScriptStopFilter()
        | CompoundFilter()
        | StemFilter(stemfn=stem, cachesize=50000)
    )


def language_chain(key: str) -> CompositeAnalyzer:
    """The chain of filters one analysis key stands for: its definition, which LanguageAnalyzer runs faster.

    Other languages keep their function words in the index (a query drops them) and are folded after
    stemming, so the stemmer sees the word as written (Snowball's rules know its accents).
    """
    if key == ENGLISH:
        return english_chain()
    chain = ScriptTokenizer() | LowercaseFilter()
    if key == PLAIN:
        return chain | CharsetFilter(accent_map) | ScriptStopFilter(stoplist=()) | CompoundFilter()
    return (chain | ScriptStopFilter(stoplist=()) | CompoundFilter() | SnowballFilter(key)
            | CharsetFilter(accent_map))


def news_chain() -> CompositeAnalyzer:
    """The English analyzer as Whoosh's chain of filters (what the index did for every document before)."""
    return english_chain()


class LanguageAnalyzer(CompositeAnalyzer):
    """One language's chain run as one loop: the same tokens as the chain, a few times faster.

    Whoosh runs a chain as one generator per filter, each called for every token; indexing a
    document spends most of its analysis time passing tokens between them. The chain itself
    stays the definition (and runs for arguments this loop does not handle).
    """

    def __init__(self, key: str):
        super().__init__(*language_chain(key).items)
        self.key = key
        kinds = [type(item) for item in self.items]
        stop_at = kinds.index(ScriptStopFilter)
        self._fold_first = CharsetFilter in kinds[:stop_at]
        self._fold_last = CharsetFilter in kinds[stop_at:]
        self._stopper = self.items[stop_at]
        self._compound = self.items[kinds.index(CompoundFilter)]
        self._stemmer = next((item for item in self.items if isinstance(item, StemFilter | SnowballFilter)), None)

    def __getstate__(self):
        return {"key": self.key}

    def __setstate__(self, state):
        self.__init__(state["key"])

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        if keeporiginal or not tokenize or kwargs.keys() - {"boosts"}:
            return super().__call__(value, positions=positions, chars=chars, keeporiginal=keeporiginal,
                                    removestops=removestops, start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, no_morph=no_morph, **kwargs)
        return self._tokens(value, positions, chars, removestops, start_pos, start_char, mode, no_morph, kwargs)

    def _stem_function(self):
        stemmer = self._stemmer
        if stemmer is None:
            return None, frozenset()
        if isinstance(stemmer, SnowballFilter):
            return snowball_stemmer(stemmer.algorithm), frozenset()
        return _stemmer_of(stemmer), stemmer.ignore

    def _tokens(self, value, positions, chars, removestops, start_pos, start_char, mode, no_morph, kwargs):
        assert isinstance(value, str), f"{value!r} is not unicode"
        stopper, compound = self._stopper, self._compound
        charmap = accent_map
        fold_first, fold_last = self._fold_first, self._fold_last
        stops, renumber = stopper.stops, stopper.renumber
        minsize, maxsize = stopper.min, len(value) + 1 if stopper.max is None else stopper.max
        stem, ignore = (None, frozenset()) if no_morph else self._stem_function()
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        kept_pos = None  # StopFilter's renumbered position of the last word kept
        shift = 0  # CompoundFilter's positions added by split compounds
        i = -1  # the tokenizer's position of the last token
        # Without character offsets the matched strings are enough, and findall is quicker; a text of
        # no mark, joiner or unspaced script is cut by re's quicker pattern, into the same words.
        scripts = needs_script_pattern(value)
        pattern = TOKENS if scripts else PLAIN_TOKENS
        for match in pattern.finditer(value) if chars else pattern.findall(value):
            if scripts:
                run, word = match.groups() if chars else match
            else:
                run, word = None, match.group(0) if chars else match
            if run:
                # Unspaced script: character pairs, never stopped, folded or stemmed.
                begin = start_char + match.start() if chars else 0
                for k, pair in enumerate(character_pairs(run)):
                    i += 1
                    t.text, t.boost, t.stopped = pair, 1.0, False
                    if positions:
                        if renumber:
                            kept_pos = start_pos + i if kept_pos is None else kept_pos + 1
                            t.pos = kept_pos + shift
                        else:
                            t.pos = start_pos + i + shift
                    if chars:
                        t.startchar, t.endchar = begin + k, begin + k + len(pair)
                    yield t
                continue
            i += 1
            text = word.lower()
            if fold_first and not text.isascii():  # the accent map leaves lowercase ASCII as it is
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
                if fold_last and not t.text.isascii():
                    t.text = t.text.translate(charmap)
                yield t
                continue
            added = compound.added_positions(text)
            for part in compound.split(t):
                if stem is not None and not stopped and part.text not in ignore:
                    part.text = stem(part.text)
                if fold_last and not part.text.isascii():
                    part.text = part.text.translate(charmap)
                yield part
            shift += added


@functools.cache
def language_analyzer(key: str) -> LanguageAnalyzer:
    """The analyzer of one analysis key (see analysis_key), made once."""
    return LanguageAnalyzer(key)


class MultilingualAnalyzer(Analyzer):
    """The index's analyzer: a document's text analysed as its language is (`lang`), a query as each of the
    analysis keys given (`languages`), the forms each makes of a word yielded at the word's one position."""

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def has_morph(self) -> bool:
        # Stems: so the index keeps words as written apart, for spelling and completions.
        return True

    def __call__(self, value, lang=None, languages=None, positions=False, chars=False, start_pos=0,
                 start_char=0, **kwargs):
        if not languages or len(languages) == 1:
            analyzer = language_analyzer(languages[0] if languages else analysis_key(lang))
            return analyzer(value, positions=positions, chars=chars, start_pos=start_pos, start_char=start_char,
                            **kwargs)
        return self._variants(value, languages, positions, chars, start_pos, start_char, kwargs)

    def _variants(self, value, languages, positions, chars, start_pos, start_char, kwargs):
        forms: dict[int, dict[str, tuple[int, bool]]] = {}  # start character -> form -> (end, stopped)
        for key in languages:
            for t in language_analyzer(key)(value, positions=True, chars=True, **kwargs):
                forms.setdefault(t.startchar, {}).setdefault(t.text, (t.endchar, t.stopped))
        t = Token(positions, chars, removestops=kwargs.get("removestops", True), mode=kwargs.get("mode", ""))
        for n, start in enumerate(sorted(forms)):
            for text, (end, stopped) in forms[start].items():
                t.text, t.boost, t.stopped = text, 1.0, stopped
                if positions:
                    t.pos = start_pos + n
                if chars:
                    t.startchar, t.endchar = start_char + start, start_char + end
                yield t


def news_analyzer() -> Analyzer:
    """The index's analyzer (MultilingualAnalyzer): a chain per language, English for a text of no known language."""
    return MultilingualAnalyzer()


def stem_word(word: str) -> str:
    """A lowercase word as the English stemmer leaves it."""
    return stem(word)


@functools.cache
def query_stop_terms(keys: tuple[str, ...]) -> frozenset[str]:
    """The function words of the languages of these analysis keys, as written and as each analysis leaves them."""
    terms: set[str] = set()
    for key in keys:
        if key == ENGLISH:
            terms |= QUERY_STOP_WORDS | {stem_word(w) for w in QUERY_STOP_WORDS}
            continue
        codes = [code for code, algorithm in SNOWBALL.items() if algorithm == key]
        for code in codes:
            words = query_stop_words(code)
            terms |= words
            terms |= {t.text for w in words for t in language_analyzer(key)(w, mode="query")}
    return frozenset(terms)
