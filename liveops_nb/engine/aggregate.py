"""Base quantities from platform aggregate tables (no viewer-level data), at the grains they allow.

Platform exports give totals per session (``sessions``), per session × channel (``channels``),
per session × product (``product_stats``) and per session × minute (``minute_stats``). Each
quantity is taken from the table whose grain matches the request; people counts over several
sessions are sums over sessions (a viewer of two sessions counts twice) and the result says so.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import ibis

from .rollup import EXACT_SUMS, Source, exact_sum
from .viewer import MINUTE_TYPE

# row dimension -> (table, {base quantity: column}); "online" feeds three quantities
_CHANNEL_COLUMNS: Mapping[str, str] = {"impressions": "impressions", "views": "views", "uv": "uv", "gmv": "gmv",
                                        "orders": "orders", "paid_spend": "spend", "paid_gmv": "gmv"}
ROW_TABLES: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "channel": ("channels", _CHANNEL_COLUMNS),
    "channel_group": ("channels", _CHANNEL_COLUMNS),
    "product_id": ("product_stats", {"product_impression_uv": "impression_uv", "product_click_uv": "click_uv",
                                     "buyers": "buyers", "orders": "orders", "units": "units", "gmv": "gmv",
                                     "refund_amount": "refund_amount"}),
    "minute": ("minute_stats", {"pcu": "online", "online_minutes": "online", "broadcast_minutes": "online",
                                "views": "entries", "impressions": "impressions", "new_followers": "new_followers",
                                "product_impression_uv": "product_impression_uv",
                                "product_click_uv": "product_click_uv", "orders": "orders", "buyers": "buyers",
                                "gmv": "gmv", "paid_spend": "paid_spend"}),
}
SESSION_COLUMNS = ("impressions", "views", "uv", "gmv", "orders", "buyers", "units", "product_impression_uv",
                   "product_click_uv", "interaction_uv", "new_followers", "refund_amount")
PEOPLE = frozenset({"impressions", "uv", "buyers", "product_impression_uv", "product_click_uv", "interaction_uv"})


def _kind(name: str) -> str:
    return "max" if name == "pcu" else "sum"


def row_source(table, rdim: str, where: Mapping[str, tuple[Any, ...]], names: list[str]) -> Source:
    """Quantities ``names`` per (session, ``rdim``) from the platform table of that grain."""
    _, cols = ROW_TABLES[rdim]
    t = table
    if "minute" in t.columns:
        t = t.mutate(minute=t.minute.cast(MINUTE_TYPE))
    for d, values in where.items():
        if d in t.columns and d in ("channel", "channel_group", "product_id", "minute"):
            t = t.filter(t[d].isin(list(values)))
    aggs: dict[str, Any] = {}
    for n in names:
        col = t[cols[n]]
        if rdim in ("channel", "channel_group") and n == "paid_spend":
            aggs[n] = exact_sum(col, where=t.channel_group == "paid")
        elif rdim in ("channel", "channel_group") and n == "paid_gmv":
            aggs[n] = col.sum(where=t.channel_group == "paid")
        elif n == "pcu":
            aggs[n] = col.max()
        elif n == "broadcast_minutes":
            aggs[n] = col.count()
        else:
            aggs[n] = col.sum()
    out = t.group_by(["session_id", rdim]).agg(**aggs)
    return Source(out, {n: _kind(n) for n in names}, exact=EXACT_SUMS.intersection(aggs))


def session_source(sessions, minute_stats, spans, names: list[str]) -> tuple[Source, dict[str, str]]:
    """Per-session quantities from the ``sessions`` export, peaks and averages from ``minute_stats``.

    Returns the source and, for each wanted quantity the export cannot give, the table.column it needs.
    ``spans`` is a memtable of (session_id, broadcast_minutes).
    """
    cols = set(sessions.columns)
    base = sessions.select("session_id").inner_join(spans, "session_id")
    sel: dict[str, Any] = {"session_id": sessions.session_id}
    later: dict[str, Any] = {}
    missing: dict[str, str] = {}
    m = None
    if minute_stats is not None:
        m = minute_stats.group_by("session_id").agg(m_pcu=minute_stats.online.max(), m_acu=minute_stats.online.mean())
    for n in names:
        if n in SESSION_COLUMNS and n in cols:
            sel[n] = sessions[n].cast("float64")
        elif n == "watch_seconds" and {"avg_watch_seconds", "uv"} <= cols:
            sel[n] = sessions.avg_watch_seconds * sessions.uv
        elif n == "pcu" and ("pcu" in cols or m is not None):
            sel["_pcu"] = sessions.pcu.cast("float64") if "pcu" in cols else ibis.null("float64")
            later[n] = lambda t: t._pcu.fill_null(t.m_pcu) if m is not None else t._pcu
        elif n == "online_minutes" and ("acu" in cols or m is not None):
            sel["_acu"] = sessions.acu.cast("float64") if "acu" in cols else ibis.null("float64")
            later[n] = (lambda t: (t._acu.fill_null(t.m_acu) if m is not None else t._acu) * t.broadcast_minutes)
        elif n == "broadcast_minutes":
            continue
        else:
            missing[n] = n
    s = sessions.select(**sel)
    j = base.left_join(s, "session_id")
    if m is not None:
        j = j.left_join(m, "session_id")
    keep = [n for n in names if n not in missing]
    t = j.select("session_id", "broadcast_minutes", *[c for c in s.columns if c != "session_id"],
                 *(["m_pcu", "m_acu"] if m is not None else []))
    if later:
        t = t.mutate(**{n: fn(t) for n, fn in later.items()})
    t = t.select("session_id", *keep)
    return Source(t, {n: _kind(n) for n in keep}), missing


def paid_source(channels, names: Sequence[str]) -> Source:
    """Paid spend and paid-channel GMV per session from the ``channels`` export."""
    paid = channels.channel_group == "paid"
    aggs = {"paid_spend": exact_sum(channels.spend, where=paid) if "spend" in channels.columns else None,
            "paid_gmv": channels.gmv.sum(where=paid)}
    t = channels.group_by("session_id").agg(**{n: aggs[n] for n in names if aggs.get(n) is not None})
    return Source(t, {n: "sum" for n in t.columns if n != "session_id"},
                  exact=EXACT_SUMS & set(t.columns))
