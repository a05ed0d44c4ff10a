"""Indexing: bringing the index up to date with a corpus (schema.py defines its fields, store.py its files)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from whoosh.index import Index, LockError
from whoosh.writing import CLEAR

from ..cleaning import TEMPLATES_FILE, SiteTemplates, load_templates
from ..errors import CorpusError, IndexBusyError
from ..reading import page_kind
from ..records import Skipped
from .faults import abandon_writer, latest_generation, storage_error, sweep_leftovers
from .manifest import record_our_files
from .schema import RECORD_FIELDS, SCHEMA_VERSION, document_fields, stored_form
from .space import MIN_FREE_MB, estimate_need, require_space
from .store import (
    META_FILE,
    REPORT_FILE,
    ReindexReport,
    indexed_units,
    kept_documents,
    open_for_writing,
    pipeline_fingerprint,
    read_meta,
    write_json_atomically,
)
from .units import STAMPS_FILE, Listing, Unit, read_listing, read_stamps
from .workers import (
    Limits,
    TemplateChange,
    available_cores,
    clean_units,
    learn_site_templates,
    template_sample_ids,
    units_cleaned_differently,
)
from .writer import ReindexWriter

WRITE_LOCK_TIMEOUT = 5.0  # seconds a reindex waits for another one before giving up
WRITER_LIMIT_MB = 256  # memory the Whoosh writer sorts postings in before spilling runs to disk

Progress = Callable[[int, int], None]  # (pages done, pages to do)


def _full_reason(anew: str, meta: dict, index_dir: Path) -> str:
    """Why this reindex must clean every page again, or "" when only changed pages need it."""
    if anew:
        return anew
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


def _skip_holds(known: list | None, digest: str, old: dict[str, tuple[str, str]], current: dict[str, Unit]) -> bool:
    """Whether a unit skipped last time (known: [digest, reason, units of its originals]) is skipped still."""
    if not known or known[0] != digest:
        return False
    originals = known[2] if len(known) > 2 else []
    return all(key in old and key in current and old[key][1] == current[key].digest for key in originals)


def _site_templates(full: bool, listing: Listing, plan: dict[str, str], meta: dict,
                    index_dir: Path, corpus_dir: Path, workers: int,
                    limits: Limits) -> tuple[SiteTemplates, dict[str, str], set[str]]:
    """The site templates to clean with, the sample they are learned from (id -> digest), and the pages
    planned to be kept as they are that must be cleaned again, as a full reindex would clean them.

    Templates are learned from a sample of each site folder's pages. When a page of the sample
    was edited, added or deleted, the templates are learned again, exactly as a full reindex of
    this corpus learns them; a kept page is cleaned again only when the new templates give one of
    its lines another share (the only way templates reach a page's cleaning).
    """
    paths = {pid: path for pid, (path, _) in listing.files.items()}
    sample = {pid: listing.files[pid][1] for pid in template_sample_ids(paths)}
    if full:
        return learn_site_templates(paths, corpus_dir, workers), sample, set()
    saved = load_templates(index_dir)
    if meta.get("template_sample") == sample:
        return saved, sample, set()
    learned = learn_site_templates(paths, corpus_dir, workers)
    if learned.lines == saved.lines:
        return saved, sample, set()
    kept = [key for key, how in plan.items() if how != "clean"]
    differs = units_cleaned_differently([listing.units[key].task for key in kept], corpus_dir, workers,
                                        TemplateChange.between(saved, learned), limits)
    return learned, sample, {key for key, changed in zip(kept, differs, strict=True) if changed}


def build_index(
    corpus_dir: Path,
    index_dir: Path,
    *,
    full: bool = False,
    workers: int | None = None,
    lock_timeout: float = WRITE_LOCK_TIMEOUT,
    progress: Progress | None = None,
    limits: Limits | None = None,
    min_free_mb: float = MIN_FREE_MB,
) -> ReindexReport:
    """Bring the index up to date with corpus_dir in one commit: clean new and changed pages, drop gone ones.

    Unchanged pages (same content digest) are kept as they are, unless `full` is asked for or
    the cleaning code has changed, when every page is cleaned again. Pages are cleaned across
    `workers` processes (default: every core). Readers keep seeing the previous generation
    until the commit, then the new one: the index is never empty or half-built in between.

    A disk fault (full, read-only, not permitted) raises a StorageError naming it, after the
    files this reindex wrote are deleted; the last complete index answers as before. The writes
    expected are checked against the disk's free space, less min_free_mb, before any is made.
    """
    corpus_dir, index_dir = Path(corpus_dir), Path(index_dir)
    try:
        return _build_index(corpus_dir, index_dir, full=full, workers=workers, lock_timeout=lock_timeout,
                            progress=progress, limits=limits, min_free_mb=min_free_mb)
    except OSError as exc:
        raise storage_error(exc, index_dir) from exc


def _delete_gone(writer, searcher, gone: list[str], old: dict[str, tuple[str, str]], current: dict[str, Unit]) -> int:
    """Take out the documents of units no longer in the corpus: a whole file's at once when none of its
    units is left, else one unit at a time; the count taken out."""
    left = {unit.source for unit in current.values()}
    files = {old[key][0] for key in gone} - left
    deleted = sum(writer.delete_by_term("source", source, searcher=searcher) for source in files)
    return deleted + sum(writer.delete_by_term("unit", key, searcher=searcher)
                         for key in gone if old[key][0] not in files)


def _build_index(corpus_dir: Path, index_dir: Path, *, full: bool, workers: int | None, lock_timeout: float,
                 progress: Progress | None, limits: Limits | None, min_free_mb: float) -> ReindexReport:
    started = time.monotonic()
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    workers = workers or available_cores()
    limits = limits or Limits()
    report = ReindexReport(corpus=str(corpus_dir), index=str(index_dir))
    ix, anew = open_for_writing(index_dir, fresh=full)
    sweep_leftovers(ix, index_dir)  # what a failed or killed reindex left, before the space is measured
    meta = read_meta(index_dir)
    report.reason = _full_reason(anew, meta, index_dir)
    report.mode = "full" if report.reason else "incremental"
    known_stamps = read_stamps(index_dir)
    listing = read_listing(corpus_dir, report.skipped, known_stamps)
    current = listing.units  # unit -> Unit: page files, and each record of a container file

    generation = ix.latest_generation()
    old = {} if report.mode == "full" else indexed_units(ix)  # unit -> (source, digest)
    # Pages skipped last time and unchanged since are named again without being cleaned again;
    # an exact duplicate only while the units holding its originals are unchanged too.
    known_skips = {} if report.mode == "full" else meta.get("skipped", {})
    plan: dict[str, str] = {}  # unit -> "unchanged", "skipped" (as last time) or "clean"
    for key, unit in current.items():
        if key in old and old[key][1] == unit.digest:
            plan[key] = "unchanged"
        elif key not in old and _skip_holds(known_skips.get(key), unit.digest, old, current):
            plan[key] = "skipped"
        else:
            plan[key] = "clean"
    gone = [key for key in old if key not in current]
    to_clean = [key for key, how in plan.items() if how == "clean"]
    clean_bytes: dict[str, int] = {}  # bytes of the pages to clean, by page form
    for key in to_clean:
        form = page_kind(current[key].path) or "text"
        clean_bytes[form] = clean_bytes.get(form, 0) + current[key].size
    require_space(estimate_need(index_dir, len(to_clean), clean_bytes, int(meta.get("corpus_bytes", 0)),
                                report.mode == "full", min_free_mb), index_dir)
    templates, sample, recleaned = _site_templates(report.mode == "full", listing, plan, meta, index_dir,
                                                   corpus_dir, workers, limits)
    report.recleaned = len(recleaned)
    skips: dict[str, list] = {}  # unit -> [digest, reason, units of the originals it duplicates, where]
    todo: list[str] = []
    for key, how in plan.items():
        if how == "unchanged" and key not in recleaned:
            report.unchanged += 1
        elif how == "skipped" and key not in recleaned:
            known = known_skips[key]
            report.skipped.append({"path": known[3] if len(known) > 3 else str(current[key].path), "reason": known[1]})
            skips[key] = known
        else:
            todo.append(key)

    writer = _open_writer(ix, index_dir, lock_timeout)
    if latest_generation(index_dir) != generation:
        # Another reindex committed while this one was reading: its plan is stale, so make it again.
        writer.cancel()
        return _build_index(corpus_dir, index_dir, full=full, workers=workers, lock_timeout=lock_timeout,
                            progress=progress, limits=limits, min_free_mb=min_free_mb)
    # The documents this reindex keeps as they are: their texts' hashes (exact duplicates are
    # indexed once) and their ids (an id is never indexed twice).
    # (Nothing to clean: nothing to check against them.)
    bodies, ids = (kept_documents(ix, set(old) - set(todo) - set(gone)) if report.mode != "full" and todo
                   else ({}, set()))
    try:
        # A kept unit cleaned again for its site's new templates is replaced only when its document changed.
        revisited = {key for key in recleaned if key in old}
        replaced = [key for key in todo if key in old and key not in revisited]
        dropped = 0  # documents of changed units taken out; what is not put back counts as deleted
        readded = 0  # documents of units cleaned again for their templates put back
        indexed_before: dict[str, list[dict]] = {}
        if gone or replaced or revisited:
            with writer.searcher() as searcher:
                report.deleted += _delete_gone(writer, searcher, gone, old, current)
                for key in replaced:
                    dropped += writer.delete_by_term("unit", key, searcher=searcher)
                indexed_before = {key: sorted(({k: v for k, v in fields.items() if k not in RECORD_FIELDS}
                                               for fields in searcher.documents(unit=key)),
                                              key=lambda fields: fields["id"])
                                  for key in revisited}
        # The workers clean and also compute each document's field values (hashes, sketch).
        cleaned = clean_units([current[key].task for key in todo], corpus_dir, workers, templates, limits,
                              prepare=document_fields)
        for done, (key, fields) in enumerate(zip(todo, cleaned, strict=True), 1):
            unit = current[key]
            adds = []
            if isinstance(fields, Skipped):
                report.skipped.append({"path": fields.path, "reason": fields.reason})
                skips[key] = [unit.digest, fields.reason, [], fields.path]
            else:
                doc_id = fields["id"]
                first, first_unit = bodies.setdefault(fields["bodyhash"], (doc_id, key))
                if first != doc_id or doc_id in ids:
                    why = f"exact duplicate of {first} after cleaning" if first != doc_id else "id used twice"
                    report.skipped.append({"path": fields["path"], "reason": why})
                    skips[key] = [unit.digest, why, [first_unit], fields["path"]]
                else:
                    ids.add(doc_id)
                    adds.append(fields)
            if key in revisited:
                if stored_form(adds, unit.source, unit.digest) == indexed_before[key]:
                    continue  # cleaned as it was: its document stays
                dropped += writer.delete_by_term("unit", key)
            for fields in adds:
                writer.add_document(**fields, source=unit.source, unit=key, digest=unit.digest)
                if key in recleaned:
                    readded += key in old  # the page itself is counted in report.recleaned
                elif key in old:
                    report.updated += 1
                else:
                    report.added += 1
            if progress:
                progress(done, len(todo))
        report.deleted += max(0, dropped - report.updated - readded)
        if report.mode == "full":
            # CLEAR drops every older segment in the same commit that adds the new ones.
            writer.commit(mergetype=CLEAR)
        elif report.added or report.updated or report.deleted or dropped or readded:
            writer.commit()
        else:
            writer.cancel()  # nothing changed: no new generation, readers keep their searchers
    except BaseException:
        abandon_writer(writer, index_dir)
        raise
    write_json_atomically(index_dir / TEMPLATES_FILE, templates.to_json())
    if listing.stamps != known_stamps:
        # A cache of digests, no part of the index: an older one left by a failed write still holds
        # only true pairs (a file's exact stamp and its digest then), and none costs one listing that
        # reads every file.
        with contextlib.suppress(OSError):
            write_json_atomically(index_dir / STAMPS_FILE, listing.stamps, indent=None)
    write_json_atomically(index_dir / META_FILE, {
        "schema_version": SCHEMA_VERSION, "pipeline": pipeline_fingerprint(), "skipped": skips,
        "template_sample": sample, "corpus_bytes": listing.corpus_bytes,
        # The corpus the index was built from: a document page checks its source file there.
        "corpus": str(corpus_dir.resolve()),
    })
    report.indexed = ix.doc_count()
    report.seconds = round(time.monotonic() - started, 3)
    report.finished = datetime.now().isoformat(timespec="seconds")
    write_json_atomically(index_dir / REPORT_FILE, report.as_json())
    record_our_files(index_dir, latest_generation(index_dir))
    return report
