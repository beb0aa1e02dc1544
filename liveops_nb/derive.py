"""Aggregate tables derived from viewer-level tables, as Ibis expressions.

The rules (also in docs/data-model.md):

* a *visit* is an ``enter`` paired with the same viewer's next ``exit`` in the
  session (or the session end when there is none); watch time is its length;
* a viewer counts as online in every minute from the minute they enter to the
  minute they leave, inclusive; ``pcu``/``acu`` are the max/mean of that;
* people counts are distinct ``user_id``; PV counts are event counts;
* money and orders come from ``orders`` (amount incl. later refunds).

Everything here is written once in Ibis with no backend-specific SQL, so the
same code runs on DuckDB (default) or Spark. The helpers at the end
(:class:`Parts`, :func:`join_parts`, :func:`only_sessions`) assemble the
per-session base quantities of :mod:`liveops_nb.dataset` as flat queries.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ibis
import numpy as np
import pandas as pd
from ibis import _

from .schema import CHANNEL_GROUPS

FEW_SESSIONS = 8  # up to this many sessions are read with one equality filter each (only_sessions)

# Douyin channel names (docs/metrics.md) and their group; a supplied channels table may add more.
DEFAULT_CHANNEL_GROUPS: dict[str, str] = {
    "直播推荐": "organic", "短视频引流": "organic", "关注": "organic", "搜索": "organic",
    "个人主页&店铺&橱窗": "organic", "商城推荐": "organic", "活动页": "organic", "其他": "organic",
    "千川": "paid", "品牌广告": "paid", "随心推": "paid", "其他投放": "paid",
    "社群": "private", "企业微信": "private", "私域": "private",
}
assert set(DEFAULT_CHANNEL_GROUPS.values()) <= set(CHANNEL_GROUPS)


def visits(events, sessions):
    """One row per visit: session_id, user_id, channel (of the entry), enter_ts, exit_ts, watch_seconds."""
    ee = events.filter(events.event_type.isin(["enter", "exit"])).select(
        "session_id", "user_id", "ts", "channel", is_exit=(events.event_type == "exit").cast("int8"))
    w = ibis.window(group_by=[ee.session_id, ee.user_id], order_by=[ee.ts, ee.is_exit])
    ee = ee.mutate(next_ts=ee.ts.lead().over(w), next_is_exit=ee.is_exit.lead().over(w))
    ent = ee.filter(ee.is_exit == 0)
    ent = ent.inner_join(sessions.select("session_id", "end_time"), "session_id")
    exit_ts = ibis.cases((ent.next_is_exit == 1, ent.next_ts), else_=ent.end_time)
    v = ent.select("session_id", "user_id", "channel", enter_ts=ent.ts, exit_ts=exit_ts)
    # seconds with their fraction (engines may type epoch seconds as integers)
    return v.mutate(watch_seconds=(v.exit_ts.epoch_seconds() - v.enter_ts.epoch_seconds()).cast("float64"))


def minute_grid(sessions_df: pd.DataFrame):
    """Every minute of every session, floor(start) .. floor(end), as a memtable."""
    df = sessions_df[["session_id", "start_time", "end_time"]]
    first = pd.to_datetime(df["start_time"]).dt.floor("min")
    n = ((pd.to_datetime(df["end_time"]).dt.floor("min") - first) // pd.Timedelta(minutes=1)).clip(lower=-1).astype("int64") + 1
    counts = n.to_numpy()
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    grid = pd.DataFrame({
        "session_id": np.repeat(df["session_id"].to_numpy(), counts),
        "minute": first.repeat(counts.tolist()).reset_index(drop=True) + pd.to_timedelta(offsets, unit="min"),
    })
    return ibis.memtable(grid)


def online_per_minute(visits_, grid):
    """Viewers online in every grid minute: +1 from the entry minute, -1 after the exit minute, summed up.

    Returns ``session_id, minute, online`` for every row of ``grid`` (changes
    falling outside the grid are ignored).
    """
    v = visits_
    delta_in = v.group_by(["session_id", v.enter_ts.truncate("m").name("minute")]).agg(d=_.count())
    delta_out = v.group_by(["session_id", (v.exit_ts.truncate("m") + ibis.interval(minutes=1)).name("minute")]).agg(d=-_.count())
    deltas = delta_in.union(delta_out).group_by(["session_id", "minute"]).agg(d=_.d.sum())
    g = grid.left_join(deltas, ["session_id", "minute"]).drop("session_id_right", "minute_right")
    g = g.mutate(d=g.d.fill_null(0))
    win = ibis.window(group_by=g.session_id, order_by=g.minute, preceding=None, following=0)
    return g.select("session_id", "minute", online=g.d.sum().over(win))


def minute_stats(events, orders, sessions, grid, channel_groups=None, channels=None):
    """Derived ``minute_stats`` (see module docstring for the rules)."""
    ev = events.mutate(minute=events.ts.truncate("m"))
    counts = ev.group_by(["session_id", "minute"]).agg(
        entries=(ev.event_type == "enter").sum(),
        exits=(ev.event_type == "exit").sum(),
        impressions=ev.user_id.nunique(where=ev.event_type == "impression"),
        comments=(ev.event_type == "comment").sum(),
        likes=(ev.event_type == "like").sum(),
        shares=(ev.event_type == "share").sum(),
        new_followers=(ev.event_type == "follow").sum(),
        product_impression_uv=ev.user_id.nunique(where=ev.event_type == "product_impression"),
        product_click_uv=ev.user_id.nunique(where=ev.event_type == "product_click"),
        paid_entries=((ev.event_type == "enter") & ev.channel.isin(_paid(channel_groups))).sum(),
    )
    od = orders.mutate(minute=orders.ts.truncate("m"))
    ocounts = od.group_by(["session_id", "minute"]).agg(orders=_.count(), buyers=_.user_id.nunique(), gmv=_.amount.sum())
    g = online_per_minute(visits(events, sessions), grid)
    g = g.left_join(counts, ["session_id", "minute"]).drop("session_id_right", "minute_right")
    g = g.left_join(ocounts, ["session_id", "minute"]).drop("session_id_right", "minute_right")
    fill = {c: 0 for c in ["entries", "exits", "impressions", "comments", "likes", "shares", "new_followers",
                           "product_impression_uv", "product_click_uv", "paid_entries", "orders", "buyers"]}
    g = g.fill_null(fill).fill_null({"gmv": 0.0})
    spend = _session_paid_spend(channels, channel_groups)
    if spend is not None:
        tot = g.group_by("session_id").agg(tot_paid=_.paid_entries.sum())
        g = g.left_join(tot, "session_id").drop("session_id_right").left_join(spend, "session_id").drop("session_id_right")
        share = ibis.cases((g.tot_paid > 0, g.paid_entries.cast("float64") / g.tot_paid), else_=0.0)
        g = g.mutate(paid_spend=(share * g.spend.fill_null(0.0)).round(2))
    else:
        g = g.mutate(paid_spend=ibis.null("float64"))
    return g.select("session_id", "minute", "online", "entries", "exits", "impressions", "comments", "likes",
                    "shares", "new_followers", "product_impression_uv", "product_click_uv", "orders", "buyers",
                    "gmv", "paid_spend")


def _paid(channel_groups) -> list[str]:
    groups = channel_groups or DEFAULT_CHANNEL_GROUPS
    return [c for c, g in groups.items() if g == "paid"]


def _session_paid_spend(channels, channel_groups):
    if channels is None or "spend" not in channels.columns:
        return None
    c = channels.filter(channels.channel_group == "paid")
    return c.group_by("session_id").agg(spend=c.spend.sum())


def viewer_counts(events):
    """People and PV counts per session from events, in one pass over the events.

    Events are first reduced to one row per (session, viewer) with flags ("did
    this viewer enter?") and counts, then summed per session — the same numbers
    as distinct counts per event type, at the cost of a single grouping.
    """
    et = events.event_type
    pu = events.group_by(["session_id", "user_id"]).agg(
        imp=(et == "impression").any(), n_enter=(et == "enter").sum(),
        pimp=(et == "product_impression").any(), pclick=(et == "product_click").any(),
        inter=et.isin(["like", "comment", "share"]).any(),
        n_follow=(et == "follow").sum(), n_comment=(et == "comment").sum())
    person = pu.user_id.notnull()
    return pu.group_by("session_id").agg(
        impressions=(pu.imp & person).sum(), views=pu.n_enter.sum(), uv=((pu.n_enter > 0) & person).sum(),
        product_impression_uv=(pu.pimp & person).sum(), product_click_uv=(pu.pclick & person).sum(),
        interaction_uv=(pu.inter & person).sum(), new_followers=pu.n_follow.sum(), comments=pu.n_comment.sum())


TOTALS_FILL: dict[str, int | float] = {
    "impressions": 0, "views": 0, "uv": 0, "product_impression_uv": 0, "product_click_uv": 0, "interaction_uv": 0,
    "new_followers": 0, "comments": 0, "watch_seconds": 0.0, "gmv": 0.0, "orders": 0, "buyers": 0, "units": 0,
    "refund_amount": 0.0}
"""Value of each :func:`session_totals` quantity for a session without any events or orders."""


def session_parts(events, orders, sessions, minute=None, *, grid=None) -> list:
    """The per-session tables :func:`session_totals` joins (people/PV counts, watch time, orders, pcu/acu).

    ``pcu``/``acu`` come from ``minute`` (a ``minute_stats`` table) when given,
    otherwise from the visits over ``grid`` (:func:`minute_grid`) without
    building the whole minute table.
    """
    v = visits(events, sessions)
    watch = v.group_by("session_id").agg(watch_seconds=v.watch_seconds.sum())
    if minute is None:
        if grid is None:
            raise ValueError("session_totals needs the minute_stats table or the minute grid")
        minute = online_per_minute(v, grid)
    o = orders.group_by("session_id").agg(
        gmv=orders.amount.sum(), orders=_.count(), buyers=orders.user_id.nunique(),
        units=orders.quantity.sum(), refund_amount=orders.refund_amount.sum())
    m = minute.group_by("session_id").agg(pcu=minute.online.max(), acu=minute.online.mean())
    return [viewer_counts(events), watch, o, m]


def join_parts(keys, parts: list):
    """Left-join per-session tables (``session_id`` + distinct columns) onto ``keys`` as one multi-way join.

    One join with one projection keeps the query flat: it compiles an order of
    magnitude faster than joining part by part and dropping the right-hand key
    after each join.
    """
    j = keys
    for part in parts:
        j = j.left_join(part, "session_id")
    return j.select(*[keys[c] for c in keys.columns],
                    *[part[c] for part in parts for c in part.columns if c != "session_id"])


def session_totals(events, orders, sessions, minute=None, *, grid=None):
    """Base quantities per session from viewer-level data (see metrics.BASE_SOURCES).

    ``pcu``/``acu`` come from ``minute`` (a ``minute_stats`` table) when given,
    otherwise from the visits over ``grid`` (:func:`minute_grid`).
    """
    parts = session_parts(events, orders, sessions, minute, grid=grid)
    return join_parts(sessions.select("session_id"), parts).fill_null(TOTALS_FILL)


def session_channels(events):
    """The (session, channel) pairs that have a channel-attributed impression or entry (rows of derived ``channels``)."""
    e = events.filter(events.event_type.isin(["impression", "enter"]) & events.channel.notnull())
    return e.select("session_id", "channel").distinct()


def channels(events, orders, channel_groups, supplied=None):
    """Derived ``channels``: people and money per (session, channel); spend from the supplied table."""
    e = events.filter(events.event_type.isin(["impression", "enter"]) & events.channel.notnull())
    ch = e.group_by(["session_id", "channel"]).agg(
        impressions=e.user_id.nunique(where=e.event_type == "impression"),
        views=(e.event_type == "enter").sum(),
        uv=e.user_id.nunique(where=e.event_type == "enter"))
    if "channel" in orders.columns:
        oc = orders.filter(orders.channel.notnull()).group_by(["session_id", "channel"]).agg(gmv=_.amount.sum(), orders=_.count())
        ch = ch.left_join(oc, ["session_id", "channel"]).drop("session_id_right", "channel_right")
    else:  # pragma: no cover - orders without channel attribution
        ch = ch.mutate(gmv=ibis.null("float64"), orders=ibis.null("int64"))
    groups = ibis.memtable(pd.DataFrame({"channel": list(channel_groups), "channel_group": list(channel_groups.values())}))
    ch = ch.left_join(groups, "channel").drop("channel_right")
    ch = ch.mutate(channel_group=ch.channel_group.fill_null("organic"))
    if supplied is not None and "spend" in supplied.columns:
        sp = supplied.select("session_id", "channel", "spend")
        ch = ch.left_join(sp, ["session_id", "channel"]).drop("session_id_right", "channel_right")
    else:
        ch = ch.mutate(spend=ibis.null("float64"))
    return ch.fill_null({"gmv": 0.0, "orders": 0}).select(
        "session_id", "channel", "channel_group", "impressions", "views", "uv", "gmv", "orders", "spend")


def product_stats(events, orders):
    """Derived ``product_stats`` per (session, product) with any activity."""
    e = events.filter(events.product_id.notnull() & events.event_type.isin(["product_impression", "product_click"]))
    pe = e.group_by(["session_id", "product_id"]).agg(
        impression_uv=e.user_id.nunique(where=e.event_type == "product_impression"),
        click_uv=e.user_id.nunique(where=e.event_type == "product_click"))
    po = orders.group_by(["session_id", "product_id"]).agg(
        buyers=orders.user_id.nunique(), orders=_.count(), units=orders.quantity.sum(),
        gmv=orders.amount.sum(), refund_amount=orders.refund_amount.sum())
    j = pe.outer_join(po, ["session_id", "product_id"])
    j = j.select(session_id=ibis.coalesce(j.session_id, j.session_id_right),
                 product_id=ibis.coalesce(j.product_id, j.product_id_right),
                 impression_uv=j.impression_uv, click_uv=j.click_uv, buyers=j.buyers, orders=j.orders,
                 units=j.units, gmv=j.gmv, refund_amount=j.refund_amount)
    return j.fill_null({"impression_uv": 0, "click_uv": 0, "buyers": 0, "orders": 0, "units": 0,
                        "gmv": 0.0, "refund_amount": 0.0})


class Parts:
    """Collects per-session tables and fixes, then joins them onto the session keys in one go."""

    def __init__(self, keys) -> None:
        self.keys = keys
        self.tables: list[Any] = []
        self.fill: dict[str, Any] = {}
        self.const: dict[str, Any] = {}
        self.later: dict[str, Any] = {}
        self.scratch: list[str] = []
        self.missing: dict[str, str] = {}

    def join(self, tables: list, **fill: Any) -> None:
        """Left-join ``tables`` (session_id + columns); ``fill`` gives the value where a session has no row."""
        self.tables += tables
        self.fill.update(fill)

    def absent(self, names: list[str], dtype: str, reason: Any = None) -> None:
        """Quantities left null; with ``reason`` (text, or a function of the name) they are reported missing."""
        for n in names:
            self.const[n] = ibis.null(dtype)
            if reason is not None:
                self.missing[n] = reason(n) if callable(reason) else reason

    def then(self, name: str, fn: Any) -> None:
        """Replace column ``name`` by ``fn(table)`` after the join."""
        self.later[name] = fn

    def build(self):
        """The per-session table: keys, joined columns (filled), constant nulls, then the replacements."""
        t = join_parts(self.keys, self.tables)
        t = t.mutate(**{c: t[c].fill_null(v) for c, v in self.fill.items()}, **self.const)
        if self.later:
            t = t.mutate(**{c: fn(t) for c, fn in self.later.items()})
        return t.drop(*self.scratch) if self.scratch else t


def only_sessions(t, session_ids: Iterable[str]):
    """Rows of table ``t`` that belong to the given sessions.

    A few sessions are read with one equality filter each, unioned: engines push
    an equality down into the file scan (DuckDB then reads only the matching
    rows of a Parquet file), whereas a list of values is often checked only
    after every column has been read.
    """
    ids = list(dict.fromkeys(session_ids))
    if 1 < len(ids) <= FEW_SESSIONS:
        return ibis.union(*[t.filter(t.session_id == s) for s in ids], distinct=False)
    return t.filter(t.session_id.isin(ids or ["\0"]))
