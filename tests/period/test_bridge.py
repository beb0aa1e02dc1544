"""The GMV bridge: Shapley effects of traffic, conversion and order value, hand-worked.

GMV = UV × conversion × order value. For factors (a, b, c) moving from (a0, b0, c0) to (a1, b1, c1) the
Shapley effect of a is Δa × [(b0·c0 + b1·c1) / 3 + (b0·c1 + b1·c0) / 6] (likewise for b and c).
"""
from __future__ import annotations

import math

import pytest

from liveops_nb.errors import BridgeInputError, LiveOpsError
from liveops_nb.period import Scope, gmv_bridge, parse
from liveops_nb.period import bridge as bridge_mod


def f(uv, conv, aov, gmv=None):
    d = {"uv": uv, "view_to_order_rate": conv, "aov": aov}
    if gmv is not None:
        d["gmv"] = gmv
    return d


def test_each_factor_alone_takes_the_whole_change():
    b = gmv_bridge(f(100, 0.1, 100), f(200, 0.1, 100))  # 1,000 -> 2,000
    assert (b["traffic"], b["conversion"], b["order_value"]) == pytest.approx((1000, 0, 0))
    b = gmv_bridge(f(100, 0.1, 100), f(100, 0.2, 100))
    assert (b["traffic"], b["conversion"], b["order_value"]) == pytest.approx((0, 1000, 0))
    b = gmv_bridge(f(100, 0.1, 100), f(100, 0.1, 50))  # 1,000 -> 500
    assert (b["traffic"], b["conversion"], b["order_value"]) == pytest.approx((0, 0, -500))


def test_three_factors_hand_worked_and_exact():
    # 100 × 0.10 × 50 = 500  ->  120 × 0.15 × 60 = 1,080; change 580
    # traffic    = 20   × [(0.1·50 + 0.15·60)/3 + (0.1·60 + 0.15·50)/6] = 20 × 41.5/6   = 830/6
    # conversion = 0.05 × [(100·50 + 120·60)/3 + (100·60 + 120·50)/6] = 0.05 × 18200/3 = 910/3
    # order val. = 10   × [(100·0.1 + 120·0.15)/3 + (100·0.15 + 120·0.1)/6] = 10 × 83/6 = 830/6
    b = gmv_bridge(f(100, 0.10, 50, gmv=500), f(120, 0.15, 60, gmv=1080))
    assert b["change"] == pytest.approx(580)
    assert b["traffic"] == pytest.approx(830 / 6)
    assert b["conversion"] == pytest.approx(910 / 3)
    assert b["order_value"] == pytest.approx(830 / 6)
    assert b["traffic"] + b["conversion"] + b["order_value"] == pytest.approx(b["change"], abs=1e-9)


def test_a_period_without_buyers():
    # before: 100 viewers, no buyer (conversion 0, order value undefined -> takes the after value 50), GMV 0
    # after: 200 × 0.05 × 50 = 500. traffic = 100 × [(0 + 0.05·50)/3 + (0 + 0.05·50)/6] = 100 × 1.25 = 125
    # conversion = 0.05 × [(100·50 + 200·50)/3 + (100·50 + 200·50)/6] = 0.05 × 7,500 = 375; order value 0
    b = gmv_bridge(f(100, 0.0, float("nan"), gmv=0), f(200, 0.05, 50, gmv=500))
    assert (b["traffic"], b["conversion"], b["order_value"]) == pytest.approx((125, 375, 0))
    assert b["change"] == pytest.approx(500)


def test_a_period_without_viewers_is_all_traffic():
    b = gmv_bridge(f(0, None, None, gmv=0), f(50, 0.1, 80, gmv=400))
    assert (b["traffic"], b["conversion"], b["order_value"]) == pytest.approx((400, 0, 0))
    b = gmv_bridge(f(50, 0.1, 80), f(0, float("nan"), float("nan")))  # and back to nothing
    assert (b["traffic"], b["conversion"], b["order_value"]) == pytest.approx((-400, 0, 0))


def test_unknown_viewers_give_no_bridge():
    b = gmv_bridge(f(float("nan"), 0.1, 80), f(50, 0.1, 80))
    assert math.isnan(b["traffic"]) and math.isnan(b["change"])


def test_inputs_that_do_not_belong_together_are_refused():
    with pytest.raises(BridgeInputError, match="not UV × conversion × order value"):
        gmv_bridge(f(100, 0.1, 100, gmv=999), f(100, 0.1, 100))
    with pytest.raises(LiveOpsError, match="negative"):
        gmv_bridge(f(-1, 0.1, 100), f(100, 0.1, 100))


def test_tiny_day_over_day(tiny_ds):
    # devtools/tiny.py: 2026-09-07 S1 3 viewers, 2 buyers, ¥500 (aov 250); 2026-09-08 S2 1 viewer, 1 buyer, ¥100
    # traffic    = -2   × [(2/3·250 + 1·100)/3 + (2/3·100 + 1·250)/6] = -2 × (800/9 + 950/18) = -850/3
    # conversion = 1/3  × [(3·250 + 1·100)/3 + (3·100 + 1·250)/6]    = 1/3 × 375             = 125
    # order val. = -150 × [(3·2/3 + 1·1)/3 + (3·1 + 1·2/3)/6]        = -150 × 29/18          = -725/3
    data = bridge_mod.build(tiny_ds, Scope(parse("2026-09-08")))
    assert data.before == "2026-09-07" and data.after == "2026-09-08"
    tot = data.table.set_index("scope").loc["__total__"]
    assert tot["gmv_before"] == pytest.approx(500) and tot["gmv_after"] == pytest.approx(100)
    assert tot["traffic"] == pytest.approx(-850 / 3)
    assert tot["conversion"] == pytest.approx(125)
    assert tot["order_value"] == pytest.approx(-725 / 3)
    room = data.table.set_index("scope").loc["R1"]
    assert room["name"] == "小美彩妆" and room["traffic"] == pytest.approx(-850 / 3)
    assert bridge_mod.key_figures(data)["change"] == pytest.approx(-400)
