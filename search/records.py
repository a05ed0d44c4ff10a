"""The records that flow through the pipeline: a page read, a document cleaned, a hit found."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    """A scraped page as read from the corpus, before cleaning."""

    id: str
    path: str
    kind: str  # "text" (visible text, one block a line) or "html"
    content: str
    url: str | None = None
    group: str = ""  # the site or folder the page belongs to, for learning templates
    fetched: str | None = None  # when the crawler fetched it (ISO date), where the source says
    record: str | None = None  # where in a container file (WARC offset, JSONL line) it came from


@dataclass(frozen=True)
class Removed:
    """A block the cleaner dropped, with the reason it was dropped."""

    text: str
    reason: str
    at: int = 0  # the block's place among the page's blocks, kept and removed (0: the first)


@dataclass(frozen=True)
class Block:
    """One block of a page as it was saved: its text, and why the cleaner removed it (None: kept)."""

    text: str
    reason: str | None = None


@dataclass(frozen=True)
class Document:
    """A cleaned page: what the index holds."""

    id: str
    path: str
    title: str
    body: str
    date: str | None = None
    site: str | None = None
    url: str | None = None
    lang: str | None = None
    removed: tuple[Removed, ...] = field(default=(), compare=False)
    fetched: str | None = None  # provenance: when the crawler fetched the page, where known
    record: str | None = None  # provenance: the WARC record offset or JSON Lines line it came from

    def as_json(self) -> dict:
        """The document as the JSON record `search clean --json` prints."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "site": self.site,
            "url": self.url,
            "lang": self.lang,
            "body": self.body,
        }


@dataclass(frozen=True)
class Skipped:
    """A page the reader or cleaner could not use, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Related:
    """Another document shown beside one: a near-duplicate or a similar article."""

    id: str
    title: str
    date: str | None
    site: str | None
    source_url: str | None

    def as_json(self) -> dict:
        """The document as the JSON API lists it (the web layer adds its own `url`)."""
        return {"id": self.id, "title": self.title, "date": self.date, "site": self.site,
                "source_url": self.source_url}


@dataclass(frozen=True)
class Hit:
    """One ranked search result."""

    id: str
    title: str
    date: str | None
    site: str | None
    source_url: str | None  # where the page was scraped from, when known
    score: float
    snippet: str  # HTML: document text escaped, matches wrapped in <mark>
    also_at: tuple[Related, ...] = ()  # near-duplicates of this page, grouped under it
    explanation: dict | None = field(default=None, compare=False)  # how the score was made, on request
    lang: str | None = None  # the language it is written in (ISO 639-1), when known

    @property
    def direction(self) -> str:
        """The direction its text is written in: "rtl", "ltr" or "auto" (HTML's dir)."""
        from .analysis.languages import text_direction

        return text_direction(self.lang)

    def as_json(self) -> dict:
        """The hit as the JSON API shows it (the web layer adds its own `url`)."""
        out = {
            "id": self.id,
            "title": self.title,
            "source_url": self.source_url,
            "date": self.date,
            "site": self.site,
            "lang": self.lang,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "also_at": [r.as_json() for r in self.also_at],
        }
        if self.explanation is not None:
            out["explanation"] = self.explanation
        return out
