"""What the command line prints: a reindex's progress bar, snippets as terminal text, hits for export, timelines."""

from __future__ import annotations

import sys
import time

import click

from .export import export_text, marked_text


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
    return marked_text(snippet, "\x1b[1;33m", "\x1b[0m") if colour else marked_text(snippet)


def export_hits(results, fmt: str) -> None:
    """The hits as JSON Lines or CSV, snippets as plain text, for spreadsheets and scripts."""
    click.echo(export_text(results, fmt), nl=False)


BAR_LEVELS = " ▁▂▃▄▅▆▇█"  # a bar's height in eighths of a character


def timeline_lines(timeline, terminal: bool, width: int = 80) -> list[str]:
    """A timeline for the command line: a row of bars (a character a period) with its first and last
    period beneath, on a terminal; otherwise a plain line a period ("2018-05  12"), for scripts."""
    if timeline is None or not timeline.periods:
        return [f"timeline: no dated matches ({timeline.undated if timeline else 0} undated)"]
    undated = f", {timeline.undated} undated" if timeline.undated else ""
    periods = timeline.periods
    if not terminal:
        return [f"{p.start if p.start == p.end else p.start + '..' + p.end}\t{p.count}" for p in periods]
    head = f"timeline per {timeline.interval} (peak {timeline.peak}{undated}):"
    if len(periods) > width:  # too many periods for one row: each character shows the largest of several
        step = -(-len(periods) // width)
        counts = [max(p.count for p in periods[i:i + step]) for i in range(0, len(periods), step)]
    else:
        counts = [p.count for p in periods]
    top = len(BAR_LEVELS) - 1
    bars = "".join(BAR_LEVELS[0 if not c else max(1, round(c / timeline.peak * top))] for c in counts)
    first, last = periods[0].label, periods[-1].label
    axis = first + last.rjust(max(len(bars) - len(first), len(last) + 1)) if len(periods) > 1 else first
    return [head, bars, axis]
