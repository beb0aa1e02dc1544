"""The minute series the rules watch, read from the dataset, and the room's typical curve.

Registry numbers come from ``ds.kpis(keys, by=["session_id", "minute"])`` (online viewers are the
registry's ``pcu`` of the minute, GMV per minute its ``gmv``); 互动强度 / interaction intensity is
:func:`liveops_nb.measures.interaction_intensity` of the ``minute_stats`` counts; stock left per product
is the ``inventory`` table's stock minus the units ordered up to the end of each minute
(``ds.kpis("units", by=["session_id", "minute", "product_id"])``).

A ratio metric over a window of several minutes is the registry formula applied to the window's summed
base quantities (:func:`liveops_nb.engine.formulas.apply`), never an average of per-minute ratios.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import measures
from ..engine import formulas
from ..errors import AlertRulesError
from ..metrics import REGISTRY
from .rules import Baseline

if TYPE_CHECKING:
    from ..dataset import Dataset

ALIASES: dict[str, str] = {"online": "pcu", "gmv_per_minute": "gmv"}
KEYS = frozenset(REGISTRY)  # membership without the registry's did-you-mean lookup
BY = ["session_id", "minute"]


def registry_key(metric: str) -> str | None:
    """The registry key behind a rule's metric (None for interaction_intensity and stock_left)."""
    key = ALIASES.get(metric, metric)
    return key if key in KEYS else None


def all_minutes(ds: Dataset, metrics: tuple[str, ...]) -> pd.DataFrame:
    """Every session's minutes with one column per metric (``session_id``, ``minute``, ``offset`` …).

    One query per request for all sessions (remembered by the dataset); a session's rows are then a filter.
    """
    keys = sorted({k for m in metrics if (k := registry_key(m)) is not None} | {"pcu"})

    def build() -> pd.DataFrame:
        k = ds.kpis(keys, by=BY)
        if k.empty:  # no minute data (platform totals only): nothing to watch
            return pd.DataFrame({"session_id": pd.Series(dtype=object),
                                 "minute": pd.Series(dtype=f"datetime64[ns, {ds.tz}]"),
                                 "offset": pd.Series(dtype="int64"),
                                 **{m: pd.Series(dtype=float) for m in (*keys, *metrics)}})
        info = ds.session_info[["session_id", "start_time"]]
        k = k.merge(info, on="session_id", how="left")
        k["offset"] = ((k["minute"].dt.tz_convert("UTC").dt.floor("min")
                        - k["start_time"].dt.tz_convert("UTC").dt.floor("min")) // pd.Timedelta(minutes=1)
                       ).astype("int64")
        out = k.drop(columns="start_time")
        bases = sorted({b for m in metrics if (key := registry_key(m)) and REGISTRY[key].is_ratio
                        for b in REGISTRY[key].inputs} - set(out.columns))
        if bases:
            out = out.merge(ds.bases(bases, by=BY), on=BY, how="left")
        for m in metrics:
            key = registry_key(m)
            if key is not None and m != key:
                out[m] = out[key]
        if "interaction_intensity" in metrics:
            out = out.merge(_intensity(ds), on=BY, how="left")
        return out.sort_values(BY).reset_index(drop=True)
    return ds.remember(("alerts_minutes", tuple(sorted(metrics))), build)


def session_rows(ds: Dataset, metrics: tuple[str, ...], session_id: str) -> pd.DataFrame:
    """One session's rows of :func:`all_minutes` (in time order; empty when it has no minute data)."""
    def build() -> dict[str, pd.DataFrame]:
        every = all_minutes(ds, metrics)
        return {str(sid): rows.reset_index(drop=True) for sid, rows in every.groupby("session_id", sort=False)}
    by_session = ds.remember(("alerts_minutes_by_session", tuple(sorted(metrics))), build)
    rows = by_session.get(session_id)
    return rows if rows is not None else all_minutes(ds, metrics).iloc[:0]


def _intensity(ds: Dataset) -> pd.DataFrame:
    if not ds.has("minute_stats"):
        return pd.DataFrame({"session_id": pd.Series(dtype=object), "minute": pd.Series(dtype="datetime64[ns]"),
                             "interaction_intensity": pd.Series(dtype=float)})
    ms = ds.frame("minute_stats")
    value = measures.interaction_intensity(ms["comments"], ms["likes"], ms["shares"], ms["online"])
    return pd.DataFrame({"session_id": ms["session_id"], "minute": ms["minute"], "interaction_intensity": value})


