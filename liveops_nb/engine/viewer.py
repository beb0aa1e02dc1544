"""Base quantities from viewer-level tables (events, orders, comments), at any grain.

Each function returns a :class:`~liveops_nb.engine.rollup.Source`: rows at
``(session_id, user_id, row dimensions…)`` with the quantities that input can give at those
dimensions. Which quantity exists at which row dimension is declared once in :data:`ROW_SUPPORT`
(a quantity not listed for a dimension is *not available* there, never estimated).

The rules of the data model (docs/data-model.md): a *visit* is an ``enter`` paired with the same
viewer's next ``exit`` (or the session end); watch time is its length and its channel the
``enter``'s; a viewer is online from the minute they enter to the minute they leave, inclusive;
people are distinct ``user_id``; PV counts are event counts; money comes from ``orders``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.datatypes as dt

from .. import derive
from .rollup import EXACT_SUMS, Source, exact_sum

# quantity -> row dimensions (besides session attributes) it can be grouped by
_ALL_ROWS = frozenset({"minute", "user_id"})
ROW_SUPPORT: Mapping[str, frozenset[str]] = {
    "impressions": frozenset({"channel", "channel_group", "minute", "user_id"}),
    "views": frozenset({"channel", "channel_group", "minute", "user_id"}),
    "uv": frozenset({"channel", "channel_group", "minute", "user_id"}),
    "product_impression_uv": frozenset({"product_id", "minute", "user_id"}),
    "product_click_uv": frozenset({"product_id", "minute", "user_id"}),
    "interaction_uv": _ALL_ROWS,
    "new_followers": _ALL_ROWS,
    "watch_seconds": frozenset({"channel", "channel_group", "user_id"}),
    "pcu": frozenset({"minute"}),
    "online_minutes": frozenset({"minute"}),
    "broadcast_minutes": frozenset({"minute"}),
    "gmv": frozenset({"channel", "channel_group", "product_id", "minute", "user_id"}),
    "orders": frozenset({"channel", "channel_group", "product_id", "minute", "user_id"}),
    "buyers": frozenset({"channel", "channel_group", "product_id", "minute", "user_id"}),
    "units": frozenset({"channel", "channel_group", "product_id", "minute", "user_id"}),
    "refund_amount": frozenset({"channel", "channel_group", "product_id", "minute", "user_id"}),
    "paid_gmv": frozenset({"channel", "channel_group", "product_id", "minute", "user_id"}),
    "paid_spend": frozenset({"channel", "channel_group"}),
    "viewer_comments": _ALL_ROWS,
    "valid_comments": _ALL_ROWS,
    "questions": _ALL_ROWS,
    "answered_questions": _ALL_ROWS,
    "next_day_returners": frozenset({"user_id"}),
    "repeat_buyers": frozenset({"user_id"}),
}

_PEOPLE_EVENTS = {
    "impressions": ["impression"], "uv": ["enter"], "product_impression_uv": ["product_impression"],
    "product_click_uv": ["product_click"], "interaction_uv": ["like", "comment", "share"],
}
_COUNT_EVENTS = {"views": "enter", "new_followers": "follow"}


MINUTE_TYPE = dt.Timestamp(timezone="UTC")


def minute_of(col):
    """The minute a timestamp falls in, as a UTC timestamp (one type for every source, so groups line up)."""
    return col.truncate("m").cast(MINUTE_TYPE)


def _rows(t, rdims: tuple[str, ...], where: Mapping[str, tuple[Any, ...]], *, ts: str = "ts", groups=None):
    """Rows of ``t`` with the row dimensions it is grouped or filtered by.

    ``minute`` comes from ``ts``; ``channel_group`` from ``groups`` (a table channel -> channel_group;
    a channel it does not name is organic).
    """
    if "minute" in rdims or "minute" in where:
        t = t.mutate(minute=minute_of(t[ts]))
    if ("channel_group" in rdims or "channel_group" in where) and "channel_group" not in t.columns:
        t = t.filter(t.channel.notnull())
        t = t.left_join(groups, "channel").drop("channel_right")
        t = t.mutate(channel_group=t.channel_group.fill_null("organic"))
    for d in ("channel", "channel_group", "product_id"):
        if d in rdims or d in where:
            t = t.filter(t[d].notnull())
    for d, values in where.items():
        if d in ("channel", "channel_group", "product_id", "minute", "user_id"):
            t = t.filter(t[d].isin(list(values)))
    return t


def _keys(rdims: tuple[str, ...], per_user: bool) -> list[str]:
    """Row grouping of a source: session, the viewer when people are counted (or asked for), the row dims."""
    return ["session_id", *(["user_id"] if per_user or "user_id" in rdims else []),
            *[d for d in rdims if d != "user_id"]]


def _person_flag(cond):
    """1 when the (session, viewer) row group has a row meeting ``cond`` (rows without a viewer are dropped
    when people are counted, :func:`~liveops_nb.engine.rollup.rollup`)."""
    return cond.any().cast("int64")


def with_user_attributes(t, users, attrs: list[str], where: Mapping[str, tuple[Any, ...]]):
    """Per-viewer rows ``t`` with the viewer attributes ``attrs`` from ``users`` (null for a viewer without a
    row there), kept where they pass the attribute filters of ``where``."""
    u = users.select("user_id", *attrs)
    t = t.left_join(u, "user_id")
    t = t.drop("user_id_right") if "user_id_right" in t.columns else t
    for d in attrs:
        if d in where:
            t = t.filter(t[d].isin(list(where[d])))
    return t


def events_source(events, rdims, where, names: list[str], groups=None) -> Source:
    """People and PV counts per (session, viewer[, row dims]) from ``events``, in one grouping."""
    e = _rows(events, rdims, where, groups=groups)
    et = e.event_type
    aggs: dict[str, Any] = {}
    for n in names:
        if n in _PEOPLE_EVENTS:
            aggs[n] = _person_flag(et.isin(_PEOPLE_EVENTS[n]))
        else:
            aggs[n] = (et == _COUNT_EVENTS[n]).sum()
    people = any(n in _PEOPLE_EVENTS for n in names)
    t = e.group_by(_keys(rdims, people)).agg(**aggs)
    return Source(t, {n: "people" if n in _PEOPLE_EVENTS else "sum" for n in names},
                  per_user=people or "user_id" in rdims, fill=dict.fromkeys(names, 0))


def watch_source(visits_, rdims, where, groups=None) -> Source:
    v = _rows(visits_, rdims, where, ts="enter_ts", groups=groups)
    t = v.group_by(_keys(rdims, False)).agg(watch_seconds=v.watch_seconds.sum())
    return Source(t, {"watch_seconds": "sum"}, per_user="user_id" in rdims, fill={"watch_seconds": 0.0})


def online_source(visits_, grid, rdims, where) -> Source:
    """Per-minute online viewers: peak (max), viewer-minutes (sum) and broadcast minutes (count)."""
    m = derive.online_per_minute(visits_, grid)
    m = m.mutate(minute=m.minute.cast(MINUTE_TYPE))
    if "minute" in where:
        m = m.filter(m.minute.isin(list(where["minute"])))
    keys = ["session_id", *[d for d in rdims if d == "minute"]]
    t = m.group_by(keys).agg(pcu=m.online.max(), online_minutes=m.online.sum(), broadcast_minutes=m.online.count())
    return Source(t, {"pcu": "max", "online_minutes": "sum", "broadcast_minutes": "sum"})


def orders_source(orders, rdims, where, names: list[str], paid_channels: list[str], groups=None) -> Source:
    o = _rows(orders, rdims, where, groups=groups)
    aggs: dict[str, Any] = {}
    for n in names:
        if n == "gmv":
            aggs[n] = o.amount.sum()
        elif n == "orders":
            aggs[n] = o.count()
        elif n == "units":
            aggs[n] = o.quantity.sum()
        elif n == "refund_amount":
            aggs[n] = o.refund_amount.sum()
        elif n == "buyers":
            aggs[n] = (o.count() > 0).cast("int64")
        elif n == "paid_gmv":
            paid = o.channel.isin(paid_channels or ["\0"]) if "channel" in o.columns else ibis.literal(False)
            aggs[n] = o.amount.sum(where=paid)
    people = "buyers" in names
    t = o.group_by(_keys(rdims, people)).agg(**aggs)
    return Source(t, {n: "people" if n == "buyers" else "sum" for n in names},
                  per_user=people or "user_id" in rdims, fill=dict.fromkeys(names, 0))


def spend_source(channels, rdims, where) -> Source:
    """Paid spend per session (and channel) from the supplied ``channels`` table."""
    c = _rows(channels, rdims, where)
    t = c.group_by(["session_id", *[d for d in rdims if d in ("channel", "channel_group")]]).agg(
        paid_spend=exact_sum(c.spend, where=c.channel_group == "paid"))
    return Source(t, {"paid_spend": "sum"}, fill={"paid_spend": 0.0}, exact=EXACT_SUMS)


def comments_source(flags, rdims, where) -> Source:
    """Comment-quality counts from the per-comment flags (a memtable built by the comment rules)."""
    c = _rows(flags, rdims, where)
    names = ["viewer_comments", "valid_comments", "questions", "answered_questions"]
    t = c.group_by(_keys(rdims, False)).agg(**{n: c[n].sum() for n in names})
    return Source(t, dict.fromkeys(names, "sum"), per_user="user_id" in rdims, fill=dict.fromkeys(names, 0))


def retention_source(returners, repeaters, viewers, late_sessions: list[str], rdims) -> Source:
    """Next-day returners and repeat buyers as 0/1 flags per (session, viewer).

    ``_late`` marks sessions whose next day is not in the data yet: a group containing one has no
    next-day value.
    """
    r = returners.select("session_id", "user_id", r1=ibis.literal(1))
    b = repeaters.select("session_id", "user_id", b1=ibis.literal(1))
    v = viewers.select("session_id", "user_id").union(repeaters.select("session_id", "user_id")).distinct()
    j = v.left_join(r, ["session_id", "user_id"]).left_join(b, ["session_id", "user_id"])
    j = j.select(v.session_id, v.user_id, next_day_returners=j.r1.fill_null(0), repeat_buyers=j.b1.fill_null(0),
                 _late=ibis.cases((v.session_id.isin(late_sessions or ["\0"]), 1), else_=0))
    return Source(j, {"next_day_returners": "people", "repeat_buyers": "people", "_late": "max"}, per_user=True)
