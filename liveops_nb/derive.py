"""Aggregate tables derived from viewer-level tables, as Ibis expressions.

The rules (also in docs/data-model.md):

* a *visit* is an ``enter`` paired with the same viewer's next ``exit`` in the
  session (or the session end when there is none); watch time is its length;
* a viewer counts as online in every minute from the minute they enter to the
  minute they leave, inclusive; ``pcu``/``acu`` are the max/mean of that;
* people counts are distinct ``user_id``; PV counts are event counts;
* money and orders come from ``orders`` (amount incl. later refunds).

Everything here is written once in Ibis with no backend-specific SQL, so the
same code runs on DuckDB (default) or Spark. :func:`only_sessions` reads a few
sessions' rows cheaply; the metric engine (:mod:`liveops_nb.engine`) builds its
base quantities from :func:`visits` and :func:`online_per_minute`.
"""
from __future__ import annotations

from collections.abc import Iterable

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
