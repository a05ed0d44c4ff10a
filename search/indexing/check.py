"""Verifying an index on disk: every file of its latest generation present, of the size and checksum
recorded at commit, its TOC and segments readable, the postings copies matching the segments, every
document readable; and naming what is damaged with the fix."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from ..errors import IndexDamagedError, IndexMissingError, SearchError, StorageError
from .faults import (
    COMMIT_RACE_TRIES,
    INDEX_NAME,
    SEGMENT_NAME,
    generation_key,
    index_storage,
    latest_generation,
    storage_error,
)
from .manifest import OUR_FILES, Recorded, checksum, manifest_path, read_manifest
from .postings import EXTENSION, PostingsCopy, copy_path


@dataclass(frozen=True)
class Damage:
    """One damaged file and what is wrong with it."""

    path: str
    problem: str


@dataclass(frozen=True)
class IndexCheck:
    """What `search check` found in one index."""

    index: str
    generation: int
    files: int  # files compared with their record
    documents: int  # documents read back
    damage: tuple[Damage, ...]
    notes: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether nothing is damaged."""
        return not self.damage

    def fix(self) -> str:
        """What to do about the damage found."""
        return rebuild_hint(Path(self.index))

    def as_json(self) -> dict:
        """The findings as JSON."""
        return {"index": self.index, "generation": self.generation, "ok": self.ok, "files": self.files,
                "documents": self.documents, "damage": [{"path": d.path, "problem": d.problem} for d in self.damage],
                "notes": list(self.notes), "fix": self.fix() if self.damage else None}


def rebuild_hint(index_dir: Path) -> str:
    """The way back from any damage: a full reindex, built beside the damaged files."""
    return f"run `search reindex --full --index {index_dir}` to rebuild it from the corpus"


def damage_error(index_dir: Path, damage: list[Damage]) -> IndexDamagedError:
    """The first damage found as a one-line error, with the fix."""
    more = f" and {len(damage) - 1} more" if len(damage) > 1 else ""
    first = damage[0]
    return IndexDamagedError(f"the index at {index_dir} is damaged ({first.path}: {first.problem}{more}): "
                             f"{rebuild_hint(index_dir)}",
                             public=f"the index is damaged ({Path(first.path).name}: {first.problem}{more}): "
                                    "it must be rebuilt (`search reindex --full`)")


def _compare(path: Path, recorded: Recorded, deep: bool) -> str | None:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return "missing"
    if size != recorded.size:
        return f"{size} bytes, {recorded.size} when committed"
    if deep and checksum(path) != recorded.crc32:
        return "its bytes changed since it was committed (checksum differs)"
    return None


def _recorded_damage(index_dir: Path, generation: int, deep: bool, only_toc_sum: bool) -> tuple[list[Damage], int]:
    """Damage seen against the generation's record, and how many files were compared."""
    try:
        files = read_manifest(index_dir, generation)
    except ValueError as exc:
        return [Damage(str(manifest_path(index_dir, generation)), f"the record of the index's files is damaged "
                                                                  f"({exc})")], 0
    if files is None:
        return [], 0
    toc_name = f"_{INDEX_NAME}_{generation}.toc"
    found = []
    for name, recorded in files.items():
        if not deep and (name in OUR_FILES or name.endswith("." + EXTENSION)):
            # Queries never read our JSON files, and read a segment through Whoosh when its
            # postings copy cannot be read: `search check` names those.
            continue
        problem = _compare(index_dir / name, recorded, deep or (only_toc_sum and name == toc_name))
        if problem:
            found.append(Damage(str(index_dir / name), problem))
    return found, len(files)


def _read_toc(index_dir: Path, generation: int) -> tuple[TOC | None, list[Damage]]:
    try:
        return TOC.read(index_storage(index_dir), INDEX_NAME, generation), []
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            return None, [Damage(str(index_dir / f"_{INDEX_NAME}_{generation}.toc"), "missing")]
        raise storage_error(exc, index_dir, "reading") from exc
    except Exception as exc:  # noqa: BLE001 - any failure to parse the TOC's bytes means they are damaged
        return None, [Damage(str(index_dir / f"_{INDEX_NAME}_{generation}.toc"),
                             f"cannot be read ({type(exc).__name__}: {str(exc)[:80]})")]


