"""Every registered metric on the tiny dataset, worked out by hand (see devtools/tiny.py).

S1 (2026-09-07 20:00–20:05):
  impressed people u1,u2,u3,u4 = 4; entries u1, u2 x2, u4 = 4 views; viewers u1,u2,u4 = 3 uv
  watch: u1 120 s + u2 30 s + u2 60 s + u4 175 s (no exit -> session end) = 385 s -> 385/3 s per viewer
  online per minute 20:00..20:05 = 2,1,2,2,2,1 -> pcu 2, acu 10/6
  orders o1 100 (u1), o2 300 refunded (u4, qty 2), o3 100 (u4) -> gmv 500, 3 orders, 2 buyers, 4 units, refund 300
  product impression people u1,u2,u4 = 3; click people u1,u4 = 2; interacting u1 (like), u2 (comment), u4 (share) = 3
  one follow; paid channel 千川 (u2, u4): spend 50, paid gmv o2+o3 = 400
  comments: c1 emoji-only, c2 question answered by host reply h1 -> 2 viewer comments, 1 valid, 1 question, 1 answered
  next day: u1 returns on 09-08 -> 1 of 3; no buyer of S1 bought before -> repurchase 0 of 2
S2 (2026-09-08 20:00–20:03): u1 (30 s) and u5 impressed; one order 100 by u1 (who bought in S1 -> repurchase 1/1)
  online 20:00..20:03 = 1,1,0,0 -> pcu 1, acu 0.5; S2 is the last day -> next-day return not available
"""
from __future__ import annotations

import math

import pytest

import liveops_nb
from liveops_nb.metrics import REGISTRY
from liveops_nb.render.metrics import kpi_table

S1 = {
    "impressions": 4, "views": 4, "uv": 3, "pcu": 2, "acu": 10 / 6, "avg_watch_seconds": 385 / 3,
    "gmv": 500, "orders": 3, "buyers": 2, "units": 4, "aov": 250, "uv_value": 500 / 3, "gpm": 500 / 4 * 1000,
    "impression_to_view_rate": 3 / 4, "product_impression_rate": 3 / 3, "product_click_rate": 2 / 3,
    "click_to_order_rate": 2 / 2, "view_to_order_rate": 2 / 3, "interaction_rate": 3 / 3,
    "new_followers": 1, "follow_rate": 1 / 3, "refund_rate": 300 / 500, "paid_spend": 50, "paid_roi": 400 / 50,
    "valid_comment_ratio": 1 / 2, "questions": 1, "answer_coverage": 1 / 1,
    "next_day_return_rate": 1 / 3, "repurchase_rate": 0 / 2,
}
S2 = {
    "impressions": 2, "views": 1, "uv": 1, "pcu": 1, "acu": 0.5, "avg_watch_seconds": 30, "gmv": 100,
    "orders": 1, "buyers": 1, "units": 1, "aov": 100, "uv_value": 100, "gpm": 100 / 1 * 1000,
    "impression_to_view_rate": 1 / 2, "product_impression_rate": 0 / 1, "product_click_rate": None,
    "click_to_order_rate": None, "view_to_order_rate": 1, "interaction_rate": 0, "new_followers": 0,
    "follow_rate": 0, "refund_rate": 0, "paid_spend": 0, "paid_roi": None, "valid_comment_ratio": None,
    "questions": 0, "answer_coverage": None, "next_day_return_rate": None, "repurchase_rate": 1,
}


def _check(got: float | None, want: float | None, key: str) -> None:
    if want is None:
        assert got is None or math.isnan(got), f"{key}: expected not available, got {got}"
    else:
        assert got == pytest.approx(want, rel=1e-9), key


def test_hand_values_cover_the_whole_registry():
    assert set(S1) == set(REGISTRY) == set(S2)


@pytest.mark.parametrize("sid,expected", [("S1", S1), ("S2", S2)])
def test_session_kpis_match_hand_values(tiny_ds, sid, expected):
    rows = tiny_ds.session_kpis(sid).set_index("key")
    for key, want in expected.items():
        _check(rows.at[key, "value"], want, key)


def test_wide_kpis_match_session_kpis(tiny_ds):
    wide = tiny_ds.kpis().set_index("session_id")
    for key, want in S1.items():
        _check(wide.at["S1", key], want, key)