def window_values(frame: pd.DataFrame, metric: str, window: int, aggregate: str, con: Any = None) -> np.ndarray:
    """The metric over trailing windows of ``window`` minutes of one session's rows (NaN until a window is full).

    Sum and level series use ``aggregate`` (mean, sum, min, max) of the minutes; a registry ratio over more
    than one minute is its formula (on ``con``) applied to the window's summed base quantities (frame columns
    named after them, see :func:`all_minutes`).
    """
    key = registry_key(metric)
    s = pd.Series(frame[metric].to_numpy(dtype=float))
    if window == 1:
        return s.to_numpy()
    if key is None or not REGISTRY[key].is_ratio:
        return getattr(s.rolling(window, min_periods=window), aggregate)().to_numpy()
    m = REGISTRY[key]
    sums = pd.DataFrame({b: pd.Series(frame[b].to_numpy(dtype=float)).rolling(window, min_periods=window).sum()
                         for b in m.inputs})
    sums["_i"] = range(len(sums))
    return formulas.apply(con, sums, ("_i",), [m])[m.key].to_numpy(dtype=float)


# ----------------------------------------------------------------------------- the room's typical curve
def baseline_sessions(info: pd.DataFrame, session_id: str, b: Baseline) -> list[str]:
    """The sessions behind a session's room baseline (see :class:`~.rules.Baseline`).

    Earlier sessions of the same room and slot (start hour within ``same_slot_hours``), the latest
    ``sessions`` of them; fewer than ``min_sessions`` such: every earlier session of the room; still too few:
    other sessions of the room and slot after it (post-hoc review of a room's first broadcasts).
    """
    me = info[info.session_id == session_id].iloc[0]
    room = info[(info.room_id == me.room_id) & (info.session_id != session_id)]
    hour = lambda t: t.dt.hour + t.dt.minute / 60.0  # noqa: E731
    h0 = me.start_time.hour + me.start_time.minute / 60.0
    gap = (hour(room.start_time) - h0).abs()
    same_slot = room[np.minimum(gap, 24 - gap) <= b.same_slot_hours]
    earlier = same_slot[same_slot.start_time < me.start_time].sort_values("start_time")
    if len(earlier) >= b.min_sessions:
        return earlier.session_id.tail(b.sessions).tolist()
    any_earlier = room[room.start_time < me.start_time].sort_values("start_time")
    if len(any_earlier) >= b.min_sessions:
        return any_earlier.session_id.tail(b.sessions).tolist()
    near = same_slot.assign(d=(same_slot.start_time - me.start_time).abs()).sort_values("d")
    return near.session_id.head(b.sessions).tolist()


def window_matrix(ds: Dataset, metrics: tuple[str, ...], metric: str, window: int, aggregate: str
                  ) -> tuple[dict[str, int], np.ndarray]:
    """Every session's window values by minute of the broadcast: (row of each session, sessions × offsets).

    Remembered by the dataset, so each room baseline is a median over some rows.
    """
    def build() -> tuple[dict[str, int], np.ndarray]:
        every = all_minutes(ds, metrics)
        width = int(every["offset"].max()) + 1 if len(every) else 0
        ids = {sid: i for i, sid in enumerate(every["session_id"].unique())}
        out = np.full((len(ids), width), np.nan)
        for sid, rows in every.groupby("session_id", sort=False):
            off = rows["offset"].to_numpy()
            keep = off >= 0
            out[ids[sid], off[keep]] = window_values(rows, metric, window, aggregate, ds.con)[keep]
        return ids, out
    return ds.remember(("alerts_window_matrix", tuple(sorted(metrics)), metric, window, aggregate), build)


def room_curve(matrix: tuple[dict[str, int], np.ndarray], sessions: list[str], min_sessions: int) -> pd.Series:
    """The median over ``sessions`` of the window values at each minute of the broadcast (offset).

    Offsets reached by fewer than ``min_sessions`` of them are left out.
    """
    ids, values = matrix
    rows = [ids[s] for s in sessions if s in ids]
    if not rows:
        return pd.Series(dtype=float)
    part = values[rows]
    n = np.sum(~np.isnan(part), axis=0)
    ok = n >= max(min_sessions, 1)
    if not ok.any():
        return pd.Series(dtype=float)
    med = np.nanmedian(part[:, ok], axis=0)
    return pd.Series(med, index=np.flatnonzero(ok))


