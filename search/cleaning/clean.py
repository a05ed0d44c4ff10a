"""Cleaning: deciding, line by line, what is article and what is boilerplate, and reading metadata."""

from __future__ import annotations

import re

from ..analysis.languages import identify_language, normalize_language
from ..reading import mirror_host
from ..records import Document, Page, Removed
from .boilerplate import (
    ARTICLE_FREE_TAGS,
    LINE_MODELS,
    MAX_SIGNOFF_WORDS,
    MAX_SITE_LABEL_WORDS,
    MAX_TITLE_CHARS,
    MIN_ARTICLE_WORDS,
    RELATIVE_KEEP,
    STOPWORDS,
    TEMPLATE_MIN_SHARE,
    WHOLE_PAGE_WORDS,
)
from .context import (
    drop_comment_threads,
    drop_outside_main,
    is_headline,
    keep_between,
    keep_introduced_lists,
    keep_prose_in_main,
    own_lines,
    teaser_runs,
    whole_paragraphs,
)
from .dates import date_from_url, dateline_date
from .features import NEVER_ARTICLE, SENTENCE_END, is_prose_shaped, machinery_reason, score_lines, words_of
from .markup import Line, page_lines
from .metadata import Markup
from .templates import SiteTemplates, site_key

__all__ = ["clean_page", "clean_lines", "first_sentence", "shorten", "strip_title_suffix", "words_of"]

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|•|»|:)\s+")
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+$")
# Abbreviations that end in a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt rev gov sen rep inc ltd co corp no vs etc jan feb mar
    apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e""".split()
)
# Datelines are looked for only this many lines below the article's first kept line (past a byline,
# a caption, a share bar): later dates belong to the story, or to a list of other pages.
_DATELINE_REACH = 10
# A dateline with another (not the same line repeated) within this many lines is one of a list of
# dated items (teasers of other pages, comments), not the article's.
_DATELINE_LIST_GAP = 3
# ... and only this many lines above its start: a date further up sits in a menu, an infobox or a
# list of other pages (a text page's "Dominion 26 September 1907"), not beside the headline.
_DATELINE_LEAD = 12


def first_sentence(text: str) -> str:
    """The first sentence of a text, not fooled by abbreviations such as "Dr." or "U.S."."""
    for match in re.finditer(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])", text):
        # A mark with nothing before it (a page starting ". ") ends no word: "" is no abbreviation.
        before = (text[: match.start()].rsplit(None, 1) or [""])[-1].lower().strip("\"“(")
        if before in _ABBREVIATIONS or re.fullmatch(r"[a-z]", before):
            continue
        return text[: match.end()].strip()
    return text.strip()


def shorten(text: str, limit: int = MAX_TITLE_CHARS) -> str:
    """Cut text on a word boundary to at most about `limit` characters, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return cut + "…"


def _norm(text: str) -> str:
    return " ".join(w.lower() for w in words_of(text))


def strip_title_suffix(title: str, site: str | None, headline: str | None = None) -> str:
    """The headline part of a page title: drop " | Site Name" and similar site labels at either end."""
    title = " ".join(title.split())
    pieces = _TITLE_SEPARATORS.split(title)
    parts = [(p.strip(), len(words_of(p))) for p in pieces]
    if len(parts) < 2:
        return title
    if headline and any(_norm(p) == _norm(headline) for p, _ in parts) and \
            max(n for _, n in parts) == len(words_of(headline)):
        return headline  # the page's own headline is the main part of its title
    site_norm = _norm(site or "")

    def is_label(part: str, n: int, rest: int) -> bool:
        if site_norm and ((key := _norm(part)) in site_norm or site_norm in key):
            return rest > 0
        return n <= MAX_SITE_LABEL_WORDS and rest >= 3 and rest > n

    start, end = 0, len(parts)
    while end - start > 1:
        rest = sum(n for _, n in parts[start:end])
        if is_label(*parts[end - 1], rest - parts[end - 1][1]):
            end -= 1
        elif is_label(*parts[start], rest - parts[start][1]):
            start += 1
        else:
            break
    # Cut the original title between the separators kept, so inner punctuation stays as written.
    spans = [m.span() for m in _TITLE_SEPARATORS.finditer(title)]
    lo = spans[start - 1][1] if start else 0
    hi = spans[end - 1][0] if end < len(parts) else len(title)
    return title[lo:hi].strip()


def as_signoff(text: str) -> str | None:
    """The outlet name when a closing line is just an outlet's name or domain, else None."""
    words = text.split()
    if not words or len(words) > MAX_SIGNOFF_WORDS or SENTENCE_END.search(text) and not _DOMAIN.match(text):
        return None
    if _DOMAIN.match(text) or all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return text.strip()
    return None


