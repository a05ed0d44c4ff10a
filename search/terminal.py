"""What the command line prints: a reindex's progress bar, snippets as terminal text, hits for export."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sys
import time

import click


class ProgressBar:
    """A progress bar with rate and ETA on a terminal's stderr; nothing at all when stderr is not a terminal."""

    REDRAW_SECONDS = 0.2  # a terminal redrawn for every page would cost more than the page

    def __init__(self, label: str):
        self.label = label
        self.bar = None
        self.started = self.drawn = 0.0
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        now = time.monotonic()
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_eta=True,
                                         show_pos=True, item_show_func=lambda _: self.rate())
            self.bar.__enter__()
            self.started = now
        if now - self.drawn >= self.REDRAW_SECONDS or done == total:
            self.bar.update(done - self.done, current_item=done)
            self.done, self.drawn = done, now

    def rate(self) -> str:
        """Pages a second so far."""
        return f"{self.done / max(time.monotonic() - self.started, 1e-6):.0f} pages/s"

    def close(self) -> None:
        """Finish the bar's line."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def terminal_marks(snippet: str, colour: bool) -> str:
    """An HTML snippet as terminal text: matches bold when colour is on, else in [brackets]."""
    start, end = ("\x1b[1;33m", "\x1b[0m") if colour else ("[", "]")
    text = snippet.replace("<mark>", start).replace("</mark>", end)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


EXPORT_COLUMNS = ("rank", "id", "title", "date", "site", "source_url", "score", "snippet")


def export_hits(results, fmt: str) -> None:
    """The hits as JSON Lines or CSV, snippets as plain text, for spreadsheets and scripts."""
    rows = []
    for rank, hit in enumerate(results.hits, start=(results.page - 1) * results.per_page + 1):
        row = {**hit.as_json(), "rank": rank, "snippet": terminal_marks(hit.snippet, colour=False)}
        rows.append({key: row.get(key) for key in EXPORT_COLUMNS})
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    click.echo(out.getvalue(), nl=False)
