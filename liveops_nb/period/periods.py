"""Periods of the review: a day (``2026-10-12``), an ISO week (``2026-W41``), a month (``2026-10``) or a quarter
(``2026-Q4``), and the sessions in them.

A session belongs to the period its local start day falls in (the engine's ``day`` / ``week`` /
``month`` groupings, :mod:`liveops_nb.engine.grains`). A :class:`Period` knows its label, first and last
day, its engine filter (``where``), the previous period and the same period one *cycle* earlier:

=========  ===================================  ==========================================
grain      previous period                      one cycle earlier
=========  ===================================  ==========================================
day        the day before                       the same weekday one week earlier
week       the week before                      four weeks earlier
month      the month before                     the same month one year earlier
quarter    the quarter before                   the same quarter one year earlier
=========  ===================================  ==========================================
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..errors import PeriodError, did_you_mean

if TYPE_CHECKING:
    from ..dataset import Dataset

Grain = Literal["day", "week", "month", "quarter"]
GRAINS: tuple[str, ...] = ("day", "week", "month", "quarter")
CYCLE: dict[str, tuple[str, int]] = {"day": ("day", 7), "week": ("week", 4), "month": ("month", 12),
                                     "quarter": ("quarter", 4)}
"""Grain -> how far back "the same period one cycle earlier" is (in periods of that grain)."""

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Period:
    """One period: its grain and its first day (local, midnight).

    Attributes
    ----------
    grain : "day", "week", "month" or "quarter".
    start : the first day (a Monday for a week, the 1st for a month or quarter).
    """

    grain: str
    start: pd.Timestamp

    # ------------------------------------------------------------------ naming
    @property
    def label(self) -> str:
        """``2026-10-12``, ``2026-W41``, ``2026-10`` or ``2026-Q4``."""
        if self.grain == "day":
            return f"{self.start:%Y-%m-%d}"
        if self.grain == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.grain == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"

    def __str__(self) -> str:
        return self.label

    # ------------------------------------------------------------------ days
    @property
    def end(self) -> pd.Timestamp:
        """The last day of the period (inclusive)."""
        return self.shift(1).start - pd.Timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return int((self.end - self.start).days) + 1

    def contains(self, day: pd.Timestamp) -> bool:
        """Whether local day ``day`` falls in the period."""
        return bool(self.start <= pd.Timestamp(day).normalize() <= self.end)

    # ------------------------------------------------------------------ neighbours
    def shift(self, n: int) -> Period:
        """The period ``n`` periods later (negative: earlier)."""
        if self.grain == "day":
            return Period("day", self.start + pd.Timedelta(days=n))
        if self.grain == "week":
            return Period("week", self.start + pd.Timedelta(weeks=n))
        months = n if self.grain == "month" else 3 * n
        return Period(self.grain, self.start + pd.DateOffset(months=months))

    @property
    def previous(self) -> Period:
        """The period before."""
        return self.shift(-1)

    @property
    def next(self) -> Period:
        """The period after (the plan's period)."""
        return self.shift(1)

    @property
    def cycle_earlier(self) -> Period:
        """The same period one cycle earlier (see the module docstring)."""
        return self.shift(-CYCLE[self.grain][1])

    # ------------------------------------------------------------------ engine filters
    def where(self) -> dict[str, Any]:
        """The engine filter selecting the period's sessions (``ds.kpis(..., where=period.where())``)."""
        if self.grain == "quarter":
            return {"month": [self.start + pd.DateOffset(months=i) for i in range(3)]}
        return {self.grain: self.start}

    def mask(self, dims: pd.DataFrame) -> pd.Series:
        """Rows of ``ds.session_dims`` in the period."""
        return (dims["day"] >= self.start) & (dims["day"] <= self.end)


def parse(label: str | pd.Timestamp, grain: str | None = None) -> Period:
    """The period named by ``label``: ``2026-10-12`` (day), ``2026-W41`` (ISO week), ``2026-10`` (month), ``2026-Q4``.

    Parameters
    ----------
    label : the period's label (a date with ``grain`` "week" or "month" names the period containing it).
    grain : expected grain; None: the label's own.

    Raises
    ------
    PeriodError
        Not a period label, or a label of another grain than ``grain``.
    """
    if grain is not None and grain not in GRAINS:
        raise PeriodError(f"granularity must be one of {', '.join(GRAINS)}, not {grain!r}"
                          f"{did_you_mean(grain, GRAINS)}")
    text = str(label).strip() if not isinstance(label, pd.Timestamp) else f"{label:%Y-%m-%d}"
    try:
        if m := _WEEK.match(text):
            period = Period("week", pd.Timestamp.fromisocalendar(int(m[1]), int(m[2]), 1))
        elif m := _QUARTER.match(text):
            period = Period("quarter", pd.Timestamp(int(m[1]), 3 * int(m[2]) - 2, 1))
        elif m := _MONTH.match(text):
            period = Period("month", pd.Timestamp(int(m[1]), int(m[2]), 1))
        elif m := _DAY.match(text):
            day = pd.Timestamp(int(m[1]), int(m[2]), int(m[3]))
            period = containing(day, grain or "day")
        else:
            raise ValueError(text)
    except ValueError:
        raise PeriodError(f"period must look like 2026-10-12 (day), 2026-W41 (ISO week), 2026-10 (month) or "
                          f"2026-Q4 (quarter), not {label!r}") from None
    if grain is not None and period.grain != grain:
        raise PeriodError(f"period {text!r} is a {period.grain}, but the granularity is {grain}")
    return period


def containing(day: pd.Timestamp, grain: str) -> Period:
    """The period of ``grain`` that contains local day ``day``."""
    day = pd.Timestamp(day)
    day = (day.tz_localize(None) if day.tzinfo else day).normalize()
    if grain == "day":
        return Period("day", day)
    if grain == "week":
        return Period("week", day - pd.Timedelta(days=day.day_of_week))
    if grain == "month":
        return Period("month", day.replace(day=1))
    if grain == "quarter":
        return Period("quarter", day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1))
    raise PeriodError(f"granularity must be one of {', '.join(GRAINS)}, not {grain!r}{did_you_mean(grain, GRAINS)}")


