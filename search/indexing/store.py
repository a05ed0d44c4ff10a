"""The index on disk: opening it, and what a reindex keeps beside it (schema version, pipeline
fingerprint, template sample, last report), and the columns it reads back to plan the next one."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh.index import TOC, FileIndex, Index

from ..errors import IndexDamagedError, IndexMissingError
from .check import damage_error, find_damage, raise_if_damaged
from .faults import INDEX_NAME, index_storage, latest_generation, storage_error
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
    "reading/spans", "indexing/workers", "indexing/units", "indexing/index", "indexing/schema", "indexing/writer",
    "indexing/postings",
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
    """True when index_dir holds a Whoosh index built by this version's schema (damaged or not)."""
    meta = Path(index_dir) / META_FILE
    try:
        if latest_generation(Path(index_dir)) < 0 or not meta.exists():
            return False
        return json.loads(meta.read_text()).get("schema_version") == SCHEMA_VERSION
    except (OSError, ValueError):
        return False


def open_index(index_dir: Path) -> Index:
    """Open the index at index_dir; IndexMissingError saying how to build it, IndexDamagedError naming
    a damaged file (its size or its TOC's checksum not as committed, or its TOC unreadable)."""
    index_dir = Path(index_dir)
    try:
        if latest_generation(index_dir) < 0:
            raise IndexMissingError(f"no index at {index_dir}: run `search reindex` to build it")
        raise_if_damaged(index_dir)
        return FileIndex(index_storage(index_dir), indexname=INDEX_NAME)
    except OSError as exc:
        raise storage_error(exc, index_dir, "reading") from exc
    except (IndexMissingError, IndexDamagedError):
        raise
    except Exception as exc:  # noqa: BLE001 - the TOC changed between the check and the open: name it
        found = find_damage(index_dir)
        if found:
            raise damage_error(index_dir, found) from exc
        raise


class FreshIndex(FileIndex):
    """The index folder seen as holding no documents, at a generation past every TOC in it.

    A writer on it builds a whole new index beside the old files, whatever state they are in
    (it never reads them), and its commit switches readers to the new one in one step: the TOC
    it writes is the latest; the older TOCs and segments are deleted with it.
    """

    def __init__(self, index_dir: Path, generation: int):
        # Not FileIndex.__init__: it reads the latest TOC, which may be the damaged file.
        self.storage = index_storage(index_dir)
        self._schema = build_schema()
        self.indexname = INDEX_NAME
        self._base = generation

    def _read_toc(self):
        if latest_generation(Path(self.storage.folder)) > self._base:
            return super()._read_toc()  # committed: the new index itself
        return TOC(self._schema, [], self._base)


def write_json_atomically(path: Path, data: dict, indent: int | None = 2) -> None:
    """Writes JSON beside the index so that a reader sees the old file or the new one, never half of one
    (a write that fails leaves no part of the new one behind)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, indent=indent, ensure_ascii=False))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def open_for_writing(index_dir: Path, fresh: bool = False) -> tuple[Index, str]:
    """The index at index_dir to write to, and why it must be built anew ("" when it need not).

    Built anew (beside the old files, see FreshIndex) when `fresh` is asked for, when there is
    none, when it comes from another schema, and when it cannot be read.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    generation = latest_generation(index_dir)
    if generation < 0:
        ix = FileIndex.create(index_storage(index_dir), build_schema(), INDEX_NAME)
        write_json_atomically(index_dir / META_FILE, {"schema_version": SCHEMA_VERSION})
        return ix, "new index"
    reason = "--full" if fresh else ""
    if not reason and not index_exists(index_dir):
        reason = "the index was built by another version, or its settings cannot be read"
    if not reason:
        try:
            return open_index(index_dir), ""
        except IndexDamagedError as exc:
            reason = f"{exc}".split(": run `search", 1)[0]
    return FreshIndex(index_dir, generation), reason


def indexed_units(ix: Index) -> dict[str, tuple[str, str]]:
    """Unit (units.Unit.key) -> (source file, digest), for every unit the index's latest generation holds
    documents of."""
    with ix.reader() as reader:
        if not reader.doc_count():
            return {}
        # Each column read whole, in one pass: a lookup per document costs several times more.
        units, sources, digests = (list(reader.column_reader(f)) for f in ("unit", "source", "digest"))
        return {units[n]: (sources[n], digests[n]) for n in reader.all_doc_ids()}


def kept_documents(ix: Index, units: set[str]) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """For the documents of the given units: cleaned-text hash -> (id, unit), and their ids."""
    bodies: dict[str, tuple[str, str]] = {}
    ids: set[str] = set()
    with ix.reader() as reader:
        if not units or not reader.doc_count():
            return bodies, ids
        id_column, unit_column, hashes = (list(reader.column_reader(f)) for f in ("id", "unit", "bodyhash"))
        for n in reader.all_doc_ids():
            if unit_column[n] in units:
                bodies.setdefault(hashes[n], (id_column[n], unit_column[n]))
                ids.add(id_column[n])
    return bodies, ids


def read_report(index_dir: Path) -> dict | None:
    """The report of the last reindex saved beside the index, if any."""
    try:
        return json.loads((Path(index_dir) / REPORT_FILE).read_text())
    except (OSError, ValueError):
        return None
