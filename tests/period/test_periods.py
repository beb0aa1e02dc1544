"""Period labels, their days and neighbours (hand-checked against the calendar), and resolving them on tiny."""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.errors import PeriodError
from liveops_nb.period import check_rooms, parse, periods_with_sessions, resolve
from liveops_nb.period.periods import containing, elapsed_days


def test_iso_week():
    w = parse("2026-W41")  # 2026-01-01 is a Thursday: week 1 starts 2025-12-29; + 40 weeks = 2026-10-05
    assert (w.grain, w.start, w.end, w.days) == ("week", pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-11"), 7)
    assert w.previous.label == "2026-W40" and w.cycle_earlier.label == "2026-W37" and w.next.label == "2026-W42"
    assert parse("2026-w53").start == pd.Timestamp("2026-12-28")  # 2026 has 53 ISO weeks
    assert parse("2026-W53").next.label == "2027-W01"


def test_month_day_quarter():
    m = parse("2026-10")
    assert (m.start, m.days, m.previous.label, m.cycle_earlier.label) == (pd.Timestamp("2026-10-01"), 31, "2026-09", "2025-10")
    d = parse("2026-10-12")
    assert (d.grain, d.days, d.previous.label, d.cycle_earlier.label) == ("day", 1, "2026-10-11", "2026-10-05")
    q = parse("2026-Q4")
    assert (q.start, q.days, q.previous.label, q.cycle_earlier.label) == (pd.Timestamp("2026-10-01"), 92, "2026-Q3", "2025-Q4")
    assert q.where() == {"month": [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-11-01"), pd.Timestamp("2026-12-01")]}
    assert parse("2026-10-14", "week").label == "2026-W42"  # a date names the week containing it
    assert containing(pd.Timestamp("2026-02-28"), "month").end == pd.Timestamp("2026-02-28")


@pytest.mark.parametrize("label", ["2026/10", "W41", "2026-13", "2026-W60", "2026-02-30", "last week"])
def test_bad_labels_are_refused(label):
    with pytest.raises(PeriodError, match="period must look like"):
        parse(label)


def test_grain_mismatch_and_unknown_grain():
    with pytest.raises(PeriodError, match="is a month, but the granularity is week"):
        parse("2026-10", "week")
    with pytest.raises(PeriodError, match="granularity must be one of"):
        parse("2026-10", "fortnight")


def test_resolve_on_tiny(tiny_ds):
    assert resolve(tiny_ds, "", "week").label == "2026-W37"
    assert resolve(tiny_ds, "", "day").label == "2026-09-08"
    assert [p.label for p in periods_with_sessions(tiny_ds, "day")] == ["2026-09-07", "2026-09-08"]
    assert resolve(tiny_ds, "2026-09", "month").label == "2026-09"
    with pytest.raises(PeriodError, match="no session in 2026-W38; weeks with sessions: 2026-W37"):
        resolve(tiny_ds, "2026-W38", "week")


def test_rooms_and_elapsed_days(tiny_ds):
    assert check_rooms(tiny_ds, " R1, ,R1") == ("R1",) and check_rooms(tiny_ds, "") == ()
    with pytest.raises(PeriodError, match="room 'R2' is not in this dataset"):
        check_rooms(tiny_ds, ["R2"])
    # the data run to 2026-09-08: 2 days of the week of 09-07, 8 of September, all of the 7th
    assert elapsed_days(tiny_ds, parse("2026-W37")) == 2
    assert elapsed_days(tiny_ds, parse("2026-09")) == 8
    assert elapsed_days(tiny_ds, parse("2026-09-07")) == 1
    assert elapsed_days(tiny_ds, parse("2026-W38")) == 0
