"""The landing page's numbers: which sessions the filters keep, their totals, weeks and rooms.

Data in, frames out — no words, no HTML. Every KPI comes from ``ds.kpis`` (totals over the
kept sessions, per week, per room and week: people are counted once by the engine); the
week-over-week change is :func:`liveops_nb.measures.relative_gap` of two engine values.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from ..errors import UnknownOptionError
from ..measures import relative_gap

if TYPE_CHECKING:
    from ..dataset import Dataset

KEYS: tuple[str, ...] = ("gmv", "uv", "pcu", "avg_watch_seconds", "gpm", "click_to_order_rate", "refund_rate")
"""The KPIs of the session table, its totals row and the week groups (registry keys)."""
TREND_KEYS: tuple[str, ...] = ("gmv", "uv", "gpm")
"""The KPIs of the per-room trend table (latest week, week-over-week change)."""
SORTS: tuple[str, ...] = ("start_time", *KEYS)
"""What the session table can be sorted by."""
Group = Literal["week", "room", "none"]
GROUPS: tuple[str, ...] = ("week", "room", "none")
"""How the session table is grouped: by ISO week, by room, or one list in pages."""


@dataclass(frozen=True)
class Filters:
    """Which sessions the landing page shows: rooms and hosts (empty = all), first and last local day."""

    room: str = ""
    host: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Order:
    """How the session table is ordered and cut: sort column, direction, grouping, page (from 0) and page size."""

    by: str = "start_time"
    descending: bool = True
    group: Group = "week"
    page: int = 0
    page_size: int = 25

    def __post_init__(self) -> None:
        if self.by not in SORTS:
            raise UnknownOptionError("the session table's sort column", self.by, SORTS)
        if self.group not in GROUPS:
            raise UnknownOptionError("the session table's grouping", self.group, GROUPS)


def keep(sessions: pd.DataFrame, f: Filters) -> pd.DataFrame:
    """The rows of ``ds.sessions()`` that pass the filters (their order kept)."""
    s = sessions
    if f.room:
        s = s[s.room_id == f.room]
    if f.host:
        s = s[s.host == f.host]
    day = pd.to_datetime(s.date)
    if f.since is not None:
        s = s[day >= pd.Timestamp(f.since)]
        day = pd.to_datetime(s.date)
    if f.until is not None:
        s = s[day <= pd.Timestamp(f.until)]
    return s


def week_of(day: pd.Series) -> pd.Series:
    """The Monday of each local day's ISO week (what ``ds.kpis(by="week")`` returns)."""
    d = pd.to_datetime(day)
    return (d - pd.to_timedelta(d.dt.day_of_week, unit="D")).dt.normalize()


def _where(ds_sessions: pd.DataFrame, kept: pd.DataFrame) -> dict:
    """The engine filter for the kept sessions ({} when every session is kept: the cheaper query)."""
    if len(kept) == len(ds_sessions):
        return {}
    return {"session_id": kept.session_id.astype(str).tolist() or ["\0"]}


def totals(ds: Dataset, sessions: pd.DataFrame, kept: pd.DataFrame) -> pd.Series:
    """``KEYS`` over every kept session at once (one row of ``ds.kpis``; NaN when none is kept)."""
    if kept.empty:
        return pd.Series(float("nan"), index=list(KEYS))
    return ds.kpis(list(KEYS), by=[], where=_where(sessions, kept)).iloc[0][list(KEYS)]