def find_damage(index_dir: Path, deep: bool = False) -> list[Damage]:
    """Damage visible without reading the segments: files missing or of another size than recorded, the TOC's
    checksum, and whether it parses; with deep, every file's checksum too. [] when no index is there."""
    index_dir = Path(index_dir)
    found: list[Damage] = []
    try:
        for _ in range(COMMIT_RACE_TRIES):
            generation = latest_generation(index_dir)
            if generation < 0:
                return []
            found, _ = _recorded_damage(index_dir, generation, deep, only_toc_sum=True)
            if not found:
                found = _read_toc(index_dir, generation)[1]
            if not found or latest_generation(index_dir) == generation:
                return found
            # A commit replaced the generation while it was read: what looked missing was its cleanup.
    except OSError as exc:
        raise storage_error(exc, index_dir, "reading") from exc
    return found


def raise_if_damaged(index_dir: Path, deep: bool = False) -> None:
    """Raise IndexDamagedError naming the damage find_damage sees, if any."""
    found = find_damage(index_dir, deep)
    if found:
        raise damage_error(Path(index_dir), found)


def _check_segment(index_dir: Path, storage: FileStorage, toc: TOC, segment,
                   known: set[str]) -> tuple[list[Damage], list[str], int]:
    """A segment's documents, columns and postings copy read back: (damage, notes, documents read).
    A copy is compared only with a segment not known to be damaged (known: paths found damaged)."""
    seg_file = str(index_dir / segment.make_filename(".seg" if segment.is_compound() else ""))
    damage: list[Damage] = []
    notes: list[str] = []
    read = 0
    try:
        reader = SegmentReader(storage, toc.schema, segment, generation=toc.generation)
    except Exception as exc:  # noqa: BLE001 - a segment that cannot be opened is damaged, whatever Whoosh raises
        return [Damage(seg_file, f"cannot be opened ({type(exc).__name__}: {str(exc)[:80]})")], notes, 0
    try:
        for docnum in range(segment.doc_count_all()):
            if not reader.is_deleted(docnum):
                reader.stored_fields(docnum)
                read += 1
        for name, field in toc.schema.items():
            if field.column_type and reader.has_column(name):
                list(reader.column_reader(name, translate=False))
    except Exception as exc:  # noqa: BLE001 - stored documents or columns that cannot be read back
        damage.append(Damage(seg_file, f"documents cannot be read ({type(exc).__name__}: {str(exc)[:80]})"))
    path = copy_path(index_dir, segment)
    if not path.exists():
        notes.append(f"{path.name}: no postings copy (this segment is read through Whoosh)")
    elif seg_file not in known and not damage:
        damage += _check_copy(path, reader, segment.doc_count_all())
    reader.close()
    return damage, notes, read


def _check_copy(path: Path, reader: SegmentReader, doc_count: int) -> list[Damage]:
    """The postings copy against its segment: the same terms, each held by as many documents."""
    try:
        copy = PostingsCopy(path)
    except Exception as exc:  # noqa: BLE001 - a copy whose header or arrays cannot be mapped is damaged
        return [Damage(str(path), f"cannot be read ({type(exc).__name__}: {str(exc)[:80]})")]
    try:
        if copy.sketches is not None and copy.sketches.doc_count() != doc_count:
            return [Damage(str(path), f"holds {copy.sketches.doc_count()} documents' sketches, "
                                      f"the segment {doc_count}")]
        for fieldname in copy.fieldnames():
            lengths = copy.lengths(fieldname)
            if lengths is not None and len(lengths) != doc_count:
                return [Damage(str(path), f"holds {len(lengths)} documents' lengths, the segment {doc_count}")]
            counts = copy.term_counts(fieldname)
            terms = set(reader.lexicon(fieldname)) if fieldname in reader.indexed_field_names() else set()
            if terms != set(counts):
                return [Damage(str(path), f"its terms of {fieldname} differ from the segment's")]
            for term, count in counts.items():
                if reader.doc_frequency(fieldname, term) != count:
                    return [Damage(str(path), f"its postings of {fieldname} differ from the segment's")]
    except Exception as exc:  # noqa: BLE001 - postings that cannot be compared are damaged on one side
        return [Damage(str(path), f"cannot be compared with its segment ({type(exc).__name__}: {str(exc)[:80]})")]
    return []


