"""A copy of the scored fields' postings without their positions, one file beside each segment, read as arrays.

Whoosh keeps a posting's positions in the same pickled block as its document number and
weight, so reading a common word's documents to score them unpickles all its positions too:
about 0.6 us a posting, a tenth of a second for a word on most of 200,000 pages, paid by every
searcher that asks for it first. The copy holds document numbers, each posting's count of
positions (its weight, unless a boost made the weight otherwise, when the weight is kept too),
each document's field lengths as BM25 reads them, and the positions, in 16 bits where they fit,
all mapped from disk: a word's postings are array slices, shared by every process through the
page cache, and a phrase is matched over arrays of the candidates' positions instead of
unpickling every position of every document holding all its words.

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
from itertools import chain
from pathlib import Path

import numpy as np

from .sketches import SketchTable, has_sketch_arrays, sketch_arrays

EXTENSION = "postings"
MAGIC = b"SSPOST02"  # the layout's version: a copy of another layout is not read (its segment is read through Whoosh)
SPILL_POSTINGS = 1 << 20  # postings held in memory before they are appended to the temporary files
# A Positions value (whoosh.formats.Positions.encode): a 4-byte count, then the pickled list of
# position deltas (protocol 2), whose items (K, M or J opcodes) sit after this head; with one item
# the list is built by APPEND ("a."), with more by MARK ... APPENDS ("(" ... "e.").
POSITIONS_HEAD = b"\x80\x02]q\x00"


class PostingsCopyWriter:
    """Collects one segment's postings of some fields, in the order the segment's writer writes
    them (by field, term, document), and writes the copy's file."""

    def __init__(self, fieldnames: frozenset[str], positional: frozenset[str] = frozenset(),
                 folder: str | None = None, sketch_field: str | None = None):
        self.fieldnames = fieldnames
        self.sketch_field = sketch_field  # the field whose terms are sketch hashes in hex (sketches.py)
        # Positions are kept for every field or none: a phrase's fields all match from the copy, or all through Whoosh.
        self._positional = bool(positional) and positional == fieldnames
        self._terms: dict[str, dict[bytes, tuple[int, int]]] = {name: {} for name in fieldnames}
        self._ids = array("i")
        self._weights = array("f")
        self._items: list[bytes] = []  # each posting's pickled position deltas, decoded a batch at a time
        self._spilled = 0
        # Unnamed temporary files in the index's folder: on the disk the free-space check measured, and
        # gone with the process however it ends.
        self._files = {name: tempfile.TemporaryFile(dir=folder)
                       for name in ("ids", "weights", "counts", "positions", "sketch hashes", "sketch docs")}
        self._sketch_hashes, self._sketch_docs = array("I"), array("i")
        self._max = {"counts": 0, "positions": 0}  # the largest count and position: do 16 bits hold them?
        self._weights_are_counts = True
        self._current: tuple[str, bytes] | None = None
        self._start = 0

    def tee(self, postings):
        """The postings (field, term, docnum, weight, value), passed on unchanged, the fields' kept on the way."""
        fieldnames, ids, weights, items = self.fieldnames, self._ids, self._weights, self._items
        for posting in postings:
            if posting[0] in fieldnames:
                key = (posting[0], posting[1])
                if key != self._current:
                    self._end_term()
                    self._current, self._start = key, self._spilled + len(ids)
                ids.append(posting[2])
                weights.append(posting[3])
                if self._positional:
                    value = posting[4]
                    if value[4:9] != POSITIONS_HEAD:
                        self._positional = False  # not the encoding this copy reads: phrases stay with Whoosh
                    items.append(value[10:-2] if value[9:10] == b"(" else value[9:-2])
                if len(ids) >= SPILL_POSTINGS:
                    self._spill()
            elif posting[0] == self.sketch_field:
                self._sketch_hashes.append(int(posting[1], 16))
                self._sketch_docs.append(posting[2])
                if len(self._sketch_docs) >= SPILL_POSTINGS:
                    self._spill_sketches()
            yield posting
        self._end_term()

    def _end_term(self) -> None:
        if self._current is not None:
            fieldname, term = self._current
            self._terms[fieldname][term] = (self._start, self._spilled + len(self._ids) - self._start)
            self._current = None

    def _spill(self) -> None:
        if self._positional and self._items:
            counts, positions = decode_positions(self._items)
            self._max["counts"] = max(self._max["counts"], int(counts.max()))
            self._max["positions"] = max(self._max["positions"], int(positions.max()))
            # A weight is its count of positions unless a boost made it otherwise: then both are kept.
            self._weights_are_counts &= bool(np.array_equal(np.frombuffer(self._weights, dtype=np.float32), counts))
            counts.tofile(self._files["counts"])
            positions.tofile(self._files["positions"])
        self._items.clear()
        self._ids.tofile(self._files["ids"])
        self._weights.tofile(self._files["weights"])
        self._spilled += len(self._ids)
        del self._ids[:], self._weights[:]

    def _spill_sketches(self) -> None:
        self._sketch_hashes.tofile(self._files["sketch hashes"])
        self._sketch_docs.tofile(self._files["sketch docs"])
        del self._sketch_hashes[:], self._sketch_docs[:]

    def _read_sketches(self, doc_count: int) -> dict[str, np.ndarray]:
        """The sketch arrays (sketches.py) from the pairs collected, or none without a sketch field."""
        if self.sketch_field is None:
            return {}
        self._spill_sketches()
        read = []
        for name, dtype in (("sketch hashes", np.uint32), ("sketch docs", np.int32)):
            self._files[name].seek(0)
            read.append(np.fromfile(self._files[name], dtype=dtype))
        return dict(sketch_arrays(*read, doc_count))

    def write(self, path: Path, lengths: dict[str, list[int]], doc_count: int) -> None:
        """Writes the copy: a header (terms, their offsets, the arrays that follow), then the
        arrays, each aligned to 8 bytes: document numbers; weights, unless they are the position
        counts; each field's lengths; the position counts and the positions, as 16-bit numbers
        where they all fit."""
        self._spill()
        count = self._spilled
        arrays: list[tuple[str, str, int]] = [("ids", "int32", count)]
        positional = self._positional and count > 0
        if not (positional and self._weights_are_counts):
            arrays.append(("weights", "float32", count))
        arrays += [(f"length:{name}", "float32", doc_count) for name in sorted(self.fieldnames) if name in lengths]
        if positional:
            # Each term's first position, from the counts: (start, count, first position).
            self._files["counts"].seek(0)
            starts = np.concatenate([[0], np.cumsum(np.fromfile(self._files["counts"], dtype=np.uint32),
                                                    dtype=np.int64)])
            for terms in self._terms.values():
                for term, (start, found) in terms.items():
                    terms[term] = (start, found, int(starts[start]))
            arrays += [(name, "uint16" if self._max[name] < 1 << 16 else "uint32", size)
                       for name, size in (("counts", count), ("positions", int(starts[-1])))]
        sketches = self._read_sketches(doc_count)
        arrays += [(name, found.dtype.name, len(found)) for name, found in sketches.items()]
        header = pickle.dumps({"terms": self._terms, "arrays": arrays}, pickle.HIGHEST_PROTOCOL)
        with open(path, "wb") as out:
            out.write(MAGIC + struct.pack("<Q", len(header)) + header)
            for name, dtype, _ in arrays:
                out.write(b"\0" * (-out.tell() % 8))
                if name.startswith("length:"):
                    out.write(np.asarray(lengths[name.split(":", 1)[1]], dtype=np.float32).tobytes())
                elif name in sketches:
                    out.write(sketches[name].tobytes())
                else:
                    _append(out, self._files[name], np.dtype(dtype))
        self.close()

    def close(self) -> None:
        """Let go of the temporary files (a copy that is never written, as when its reindex fails, frees them here)."""
        for f in self._files.values():
            f.close()


