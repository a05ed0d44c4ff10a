"""Filters and sorting: by site and date range, from parameters or from site:/date: in the query."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
from whoosh.query import And, DateRange, Or, Query, Term, Wildcard
from whoosh.util.times import datetime_to_long

from ..analysis import normalize_site
from ..analysis.languages import normalize_language
from ..analysis.words import analysis_key
from ..errors import QueryError

if TYPE_CHECKING:
    from .snapshot import Snapshot

SORTS = ("relevance", "newest", "oldest")
_DAY = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
# site:news.az, site:"Marwick Gazette", date:2018, date:2018-05, date:[2018 TO 2020], date:[2019-03 TO *]
_SITE_SYNTAX = re.compile(r'(?<![\w:])site:(?:"([^"]*)"|(\S+))', re.IGNORECASE)
_DATE_SYNTAX = re.compile(r'(?<![\w:])date:(?:\[\s*(\S+)\s+TO\s+(\S+)\s*\]|(\S+))', re.IGNORECASE)
_LANG_SYNTAX = re.compile(r'(?<![\w:])lang:(\S+)', re.IGNORECASE)  # lang:ru, lang:zh-TW


@dataclass(frozen=True)
class Filters:
    """What restricts and orders the results: sites (any of), a date range (inclusive), the sort order."""

    sites: tuple[str, ...] = ()
    date_from: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    date_to: str | None = None
    sort: str = "relevance"
    langs: tuple[str, ...] = ()  # languages (any of), as the index names them (ISO 639-1: en, ru, zh)

    def __post_init__(self):
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort[:40]!r}")
        for value in (self.date_from, self.date_to):
            if value is not None:
                date_bounds(value)
        if self.date_from and self.date_to and date_bounds(self.date_from)[0] > date_bounds(self.date_to)[1]:
            raise QueryError(f"the date range ends ({self.date_to}) before it starts ({self.date_from})")
        for lang in self.langs:
            if normalize_language(lang) != lang:
                raise QueryError(f"languages are named by their two-letter code (en, ru, zh), not {lang[:40]!r}")

    @property
    def active(self) -> bool:
        """True when anything restricts the results."""
        return bool(self.sites or self.date_from or self.date_to or self.langs)

    @property
    def analysis_keys(self) -> tuple[str, ...] | None:
        """The analyses a query restricted to these languages is analysed for; None when any language goes."""
        return tuple(sorted({analysis_key(lang) for lang in self.langs})) or None

    def as_params(self) -> dict:
        """The filters as query-string parameters (what the API and page take)."""
        params: dict = {}
        if self.sites:
            params["site"] = list(self.sites)
        if self.date_from:
            params["from"] = self.date_from
        if self.date_to:
            params["to"] = self.date_to
        if self.sort != "relevance":
            params["sort"] = self.sort
        if self.langs:
            params["lang"] = list(self.langs)
        return params


def language_codes(values) -> tuple[str, ...]:
    """Languages as typed (ru, RU, pt-BR) as the index names them; one it cannot read is kept as typed
    (Filters then refuses it)."""
    return tuple(dict.fromkeys(normalize_language(v) or v.strip() for v in values if v.strip()))


def date_bounds(value: str) -> tuple[datetime, datetime]:
    """The first and last moment of a day, month or year written YYYY[-MM[-DD]]."""
    match = _DAY.fullmatch(value.strip())
    if not match:
        raise QueryError(f"dates are written YYYY, YYYY-MM or YYYY-MM-DD, not {value[:40]!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day is not None:
            start = datetime(year, month, day)
            return start, start.replace(hour=23, minute=59, second=59)
        if month is not None:
            last = calendar.monthrange(year, month)[1]
            return datetime(year, month, 1), datetime(year, month, last, 23, 59, 59)
        return datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59)
    except ValueError:
        raise QueryError(f"no such date: {value[:40]!r}") from None


def date_limits(filters: Filters) -> tuple[int | None, int | None]:
    """The filters' date range as the index stores dates (its first and last moment), None for an open end."""
    first = datetime_to_long(date_bounds(filters.date_from)[0]) if filters.date_from else None
    last = datetime_to_long(date_bounds(filters.date_to)[1]) if filters.date_to else None
    return first, last


