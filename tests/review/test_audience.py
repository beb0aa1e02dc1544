"""Section 7 — audience: hand-worked numbers on the tiny dataset, RFM layers on synthetic orders, demo cohort.

Rendering (tables, charts, words): tests/render/review/test_audience.py.
"""
from __future__ import annotations

import pandas as pd
import pytest

from devtools import tiny
from liveops_nb.engine.reasons import Reason
from liveops_nb.review import audience as A

TS = tiny.ts


def test_new_vs_returning_sets():
    nr = A.new_vs_returning({"a", "b", "c"}, {"a"}, {"b", "x"}, set()).set_index("group")
    assert nr.loc["viewers", ["new", "returning", "total"]].tolist() == [2, 1, 3]
    assert nr.loc["viewers", "returning_share"] == pytest.approx(1 / 3)
    assert nr.loc["buyers", ["new", "returning"]].tolist() == [1, 0]


def test_tiny_new_vs_returning(tiny_ds):
    s1 = A.build(tiny_ds, "S1").new_returning.set_index("group")
    # first session of the room: viewers u1, u2, u4 and buyers u1, u4 are all new
    assert s1.loc["viewers", ["new", "returning"]].tolist() == [3, 0]
    assert s1.loc["buyers", ["new", "returning"]].tolist() == [2, 0]
    s2 = A.build(tiny_ds, "S2").new_returning.set_index("group")
    # S2: u1 watched and bought in S1 -> returning viewer and returning buyer
    assert s2.loc["viewers", ["new", "returning"]].tolist() == [0, 1]
    assert s2.loc["buyers", ["new", "returning"]].tolist() == [0, 1]


def test_tiny_breakdowns_and_shares(tiny_ds):
    d = A.build(tiny_ds, "S1")
    reg = d.regions.set_index("value")
    # viewers u1 广东, u2 浙江, u4 上海; buyers u1, u4
    assert reg["viewers"].to_dict() == {"广东": 1, "浙江": 1, "上海": 1}
    assert reg["buyers"].to_dict() == {"广东": 1, "浙江": 0, "上海": 1}
    assert reg.loc["广东", "share"] == pytest.approx(1 / 3)
    assert d.tiers.set_index("value")["viewers"].to_dict() == {"普通": 1, "金卡": 1, "银卡": 1}
    # followers: only u1 of 3 viewers; nobody in the private domain
    assert d.shares["follower_share"] == pytest.approx(1 / 3)
    assert d.shares["private_domain_share"] == 0.0
    # registry next_day_return_rate: u1 watches again on 09-08 -> 1 / 3 viewers
    assert d.next_day_return_rate == pytest.approx(1 / 3)


def test_rfm_layers_thresholds():
    as_of = TS("2026-03-31 20:00")
    orders = pd.DataFrame({"user_id": ["new", "act", "act", "dor", "edge_new", "edge_act", "edge_act"],
                           "ts": [TS("2026-03-25 20:00"),                       # first purchase 6 days ago -> new
                                  TS("2026-01-01 10:00"), TS("2026-03-20 20:00"),  # last 11 days ago, first old -> active
                                  TS("2026-02-01 20:00"),                       # 58 days -> dormant
                                  TS("2026-03-17 20:00"),                       # first exactly 14 days ago -> new
                                  TS("2026-01-05 20:00"), TS("2026-03-03 20:00")]})  # last exactly 28 days -> active
    layers = A.rfm_layers(orders, as_of).set_index("user_id")
    assert layers["layer"].to_dict() == {"act": "active", "dor": "dormant", "edge_act": "active",
                                         "edge_new": "new", "new": "new"}
    assert layers.loc["act", "orders"] == 2 and layers.loc["dor", "recency_days"] == pytest.approx(58)
    summary = A.layer_summary(layers.reset_index(), viewers={"act", "dor", "zzz"}, buyers={"dor"}).set_index("layer")
    assert summary.loc["new", "buyers"] == 2 and summary.loc["active", "watched"] == 1
    assert summary.loc["dormant", ["buyers", "watched", "bought"]].tolist() == [1, 1, 1]


def test_tiny_rfm_s2(tiny_ds):
    rfm = A.build(tiny_ds, "S2").rfm.set_index("layer")
    # before S2: u1 and u4 bought in S1 the day before -> both "new"; u1 watched and bought in S2
    assert rfm.loc["new", ["buyers", "watched", "bought"]].tolist() == [2, 1, 1]
    assert rfm.loc["dormant", "buyers"] == 0


def test_key_figures(tiny_ds):
    d = A.build(tiny_ds, "S2")
    kf = A.key_figures(d)
    assert kf["returning_viewers"] == 1.0 and kf["new_viewers"] == 0.0 and kf["rfm_new_bought"] == 1.0
    assert kf["next_day_return_rate"] is None  # S2 is the last day: the next day is not in the data
    assert d.ndr_reason is not None and d.ndr_reason.code == "next_day_pending"


def test_viewers_and_buyers_are_the_registry_counts(tiny_ds):
    for sid in ("S1", "S2"):
        nr = A.build(tiny_ds, sid).new_returning.set_index("group")
        k = tiny_ds.kpis(["uv", "buyers"], where={"session_id": sid}).iloc[0]
        assert nr.at["viewers", "total"] == k["uv"] and nr.at["buyers", "total"] == k["buyers"]


def test_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = A.build(ds, "S1")
    assert not d.available and d.next_day_return_rate is None
    assert d.missing == Reason("needs_table", table="events")
    assert A.key_figures(d)["viewers"] is None


def test_demo_dormant_cohort_is_dormant_late(demo_ds, planted):
    cohort = planted["phenomena"]["dormant_cohort"]
    info = demo_ds.session_info
    last = info[info.room_id == cohort["room_id"]].session_id.iloc[-1]
    d = A.build(demo_ds, last)
    layer = d.layers.set_index("user_id")["layer"]
    ids = cohort["user_ids"]
    assert len(ids) == cohort["n_user_ids"] > 0
    # every planted dormant user is a past buyer of R01 and sits in the dormant layer at the room's last session
    assert (layer.reindex(ids) == "dormant").all()
    assert d.rfm.set_index("layer").loc["dormant", "buyers"] >= len(ids)
    assert A.key_figures(d)["rfm_dormant_buyers"] >= len(ids)


def test_demo_dormant_cohort_not_dormant_early(demo_ds, planted):
    cohort = planted["phenomena"]["dormant_cohort"]
    info = demo_ds.session_info
    room = info[info.room_id == cohort["room_id"]]
    # the first session of week 4: the cohort bought in weeks 1-2, i.e. within the last 28 days
    week4 = room[room.start_time >= room.start_time.min().normalize() + pd.Timedelta(days=21)].session_id.iloc[0]
    layer = A.build(demo_ds, week4).layers.set_index("user_id")["layer"]
    assert not (layer.reindex(cohort["user_ids"]) == "dormant").any()
