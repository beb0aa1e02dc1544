"""A room's typical curve: the median of its past sessions at each minute of the broadcast, with a band.

Minutes are counted from the session's start (minute 0 = the minute the broadcast started in), so
sessions that start at different clock times line up. At every minute the curve is the median of
the room's past sessions that lasted that long, the band the 25th–75th percentile of the same values
(pandas' linear interpolation), and ``sessions`` says how many sessions the minute rests on.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..errors import LiveFeedError

BAND = (0.25, 0.75)
"""Quantiles of the band around the typical curve."""


def broadcast_minute(minute: pd.Series, start: pd.Series | pd.Timestamp) -> pd.Series:
    """Whole minutes since the start of the broadcast (0 = the minute the session started in)."""
    start = start.dt.floor("min") if isinstance(start, pd.Series) else pd.Timestamp(start).floor("min")
    return ((pd.to_datetime(minute).dt.floor("min") - start) // pd.Timedelta(minutes=1)).astype("int64")


def past_sessions(info: pd.DataFrame, session_id: str, n: int = 10) -> list[str]:
    """The ``n`` latest sessions of ``session_id``'s room that started before it (oldest first).

    Parameters
    ----------
    info : one row per session with ``session_id``, ``room_id`` and ``start_time``.
    session_id : the live session.
    n : how many past sessions at most.

    Raises
    ------
    LiveFeedError
        ``session_id`` is not in ``info``.
    """
    me = info[info.session_id == session_id]
    if me.empty:
        raise LiveFeedError(f"session '{session_id}' is not in the dataset's sessions; "
                            "the live feed must belong to a session of the data folder")
    row = me.iloc[0]
    room = info[(info.room_id == row.room_id) & (info.start_time < row.start_time) & (info.session_id != session_id)]
    return room.sort_values("start_time").session_id.tail(n).tolist()


def typical_curve(per_minute: pd.DataFrame, starts: Mapping[str, pd.Timestamp], metrics: Iterable[str],
                  band: tuple[float, float] = BAND) -> pd.DataFrame:
    """Median and band of each metric at each minute of the broadcast over the given sessions.

    Parameters
    ----------
    per_minute : one row per session and minute: ``session_id``, ``minute`` and the ``metrics`` columns.
    starts : start time of every session in ``per_minute``.
    metrics : the value columns.
    band : the quantiles of the band.

    Returns
    -------
    DataFrame with ``offset`` (minutes since the start), ``metric``, ``median``, ``low``, ``high`` and
    ``sessions`` (sessions with a value at that minute), sorted by metric and offset; empty when no
    session has a row.
    """
    metrics = list(metrics)
    cols = ["offset", "metric", "median", "low", "high", "sessions"]
    df = per_minute[per_minute.session_id.isin(list(starts))]
    if df.empty:
        return pd.DataFrame(columns=cols)
    start = df.session_id.map({k: pd.Timestamp(v) for k, v in starts.items()})
    df = df.assign(offset=broadcast_minute(df.minute, pd.to_datetime(start)))
    long = df.melt(id_vars=["session_id", "offset"], value_vars=metrics, var_name="metric").dropna(subset=["value"])
    g = long.groupby(["metric", "offset"]).value
    out = pd.DataFrame({"median": g.median(), "low": g.quantile(band[0]), "high": g.quantile(band[1]),
                        "sessions": g.count()}).reset_index()
    out["metric"] = pd.Categorical(out.metric, categories=metrics, ordered=True)
    out = out.sort_values(["metric", "offset"]).reset_index(drop=True)
    out["metric"] = out.metric.astype(str)
    return out[cols]


def against_typical(actual: pd.DataFrame, start: pd.Timestamp, typical: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The live session's values of ``metric`` next to the typical curve, minute by minute.

    Parameters
    ----------
    actual : the live session's rows so far: ``minute`` and ``metric``.
    start : the live session's start.
    typical : :func:`typical_curve`'s result.
    metric : the metric compared.

    Returns
    -------
    DataFrame with ``minute`` (the clock time of each broadcast minute), ``offset``, ``actual`` (missing
    after the last minute so far), ``median``, ``low``, ``high`` and ``sessions`` — one row per minute
    of the longer of the two curves.
    """
    a = pd.DataFrame({"offset": broadcast_minute(actual.minute, start), "actual": actual[metric].astype(float)})
    ty = typical[typical.metric == metric].drop(columns="metric")
    out = ty.merge(a, on="offset", how="outer").sort_values("offset").reset_index(drop=True)
    out.insert(0, "minute", pd.Timestamp(start).floor("min") + pd.to_timedelta(out.offset, unit="min"))
    return out[["minute", "offset", "actual", "median", "low", "high", "sessions"]]
