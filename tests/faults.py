"""Real faults for the tests: a small filesystem that fills up, a read-only mount, a step run as an
unprivileged user (root reads and writes through any permission bits), and what an index folder
should hold."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from search.indexing.units import STAMPS_FILE

NOBODY = 65534  # the unprivileged user and group Debian (and most systems) name nobody / nogroup
OUR_FILES = {"MAIN_WRITELOCK", "search-meta.json", "templates.json", "last-reindex.json"}


def _mount(*args: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("mounting a filesystem for a real fault needs root (CI runs as root)")
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here ({result.stderr.strip() or result.returncode}): the fault needs a mount")


@contextmanager
def small_disk(path: Path, kilobytes: int) -> Iterator[Path]:
    """A tmpfs of the given size mounted at path (made), unmounted after."""
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(path))
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """path bind-mounted read-only over itself: every write under it fails with EROFS."""
    _mount("--bind", str(path), str(path))
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True, capture_output=True)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill_disk(path: Path) -> Path:
    """Write a file under path until its filesystem is full; the file."""
    filler = path / "filler"
    try:
        with open(filler, "wb") as f:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
    except OSError:
        pass  # full (closing may fail too, on the bytes it could not flush)
    return filler


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's tmp_path is root's alone), removed after."""
    folder = Path(tempfile.mkdtemp(prefix="search-faults-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# The interpreter and the project may live where only root can read them (a pyenv under /root): every
# module the command may load is loaded as root, then the process becomes the unprivileged user.
AS_NOBODY = f"""
import encodings, fcntl, importlib, os, pkgutil, pwd, sys
import search, whoosh
for package in (search, whoosh, encodings):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            importlib.import_module(module.name)
        except Exception:
            pass
os.setgroups([])
os.setgid({NOBODY})
os.setuid({NOBODY})
sys.argv[0] = "search"
"""
RUN_COMMAND = "import search.cli; search.cli.main()"
# The library's own door, under the command's option checks: build_index(corpus, index), its error printed.
RUN_BUILD = """
from search.errors import SearchError
from search.indexing.index import build_index
try:
    build_index(sys.argv[1], sys.argv[2])
except SearchError as exc:
    sys.exit(f"Error: {exc}")
"""


def run_as_nobody(*args: str, code: str = RUN_COMMAND) -> subprocess.CompletedProcess:
    """The `search` command (or other code given) run as the unprivileged user, as one without rights would."""
    if os.geteuid() != 0:
        pytest.skip("running a step as another user needs root (CI runs as root)")
    return subprocess.run([sys.executable, "-c", AS_NOBODY + code, *args], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent)


def give_to_nobody(path: Path) -> None:
    """Make path and everything under it the unprivileged user's."""
    for folder, dirs, files in os.walk(path):
        for name in [folder, *(os.path.join(folder, n) for n in dirs + files)]:
            os.chown(name, NOBODY, NOBODY)


def expected_files(index_dir: Path) -> set[str]:
    """What an index folder holds when nothing is left over: the latest TOC, its segments' files, the
    generation's record of its files, and ours."""
    storage = FileStorage(str(index_dir))
    generation = TOC._latest_generation(storage, "MAIN")
    toc = TOC.read(storage, "MAIN", generation)
    ids = {segment.segment_id() for segment in toc.segments}
    segment_files = {n for n in os.listdir(index_dir) if n.split(".", 1)[0] in ids}
    # The stamps cache is written only once some page file has settled (SETTLE_NS old), which a
    # slow or loaded run reaches and a fast one does not: it is ours when it is there.
    cache = {STAMPS_FILE} & set(os.listdir(index_dir))
    return {f"_MAIN_{generation}.toc", f"search-files-{generation}.json", *segment_files} | OUR_FILES | cache


def is_one_line_error(output: str) -> bool:
    """Whether a command's error output is one line, with no traceback."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return len(lines) == 1 and "Traceback" not in output and lines[0].startswith("Error: ")