def _append(out, f, dtype: np.dtype) -> None:
    """Copies a temporary file of 32-bit numbers to `out`, as `dtype` (the same or narrower)."""
    f.seek(0)
    while chunk := f.read(1 << 22):
        out.write(chunk if dtype.itemsize == 4 else np.frombuffer(chunk, dtype=np.uint32).astype(dtype).tobytes())


def decode_positions(items: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Postings' position counts (uint32) and positions (uint32, each posting's in order), from
    each posting's pickled delta items: joined into one pickle of a list of lists, which is
    unpickled in one call instead of one call a posting."""
    lists = pickle.loads(b"\x80\x02](](" + b"e](".join(items) + b"ee.")
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    running = np.cumsum(np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum())))
    # Deltas restart at each posting: take off the running sum up to the posting's first delta.
    ends = np.cumsum(counts)
    before = np.concatenate([[0], running[ends[:-1] - 1]]) if len(counts) else np.zeros(0, np.int64)
    return counts.astype(np.uint32), (running - np.repeat(before, counts)).astype(np.uint32)


class PostingsCopy:
    """One segment's copy, mapped: a term's (document numbers, weights), a field's lengths."""

    def __init__(self, path: Path):
        with open(path, "rb") as f:
            if f.read(len(MAGIC)) != MAGIC:
                raise ValueError(f"{path} is not a postings copy")
            (size,) = struct.unpack("<Q", f.read(8))
            header = pickle.loads(f.read(size))
        offset = len(MAGIC) + 8 + size
        self._terms: dict[str, dict[bytes, tuple[int, ...]]] = header["terms"]
        arrays: dict[str, np.ndarray] = {}
        for name, dtype, length in header["arrays"]:
            offset += -offset % 8
            arrays[name] = _mapped(path, np.dtype(dtype), offset, length)
            offset += np.dtype(dtype).itemsize * length
        self._ids = arrays["ids"]
        self._counts = arrays.get("counts")
        self._positions = arrays.get("positions")
        self._weights = arrays.get("weights")
        self._lengths = {name.split(":", 1)[1]: found for name, found in arrays.items() if name.startswith("length:")}
        self.sketches = SketchTable(arrays) if has_sketch_arrays(set(arrays)) else None

    def fieldnames(self) -> list[str]:
        """The fields whose postings the copy holds."""
        return sorted(self._terms)

    def term_counts(self, fieldname: str) -> dict[bytes, int]:
        """Each of a field's terms with the number of postings the copy holds of it."""
        return {term: entry[1] for term, entry in self._terms[fieldname].items()}

    def has_field(self, fieldname: str) -> bool:
        """Whether the copy holds the field's postings."""
        return fieldname in self._terms

    def postings(self, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
        """A term's segment document numbers and weights (empty where the segment lacks it)."""
        start, count = self._terms[fieldname].get(term, (0, 0))[:2]
        weights = self._weights if self._weights is not None else self._counts
        return self._ids[start:start + count], weights[start:start + count].astype(np.float32, copy=False)

    def has_positions(self) -> bool:
        """Whether the copy holds its fields' positions."""
        return self._positions is not None

    def positions(self, fieldname: str, term: bytes, docs: np.ndarray) -> np.ndarray:
        """Every position of a term in the given segment documents (sorted), as document << 32 | position, in order."""
        start, count, first = self._terms[fieldname].get(term, (0, 0, 0))
        ids = self._ids[start:start + count]
        # The postings of the given documents: where each would sit among the term's, if it is there.
        held = np.searchsorted(ids, docs)
        inside = held < count
        held = held[inside]
        held = held[ids[held] == docs[inside]]
        counts = self._counts[start:start + count].astype(np.int64)
        # Each held posting's first position, then each of its positions' place in the array.
        begins = first + np.cumsum(counts) - counts
        sizes = counts[held]
        places = np.arange(int(sizes.sum())) + np.repeat(begins[held] - (np.cumsum(sizes) - sizes), sizes)
        return (np.repeat(ids[held].astype(np.int64), sizes) << 32) | self._positions[places].astype(np.int64)

    def lengths(self, fieldname: str) -> np.ndarray | None:
        """The field's length in every document of the segment, as BM25 reads it, or None."""
        return self._lengths.get(fieldname)


def _mapped(path: Path, dtype, offset: int, count: int) -> np.ndarray:
    """`count` values of a type at an offset of the file, mapped (numpy cannot map nothing)."""
    if not count:
        return np.zeros(0, dtype)
    # A plain array over the mapping: np.memmap's subclass hooks run on every slice and every result
    # made from one, a few microseconds each, and queries slice the arrays thousands of times.
    return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=(count,)).view(np.ndarray)


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
