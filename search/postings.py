"""A copy of the scored fields' postings without their positions, one file beside each segment, read as arrays.

Whoosh keeps a posting's positions in the same pickled block as its document number and
weight, so reading a common word's documents to score them unpickles all its positions too:
about 0.6 us a posting, a tenth of a second for a word on most of 200,000 pages, paid by every
searcher that asks for it first. The copy holds document numbers (int32) and weights (float32)
only, and each document's field lengths as BM25 reads them, mapped from disk: a word's postings
are two array slices, shared by every process through the page cache.

The file is named like the segment's own files (`<index>_<segment id>.postings`), so Whoosh
deletes it with its segment; it is written after the segment's compound file is assembled, so
it is never packed into it. A segment without one (an index written before, another writer) is
read through Whoosh.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
from array import array
from pathlib import Path

import numpy as np

EXTENSION = "postings"
MAGIC = b"SSPOST01"
SPILL_POSTINGS = 1 << 20  # postings held in memory before they are appended to the temporary files


class PostingsCopyWriter:
    """Collects one segment's postings of some fields, in the order the segment's writer writes
    them (by field, term, document), and writes the copy's file."""

    def __init__(self, fieldnames: frozenset[str]):
        self.fieldnames = fieldnames
        self._terms: dict[str, dict[bytes, tuple[int, int]]] = {name: {} for name in fieldnames}
        self._ids = array("i")
        self._weights = array("f")
        self._spilled = 0
        self._files = (tempfile.TemporaryFile(), tempfile.TemporaryFile())
        self._current: tuple[str, bytes] | None = None
        self._start = 0

    def tee(self, postings):
        """The postings (field, term, docnum, weight, value), passed on unchanged, the fields' kept on the way."""
        fieldnames, ids, weights = self.fieldnames, self._ids, self._weights
        for posting in postings:
            if posting[0] in fieldnames:
                key = (posting[0], posting[1])
                if key != self._current:
                    self._end_term()
                    self._current, self._start = key, self._spilled + len(ids)
                ids.append(posting[2])
                weights.append(posting[3])
                if len(ids) >= SPILL_POSTINGS:
                    self._spill()
            yield posting
        self._end_term()

    def _end_term(self) -> None:
        if self._current is not None:
            fieldname, term = self._current
            self._terms[fieldname][term] = (self._start, self._spilled + len(self._ids) - self._start)
            self._current = None

    def _spill(self) -> None:
        self._ids.tofile(self._files[0])
        self._weights.tofile(self._files[1])
        self._spilled += len(self._ids)
        del self._ids[:], self._weights[:]

    def write(self, path: Path, lengths: dict[str, list[int]], doc_count: int) -> None:
        """Writes the copy: a header (terms, offsets), then the document numbers, the weights and
        each field's lengths, each array aligned to 8 bytes."""
        self._spill()
        count = self._spilled
        fields = {name: lengths.get(name) for name in self.fieldnames}
        header = pickle.dumps({"postings": count, "docs": doc_count, "terms": self._terms,
                               "lengths": [name for name, found in fields.items() if found is not None]},
                              pickle.HIGHEST_PROTOCOL)
        with open(path, "wb") as out:
            out.write(MAGIC + struct.pack("<Q", len(header)) + header)
            out.write(b"\0" * (-out.tell() % 8))
            for f in self._files:
                f.seek(0)
                while chunk := f.read(1 << 22):
                    out.write(chunk)
                f.close()
            out.write(b"\0" * (-out.tell() % 8))
            for found in fields.values():
                if found is not None:
                    out.write(np.asarray(found, dtype=np.float32).tobytes())


class PostingsCopy:
    """One segment's copy, mapped: a term's (document numbers, weights), a field's lengths."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                raise ValueError(f"{path} is not a postings copy")
            (size,) = struct.unpack("<Q", f.read(8))
            header = pickle.loads(f.read(size))
        offset = len(MAGIC) + 8 + size
        offset += -offset % 8
        count, docs = header["postings"], header["docs"]
        self._terms: dict[str, dict[bytes, tuple[int, int]]] = header["terms"]
        self._ids = _mapped(path, np.int32, offset, count)
        offset += 4 * count
        self._weights = _mapped(path, np.float32, offset, count)
        offset += 4 * count + (-(offset + 4 * count) % 8)
        self._lengths = {}
        for name in header["lengths"]:
            self._lengths[name] = _mapped(path, np.float32, offset, docs)
            offset += 4 * docs

    def has_field(self, fieldname: str) -> bool:
        """Whether the copy holds the field's postings."""
        return fieldname in self._terms

    def postings(self, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A term's segment document numbers and weights (empty where the segment lacks it)."""
        start, count = self._terms[fieldname].get(term, (0, 0))
        return self._ids[start:start + count], self._weights[start:start + count]

    def lengths(self, fieldname: str) -> np.ndarray | None:
        """The field's length in every document of the segment, as BM25 reads it, or None."""
        return self._lengths.get(fieldname)


def _mapped(path: Path, dtype, offset: int, count: int) -> np.ndarray:
    """`count` values of a type at an offset of the file, mapped (numpy cannot map nothing)."""
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=(count,)) if count else np.zeros(0, dtype)


def copy_path(folder: Path, segment) -> Path:
    """Where a segment's copy lives, in the index's folder."""
    return folder / segment.make_filename("." + EXTENSION)


def open_copy(leaf) -> PostingsCopy | None:
    """A segment reader's copy of its postings, or None where the segment has none."""
    storage = leaf.storage()
    # A compound segment's storage overlays its compound file on the index's folder.
    folder = getattr(storage, "folder", None) or getattr(getattr(storage, "b", None), "folder", None)
    if folder is None:
        return None
    path = copy_path(Path(folder), leaf.segment())
    try:
        return PostingsCopy(path)
    except (OSError, ValueError, EOFError, pickle.UnpicklingError):
        return None
