"""Section 4 (funnel): both funnels on hand-worked numbers.

Tiny S1 (devtools/tiny.py): impressed u1..u4 = 4 -> entered u1, u2, u4 = 3 -> product impression u1, u2, u4 = 3
-> product click u1, u4 = 2 -> bought u1, u4 = 2.
Watch time per viewer: u1 120 s; u2 30 s + 60 s = 90 s; u4 175 s (no exit -> session end 20:05).
Interacting people: u1 (like, comment), u2 (comment), u4 (share) = 3.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import liveops_nb
from liveops_nb.review import funnel


def _check_platform_s1(p: pd.DataFrame) -> None:
    assert p.step.tolist() == ["impressions", "uv", "product_impression_uv", "product_click_uv", "buyers"]
    assert p["count"].tolist() == [4, 3, 3, 2, 2]
    # conversions 3/4, 3/3, 2/3, 2/2; loss 1, 0, 1, 0
    assert p.conversion.iloc[1:].tolist() == pytest.approx([0.75, 1.0, 2 / 3, 1.0])
    assert p.loss.iloc[1:].tolist() == [1, 0, 1, 0]
    assert p.loss_rate.iloc[1:].tolist() == pytest.approx([0.25, 0.0, 1 / 3, 0.0])
    # 彩妆 P50 (default benchmarks.yaml): impression_to_view 0.24, product_click 0.25, click_to_order 0.07;
    # none for product_impression_rate
    assert p.bench_p50.iloc[1:].tolist()[0] == 0.24 and math.isnan(p.bench_p50.iloc[2])
    assert p.bench_p50.iloc[3:].tolist() == [0.25, 0.07]
    # vs benchmark: (0.75 - 0.24) / 0.24 = 2.125
    assert p.vs_bench.iloc[1] == pytest.approx(2.125)


def test_platform_funnel_tiny(tiny_ds):
    _check_platform_s1(funnel.build(tiny_ds, "S1").platform)


def test_platform_funnel_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    data = funnel.build(ds, "S1")
    _check_platform_s1(data.platform)
    assert data.template is None
    assert funnel.key_figures(data)["count_stayers"] is None


def test_template_funnel_tiny(tiny_ds):
    tpl = funnel.build(tiny_ds, "S1").template
    # 4 impressed -> 3 entered -> 3 stayed >= 60 s (120, 90, 175) -> 3 interacted -> 2 bought
    assert tpl.step.tolist() == ["impressions", "uv", "stayers", "interaction_uv", "buyers"]
    assert tpl["count"].tolist() == [4, 3, 3, 3, 2]
    assert tpl.conversion.iloc[1:].tolist() == pytest.approx([0.75, 1.0, 1.0, 2 / 3])
    # with 100 s only u1 (120) and u4 (175) stay: 2 of 3
    tpl = funnel.build(tiny_ds, "S1", stay_seconds=100).template
    assert tpl.set_index("step").at["stayers", "count"] == 2
    assert tpl.set_index("step").at["stayers", "conversion"] == pytest.approx(2 / 3)


def test_stayers_sums_visits():
    v = pd.DataFrame({"user_id": ["a", "a", "b", "c"], "watch_seconds": [30, 40, 59, 60]})
    # a: 30 + 40 = 70 >= 60; b 59 < 60; c 60 >= 60 (inclusive)
    assert funnel.stayers(v, 60) == 2
    assert funnel.stayers(v, 61) == 1
    assert funnel.stayers(v.iloc[:0], 60) == 0


def test_funnel_steps_rules():
    df = funnel.funnel_steps(["a", "b", "c", "d"], [10, 0, 5, None], [None, None, None, 0.5])
    # b: 0/10 = 0; c: previous is 0 -> no conversion; d: given 0.5, count missing
    assert df.conversion.iloc[1] == 0 and math.isnan(df.conversion.iloc[2]) and df.conversion.iloc[3] == 0.5
    assert df.loss.iloc[1] == 10 and df.loss.iloc[2] == -5 and math.isnan(df.loss.iloc[3])


def test_s2_missing_rates_carry_reasons(tiny_ds):
    data = funnel.build(tiny_ds, "S2")
    p = data.platform.set_index("step")
    # S2: 2 impressed -> 1 entered -> 0 product impressions -> 0 clicks -> 1 buyer (u1 bought without a click)
    assert p["count"].tolist() == [2, 1, 0, 0, 1]
    assert math.isnan(p.at["product_click_uv", "conversion"])  # registry: denominator 0
    reason = data.reasons["product_click_rate"]
    assert (reason.code, reason.quantity) == ("zero_denominator", "product_impression_uv")
    # u1 watched 30 s -> no stayer
    assert data.template.set_index("step").at["stayers", "count"] == 0


def test_findings_and_key_figures_tiny(tiny_ds):
    data = funnel.build(tiny_ds, "S1")
    # the weakest step: product impression -> click, 2/3, 1 person lost; every step beats its P50
    assert [f.code for f in data.findings] == ["funnel_biggest_loss"]
    assert data.findings[0].params == {"from": "product_impression_uv", "to": "product_click_uv",
                                       "conversion": pytest.approx(2 / 3), "loss": 1.0,
                                       "rate_key": "product_click_rate"}
    kf = funnel.key_figures(data)
    assert kf["count_impressions"] == 4 and kf["count_buyers"] == 2
    assert kf["product_click_rate"] == pytest.approx(2 / 3)
    assert kf["weakest_step"] == "product_click_rate"  # 2/3 is the lowest step conversion
    assert kf["furthest_below_bench"] is None  # every step beats its P50
    assert kf["count_stayers"] == 3 and kf["stay_conversion"] == 1.0


def test_below_bench_finding():
    p = funnel.platform_funnel({"impressions": 100, "uv": 40, "product_impression_uv": 20, "product_click_uv": 10,
                                "buyers": 5, "impression_to_view_rate": 0.4, "product_impression_rate": 0.5,
                                "product_click_rate": 0.5, "click_to_order_rate": 0.5}, {"product_click_rate": 0.6})
    # vs benchmark only where a P50 exists: (0.5 - 0.6) / 0.6
    assert p.vs_bench.iloc[3] == pytest.approx(-1 / 6) and p.vs_bench.drop(3).isna().all()
    codes = {f.code: f.params for f in funnel.findings(p)}
    assert codes["funnel_below_bench"] == {"rate_keys": ("product_click_rate",)}
    assert codes["funnel_biggest_loss"]["rate_key"] == "impression_to_view_rate"  # 0.4 is the lowest


@pytest.mark.parametrize("viewer_level", [True, False])
def test_demo_counts_agree_with_registry_rates(demo_dir, planted, viewer_level):
    ds = liveops_nb.open(demo_dir, use_viewer_level=viewer_level)
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    data = funnel.build(ds, sid)
    p = data.platform
    # counts (registry + base quantities) and step rates (registry) tell the same story
    ratio = p["count"].iloc[1:].to_numpy() / p["count"].iloc[:-1].to_numpy()
    assert np.allclose(ratio, p.conversion.iloc[1:].to_numpy())
    assert (data.template is not None) == viewer_level
    if viewer_level:
        tp = data.template.set_index("step")
        assert 0 < tp.at["stayers", "count"] <= tp.at["uv", "count"]
