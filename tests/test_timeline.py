"""The timeline's counts: matches per day, month or year, from the dates as the index stores them."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh.util.times import datetime_to_long

from search.errors import QueryError
from search.querying.facets import FACET_FIELDS, MatchCounter, count_facets
from search.querying.filters import date_bounds
from search.querying.snapshot import open_snapshot
from search.querying.timeline import MAX_PERIODS, count_periods, count_timeline
from search.terminal import timeline_lines


def stored(*days: str | None) -> np.ndarray:
    """Dates as the index's date column holds them (-1 for an undated page)."""
    return np.array([datetime_to_long(datetime.fromisoformat(d)) if d else -1 for d in days], dtype=np.int64)


def test_months_for_a_few_years_with_the_empty_months_between():
    timeline = count_periods(stored("2017-06-01", "2019-03-12", "2019-03-12", None, "2021-01-10"))
    assert timeline.interval == "month" and timeline.undated == 1
    assert timeline.periods[0].as_json() == {"from": "2017-06", "to": "2017-06", "count": 1}
    assert timeline.periods[-1].start == "2021-01"
    assert len(timeline.periods) == 12 * 3 + 8  # June 2017 to January 2021, every month
    assert {p.start: p.count for p in timeline.periods if p.count} == {"2017-06": 1, "2019-03": 2, "2021-01": 1}
    assert timeline.peak == 2


def test_days_for_less_than_two_months_years_for_more_than_ten():
    assert count_periods(stored("2019-03-01", "2019-04-20")).interval == "day"
    assert count_periods(stored("2019-03-01", "2019-05-20")).interval == "month"
    assert count_periods(stored("2001-01-01", "2011-06-01")).interval == "year"
    assert count_periods(stored("2001-01-01", "2010-06-01")).interval == "month"
    one_day = count_periods(stored("2019-03-12", "2019-03-12"))
    assert [(p.start, p.count, p.label) for p in one_day.periods] == [("2019-03-12", 2, "12 March 2019")]


def test_interval_asked_for_and_refused():
    years = count_periods(stored("2017-06-01", "2019-03-12"), "year")
    assert [(p.start, p.end, p.count, p.label) for p in years.periods] == [
        ("2017", "2017", 1, "2017"), ("2018", "2018", 0, "2018"), ("2019", "2019", 1, "2019")]
    with pytest.raises(QueryError, match="interval must be one of auto, day, month, year"):
        count_periods(stored("2017-06-01"), "week")
    with pytest.raises(QueryError, match=f"at most {MAX_PERIODS}"):
        count_periods(stored("1990-01-01", "2020-01-01"), "day")


def test_centuries_of_dates_come_in_round_groups_of_years():
    timeline = count_periods(stored("1550-05-01", "1905-01-01", "2020-05-01"))
    assert timeline.interval == "year" and len(timeline.periods) <= MAX_PERIODS
    assert timeline.periods[0].start == "1550"  # not before the first match
    assert [(p.start, p.end) for p in timeline.periods if p.count] == [("1550", "1559"), ("1900", "1909"),
                                                                     ("2020", "2020")]
    assert timeline.periods[1].label == "1560–1569"


def test_nothing_dated():
    timeline = count_periods(stored(None, None))
    assert (timeline.interval, timeline.periods, timeline.undated) == ("", (), 2)
    assert count_periods(stored()).periods == ()


@given(st.lists(st.one_of(st.none(), st.dates(min_value=datetime(1, 1, 1).date(),
                                              max_value=datetime(9999, 12, 31).date())), max_size=60),
       st.sampled_from(["auto", "day", "month", "year"]))