def removal_reason(line: Line, share: float, prob: float, before: bool) -> str:
    """Why a line was judged boilerplate, in words a user can check."""
    if line.dropped:
        return f"<{line.dropped}> element"
    if reason := machinery_reason(line.text):
        return reason
    if share >= TEMPLATE_MIN_SHARE:
        return f"site template (on {share:.0%} of the site's pages)"
    if line.link_density > 0.5:
        return "link list"
    if line.furniture:
        return f"page furniture ({line.furniture})"
    words = words_of(line.text)
    if len(words) < 10 or sum(w.lower() in STOPWORDS for w in words) < 0.2 * len(words):
        return f"low text density (score {prob:.2f})"
    return f"{'before' if before else 'after'} the article (score {prob:.2f})"


def _is_menu(text: str) -> bool:
    """A line of short items set off by separators ("Home | World | Sport"): a menu, never a headline."""
    pieces = _TITLE_SEPARATORS.split(text)
    return len(pieces) >= 3 and all(len(words_of(p)) <= 2 for p in pieces)


def _text_title(lines: list[Line], forced: dict[int, str], first: int, site: str | None) -> str | None:
    """A text page's headline. Its first line is often the page's <title> ("Headline | Site"): a line
    anywhere that is that title's headline part, else a line near the article matching another part
    of it, else that title less its site labels; with no such title, the last headline-shaped line
    just before the article."""
    if not lines:
        return None
    head = lines[0].text
    main = strip_title_suffix(head, site)
    if len(words_of(main)) >= 2:
        target, size = _norm(main), len(main)
        for i in range(1, len(lines)):
            # Only lines of about its length can match (a cheap test: this looks through the whole page).
            if abs(len(lines[i].text) - size) <= size // 2 and i not in forced \
                    and _norm(lines[i].text) == target and is_headline(lines[i].text):
                return lines[i].text
    pieces = _TITLE_SEPARATORS.split(main)
    parts = {_norm(p) for p in pieces if len(words_of(p)) >= 2} - {""}  # the site's labels are no headline
    for i in range(1, min(len(lines), first + 3)):
        if i not in forced and _norm(lines[i].text) in parts and is_headline(lines[i].text):
            return lines[i].text
    if main != head and words_of(main) and not machinery_reason(head) and not _is_menu(head):
        return main  # site labels came off, and what is left is no menu: it was a <title>

    def shaped(i: int) -> bool:
        text = lines[i].text
        return i not in forced and not _is_menu(text) and is_headline(text) \
            and not SENTENCE_END.search(text) and not machinery_reason(text)

    def standalone(i: int) -> bool:
        # The article's first kept line is its headline only when short and not a paragraph's opening fragment.
        return len(words_of(lines[i].text)) <= 14 and not (i + 1 < len(lines) and lines[i + 1].text[:1].islower())

    before = [i for i in range(max(0, first - 4), first + 1) if i < len(lines) and shaped(i)
              and (i < first or standalone(i))]
    # A headline-shaped line just above the article beats its first line (a wire story's first line of
    # figures is as short as a headline).
    above = [i for i in before if first - 2 <= i < first]
    return lines[(above or before)[-1]].text if before else None


