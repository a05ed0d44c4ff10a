"""Reading web archives (WARC, WARC.gz): each successful HTML response becomes a page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..records import Page, Skipped
from .decoding import decode_body

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a damaged or truncated archive raises as warcio reads it.
ARCHIVE_ERRORS = (ArchiveLoadFailed, OSError, ValueError, EOFError)


def is_warc(path: Path) -> bool:
    """True for files named like web archives."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def is_page_record(record) -> bool:
    """Whether a WARC record is one that holds a page: a 200 response of HTML."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    content_type = record.http_headers.get_header("Content-Type") or ""
    return (record.http_headers.get_statuscode() == "200"
            and content_type.split(";")[0].strip().lower() in HTML_TYPES)


def warc_item(record, offset: int, path: Path, rel: str, max_bytes: int) -> Page | Skipped:
    """The page one page record (is_page_record) holds, at its offset in the file, or Skipped naming why not."""
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    content_type = record.http_headers.get_header("Content-Type") or ""
    raw = record.content_stream().read(max_bytes + 1)
    where = f"{path}#{offset}"
    if len(raw) > max_bytes:
        return Skipped(path=where, reason=f"record too large (limit {max_bytes} bytes): {url}")
    try:
        content = decode_body(raw, content_type)
    except ValueError as exc:
        return Skipped(path=where, reason=f"{exc}: {url}")
    return Page(
        id=f"{rel}#{offset}",
        path=str(path),
        kind="html",
        content=content,
        url=url or None,
        group=rel,
        fetched=(record.rec_headers.get_header("WARC-Date") or "")[:10] or None,
        record=str(offset),
    )


def read_warc(path: Path, root: Path, max_bytes: int) -> Iterator[Page | Skipped]:
    """Pages from every 200 HTML response in a WARC file; other records are passed over silently."""
    rel = path.relative_to(root).as_posix()
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream, arc2warc=True)
            for record in records:
                if is_page_record(record):
                    # The iterator's offset is the record's start until its content is read to the end.
                    yield warc_item(record, records.offset, path, rel, max_bytes)
    except ARCHIVE_ERRORS as exc:
        yield Skipped(path=str(path), reason=f"unreadable web archive: {exc}")
