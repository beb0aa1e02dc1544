"""The diagnosis rules' inputs, read from the dataset.

Every registered number comes from :meth:`liveops_nb.Dataset.kpis` at the grain the rule needs
(the session's ``avg_watch_seconds`` and its room median come from the results comparison): ``uv`` / ``views`` per channel
(``by=["session_id", "channel"]``), online viewers per minute (``pcu`` at
``by=["session_id", "minute"]``) and the registry's ``refund_rate`` over each refund window's
sessions (a ratio of summed refund amounts and GMV). What the registry does not hold comes from
the tables: pitches and the product catalogue, the incident log, cart / order events and the
orders' refund times. Each function returns None when its inputs are not in the dataset (the
rule is then "not checked").
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from ... import measures
from ..timeline import detect_outages
from .rules import cart_conversion, refund_windows, slow_refunds, th

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset


class RefundInputs(NamedTuple):
    recent_rate: float | None
    earlier_rate: float | None
    n_refunds: int | None
    n_slow: int | None


def _opt(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def room_sessions(ds: Dataset, session_id: str) -> pd.DataFrame:
    """``session_info`` rows of the session's room that started up to this session's end, oldest first."""
    info = ds.session(session_id)
    si = ds.session_info
    room = si[(si["room_id"] == info["room_id"]) & (si["start_time"] <= info["end_time"])]
    return room.sort_values(["start_time", "session_id"])


def top_channel(ds: Dataset, session_id: str) -> tuple[str | None, float | None] | None:
    """The channel bringing the most viewers and its share of the channels' viewers (registry ``uv`` per channel).

    Ties go to more views, then the channel name. ``(None, None)`` without viewers; None when the
    dataset cannot split viewers by channel.
    """
    k = ds.kpis(["uv", "views"], by=["session_id", "channel"], where={"session_id": session_id})
    if "uv" in k.attrs.get("missing", {}):
        return None
    k = k[k["channel"].notna()]
    if k.empty or not k["uv"].sum() > 0:
        return None, None
    k = k.assign(share=measures.share(k["uv"])).sort_values(["uv", "views", "channel"], ascending=[False, False, True])
    return str(k["channel"].iloc[0]), float(k["share"].iloc[0])


def minute_online(ds: Dataset, session_id: str) -> pd.DataFrame | None:
    """The session's minutes with ``online`` = the registry's ``pcu`` of the minute (None without minute data)."""
    k = ds.kpis(["pcu"], by=["session_id", "minute"], where={"session_id": session_id})
    if "pcu" in k.attrs.get("missing", {}) or k.empty or k["pcu"].isna().all():
        return None
    return k.rename(columns={"pcu": "online"})[["minute", "online"]].sort_values("minute").reset_index(drop=True)


def pitch_online(pitches: pd.DataFrame, products: pd.DataFrame, minutes: pd.DataFrame) -> pd.DataFrame:
    """One row per pitch with the average online viewers during it.

    ``avg_online`` is the mean of the per-minute online viewers (``minutes``: minute, online) over
    the minutes the pitch overlaps — the pitch window's ``acu`` (registry viewer-minutes / broadcast
    minutes, one broadcast minute per row). Returns product_id, name, role, list_price, start, end,
    start_offset (minutes after the first minute), n_minutes and avg_online (NaN without minutes), by start.
    """
    cols = ["product_id", "name", "role", "list_price", "start", "end", "start_offset", "n_minutes", "avg_online"]
    if pitches is None or pitches.empty:
        return pd.DataFrame(columns=cols)
    m = minutes.sort_values("minute")
    origin = m["minute"].min() if not m.empty else None
    rows = []
    for p in pitches.to_dict("records"):
        start, end = pd.Timestamp(p["start"]), pd.Timestamp(p["end"])
        inside = m.loc[(m["minute"] < end) & (m["minute"] + pd.Timedelta(minutes=1) > start), "online"]
        rows.append({"product_id": p["product_id"], "start": p["start"], "end": p["end"],
                     "start_offset": (start - origin).total_seconds() / 60 if origin is not None else np.nan,
                     "n_minutes": len(inside), "avg_online": float(inside.mean()) if len(inside) else np.nan})
    out = pd.DataFrame(rows).merge(products[["product_id", "name", "role", "list_price"]], on="product_id", how="left")
    return out[cols].sort_values("start").reset_index(drop=True)


def outages(minutes: pd.DataFrame) -> pd.DataFrame:
    """Outages in the minute trend, by the timeline's detector and the diagnosis thresholds."""
    return detect_outages(minutes, th("outage_drop"), int(th("outage_min_minutes")))


