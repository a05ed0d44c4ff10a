"""Per-line signals and the line model: how likely each line of a page is article text.

Two stages, each a logistic model whose weights are data in boilerplate.py (fitted by
`bench/fit_lines.py --fit`, measured held out by its --kfold, sites grouped). Stage one reads a
line's own signals and its neighbours' (length, stopword density, punctuation, link density, markup,
site template) and, in HTML, the elements around it (blocks.py); stage two smooths with the stage-one
scores around the line and where the line sits relative to the page's mass of likely text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import numpy as np

from ..analysis.stopwords import FOREIGN_STOPWORDS
from .boilerplate import (
    ACTION_PATTERNS,
    CAPTION_TAGS,
    CJK_STOP_SCALE,
    CJK_STOPCHARS,
    CLASS_KINDS,
    HEADING_TAGS,
    MACHINERY_PATTERNS,
    MIN_PROSE_WORDS,
    MIN_UNLISTED_PROSE_WORDS,
    POST_FOOTER_PATTERNS,
    STOPWORDS,
    WIDGET_SYMBOLS,
    WIDGET_WORDS,
)

_WORD = re.compile(r"\w+(?:[.'’-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…:。！？][\"”’')\]」』）]*$")
# A sentence ends a line (a colon does not: it runs on into what it introduces).
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_PUNCT = re.compile(r"[,.;:!?，。、；：！？]")
# Chinese, Japanese and Korean script: no spaces between words, so each character counts as a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SEPARATORS = re.compile(r"\s[|•·»/]\s|\s[|•]$|^[|•]\s")
_DIGIT = re.compile(r"\d")


def words_of(text: str) -> list[str]:
    """The words of a text, with inner dots, hyphens and apostrophes kept (U.S., COVID-19, don't)."""
    return _WORD.findall(text)


def runs_on(text: str, after: str) -> bool:
    """A line that ends mid-sentence and a next line that starts in lower case: one paragraph broken."""
    return after[:1].islower() and not SENTENCE_END.search(text)


def is_widget(text: str) -> bool:
    """A line made only of widget labels, numbers and symbols (font-size controls, share counters)."""
    stripped = text.strip(WIDGET_SYMBOLS + " \t")
    tokens = [t.lower() for t in re.findall(r"[^\W\d_]+", text)]
    if not tokens:
        return len(stripped) < 40
    return len(text) < 60 and all(t in WIDGET_WORDS for t in tokens)


def _joined(patterns: tuple[re.Pattern, ...]) -> tuple[re.Pattern, re.Pattern]:
    """The patterns anchored at the start joined for re.match (tried at the start only), and the
    others joined for re.search: all joined in one search would try every anchored pattern at
    every position too, four times slower on an article's lines."""
    anchored = [p.pattern[1:] for p in patterns if p.pattern.startswith("^")]
    anywhere = [p.pattern for p in patterns if not p.pattern.startswith("^")]

    def join(parts: list[str]) -> re.Pattern:
        return re.compile("|".join(f"(?:{part})" for part in parts) or "(?!)", re.IGNORECASE)
    return join(anchored), join(anywhere)


SITE_MESSAGE = "script or site message"
POST_FOOTER = "blog footer (filing, feed or comment notice)"
# Reasons that drop a line whatever its score: such a line is never the article's text.
NEVER_ARTICLE = frozenset({SITE_MESSAGE, POST_FOOTER})

_MACHINERY_START, _MACHINERY_ANYWHERE = _joined(MACHINERY_PATTERNS)
_FOOTER_START, _FOOTER_ANYWHERE = _joined(POST_FOOTER_PATTERNS)
_ACTION_START, _ACTION_ANYWHERE = _joined(ACTION_PATTERNS)


@lru_cache(maxsize=65536)
def machinery_reason(text: str) -> str:
    """Why a line is a widget, a script message or an action line by its words alone, else ""."""
    if is_widget(text):
        return "widget text"
    if _MACHINERY_START.match(text) or _MACHINERY_ANYWHERE.search(text):
        return SITE_MESSAGE
    if _FOOTER_START.match(text) or _FOOTER_ANYWHERE.search(text):
        return POST_FOOTER
    if _ACTION_START.match(text) or _ACTION_ANYWHERE.search(text):
        return "share, subscribe or navigation line"
    return ""


_STOPWORD_SETS = (STOPWORDS, *FOREIGN_STOPWORDS.values())
_LANGUAGES_OF: dict[str, tuple[int, ...]] = {}
for _k, _stops in enumerate(_STOPWORD_SETS):
    for _w in _stops:
        _LANGUAGES_OF[_w] = (*_LANGUAGES_OF.get(_w, ()), _k)


def stop_ratio(words: list[str]) -> float:
    """The share of words that are function words, in whichever known language has the most of them."""
    if not words:
        return 0.0
    counts = [0] * len(_STOPWORD_SETS)
    for w in words:
        for k in _LANGUAGES_OF.get(w.lower(), ()):
            counts[k] += 1
    return max(counts) / len(words)


@lru_cache(maxsize=65536)
def text_stats(text: str) -> tuple[int, float]:
    """A line's word count and function-word ratio (cached: templates, markup and model all ask)."""
    cjk = _CJK.findall(text)
    if len(cjk) > 3:
        words = words_of(_CJK.sub(" ", text))
        # Function characters are rarer per character than function words per word: scale to match.
        stops = min(1.0, CJK_STOP_SCALE * sum(c in CJK_STOPCHARS for c in cjk) / len(cjk))
        return len(words) + len(cjk) // 2, stops
    words = words_of(text)
    return len(words), stop_ratio(words)


def is_prose_shaped(line) -> bool:
    """A line that reads as running prose on its own: long enough, dense with function words (or, in a
    language not listed, long and punctuated as sentences), few links."""
    n, stops = text_stats(line.text)
    if n < MIN_PROSE_WORDS or line.link_density > 0.33:
        return False
    return stops >= 0.2 or (n >= MIN_UNLISTED_PROSE_WORDS and bool(_SENTENCE_END.search(line.text))
                            and len(_PUNCT.findall(line.text)) >= 2)


def own_signals(line, position: float, template: float, is_template: bool) -> list[float]:
    """The signals of one line on its own, in the order the stage-one weights expect."""
    text = line.text
    n, stops = text_stats(text)
    caps = sum(w[:1].isupper() for w in text.split()) / max(1, len(text.split()))
    return [
        math.log1p(n),
        float(n < 4),
        float(n >= 20),
        stops,
        line.link_density,
        float(bool(_SENTENCE_END.search(text))),
        min(1.0, len(_PUNCT.findall(text)) / max(1, n)),
        caps,
        len(_DIGIT.findall(text)) / max(1, len(text)),
        template,
        float(is_template),
        float(bool(machinery_reason(text))),
        position,
        float(line.tag in HEADING_TAGS),
        float(line.tag in ("li", "dt", "dd")),
        float(line.tag == "p"),
        float(bool(line.furniture)),
        float(bool(line.dropped)),
        float(line.in_main),
        float(bool(_SEPARATORS.search(text))),
    ]


# A table cell is no signal of its own: layout tables hold whole articles on some sites and only
# menus on others (its weight swung from -0.1 to +3.5 between fits on different sets).
_NEIGHBOUR_SIGNALS = (0, 3, 4, 10)  # log length, stopword ratio, link density, template flag
_OFFSETS = (-2, -1, 1, 2)
_KINDS = tuple(CLASS_KINDS)


def stage_one_rows(lines, templates: list[float], threshold: float) -> list[list[float]]:
    """Stage-one inputs for every line: own signals, neighbours' signals, and the prose around it."""
    n = len(lines)
    own = [own_signals(line, i / max(1, n - 1), templates[i], templates[i] >= threshold)
           for i, line in enumerate(lines)]
    prose = [is_prose_shaped(line) and templates[i] < threshold for i, line in enumerate(lines)]
    prose_at = [i for i, p in enumerate(prose) if p]
    first, last = (prose_at[0], prose_at[-1]) if prose_at else (n, -1)
    rows = []
    nearest = _distances(prose)
    twins = Counter(line.text for line in lines)
    main_at = [i for i, line in enumerate(lines) if line.in_main]
    main_first, main_last = (main_at[0], main_at[-1]) if main_at else (n, -1)
    for i in range(n):
        row = [1.0, *own[i]]
        for off in _OFFSETS:
            j = i + off
            row.extend(own[j][k] for k in _NEIGHBOUR_SIGNALS) if 0 <= j < n else row.extend((0.0,) * 4)
        window = prose[max(0, i - 3): i + 4]
        text = lines[i].text
        # A paragraph broken over several lines (text saved with the source's line breaks).
        continues = i > 0 and text[:1].islower() and not _SENTENCE_END.search(lines[i - 1].text)
        continued = i + 1 < n and lines[i + 1].text[:1].islower() and not _SENTENCE_END.search(text)
        row.extend((
            float(continues),
            float(continued),
            sum(window) / len(window),
            float(i < first),
            float(i > last),
            math.log1p(nearest[i]),
            float(not prose_at),
            # The markup around the line (appended last: weights fitted before they existed still apply).
            lines[i].box_links,
            math.log1p(lines[i].above_main),
            math.log1p(lines[i].repeats),
            float(twins[text] > 1),
            *(float(lines[i].kind == kind) for kind in _KINDS),
            float(lines[i].tag in CAPTION_TAGS),
            float(i < main_first),
            float(i > main_last),
        ))
        rows.append(row)
    return rows


def _distances(flags: list[bool]) -> list[int]:
    """For each position, the distance to the nearest flagged position (a large number when none)."""
    n = len(flags)
    far = n + 50
    out = [far] * n
    last = -far
    for i in range(n):
        if flags[i]:
            last = i
        out[i] = i - last
    last = 2 * far + n
    for i in range(n - 1, -1, -1):
        if flags[i]:
            last = i
        out[i] = min(out[i], last - i)
    return out


def stage_two_rows(sizes, first):
    """Stage-two inputs (a numpy matrix, a row a line): the line's stage-one score, the scores around it,
    and the text mass before and after it; `sizes` are the lines' word counts."""
    n = len(first)
    mass = first * sizes
    total = mass.sum() or 1.0
    before = np.concatenate(([0.0], np.cumsum(mass)[:-1]))
    after = total - before - mass
    sums = np.concatenate(([0.0], np.cumsum(first)))
    at = np.arange(n)

    def mean(lo: int, hi: int):
        # The mean score of the lines from i+lo to i+hi, the line itself left out.
        a, b = np.clip(at + lo, 0, n), np.clip(at + hi + 1, 0, n)
        total_in, count = sums[b] - sums[a], (b - a).astype(float)
        if lo <= 0 <= hi:
            total_in, count = total_in - first, count - 1
        return np.where(count > 0, total_in / np.maximum(count, 1), 0.0)
    q = np.clip(first, 1e-4, 1 - 1e-4)
    return np.column_stack([np.ones(n), np.log(q / (1 - q)), mean(-1, 1), mean(-3, 3), mean(-8, 8),
                            np.maximum(mean(-3, -1), mean(1, 3)), np.minimum(1.0, before / total),
                            np.minimum(1.0, after / total), (before / total < 0.02).astype(float),
                            (after / total < 0.02).astype(float), np.log1p(sizes)])


def predict(rows, weights: tuple[float, ...]):
    """A logistic model's probabilities for each row (weights fitted before later columns existed
    leave those columns out)."""
    rows = np.asarray(rows, dtype=float)
    cols = min(len(weights), rows.shape[1])
    return 1.0 / (1.0 + np.exp(-np.clip(rows[:, :cols] @ np.asarray(weights[:cols], dtype=float), -30.0, 30.0)))


def score_lines(lines, templates: list[float], model: dict) -> list[float]:
    """The probability that each line is article text, from the two-stage line model."""
    if not lines:
        return []
    first = predict(stage_one_rows(lines, templates, model["template_share"]), model["stage_one"])
    if not model.get("stage_two"):
        return first.tolist()
    sizes = np.array([text_stats(line.text)[0] for line in lines], dtype=float)
    return predict(stage_two_rows(sizes, first), model["stage_two"]).tolist()
