"""The timeline: how many of a query's matches fall in each day, month or year, counted as arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import QueryError

if TYPE_CHECKING:
    from .facets import MatchCounter

INTERVALS = ("auto", "day", "month", "year")
# auto: matches spanning more than about ten years are counted per year, less than about two months per day.
YEARLY_OVER_DAYS = 3653
DAILY_UNDER_DAYS = 61
# At most this many periods: a bar a period must stay a bar (and a link) at a phone's width, and the
# count bounds what a request can ask for. auto groups years beyond it; an interval asked for is refused.
MAX_PERIODS = 400
_UNITS = {"day": "D", "month": "M", "year": "Y"}
DAY_USECS = 86_400_000_000
# Whoosh keeps a date as microseconds since 0001-01-01; numpy counts days from 1970-01-01.
_EPOCH_DAYS = 719_162
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True)
class Period:
    """A span of the timeline and how many matches are dated in it; `start` and `end` are written as
    the date filters take them (YYYY, YYYY-MM or YYYY-MM-DD), so a period narrows a search as it is."""

    start: str
    end: str
    count: int

    @property
    def label(self) -> str:
        """The period in words: "2018", "2010–2019", "May 2018", "3 May 2018"."""
        if self.start != self.end:
            return f"{self.start}–{self.end}"
        parts = self.start.split("-")
        if len(parts) == 1:
            return self.start
        month = _MONTHS[int(parts[1]) - 1]
        return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"

    def as_json(self) -> dict:
        """The period as the API shows it."""
        return {"from": self.start, "to": self.end, "count": self.count}


@dataclass(frozen=True)
class Timeline:
    """Matches per period, first period first (empty ones included), and how many have no date."""

    interval: str  # "day", "month" or "year" ("" when no match is dated)
    periods: tuple[Period, ...] = ()
    undated: int = 0

    @property
    def peak(self) -> int:
        """The largest count of any period (0 when none)."""
        return max((p.count for p in self.periods), default=0)

    def as_json(self) -> list[dict]:
        """The periods as the API's `histogram`."""
        return [p.as_json() for p in self.periods]


def check_interval(interval: str) -> str:
    """The interval, or QueryError naming the ones there are."""
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}, not {interval[:40]!r}")
    return interval


def chosen_interval(first: np.datetime64, last: np.datetime64) -> str:
    """The interval auto counts in for matches dated from `first` to `last` (days)."""
    span = int((last - first).astype(np.int64))
    if span > YEARLY_OVER_DAYS:
        return "year"
    return "day" if span < DAILY_UNDER_DAYS else "month"


def year_step(span: int) -> int:
    """Years a period covers so that `span` years make at most MAX_PERIODS: 1, or a round 10, 20, 50, 100, ...
    Groups start on a round year, which moves the first back by up to step - 1 years: counted in."""
    step = 1
    while -(-(span + step - 1) // step) > MAX_PERIODS:
        step = next(m * 10 ** k for k in range(1, 5) for m in (1, 2, 5) if m * 10 ** k > step)
    return step


def day_codes(dates: np.ndarray) -> tuple[int | None, np.ndarray, int]:
    """Dates (Whoosh's stored numbers, -1 for undated) as the timeline counts them: the first day
    any is dated (days since 0001-01-01; None when none is), each one's day as 1 + days since it (0
    where it has no date), and how many codes there are."""
    dated = dates >= 0
    if not dated.any():
        return None, np.zeros(len(dates), dtype=np.int64), 1
    days = dates // DAY_USECS
    first = int(days[dated].min())
    codes = np.where(dated, days - first + 1, 0)
    return first, codes, int(codes.max()) + 1


def count_periods(dates: np.ndarray, interval: str = "auto", first: int | None = None,
                  last: int | None = None) -> Timeline:
    """The timeline of a match set from its dates (Whoosh's stored numbers, -1 for undated): whole-array
    work, no loop over the matches. `first` and `last` (stored numbers too: a date filter's bounds)
    stretch it over the whole range asked for, so a search narrowed to a month shows that month's days."""
    first_day, codes, size = day_codes(dates)
    per_day = np.bincount(codes, minlength=size)
    return periods_of_days(first_day or 0, per_day[1:], int(per_day[0]), interval, first, last)


def count_timeline(counter: MatchCounter, interval: str = "auto", first: int | None = None,
                   last: int | None = None) -> Timeline:
    """The timeline of the counter's match set (as count_periods), from each document's day."""
    first_day, codes, size = counter.snapshot.day_codes()
    per_day = counter.count("days", codes, size)
    return periods_of_days(first_day or 0, per_day[1:], int(per_day[0]), interval, first, last)


def periods_of_days(first_day: int, per_day: np.ndarray, undated: int, interval: str = "auto",
                    first: int | None = None, last: int | None = None) -> Timeline:
    """The timeline from the matches counted per day (per_day[i]: on day first_day + i, days since
    0001-01-01) and the undated ones."""
    asked = check_interval(interval)
    # Counted per day first, and only the days that occur turned into months or years: numpy's
    # calendar conversion costs ten times a count, and a match set has far fewer days than matches.
    occurring = np.flatnonzero(per_day)
    if not len(occurring):
        return Timeline(interval="", undated=undated)
    day_offsets, weights = occurring + first_day, per_day[occurring]
    if first is not None and first // DAY_USECS < day_offsets[0]:
        day_offsets, weights = np.concatenate(([first // DAY_USECS], day_offsets)), np.concatenate(([0], weights))
    if last is not None and last // DAY_USECS > day_offsets[-1]:
        day_offsets, weights = np.concatenate((day_offsets, [last // DAY_USECS])), np.concatenate((weights, [0]))
    days = (day_offsets - _EPOCH_DAYS).astype("datetime64[D]")
    interval = chosen_interval(days[0], days[-1]) if asked == "auto" else asked
    bins = days.astype(f"datetime64[{_UNITS[interval]}]")
    low = bins[0]
    span = int((bins[-1] - low).astype(np.int64)) + 1
    if span > MAX_PERIODS and asked != "auto":
        raise QueryError(f"interval={interval} gives {span} periods over these dates (at most {MAX_PERIODS}): "
                         "narrow the dates or ask for a longer interval")
    step = year_step(span) if interval == "year" else 1
    if step > 1:
        # Groups of years start on a round year (1900, 1910, ...): their labels read as decades, centuries.
        first_year = int(low.astype(np.int64)) + 1970
        low = low - np.timedelta64(first_year % step, "Y")
        span = int((bins[-1] - low).astype(np.int64)) + 1
    slots = -(-span // step)
    counts = np.bincount((bins - low).astype(np.int64) // step, weights=weights,
                         minlength=slots).astype(np.int64)
    starts = low + np.arange(slots) * step
    ends = np.minimum(starts + (step - 1), bins[-1]) if step > 1 else starts
    starts = np.maximum(starts, bins[0])  # the first group starts at the first match, not before year 1
    periods = tuple(Period(start=s, end=e, count=c) for s, e, c in zip(
        np.datetime_as_string(starts).tolist(), np.datetime_as_string(ends).tolist(), counts.tolist(), strict=True))
    return Timeline(interval=interval, periods=periods, undated=undated)
