"""RFM per customer with buy-till-you-die summary semantics (:func:`rfm_summary`).

The same summary as ``summary_data_from_transaction_data`` of the *lifetimes* package
(C. Davidson-Pilon, ``lifetimes/utils.py``, v0.11.3), with a monetary column always given:

* every transaction is put in its *period* (``freq``: a local day ``"D"``, or an ISO week
  Monday–Sunday ``"W"``); purchases of one customer in the same period count as **one** purchase,
  their amounts **summed**;
* ``frequency`` — the number of periods with a purchase *after the first* (repeat purchase periods);
* ``recency`` — periods from the first purchase period to the last (0 without repeats);
* ``T`` — periods from the first purchase period to the period of ``observation_end``;
* ``monetary_value`` — the mean summed amount of the repeat purchase periods (the first period is
  left out); 0 for a customer without repeats;
* transactions after ``observation_end`` are ignored (a customer whose purchases all come later is
  absent).

Times are compared on the wall clock of one time zone: timezone-aware transaction times are read in
the zone of ``observation_end`` when that is aware, otherwise in their own zone (and a naive
``observation_end`` in that zone); naive times are taken as they are (an aware ``observation_end``
then by its own wall clock).
"""
from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import UnknownOptionError
from .errors import SegmentInputError

Freq = Literal["D", "W"]
FREQS: tuple[str, ...] = ("D", "W")
COLUMNS: tuple[str, ...] = ("frequency", "recency", "T", "monetary_value")
_UNIT = {"D": pd.Timedelta(days=1), "W": pd.Timedelta(days=7)}


def _period_start(times: pd.Series, freq: str) -> pd.Series:
    """The first instant (naive, local) of the day or ISO week each time falls in."""
    day = times.dt.normalize()
    if freq == "W":
        day = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    return day


def _wall_clock(times: pd.Series, end: pd.Timestamp) -> tuple[pd.Series, pd.Timestamp]:
    """Times and end as naive wall-clock values of one zone (rules in the module docstring)."""
    tz = times.dt.tz
    if tz is not None:
        if end.tzinfo is None:
            end = end.tz_localize(tz)
        times = times.dt.tz_convert(end.tzinfo).dt.tz_localize(None)
        return times, end.tz_localize(None)
    return times, (end.tz_localize(None) if end.tzinfo is not None else end)


def _checked(transactions: pd.DataFrame, customer_col: str, time_col: str, amount_col: str,
             observation_end: Any, freq: str) -> tuple[pd.DataFrame, pd.Timestamp]:
    if freq not in FREQS:
        raise UnknownOptionError("freq", freq, FREQS)
    if not isinstance(transactions, pd.DataFrame):
        raise SegmentInputError(f"transactions must be a pandas DataFrame, not {type(transactions).__name__}")
    absent = [c for c in (customer_col, time_col, amount_col) if c not in transactions.columns]
    if absent:
        raise SegmentInputError(f"transactions have no column {', '.join(map(repr, absent))}; "
                                f"its columns are: {', '.join(map(str, transactions.columns))}")
    try:
        end = pd.Timestamp(observation_end)
    except (TypeError, ValueError) as err:
        raise SegmentInputError(f"observation_end {observation_end!r} is not a date or time") from err
    if pd.isna(end):
        raise SegmentInputError("observation_end is missing (NaT); give the last instant to count")
    try:
        col = transactions[time_col]
        times = col if pd.api.types.is_datetime64_any_dtype(col) else pd.to_datetime(col, format="ISO8601")
    except (TypeError, ValueError) as err:
        raise SegmentInputError(f"column {time_col!r} holds values that are not times: {err}") from err
    amounts = pd.to_numeric(transactions[amount_col], errors="coerce").astype("float64")
    bad = times.isna() | ~np.isfinite(amounts) | transactions[customer_col].isna()
    if bad.any():
        rows = transactions.loc[bad, [customer_col, time_col, amount_col]].head(5).to_dict("records")
        raise SegmentInputError(f"{int(bad.sum())} transaction(s) lack a customer, a time or a finite amount, "
                                f"e.g. {rows}; drop or fix them first")
    times, end = _wall_clock(times, end)
    frame = pd.DataFrame({"customer": transactions[customer_col].to_numpy(), "time": times.to_numpy(),
                          "amount": amounts.to_numpy()})
    return frame, end


def rfm_summary(transactions: pd.DataFrame, *, customer_col: str, time_col: str, amount_col: str,
                observation_end: Any, freq: Freq = "D") -> pd.DataFrame:
    """Frequency, recency, T and monetary value per customer (buy-till-you-die summary semantics).

    Parameters
    ----------
    transactions : one row per purchase.
    customer_col : column naming the customer.
    time_col : column with the purchase time (timestamps, or ISO text such as ``2026-10-01 20:00``).
    amount_col : column with the amount paid (finite numbers).
    observation_end : the last instant observed; later transactions are ignored.
    freq : ``"D"`` (local days) or ``"W"`` (ISO weeks, Monday–Sunday): the period and the unit of the results.

    Returns
    -------
    DataFrame
        One row per customer with a purchase up to ``observation_end``, indexed by customer (index
        named ``customer_col``, sorted), float columns ``frequency``, ``recency``, ``T`` and
        ``monetary_value`` — definitions in the module docstring.

    Raises
    ------
    SegmentInputError
        A column is missing, or a row lacks a customer, a time or a finite amount, or
        ``observation_end`` is not a time.
    UnknownOptionError
        ``freq`` is not ``"D"`` or ``"W"``.

    Examples
    --------
    Customer a buys twice on day 1 (one purchase period, ¥30 in all) and on day 3 (¥5); b once:

    >>> tx = pd.DataFrame({"c": ["a", "a", "a", "b"], "t": ["2026-10-01 09:00", "2026-10-01 20:00",
    ...                    "2026-10-03", "2026-10-02"], "x": [10.0, 20.0, 5.0, 7.0]})
    >>> rfm_summary(tx, customer_col="c", time_col="t", amount_col="x", observation_end="2026-10-05")
       frequency  recency    T  monetary_value
    c
    a        1.0      2.0  4.0             5.0
    b        0.0      0.0  3.0             0.0
    """
    frame, end = _checked(transactions, customer_col, time_col, amount_col, observation_end, freq)
    frame = frame[frame["time"] <= end]
    unit = _UNIT[freq]
    frame = frame.assign(period=_period_start(frame["time"], freq))
    periods = frame.groupby(["customer", "period"], sort=True)["amount"].sum().reset_index()
    if periods.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in COLUMNS})
        out.index = pd.Index([], name=customer_col, dtype=transactions[customer_col].dtype)
        return out
    by = periods.groupby("customer", sort=True)
    first, last, count = by["period"].min(), by["period"].max(), by["period"].size()
    end_period = _period_start(pd.Series([end]), freq).iloc[0]
    repeats = periods[periods["period"] > periods["customer"].map(first)]
    monetary = repeats.groupby("customer")["amount"].mean().reindex(first.index).fillna(0.0)
    out = pd.DataFrame({
        "frequency": (count - 1).astype("float64"),
        "recency": (last - first).dt.total_seconds() / unit.total_seconds(),
        "T": (end_period - first).dt.total_seconds() / unit.total_seconds(),
        "monetary_value": monetary.astype("float64"),
    })
    out.index.name = customer_col
    return out
