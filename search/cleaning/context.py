"""Context rules: decisions about a line from the lines around it, once the line model has scored them
(paragraphs broken over lines, the article's element, runs of teasers, lines between kept lines, lists)."""

from __future__ import annotations

import bisect

from .boilerplate import (
    CAPTION_TAGS,
    COMMENT_ARTICLE_WORDS,
    HEADING_TAGS,
    HEADLINE_WORDS,
    LIST_ITEM_WORDS,
    LIST_MAX_ITEMS,
    MAIN_MIN_SHARE,
    MAIN_PROSE_WORDS,
    MAIN_REACH,
    RESCUE_NEAR_SCORE,
    RESCUE_REACH,
    RESCUE_SCORE,
    TEASER_GAP,
    TEASER_MAX_WORDS,
    TEASER_MIN_COUNT,
    WRAPPED_LINE_WORDS,
)
from .features import SENTENCE_END, is_prose_shaped, machinery_reason, runs_on, words_of
from .markup import Line


def is_headline(text: str) -> bool:
    """A line shaped like a headline: a few words, not ending like a sentence fragment of a menu."""
    n = len(words_of(text))
    return HEADLINE_WORDS[0] <= n <= HEADLINE_WORDS[1] and not text.endswith((":", ",", "|"))


def whole_paragraphs(lines: list[Line], probs: list[float], keep: list[bool], threshold: float,
                      text_form: bool) -> list[bool]:
    """One decision for a paragraph broken over several lines (a line that ends mid-sentence and a next
    line that starts in lower case): kept when its lines' scores, weighted by length, reach the threshold,
    or, on a text page, for a paragraph wrapped at a fixed width, when its best-scored line does."""
    keep = list(keep)
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and runs_on(lines[j].text, lines[j + 1].text):
            j += 1
        if j > i:
            sizes = [len(words_of(lines[k].text)) + 1 for k in range(i, j + 1)]
            score = sum(probs[k] * n for k, n in zip(range(i, j + 1), sizes, strict=True)) / sum(sizes)
            if text_form and all(n > WRAPPED_LINE_WORDS for n in sizes[:-1]):
                # Wrapped at a fixed width (every line but the last a full one): each fragment is scored
                # without the sentences around it, so the best-scored one speaks for the paragraph. (In
                # HTML each fragment is a block of its own, and the markup around it is evidence enough.)
                score = max(score, *probs[i:j + 1])
            for k in range(i, j + 1):
                keep[k] = score >= threshold
        i = j + 1
    return keep


def drop_outside_main(lines: list[Line], keep: list[bool], forced: dict[int, str]) -> None:
    """HTML: drop kept lines far outside the element holding the article's prose (a gallery, teasers,
    comments), however prose-like they are, when that element holds most of the kept text."""
    main = [i for i, k in enumerate(keep) if k and lines[i].in_main]
    sizes = [len(words_of(line.text)) for line in lines]
    kept_words = sum(n for n, k in zip(sizes, keep, strict=True) if k)
    if not main or sum(sizes[i] for i in main) < MAIN_MIN_SHARE * kept_words:
        return
    for i, k in enumerate(keep):
        if k and not lines[i].in_main and not main[0] - MAIN_REACH <= i <= main[-1] + MAIN_REACH:
            keep[i], forced[i] = False, "outside the article's element"


def drop_comment_threads(lines: list[Line], keep: list[bool], forced: dict[int, str]) -> None:
    """HTML: drop the lines of elements classed as comments when the page has an article of its own
    outside them: readers' comments under a story are not the story."""
    if not any(k and line.kind == "comment" for line, k in zip(lines, keep, strict=True)):
        return  # most pages: no kept comment, so the article need not be measured
    article = sum(len(words_of(line.text)) for line in lines
                  if line.kind != "comment" and not line.dropped and is_prose_shaped(line))
    if article < COMMENT_ARTICLE_WORDS:
        return
    for i, line in enumerate(lines):
        if keep[i] and line.kind == "comment":
            keep[i], forced[i] = False, "comment thread"


