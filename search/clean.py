"""Cleaning: deciding, line by line, what is article and what is boilerplate, and reading metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .boilerplate import (
    ACTION_PATTERNS,
    HEADLINE_WORDS,
    MACHINERY_PATTERNS,
    MAX_SIGNOFF_WORDS,
    MAX_TITLE_CHARS,
    MIN_PROSE_WORDS,
    STOPWORDS,
    WIDGET_SYMBOLS,
    WIDGET_WORDS,
)
from .dates import date_from_url, dateline_date
from .markup import Line, Markup, content_root, html_lines, parse_html, read_markup, strip_furniture
from .records import Document, Page, Removed
from .templates import SiteTemplates

_WORD = re.compile(r"\w+(?:[.'’-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|•)\s+")
_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+$")
# Abbreviations that end in a period without ending the sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st gen col lt sgt rev gov sen rep inc ltd co corp no vs etc jan feb mar
    apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e""".split()
)


@dataclass(frozen=True)
class Verdict:
    """What the cleaner decided about one line: its kind and, for boilerplate, the reason."""

    kind: str  # "prose", "short" or "junk"
    reason: str = ""


def words_of(text: str) -> list[str]:
    """The words of a text, with inner dots, hyphens and apostrophes kept (U.S., COVID-19, don't)."""
    return _WORD.findall(text)


def is_widget(text: str) -> bool:
    """A line made only of widget labels, numbers and symbols (font-size controls, share counters)."""
    stripped = text.strip(WIDGET_SYMBOLS + " \t")
    tokens = [t.lower() for t in re.findall(r"[^\W\d_]+", text)]
    if not tokens:
        return len(stripped) < 40
    return len(text) < 60 and all(t in WIDGET_WORDS for t in tokens)


def judge_line(line: Line) -> Verdict:
    """Classify one line on its own signals: patterns, widget text, link density, prose shape."""
    text = line.text
    if line.furniture:
        return Verdict("junk", f"page furniture ({line.furniture})")
    if is_widget(text):
        return Verdict("junk", "widget text")
    for pattern in MACHINERY_PATTERNS:
        if pattern.search(text):
            return Verdict("junk", "script or site message")
    for pattern in ACTION_PATTERNS:
        if pattern.search(text):
            return Verdict("junk", "share, subscribe or navigation line")
    words = words_of(text)
    if line.link_density > 0.5 and len(words) < 60:
        return Verdict("junk", "link list")
    stop_ratio = sum(w.lower() in STOPWORDS for w in words) / max(1, len(words))
    if len(words) >= MIN_PROSE_WORDS and stop_ratio >= 0.12 and line.link_density <= 0.33:
        return Verdict("prose")
    if len(words) >= 2 * MIN_PROSE_WORDS and _SENTENCE_END.search(text):
        return Verdict("prose")
    return Verdict("short")


def first_sentence(text: str) -> str:
    """The first sentence of a text, not fooled by abbreviations such as "Dr." or "U.S."."""
    for match in re.finditer(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])", text):
        before = text[: match.start()].rsplit(None, 1)[-1].lower().strip("\"“(")
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


def strip_title_suffix(title: str, site: str | None) -> str:
    """The headline part of a <title>: drop " | Site Name" and similar site labels."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    if site:
        kept = [p for p in parts if p.lower() != site.lower()]
        if kept and len(kept) < len(parts):
            parts = kept
    return max(parts, key=lambda p: len(words_of(p)))


def is_headline(text: str) -> bool:
    """A line shaped like a headline: a few words, not ending like a sentence fragment of a menu."""
    n = len(words_of(text))
    return HEADLINE_WORDS[0] <= n <= HEADLINE_WORDS[1] and not text.endswith((":", ","))


def as_signoff(text: str) -> str | None:
    """The outlet name when a closing line is just an outlet's name or domain, else None."""
    words = text.split()
    if not words or len(words) > MAX_SIGNOFF_WORDS or _SENTENCE_END.search(text) and not _DOMAIN.match(text):
        return None
    if _DOMAIN.match(text) or all(w[:1].isupper() or not w[:1].isalpha() for w in words):
        return text.strip()
    return None


