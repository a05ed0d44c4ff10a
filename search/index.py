"""Indexing: building the index from a corpus (schema.py defines its fields), and opening it for search."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import Index, LockError
from whoosh.writing import CLEAR

from .corpus import page_id, walk_corpus
from .errors import CorpusError, IndexBusyError, IndexMissingError
from .records import Skipped
from .schema import SCHEMA_VERSION, build_schema, document_fields, stored_form
from .templates import TEMPLATES_FILE, SiteTemplates, load_templates, save_templates
from .workers import (
    Limits,
    TemplateChange,
    available_cores,
    clean_files,
    digest_files,
    files_cleaned_differently,
    learn_site_templates,
    template_sample_ids,
)
from .writer import ReindexWriter

META_FILE = "search-meta.json"
REPORT_FILE = "last-reindex.json"
WRITE_LOCK_TIMEOUT = 5.0  # seconds a reindex waits for another one before giving up
WRITER_LIMIT_MB = 256  # memory the Whoosh writer sorts postings in before spilling runs to disk
# The modules whose code decides what a page becomes in the index: when any of them changes,
# documents cleaned by the old code are stale, and the next reindex rebuilds everything.
PIPELINE_MODULES = ("corpus", "warc", "clean", "context", "markup", "features", "boilerplate", "dates", "templates",
                    "analysis", "similar", "workers", "index", "schema")

Progress = Callable[[int, int], None]  # (pages done, pages to do)


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


def _write_json_atomically(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    os.replace(tmp, path)


def pipeline_fingerprint() -> str:
    """A hash of the code that turns pages into documents, so a reindex notices when it has changed."""
    digest = hashlib.blake2b(str(SCHEMA_VERSION).encode(), digest_size=16)
    here = Path(__file__).parent
    for name in PIPELINE_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()


def _read_meta(index_dir: Path) -> dict:
    try:
        return json.loads((index_dir / META_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _open_for_writing(index_dir: Path) -> tuple[Index, bool]:
    """The index at index_dir, and whether it was created just now."""
    index_dir.mkdir(parents=True, exist_ok=True)
    if index_exists(index_dir):
        return whoosh_index.open_dir(str(index_dir)), False
    # First build, or an index from another schema: start over in place.
    ix = whoosh_index.create_in(str(index_dir), build_schema())
    _write_json_atomically(index_dir / META_FILE, {"schema_version": SCHEMA_VERSION})
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


def _full_reason(full: bool, created: bool, meta: dict, index_dir: Path) -> str:
    """Why this reindex must clean every page again, or "" when only changed pages need it."""
    if created:
        return "new index"
    if full:
        return "--full"
    if meta.get("pipeline") != pipeline_fingerprint():
        return "the cleaning or indexing code changed since the last reindex"
    if not (index_dir / TEMPLATES_FILE).exists():
        return "no site templates saved beside the index"
    return ""


def _open_writer(ix: Index, index_dir: Path, lock_timeout: float):
    # One writer in this process, one new segment a reindex. Whoosh's multi-process writer
    # (procs=2) was measured: no faster here once cleaning has the other core, and its
    # segment per process made every query slower (queries merge terms across segments).
    # Measured again with multisegment=True: more CPU in all (every document pickled twice
    # more), slower on a 2-core machine shared with other work.
    try:
        return ReindexWriter(ix, limitmb=WRITER_LIMIT_MB, timeout=lock_timeout)
    except LockError as exc:
        raise IndexBusyError(
            f"another reindex is writing to {index_dir} (it holds {index_dir / 'MAIN_WRITELOCK'}); "
            "wait for it to finish and try again"
        ) from exc


def _skip_holds(known: list | None, digest: str, old: dict[str, str], current: dict[str, tuple[Path, str]]) -> bool:
    """Whether a file skipped last time (known: [digest, reason, files of its originals]) is skipped still."""
    if not known or known[0] != digest:
        return False
    originals = known[2] if len(known) > 2 else []
    return all(src in old and old[src] == current.get(src, (None, ""))[1] for src in originals)


def _site_templates(full: bool, current: dict[str, tuple[Path, str]], plan: dict[str, str], meta: dict,
                    index_dir: Path, corpus_dir: Path, workers: int,
                    limits: Limits) -> tuple[SiteTemplates, dict[str, str], set[str]]:
    """The site templates to clean with, the sample they are learned from (id -> digest), and the pages
    planned to be kept as they are that must be cleaned again, as a full reindex would clean them.

    Templates are learned from a sample of each site folder's pages. When a page of the sample
    was edited, added or deleted, the templates are learned again, exactly as a full reindex of
    this corpus learns them; a kept page is cleaned again only when the new templates give one of
    its lines another share (the only way templates reach a page's cleaning).
    """
    paths = {pid: path for pid, (path, _) in current.items()}
    sample = {pid: current[pid][1] for pid in template_sample_ids(paths)}
    if full:
        return learn_site_templates(paths, corpus_dir, workers), sample, set()
    saved = load_templates(index_dir)
    if meta.get("template_sample") == sample:
        return saved, sample, set()
    learned = learn_site_templates(paths, corpus_dir, workers)
    if learned.lines == saved.lines:
        return saved, sample, set()
    kept = [pid for pid, how in plan.items() if how != "clean"]
    differs = files_cleaned_differently([paths[pid] for pid in kept], corpus_dir, workers,
                                        TemplateChange.between(saved, learned), limits)
    return learned, sample, {pid for pid, changed in zip(kept, differs, strict=True) if changed}


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    *,
    full: bool = False,
    workers: int | None = None,
    lock_timeout: float = WRITE_LOCK_TIMEOUT,
    progress: Progress | None = None,
    limits: Limits | None = None,
) -> ReindexReport:
    """Bring the index up to date with corpus_dir in one commit: clean new and changed pages, drop gone ones.

    Unchanged pages (same content digest) are kept as they are, unless `full` is asked for or
    the cleaning code has changed, when every page is cleaned again. Pages are cleaned across
    `workers` processes (default: every core). Readers keep seeing the previous generation
    until the commit, then the new one: the index is never empty or half-built in between.
    """
    started = time.monotonic()
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    workers = workers or available_cores()
    limits = limits or Limits()
    report = ReindexReport(corpus=str(corpus_dir), index=str(index_dir))
    ix, created = _open_for_writing(index_dir)
    meta = _read_meta(index_dir)
    report.reason = _full_reason(full, created, meta, index_dir)
    report.mode = "full" if report.reason else "incremental"

    current: dict[str, tuple[Path, str]] = {}  # id -> (path, digest), in corpus order
    for path, digest, error in digest_files(walk_corpus(corpus_dir)):
        if digest is None:
            report.skipped.append({"path": str(path), "reason": error})
        else:
            current[page_id(path, corpus_dir)] = (path, digest)

    generation = ix.latest_generation()
    old = {} if report.mode == "full" else indexed_digests(ix)
    # Pages skipped last time and unchanged since are named again without being cleaned again;
    # an exact duplicate only while the files holding its originals are unchanged too.
    known_skips = {} if report.mode == "full" else meta.get("skipped", {})
    plan: dict[str, str] = {}  # file -> "unchanged", "skipped" (as last time) or "clean"
    for pid, (_path, digest) in current.items():
        if old.get(pid) == digest:
            plan[pid] = "unchanged"
        elif pid not in old and _skip_holds(known_skips.get(pid), digest, old, current):
            plan[pid] = "skipped"
        else:
            plan[pid] = "clean"
    gone = [pid for pid in old if pid not in current]
    templates, sample, recleaned = _site_templates(report.mode == "full", current, plan, meta, index_dir,
                                                   corpus_dir, workers, limits)
    report.recleaned = len(recleaned)
    skips: dict[str, list] = {}  # file -> [digest, reason, files of the originals it duplicates]
    todo: list[str] = []
    for pid, how in plan.items():
        if how == "unchanged" and pid not in recleaned:
            report.unchanged += 1
        elif how == "skipped" and pid not in recleaned:
            report.skipped.append({"path": str(current[pid][0]), "reason": known_skips[pid][1]})
            skips[pid] = known_skips[pid]
        else:
            todo.append(pid)

    writer = _open_writer(ix, index_dir, lock_timeout)
    if ix.latest_generation() != generation:
        # Another reindex committed while this one was reading: its plan is stale, so make it again.
        writer.cancel()
        return build_index(corpus_dir, index_dir, full=full, workers=workers,
                           lock_timeout=lock_timeout, progress=progress, limits=limits)
    # The documents this reindex keeps as they are: their texts' hashes (exact duplicates are
    # indexed once) and their ids (an id is never indexed twice).
    bodies, ids = kept_documents(ix, set(old) - set(todo) - set(gone)) if report.mode != "full" else ({}, set())
    try:
        # A kept page cleaned again for its site's new templates is replaced only when its documents changed.
        revisited = {src for src in recleaned if src in old}
        replaced = [src for src in todo if src in old and src not in revisited]
        dropped = 0  # documents of changed files taken out; what is not put back counts as deleted
        readded = 0  # documents of files cleaned again for their templates put back
        indexed_before: dict[str, list[dict]] = {}
        if gone or replaced or revisited:
            with writer.searcher() as searcher:
                for src in gone:
                    report.deleted += writer.delete_by_term("source", src, searcher=searcher)
                for src in replaced:
                    dropped += writer.delete_by_term("source", src, searcher=searcher)
                indexed_before = {src: sorted(searcher.documents(source=src), key=lambda fields: fields["id"])
                                  for src in revisited}
        # The workers clean and also compute each document's field values (hashes, sketch).
        cleaned = clean_files([current[src][0] for src in todo], corpus_dir, workers, templates, limits,
                              prepare=document_fields)
        for done, (src, items) in enumerate(zip(todo, cleaned, strict=True), 1):
            digest = current[src][1]
            adds = []
            for fields in items:
                if isinstance(fields, Skipped):
                    report.skipped.append({"path": fields.path, "reason": fields.reason})
                    skips.setdefault(src, [digest, fields.reason, []])
                    continue
                doc_id = fields["id"]
                first, first_source = bodies.setdefault(fields["bodyhash"], (doc_id, src))
                if first != doc_id or doc_id in ids:
                    why = f"exact duplicate of {first} after cleaning" if first != doc_id else "id used twice"
                    report.skipped.append({"path": fields["path"], "reason": why})
                    skips.setdefault(src, [digest, why, []])[2].append(first_source)
                    continue
                ids.add(doc_id)
                adds.append(fields)
            if src in revisited:
                if stored_form(adds, src, digest) == indexed_before[src]:
                    continue  # cleaned as it was: its documents stay
                dropped += writer.delete_by_term("source", src)
            for fields in adds:
                writer.add_document(**fields, source=src, digest=digest)
                if src in recleaned:
                    readded += src in old  # the page itself is counted in report.recleaned
                elif src in old:
                    report.updated += 1
                else:
                    report.added += 1
            if progress:
                progress(done, len(todo))
        report.deleted += max(0, dropped - report.updated - readded)
    except BaseException:
        writer.cancel()
        raise
    if report.mode == "full":
        # CLEAR drops every older segment in the same commit that adds the new ones.
        writer.commit(mergetype=CLEAR)
    elif report.added or report.updated or report.deleted or dropped or readded:
        writer.commit()
    else:
        writer.cancel()  # nothing changed: no new generation, readers keep their searchers
    save_templates(templates, index_dir)
    _write_json_atomically(index_dir / META_FILE, {
        "schema_version": SCHEMA_VERSION, "pipeline": pipeline_fingerprint(), "skipped": skips,
        "template_sample": sample,
    })
    report.indexed = ix.doc_count()
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
