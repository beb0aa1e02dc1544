"""The board's time window: an as-of day, the current week or month up to it, and the one before."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from ..errors import UnknownOptionError
from .errors import SegmentInputError

Granularity = Literal["week", "month"]
GRANULARITIES: tuple[str, ...] = ("week", "month")


def bucket_of(days: pd.Series | pd.DatetimeIndex, granularity: str) -> pd.Series:
    """The first day of the ISO week (Monday) or the month each local day falls in."""
    d = pd.Series(pd.to_datetime(days)).dt.normalize()
    if granularity == "week":
        return d - pd.to_timedelta(d.dt.day_of_week, unit="D")
    return pd.Series(d.dt.to_period("M").dt.to_timestamp(), index=d.index)


def _day(value: Any) -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (TypeError, ValueError) as err:
        raise SegmentInputError(f"as-of date {value!r} is not a date; write it year first, e.g. 2026-10-25") from err
    if pd.isna(day):
        raise SegmentInputError("the as-of date is missing")
    return (day.tz_localize(None) if day.tzinfo is not None else day).normalize()


@dataclass(frozen=True)
class Window:
    """The as-of day (local, naive midnight), the current period up to it and the previous period.

    Attributes
    ----------
    as_of : the last day counted (inclusive).
    granularity : ``"week"`` (ISO week, Monday–Sunday) or ``"month"``.
    start : first day of the current period (the week or month holding ``as_of``).
    prev_start, prev_end : first and last day of the previous whole week or month.
    """

    as_of: pd.Timestamp
    granularity: Granularity
    start: pd.Timestamp
    prev_start: pd.Timestamp
    prev_end: pd.Timestamp

    @property
    def end_instant(self) -> pd.Timestamp:
        """The last instant of the as-of day (what RFM's ``observation_end`` is)."""
        return self.as_of + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)

    @property
    def prev_end_instant(self) -> pd.Timestamp:
        """The last instant of the previous period."""
        return self.prev_end + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1)


def window(as_of: Any, granularity: str = "week") -> Window:
    """The window of ``as_of`` (a date, ``"2026-10-25"``) at ``granularity`` ("week" or "month").

    Raises
    ------
    UnknownOptionError
        ``granularity`` is neither "week" nor "month".
    SegmentInputError
        ``as_of`` is not a date.
    """
    if granularity not in GRANULARITIES:
        raise UnknownOptionError("granularity", granularity, GRANULARITIES)
    day = _day(as_of)
    start = bucket_of(pd.Series([day]), granularity).iloc[0]
    prev_end = start - pd.Timedelta(days=1)
    prev_start = bucket_of(pd.Series([prev_end]), granularity).iloc[0]
    return Window(day, granularity, start, prev_start, prev_end)  # type: ignore[arg-type]
