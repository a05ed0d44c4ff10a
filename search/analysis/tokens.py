"""Words in every script: letters, digits, combining marks and joiners kept together, identifiers
joined (COVID-19), and scripts written without spaces cut into overlapping character pairs."""

from __future__ import annotations

import re

import regex
from whoosh.analysis import Tokenizer
from whoosh.analysis.acore import Token

# Scripts written without spaces between words: Hangul, kana (with the iteration marks), Han and Thai.
# Their runs are indexed as overlapping character pairs (as Lucene's CJKBigramFilter does), a lone
# character as itself: a word of two characters is one pair, a longer word the pairs a query of it makes.
UNSPACED_CHARS = (
    "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"  # Hangul
    "\u3005-\u3007\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # kana, 々 〆 〇
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"  # Han
    "\u0e00-\u0e7f"  # Thai, its vowel and tone marks included
)
# A word character: a letter, digit or underscore (Python's \w), a combining mark (Devanagari and Thai
# vowel signs, Arabic harakat: \w has none of them) or a joiner (ZWNJ/ZWJ, inside Persian and Indic words).
_WORD_CHAR = rf"[[\p{{L}}\p{{N}}_\p{{M}}\u200c\u200d]--[{UNSPACED_CHARS}]]"
# Words joined by inner punctuation into one token when they form an identifier (COVID-19, 47/50-POL,
# 1,275, U.S., AT&T; CompoundFilter then splits it); group 1 is a run of unspaced script, group 2 a word.
TOKEN_PATTERN = rf"([{UNSPACED_CHARS}]+)|({_WORD_CHAR}+(?:[-/.,&]{_WORD_CHAR}+)*)"
TOKENS = regex.compile(TOKEN_PATTERN, regex.V1)
# In a text with no mark, joiner or unspaced script (most English text) the same words, found by re
# (twice as fast as the regex module): TOKEN_PATTERN as it was before every script was kept whole.
PLAIN_TOKENS = re.compile(r"\w+(?:[-/.,&]\w+)*")
_SPECIAL = regex.compile(rf"[\p{{M}}\u200c\u200d{UNSPACED_CHARS}]")
# Characters that can never be a mark, a joiner or unspaced script: Latin-1, and the punctuation,
# currency and letterlike symbols of English text (curly quotes, dashes, the euro sign). Found by re,
# a small class: a text with none of anything else skips _SPECIAL's slower search.
_MAYBE_SPECIAL = re.compile("[^\x00-\u02ff\u2000-\u200b\u200e-\u206f\u20a0-\u20cf\u2100-\u218f]")
_UNSPACED = regex.compile(rf"[{UNSPACED_CHARS}]")
_PLAIN_WORDS = regex.compile(rf"([{UNSPACED_CHARS}]+)|({_WORD_CHAR}+)", regex.V1)


def needs_script_pattern(text: str) -> bool:
    """Whether a text holds a combining mark, a joiner or unspaced script: then only TOKENS cuts it right."""
    if text.isascii():
        return False
    first = _MAYBE_SPECIAL.search(text)
    return first is not None and _SPECIAL.search(text, first.start()) is not None


def is_unspaced(text: str) -> bool:
    """Whether a token is of a script written without spaces (a character pair or a lone character)."""
    return _UNSPACED.match(text) is not None


def character_pairs(run: str) -> list[str]:
    """A run of unspaced script as its overlapping character pairs (a lone character as itself)."""
    return [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]


def plain_words(text: str) -> tuple[list[str], int]:
    """The words of a text (runs of word characters, marks and joiners included) with each character of
    unspaced script counted as a word, and how many of those there are."""
    out: list[str] = []
    unspaced = 0
    for run, word in _PLAIN_WORDS.findall(text):
        if run:
            out.extend(run)
            unspaced += len(run)
        else:
            out.append(word)
    return out, unspaced


def text_tokens(text: str) -> list[str]:
    """The tokens of a text as written (not lowercased): words, and pairs of unspaced script."""
    if not needs_script_pattern(text):
        return PLAIN_TOKENS.findall(text)
    out: list[str] = []
    for run, word in TOKENS.findall(text):
        if run:
            out.extend(character_pairs(run))
        else:
            out.append(word)
    return out


def token_spans(text: str):
    """(start, end) of each token of a text, as text_tokens cuts it."""
    if not needs_script_pattern(text):
        for match in PLAIN_TOKENS.finditer(text):
            yield match.span()
        return
    for match in TOKENS.finditer(text):
        if match.group(1):
            start, end = match.span()
            if end - start == 1:
                yield start, end
            else:
                for i in range(start, end - 1):
                    yield i, i + 2
        else:
            yield match.span()


class ScriptTokenizer(Tokenizer):
    """Whoosh's RegexTokenizer for TOKEN_PATTERN, with runs of unspaced script yielded as character pairs."""

    def __eq__(self, other) -> bool:
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        assert isinstance(value, str), f"{value!r} is not unicode"
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for i, (start, end) in enumerate(token_spans(value)):
            t.text = value[start:end]
            t.boost = 1.0
            if keeporiginal:
                t.original = t.text
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t
