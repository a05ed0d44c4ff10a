"""Turning saved HTML into lines of text, and reading the metadata a page declares in its markup."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .boilerplate import BLOCK_TAGS, DROP_TAGS, FURNITURE_WORDS
from .dates import date_from_url, parse_date


@dataclass(frozen=True)
class Line:
    """One block of visible text and what the markup says about it."""

    text: str
    tag: str = "line"  # the block element it came from; "line" for text pages
    link_density: float = 0.0  # share of its characters inside links
    furniture: str = ""  # the class/id word that marks it as page furniture, if any


@dataclass(frozen=True)
class Markup:
    """Metadata a page declares in its own markup."""

    title: str | None = None
    headline: str | None = None  # the page's <h1>, the article's own headline
    date: str | None = None
    site: str | None = None
    url: str | None = None
    lang: str | None = None


_SPACE = re.compile(r"\s+")
_CLASS_SPLIT = re.compile(r"[\s_-]+")
_PROTECTED = frozenset(("html", "body", "main", "article"))


def parse_html(content: str) -> BeautifulSoup:
    """Parse a page with lxml, the one HTML parser this project uses."""
    return BeautifulSoup(content, "lxml")


def _meta(soup: BeautifulSoup, *names: str) -> str | None:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name}) \
            or soup.find("meta", attrs={"itemprop": name})
        if tag and (value := (tag.get("content") or "").strip()):
            return value
    return None


def _json_ld(soup: BeautifulSoup) -> list[dict]:
    found = []
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph")
    return found


def read_markup(soup: BeautifulSoup) -> Markup:
    """Title, headline, date, site, canonical URL and language as the markup declares them."""
    ld = _json_ld(soup)
    canonical = soup.find("link", rel="canonical")
    url = (canonical.get("href") if canonical else None) or _meta(soup, "og:url")
    date = None
    for value in (
        _meta(soup, "article:published_time", "datePublished", "date", "pubdate", "publishdate",
              "dc.date", "DC.date.issued", "sailthru.date", "parsely-pub-date"),
        next((d.get("datePublished") for d in ld if isinstance(d.get("datePublished"), str)), None),
        next((t.get("datetime") for t in soup.find_all("time") if t.get("datetime")), None),
    ):
        if value and (date := parse_date(value)):
            break
    date = date or date_from_url(url)
    title_tag = soup.find("title")
    h1 = soup.find("h1")
    html_tag = soup.find("html")
    lang = (html_tag.get("lang") if isinstance(html_tag, Tag) else None) or _meta(soup, "og:locale")
    return Markup(
        title=_meta(soup, "og:title", "twitter:title")
        or (_SPACE.sub(" ", title_tag.get_text()).strip() if title_tag else None),
        headline=_SPACE.sub(" ", h1.get_text()).strip() if h1 else None,
        date=date,
        site=_meta(soup, "og:site_name", "application-name"),
        url=url,
        lang=(lang or "").split("-")[0].split("_")[0].lower() or None,
    )


def _furniture_word(tag: Tag) -> str:
    words = []
    for attr in ("class", "id", "role"):
        value = tag.get(attr)
        if isinstance(value, list):
            value = " ".join(value)
        words.extend(_CLASS_SPLIT.split((value or "").lower()))
    return next((w for w in words if w in FURNITURE_WORDS), "")


def _gone(tag: Tag) -> bool:
    # bs4 marks destroyed descendants in __dict__; plain attribute access would search children.
    return bool(tag.__dict__.get("_decomposed")) or tag.parent is None


def _cut_out(soup: BeautifulSoup, tag: Tag) -> None:
    # A line break stays where the element was, so the text on either side never runs together.
    tag.replace_with(soup.new_tag("br")).decompose()


def strip_furniture(soup: BeautifulSoup) -> list[tuple[str, str]]:
    """Remove scripts, navigation and marked page furniture; return (text, reason) for each removal."""
    removed = []
    total = len(soup.get_text(" ", strip=True)) or 1
    for tag in soup.find_all(DROP_TAGS):
        if _gone(tag):
            continue
        name, text = tag.name, tag.get_text(" ", strip=True)
        _cut_out(soup, tag)
        if text and name not in ("script", "style", "noscript", "template", "svg"):
            removed.append((text, f"<{name}> element"))
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        if _gone(tag) or tag.name in _PROTECTED:
            continue
        word = _furniture_word(tag)
        # A wrapper holding most of the page is never furniture, whatever its class says.
        if word and len(tag.get_text(" ", strip=True)) < 0.4 * total:
            text = tag.get_text(" ", strip=True)
            _cut_out(soup, tag)
            if text:
                removed.append((text, f"page furniture ({word})"))
    return removed


def html_lines(root: Tag) -> list[Line]:
    """The visible text under root as lines, one per block element, with link density."""
    lines: list[Line] = []
    parts: list[str] = []
    link_chars = 0
    current_tag = "p"

    def flush() -> None:
        nonlocal parts, link_chars
        text = _SPACE.sub(" ", "".join(parts)).strip()
        if text:
            lines.append(Line(text=text, tag=current_tag, link_density=min(1.0, link_chars / len(text))))
        parts, link_chars = [], 0

    # An explicit stack, not recursion: scraped HTML can nest deeper than Python's call stack.
    stack: list[tuple[object, bool, bool]] = [(root, False, False)]
    while stack:
        node, in_link, closing = stack.pop()
        if closing:
            flush()
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, Comment):
                parts.append(str(node))
                if in_link:
                    link_chars += len(str(node).strip())
            continue
        if not isinstance(node, Tag):
            continue
        is_block = node.name in BLOCK_TAGS
        if is_block:
            flush()
            current_tag = node.name
            stack.append((node, in_link, True))
        child_link = in_link or node.name == "a"
        stack.extend((child, child_link, False) for child in reversed(node.contents))
    flush()
    return lines


def content_root(soup: BeautifulSoup) -> Tag:
    """The element holding the article: an <article> or itemprop=articleBody with the most text, else <body>."""
    candidates = soup.find_all("article") + soup.find_all(attrs={"itemprop": "articleBody"})
    body = soup.body or soup
    best = max(candidates, key=lambda t: len(t.get_text(" ", strip=True)), default=None)
    if best is not None and len(best.get_text(" ", strip=True)) > 0.25 * len(body.get_text(" ", strip=True)):
        return best
    return body
