"""Groupings (grains) the engine computes metrics at, and the session attributes behind them.

A grain is a combination of *dimensions* (``by`` columns of :meth:`Dataset.kpis`):

* session attributes — ``session_id``, ``room_id``, ``host``, and from the session's local start
  time ``day`` (local date), ``week`` (local date of the Monday that starts the ISO week),
  ``month`` (local first day of the month), ``weekday`` (0 = Monday … 6) and ``hour`` (0–23).
  A session belongs to the day, week and slot it starts in;
* row attributes — ``channel`` (the channel a viewer entered through / an order came from),
  ``channel_group`` (its group: organic / paid / private, :attr:`Dataset.channel_groups`),
  ``product_id``, ``minute`` (a minute of the broadcast) and ``user_id`` (one viewer);
* viewer attributes — ``gender``, ``age_band``, ``region`` and ``member_tier`` from the ``users`` table
  (:data:`USER_DIMS`): a group is every viewer with that value (people counted once per group); a
  quantity is available at them exactly when it is available per ``user_id``. Viewer-level data only.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..errors import UnknownGrainError

SESSION_DIMS: tuple[str, ...] = ("session_id", "room_id", "host", "day", "week", "month", "weekday", "hour")
USER_DIMS: tuple[str, ...] = ("gender", "age_band", "region", "member_tier")
ROW_DIMS: tuple[str, ...] = ("channel", "channel_group", "product_id", "minute", "user_id", *USER_DIMS)
DIMS: tuple[str, ...] = SESSION_DIMS + ROW_DIMS


def check_by(by: str | Iterable[str] | None) -> tuple[str, ...]:
    """``by`` as a tuple of known dimensions (no repeats); raises :class:`UnknownGrainError`."""
    if by is None:
        return ()
    cols = (by,) if isinstance(by, str) else tuple(by)
    unknown = [c for c in cols if c not in DIMS]
    if unknown:
        raise UnknownGrainError(unknown[0], DIMS)
    return tuple(dict.fromkeys(cols))


def check_where(where: Mapping[str, Any] | None) -> dict[str, tuple[Any, ...]]:
    """``where`` as ``{dimension: tuple of accepted values}``; raises :class:`UnknownGrainError`."""
    out: dict[str, tuple[Any, ...]] = {}
    for k, v in (where or {}).items():
        check_by([k])
        values = (v,) if isinstance(v, (str, int, float, pd.Timestamp)) or not hasattr(v, "__iter__") else tuple(v)
        out[k] = values
    return out


def session_dims(info: pd.DataFrame) -> pd.DataFrame:
    """One row per session with every session dimension (small; built in pandas from the sessions table).

    ``info`` is :attr:`Dataset.session_info` (start times already in the dataset's zone).
    """
    start = pd.to_datetime(info["start_time"])
    local = start.dt.tz_localize(None) if start.dt.tz is not None else start
    day = local.dt.normalize()
    host = info["host"] if "host" in info.columns else pd.Series(None, index=info.index, dtype=object)
    if "room_host" in info.columns:
        host = host.fillna(info["room_host"])
    return pd.DataFrame({
        "session_id": info["session_id"].astype(str),
        "room_id": info["room_id"].astype(str),
        "host": host.astype(str),
        "day": day.astype("datetime64[ns]"),
        "week": (day - pd.to_timedelta(local.dt.day_of_week, unit="D")).astype("datetime64[ns]"),
        "month": day.dt.to_period("M").dt.to_timestamp().astype("datetime64[ns]"),
        "weekday": local.dt.day_of_week.astype("int64"),
        "hour": local.dt.hour.astype("int64"),
    }).reset_index(drop=True)


def select_sessions(dims: pd.DataFrame, where: Mapping[str, tuple[Any, ...]]) -> pd.DataFrame:
    """Rows of :func:`session_dims` that pass the session-dimension filters of ``where``."""
    keep = pd.Series(True, index=dims.index)
    for k, values in where.items():
        if k in SESSION_DIMS:
            col = dims[k]
            if k in ("day", "week", "month"):
                values = tuple(pd.Timestamp(v).tz_localize(None) if pd.Timestamp(v).tzinfo else pd.Timestamp(v)
                               for v in values)
            keep &= col.isin(list(values))
    return dims[keep].reset_index(drop=True)
