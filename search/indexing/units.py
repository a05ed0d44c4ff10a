"""What an incremental reindex compares and cleans: each page file, and each record of a container file."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AccessDeniedError
from ..reading import page_id, skip_reason, walk_corpus
from ..reading.spans import RecordSpan, is_container, record_spans
from ..records import Skipped
from .saved import file_digest
from .workers import SAMPLE_PAGES_PER_FILE

STAMPS_FILE = "file-stamps.json"  # beside the index: each page file's stat stamp and digest, last listed
# A file changed this recently is hashed again next time: a write within the file system's timestamp
# tick after it was listed would leave its stamp as it was (git's "racily clean" files).
SETTLE_NS = 2_000_000_000


@dataclass(frozen=True)
class Unit:
    """A page file, or one record of a container file (JSON Lines, WARC), with the digest of its bytes."""

    source: str  # the file's page id: its path under the corpus root
    path: Path
    digest: str
    span: RecordSpan | None = None  # where the record lies in its file; None for a page file
    size: int = 0  # its bytes

    @property
    def key(self) -> str:
        """The unit's name in the index (its `unit` field): the file's id, and for a record its place in it."""
        return unit_key(self.source, self.span.record if self.span else None)

    @property
    def task(self) -> tuple[Path, RecordSpan | None]:
        """What a worker reads the unit by (workers.unit_tasks)."""
        return self.path, self.span


def unit_key(source: str, record: str | None) -> str:
    """A unit's name: a page file's id, or a container's id and the record's place ("items.jsonl#12").
    No page file's id ends like a record's (a page file's name ends in its suffix), so names never clash."""
    return source if record is None else f"{source}#{record}"


@dataclass
class Listing:
    """The corpus as a reindex plans by it: every unit by key, in corpus order, and every file that has
    any by id, with the digest of what learning its site's templates reads of it."""

    units: dict[str, Unit]
    files: dict[str, tuple[Path, str]]
    corpus_bytes: int = 0
    # Page file id -> [size, mtime_ns, ctime_ns, inode, digest], for the next listing (read_stamps).
    stamps: dict[str, list] = field(default_factory=dict)


def read_listing(corpus_dir: Path, skipped: list[dict], known: dict[str, list] | None = None) -> Listing:
    """Every readable page file and container record; unreadable files, records past which a container
    cannot be read, and unreadable folders are added to `skipped`. A page file whose size, times and
    inode are as `known` (the last listing's stamps) keeps its digest there without being read."""
    unreadable: list[OSError] = []
    listing = Listing({}, {})
    known = known or {}
    settled = time.time_ns() - SETTLE_NS
    for path in walk_corpus(corpus_dir, unreadable.append):
        if is_container(path):
            _list_container(listing, path, corpus_dir, skipped)
            continue
        source = page_id(path, corpus_dir)
        try:
            stat = os.stat(path)
            stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
            last = known.get(source)
            digest = last[4] if last is not None and last[:4] == stamp else file_digest(path.read_bytes())
        except OSError as exc:
            skipped.append({"path": str(path), "reason": skip_reason(exc)})
            continue
        if stat.st_ctime_ns < settled:
            listing.stamps[source] = [*stamp, digest]
        unit = Unit(source, path, digest, size=stat.st_size)
        listing.units[unit.key] = unit
        listing.files[unit.source] = (path, digest)
        listing.corpus_bytes += unit.size
    for exc in unreadable:
        if Path(exc.filename or corpus_dir) == corpus_dir:
            # Nothing of the corpus can be read: reindexing it would empty the index.
            raise AccessDeniedError(f"cannot read the corpus folder {corpus_dir} ({skip_reason(exc)}): "
                                    "give this user read access to it") from exc
        skipped.append({"path": str(exc.filename), "reason": f"folder cannot be read: {skip_reason(exc)}"})
    return listing


def read_stamps(index_dir: Path) -> dict[str, list]:
    """The page files' stamps the last listing kept ({} when there are none or they cannot be read:
    every file is then read and hashed, as the first time)."""
    try:
        stamps = json.loads((index_dir / STAMPS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stamps, dict):
        return {}
    return {k: v for k, v in stamps.items() if isinstance(v, list) and len(v) == 5}


def _list_container(listing: Listing, path: Path, corpus_dir: Path, skipped: list[dict]) -> None:
    source = page_id(path, corpus_dir)
    sample = hashlib.blake2b(digest_size=16)
    count = 0
    for span in record_spans(path):
        if isinstance(span, Skipped):
            skipped.append({"path": span.path, "reason": span.reason})
            continue
        unit = Unit(source, path, span.digest, span, span.length)
        listing.units[unit.key] = unit
        listing.corpus_bytes += span.length
        if count < SAMPLE_PAGES_PER_FILE:
            sample.update(span.digest.encode())
        count += 1
    if count:
        # What learning templates reads of a container is its first records: its sample changes with them.
        listing.files[source] = (path, sample.hexdigest())
