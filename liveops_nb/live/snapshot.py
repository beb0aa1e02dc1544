"""What the live monitor shows at one moment: KPIs so far, the curves against the typical curve, the run sheet.

Two parts with different lifetimes:

* :class:`LiveHistory` — read once per page and session from the data folder's dataset: the live
  session's row, the room's past sessions and their typical curve, the run sheet, and the frames a
  small dataset of this room is built from;
* :func:`take_snapshot` — every refresh: a :class:`~liveops_nb.Dataset` of the live session's rows
  so far (:func:`live_dataset`; platform-aggregate level, so its numbers come from the minute table),
  the KPIs so far through ``ds.kpis`` (the minute grain, filtered
  to the minutes the feed has), the per-minute curves, and the run sheet against the pitches so far.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..schema import SESSION_TOTALS, TABLES
from .curve import against_typical, past_sessions, typical_curve
from .feed import FEED_TABLES, LiveFeed
from .runsheet import compare_run_sheet

LIVE_KPIS = ("gmv", "orders", "views", "gpm", "pcu", "acu", "new_followers")
"""KPIs of the session so far (all from the minute table through ``ds.kpis``)."""
CURVE_KPIS = ("pcu", "gmv")
"""Per-minute curves drawn against the room's typical curve (``pcu`` at one minute = online viewers)."""
ROOM_TABLES = ("rooms", "products", "sessions", "minute_stats", "pitches", "orders", "incidents", "run_sheet",
               "inventory")
"""Tables of the small per-refresh dataset (those the data folder has): the live session's rows only."""


def _has(ds: Any, name: str) -> bool:
    return name in TABLES and ds.has(name)


@dataclass
class LiveHistory:
    """The unchanging part of a live session's page, read once from the data folder's dataset.

    Parameters
    ----------
    ds : the data folder's :class:`~liveops_nb.Dataset` (the live session's row is in its sessions).
    session_id : the live session.
    history_n : past sessions of the room in the typical curve.
    """

    session_id: str
    session: pd.Series
    past: list[str]
    typical: pd.DataFrame
    plan: pd.DataFrame | None
    product_names: dict[str, str]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    tz: str = "Asia/Shanghai"

    @classmethod
    def read(cls, ds: Any, session_id: str, history_n: int = 10) -> LiveHistory:
        """Read what the page needs once (the typical curve: one ``ds.kpis`` query over the past sessions)."""
        info = ds.session_info
        past = past_sessions(info, session_id, history_n)
        session = ds.session(session_id)
        if past:
            per_minute = ds.kpis(list(CURVE_KPIS), by=["session_id", "minute"], where={"session_id": past})
            starts = dict(zip(info.session_id, info.start_time, strict=True))
            typical = typical_curve(per_minute, {s: starts[s] for s in past}, CURVE_KPIS)
        else:
            typical = typical_curve(pd.DataFrame(columns=["session_id", "minute", *CURVE_KPIS]), {}, CURVE_KPIS)
        plan = None
        if _has(ds, "run_sheet"):
            plan = ds.frame("run_sheet", session_id)
        names = {}
        if _has(ds, "products"):
            p = ds.frame("products")
            names = dict(zip(p.product_id, p.name, strict=True))
        frames: dict[str, pd.DataFrame] = {}
        for name in ROOM_TABLES:
            if not _has(ds, name):
                continue
            if name in ("rooms", "products"):
                frames[name] = ds.frame(name)
            elif name in FEED_TABLES or name == "incidents":  # the live session's own rows come from the feed
                frames[name] = ds.frame(name, [session_id]).iloc[0:0]
            else:
                frames[name] = ds.frame(name, [session_id])
        s = frames["sessions"]
        totals = [c.name for c in SESSION_TOTALS if c.name in s.columns]
        s[totals] = float("nan")  # the live session's totals are not known until it ends
        me = info[info.session_id == session_id].reset_index(drop=True)
        me[[c for c in totals if c in me.columns]] = float("nan")
        frames["_info"] = me
        return cls(session_id, session, past, typical, plan, names, frames, ds.tz)


def quiet_connection():
    """An in-memory DuckDB that prints no progress bar (a page would show it as output)."""
    import ibis

    con = ibis.duckdb.connect()
    con.raw_sql("SET enable_progress_bar = false")
    return con


