"""The records of a container file (JSON Lines, WARC) by where they lie: found in one pass that hashes each,
and read back by byte offset, so that each worker reads only its own records, never the whole file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from ..records import Page, Skipped
from .corpus import MAX_PAGE_BYTES, file_group, jsonl_item, page_kind, printable_path, skip_reason
from .warc import ARCHIVE_ERRORS, is_page_record, warc_item

CONTAINER_KINDS = ("jsonl", "warc")  # page kinds (corpus.page_kind) of files holding many pages
HASH_BLOCK = 1 << 20  # bytes of a WARC record hashed at a time
CHANGED = "the file changed while it was read: reindex again"


@dataclass(frozen=True)
class RecordSpan:
    """One record of a container file: its place as provenance names it (JSON Lines line number, WARC
    offset), where its bytes lie, and their digest (what an incremental reindex compares)."""

    record: str
    start: int
    length: int
    digest: str


def record_digest(raw: bytes) -> str:
    """A content hash of a record's bytes (as saved.file_digest hashes a file's)."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def is_container(path: Path) -> bool:
    """Whether a file holds many pages, one a record (JSON Lines, WARC)."""
    return page_kind(path) in CONTAINER_KINDS


def record_spans(path: Path) -> Iterator[RecordSpan | Skipped]:
    """Every record of a container file that reading gives a page or a Skipped for, in file order; a file
    that cannot be read (or read past some record) ends with a Skipped naming it."""
    try:
        if page_kind(path) == "jsonl":
            yield from _jsonl_spans(path)
        else:
            yield from _warc_spans(path)
    except OSError as exc:
        yield Skipped(path=printable_path(path), reason=skip_reason(exc))


def _jsonl_spans(path: Path) -> Iterator[RecordSpan]:
    start = 0
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if raw.strip():  # blank lines hold no record: reading passes over them too
                yield RecordSpan(str(number), start, len(raw), record_digest(raw))
            start += len(raw)


def _warc_spans(path: Path) -> Iterator[RecordSpan | Skipped]:
    try:
        with path.open("rb") as stream, path.open("rb") as again:
            records = ArchiveIterator(stream, arc2warc=True)
            for record in records:
                if is_page_record(record):
                    start, length = records.get_record_offset(), records.get_record_length()
                    yield RecordSpan(str(start), start, length, _span_digest(again, start, length))
    except ARCHIVE_ERRORS as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise  # the file itself cannot be read: named by the OS's reason
        yield Skipped(path=str(path), reason=f"unreadable web archive: {exc}")


def _span_digest(f, start: int, length: int) -> str:
    digest = hashlib.blake2b(digest_size=16)
    f.seek(start)
    while length > 0 and (block := f.read(min(length, HASH_BLOCK))):
        digest.update(block)
        length -= len(block)
    return digest.hexdigest()


def read_spans(path: Path, root: Path, spans: tuple[RecordSpan, ...],
               max_bytes: int = MAX_PAGE_BYTES) -> list[Page | Skipped]:
    """The page (or Skipped) each of a container file's records holds, one for each span, in their order."""
    try:
        with path.open("rb") as f:
            if page_kind(path) == "jsonl":
                group = file_group(path, root)
                return [_jsonl_record(f, span, path, root, group, max_bytes) for span in spans]
            rel = path.relative_to(root).as_posix()
            return [_warc_record(f, span, path, rel, max_bytes) for span in spans]
    except OSError as exc:
        where = "#" if page_kind(path) == "warc" else ":"
        return [Skipped(path=f"{printable_path(path)}{where}{span.record}", reason=skip_reason(exc)) for span in spans]


def _jsonl_record(f, span: RecordSpan, path: Path, root: Path, group: str, max_bytes: int) -> Page | Skipped:
    if span.length > max_bytes:
        return Skipped(path=f"{printable_path(path)}:{span.record}",
                       reason=f"line too long ({span.length} bytes, limit {max_bytes})")
    f.seek(span.start)
    raw = f.read(span.length)
    if record_digest(raw) != span.digest:
        return Skipped(path=f"{printable_path(path)}:{span.record}", reason=CHANGED)
    return jsonl_item(raw, int(span.record), path, root, group, max_bytes)


def _warc_record(f, span: RecordSpan, path: Path, rel: str, max_bytes: int) -> Page | Skipped:
    f.seek(span.start)
    try:
        record = next(iter(ArchiveIterator(f, arc2warc=True)), None)
        if record is None or not is_page_record(record):
            return Skipped(path=f"{path}#{span.record}", reason=CHANGED)
        return warc_item(record, span.start, path, rel, max_bytes)
    except ARCHIVE_ERRORS as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise
        return Skipped(path=f"{path}#{span.record}", reason=f"unreadable web archive: {exc}")
