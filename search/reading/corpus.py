"""Reading a corpus: walk a folder, decode each page, and name the ones that cannot be used."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path

from ..errors import CorpusError
from ..records import Page, Skipped
from .decoding import decode_page
from .warc import is_warc, read_warc

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl",)  # one page a line, as crawlers such as Scrapy write them
MAX_PAGE_BYTES = 20 * 1024 * 1024  # larger files are almost never single articles
# A top folder named like a host ("www.example.com", "news.example.co.uk:8080") marks a wget-style mirror.
HOST_FOLDER = re.compile(r"(?=.{4,253}$)([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?", re.IGNORECASE)

def page_kind(path: Path) -> str | None:
    """The form a file holds ("text", "html"; "jsonl" or "warc": many pages), or None when it holds none."""
    if is_warc(path):
        return "warc"
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return None


def printable_path(path: Path | str) -> str:
    """A path as text that can be stored, printed and sent as JSON, whatever bytes its name holds."""
    # Names that are not valid UTF-8 reach Python as lone surrogates; show them as U+FFFD instead.
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def page_id(path: Path, root: Path) -> str:
    """A stable id for a page: its path relative to the corpus root, with forward slashes."""
    return printable_path(path.relative_to(root).as_posix())


def mirror_host(folder: str) -> str | None:
    """The host a page's folder names when the corpus is a mirror laid out by host, else None."""
    top = folder.split("/", 1)[0]
    return top if HOST_FOLDER.fullmatch(top) else None


def mirror_url(rel: Path) -> str | None:
    """The URL a page had when the corpus is a wget-style mirror (host/path/page.html), else None."""
    parts = rel.parts
    if len(parts) < 2 or not mirror_host(parts[0]):
        return None
    path = "/".join(parts[1:])
    # wget saves a directory's page as index.html; the URL is the directory itself.
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return f"https://{parts[0]}/{path}"


def read_page(path: Path, root: Path, max_bytes: int = MAX_PAGE_BYTES) -> Page:
    """Read one page file; raises ValueError or OSError with the reason it cannot be used."""
    kind = page_kind(path)
    if kind not in ("text", "html"):
        raise ValueError("not a single page (expected .txt, .html or .htm)")
    size = path.stat().st_size
    if size > max_bytes:
        raise ValueError(f"too large ({size} bytes, limit {max_bytes})")
    content = decode_page(path.read_bytes(), kind)
    if not content.strip():
        raise ValueError("empty page")
    rel = path.relative_to(root)
    group = rel.parent.as_posix() if rel.parent != Path(".") else ""
    return Page(id=page_id(path, root), path=printable_path(path), kind=kind, content=content,
                group=printable_path(group), url=mirror_url(rel) if kind == "html" else None)


def _record_text(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ValueError(f"{key!r} must be a string")
    return str(value).strip()


def record_html(record: dict) -> str:
    """A JSON Lines record as an HTML page, so it goes through the same cleaner as saved pages.

    The record's own title, date and url are declared in the page's head, ahead of any the
    record's HTML declares, so the cleaner takes the record's word for them.
    """
    title, date, url, html, text, lang = (_record_text(record, k)
                                          for k in ("title", "date", "url", "html", "text", "lang"))
    if not (html or text):
        if not title:
            raise ValueError("no 'text', 'title' or 'html'")
        # A record of a title alone (a catalogue entry, a link) is a page of that one line: its
        # text, and its title as an untitled page's first sentence is.
        text, title = title, ""
    head = []
    if title:
        head.append(f'<title>{escape(title)}</title><meta property="og:title" content="{escape(title)}">')
    if date:
        head.append(f'<meta property="article:published_time" content="{escape(date)}">')
    if url:
        head.append(f'<link rel="canonical" href="{escape(url)}">')
    if lang:
        head.append(f'<meta http-equiv="content-language" content="{escape(lang)}">')
    if html:
        # Declarations placed before the page's own: the parser moves them into its <head>, first.
        return "".join(head) + html
    # A record's text is read as a text page's is: paragraphs wrapped at a fixed width (news wires, mail
    # archives) joined back into one line each, or the cleaner would judge each line as a fragment of its own.
    from ..cleaning.wrapping import text_paragraphs  # here, not above: the cleaning package imports this one
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text_paragraphs(text))
    # The headline sits outside the <article>, so it is the title and not also a line of the body.
    headline = f"<header><h1>{escape(title)}</h1></header>" if title else ""
    declared = f' lang="{escape(lang)}"' if lang else ""
    return f"<html{declared}><head>{''.join(head)}</head><body>{headline}<article>{paragraphs}</article></body></html>"


def jsonl_item(raw: bytes, number: int, path: Path, root: Path, group: str,
               max_bytes: int = MAX_PAGE_BYTES) -> Page | Skipped:
    """The page one line of a JSON Lines file holds (its number counted from 1), or Skipped naming why not."""
    where = f"{printable_path(path)}:{number}"
    try:
        if len(raw) > max_bytes:
            raise ValueError(f"line too long ({len(raw)} bytes, limit {max_bytes})")
        record = json.loads(raw.decode("utf-8"))
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
        content = record_html(record)
        record_id = _record_text(record, "id") or f"{page_id(path, root)}:{number}"
    except (ValueError, UnicodeDecodeError) as exc:
        return Skipped(path=where, reason=str(exc) or type(exc).__name__)
    return Page(id=record_id, path=where, kind="html", content=content,
                url=_record_text(record, "url") or None, group=group, record=str(number))


def file_group(path: Path, root: Path) -> str:
    """The folder a file sits in, relative to the corpus root ("" at the root): its pages' group."""
    rel = path.relative_to(root)
    return printable_path(rel.parent.as_posix() if rel.parent != Path(".") else "")


def read_jsonl(path: Path, root: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Skipped]:
    """One page per line of a JSON Lines file; a bad line is skipped and named by its line number."""
    group = file_group(path, root)
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if raw.strip():
                yield jsonl_item(raw, number, path, root, group, max_bytes)


def skip_reason(exc: Exception) -> str:
    """Why a file could not be read, in words: the OS's own for OS errors."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def read_pages(path: Path, root: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Skipped]:
    """The pages one file holds: one for a saved page, one a line for JSON Lines, one a response for WARC."""
    kind = page_kind(path)
    try:
        if kind == "jsonl":
            yield from read_jsonl(path, root, max_bytes)
        elif kind == "warc":
            yield from read_warc(path, root, max_bytes)
        else:
            yield read_page(path, root, max_bytes)
    except (OSError, ValueError) as exc:
        yield Skipped(path=printable_path(path), reason=skip_reason(exc))


def walk_corpus(root: Path, unreadable: Callable[[OSError], None] | None = None) -> Iterator[Path]:
    """Every page file under root, in a stable order; symlinked folders are not followed.

    A folder that cannot be listed is passed to `unreadable` (its OSError names it), else passed over.
    """
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and page_kind(path):
                yield path


def read_corpus(root: Path, max_bytes: int = MAX_PAGE_BYTES) -> Iterator[Page | Skipped]:
    """Every page under root, or a Skipped record naming a page that could not be read."""
    root = Path(root)
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    for path in walk_corpus(root):
        yield from read_pages(path, root, max_bytes)
