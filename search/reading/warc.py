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


def is_warc(path: Path) -> bool:
    """True for files named like web archives."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc(path: Path, root: Path, max_bytes: int) -> Iterator[Page | Skipped]:
    """Pages from every 200 HTML response in a WARC file; other records are passed over silently."""
    rel = path.relative_to(root).as_posix()
    try:
        with path.open("rb") as stream:
            records = ArchiveIterator(stream, arc2warc=True)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = record.http_headers.get_statuscode()
                content_type = record.http_headers.get_header("Content-Type") or ""
                if status != "200" or content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                raw = record.content_stream().read(max_bytes + 1)
                offset = records.get_record_offset()
                where = f"{path}#{offset}"
                if len(raw) > max_bytes:
                    yield Skipped(path=where, reason=f"record too large (limit {max_bytes} bytes): {url}")
                    continue
                try:
                    content = decode_body(raw, content_type)
                except ValueError as exc:
                    yield Skipped(path=where, reason=f"{exc}: {url}")
                    continue
                yield Page(
                    id=f"{rel}#{offset}",
                    path=str(path),
                    kind="html",
                    content=content,
                    url=url or None,
                    group=rel,
                    fetched=(record.rec_headers.get_header("WARC-Date") or "")[:10] or None,
                    record=str(offset),
                )
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        yield Skipped(path=str(path), reason=f"unreadable web archive: {exc}")
