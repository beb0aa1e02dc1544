"""The board on the tiny dataset (devtools/tiny.py; numbers worked out by hand), on aggregate-only data,
the layer export, and structure / plausibility on the demo.

Tiny: room R1, S1 on Monday 2026-09-07 (viewers u1, u2, u4; u1 buys ¥100, u4 ¥300 + ¥100) and S2 on
2026-09-08 (viewer u1, buys ¥100). Regions u1 广东, u2 浙江, u4 上海; member tiers u1 普通, u2 金卡,
u4 银卡; nobody is in the private domain.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from liveops_nb.errors import LiveOpsError, UnknownOptionError
from liveops_nb.segments import (
    SECTIONS,
    SegmentInputError,
    SegmentRules,
    build,
    export_layer,
    kpis_for_groups,
    selection,
)
from liveops_nb.segments import data as sdata

# windows of one day so that the tiny dataset's two days fall into distinct layers
TINY_RULES = SegmentRules(new_days=1, at_risk_days=1, dormant_days=2, high_value_min_frequency=1,
                          high_value_min_monetary_value=100.0)


def test_layers_on_tiny(tiny_ds):
    sel = selection(tiny_ds, "2026-09-08", "week", rules=TINY_RULES)
    d = build(tiny_ds, "layers", sel)
    who = d.buyers.set_index("user_id")
    # u1: buy days 09-07, 09-08 (¥100 each): frequency 1, recency 1, T 1, monetary 100 -> high-value
    assert who.loc["u1", ["frequency", "recency", "T", "monetary_value", "spend"]].tolist() == [1, 1, 1, 100, 200]
    assert who.loc["u1", "layer"] == "high_value"
    # u4: one buy day 09-07 (¥400): last purchase 1 day ago -> at risk
    assert who.loc["u4", ["frequency", "T", "spend"]].tolist() == [0, 1, 400] and who.loc["u4", "layer"] == "at_risk"
    b = d.board.set_index("layer")
    assert b["buyers"].tolist() == [0, 0, 1, 1, 0]
    assert b.loc["high_value", "gmv_share"] == pytest.approx(1 / 3) and b.loc["at_risk", "gmv_share"] == pytest.approx(2 / 3)
    assert b["buyers_before"].sum() == 0 and b["change"].tolist() == [0, 0, 1, 1, 0]  # nobody had bought by 09-06


def test_layers_before_the_second_day(tiny_ds):
    d = build(tiny_ds, "layers", selection(tiny_ds, "2026-09-07", "week", rules=TINY_RULES))
    # as of 09-07 both bought for the first time that day: T = 0 < 1 -> new
    assert d.buyers.set_index("user_id")["layer"].to_dict() == {"u1": "new", "u4": "new"}


def test_groups_on_tiny_come_from_the_registry(tiny_ds):
    sel = selection(tiny_ds, "2026-09-08", "week", rules=TINY_RULES)
    g = build(tiny_ds, "groups", sel)
    tiers = g.tiers.set_index("group")
    assert tiers.loc["普通", ["uv", "buyers", "gmv", "view_to_order_rate", "uv_value", "aov"]].tolist() == [
        1, 1, 200, 1.0, 200, 200]
    assert tiers.loc["银卡", ["uv", "buyers", "gmv", "view_to_order_rate", "aov"]].tolist() == [1, 1, 400, 1.0, 400]
    assert tiers.loc["金卡", ["uv", "buyers", "view_to_order_rate"]].tolist() == [1, 0, 0.0]
    assert math.isnan(tiers.loc["金卡", "aov"])  # no buyer: order value per buyer undefined
    private = g.private.set_index("group")
    assert list(private.index) == ["no"]  # nobody is in the private domain
    assert private.loc["no", ["uv", "buyers", "gmv"]].tolist() == [3, 2, 600]
    assert private.loc["no", "view_to_order_rate"] == pytest.approx(2 / 3)
    # one group holding everybody gives exactly what ds.kpis gives for the same sessions
    total = tiny_ds.kpis(["view_to_order_rate", "uv_value"], by=[], where={"session_id": ["S1", "S2"]}).iloc[0]
    assert private.loc["no", "view_to_order_rate"] == total["view_to_order_rate"]
    assert private.loc["no", "uv_value"] == total["uv_value"]
    assert set(g.regions["group"]) == {"广东", "浙江", "上海"}


def test_groups_refuse_metrics_that_do_not_add_up_over_people(tiny_ds):
    with pytest.raises(SegmentInputError, match="pcu"):
        kpis_for_groups(tiny_ds, pd.Series({"u1": "x"}), keys=("pcu",))


def test_spending_and_trend_on_tiny(tiny_ds):
    sel = selection(tiny_ds, "2026-09-08", "week", rules=TINY_RULES)
    tiers = build(tiny_ds, "spending", sel)
    assert tiers["buyers"].tolist() == [0, 1, 1, 0]  # u1 paid ¥200 in the week, u4 ¥400
    nr = build(tiny_ds, "new_returning", sel)
    assert nr[["viewers", "new_viewers", "buyers", "new_buyers"]].values.tolist() == [[3, 3, 2, 2]]
    # the viewers of the week are the registry's weekly UV (people counted once)
    assert nr["viewers"].iloc[0] == tiny_ds.kpis(["uv"], by=["week"])["uv"].iloc[0]


def test_retention_rates_are_the_registry_values(tiny_ds):
    r = build(tiny_ds, "retention", selection(tiny_ds, "2026-09-08", "week"))
    # the week holds S2 (09-08), whose next day is not in the data yet: the registry gives no value, and says why
    assert math.isnan(r.trend["next_day_return_rate"].iloc[0]) and r.current["next_day_return_rate"] is None
    assert r.reasons[("current", "next_day_return_rate")].code == "next_day_pending"
    # u1 bought in S1 and again in S2: 1 of the week's 2 buyers (u1, u4) bought in the room before
    assert r.current["repurchase_rate"] == pytest.approx(1 / 2) and r.trend["repurchase_rate"].iloc[0] == pytest.approx(1 / 2)
    assert r.previous == {"next_day_return_rate": None, "repurchase_rate": None}  # no session the week before
    first_day = build(tiny_ds, "retention", selection(tiny_ds, "2026-09-07", "week"))
    # S1 alone: viewers u1, u2, u4, of whom u1 watches again on 09-08; buyers u1, u4 had not bought before
    assert first_day.current == {"next_day_return_rate": pytest.approx(1 / 3), "repurchase_rate": 0.0}


def test_aggregate_only_data_says_what_is_missing(tiny_aggregate_ds):
    reason = sdata.missing(tiny_aggregate_ds)
    assert reason is not None and reason.table == "events"
    sel = selection(tiny_aggregate_ds, "2026-09-08", "week")
    r = build(tiny_aggregate_ds, "retention", sel)
    assert r.current["next_day_return_rate"] is None and r.current["repurchase_rate"] is None
    assert r.missing["next_day_return_rate"].code == "needs_table"
    with pytest.raises(LiveOpsError):  # the engine refuses people per viewer from platform totals
        build(tiny_aggregate_ds, "layers", sel)


def test_selection_is_checked(tiny_ds):
    assert selection(tiny_ds).win.as_of == pd.Timestamp("2026-09-08")  # the last day with a session
    with pytest.raises(UnknownOptionError, match="R1"):
        selection(tiny_ds, room="R9")
    with pytest.raises(UnknownOptionError):
        selection(tiny_ds, granularity="quarter")
    with pytest.raises(SegmentInputError):
        selection(tiny_ds, as_of="next tuesday")


def test_export_a_layer_as_csv_with_bom(tiny_ds, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    path = export_layer(tiny_ds, "high_value", out / "hv.csv", as_of="2026-09-08", rules=TINY_RULES)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "user_id,layer,frequency,recency,T,monetary_value,days_since_last,spend,last_purchase"
    assert lines[1:] == ["u1,high_value,1,1,1,100.0,0,200.0,2026-09-08"]
    assert [p.name for p in out.iterdir()] == ["hv.csv"]  # no temporary file left behind
    export_layer(tiny_ds, "dormant", path, as_of="2026-09-08", rules=TINY_RULES)  # replaced whole
    assert path.read_text(encoding="utf-8-sig").splitlines()[1:] == []
    with pytest.raises(UnknownOptionError, match="high_value"):
        export_layer(tiny_ds, "vip", tmp_path / "x.csv")


def test_demo_board_is_plausible(demo_ds):
    sel = selection(demo_ds, granularity="month")
    d = build(demo_ds, "layers", sel)
    rfm = d.buyers
    assert (rfm["frequency"] >= 0).all() and (rfm["recency"] <= rfm["T"]).all() and (rfm["recency"] >= 0).all()
    assert (rfm.loc[rfm["frequency"] == 0, "monetary_value"] == 0).all() and (rfm["monetary_value"] >= 0).all()
    assert (rfm["frequency"] == rfm["frequency"].round()).all()
    # every buyer up to the as-of day is in exactly one layer
    per_user = demo_ds.kpis(["buyers"], by=["user_id"])
    assert d.board["buyers"].sum() == len(rfm) == int((per_user["buyers"] > 0).sum())
    assert d.board["gmv_share"].sum() == pytest.approx(1.0) and d.board["buyer_share"].sum() == pytest.approx(1.0)
    assert d.board["gmv"].sum() == pytest.approx(demo_ds.kpis(["gmv"], by=[])["gmv"].iloc[0])
    cells = build(demo_ds, "cohorts", sel)
    assert (cells.loc[cells["offset"] == 0, "retention"] == 1.0).all() and cells["retention"].between(0, 1).all()
    for name in SECTIONS:
        assert build(demo_ds, name, sel) is not None


@pytest.mark.parametrize("as_of", ["2026-08-01", "2027-01-04"])
def test_an_as_of_day_before_or_long_after_the_data(tiny_ds, as_of):
    sel = selection(tiny_ds, as_of, "week")
    results = {name: build(tiny_ds, name, sel) for name in SECTIONS}
    if as_of == "2026-08-01":  # nothing happened yet
        assert results["layers"].buyers.empty and results["layers"].board["buyers"].sum() == 0
        assert results["new_returning"].empty and results["cohorts"].empty
        assert results["spending"]["buyers"].sum() == 0 and results["groups"].regions.empty
    else:  # 2027-01-04: u1 last bought 118 days ago, u4 119 days ago: both dormant by the default rules
        assert results["layers"].buyers.set_index("user_id")["layer"].to_dict() == {"u1": "dormant", "u4": "dormant"}
        assert results["layers"].board.set_index("layer").loc["dormant", "buyers_before"] == 2  # also on 01-03
