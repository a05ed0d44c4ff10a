"""Reading pages, learning site templates and cleaning pages for a reindex, across the machine's cores."""

from __future__ import annotations

import hashlib
import heapq
import itertools
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from ..analysis.languages import load_identifier
from ..cleaning import SiteTemplates, clean_page, learn_templates, line_key, page_lines, site_key
from ..errors import PageError, SearchError
from ..reading import MAX_PAGE_BYTES, read_pages
from ..reading.spans import RecordSpan, read_spans
from ..records import Document, Page, Skipped

# Below this many pages a pool costs more to start than it saves.
PARALLEL_MIN_PAGES = 64
# Pages handed to a worker at a time (page files, or records of one container file): large enough to
# amortise the pickling round trip, small enough that the progress bar moves and both cores stay busy to the end.
CHUNK_PAGES = 16
# Pages of each file read to learn templates from: the first ones (a container's first records).
SAMPLE_PAGES_PER_FILE = 20

# Pages per site folder read to learn its templates: enough to see what repeats, cheap at 200,000 pages.
TEMPLATE_SAMPLE_PER_SITE = 50

# Seconds one page may take to clean before it is skipped (pathological markup, a regex gone wild).
PAGE_SECONDS = 30.0


@dataclass(frozen=True)
class Limits:
    """What one page may cost: its size in bytes and its cleaning time in seconds."""

    max_bytes: int = MAX_PAGE_BYTES
    page_seconds: float = PAGE_SECONDS


# What a worker process cleans with, set once per process by the pool's initializer.
_worker_templates: SiteTemplates | None = None
_worker_limits: Limits = Limits()
_worker_prepare: Callable[[Document], object] | None = None
_worker_change: TemplateChange | None = None  # the change of templates a page is checked against


def available_cores() -> int:
    """How many cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise PageError when the body takes longer than `seconds` (main thread of a process only)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise PageError(f"cleaning took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def clean_one(page: Page, templates: SiteTemplates | None, limits: Limits) -> Document | Skipped:
    """Clean one page; a page that fails, runs out of time, or holds no article text, is Skipped."""
    try:
        with time_limit(limits.page_seconds):
            doc = clean_page(page, templates)
    except (SearchError, ValueError, RecursionError) as exc:
        return Skipped(path=page.path, reason=f"cleaning failed: {exc}")
    if not doc.body.strip():
        return Skipped(path=page.path, reason="no article text left after cleaning")
    # Where the page came from (fetch date, record) travels with it, for the document's provenance.
    return replace(doc, fetched=page.fetched, record=page.record)


# What a worker is handed: the corpus root, and files each with the records of it to read (None: a page file, whole).
Task = tuple[Path, tuple[tuple[Path, tuple[RecordSpan, ...] | None], ...]]


def read_task(task: Task, max_bytes: int) -> Iterator[Page | Skipped]:
    """The pages a task's files and records hold, one item (a Page or Skipped) for each page file and record."""
    root, entries = task
    for path, spans in entries:
        if spans is None:
            yield from read_pages(path, root, max_bytes)
        else:
            yield from read_spans(path, root, spans, max_bytes)


def read_sample(path: Path, root: Path, per_file: int = SAMPLE_PAGES_PER_FILE) -> list[Page]:
    """The first pages a file holds, for learning templates; unreadable ones are left to the cleaning pass."""
    return [p for p in itertools.islice(read_pages(path, root), per_file) if isinstance(p, Page)]


def _init_worker(templates: SiteTemplates | None, limits: Limits,
                 prepare: Callable[[Document], object] | None = None, change: TemplateChange | None = None) -> None:
    global _worker_templates, _worker_limits, _worker_prepare, _worker_change
    _worker_templates, _worker_limits, _worker_prepare, _worker_change = templates, limits, prepare, change


def _clean_task(task: Task) -> list:
    items = [item if isinstance(item, Skipped) else clean_one(item, _worker_templates, _worker_limits)
             for item in read_task(task, _worker_limits.max_bytes)]
    if _worker_prepare is None:
        # The removed blocks reach the index packed by `prepare` (schema.document_fields); unpacked,
        # they would only be shipped between processes.
        return [item if isinstance(item, Skipped) else replace(item, removed=()) for item in items]
    return [item if isinstance(item, Skipped) else _worker_prepare(item) for item in items]


def _read_task(task: tuple[Path, Path]) -> list[Page]:
    return read_sample(task[0], task[1])


@dataclass(frozen=True)
class TemplateChange:
    """What a change of site templates can reach: per site whose templates changed, the line keys
    (templates.line_key) whose share changed. clean_page reads templates only as the share of each
    of a page's lines on the page's site, so a page holding none of these is cleaned as before."""

    keys: dict[str, frozenset[str]]

    @classmethod
    def between(cls, before: SiteTemplates, after: SiteTemplates) -> TemplateChange:
        """The change from `before` templates to `after`."""
        keys = {}
        for site in set(before.lines) | set(after.lines):
            if before.lines.get(site) != after.lines.get(site):
                held = {line_key(line) for line in (*before.lines.get(site, {}), *after.lines.get(site, {}))}
                if changed := frozenset(k for k in held if before.share(site, k) != after.share(site, k)):
                    keys[site] = changed
        return cls(keys)

    def reaches(self, page: Page) -> bool:
        """Whether the page would be cleaned differently after the change than before it."""
        if page.url or page.kind != "html":
            if site_key(page, page.url) not in self.keys:  # the site clean_page takes, without parsing
                return False
        elif site_key(page, None) not in self.keys and not any(site in page.content.lower() for site in self.keys):
            # The page's site is its folder's or the host of a URL it declares: neither changed.
            # (A host hidden behind character references in the markup would be missed.)
            return False
        lines, markup = page_lines(page)
        changed = self.keys.get(site_key(page, page.url or (markup.url if markup else None)), frozenset())
        return any(line_key(line.text) in changed for line in lines)


