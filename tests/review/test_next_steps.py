"""Section 9 — next steps: targets from the room's history and trend, one action per finding (tiny + synthetic + demo).

The actions' words and the tables: tests/render/review/test_next_steps.py. The agreement of the
diagnosis, results and next steps over every demo session: tests/review/test_one_story.py.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from liveops_nb import measures
from liveops_nb.review import diagnosis as D
from liveops_nb.review import next_steps as N
from liveops_nb.review.findings import Figure


# ------------------------------------------------------------------------------------------- the measures
def test_theil_sen_ignores_one_outlier():
    # slopes of the 10 pairs of [1, 2, 3, 100, 5]: six are 1, then 33, 49, 97, -95 -> median 1;
    # intercept = median(y - x) = median(1, 1, 1, 97, 1) = 1
    assert measures.theil_sen([1, 2, 3, 100, 5]) == (1.0, 1.0)
    assert all(math.isnan(v) for v in measures.theil_sen([4.0]))


def test_robust_spread():
    # median 10, absolute deviations 2, 0, 3, 0, 1 -> MAD 1 -> 1.4826 * 1 / 10
    assert measures.robust_spread([8, 10, 13, 10, 9]) == pytest.approx(0.14826)
    assert math.isnan(measures.robust_spread([5.0]))


def test_impact_measures():
    assert measures.factor_impact(1000, 100, 120) == pytest.approx(200)  # 1000 * (120 / 100 - 1)
    assert measures.excess_amount(0.2, 0.05, 1000) == pytest.approx(150)
    assert measures.pro_rata(600, 5, 60) == pytest.approx(50)
    assert math.isnan(measures.factor_impact(1000, 0, 120))


# ------------------------------------------------------------------------------------------- targets
def test_factor_target_follows_a_rising_trend():
    t = N.factor_target([10, 12, 14, 16], 18)
    # points 10..18 step 2: slope 2, intercept 10 -> next (position 5) = 20 > median of the history 13
    assert t["median"] == 13 and t["slope"] == pytest.approx(2) and t["forecast"] == pytest.approx(20)
    assert t["target"] == pytest.approx(20) and t["rule"] == "trend" and t["n"] == 4


def test_factor_target_falls_back_to_the_median_when_the_trend_falls():
    t = N.factor_target([20, 18, 16, 14], 12)
    # slope -2, forecast 10 < median 17: the target is the room's usual level, not this session's 12
    assert t["forecast"] == pytest.approx(10) and t["target"] == 17 and t["rule"] == "median"


def test_factor_target_lower_is_better():
    t = N.factor_target([0.20, 0.18, 0.16, 0.14], 0.12, "lower", "ratio")
    assert t["target"] == pytest.approx(0.10) and t["rule"] == "trend"  # falling is better here


def test_factor_target_short_history_and_ratio_cap():
    t = N.factor_target([100, 200], 50)  # 3 points < 5: no trend
    assert math.isnan(t["slope"]) and t["target"] == 150 and t["rule"] == "median"
    t = N.factor_target([], 5)
    assert t["rule"] == "no_history" and math.isnan(t["target"])
    # [0.8, 0.9, 0.95, 0.99, 1.0]: pair slopes' median (0.045 + 0.05) / 2 = 0.0475, intercept 0.8475
    # -> 0.8475 + 0.0475 * 5 = 1.085, kept at 1 for a ratio
    t = N.factor_target([0.8, 0.9, 0.95, 0.99], 1.0, "higher", "ratio")
    assert t["slope"] == pytest.approx(0.0475) and t["target"] == 1.0


def test_factor_targets_multiply_to_the_gmv_target():
    wide = pd.DataFrame({"session_id": ["A", "B", "C"], "uv": [100.0, 300.0, 150.0],
                         "view_to_order_rate": [0.02, 0.04, 0.01], "aov": [100.0, 50.0, 80.0],
                         "gmv": [200.0, 600.0, 120.0]})
    f = N.factor_targets(wide, "C", ["A", "B"]).set_index("factor")
    # two earlier sessions (no trend): medians 200, 0.03, 75 -> GMV 200 * 0.03 * 75 = 450; current GMV = C's registry 120
    assert f["target"].tolist() == pytest.approx([200, 0.03, 75, 450])
    assert f.loc["gmv", "current"] == 120 and (f["rule"].iloc[:3] == "median").all()
    assert f.loc["uv", "lever"] == "traffic" and f.loc["aov", "lever"] == "order_value"


# ------------------------------------------------------------------------------------------- actions
def test_finding_actions_take_the_findings_figures():
    refunds = D.Finding("refunds", "high", {"recent_rate": 0.10, "earlier_rate": 0.03}, metric="refund_rate",
                        figures=(Figure("refund_rate", 0.25, "ratio", "session"),
                                 Figure("refund_rate", 0.12, "ratio", "median", 10),
                                 Figure("refund_rate", 0.10, "ratio", "recent", 14)),
                        impact=500.0, lever="after_sales")
    pitch = D.Finding("rhythm_off", "medium", {"product": "眼霜", "peak_minute": 25, "peak_clock": "19:45"},
                      figures=(Figure("pitch_online", 12.0, "people", "session"),), lever="order_value")
    a = N.finding_actions([refunds, pitch])
    assert list(a["finding"]) == ["refunds", "rhythm_off"]
    # the 本场 cell is the session's own refund rate, compared with the room median; the target is that median
    assert a.loc[0, "current"] == 0.25 and a.loc[0, "reference"] == 0.12 and a.loc[0, "reference_scope"] == "median"
    assert a.loc[0, "target"] == 0.12 and a.loc[0, "impact"] == 500 and a.loc[0, "lever"] == "after_sales"
    assert a.loc[1, "current"] == 12 and a.loc[1, "name"] == "pitch_online" and pd.isna(a.loc[1, "target"])
    assert a.loc[1, "params"]["product"] == "眼霜"


def test_tiny_s2_targets(tiny_ds):
    d = N.build(tiny_ds, "S2")
    g = d.factors.set_index("factor")
    # S2: uv 1, conversion 1/1, aov 100, GMV 100; the room's only earlier session S1: uv 3, conversion 2/3, aov 250
    # -> targets = S1's values (one earlier session is the median; no trend from 2 points): 3 * 2/3 * 250 = 500
    assert g["current"].tolist() == pytest.approx([1, 1.0, 100, 100])
    assert g["target"].tolist() == pytest.approx([3, 2 / 3, 250, 500])
    assert d.planned_gmv is None  # S2 is the room's last session
    kf = N.key_figures(d)
    assert kf["gmv_target"] == pytest.approx(500) and kf["gmv_planned"] is None and kf["uv_rule"] == "median"
    assert set(d.actions["finding"]) == {f.id for f in D.build(tiny_ds, "S2").findings}


def test_tiny_s1_plan_is_shown_not_used(tiny_ds):
    d = N.build(tiny_ds, "S1")
    g = d.factors.set_index("factor")
    assert (g["rule"].iloc[:3] == "no_history").all() and g["target"].isna().all()  # the room's first session
    assert d.planned_gmv == 200 and d.planned_viewers is None  # S2's planned GMV; no target conversion to size it
    assert N.next_planned_gmv(tiny_ds.session_info, "S2") is None


def test_tiny_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = N.build(ds, "S2")
    diag = D.build(ds, "S2")
    assert list(d.actions["finding"]) == [f.id for f in diag.findings]  # the diagnosis' findings, in its order
    assert {"short_stay", "single_channel"} <= set(d.actions["code"])
    assert d.factors.set_index("factor").loc["gmv", "target"] == pytest.approx(500)  # same numbers as the viewer level


def test_demo_mistimed_action(demo_ds, planted):
    mis = planted["phenomena"]["mistimed_pitch"]
    d = N.build(demo_ds, mis["session_id"])
    rows = d.actions[d.actions.code == "rhythm_off"]
    assert len(rows) == 1 and rows.iloc[0]["params"]["product"] == mis["product_name"]
    kf = N.key_figures(d)
    assert math.isclose(kf["gmv_current"], demo_ds.kpis(["gmv"], where={"session_id": mis["session_id"]})["gmv"].iloc[0],
                        rel_tol=1e-9)


def test_gmv_current_is_the_registry_gmv(tiny_ds):
    g = N.build(tiny_ds, "S1").factors.set_index("factor")
    # S1: uv 3 × conversion 2/3 × aov 250 = 500 = the registry GMV
    assert g.loc["gmv", "current"] == tiny_ds.kpis(["gmv"], where={"session_id": "S1"})["gmv"].item() == 500
    assert not np.isnan(g.loc["uv", "current"])


def test_unknown_basis_is_rejected(tiny_ds):
    from liveops_nb.errors import UnknownOptionError

    with pytest.raises(UnknownOptionError):
        N.build(tiny_ds, "S2", basis="yesterday")