def _check_our_files(index_dir: Path) -> list[Damage]:
    damage = []
    for name in OUR_FILES:
        path = index_dir / name
        if not path.exists():
            continue
        try:
            if not isinstance(json.loads(path.read_text(encoding="utf-8")), dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            damage.append(Damage(str(path), f"cannot be read ({str(exc)[:80]})"))
    return damage


def check_index(index_dir: Path) -> IndexCheck:
    """Verify the index at index_dir thoroughly; IndexMissingError when there is none."""
    index_dir = Path(index_dir)
    try:
        generation = latest_generation(index_dir) if index_dir.is_dir() else -1
    except OSError as exc:
        raise storage_error(exc, index_dir, "reading") from exc
    if generation < 0:
        raise IndexMissingError(f"no index at {index_dir}: run `search reindex` to build it")
    notes: list[str] = []
    damage, compared = _recorded_damage(index_dir, generation, deep=True, only_toc_sum=True)
    if not compared and not damage:
        notes.append(f"no sizes or checksums recorded for generation {generation} (written before they were "
                     "kept, or its reindex was stopped): its files are checked by reading them")
    toc, toc_damage = _read_toc(index_dir, generation)
    damage += [d for d in toc_damage if d.path not in {x.path for x in damage}]
    documents = 0
    if toc is not None:
        storage = index_storage(index_dir)
        for segment in toc.segments:
            found, more_notes, read = _check_segment(index_dir, storage, toc, segment, {d.path for d in damage})
            damage += [d for d in found if d.path not in {x.path for x in damage}]
            notes += more_notes
            documents += read
        referenced = {s.segment_id() for s in toc.segments}
        leftovers = [n for n in os.listdir(index_dir) if (m := SEGMENT_NAME.match(n)) and m.group(1) not in referenced]
        if leftovers:
            notes.append(f"{len(leftovers)} files no generation refers to (the next reindex removes them)")
    damage += _check_our_files(index_dir)
    return IndexCheck(index=str(index_dir), generation=generation, files=compared, documents=documents,
                      damage=tuple(damage), notes=tuple(notes))


_VERDICTS: dict[tuple, tuple[float, SearchError | None]] = {}
VERDICT_SECONDS = 5.0  # how long a verdict on a failing index is reused: a deep check reads every file


def explain_failure(index_dir: Path) -> SearchError | None:
    """Why reading the index failed, when the fault is the index's: no index there (deleted), or damage
    found by reading every file against its record; None when the index looks whole (the failure is
    not the index's). A verdict is reused for a few seconds, as a server may fail many requests at once."""
    index_dir = Path(index_dir)
    try:
        key = (str(index_dir), generation_key(index_dir))
    except OSError as exc:
        return storage_error(exc, index_dir, "reading")
    now = time.monotonic()
    known = _VERDICTS.get(key)
    if known is not None and now - known[0] < VERDICT_SECONDS:
        return known[1]
    verdict: SearchError | None
    try:
        if key[1] is None:
            verdict = IndexMissingError(f"no index at {index_dir}: run `search reindex` to build it")
        else:
            found = find_damage(index_dir, deep=True)
            verdict = damage_error(index_dir, found) if found else None
    except StorageError as exc:
        verdict = exc
    except OSError as exc:
        verdict = storage_error(exc, index_dir, "reading")
    if len(_VERDICTS) > 16:
        _VERDICTS.clear()
    _VERDICTS[key] = (now, verdict)
    return verdict


@contextmanager
def faults_named(index_dir: Path) -> Iterator[None]:
    """Reading the index, with a failure that is the index's fault raised as the SearchError naming it."""
    try:
        yield
    except SearchError:
        raise
    except OSError as exc:
        raise storage_error(exc, index_dir, "reading") from exc
    except Exception as exc:
        fault = explain_failure(index_dir)
        if fault is None:
            raise
        raise fault from exc
