"""rfm_summary: buy-till-you-die summary semantics, checked against the published lifetimes tests and by hand.

Reference: the *lifetimes* package (C. Davidson-Pilon), ``tests/test_utils.py`` at v0.11.3
(github.com/CamDavidsonPilon/lifetimes), tests of ``utils.summary_data_from_transaction_data``:
``..._returns_correct_results``, ``..._with_specific_non_daily_frequency``,
``..._with_monetary_values``, ``..._will_choose_the_correct_first_order_to_drop_in_monetary_transactions``
and ``..._squashes_period_purchases_to_one_purchase``. Their inputs and expected values are restated
below (an amount of 0 where the reference has no monetary column); our function always takes one.
"""
from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from liveops_nb.errors import LiveOpsError, UnknownOptionError
from liveops_nb.segments import SegmentInputError, rfm_summary

COLS = ["frequency", "recency", "T", "monetary_value"]


def _rfm(rows, end, freq="D", cols=("id", "date", "amount")):
    df = pd.DataFrame(rows, columns=list(cols))
    return rfm_summary(df, customer_col=cols[0], time_col=cols[1], amount_col=cols[2], observation_end=end, freq=freq)


def _expected(rows, name="id"):
    return pd.DataFrame(rows, columns=[name, *COLS]).set_index(name).astype("float64")


LARGE = [[1, "2015-01-01", 1], [1, "2015-02-06", 2], [2, "2015-01-01", 2], [3, "2015-01-01", 3],
         [3, "2015-01-02", 1], [3, "2015-01-05", 5], [4, "2015-01-16", 6], [4, "2015-02-02", 3],
         [4, "2015-02-05", 3], [5, "2015-01-16", 3], [5, "2015-01-17", 1], [5, "2015-01-18", 8],
         [6, "2015-02-02", 5]]


# ---------------------------------------------------------------- the lifetimes reference
def test_lifetimes_daily_summary():
    rows = [[1, "2015-02-01", 0], [1, "2015-02-06", 0], [2, "2015-01-01", 0], [3, "2015-01-01", 0],
            [3, "2015-01-02", 0], [3, "2015-01-05", 0]]
    got = _rfm(rows, "2015-02-07")
    want = _expected([[1, 1.0, 5.0, 6.0, 0.0], [2, 0.0, 0.0, 37.0, 0.0], [3, 2.0, 4.0, 37.0, 0.0]])
    assert_frame_equal(got, want)


def test_lifetimes_monetary_values():
    # lifetimes: customer 4's repeats are 3 and 3 (mean 3), customer 5's 1 and 8 (4.5); the first purchase never counts
    want = _expected([[1, 1.0, 36.0, 37.0, 2.0], [2, 0.0, 0.0, 37.0, 0.0], [3, 2.0, 4.0, 37.0, 3.0],
                      [4, 2.0, 20.0, 22.0, 3.0], [5, 2.0, 2.0, 22.0, 4.5], [6, 0.0, 0.0, 5.0, 0.0]])
    assert_frame_equal(_rfm(LARGE, "2015-02-07"), want)


def test_lifetimes_weekly_frequency():
    got = _rfm(LARGE, "2015-02-07", freq="W")
    # frequency, recency, T from lifetimes' weekly test (weeks Monday–Sunday; 2015-02-07 is in the week of 02-02)
    assert got[["frequency", "recency", "T"]].values.tolist() == [
        [1.0, 5.0, 5.0], [0.0, 0.0, 5.0], [1.0, 1.0, 5.0], [1.0, 3.0, 3.0], [0.0, 0.0, 3.0], [0.0, 0.0, 0.0]]
    # monetary by hand: 3 buys on 01-01 and 01-02 (week of 12-29: first) and 01-05 (5); 4's two February buys
    # fall in one week (3 + 3 = 6); 5 buys three days of one week (no repeat)
    assert got["monetary_value"].tolist() == [2.0, 0.0, 5.0, 6.0, 0.0, 0.0]


def test_lifetimes_first_purchase_is_the_earliest_whatever_the_row_order():
    ordered = _rfm([[2, "2014-03-14", 10], [2, "2014-04-09", 20], [2, "2014-05-21", 25]], "2014-06-01")
    shuffled = _rfm([[2, "2014-04-09", 20], [2, "2014-03-14", 10], [2, "2014-05-21", 25]], "2014-06-01")
    assert_frame_equal(ordered, shuffled)
    assert ordered.loc[2, "monetary_value"] == 22.5  # (20 + 25) / 2, as in lifetimes


def test_lifetimes_same_period_purchases_are_one():
    got = _rfm([[1, "2015-01-01", 4], [1, "2015-01-01", 6]], "2015-01-10", freq="W")
    assert got.loc[1, "frequency"] == 0.0


