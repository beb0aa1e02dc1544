"""Aggregate tables of the demo dataset (:mod:`liveops_nb.demo.aggregate`).

Derived (aggregate) tables are checked against a deliberately naive
recomputation: a plain Python loop over one session's rows.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

import pandas as pd
import pytest

from liveops_nb import demo

from .helpers import session_events


def test_channels_are_diversified_and_paid_roi_plausible(t: dict[str, pd.DataFrame]) -> None:
    ch = t["channels"]
    assert set(ch["channel"]) == set(demo.CHANNELS)
    share = ch.groupby("session_id")["uv"].max() / ch.groupby("session_id")["uv"].sum()
    assert share.max() <= 0.5
    paid = ch[ch["channel_group"] == "paid"]
    assert paid["spend"].notna().all() and ch.loc[ch["channel_group"] != "paid", "spend"].isna().all()
    assert 1.5 <= paid["gmv"].sum() / paid["spend"].sum() <= 4.0
    assert set(ch.loc[ch["channel"] == "社群", "channel_group"]) == {"private"}


def test_gmv_target_near_typical_gmv(t: dict[str, pd.DataFrame]) -> None:
    s = t["sessions"].assign(room=lambda d: d["session_id"].str[:3], slot=lambda d: d["session_id"].str[-1])
    med = s.groupby(["room", "slot"])["gmv"].transform("median")
    ratio = s["gmv_target"] / med
    assert ratio.between(0.98, 1.22).all()



# --------------------------------------------- derivation rules, recomputed by hand
def recompute(t: dict[str, pd.DataFrame], sid: str) -> dict:
    """Aggregates of one session from a plain loop over its events and orders."""
    sess = t["sessions"].set_index("session_id").loc[sid]
    rows = session_events(t, sid).sort_values(["ts"], kind="stable").itertuples(index=False)
    impressed, entered, p_imp, p_click, interact = set(), set(), set(), set(), set()
    views = follows = comments = 0
    open_since: dict[str, pd.Timestamp] = {}
    visits = []  # (user, channel, enter, exit, enter minute, exit minute)
    chan_of: dict[str, str] = {}
    per_min: dict[pd.Timestamp, Counter] = defaultdict(Counter)
    per_min_users: dict[tuple, set] = defaultdict(set)
    ch_imp: dict[str, set] = defaultdict(set)
    ch_views: Counter = Counter()
    ch_uv: dict[str, set] = defaultdict(set)
    prod_imp: dict[str, set] = defaultdict(set)
    prod_click: dict[str, set] = defaultdict(set)
    products_seen: set = set()
    for r in rows:
        m = r.ts.floor("min")
        kind = r.event_type
        per_min[m][kind] += 1
        if kind in ("product_impression", "product_click", "order"):
            products_seen.add(r.product_id)
        if kind == "impression":
            impressed.add(r.user_id)
            ch_imp[r.channel].add(r.user_id)
            per_min_users[(m, kind)].add(r.user_id)
        elif kind == "enter":
            views += 1
            entered.add(r.user_id)
            assert r.user_id not in open_since, "enter while already inside"
            open_since[r.user_id] = r.ts
            chan_of[r.user_id] = r.channel
            ch_views[r.channel] += 1
            ch_uv[r.channel].add(r.user_id)
        elif kind == "exit":
            a = open_since.pop(r.user_id)
            visits.append((r.user_id, chan_of[r.user_id], a, r.ts, a.floor("min"), m))
        elif kind in ("like", "comment", "share"):
            interact.add(r.user_id)
            comments += kind == "comment"
        elif kind == "follow":
            follows += 1
        elif kind == "product_impression":
            p_imp.add(r.user_id)
            prod_imp[r.product_id].add(r.user_id)
            per_min_users[(m, kind)].add(r.user_id)
        elif kind == "product_click":
            p_click.add(r.user_id)
            prod_click[r.product_id].add(r.user_id)
            per_min_users[(m, kind)].add(r.user_id)
    assert not open_since, "every enter needs an exit"

    minutes = pd.date_range(sess["start_time"].floor("min"), sess["end_time"].floor("min"), freq="min")
    # a visit counts in every minute from its enter minute to its exit minute, inclusive
    online = [sum(1 for *_, a_min, b_min in visits if a_min <= m <= b_min) for m in minutes]

    orders = t["orders"][t["orders"]["session_id"] == sid]
    gmv = refund = 0.0
    units = 0
    buyers: set = set()
    min_orders: Counter = Counter()
    min_gmv: Counter = Counter()
    min_buyers: dict = defaultdict(set)
    ch_gmv: Counter = Counter()
    ch_orders: Counter = Counter()
    prod_orders: dict = defaultdict(lambda: dict(orders=0, units=0, gmv=0.0, refund=0.0, buyers=set()))
    for o in orders.itertuples(index=False):
        gmv += o.amount
        refund += o.refund_amount
        units += o.quantity
        buyers.add(o.user_id)
        m = o.ts.floor("min")
        min_orders[m] += 1
        min_gmv[m] += o.amount
        min_buyers[m].add(o.user_id)
        ch_gmv[o.channel] += o.amount
        ch_orders[o.channel] += 1
        p = prod_orders[o.product_id]
        p["orders"] += 1
        p["units"] += o.quantity
        p["gmv"] += o.amount
        p["refund"] += o.refund_amount
        p["buyers"].add(o.user_id)
    return dict(
        impressions=len(impressed), views=views, uv=len(entered),
        avg_watch_seconds=sum((b - a).total_seconds() for _, _, a, b, *_ in visits) / len(entered),
        pcu=max(online), acu=sum(online) / len(online), online=online, minutes=list(minutes),
        gmv=gmv, orders=len(orders), buyers=len(buyers), units=units, refund_amount=refund,
        product_impression_uv=len(p_imp), product_click_uv=len(p_click), interaction_uv=len(interact),
        new_followers=follows, comments=comments, per_min=per_min, per_min_users=per_min_users,
        min_orders=min_orders, min_gmv=min_gmv, min_buyers=min_buyers,
        ch_imp=ch_imp, ch_views=ch_views, ch_uv=ch_uv, ch_gmv=ch_gmv, ch_orders=ch_orders,
        prod_imp=prod_imp, prod_click=prod_click, prod_orders=prod_orders, products_seen=products_seen,
        visits=visits,
    )


@pytest.fixture(scope="module", params=["ordinary_session", "outage"])
def hand(request: pytest.FixtureRequest, t: dict[str, pd.DataFrame], planted: dict) -> tuple[str, dict]:
    sid = planted["phenomena"][request.param]["session_id"]
    return sid, recompute(t, sid)


def test_session_totals_follow_the_rules(t: dict[str, pd.DataFrame], hand: tuple[str, dict]) -> None:
    sid, h = hand
    row = t["sessions"].set_index("session_id").loc[sid]
    for col in ("impressions", "views", "uv", "pcu", "orders", "buyers", "units", "product_impression_uv",
                "product_click_uv", "interaction_uv", "new_followers", "comments"):
        assert row[col] == h[col], col
    assert row["views"] > row["uv"]  # someone came back
    assert math.isclose(row["avg_watch_seconds"], h["avg_watch_seconds"], rel_tol=1e-9)
    assert math.isclose(row["acu"], h["acu"], rel_tol=1e-12)
    assert math.isclose(row["gmv"], h["gmv"], abs_tol=0.005)
    assert math.isclose(row["refund_amount"], h["refund_amount"], abs_tol=0.005)


def test_minute_stats_follow_the_rules(t: dict[str, pd.DataFrame], hand: tuple[str, dict]) -> None:
    sid, h = hand
    ms = t["minute_stats"][t["minute_stats"]["session_id"] == sid].reset_index(drop=True)
    assert list(ms["minute"]) == h["minutes"]
    assert list(ms["online"]) == h["online"]
    for i, m in enumerate(h["minutes"]):
        c = h["per_min"].get(m, Counter())
        got = ms.loc[i]
        assert got["entries"] == c["enter"] and got["exits"] == c["exit"]
        assert got["comments"] == c["comment"] and got["likes"] == c["like"] and got["shares"] == c["share"]
        assert got["new_followers"] == c["follow"]
        assert got["impressions"] == len(h["per_min_users"].get((m, "impression"), ()))
        assert got["product_impression_uv"] == len(h["per_min_users"].get((m, "product_impression"), ()))
        assert got["product_click_uv"] == len(h["per_min_users"].get((m, "product_click"), ()))
        assert got["orders"] == h["min_orders"][m]
        assert got["buyers"] == len(h["min_buyers"].get(m, ()))
        assert math.isclose(got["gmv"], h["min_gmv"][m], abs_tol=0.005)
    # paid spend: the session's paid spend spread over minutes by paid-channel entries
    ch = t["channels"][t["channels"]["session_id"] == sid]
    spend = ch.loc[ch["channel_group"] == "paid", "spend"].sum()
    paid_entries = Counter(a_min for _, c, _, _, a_min, _ in h["visits"] if demo.CHANNEL_GROUP[c] == "paid")
    total = sum(paid_entries.values())
    for i, m in enumerate(h["minutes"]):
        expected = round(spend * paid_entries[m] / total, 2) if total else 0.0
        assert math.isclose(ms.loc[i, "paid_spend"], expected, abs_tol=0.0051)
    assert abs(ms["paid_spend"].sum() - spend) <= 0.005 * len(ms)


def test_channels_follow_the_rules(t: dict[str, pd.DataFrame], hand: tuple[str, dict]) -> None:
    sid, h = hand
    ch = t["channels"][t["channels"]["session_id"] == sid].set_index("channel")
    assert set(ch.index) == set(h["ch_imp"])
    for c, row in ch.iterrows():
        assert row["channel_group"] == demo.CHANNEL_GROUP[c]
        assert row["impressions"] == len(h["ch_imp"][c])
        assert row["views"] == h["ch_views"][c]
        assert row["uv"] == len(h["ch_uv"][c])
        assert row["orders"] == h["ch_orders"][c]
        assert math.isclose(row["gmv"], h["ch_gmv"][c], abs_tol=0.005)


def test_product_stats_follow_the_rules(t: dict[str, pd.DataFrame], hand: tuple[str, dict]) -> None:
    sid, h = hand
    ps = t["product_stats"][t["product_stats"]["session_id"] == sid].set_index("product_id")
    assert set(ps.index) == h["products_seen"]
    for p, row in ps.iterrows():
        o = h["prod_orders"][p]
        assert row["impression_uv"] == len(h["prod_imp"][p])
        assert row["click_uv"] == len(h["prod_click"][p])
        assert (row["orders"], row["units"], row["buyers"]) == (o["orders"], o["units"], len(o["buyers"]))
        assert math.isclose(row["gmv"], o["gmv"], abs_tol=0.005)
        assert math.isclose(row["refund_amount"], o["refund"], abs_tol=0.005)
