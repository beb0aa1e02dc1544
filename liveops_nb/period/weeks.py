"""Questions about a period (a week) across rooms: which week is "last week", which room did best, its traffic mix.

Data in, tables out: every registered number comes from ``ds.kpis`` (grouped by room or channel group,
filtered to the week); shares come from :mod:`liveops_nb.measures`. A week is named by its Monday (local
date), as the engine's ``week`` grouping does.

>>> from liveops_nb import period
>>> week = period.resolve_week(ds, "")             # the latest week with sessions (devtools/tiny.py)
>>> week
Timestamp('2026-09-07 00:00:00')
>>> period.ranking(ds, "gpm", week=week)[["rank", "room_id", "gpm"]]
   rank room_id       gpm
0     1      R1  120000.0
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from .. import measures
from ..errors import PeriodError, UnknownSessionError, did_you_mean
from ..metrics import get as get_metric

if TYPE_CHECKING:
    from ..dataset import Dataset

MIX_KEYS: tuple[str, ...] = ("uv", "views", "gmv", "gpm")
"""Registry metrics of :func:`traffic_mix`, per channel group."""


def resolve_week(ds: Dataset, week: str | dt.date | pd.Timestamp | None = None) -> pd.Timestamp:
    """The Monday of ``week`` (any day of it, ``YYYY-MM-DD``); empty or None: the latest week with sessions.

    Raises
    ------
    PeriodError
        ``week`` is not a date, or the dataset has no session in that week.
    """
    weeks = ds.session_dims["week"]
    if week is None or (isinstance(week, str) and not week.strip()):
        return pd.Timestamp(weeks.max())
    try:
        day = pd.Timestamp(week)
    except (TypeError, ValueError):
        raise PeriodError(f"week must be a date like 2026-09-07 (any day of the week), not {week!r}") from None
    monday = (day.tz_localize(None) if day.tzinfo else day).normalize() - pd.Timedelta(days=day.day_of_week)
    if not (weeks == monday).any():
        known = sorted({f"{w:%Y-%m-%d}" for w in weeks})
        raise PeriodError(f"no session in the week of {monday:%Y-%m-%d}; weeks with sessions: {', '.join(known)}")
    return monday


def ranking(ds: Dataset, key: str = "gpm", *, by: str = "room_id", week: pd.Timestamp | str | None = None,
            also: tuple[str, ...] = ("gmv", "views", "uv")) -> pd.DataFrame:
    """Rooms (or hosts, ...) of one week ranked by metric ``key``, best first (by the metric's direction).

    Parameters
    ----------
    ds : the dataset.
    key : the registry metric to rank by.
    by : what to rank: ``room_id`` (default), ``host``, ...
    week : the week (see :func:`resolve_week`; default the latest).
    also : further metrics shown next to ``key``.

    Returns
    -------
    DataFrame ``rank``, ``by``, ``key``, ``also``...; rows without a value of ``key`` come last, unranked.
    """
    metric = get_metric(key)
    monday = resolve_week(ds, week)
    keys = [key, *(k for k in also if k != key)]
    frame = ds.kpis(keys, by=[by], where={"week": monday})
    frame = frame.sort_values(key, ascending=metric.direction == "lower", na_position="last", kind="stable")
    frame = frame.reset_index(drop=True)
    ranked = frame[key].notna()
    frame.insert(0, "rank", pd.Series([i + 1 if ok else None for i, ok in enumerate(ranked)], dtype="Int64"))
    return frame


def traffic_mix(ds: Dataset, room_id: str, *, week: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """One room's traffic of one week by channel group (organic / paid / private): viewers, views, GMV, GPM, shares.

    ``uv_share`` and ``gmv_share`` are each group's share of the room's week (viewers counted once per group).
    """
    rooms = ds.session_dims["room_id"].unique().tolist()
    if room_id not in rooms:
        raise PeriodError(f"room '{room_id}' is not in this dataset.{did_you_mean(room_id, rooms)} "
                          f"Rooms: {', '.join(sorted(rooms))}.")
    monday = resolve_week(ds, week)
    mix = ds.kpis(list(MIX_KEYS), by=["channel_group"], where={"room_id": room_id, "week": monday})
    mix["uv_share"] = measures.share(mix["uv"]).to_numpy()
    mix["gmv_share"] = measures.share(mix["gmv"]).to_numpy()
    return mix


def pick_session(ds: Dataset, session_id: str = "", *, room_id: str | None = None,
                 week: pd.Timestamp | str | None = None) -> str:
    """``session_id`` when given (checked), else the last session of ``room_id`` in ``week`` (default: latest)."""
    if session_id:
        ds.session(session_id)
        return session_id
    monday = resolve_week(ds, week)
    dims = ds.session_dims
    hit = dims[(dims["week"] == monday) & ((dims["room_id"] == room_id) if room_id else True)]
    if hit.empty:
        raise UnknownSessionError(f"(room {room_id}, week of {monday:%Y-%m-%d})", dims.session_id.tail(5).tolist())
    info = ds.session_info.set_index("session_id").loc[hit.session_id]
    return str(info["start_time"].idxmax())
