"""Every file of an index generation with its size and checksum, recorded at commit (as Lucene keeps a
checksum in every file), so that damage done to any of them later is found and named."""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from .faults import INDEX_NAME, MANIFEST_FORMAT, MANIFEST_NAME, SEGMENT_NAME, TOC_NAME

CHUNK = 1 << 20
# Ours, beside Whoosh's: their checksums are added to the generation's record when the reindex writes them.
OUR_FILES = ("search-meta.json", "templates.json", "last-reindex.json")


@dataclass(frozen=True)
class Recorded:
    """A file as committed: its size and CRC-32 (Lucene's choice: cheap, and enough to see accidental damage)."""

    size: int
    crc32: int


def manifest_path(index_dir: Path, generation: int) -> Path:
    """Where a generation's record of its files lives."""
    return Path(index_dir) / MANIFEST_FORMAT.format(generation)


def checksum(path: Path) -> int:
    """The CRC-32 of a file's bytes."""
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc


def record_file(path: Path) -> Recorded:
    """A file's size and checksum now."""
    return Recorded(size=os.stat(path).st_size, crc32=checksum(path))


def read_manifest(index_dir: Path, generation: int) -> dict[str, Recorded] | None:
    """A generation's recorded files (name -> Recorded), or None when none was recorded.

    Raises ValueError when the record is there but cannot be read (it is damaged too).
    """
    try:
        raw = json.loads(manifest_path(index_dir, generation).read_text())
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from exc
    if not isinstance(raw, dict) or raw.get("generation") != generation or not isinstance(raw.get("files"), dict):
        raise ValueError("not a record of this generation's files")
    try:
        return {name: Recorded(size=int(v["size"]), crc32=int(v["crc32"])) for name, v in raw["files"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"malformed entry ({exc})") from exc


def write_manifest(index_dir: Path, generation: int, files: dict[str, Recorded]) -> None:
    """Write a generation's record atomically (a reader sees the whole record or the one before)."""
    path = manifest_path(index_dir, generation)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    body = {"generation": generation,
            "files": {n: {"size": r.size, "crc32": r.crc32} for n, r in sorted(files.items())}}
    with open(tmp, "w") as f:
        json.dump(body, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def record_generation(index_dir: Path, generation: int, segment_ids: set[str], toc_file: Path) -> None:
    """Record the files of a generation about to be committed: its TOC (still under its temporary name)
    and every file of its segments. Segment files never change once written, so one already recorded
    by the previous generation keeps its record (with the same size) and is not read again."""
    index_dir = Path(index_dir)
    try:
        before = read_manifest(index_dir, generation - 1) or {}
    except ValueError:
        before = {}
    files = {f"_{INDEX_NAME}_{generation}.toc": record_file(toc_file)}
    for name in os.listdir(index_dir):
        match = SEGMENT_NAME.match(name)
        if not match or match.group(1) not in segment_ids:
            continue
        known = before.get(name)
        if known is not None and known.size == os.stat(index_dir / name).st_size:
            files[name] = known
        else:
            files[name] = record_file(index_dir / name)
    write_manifest(index_dir, generation, files)


def record_our_files(index_dir: Path, generation: int) -> None:
    """Add our own files' records (as just written) to the generation's record; drop older generations'
    records (no reader asks for a generation older than the latest, and a writer only adds newer ones)."""
    for name in os.listdir(index_dir):
        match = MANIFEST_NAME.match(name)
        if match and int(match.group(1)) < generation:
            Path(index_dir, name).unlink(missing_ok=True)
    try:
        files = read_manifest(index_dir, generation)
    except ValueError:
        return  # the record is damaged: `search check` names it, a full reindex writes it anew
    if files is None:
        return
    for name in OUR_FILES:
        if (Path(index_dir) / name).exists():
            files[name] = record_file(Path(index_dir) / name)
    write_manifest(index_dir, generation, files)


def is_index_file(name: str) -> bool:
    """Whether a file name is one of a Whoosh index's (a TOC or a segment's file)."""
    return bool(TOC_NAME.match(name) or SEGMENT_NAME.match(name))


class RecordingStorage:
    """The index's storage, recording a generation's files (sizes, checksums) when its TOC is renamed into
    place: the record exists before readers can see the generation it describes."""

    def __init__(self, storage, generation: int, segment_ids: set[str]):
        self._storage = storage
        self._generation = generation
        self._segment_ids = segment_ids

    def rename_file(self, oldname: str, newname: str, safe: bool = False):
        """Record the generation's files, the TOC under its temporary name among them, then rename it."""
        folder = Path(self._storage.folder)
        record_generation(folder, self._generation, self._segment_ids, folder / oldname)
        return self._storage.rename_file(oldname, newname, safe=safe)

    def __getattr__(self, name: str):
        return getattr(self._storage, name)
