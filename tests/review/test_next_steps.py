"""Section 9 — next steps: direction-aware targets, GMV decomposition, actions (tiny + synthetic + demo).

The actions' words and the tables: tests/render/review/test_next_steps.py.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from liveops_nb.review import diagnosis as D
from liveops_nb.review import next_steps as N


def test_target_value_direction_aware():
    assert N.target_value(50, 80, 70, "higher") == 70      # both above: the nearer one
    assert N.target_value(50, 80, 40, "higher") == 80      # only the median is above
    assert N.target_value(90, 80, 70, "higher") is None    # already better than both
    assert N.target_value(0.2, 0.1, 0.15, "lower") == 0.15  # lower is better: the nearer one below
    assert N.target_value(0.2, 0.3, None, "lower") is None
    assert N.target_value(5, 10, None, "neutral") is None
    assert N.target_value(None, 10, 20, "higher") is None
    assert N.target_value(50, np.nan, 60, "higher") == 60


def _comparison():
    return pd.DataFrame({"key": ["uv", "view_to_order_rate", "aov"],
                         "value": [1000.0, 0.01, 100.0], "median": [1200.0, 0.008, 90.0],
                         "bench_p50": [np.nan, 0.012, np.nan]})


def test_gmv_decomposition_synthetic():
    g = N.gmv_decomposition(_comparison()).set_index("factor")
    # uv -> median 1200; conversion 0.01 -> P50 0.012 (the median 0.008 is lower); aov 100 is above its median: keep
    assert g["target"].tolist()[:3] == pytest.approx([1200, 0.012, 100])
    assert g.loc["gmv", "current"] == pytest.approx(1000 * 0.01 * 100)   # 1000
    assert g.loc["gmv", "target"] == pytest.approx(1200 * 0.012 * 100)   # 1440
    assert g["plan"].isna().all()
    p = N.gmv_decomposition(_comparison(), planned_gmv=2400).set_index("factor")
    # viewers needed at the target conversion and order value: 2400 / (0.012 * 100) = 2000
    assert p.loc["uv", "plan"] == 2000 and p.loc["gmv", "plan"] == 2400


def test_gmv_decomposition_missing_factor():
    c = _comparison()
    c.loc[0, "value"] = np.nan
    assert N.gmv_decomposition(c).empty


def test_tiny_s2_gmv_target(tiny_ds):
    d = N.build(tiny_ds, "S2")
    g = d.gmv.set_index("factor")
    # S2: uv 1, buyers 1, GMV 100 -> conversion 1.0, aov 100; history = S1: uv 3, conversion 2/3, aov 250
    # uv -> 3; conversion 1.0 is above S1's 0.667 and 彩妆 P50 0.012: keep; aov -> 250
    assert g["current"].tolist() == pytest.approx([1, 1.0, 100, 100])
    assert g["target"].tolist() == pytest.approx([3, 1.0, 250, 3 * 1.0 * 250])
    assert g["plan"].isna().all()  # S2 is the room's last session
    kf = N.key_figures(d)
    assert kf["gmv_target"] == pytest.approx(750) and kf["gmv_plan"] is None


def test_tiny_s1_plan_from_next_session(tiny_ds):
    g = N.build(tiny_ds, "S1").gmv.set_index("factor")
    # no history and no uv/aov benchmark: targets = current (uv 3, conversion 2/3, aov 250 -> GMV 500)
    assert g.loc["gmv", "target"] == pytest.approx(500)
    # S2's planned target 200: viewers needed = ceil(200 / (2/3 * 250)) = ceil(1.2) = 2
    assert g.loc["gmv", "plan"] == 200 and g.loc["uv", "plan"] == 2
    assert N.next_planned_gmv(tiny_ds.session_info, "S2") is None


def test_metric_actions_rows():
    comp = pd.DataFrame({"key": ["refund_rate", "aov"], "value": [0.2, 100.0], "median": [0.1, 150.0],
                         "bench_p50": [0.15, np.nan]})
    a = N.metric_actions(comp, ["refund_rate", "aov"]).set_index("key")
    assert a.loc["refund_rate", "target"] == pytest.approx(0.15)  # lower is better: 0.15 is nearer than 0.1
    assert a.loc["aov", "target"] == pytest.approx(150)
    assert a.loc["aov", "unit"] == "CNY" and (a["source"] == "metric").all() and a.loc["aov", "params"] == {}


def test_finding_actions_use_evidence():
    f = D.Finding("rhythm_off", "high", {"product": "眼霜", "product_id": "P1", "peak_minute": 25, "peak_clock": "19:45"})
    g = D.Finding("refunds", "medium", {"recent_rate": 0.2, "earlier_rate": 0.05})
    h = D.Finding("incident", "high", {"outages": 1.0, "outage_minutes": 8.0, "first": "20:41"})
    a = N.finding_actions([f, g, h], pd.DataFrame({"key": [], "value": [], "median": [], "bench_p50": []}))
    assert list(a["key"]) == ["rhythm_off", "refunds", "incident"]
    assert a.loc[0, "params"]["product"] == "眼霜" and a.loc[0, "params"]["peak_clock"] == "19:45"
    assert a.loc[1, "current"] == 0.2 and a.loc[1, "target"] == 0.05
    assert pd.isna(a.loc[2, "target"])


def test_tiny_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = N.build(ds, "S2")
    # diagnosis findings on S2 (short stay, single channel) come first, then the weakest metrics
    assert d.actions["source"].iloc[0] == "finding"
    assert set(d.actions.loc[d.actions.source == "finding", "key"]) == {"short_stay", "single_channel"}
    assert d.gmv.set_index("factor").loc["gmv", "target"] == pytest.approx(750)  # same numbers as the viewer level


def test_demo_mistimed_action(demo_ds, planted):
    mis = planted["phenomena"]["mistimed_pitch"]
    d = N.build(demo_ds, mis["session_id"])
    rows = d.actions[d.actions.key == "rhythm_off"]
    assert len(rows) == 1 and rows.iloc[0]["params"]["product"] == mis["product_name"]
    kf = N.key_figures(d)
    assert kf["gmv_target"] >= kf["gmv_current"] > 0
    assert math.isclose(kf["gmv_current"], demo_ds.kpis(["gmv"], where={"session_id": mis["session_id"]})["gmv"].iloc[0], rel_tol=1e-9)


def test_gmv_current_is_the_registry_gmv(tiny_ds):
    g = N.build(tiny_ds, "S1").gmv.set_index("factor")
    # S1: uv 3 × conversion 2/3 × aov 250 = 500 = the registry GMV
    assert g.loc["gmv", "current"] == tiny_ds.kpis(["gmv"], where={"session_id": "S1"})["gmv"].item() == 500


def test_unknown_basis_is_rejected(tiny_ds):
    from liveops_nb.errors import UnknownOptionError

    with pytest.raises(UnknownOptionError):
        N.build(tiny_ds, "S2", basis="yesterday")
