"""Site templates: lines that recur across one site's pages are that site's boilerplate.

Learned at reindex time from the corpus, saved beside the index, and handed to the cleaner.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .records import Page

TEMPLATES_FILE = "templates.json"


def site_key(page: Page) -> str:
    """The site a page belongs to, for grouping: its URL's host when known, else its folder."""
    from urllib.parse import urlparse

    host = urlparse(page.url or "").hostname
    return (host or page.group or "").lower().removeprefix("www.")


@dataclass
class SiteTemplates:
    """Per site, the lines known to be template rather than article."""

    lines: dict[str, frozenset[str]] = field(default_factory=dict)

    def lines_for(self, site: str) -> frozenset[str]:
        """The template lines learned for a site (empty when the site is unknown)."""
        return self.lines.get(site, frozenset())

    def to_json(self) -> dict:
        """A JSON-ready form, for saving beside the index."""
        return {"lines": {site: sorted(lines) for site, lines in self.lines.items()}}

    @classmethod
    def from_json(cls, data: dict) -> SiteTemplates:
        """Rebuild from to_json's form."""
        return cls({site: frozenset(lines) for site, lines in data.get("lines", {}).items()})


def learn_templates(pages: Iterable[Page]) -> SiteTemplates:
    """Learn each site's template lines from its pages (placeholder: learns nothing yet)."""
    for _ in pages:
        pass
    return SiteTemplates()


def save_templates(templates: SiteTemplates, index_dir: Path) -> None:
    """Save templates beside the index."""
    (Path(index_dir) / TEMPLATES_FILE).write_text(json.dumps(templates.to_json(), ensure_ascii=False))


def load_templates(index_dir: Path) -> SiteTemplates:
    """Templates saved beside the index, or empty ones."""
    try:
        return SiteTemplates.from_json(json.loads((Path(index_dir) / TEMPLATES_FILE).read_text()))
    except (OSError, ValueError):
        return SiteTemplates()