def room_cart_conversion(ds: Dataset, session_id: str) -> pd.DataFrame:
    """:func:`~liveops_nb.review.diagnosis.rules.cart_conversion` of every session of the session's room.

    One query per room, remembered in the dataset's cache: the diagnosis of the room's other
    sessions (their room history overlaps) reads no events again.
    """
    room = ds.session(session_id)["room_id"]
    si = ds.session_info
    ids = si.loc[si["room_id"] == room, "session_id"].astype(str).tolist()
    return ds.remember(("diagnosis_cart_conversion", room), lambda: cart_conversion(cart_events(ds, ids)))


def room_orders(ds: Dataset, session_id: str) -> pd.DataFrame:
    """The orders of every session of the session's room (one read per room, remembered in the dataset's cache)."""
    room = ds.session(session_id)["room_id"]
    si = ds.session_info
    ids = si.loc[si["room_id"] == room, "session_id"].astype(str).tolist()
    return ds.remember(("diagnosis_room_orders", room), lambda: ds.frame("orders", ids))


def cart_events(ds: Dataset, session_ids: list[str]) -> pd.DataFrame:
    """Distinct ``session_id, user_id, event_type`` rows of the cart and order events of ``session_ids``."""
    ev = ds.table("events")
    rows = ev.filter(ev.event_type.isin(["cart", "order"]) & ev.session_id.isin(session_ids))
    return rows.select("session_id", "user_id", "event_type").distinct().execute()


def cart_inputs(conversion: pd.DataFrame, session_id: str, history: list[str]) -> tuple[float, float, float | None]:
    """People who carted, of them buyers, and the room median of the cart→buyer conversion over ``history``.

    ``conversion``: :func:`~liveops_nb.review.diagnosis.rules.cart_conversion` of this session and ``history``.
    """
    hist = conversion[conversion["session_id"].isin(history)]
    me = conversion[conversion["session_id"] == session_id]
    median = float(hist["ratio"].median()) if len(hist) else None
    if me.empty:
        return 0.0, 0.0, median
    return float(me["cart_people"].iloc[0]), float(me["cart_buyers"].iloc[0]), median


def window_refund_rate(ds: Dataset, session_ids: list[str]) -> float | None:
    """The registry's ``refund_rate`` over ``session_ids`` together (None when there are none or it is not defined)."""
    if not session_ids:
        return None
    k = ds.kpis(["refund_rate"], by=None, where={"session_id": session_ids})
    return _opt(k["refund_rate"].iloc[0]) if len(k) else None


def refund_inputs(ds: Dataset, session_id: str, room: pd.DataFrame) -> RefundInputs | None:
    """Refund rates of the recent and earlier windows and the recent refunds' speed (None without refund data)."""
    ids = room["session_id"].tolist()
    amounts = ds.bases(["refund_amount"], where={"session_id": ids})
    if "refund_amount" not in amounts.columns or amounts["refund_amount"].isna().all():
        return None
    end = ds.session(session_id)["end_time"]
    recent, earlier = refund_windows(room, end)
    n = slow = None
    if ds.has("orders"):
        orders = room_orders(ds, session_id)
        n, slow = slow_refunds(orders[orders["session_id"].isin(ids)], end)
    return RefundInputs(window_refund_rate(ds, recent), window_refund_rate(ds, earlier), n, slow)


def session_money(ds: Dataset, session_id: str) -> dict[str, float | None]:
    """The session's registry ``paid_spend`` and its ``broadcast_minutes`` base quantity (for impact estimates)."""
    spend = ds.kpis(["paid_spend"], where={"session_id": session_id})
    minutes = ds.bases(["broadcast_minutes"], where={"session_id": session_id})
    return {"paid_spend": _opt(spend["paid_spend"].iloc[0]) if len(spend) else None,
            "broadcast_minutes": _opt(minutes["broadcast_minutes"].iloc[0])
            if len(minutes) and "broadcast_minutes" in minutes.columns else None}
