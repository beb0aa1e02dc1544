"""Cohort retention, new vs returning over time and spending tiers: hand-worked small data."""
from __future__ import annotations

import math

import pandas as pd

from liveops_nb.segments import cohort_retention, new_vs_returning, spending_tiers, window

D = pd.Timestamp


def test_cohort_triangle():
    purchases = pd.DataFrame({"user_id": ["a", "a", "b", "c", "c", "c", "d"],
                              "day": [D("2026-09-03"), D("2026-10-05"), D("2026-09-20"), D("2026-10-01"),
                                      D("2026-10-02"), D("2026-11-01"), D("2026-11-20")]})
    got = cohort_retention(purchases, D("2026-11-10"))  # d buys after the as-of day: not counted
    cells = {(f"{r.cohort:%Y-%m}", r.offset): (r.cohort_buyers, r.buyers, r.retention) for r in got.itertuples()}
    assert cells == {("2026-09", 0): (2, 2, 1.0), ("2026-09", 1): (2, 1, 0.5), ("2026-09", 2): (2, 0, 0.0),
                     ("2026-10", 0): (1, 1, 1.0), ("2026-10", 1): (1, 1, 1.0)}
    assert cohort_retention(purchases.iloc[:0], D("2026-11-10")).empty


def _daily(rows):
    df = pd.DataFrame(rows, columns=["day", "user_id", "viewer", "buyer", "gmv"])
    df["day"] = pd.to_datetime(df["day"])
    return df


def test_new_and_returning_per_week():
    daily = _daily([
        ("2026-09-01", "a", True, False, 0.0),   # Tuesday, week of 08-31
        ("2026-09-02", "a", True, True, 50.0),
        ("2026-09-03", "b", True, False, 0.0),
        ("2026-09-08", "a", True, True, 30.0),   # week of 09-07: a returns as viewer and buyer
        ("2026-09-09", "c", True, False, 0.0),   # c new
        ("2026-09-10", "b", False, True, 20.0),  # b buys without a view that day: a new buyer, not a viewer of the week
        ("2026-09-14", "c", True, False, 0.0),   # after the as-of day: ignored
    ])
    got = new_vs_returning(daily, window("2026-09-13", "week")).set_index("bucket")
    w1, w2 = got.loc[D("2026-08-31")], got.loc[D("2026-09-07")]
    assert (w1.viewers, w1.new_viewers, w1.returning_viewers, w1.buyers, w1.new_buyers) == (2, 2, 0, 1, 1)
    assert w1.returning_viewer_share == 0.0 and w1.returning_buyer_share == 0.0
    assert (w2.viewers, w2.new_viewers, w2.returning_viewers) == (2, 1, 1)
    assert (w2.buyers, w2.new_buyers, w2.returning_buyers) == (2, 1, 1)
    assert w2.returning_viewer_share == 0.5 and w2.returning_buyer_share == 0.5
    assert len(got) == 2


def test_spending_tiers_bounds_belong_to_the_upper_tier():
    daily = _daily([
        ("2026-09-07", "a", True, True, 60.0), ("2026-09-08", "a", True, True, 40.0),  # a: ¥100 in the week
        ("2026-09-07", "b", True, True, 99.99),
        ("2026-09-09", "c", True, True, 1000.0),
        ("2026-09-09", "d", True, False, 0.0),   # viewer only
        ("2026-09-01", "e", True, True, 500.0),  # before the period
    ])
    got = spending_tiers(daily, D("2026-09-07"), D("2026-09-13"), (100.0, 300.0, 1000.0))
    assert got["buyers"].tolist() == [1, 1, 0, 1]
    assert got["gmv"].tolist() == [99.99, 100.0, 0.0, 1000.0]
    assert got["buyer_share"].tolist() == [1 / 3, 1 / 3, 0.0, 1 / 3]
    assert math.isclose(got["gmv_share"].iloc[3], 1000.0 / 1199.99)
    assert got["upper"].iloc[-1] == float("inf")


def test_window_of_a_week_and_a_month():
    w = window("2026-10-14", "week")  # a Wednesday
    assert (w.start, w.prev_start, w.prev_end) == (D("2026-10-12"), D("2026-10-05"), D("2026-10-11"))
    m = window("2026-03-05", "month")
    assert (m.start, m.prev_start, m.prev_end) == (D("2026-03-01"), D("2026-02-01"), D("2026-02-28"))