def select_article(lines: list[Line], verdicts: list[Verdict]) -> tuple[int, int] | None:
    """The span of lines from the first to the last prose line, or None when there is no prose."""
    prose = [i for i, v in enumerate(verdicts) if v.kind == "prose"]
    if not prose:
        # A page of short lines only: keep what is not junk, so nothing findable is thrown away.
        keep = [i for i, v in enumerate(verdicts) if v.kind != "junk"]
        return (keep[0], keep[-1]) if keep else None
    return prose[0], prose[-1]


def clean_lines(lines: list[Line], markup: Markup | None = None) -> tuple[dict, list[Removed]]:
    """Decide for each line whether it is article text; return the fields found and what was removed."""
    verdicts = [judge_line(line) for line in lines]
    removed: list[Removed] = []
    date = markup.date if markup else None
    # Datelines are taken near the top only: later dates belong to the story, not its publication.
    for i, line in enumerate(lines[:12]):
        if verdicts[i].kind != "prose" and (found := dateline_date(line.text, frozenset(WIDGET_WORDS))):
            date = date or found
            verdicts[i] = Verdict("junk", "dateline")
    span = select_article(lines, verdicts)
    body: list[str] = []
    title = headline = site = None
    if span:
        start, end = span
        before = [i for i in range(start) if verdicts[i].kind == "short" and is_headline(lines[i].text)]
        if before and not (markup and markup.headline):
            headline = lines[before[-1]].text
        for i in range(start, end + 1):
            if verdicts[i].kind != "junk":
                body.append(lines[i].text)
        after = [i for i in range(end + 1, len(lines)) if verdicts[i].kind != "junk"]
        if after and (found := as_signoff(lines[after[-1]].text)):
            site = found
            verdicts[after[-1]] = Verdict("junk", "outlet sign-off")
    if markup:
        site = markup.site or site
        if markup.headline and is_headline(markup.headline):
            title = markup.headline
        elif markup.title:
            title = strip_title_suffix(markup.title, site)
    title = title or headline
    for i, line in enumerate(lines):
        in_body = span is not None and span[0] <= i <= span[1] and verdicts[i].kind != "junk"
        if in_body:
            continue
        if line.text == title:
            reason = "headline (used as the title)"
        else:
            reason = verdicts[i].reason or ("before the article" if span and i < span[0] else "after the article")
        removed.append(Removed(text=line.text, reason=reason))
    fields = {"title": title, "body": "\n\n".join(body), "date": date, "site": site}
    return fields, removed


def text_lines(content: str) -> list[Line]:
    """The lines of a text page, blank lines dropped."""
    return [Line(text=" ".join(raw.split())) for raw in content.splitlines() if raw.strip()]


def guess_lang(body: str) -> str | None:
    """"en" when the body reads as English (dense with English function words), else None."""
    words = [w.lower() for w in words_of(body[:5000])]
    return "en" if words and sum(w in STOPWORDS for w in words) / len(words) > 0.2 else None


def clean_page(page: Page, templates: SiteTemplates | None = None) -> Document:
    """Turn a scraped page (text or HTML) into a document with title, body, date, site and language.

    `templates` are the site templates learned from the corpus; without them only per-page
    signals decide.
    """
    markup = None
    removed: list[Removed] = []
    if page.kind == "html":
        soup = parse_html(page.content)
        markup = read_markup(soup)
        removed.extend(Removed(text=t, reason=r) for t, r in strip_furniture(soup))
        lines = html_lines(content_root(soup))
    else:
        lines = text_lines(page.content)
    fields, dropped = clean_lines(lines, markup)
    removed.extend(dropped)
    body = fields["body"]
    url = page.url or (markup.url if markup else None)
    title = fields["title"] or shorten(first_sentence(body)) or page.id
    return Document(
        id=page.id,
        path=page.path,
        title=shorten(title, 200),
        body=body,
        date=fields["date"] or date_from_url(url),
        site=fields["site"],
        url=url,
        lang=(markup.lang if markup else None) or guess_lang(body),
        removed=tuple(removed),
    )