def live_dataset(history: LiveHistory, feed: LiveFeed):
    """A dataset of the live session's rows so far (platform-aggregate level: numbers from its minute table).

    Built in memory on every refresh (an in-memory DuckDB over pandas frames: nothing is copied to disk)
    from the frames :class:`LiveHistory` read once (the session's row, its plan, rooms and products) and
    the feed's rows. Orders are left out: with orders the dataset would count from them, and the feed's
    minute table already holds the session's numbers (:func:`orders_dataset` has them).
    """
    import ibis

    from ..dataset import Dataset
    from ..io import RawTables

    tables = {}
    for name, frame in history.frames.items():
        if name == "orders" or name.startswith("_"):
            continue
        if name in feed.tables:
            grown = feed.frame(name)
            if len(grown):
                frame = pd.concat([frame, grown[[c for c in frame.columns if c in grown.columns]]], ignore_index=True) \
                    if len(frame) else grown
        tables[name] = ibis.memtable(frame)
    raw = RawTables(con=quiet_connection(), tables=tables)
    ds = Dataset(raw, source=f"live:{history.session_id}", validate=False, use_viewer_level=False, tz=history.tz)
    # the session's descriptive row never changes during the broadcast, and the minute rows are already in
    # pandas: give both to the dataset's cache instead of reading them back through a query
    ds._cache.get_or_make(("session_info",), lambda: history.frames["_info"])
    minutes = feed.frame("minute_stats")
    if len(minutes):
        ds._cache.get_or_make(("frame", "minute_stats", None),
                              lambda: minutes.sort_values(["session_id", "minute"]).reset_index(drop=True))
    return ds


def orders_dataset(history: LiveHistory, feed: LiveFeed):
    """A viewer-level dataset of the live session's orders so far (units per product and minute), or None.

    Its events table is empty: only numbers from orders (``units``, ``gmv`` by product) are meaningful in it.
    None when the feed carries no orders.
    """
    import ibis

    from ..dataset import Dataset
    from ..io import RawTables

    orders = feed.frame("orders")
    if "orders" not in history.frames or "ts" not in orders.columns:
        return None
    events = pd.DataFrame({c.name: pd.Series(dtype="datetime64[us, UTC]" if c.dtype == "timestamp" else object)
                           for c in TABLES["events"].columns})
    tables = {"rooms": history.frames["rooms"], "sessions": history.frames["sessions"], "orders": orders,
              "events": events}
    tables.update({k: history.frames[k] for k in ("products", "inventory") if k in history.frames})
    raw = RawTables(con=quiet_connection(), tables={k: ibis.memtable(v) for k, v in tables.items()})
    return Dataset(raw, source=f"live-orders:{history.session_id}", validate=False, tz=history.tz)


@dataclass
class LiveSnapshot:
    """The live session at one refresh.

    Attributes
    ----------
    session_id : the live session.
    upto : the last minute the feed has (None before the first minute).
    now : the end of that minute (the time the run sheet is judged at), or the session's start.
    done : the feed says the session has ended.
    minutes : minutes received so far.
    kpis : one row of :data:`LIVE_KPIS` so far (``attrs["missing"]`` as from ``ds.kpis``).
    curves : per metric of :data:`CURVE_KPIS`, :func:`~liveops_nb.live.curve.against_typical`'s frame.
    run_sheet : :func:`~liveops_nb.live.runsheet.compare_run_sheet`'s frame, None without a run sheet.
    ds : the per-refresh dataset (alerts are evaluated on it).
    seconds : time the snapshot took.
    """

    session_id: str
    upto: pd.Timestamp | None
    now: pd.Timestamp
    done: bool
    minutes: int
    kpis: pd.DataFrame
    curves: dict[str, pd.DataFrame]
    run_sheet: pd.DataFrame | None
    ds: Any
    seconds: float = 0.0


def take_snapshot(history: LiveHistory, feed: LiveFeed, minute_keys: tuple[str, ...] = ()) -> LiveSnapshot:
    """The live session's state from what the feed holds now (call :meth:`LiveFeed.poll` first).

    ``minute_keys``: further registry keys the caller will ask of ``snapshot.ds`` by session and minute
    (e.g. the alert rules' metrics); they are computed in the same query as the curves, so the later
    request reuses its base quantities.
    """
    started = time.perf_counter()
    sid = history.session_id
    ds = live_dataset(history, feed)
    rows = feed.frame("minute_stats")
    minutes = sorted(pd.to_datetime(rows.minute).unique()) if len(rows) else []
    upto = pd.Timestamp(minutes[-1]) if minutes else None
    start = pd.Timestamp(history.session.start_time)
    now = upto + pd.Timedelta(minutes=1) if upto is not None else start
    if minutes:
        # the session so far: its minutes' rows summed by the engine (the session's own totals come at its end)
        kpis = ds.kpis(list(LIVE_KPIS), by=[], where={"session_id": sid, "minute": minutes})
        kpis.insert(0, "session_id", sid)
        keys = sorted(set(CURVE_KPIS) | set(minute_keys))
        per_minute = ds.kpis(keys, by=["session_id", "minute"])  # the dataset holds the live session only
    else:
        kpis = pd.DataFrame({"session_id": [sid], **{k: [float("nan")] for k in LIVE_KPIS}})
        per_minute = pd.DataFrame(columns=["session_id", "minute", *CURVE_KPIS])
    curves = {m: against_typical(per_minute, start, history.typical, m) for m in CURVE_KPIS}
    compared = None
    if history.plan is not None:
        pitches = feed.frame("pitches")
        compared = compare_run_sheet(history.plan, pitches[["product_id", "start", "end"]], now, ended=feed.done)
    return LiveSnapshot(sid, upto, now, feed.done, len(minutes), kpis, curves, compared, ds,
                        time.perf_counter() - started)