def extract_syntax(text: str, filters: Filters) -> tuple[str, Filters]:
    """Take site: and date: out of the query text and add them to the filters."""
    sites = list(filters.sites)
    date_from, date_to = filters.date_from, filters.date_to

    def take_site(match: re.Match) -> str:
        sites.append(match.group(1) if match.group(1) is not None else match.group(2))
        return " "

    def take_date(match: re.Match) -> str:
        nonlocal date_from, date_to
        if match.group(3) is not None:
            date_from = date_to = match.group(3)
        else:
            low, high = match.group(1), match.group(2)
            date_from = None if low == "*" else low
            date_to = None if high == "*" else high
        return " "

    langs = list(filters.langs)

    def take_lang(match: re.Match) -> str:
        langs.extend(language_codes([match.group(1)]))
        return " "

    text = _SITE_SYNTAX.sub(take_site, text)
    text = _DATE_SYNTAX.sub(take_date, text)
    text = _LANG_SYNTAX.sub(take_lang, text)
    sites = [s for s in (normalize_site(s) for s in sites) if s]
    return " ".join(text.split()), replace(filters, sites=tuple(dict.fromkeys(sites)), date_from=date_from,
                                           date_to=date_to, langs=tuple(dict.fromkeys(langs)))


def without_dates(text: str) -> str:
    """The query as typed less its date: parts, for a link that sets the date range by parameters
    (a date: in the text would override them)."""
    return " ".join(_DATE_SYNTAX.sub(" ", text).split())


def syntax_parts(text: str) -> list[str]:
    """The site:, date: and lang: parts of a query as typed, to carry over into a corrected query."""
    return [m.group(0) for m in (*_SITE_SYNTAX.finditer(text), *_DATE_SYNTAX.finditer(text),
                                 *_LANG_SYNTAX.finditer(text))]


def filter_query(filters: Filters) -> Query | None:
    """The query documents must match to pass the filters, or None when nothing restricts them."""
    parts: list[Query] = []
    if filters.sites:
        # A domain also covers its subdomains: site:news.az finds www.news.az and en.news.az.
        parts.append(Or([q for s in filters.sites for q in (Term("sitekey", s), Wildcard("sitekey", "*." + s))]))
    if filters.date_from or filters.date_to:
        start = date_bounds(filters.date_from)[0] if filters.date_from else None
        end = date_bounds(filters.date_to)[1] if filters.date_to else None
        parts.append(DateRange("date", start, end))
    if filters.langs:
        parts.append(Or([Term("lang", lang) for lang in filters.langs]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def filtered_docs(snapshot: Snapshot, filters: Filters) -> np.ndarray | None:
    """The documents the filters let through (what filter_query matches), in order, or None when
    nothing restricts them; read from the columns and remembered per snapshot.

    (Shared by every caller: never changed in place.) Whoosh would list a date range's terms
    and walk their postings: far slower on a new range.
    """
    if not filters.active:
        return None

    def select() -> np.ndarray:
        docs = snapshot.live_docs()
        if filters.sites:
            values, codes = snapshot.column_codes("sitekey")
            # A domain also covers its subdomains: site:news.az finds www.news.az and en.news.az.
            wanted = set(filters.sites)
            suffixes = tuple("." + s for s in filters.sites)
            chosen = np.array([v in wanted or v.endswith(suffixes) for v in values], dtype=bool)
            docs = docs[chosen[codes[docs]]]
        if filters.date_from or filters.date_to:
            dates = snapshot.date_numbers()[docs]
            keep = dates >= 0
            if filters.date_from:
                keep &= dates >= datetime_to_long(date_bounds(filters.date_from)[0])
            if filters.date_to:
                keep &= dates <= datetime_to_long(date_bounds(filters.date_to)[1])
            docs = docs[keep]
        if filters.langs:
            values, codes = snapshot.column_codes("lang")
            chosen = np.array([v in filters.langs for v in values], dtype=bool)
            docs = docs[chosen[codes[docs]]]
        return docs

    key = f"filter:{filters.sites!r}:{filters.date_from}:{filters.date_to}:{filters.langs!r}"
    return snapshot.remember("derived", key, select)