# ----------------------------------------------------------------------------- stock
def inventory(ds: Dataset, session_id: str) -> pd.DataFrame | None:
    """The session's stock per product (``product_id``, ``stock``), None when the data folder has none.

    From the ``inventory`` table of the data model when it is there; a folder whose data model does not know
    the table yet is read directly (``inventory.parquet`` / ``inventory.csv``), refusing bad stock values.
    """
    if ds.has("inventory"):
        def build() -> dict[str, pd.DataFrame]:
            whole = ds.frame("inventory")
            return {str(sid): rows[["product_id", "stock"]].reset_index(drop=True)
                    for sid, rows in whole.groupby("session_id", sort=False)}
        return ds.remember(("alerts_inventory",), build).get(session_id)
    if ds.path is None:
        return None
    for name in ("inventory.parquet", "inventory.csv"):
        f = Path(ds.path) / name
        if f.is_file():
            df = pd.read_parquet(f) if name.endswith("parquet") else pd.read_csv(f, dtype={"session_id": str,
                                                                                         "product_id": str})
            missing = {"session_id", "product_id", "stock"} - set(df.columns)
            if missing:
                raise AlertRulesError(str(f), None, sorted(missing)[0], "column missing from the inventory table")
            stock = pd.to_numeric(df["stock"], errors="coerce")
            if stock.isna().any() or (stock < 0).any():
                raise AlertRulesError(str(f), None, "stock", "stock must be a number ≥ 0 in every row")
            df = df.assign(stock=stock.astype(float), session_id=df["session_id"].astype(str),
                           product_id=df["product_id"].astype(str))
            return df.loc[df.session_id == session_id, ["product_id", "stock"]].reset_index(drop=True)
    return None


def _stock_inputs(ds: Dataset) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None:
    """Per session: (products, stock, units' product position, units' minute in ns, units) — remembered."""
    def build():
        k = ds.kpis("units", by=["session_id", "minute", "product_id"])
        if "units" in k.attrs.get("missing", {}):
            return None
        k = k[k["units"] > 0]
        out = {}
        groups = {str(sid): rows for sid, rows in k.groupby("session_id", sort=False)}
        for sid in ds.session_info["session_id"].astype(str):
            inv = inventory(ds, sid)
            if inv is None or inv.empty:
                continue
            products = inv["product_id"].astype(str).to_numpy()
            rows = groups.get(sid)
            if rows is None:
                at, pi, units = np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64"), np.zeros(0)
            else:
                pi = pd.Index(products).get_indexer(pd.Index(rows["product_id"].astype(str)))
                at, units = _ns(rows["minute"]), rows["units"].to_numpy(dtype=float)
            out[sid] = (products, inv["stock"].to_numpy(dtype=float), pi, at, units)
        return out
    return ds.remember(("alerts_stock_inputs",), build)


def stock_left(ds: Dataset, session_id: str, minutes: pd.Series) -> pd.DataFrame | None:
    """Per product and minute of ``minutes``: stock − units ordered up to the end of the minute.

    Returns a frame with product_id, minute, stock, stock_left (one row per product × minute), None when the
    folder has no inventory for the session or the units per product and minute cannot be had (aggregate-only data).
    """
    if inventory(ds, session_id) is None:
        return None
    every = _stock_inputs(ds)
    if every is None or session_id not in every:
        return None
    products, stock, pi, at, units = every[session_id]
    minutes = pd.Series(pd.to_datetime(minutes)).reset_index(drop=True)
    mins = _ns(minutes)
    sold = np.zeros((len(products), len(mins)))
    if len(units) and len(mins):
        mi = np.minimum(np.searchsorted(mins, at), len(mins) - 1)
        ok = (pi >= 0) & (mins[mi] == at)  # minutes after ``minutes`` (live: not yet seen) left out
        np.add.at(sold, (pi[ok], mi[ok]), units[ok])
    return pd.DataFrame({"product_id": np.repeat(products, len(mins)),
                         "minute": pd.concat([minutes] * len(products), ignore_index=True),
                         "stock": np.repeat(stock, len(mins)),
                         "stock_left": (stock[:, None] - np.cumsum(sold, axis=1)).ravel()})


def _ns(t: pd.Series) -> np.ndarray:
    """Instants as int64 nanoseconds since the epoch (UTC), for matching minutes."""
    t = pd.to_datetime(t)
    if t.dt.tz is not None:
        t = t.dt.tz_convert("UTC").dt.tz_localize(None)
    return t.to_numpy(dtype="datetime64[ns]").astype("int64")