def weekly(ds: Dataset, sessions: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """One row per ISO week of the kept sessions: ``week`` (Monday), ``sessions``, ``KEYS`` and the
    week-over-week change of each key (``<key>_wow``, against the calendar week before; NaN when that
    week has no session), newest week first."""
    if kept.empty:
        return pd.DataFrame(columns=["week", "sessions", *KEYS, *(f"{k}_wow" for k in KEYS)])
    k = ds.kpis(list(KEYS), by=["week"], where=_where(sessions, kept))
    k["week"] = pd.to_datetime(k["week"])
    counts = week_of(kept.date).value_counts()
    k["sessions"] = k["week"].map(counts).fillna(0).astype(int)
    k = k.sort_values("week").reset_index(drop=True)
    before = k.set_index("week")
    for key in KEYS:
        prev = (k["week"] - pd.Timedelta(weeks=1)).map(before[key])
        k[f"{key}_wow"] = [relative_gap(v, p) for v, p in zip(k[key], prev, strict=True)]
    return k.sort_values("week", ascending=False).reset_index(drop=True)


def room_trends(ds: Dataset, sessions: pd.DataFrame, kept: pd.DataFrame) -> tuple[pd.DataFrame, list]:
    """Per room: the latest week's ``TREND_KEYS``, their change against the week before, and the weekly GMV.

    Returns ``(frame, weeks)``: ``frame`` has one row per room with ``room_id``, ``room_name``,
    ``hosts`` (names, joined), ``sessions`` (in the latest week), ``<key>`` and ``<key>_wow`` for
    the latest week, and ``spark`` (the room's GMV in each of ``weeks``, 0 for a week without a
    session); ``weeks`` lists the Mondays of every week from the first to the latest kept one.
    The latest week is the newest week of any kept session (the same week for every room).
    """
    cols = ["room_id", "room_name", "hosts", "sessions", *TREND_KEYS, *(f"{k}_wow" for k in TREND_KEYS), "spark"]
    if kept.empty:
        return pd.DataFrame(columns=cols), []
    k = ds.kpis(list(KEYS), by=["room_id", "week"], where=_where(sessions, kept))
    k["week"] = pd.to_datetime(k["week"])
    first, last = k["week"].min(), k["week"].max()
    weeks = list(pd.date_range(first, last, freq="7D"))
    kept_weeks = kept.assign(week=week_of(kept.date))
    rows = []
    for room_id, part in kept.groupby("room_id", sort=False):
        by_week = k[k.room_id == room_id].set_index("week")
        row = {"room_id": room_id, "room_name": part.room_name.iloc[0],
               "hosts": "、".join(dict.fromkeys(part.host.astype(str))),
               "sessions": int(((kept_weeks.room_id == room_id) & (kept_weeks.week == last)).sum())}
        for key in TREND_KEYS:
            now = by_week[key].get(last, float("nan"))
            prev = by_week[key].get(last - pd.Timedelta(weeks=1), float("nan"))
            row[key], row[f"{key}_wow"] = now, relative_gap(now, prev)
        row["spark"] = by_week["gmv"].reindex(weeks).fillna(0.0).astype(float).tolist()
        rows.append(row)
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values("gmv", ascending=False, na_position="last").reset_index(drop=True), weeks


def by_room(ds: Dataset, sessions: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """``KEYS`` per room over the kept sessions (one ``ds.kpis`` row per room), indexed by ``room_id``."""
    if kept.empty:
        return pd.DataFrame(columns=list(KEYS))
    return ds.kpis(list(KEYS), by=["room_id"], where=_where(sessions, kept)).set_index("room_id")


def ordered(kept: pd.DataFrame, o: Order) -> pd.DataFrame:
    """The kept sessions sorted by ``o.by`` (missing values last), newest first among equals."""
    s = kept.sort_values("start_time", ascending=False, kind="stable")
    return s.sort_values(o.by, ascending=not o.descending, na_position="last", kind="stable")


def groups(kept: pd.DataFrame, o: Order) -> list[tuple[Any, pd.DataFrame]]:
    """The sorted sessions cut into groups: ``(week Monday, rows)`` newest week first, ``(room_id, rows)``
    by the room's name, or one page ``(page number, rows)`` of ``o.page_size`` rows when not grouped."""
    s = ordered(kept, o)
    if o.group == "week":
        weeks = week_of(s.date)
        return [(w, s[weeks == w]) for w in sorted(weeks.unique(), reverse=True)]
    if o.group == "room":
        names = s.drop_duplicates("room_id").sort_values("room_name")
        return [(r, s[s.room_id == r]) for r in names.room_id]
    pages = max(1, -(-len(s) // o.page_size))
    page = min(max(o.page, 0), pages - 1)
    return [(page, s.iloc[page * o.page_size:(page + 1) * o.page_size])]


def pages(kept: pd.DataFrame, o: Order) -> int:
    """How many pages the ungrouped table has (at least 1)."""
    return max(1, -(-len(kept) // o.page_size))