def clean_lines(lines: list[Line], markup: Markup | None, shares: list[float], kind: str) -> tuple[dict, list[Removed]]:
    """Decide for each line whether it is article text; return the fields found and what was removed."""
    model = LINE_MODELS[kind]
    template_share = model["template_share"]
    probs = score_lines(lines, shares, model)
    keep = [p >= model["threshold"] for p in probs]
    forced: dict[int, str] = {}
    if not any(keep) and any(shares) and not any(
            words_of(line.text) for line, mine in zip(lines, own_lines(lines, shares, template_share), strict=True)
            if mine):
        # Lines shared with other pages cover this whole page: it repeats another page (a copy, a
        # placeholder), so judge it on its own signals rather than lose it. (A page with words of its
        # own, a photo post's caption, is judged below on those.)
        shares = [0.0] * len(lines)
        probs = score_lines(lines, shares, model)
        keep = [p >= model["threshold"] for p in probs]
    keep = whole_paragraphs(lines, probs, keep, model["threshold"], markup is None)
    if probs and sum(len(words_of(line.text)) for line, k in zip(lines, keep, strict=True) if k) < MIN_ARTICLE_WORDS:
        # A page unlike any the model knows (another language, a test page): keep what scores
        # near its own best rather than return next to nothing.
        tiny = sum(len(words_of(line.text)) for line in lines if not line.dropped) < WHOLE_PAGE_WORDS
        # Near the best of the page's own lines: a site's template (an about-the-author blurb beside a
        # photo post) is not this page's article however prose-like it reads.
        own = own_lines(lines, shares, template_share)
        if tiny or not any(own):
            own = [True] * len(lines)
        floor = 0.0 if tiny else max(p for p, o in zip(probs, own, strict=True) if o) * RELATIVE_KEEP
        near = [k or (o and p >= floor) for k, o, p in zip(keep, own, probs, strict=True)]
        keep = whole_paragraphs(lines, probs, near, floor, markup is None)
    for i, line in enumerate(lines):
        if machinery_reason(line.text) in NEVER_ARTICLE:
            keep[i] = False
    if any(k and not line.dropped for line, k in zip(lines, keep, strict=True)):
        for i, line in enumerate(lines):
            if keep[i] and line.dropped in ARTICLE_FREE_TAGS:
                keep[i], forced[i] = False, f"<{line.dropped}> element"
    drop_outside_main(lines, keep, forced)
    if markup and any(keep):
        keep_prose_in_main(lines, keep, shares, template_share, forced)
    keep_between(lines, keep, probs, shares, template_share)
    keep_introduced_lists(lines, keep, shares, template_share)
    if markup:
        drop_comment_threads(lines, keep, forced)
    runs = teaser_runs(lines, keep) if markup else []
    for run in runs:
        for i in run:
            if keep[i]:
                keep[i], forced[i] = False, "teaser of another page"
    if runs and not any(k and is_prose_shaped(line) for line, k in zip(lines, keep, strict=True)):
        # Teasers and a few headings are all there was: an index page, with no article of its own.
        for i in (i for i, k in enumerate(keep) if k):
            keep[i], forced[i] = False, "index page (teasers of other pages)"
    kept = [i for i, k in enumerate(keep) if k]
    first = kept[0] if kept else len(lines)
    date = markup.date if markup else None
    for i in range(max(0, first - _DATELINE_LEAD), min(len(lines), first + _DATELINE_REACH)):
        near = range(max(0, i - _DATELINE_LIST_GAP), min(len(lines), i + _DATELINE_LIST_GAP + 1))
        if (found := dateline_date(lines[i].text)) and not any(
                lines[j].text != lines[i].text and dateline_date(lines[j].text) for j in near):
            date = date or found
            keep[i], forced[i] = False, "dateline"
            break
    kept = [i for i, k in enumerate(keep) if k]
    site = None
    last = len(lines) - 1
    if kept and last > kept[-1] and last - kept[-1] <= 3 and (found := as_signoff(lines[last].text)):
        site, forced[last] = found, "outlet sign-off"
    if markup:
        site = markup.site or site
    title = None
    if markup:
        headline = markup.headline if markup.headline and is_headline(markup.headline) else None
        title = strip_title_suffix(markup.title, site, markup.headline) if markup.title else headline
    else:
        title = _text_title(lines, forced, kept[0] if kept else len(lines), site)
    title_key = _norm(title) if title else ""

    def is_title(text: str) -> bool:
        # The length test first: this is asked of every removed line.
        return bool(title_key) and abs(len(text) - len(title)) <= len(title) // 2 and _norm(text) == title_key
    if kept and is_title(lines[kept[0]].text):
        keep[kept[0]], forced[kept[0]] = False, "headline (used as the title)"
    body = [line.text for line, k in zip(lines, keep, strict=True) if k]
    removed = []
    for i, line in enumerate(lines):
        if not keep[i]:
            reason = forced.get(i) or ("headline (used as the title)" if is_title(line.text)
                                        else removal_reason(line, shares[i], probs[i], i < first))
            removed.append(Removed(text=line.text, reason=reason, at=i))
    return {"title": title, "body": "\n\n".join(body), "date": date, "site": site}, removed


def reads_as_english(body: str) -> bool:
    """Whether a body is dense with English function words: a test far cheaper than the identifier's."""
    words = [w.lower() for w in words_of(body[:5000])]
    return bool(words) and sum(w in STOPWORDS for w in words) / len(words) > 0.2


def guess_lang(body: str) -> str | None:
    """The body's language: "en" when it reads as English, else as identified (analysis.identify_language), or None."""
    return "en" if reads_as_english(body) else identify_language(body) or None


def clean_page(page: Page, templates: SiteTemplates | None = None) -> Document:
    """Turn a scraped page (text or HTML) into a document with title, body, date, site and language.

    `templates` are the site templates learned from the corpus; without them only per-page
    signals decide.
    """
    lines, markup = page_lines(page)
    url = page.url or (markup.url if markup else None)
    group = site_key(page, url)
    shares = [templates.share(group, line.text) for line in lines] if templates else [0.0] * len(lines)
    fields, removed = clean_lines(lines, markup, shares, page.kind)
    body = fields["body"]
    title = fields["title"] or shorten(first_sentence(body)) or page.id
    site = fields["site"]
    if page.kind == "text" and (host := mirror_host(page.group)):
        site = host  # a mirror's host folder says where the page came from, whatever its last line says
    return Document(
        id=page.id,
        path=page.path,
        title=shorten(title, 200),
        body=body,
        date=fields["date"] or date_from_url(url),
        site=site,
        url=url,
        lang=normalize_language(markup.lang if markup else None) or guess_lang(body),
        removed=tuple(removed),
    )
