"""Site templates: lines that recur across one site's pages are that site's boilerplate.

Learned at reindex time from the corpus, saved beside the index, and handed to the cleaner.
A line's template share is the fraction of the site's pages that hold it; the cleaner reads
the share as one signal among the per-page ones, and treats a line as template outright once
the share passes TEMPLATE_MIN_SHARE on a site with at least TEMPLATE_MIN_PAGES pages.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from ..records import Page
from . import boilerplate
from .boilerplate import TEMPLATE_MIN_PAGES
from .markup import page_texts

TEMPLATES_FILE = "templates.json"
_DIGITS = re.compile(r"\d+")
_WORDS = re.compile(r"[^\W\d_]{2}")
_ANY_NUMBER = "#"  # stands for the digits of a line recurring with different numbers (counts, times)


def site_key(page: Page, url: str | None = None) -> str:
    """The site a page belongs to, for grouping: its URL's host when known, else its folder."""
    host = urlparse(page.url or url or "").hostname
    return (host or page.group or "").lower().removeprefix("www.")


def line_key(text: str) -> str:
    """A line as templates compare it: case and spacing ignored, numbers kept."""
    return " ".join(text.lower().split())


def _shape(key: str) -> str:
    """A line's key with its numbers left out: how a counter, a time or a date line recurs across pages."""
    return _DIGITS.sub(_ANY_NUMBER, key)


@dataclass
class SiteTemplates:
    """Per site, each recurring line (as first seen) and the share of the site's pages holding it."""

    lines: dict[str, dict[str, float]] = field(default_factory=dict)
    _keys: dict[str, dict[str, float]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def share(self, site: str, text: str) -> float:
        """The fraction of the site's pages holding this line (0 for unknown sites and lines)."""
        keys = self._keys.get(site)
        if keys is None:
            keys = self._keys[site] = {line_key(line): n for line, n in self.lines.get(site, {}).items()}
        if not keys:
            return 0.0
        key = line_key(text)
        return max(keys.get(key, 0.0), keys.get(_shape(key), 0.0))

    def lines_for(self, site: str) -> frozenset[str]:
        """The recurring lines learned for a site (empty when the site is unknown)."""
        return frozenset(self.lines.get(site, {}))

    def to_json(self) -> dict:
        """A JSON-ready form, for saving beside the index."""
        return {"lines": {site: dict(sorted(lines.items())) for site, lines in sorted(self.lines.items())}}

    @classmethod
    def from_json(cls, data: dict) -> SiteTemplates:
        """Rebuild from to_json's form (a plain list of a site's lines counts them as on every page)."""
        return cls({site: dict(lines) if isinstance(lines, dict) else dict.fromkeys(lines, 1.0)
                    for site, lines in data.get("lines", {}).items()})


def learn_templates(pages: Iterable[Page]) -> SiteTemplates:
    """Learn each site's recurring lines from its pages: a line held by TEMPLATE_MIN_REPEATS or more pages of a site.

    A line that recurs with different numbers (a comment count, a time) is template by its shape when
    most of its pages show it with numbers some other page shows too; otherwise only its exact forms
    that recur count, so a wire service's lines of figures ("Revs 252.1 mln vs 87.9 mln") stay article.
    """
    shapes: dict[str, Counter] = {}
    exact: dict[str, Counter] = {}
    first_seen: dict[str, dict[str, str]] = {}
    seen: Counter = Counter()
    digests: dict[str, set] = {}
    for page in pages:
        texts, url = page_texts(page)
        site = site_key(page, url)
        keys = {line_key(text): text for text in texts}
        # The same page saved twice would make its whole article look like template.
        digest = hash(frozenset(keys))
        if digest in digests.setdefault(site, set()):
            continue
        digests[site].add(digest)
        seen[site] += 1
        exact.setdefault(site, Counter()).update(keys.keys())
        shapes.setdefault(site, Counter()).update({_shape(key) for key in keys})
        known = first_seen.setdefault(site, {})
        for key, text in keys.items():
            known.setdefault(key, text)
    lines = {site: _recurring(shapes[site], exact[site], first_seen[site], seen[site])
             for site in exact if seen[site] >= TEMPLATE_MIN_PAGES}
    return SiteTemplates({site: found for site, found in lines.items() if _is_one_site(found)})


def _is_one_site(found: dict[str, float]) -> bool:
    """Whether a group's recurring lines look like one site's template: some line with words on a fair share
    of its pages. A folder of pages from many sites shares only stray lines ("Home", a quoted paragraph)."""
    return any(share >= boilerplate.TEMPLATE_MIN_TOP_SHARE and _WORDS.search(line) for line, share in found.items())


def _recurring(shapes: Counter, exact: Counter, first_seen: dict[str, str], pages: int) -> dict[str, float]:
    """A site's template lines and their shares: exact lines on enough pages, and the shapes of lines
    whose numbers vary but mostly repeat."""
    least = min(pages, boilerplate.TEMPLATE_MIN_REPEATS)
    found = {first_seen[key]: n / pages for key, n in exact.items() if n >= least}
    repeated: Counter = Counter()
    for key, n in exact.items():
        if n >= 2 and _DIGITS.search(key):
            repeated[_shape(key)] += n
    for shape, n in shapes.items():
        if n >= least and shape not in found and _ANY_NUMBER in shape and \
                repeated[shape] >= boilerplate.TEMPLATE_SAME_NUMBERS * n:
            found[shape] = n / pages
    return found


def save_templates(templates: SiteTemplates, index_dir: Path) -> None:
    """Save templates beside the index."""
    (Path(index_dir) / TEMPLATES_FILE).write_text(json.dumps(templates.to_json(), ensure_ascii=False))


def load_templates(index_dir: Path) -> SiteTemplates:
    """Templates saved beside the index, or empty ones."""
    try:
        return SiteTemplates.from_json(json.loads((Path(index_dir) / TEMPLATES_FILE).read_text()))
    except (OSError, ValueError):
        return SiteTemplates()
