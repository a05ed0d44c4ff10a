"""What an incremental reindex compares and cleans: each page file, and each record of a container file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import AccessDeniedError
from ..reading import page_id, skip_reason, walk_corpus
from ..reading.spans import RecordSpan, is_container, record_spans
from ..records import Skipped
from .workers import SAMPLE_PAGES_PER_FILE, digest_files


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


def read_listing(corpus_dir: Path, skipped: list[dict]) -> Listing:
    """Every readable page file and container record; unreadable files, records past which a container
    cannot be read, and unreadable folders are added to `skipped`."""
    unreadable: list[OSError] = []
    listing = Listing({}, {})
    for path in walk_corpus(corpus_dir, unreadable.append):
        if is_container(path):
            _list_container(listing, path, corpus_dir, skipped)
            continue
        for _, digest, error in digest_files([path]):
            if digest is None:
                skipped.append({"path": str(path), "reason": error})
            else:
                unit = Unit(page_id(path, corpus_dir), path, digest, size=_size(path))
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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # gone since it was read: its cleaning names it


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