# ---------------------------------------------------------------- hand-worked cases
def test_same_day_purchases_merge_and_their_amounts_add_up():
    # a: day 1 twice (10 + 20: the first period), day 3 twice (5 + 7 = 12), day 4 (30) -> repeats 12 and 30
    rows = [["a", "2026-10-01 09:00", 10], ["a", "2026-10-01 21:00", 20], ["a", "2026-10-03 10:00", 5],
            ["a", "2026-10-03 23:59", 7], ["a", "2026-10-04 08:00", 30]]
    got = _rfm(rows, "2026-10-10 12:00")
    assert got.loc["a"].tolist() == [2.0, 3.0, 9.0, 21.0]


def test_single_purchase_customer():
    got = _rfm([["b", "2026-10-02 20:00", 99.0]], "2026-10-05")
    assert got.loc["b"].tolist() == [0.0, 0.0, 3.0, 0.0]


def test_observation_end_sets_T_and_later_transactions_are_ignored():
    rows = [["a", "2026-10-01", 10], ["a", "2026-10-05", 20], ["a", "2026-10-08", 40], ["c", "2026-10-09", 5]]
    got = _rfm(rows, "2026-10-06 12:00")
    # a: only 10-01 and 10-05 count; T = 10-01 .. 10-06 = 5 days; c bought only after the end: absent
    assert list(got.index) == ["a"]
    assert got.loc["a"].tolist() == [1.0, 4.0, 5.0, 20.0]
    # the end is inclusive: a purchase at the very instant counts
    assert _rfm(rows, "2026-10-08 00:00").loc["a"].tolist() == [2.0, 7.0, 7.0, 30.0]


def test_weeks_are_monday_to_sunday():
    # Sunday 10-04 and Monday 10-05 are different ISO weeks; 10-05 and Sunday 10-11 the same one
    rows = [["a", "2026-10-04", 1], ["a", "2026-10-05", 2], ["a", "2026-10-11", 3]]
    got = _rfm(rows, "2026-10-20", freq="W")
    assert got.loc["a"].tolist() == [1.0, 1.0, 3.0, 5.0]  # T: week of 09-28 .. week of 10-19


def test_time_zones_follow_the_observation_end():
    # 2026-10-01 23:30 in Shanghai is 15:30 UTC; read in Shanghai it is day 10-01, the next buy day 10-02
    times = pd.to_datetime(["2026-10-01 15:30", "2026-10-02 01:00"]).tz_localize("UTC")
    df = pd.DataFrame({"u": ["a", "a"], "t": times, "x": [1.0, 2.0]})
    sh = rfm_summary(df, customer_col="u", time_col="t", amount_col="x",
                     observation_end=pd.Timestamp("2026-10-03", tz="Asia/Shanghai"))
    assert sh.loc["a"].tolist() == [1.0, 1.0, 2.0, 2.0]
    utc = rfm_summary(df, customer_col="u", time_col="t", amount_col="x",
                      observation_end=pd.Timestamp("2026-10-03", tz="UTC"))
    assert utc.loc["a"].tolist() == [1.0, 1.0, 2.0, 2.0]  # 10-01 and 10-02 in UTC as well
    naive_end = rfm_summary(df, customer_col="u", time_col="t", amount_col="x", observation_end="2026-10-02 08:59")
    # a naive end is read in the times' own zone (UTC): 10-02 01:00 counts, T = 1 day
    assert naive_end.loc["a"].tolist() == [1.0, 1.0, 1.0, 2.0]


def test_empty_result_keeps_the_columns():
    got = _rfm([["a", "2026-10-09", 1]], "2026-10-01")
    assert got.empty and list(got.columns) == COLS and got.index.name == "id"


# ---------------------------------------------------------------- refusals
def test_bad_input_is_refused_with_the_package_errors():
    rows = [["a", "2026-10-01", 1.0]]
    paid = pd.DataFrame(rows, columns=["id", "date", "paid"])
    with pytest.raises(SegmentInputError, match="'amount'.*columns are: id, date, paid"):
        rfm_summary(paid, customer_col="id", time_col="date", amount_col="amount", observation_end="2026-10-02")
    with pytest.raises(UnknownOptionError):
        _rfm(rows, "2026-10-02", freq="M")
    with pytest.raises(SegmentInputError, match="finite amount"):
        _rfm([["a", "2026-10-01", float("nan")]], "2026-10-02")
    with pytest.raises(SegmentInputError, match="not times"):
        _rfm([["a", "yesterday", 1.0]], "2026-10-02")
    with pytest.raises(SegmentInputError, match="observation_end"):
        _rfm(rows, "not a date")
    err = pytest.raises(LiveOpsError, _rfm, rows, None)
    assert isinstance(err.value, ValueError)


def test_docstring_example_runs():
    import doctest

    from liveops_nb.segments import rfm

    result = doctest.testmod(rfm, extraglobs={"pd": pd}, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 2 and result.failed == 0
