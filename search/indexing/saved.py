"""What the index keeps of a page as it was saved: the blocks the cleaner removed, with their reasons,
packed small beside the document; and whether the page's source file has changed since."""

from __future__ import annotations

import json
import zlib
from functools import lru_cache
from pathlib import Path

from ..reading.spans import RecordSpan, is_container, record_digest, record_spans
from ..records import Block, Removed

# zlib's default level: the packed lists are short (a few hundred bytes a page), written once a reindex.
PACK_LEVEL = 6
REMEMBERED_DIGESTS = 1024  # source files whose digest a process keeps, by size and modification time
PACK_VERSION = 1  # the first byte of a packed list, so that a later layout can be told apart


def file_digest(raw: bytes) -> str:
    """A content hash of a page file's bytes, so a later reindex (and a document page) can tell whether it changed."""
    return record_digest(raw)


def pack_removed(removed: tuple[Removed, ...]) -> bytes:
    """The removed blocks as the index stores them: zlib-compressed JSON of [place, text, reason] lists."""
    rows = [[r.at, r.text, r.reason] for r in removed]
    return bytes([PACK_VERSION]) + zlib.compress(json.dumps(rows, ensure_ascii=False).encode("utf-8"), PACK_LEVEL)


def unpack_removed(packed: bytes | None) -> tuple[Removed, ...]:
    """The removed blocks a document's stored field holds (none for an empty or unreadable field)."""
    if not packed or packed[0] != PACK_VERSION:
        return ()
    try:
        rows = json.loads(zlib.decompress(packed[1:]).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        return ()
    return tuple(Removed(text=text, reason=reason, at=at) for at, text, reason in rows)


def saved_blocks(body: str, removed: tuple[Removed, ...]) -> tuple[Block, ...]:
    """The page as it was saved, block by block: the body's paragraphs (kept) and the removed
    blocks, each back in its place."""
    paragraphs = [p for p in body.split("\n\n") if p]
    kept = iter(paragraphs)
    by_place = {r.at: r for r in removed}
    blocks: list[Block] = []
    total = len(removed) + len(paragraphs)
    for at in range(total):
        if at in by_place:
            blocks.append(Block(text=by_place[at].text, reason=by_place[at].reason))
        elif (text := next(kept, None)) is not None:
            blocks.append(Block(text=text))
    # Whatever is left (a kept block holding a blank line of its own) follows in order: nothing is lost.
    blocks.extend(Block(text=text) for text in kept)
    blocks.extend(Block(text=r.text, reason=r.reason) for r in removed if r.at >= total)
    return tuple(blocks)


def source_state(corpus_dir: Path | None, source: str | None, digest: str | None) -> str:
    """Whether a document's source is as it was indexed: "same", "changed", "gone", or "unknown" (no
    corpus folder or digest recorded). A container file's document (JSON Lines, WARC) is the same while
    the file still holds its record's bytes: its digest is its record's (units.Unit)."""
    if not corpus_dir or not source or not digest:
        return "unknown"
    path = Path(corpus_dir) / source
    try:
        stat = path.stat()
        current = _digests_of(str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return "gone"
    return "same" if digest in current else "changed"


@lru_cache(maxsize=REMEMBERED_DIGESTS)
def _digests_of(path: str, size: int, mtime_ns: int) -> frozenset[str]:
    # Keyed by size and modification time as well: a container file (WARC, JSON Lines) holding many
    # pages is read and hashed once while it stays as it is, not at every one of its pages shown.
    if is_container(Path(path)):
        return frozenset(span.digest for span in record_spans(Path(path)) if isinstance(span, RecordSpan))
    return frozenset({file_digest(Path(path).read_bytes())})