def periods_with_sessions(ds: Dataset, grain: str, rooms: Iterable[str] = ()) -> list[Period]:
    """Every period of ``grain`` with at least one session (of ``rooms``, if given), oldest first."""
    dims = ds.session_dims
    rooms = tuple(rooms)
    if rooms:
        dims = dims[dims["room_id"].isin(rooms)]
    return sorted({containing(d, grain) for d in pd.to_datetime(dims["day"]).unique()})


def resolve(ds: Dataset, period: str | pd.Timestamp | None = "", grain: str = "week",
            rooms: Iterable[str] = ()) -> Period:
    """The period ``period`` of ``grain`` (checked: it has sessions); empty: the latest period with sessions.

    Raises
    ------
    PeriodError
        A malformed label, or no session of ``rooms`` in the period (the message lists the periods that have some).
    """
    known = periods_with_sessions(ds, grain, rooms)
    if not known:
        raise PeriodError("no session in this dataset" + (f" for rooms {', '.join(rooms)}" if rooms else ""))
    if period is None or (isinstance(period, str) and not period.strip()):
        return known[-1]
    chosen = parse(period, grain)
    if chosen not in known:
        labels = [p.label for p in known]
        raise PeriodError(f"no session in {chosen.label}; {grain}s with sessions: {', '.join(labels[-12:])}")
    return chosen


def check_rooms(ds: Dataset, rooms: str | Iterable[str] | None) -> tuple[str, ...]:
    """``rooms`` (comma-separated text or a list; empty: all rooms) as a checked tuple of room ids.

    Raises
    ------
    PeriodError
        An unknown room id (with a did-you-mean and the known rooms).
    """
    if rooms is None:
        return ()
    items = [r.strip() for r in rooms.split(",")] if isinstance(rooms, str) else [str(r).strip() for r in rooms]
    items = [r for r in items if r]
    known = sorted(ds.session_dims["room_id"].unique().tolist())
    for r in items:
        if r not in known:
            raise PeriodError(f"room '{r}' is not in this dataset.{did_you_mean(r, known)} Rooms: {', '.join(known)}.")
    return tuple(dict.fromkeys(items))


def elapsed_days(ds: Dataset, period: Period, as_of: pd.Timestamp | None = None) -> int:
    """Days of ``period`` up to ``as_of`` (default: the dataset's last session day), between 0 and ``period.days``."""
    last = pd.Timestamp(as_of).normalize() if as_of is not None else pd.Timestamp(ds.session_dims["day"].max())
    return int(min(max((last - period.start).days + 1, 0), period.days))