def test_missing_values_say_why(tiny_ds):
    rows = kpi_table(tiny_ds.session_kpis("S2"), "en").set_index("key")
    assert "denominator is 0" in rows.at["paid_roi", "missing_reason"]
    assert "next day" in rows.at["next_day_return_rate", "missing_reason"]
    assert rows.at["gmv", "missing_reason"] is None


def test_aggregate_only_dataset_gives_the_same_platform_numbers(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    assert ds.level == "aggregate"
    rows = kpi_table(ds.session_kpis("S1"), "en").set_index("key")
    for key in ("impressions", "views", "uv", "pcu", "acu", "avg_watch_seconds", "gmv", "orders", "buyers", "aov",
                "uv_value", "gpm", "product_click_rate", "click_to_order_rate", "interaction_rate", "refund_rate",
                "paid_roi", "follow_rate"):
        _check(rows.at[key, "value"], S1[key], key)
    # viewer-level-only metrics are reported as not available, never estimated
    for key in ("valid_comment_ratio", "answer_coverage", "next_day_return_rate", "repurchase_rate"):
        assert math.isnan(rows.at[key, "value"]) or rows.at[key, "value"] is None
        assert rows.at[key, "missing_reason"].startswith("not available from this source")


def test_ignoring_viewer_level_tables(tiny_dir):
    ds = liveops_nb.open(tiny_dir, use_viewer_level=False)
    assert ds.level == "aggregate"
    assert not ds.has("events")


def test_sessions_list_has_one_row_per_session_with_main_kpis(tiny_ds):
    s = tiny_ds.sessions()
    assert list(s.session_id) == ["S1", "S2"]
    assert s.loc[s.session_id == "S1", "gmv"].item() == 500
    assert s.loc[s.session_id == "S2", "uv"].item() == 1
    assert {"room_name", "host", "start_time", "end_time", "date"} <= set(s.columns)
    assert str(s.start_time.dt.tz) == "Asia/Shanghai"


def test_unknown_session_is_a_clear_error(tiny_ds):
    with pytest.raises(liveops_nb.UnknownSessionError, match="S9"):
        tiny_ds.session_kpis("S9")


def test_derived_minute_stats_by_hand(tiny_ds):
    m = tiny_ds.frame("minute_stats", "S1")
    assert m.online.tolist() == [2, 1, 2, 2, 2, 1]
    assert m.entries.tolist() == [2, 0, 1, 1, 0, 0]  # u1,u2 | - | u4 | u2 again
    assert m.exits.tolist() == [1, 0, 1, 0, 1, 0]  # u2 20:00:50, u1 20:02:10, u2 20:04:00
    assert m.gmv.tolist() == [0, 100, 0, 400, 0, 0]
    assert m.paid_spend.sum() == pytest.approx(50, abs=0.02)  # spread over minutes with paid entries


def test_derived_product_stats_by_hand(tiny_ds):
    p = tiny_ds.frame("product_stats", "S1").set_index("product_id")
    assert p.loc["p1", ["impression_uv", "click_uv", "buyers", "orders", "units"]].tolist() == [2, 1, 2, 2, 2]
    assert p.loc["p1", "gmv"] == 200 and p.loc["p2", "refund_amount"] == 300


def test_derived_channels_by_hand(tiny_ds):
    c = tiny_ds.frame("channels", "S1").set_index("channel")
    assert c.loc["千川", ["views", "uv", "orders"]].tolist() == [3, 2, 2]
    assert c.loc["千川", "spend"] == 50 and c.loc["千川", "channel_group"] == "paid"
    assert c.loc["搜索", "uv"] == 0 and c.loc["搜索", "impressions"] == 1


def test_registry_entries_are_complete():
    for m in REGISTRY.values():
        assert m.zh and m.en and m.formula_zh and m.formula_en and m.unit
        assert m.denominator in ("PV", "UV", "amount", "none")
        assert m.direction in ("higher", "lower", "neutral")
    assert REGISTRY["gpm"].denominator == "PV" and REGISTRY["gpm"].denominator_base == "views"
    with pytest.raises(liveops_nb.UnknownMetricError):
        liveops_nb.metrics.get("gmv_per_hour")
