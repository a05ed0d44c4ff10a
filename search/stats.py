"""What an index holds: documents by site and by year, its size on disk, and the last reindex."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from whoosh.query import Term

from .indexing import open_index, read_report


@dataclass(frozen=True)
class IndexStats:
    """A summary of one index."""

    index: str
    documents: int
    size_bytes: int
    by_site: tuple[tuple[str, int], ...]
    by_year: tuple[tuple[str, int], ...]
    last_reindex: dict | None

    def as_json(self) -> dict:
        """The summary as JSON."""
        return {
            "index": self.index,
            "documents": self.documents,
            "size_bytes": self.size_bytes,
            "by_site": dict(self.by_site),
            "by_year": dict(self.by_year),
            "last_reindex": self.last_reindex,
        }


def _year(field, raw) -> str:
    # An undated document holds the column's default, which is no real date.
    try:
        value = field.from_column_value(raw)
    except (OverflowError, ValueError):
        return "(undated)"
    return str(value.year) if value and value.year > 1 else "(undated)"


def index_stats(index_dir: Path) -> IndexStats:
    """Count an index's documents by site and by year without loading their text."""
    index_dir = Path(index_dir)
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        live = list(reader.all_doc_ids())
        sites: Counter[str] = Counter()
        # The site field's terms with their document counts: no stored document is read.
        for term in reader.lexicon("site"):
            name = term.decode("utf-8") if isinstance(term, bytes) else term
            # docs_for_query skips deleted documents, which doc_frequency would still count.
            sites[name or "(unknown)"] += sum(1 for _ in searcher.docs_for_query(Term("site", name)))
        years: Counter[str] = Counter()
        field = searcher.schema["date"]
        dates = reader.column_reader("date", translate=False) if reader.has_column("date") else None
        for docnum in live:
            years[_year(field, dates[docnum]) if dates is not None else "(undated)"] += 1
        known = sum(sites.values())
        if known < len(live):
            sites["(unknown)"] += len(live) - known
    size = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file())
    return IndexStats(
        index=str(index_dir),
        documents=len(live),
        size_bytes=size,
        by_site=tuple(sites.most_common()),
        by_year=tuple(sorted(years.items())),
        last_reindex=read_report(index_dir),
    )
