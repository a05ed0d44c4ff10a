"""Disk faults named in words (out of space, read-only, not permitted), and the index folder swept of
files no generation refers to, so a failed reindex leaves nothing half-written behind."""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, Index

from ..errors import AccessDeniedError, OutOfSpaceError, ReadOnlyError, StorageError

INDEX_NAME = "MAIN"  # Whoosh's default index name: its files are _MAIN_<gen>.toc and MAIN_<segment>.<ext>
TOC_NAME = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
TOC_TEMP_NAME = re.compile(rf"^_{INDEX_NAME}_[0-9]+\.toc\.[0-9.]+$")  # Whoosh writes a TOC under this name first
SEGMENT_NAME = re.compile(rf"^({INDEX_NAME}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
WHOOSH_TEMP_FOLDER = f"{INDEX_NAME}.tmp"  # Whoosh's writer spills sorted runs of postings here
LOCK_NAME = f"{INDEX_NAME}_WRITELOCK"


def index_storage(index_dir: Path) -> FileStorage:
    """Whoosh's storage for the index folder, its segment files read through file positions.

    Not memory-mapped: Whoosh wraps each mapped part of a compound segment in an in-memory
    copy (BytesIO of the mapping), so opening a searcher copied the terms and postings of every
    segment into private memory: 5.3 GB per process at a million pages.
    """
    return FileStorage(str(index_dir), supports_mmap=False)
OUR_TEMP_NAME = re.compile(r"^\..+\.[0-9]+\.tmp$")  # write_json_atomically's temporary files
MANIFEST_FORMAT = "search-files-{}.json"  # a generation's files with their sizes and checksums
MANIFEST_NAME = re.compile(r"^search-files-([0-9]+)\.json$")

COMMIT_RACE_TRIES = 5  # listings taken again when a commit deletes what the last one showed
FULL_ERRNOS = {errno.ENOSPC: "no space left on the disk", errno.EDQUOT: "disk quota exceeded"}
READ_ONLY_ERRNOS = {errno.EROFS}
DENIED_ERRNOS = {errno.EACCES, errno.EPERM}


def storage_error(exc: OSError, path: Path, doing: str = "writing") -> StorageError:
    """An OSError as a one-line StorageError naming its cause, the path and the fix.

    `path` is named when the error carries none (a write to an open file names no file).
    """
    where = Path(exc.filename) if exc.filename else Path(path)
    public = f"the index's disk refused {doing} {where.name}"
    if exc.errno in FULL_ERRNOS:
        return OutOfSpaceError(f"{FULL_ERRNOS[exc.errno]} {doing} {where}: free space there or put the index "
                               "on a bigger disk (--index); the last complete index still answers",
                               public=f"{FULL_ERRNOS[exc.errno]} on the index's disk")
    if exc.errno in READ_ONLY_ERRNOS:
        return ReadOnlyError(f"read-only filesystem {doing} {where}: remount it read-write or choose a "
                             "writable --index folder; the last complete index still answers",
                             public=f"{public}: read-only filesystem")
    if exc.errno in DENIED_ERRNOS:
        return AccessDeniedError(f"permission denied {doing} {where}: give user {_user_name()} access to it "
                                 "or run as its owner", public=f"{public}: permission denied")
    reason = exc.strerror or type(exc).__name__
    return StorageError(f"{reason} {doing} {where}: check the disk and try again", public=f"{public}: {reason}")


def _user_name() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid())


def latest_generation(index_dir: Path) -> int:
    """The highest generation a TOC in the folder names (-1 when none), read from the listing alone."""
    found = [int(m.group(1)) for name in _listing(index_dir) if (m := TOC_NAME.match(name))]
    return max(found, default=-1)


def generation_key(index_dir: Path) -> tuple[int, int, int] | None:
    """The latest generation and its TOC's inode and modification time, None when there is no index:
    changes when a reindex commits, and when the folder is deleted or replaced by another index."""
    for _ in range(COMMIT_RACE_TRIES):
        generation = latest_generation(index_dir)
        if generation < 0:
            return None
        try:
            stat = os.stat(Path(index_dir) / f"_{INDEX_NAME}_{generation}.toc")
        except FileNotFoundError:
            continue  # a commit deleted it between the listing and now: list again
        return generation, stat.st_ino, stat.st_mtime_ns
    return None


def _listing(index_dir: Path) -> list[str]:
    try:
        return os.listdir(index_dir)
    except FileNotFoundError:
        return []


def sweep_unreferenced(index_dir: Path, generation: int, segment_ids: set[str] | None,
                       keep: frozenset[str] = frozenset()) -> list[str]:
    """Delete what no generation refers to: older TOCs, half-written TOCs, segment files of segments the
    latest TOC does not list, Whoosh's spilled runs, our half-written JSON files. Returns the names deleted.

    Call it holding the write lock only (another reindex's new segment is no generation's yet).
    segment_ids is None when the latest TOC cannot be read: then no segment file is touched, as
    they may hold the only copy of the documents.
    """
    removed = []
    for name in _listing(index_dir):
        toc = TOC_NAME.match(name)
        segment = SEGMENT_NAME.match(name)
        if name in keep:
            continue
        manifest = MANIFEST_NAME.match(name)
        if toc or manifest:
            stale = int((toc or manifest).group(1)) != generation
        elif segment:
            stale = segment_ids is not None and segment.group(1) not in segment_ids
        else:
            stale = bool(TOC_TEMP_NAME.match(name) or OUR_TEMP_NAME.match(name)) or name == WHOOSH_TEMP_FOLDER
        if not stale:
            continue
        path = Path(index_dir) / name
        try:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except FileNotFoundError:
            continue
        removed.append(name)
    return removed


def referenced_segments(index_dir: Path, generation: int) -> set[str] | None:
    """The segment ids the generation's TOC lists, or None when it cannot be read."""
    try:
        return {s.segment_id() for s in TOC.read(index_storage(index_dir), INDEX_NAME, generation).segments}
    except Exception:  # noqa: BLE001 - a TOC that cannot be parsed: its segments are unknown
        return None


def sweep_leftovers(ix: Index, index_dir: Path) -> list[str]:
    """Remove what no generation refers to (a reindex that failed or was killed left it), if no other
    reindex holds the write lock now; the names removed."""
    lock = ix.lock("WRITELOCK")
    if not lock.acquire():
        return []  # another reindex is writing: what is not its generation's yet may be its new segment
    try:
        generation = latest_generation(index_dir)
        return sweep_unreferenced(index_dir, generation, referenced_segments(index_dir, generation))
    finally:
        lock.release()


def abandon_writer(writer, index_dir: Path) -> None:
    """Undo a reindex that failed: delete what it wrote, however far it got, then close its writer.

    The files go first, while this writer holds the lock (cancelling releases it). Closing may
    fail again (the disk is still full, buffered bytes cannot be flushed): the lock is let go of all
    the same.
    """
    generation = latest_generation(index_dir)
    referenced = referenced_segments(index_dir, generation)
    sweep_unreferenced(index_dir, generation, referenced)
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - the fault that stopped the reindex may stop its cancel too
        pass
    # Cancelling closes the new segment's files, and may write some; they are this writer's alone,
    # deleted even when the latest TOC cannot be read (a failed rebuild of a damaged index).
    own = writer.newsegment.segment_id()
    if referenced is None or own not in referenced:
        for name in _listing(index_dir):
            if (match := SEGMENT_NAME.match(name)) and match.group(1) == own:
                Path(index_dir, name).unlink(missing_ok=True)
    lock = writer.writelock
    if lock is not None and lock.fd is not None:
        lock.release()