def teaser_runs(lines: list[Line], keep: list[bool]) -> list[range]:
    """HTML: runs of teasers of other pages among the kept lines (a short paragraph right under its own
    linked headline, again and again), as in a "more stories" block or on a section front."""
    teasers = [i for i, k in enumerate(keep) if k and i > 0 and not lines[i].link_density
               and 8 <= len(words_of(lines[i].text)) <= TEASER_MAX_WORDS
               and lines[i - 1].link_density >= 0.8 and lines[i - 1].tag != "li"
               and (lines[i - 1].tag in HEADING_TAGS or is_headline(lines[i - 1].text))]
    if len(teasers) < TEASER_MIN_COUNT:
        return []  # most pages: too few teasers for a run, so the paragraphs need not be measured
    # A kept paragraph longer than any teaser, mostly unlinked, between two of them is the article's own
    # text: a block of teasers holds headlines and short paragraphs only (an article may open under a
    # "top stories" block and have a short, linked note of its source above its first paragraph).
    prose = [i for i, k in enumerate(keep) if k and lines[i].link_density < 0.5
             and len(words_of(lines[i].text)) > TEASER_MAX_WORDS]
    runs, start = [], 0
    for k in range(1, len(teasers) + 1):
        # (prose is in page order: a bisection finds whether one lies between the two teasers)
        if (k == len(teasers) or teasers[k] - teasers[k - 1] > TEASER_GAP
                or bisect.bisect_right(prose, teasers[k - 1]) < bisect.bisect_left(prose, teasers[k])):
            if k - start >= TEASER_MIN_COUNT:
                runs.append(range(teasers[start] - 1, teasers[k - 1] + 1))
            start = k
    return runs


def keep_between(lines: list[Line], keep: list[bool], probs: list[float], shares: list[float],
                  template_share: float) -> None:
    """Context smoothing: running prose between kept lines is article, whatever its neighbours, and so
    is a fair-scoring short line (a list item, a subhead) close to kept lines on both sides."""
    kept = [i for i, k in enumerate(keep) if k]
    if not kept:
        return
    before = after = None
    near = [False] * len(lines)
    for i in range(len(lines)):
        before = i if keep[i] else before
        near[i] = before is not None and i - before <= RESCUE_REACH
    for i in range(len(lines) - 1, -1, -1):
        after = i if keep[i] else after
        near[i] = near[i] and after is not None and after - i <= RESCUE_REACH
    for i in range(kept[0] + 1, kept[-1]):
        if keep[i] or shares[i] >= template_share or lines[i].link_density > 0.5 or machinery_reason(lines[i].text):
            continue
        if (is_prose_shaped(lines[i]) and probs[i] >= RESCUE_SCORE) or (near[i] and probs[i] >= RESCUE_NEAR_SCORE):
            keep[i] = True


def keep_introduced_lists(lines: list[Line], keep: list[bool], shares: list[float], template_share: float) -> None:
    """A list the article introduces (a line ending in a colon, then short items) and that the article
    goes on after is article, however little each item says on its own (ingredients, rankings, steps)."""
    kept = [i for i, k in enumerate(keep) if k]
    if not kept:
        return
    for i in range(kept[0], kept[-1]):
        text = lines[i].text
        if not text.endswith(":") or len(words_of(text)) < 3 or machinery_reason(text) or not (keep[i] or keep[i - 1]):
            continue
        j = i + 1
        while j < len(lines) and j - i <= LIST_MAX_ITEMS and len(words_of(lines[j].text)) <= \
                LIST_ITEM_WORDS and lines[j].link_density <= 0.5 and shares[j] < template_share \
                and not machinery_reason(lines[j].text):
            j += 1
        if j < len(lines) and keep[j] and j > i + 1:
            for k in range(i, j):
                keep[k] = True


def own_lines(lines: list[Line], shares: list[float], template_share: float) -> list[bool]:
    """Which lines are the page's own: neither the site's template nor in an element never article."""
    return [share < template_share and not line.dropped for line, share in zip(lines, shares, strict=True)]


def keep_prose_in_main(lines: list[Line], keep: list[bool], shares: list[float], template_share: float,
                       forced: dict[int, str]) -> None:
    """HTML: a paragraph of running prose inside the element holding the article is article, wherever it
    sits there (a table's descriptions, a section after a figure), unless it is site template, furniture,
    in an element whose class names what it holds (a caption, a byline, a share bar), a caption element,
    or a site message (a cookie notice)."""
    for i, line in enumerate(lines):
        if not keep[i] and line.in_main and not line.furniture and not line.dropped and i not in forced \
                and not line.kind and line.tag not in CAPTION_TAGS \
                and shares[i] < template_share and len(words_of(line.text)) >= MAIN_PROSE_WORDS \
                and SENTENCE_END.search(line.text) and is_prose_shaped(line) and not machinery_reason(line.text):
            keep[i] = True