def _differs_task(task: Task) -> list[bool]:
    return [_differs(item) for item in read_task(task, _worker_limits.max_bytes)]


def _differs(item: Page | Skipped) -> bool:
    if not isinstance(item, Page):
        return False
    try:
        with time_limit(_worker_limits.page_seconds):
            return _worker_change.reaches(item)
    except (SearchError, ValueError, RecursionError):
        return True  # cleaned again: the cleaning pass names the page and why it failed


def _pool(workers: int, templates: SiteTemplates | None, limits: Limits, prepare: Callable | None,
          change: TemplateChange | None = None):
    # fork: workers start at once and share the parent's loaded modules; spawn would re-import them.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    if method == "fork":
        # Shared with the workers from here: each would read its own copy of the model (0.65 s of CPU,
        # 130 MB) at the first page that is not plainly English, and most batches of pages hold one.
        load_identifier()
    return multiprocessing.get_context(method).Pool(workers, initializer=_init_worker,
                                                    initargs=(templates, limits, prepare, change))


def _map(func: Callable, tasks: list, pages: int, workers: int, templates: SiteTemplates | None = None,
         limits: Limits = Limits(), prepare: Callable | None = None, change: TemplateChange | None = None,
         chunksize: int = 1) -> Iterator:
    """func's result for each task, in order: across `workers` processes when there are enough pages."""
    if workers <= 1 or pages < PARALLEL_MIN_PAGES:
        _init_worker(templates, limits, prepare, change)
        yield from map(func, tasks)
        return
    with _pool(workers, templates, limits, prepare, change) as pool:
        # imap, not imap_unordered: documents go into the index in corpus order, run after run.
        yield from pool.imap(func, tasks, chunksize=chunksize)


def unit_tasks(units: Iterable[tuple[Path, RecordSpan | None]], root: Path) -> list[Task]:
    """Page files and container records (with their file) grouped into tasks of up to CHUNK_PAGES each, in
    order; a task holds the records of one file together, so its worker opens the file once and seeks to each."""
    tasks: list[Task] = []
    entries: list = []
    count = 0
    for path, span in units:
        if count == CHUNK_PAGES:
            tasks.append((root, tuple(entries)))
            entries, count = [], 0
        if span is None:
            entries.append((path, None))
        elif entries and entries[-1][0] == path and entries[-1][1] is not None:
            entries[-1][1].append(span)
        else:
            entries.append((path, [span]))
        count += 1
    if entries:
        tasks.append((root, tuple(entries)))
    return [(root, tuple((path, None if spans is None else tuple(spans)) for path, spans in entries))
            for root, entries in tasks]


def clean_units(units: list[tuple[Path, RecordSpan | None]], root: Path, workers: int,
                templates: SiteTemplates | None, limits: Limits = Limits(),
                prepare: Callable[[Document], object] | None = None) -> Iterator:
    """For each page file or container record (path, span: None for a page file), its page cleaned (a
    Document) or Skipped, in order, across `workers` processes.

    With `prepare`, each Document is passed through it in the worker (the index's field values
    are computed there, off the process that writes the index), and its result comes back instead.
    """
    results = _map(_clean_task, unit_tasks(units, root), len(units), workers, templates, limits, prepare)
    return (item for items in results for item in items)


def read_samples(paths: list[Path], root: Path, workers: int) -> Iterator[Page]:
    """The first readable pages of each file, in order, across `workers` processes."""
    tasks = [(path, root) for path in paths]
    return (page for pages in _map(_read_task, tasks, len(tasks), workers, chunksize=CHUNK_PAGES) for page in pages)


def units_cleaned_differently(units: list[tuple[Path, RecordSpan | None]], root: Path, workers: int,
                              change: TemplateChange, limits: Limits = Limits()) -> list[bool]:
    """For each page file or container record, whether the change of templates reaches its page
    (TemplateChange.reaches)."""
    results = _map(_differs_task, unit_tasks(units, root), len(units), workers, None, limits, change=change)
    return [differs for task in results for differs in task]


def site_folder(page_id_: str) -> str:
    """The folder a page sits in, relative to the corpus root: the group its site templates are learned for."""
    return page_id_.rpartition("/")[0]


def template_sample(paths: dict[str, Path], per_site: int = TEMPLATE_SAMPLE_PER_SITE) -> list[Path]:
    """Up to per_site pages of each site folder: those whose ids hash lowest.

    A sample by id hash is spread over the folder like a random one, and stays the same when
    pages are added or deleted (but for the few that enter or leave it): a full reindex after
    a small change learns the templates an incremental one keeps, and cleans pages alike.
    """
    return [paths[pid] for pid in template_sample_ids(paths, per_site)]


def template_sample_ids(ids: Iterable[str], per_site: int = TEMPLATE_SAMPLE_PER_SITE) -> list[str]:
    """The ids of template_sample's pages."""
    by_site: dict[str, list[tuple[bytes, str]]] = {}
    for pid in ids:
        rank = hashlib.blake2b(pid.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        by_site.setdefault(site_folder(pid), []).append((rank, pid))
    return [pid for ranked in by_site.values() for _, pid in heapq.nsmallest(per_site, ranked)]


def learn_site_templates(paths: dict[str, Path], root: Path, workers: int) -> SiteTemplates:
    """Site templates learned from a bounded sample of each site folder's pages (paths: id -> path)."""
    return learn_templates(read_samples(template_sample(paths), root, workers))
