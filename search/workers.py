"""Reading pages, learning site templates and cleaning pages for a reindex, across the machine's cores."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .clean import clean_page
from .corpus import read_page
from .errors import SearchError
from .records import Document, Page, Skipped
from .templates import SiteTemplates, learn_templates

# Below this many pages a pool costs more to start than it saves.
PARALLEL_MIN_PAGES = 64
# Pages handed to a worker at a time: large enough to amortise the pickling round trip,
# small enough that the progress bar moves and both cores stay busy to the end.
CHUNK_PAGES = 16

# Pages per site folder read to learn its templates: enough to see what repeats, cheap at 200,000 pages.
TEMPLATE_SAMPLE_PER_SITE = 50

# The templates a worker process cleans with, set once per process by the pool's initializer.
_worker_templates: SiteTemplates | None = None


def available_cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def file_digest(raw: bytes) -> str:
    """A content hash of a page file's bytes, so a later reindex can tell whether it changed."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def digest_files(paths: Iterable[Path]) -> Iterator[tuple[Path, str | None, str]]:
    """Each path with the digest of its bytes, or None and the reason it cannot be read."""
    for path in paths:
        try:
            yield path, file_digest(path.read_bytes()), ""
        except OSError as exc:
            yield path, None, str(exc) or type(exc).__name__


def clean_one(path: Path, root: Path, templates: SiteTemplates | None) -> Document | Skipped:
    """Read and clean one page; a page that fails either step, or holds no article text, is Skipped."""
    try:
        page = read_page(path, root)
    except (OSError, ValueError) as exc:
        return Skipped(path=str(path), reason=str(exc) or type(exc).__name__)
    try:
        doc = clean_page(page, templates)
    except (SearchError, ValueError, RecursionError) as exc:
        return Skipped(path=page.path, reason=f"cleaning failed: {exc}")
    if not doc.body.strip():
        return Skipped(path=page.path, reason="no article text left after cleaning")
    # What was removed is for `search clean --explain`, not the index: don't ship it between processes.
    return replace(doc, removed=())


def read_one(path: Path, root: Path) -> Page | None:
    """One page as read, or None when it cannot be read (the cleaning pass names it)."""
    try:
        return read_page(path, root)
    except (OSError, ValueError):
        return None


def _init_worker(templates: SiteTemplates | None) -> None:
    global _worker_templates
    _worker_templates = templates


def _clean_task(task: tuple[Path, Path]) -> Document | Skipped:
    return clean_one(task[0], task[1], _worker_templates)


def _read_task(task: tuple[Path, Path]) -> Page | None:
    return read_one(task[0], task[1])


def _pool(workers: int, templates: SiteTemplates | None):
    # fork: workers start at once and share the parent's loaded modules; spawn would re-import them.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return multiprocessing.get_context(method).Pool(workers, initializer=_init_worker, initargs=(templates,))


def map_pages(
    func: Callable, paths: list[Path], root: Path, workers: int, templates: SiteTemplates | None = None,
) -> Iterator:
    """func's result for each path, in order: across `workers` processes when there are enough pages."""
    tasks = [(path, root) for path in paths]
    if workers <= 1 or len(tasks) < PARALLEL_MIN_PAGES:
        _init_worker(templates)
        yield from map(func, tasks)
        return
    with _pool(workers, templates) as pool:
        # imap, not imap_unordered: documents go into the index in corpus order, run after run.
        yield from pool.imap(func, tasks, chunksize=CHUNK_PAGES)


def clean_pages(paths: list[Path], root: Path, workers: int, templates: SiteTemplates | None) -> Iterator:
    """Each page cleaned (a Document) or Skipped, in order, across `workers` processes."""
    return map_pages(_clean_task, paths, root, workers, templates)


def read_pages(paths: list[Path], root: Path, workers: int) -> Iterator[Page]:
    """The pages at paths that can be read, in order, across `workers` processes."""
    return (page for page in map_pages(_read_task, paths, root, workers) if page is not None)


def site_folder(page_id_: str) -> str:
    """The folder a page sits in, relative to the corpus root: the group its site templates are learned for."""
    return page_id_.rpartition("/")[0]


def template_sample(paths: dict[str, Path], per_site: int = TEMPLATE_SAMPLE_PER_SITE) -> list[Path]:
    """Up to per_site pages of each site folder, spread evenly over the folder's pages."""
    by_site: dict[str, list[Path]] = {}
    for pid, path in paths.items():
        by_site.setdefault(site_folder(pid), []).append(path)
    sample = []
    for site_paths in by_site.values():
        step = max(1, len(site_paths) // per_site)
        sample.extend(site_paths[::step][:per_site])
    return sample


def learn_site_templates(paths: dict[str, Path], root: Path, workers: int) -> SiteTemplates:
    """Site templates learned from a bounded sample of each site folder's pages (paths: id -> path)."""
    return learn_templates(read_pages(template_sample(paths), root, workers))
