"""The index on disk: opening it, and what a reindex keeps beside it (schema version, pipeline
fingerprint, template sample, last report), and the columns it reads back to plan the next one."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index

from ..errors import IndexMissingError
from .schema import SCHEMA_VERSION, build_schema

META_FILE = "search-meta.json"
REPORT_FILE = "last-reindex.json"
# The modules whose code decides what a page becomes in the index: when any of them changes,
# documents cleaned by the old code are stale, and the next reindex rebuilds everything.
PIPELINE_MODULES = (
    "reading/corpus", "reading/decoding", "reading/warc",
    "cleaning/clean", "cleaning/context", "cleaning/markup", "cleaning/metadata", "cleaning/features",
    "cleaning/boilerplate", "cleaning/dates", "cleaning/templates", "cleaning/wrapping",
    "analysis/words", "analysis/fingerprints",
    "indexing/workers", "indexing/index", "indexing/schema", "indexing/writer", "indexing/postings",
)


@dataclass
class ReindexReport:
    """What a reindex did: full or incremental and why, counts, the pages it skipped and why, its time."""

    corpus: str
    index: str
    mode: str = "full"  # "full": every page cleaned again; "incremental": changed pages only
    reason: str = ""  # why a full reindex was done
    indexed: int = 0  # documents the index holds now
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    recleaned: int = 0  # unchanged pages cleaned again: their site's templates changed in a way that reaches them
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


def write_json_atomically(path: Path, data: dict) -> None:
    """Writes JSON beside the index so that a reader sees the old file or the new one, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    os.replace(tmp, path)


def pipeline_fingerprint() -> str:
    """A hash of the code that turns pages into documents, so a reindex notices when it has changed."""
    digest = hashlib.blake2b(str(SCHEMA_VERSION).encode(), digest_size=16)
    here = Path(__file__).parent.parent  # the search package: module names are relative to it
    for name in PIPELINE_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()


def read_meta(index_dir: Path) -> dict:
    """What the last reindex saved beside the index ({} when nothing readable is there)."""
    try:
        return json.loads((index_dir / META_FILE).read_text())
    except (OSError, ValueError):
        return {}


def indexed_corpus(index_dir: Path) -> Path | None:
    """The corpus folder the index was last built from, as the reindex recorded it (None before one did)."""
    corpus = read_meta(Path(index_dir)).get("corpus")
    return Path(corpus) if corpus else None


def open_for_writing(index_dir: Path) -> tuple[Index, bool]:
    """The index at index_dir, and whether it was created just now."""
    index_dir.mkdir(parents=True, exist_ok=True)
    if index_exists(index_dir):
        return whoosh_index.open_dir(str(index_dir)), False
    # First build, or an index from another schema: start over in place.
    ix = whoosh_index.create_in(str(index_dir), build_schema())
    write_json_atomically(index_dir / META_FILE, {"schema_version": SCHEMA_VERSION})
    return ix, True


def indexed_digests(ix: Index) -> dict[str, str]:
    """Source file -> content digest, for every file the index's latest generation holds documents of."""
    with ix.reader() as reader:
        if not reader.doc_count():
            return {}
        sources, digests = reader.column_reader("source"), reader.column_reader("digest")
        return {sources[docnum]: digests[docnum] for docnum in reader.all_doc_ids()}


def kept_documents(ix: Index, sources: set[str]) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """For the documents of the given source files: cleaned-text hash -> (id, source file), and their ids."""
    bodies: dict[str, tuple[str, str]] = {}
    ids: set[str] = set()
    with ix.reader() as reader:
        if not sources or not reader.doc_count():
            return bodies, ids
        id_column, source_column = reader.column_reader("id"), reader.column_reader("source")
        hashes = reader.column_reader("bodyhash")
        for n in reader.all_doc_ids():
            if source_column[n] in sources:
                bodies.setdefault(hashes[n], (id_column[n], source_column[n]))
                ids.add(id_column[n])
    return bodies, ids


def read_report(index_dir: Path) -> dict | None:
    """The report of the last reindex saved beside the index, if any."""
    try:
        return json.loads((Path(index_dir) / REPORT_FILE).read_text())
    except (OSError, ValueError):
        return None
