"""What a page's markup declares about itself: title, headline, date, site, canonical URL, language."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .dates import date_from_url, parse_date

_SPACE = re.compile(r"\s+")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass(frozen=True)
class Markup:
    """Metadata a page declares in its own markup."""

    title: str | None = None
    headline: str | None = None  # the page's <h1>, the article's own headline
    date: str | None = None
    site: str | None = None
    url: str | None = None
    lang: str | None = None


def _text(el) -> str:
    return _SPACE.sub(" ", el.xpath("string()")).strip()


def _metas(root) -> dict[str, str]:
    """Every <meta> value by its lowercased property, name, itemprop or http-equiv (each of several names counts)."""
    found: dict[str, str] = {}
    for tag in root.iter("meta"):
        value = (tag.get("content") or "").strip()
        if not value:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            for key in (tag.get(attr) or "").lower().split():
                found.setdefault(key, value)
    return found


def _meta(metas: dict[str, str], *names: str) -> str | None:
    return next((metas[n.lower()] for n in names if n.lower() in metas), None)


def _json_ld(root) -> list[dict]:
    found = []
    for script in root.iterfind(".//script[@type='application/ld+json']"):
        try:
            data = json.loads(_CDATA.sub("", script.text or ""))
        except (ValueError, TypeError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "mainEntityOfPage"))
    return found


def read_markup(root) -> Markup:
    """Title, headline, date, site, canonical URL and language as the markup declares them."""
    ld = _json_ld(root)
    metas = _metas(root)
    canonical = next((link.get("href") for link in root.iterfind(".//link[@rel='canonical']") if link.get("href")),
                     None)
    url = canonical or _meta(metas, "og:url")
    date = None
    for value in (
        next((d.get("datePublished") for d in ld if isinstance(d.get("datePublished"), str)), None),
        _meta(metas, "article:published_time", "datePublished", "date", "pubdate", "publishdate", "publish-date",
              "dc.date", "DC.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date", "og:published_time",
              "article.published", "published_time"),
        next((t.get("datetime") for t in root.iterfind(".//time[@pubdate]") if t.get("datetime")), None),
        next((t.get("datetime") for t in root.iterfind(".//time") if t.get("datetime")), None),
    ):
        if value and (date := parse_date(value)):
            break
    date = date or date_from_url(url)
    title_tag = root.find(".//title")
    h1 = next((h for h in root.iter("h1") if _text(h)), None)
    lang = root.get("lang") or _meta(metas, "og:locale", "language", "content-language")
    return Markup(
        title=_meta(metas, "dc:title", "dc.title", "dcterm:title", "dcterms.title", "og:title", "twitter:title",
                    "parsely-title", "title")
        or next((d["headline"] for d in ld if isinstance(d.get("headline"), str) and d["headline"].strip()), None)
        or (_text(title_tag) if title_tag is not None else None),
        headline=_text(h1) if h1 is not None else None,
        date=date,
        site=_meta(metas, "og:site_name", "application-name"),
        url=url,
        lang=(lang or "").split("-")[0].split("_")[0].lower() or None,
    )
