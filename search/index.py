"""Indexing: the schema, building the index from a corpus, and opening it for search."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import Index, LockError
from whoosh.writing import CLEAR

from .analysis import news_analyzer
from .clean import clean_page
from .corpus import read_corpus
from .errors import IndexBusyError, IndexMissingError, SearchError
from .records import Document, Page, Skipped
from .similar import body_digest, shingle_signature, signature_terms, site_key

# Bump when the schema or the cleaner changes what an existing index would hold.
SCHEMA_VERSION = 2
META_FILE = "search-meta.json"
REPORT_FILE = "last-reindex.json"
WRITE_LOCK_TIMEOUT = 5.0  # seconds a reindex waits for another one before giving up


def build_schema() -> Schema:
    """The index's fields: searchable title and body, stored metadata for display and filters."""
    analyzer = news_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        path=STORED,
        url=STORED,
        title=TEXT(analyzer=analyzer, stored=True, phrase=True),
        body=TEXT(analyzer=analyzer, stored=True, phrase=True, spelling=True),
        site=ID(stored=True),
        sitekey=ID(stored=True, sortable=True),  # the site as filters and facets name it: host or lowercased name
        date=DATETIME(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        lang=ID(stored=True),
        digest=ID(stored=True),
        bodyhash=ID(stored=True),  # the cleaned text's hash: exact duplicates are indexed once
        # Near-duplicate sketch of the text (bottom-k shingle hashes): as terms to look up candidates,
        # and as a column, read cheaply for every ranked hit without loading its stored body.
        sigterms=KEYWORD(sortable=True),
    )


@dataclass
class ReindexReport:
    """What a reindex did: counts, the pages it skipped and why, how long it took."""

    corpus: str
    index: str
    indexed: int = 0
    skipped: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    finished: str = ""

    def as_json(self) -> dict:
        """The report as JSON, as saved beside the index."""
        return asdict(self)


def index_exists(index_dir: Path) -> bool:
    """True when index_dir holds a Whoosh index built by this version's schema."""
    meta = Path(index_dir) / META_FILE
    if not whoosh_index.exists_in(str(index_dir)) or not meta.exists():
        return False
    try:
        return json.loads(meta.read_text()).get("schema_version") == SCHEMA_VERSION
    except (OSError, ValueError):
        return False


def open_index(index_dir: Path) -> Index:
    """Open the index at index_dir, or raise IndexMissingError saying how to build it."""
    if not whoosh_index.exists_in(str(index_dir)):
        raise IndexMissingError(f"no index at {index_dir}: run `search reindex` to build it")
    return whoosh_index.open_dir(str(index_dir))


def _write_json_atomically(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    os.replace(tmp, path)


def document_fields(doc: Document, digest: str) -> dict:
    """The field values the index stores for one cleaned document."""
    fields = {
        "id": doc.id,
        "path": doc.path,
        "url": doc.url,
        "title": doc.title,
        "body": doc.body,
        "site": doc.site or "",
        "lang": doc.lang or "",
        "digest": digest,
        "sitekey": site_key(doc.site, doc.url),
        "bodyhash": body_digest(doc.body),
    }
    if signature := shingle_signature(doc.body):
        fields["sigterms"] = signature_terms(signature)
    if doc.date:
        fields["date"] = datetime.fromisoformat(doc.date)
        fields["year"] = doc.date[:4]
    return fields


def page_digest(page: Page) -> str:
    """A content hash of a page, so a later reindex can tell whether it changed."""
    return hashlib.blake2b(page.content.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def clean_corpus(corpus_dir: Path) -> Iterable[tuple[Document, str] | Skipped]:
    """Read and clean every page of a corpus; pages that fail either step come out as Skipped."""
    for item in read_corpus(corpus_dir):
        if isinstance(item, Skipped):
            yield item
            continue
        try:
            doc = clean_page(item)
        except (SearchError, ValueError, RecursionError) as exc:
            yield Skipped(path=item.path, reason=f"cleaning failed: {exc}")
            continue
        if not doc.body.strip():
            yield Skipped(path=item.path, reason="no article text left after cleaning")
            continue
        yield doc, page_digest(item)


def _open_for_writing(index_dir: Path) -> Index:
    index_dir.mkdir(parents=True, exist_ok=True)
    if index_exists(index_dir):
        return whoosh_index.open_dir(str(index_dir))
    # First build, or an index from another schema: start over in place.
    ix = whoosh_index.create_in(str(index_dir), build_schema())
    _write_json_atomically(index_dir / META_FILE, {"schema_version": SCHEMA_VERSION})
    return ix


def build_index(corpus_dir: Path, index_dir: Path, *, lock_timeout: float = WRITE_LOCK_TIMEOUT) -> ReindexReport:
    """Clean every page of corpus_dir and replace the index's contents with them in one commit.

    Readers keep seeing the previous generation until the commit, then the new one: the
    index is never empty or half-built in between.
    """
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    report = ReindexReport(corpus=str(corpus_dir), index=str(index_dir))
    ix = _open_for_writing(index_dir)
    try:
        writer = ix.writer(timeout=lock_timeout)
    except LockError as exc:
        raise IndexBusyError(
            f"another reindex is writing to {index_dir} (it holds {index_dir / 'MAIN_WRITELOCK'}); "
            "wait for it to finish and try again"
        ) from exc
    seen: set[str] = set()
    bodies: dict[str, str] = {}  # cleaned-text hash -> the id indexed with it
    try:
        for item in clean_corpus(corpus_dir):
            if isinstance(item, Skipped):
                report.skipped.append({"path": item.path, "reason": item.reason})
                continue
            doc, digest = item
            if doc.id in seen:
                continue
            seen.add(doc.id)
            fields = document_fields(doc, digest)
            if (first := bodies.setdefault(fields["bodyhash"], doc.id)) != doc.id:
                report.skipped.append({"path": doc.path, "reason": f"exact duplicate of {first} after cleaning"})
                continue
            writer.add_document(**fields)
            report.indexed += 1
    except BaseException:
        writer.cancel()
        raise
    # CLEAR drops every older segment in the same commit that adds the new ones.
    writer.commit(mergetype=CLEAR)
    report.seconds = round(time.monotonic() - started, 3)
    report.finished = datetime.now().isoformat(timespec="seconds")
    _write_json_atomically(index_dir / REPORT_FILE, report.as_json())
    return report


def read_report(index_dir: Path) -> dict | None:
    """The report of the last reindex saved beside the index, if any."""
    try:
        return json.loads((Path(index_dir) / REPORT_FILE).read_text())
    except (OSError, ValueError):
        return None