def test_every_match_is_counted_once_in_the_period_that_holds_its_date(days, interval):
    dates = stored(*(d.isoformat() if d else None for d in days))
    try:
        timeline = count_periods(dates, interval)
    except QueryError:
        assert interval != "auto"
        return
    assert sum(p.count for p in timeline.periods) + timeline.undated == len(days)
    assert len(timeline.periods) <= MAX_PERIODS
    bounds = [(date_bounds(p.start)[0], date_bounds(p.end)[1]) for p in timeline.periods]
    assert all(a[1] < b[0] for a, b in zip(bounds, bounds[1:], strict=False))  # in order, apart
    for day in filter(None, days):
        moment = datetime(day.year, day.month, day.day)
        held = [p for p, (lo, hi) in zip(timeline.periods, bounds, strict=True) if lo <= moment <= hi]
        assert len(held) == 1 and held[0].count >= 1
    # Periods follow one another without a gap: the empty ones are there, counted 0.
    assert all(b[0] - a[1] <= timedelta(seconds=1) for a, b in zip(bounds, bounds[1:], strict=False))


def test_groups_of_years_started_on_a_round_year_stay_within_the_bound():
    # 1769 to 5760 is 3,992 years: 400 decades, but 401 once the first starts on 1760 (found by Hypothesis).
    timeline = count_periods(stored("1769-01-01", "5760-01-01"))
    assert len(timeline.periods) <= MAX_PERIODS and sum(p.count for p in timeline.periods) == 2
    assert timeline.periods[0].start.startswith("1769") and timeline.periods[-1].end.startswith("5760")


def test_terminal_draws_a_row_of_bars_and_scripts_get_lines():
    timeline = count_periods(stored("2017-06-01", "2019-03-12", "2019-03-12", None, "2021-01-10"))
    head, row, axis = timeline_lines(timeline, terminal=True, width=80)
    assert "per month" in head and "1 undated" in head
    assert len(row) == len(timeline.periods) and row[0] == "▄" and row.count("█") == 1 and row.count(" ") == 41
    assert axis.startswith("June 2017") and axis.endswith("January 2021")
    narrow = timeline_lines(timeline, terminal=True, width=20)[1]
    assert len(narrow) <= 20 and "█" in narrow  # several months a character, the largest shown
    plain = timeline_lines(timeline, terminal=False)
    assert plain[0] == "2017-06\t1" and len(plain) == len(timeline.periods)
    assert timeline_lines(count_periods(stored(None)), terminal=True) == ["timeline: no dated matches (1 undated)"]


def test_a_date_range_asked_for_stretches_the_timeline_over_it():
    march = (datetime_to_long(datetime(2019, 3, 1)), datetime_to_long(datetime(2019, 3, 31, 23, 59, 59)))
    timeline = count_periods(stored("2019-03-12", "2019-03-12"), "auto", *march)
    assert timeline.interval == "day" and len(timeline.periods) == 31
    assert [(p.start, p.count) for p in timeline.periods if p.count] == [("2019-03-12", 2)]
    year = count_periods(stored("2019-03-12"), "auto", datetime_to_long(datetime(2019, 1, 1)), None)
    assert year.interval == "month" and year.periods[0].start == "2019-01" and year.periods[-1].start == "2019-03"


def test_most_of_the_index_is_counted_by_what_it_leaves_out_to_the_same_counts(news_index):
    # A match set holding most live documents is counted from the ones it leaves out; any other
    # directly. Both must give what counting the matches one by one gives.
    with open_snapshot(news_index) as snapshot:
        live = snapshot.live_docs()
        rng = np.random.default_rng(7)
        for share in (0.0, 0.2, 0.6, 0.9, 1.0):
            docs = np.sort(rng.choice(live, int(len(live) * share), replace=False))
            counter = MatchCounter(snapshot, docs)
            assert counter.left_out == (share > 0.5)
            facets = count_facets(counter)
            for name, fieldname in FACET_FIELDS.items():
                values, codes = snapshot.column_codes(fieldname)
                expected = Counter(values[c] for c in codes[docs].tolist())
                assert dict(facets[name]) == {k: n for k, n in expected.items() if k}
            assert count_timeline(counter) == count_periods(snapshot.date_numbers()[docs])
