"""Section 1 (results): comparisons and weakest metrics, worked out by hand (cards and chart: tests/render/review).

Tiny dataset (devtools/tiny.py): room R1, category 彩妆, S1 then S2 (next day).
  S1: gmv 500 (target 600), refund_rate 300/500 = 0.6, interaction_rate 3/3, new_followers 1, follow_rate 1/3,
      avg_watch 385/3 s, views 4, uv 3
  S2: gmv 100 (target 200), refund_rate 0, interaction_rate 0, new_followers 0, follow_rate 0, avg_watch 30 s,
      views 1, uv 1, paid_roi not available (paid spend 0)
Benchmarks: the package's illustrative defaults (liveops_nb/defaults/benchmarks.yaml), 彩妆 section.
"""
from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.config import load_benchmarks
from liveops_nb.engine.reasons import Reason
from liveops_nb.errors import LiveOpsError, UnknownOptionError
from liveops_nb.metrics import MAIN_KEYS
from liveops_nb.review import results


def _row(comp: pd.DataFrame, key: str) -> pd.Series:
    return comp.set_index("key").loc[key]


def test_s2_against_previous_session(tiny_ds, tiny_dir):
    comp = results.comparison_table(tiny_ds.kpis(), tiny_ds.session_info, "S2", 10, basis="previous",
                                    benchmarks=load_benchmarks(tiny_dir))
    assert list(comp.key) == list(MAIN_KEYS)
    gmv = _row(comp, "gmv")
    # S2 gmv 100; previous (S1) 500; median of the one earlier session = 500; target 200
    assert (gmv.value, gmv.previous, gmv["median"], gmv.target) == (100, 500, 500, 200)
    assert gmv.rel_vs_basis == pytest.approx((100 - 500) / 500)  # -0.8
    assert gmv.better is False
    refund = _row(comp, "refund_rate")
    # refund 0 vs 0.6; lower is better -> rel -1.0 but better
    assert refund.rel_vs_basis == pytest.approx(-1.0)
    assert refund.better is True
    watch = _row(comp, "avg_watch_seconds")
    # 彩妆 benchmark avg_watch_seconds: p50 70, p75 100 (benchmarks.yaml)
    assert (watch.bench_p50, watch.bench_p75) == (70, 100)
    # paid_roi missing in S2 -> nothing to compare
    assert math.isnan(_row(comp, "paid_roi").rel_vs_basis) and _row(comp, "paid_roi").better is None
    # target only for gmv
    assert comp.loc[comp.key != "gmv", "target"].isna().all()


def test_weakest_against_previous_is_direction_aware(tiny_ds):
    comp = results.comparison_table(tiny_ds.kpis(), tiny_ds.session_info, "S2", 10, basis="previous")
    # shortfalls: interaction_rate (1-0)/1 = 1, new_followers (1-0)/1 = 1, follow_rate (1/3-0)/(1/3) = 1,
    # gmv (500-100)/500 = 0.8, then avg_watch (385/3-30)/(385/3) = 0.766, views 0.75 ...;
    # refund_rate fell (better for a "lower" metric) so it never counts; ties keep MAIN_KEYS order
    assert results.weakest(comp, "previous", k=4) == ["interaction_rate", "new_followers", "follow_rate", "gmv"]
    assert results.weakest(comp, "previous") == ["interaction_rate", "new_followers", "follow_rate"]


def test_first_session_of_room_has_no_history(tiny_ds, tiny_dir):
    kp, info = tiny_ds.kpis(), tiny_ds.session_info
    comp = results.comparison_table(kp, info, "S1", 10, basis="median")
    assert comp["previous"].isna().all() and comp["median"].isna().all()
    assert all(b is None for b in comp["better"])
    assert results.weakest(comp, "median") == []
    bench = load_benchmarks(tiny_dir)
    comp = results.comparison_table(kp, info, "S1", 10, basis="benchmark", benchmarks=bench)
    # every S1 metric with a 彩妆 P50 beats it except refund_rate 0.6 vs P50 0.10 (lower is better):
    # shortfall (0.6 - 0.1) / 0.1 = 5
    assert results.weakest(comp, "benchmark") == ["refund_rate"]
    assert results.shortfall(comp, "benchmark")[comp.key == "refund_rate"].iloc[0] == pytest.approx(5.0)
    comp = results.comparison_table(kp, info, "S1", 10, basis="target", benchmarks=bench)
    # gmv 500 vs target 600 -> rel (500-600)/600 = -1/6
    assert _row(comp, "gmv").rel_vs_basis == pytest.approx(-1 / 6)
    assert results.weakest(comp, "target") == ["gmv"]


def _synthetic():
    t0 = pd.Timestamp("2026-09-01 20:00", tz="Asia/Shanghai")
    info = pd.DataFrame({
        "session_id": ["a1", "b1", "a2", "a3", "a4", "a5"],
        "room_id": ["A", "B", "A", "A", "A", "A"],
        "start_time": [t0 + pd.Timedelta(days=d) for d in (0, 0, 1, 2, 3, 4)],
        "category": "彩妆", "gmv_target": [np.nan] * 5 + [1000.0]})
    kp = pd.DataFrame({"session_id": ["a1", "b1", "a2", "a3", "a4", "a5"],
                       "gmv": [100.0, 9999.0, 300.0, 200.0, 800.0, 60.0],
                       "refund_rate": [0.1, 0.9, 0.2, np.nan, 0.4, 0.1]})
    return kp, info


def test_history_window_and_previous_use_same_room_only():
    kp, info = _synthetic()
    comp = results.comparison_table(kp, info, "a4", 2, basis="median", keys=("gmv", "refund_rate"))
    g = _row(comp, "gmv")
    # a4's earlier sessions in room A: a1, a2, a3; last 2 = a2 (300), a3 (200) -> median 250; previous a3 = 200
    assert (g.value, g.previous, g["median"]) == (800, 200, 250)
    assert g.rel_vs_basis == pytest.approx((800 - 250) / 250)
    r = _row(comp, "refund_rate")
    # refund over a2, a3 = 0.2, NaN -> median of what is there = 0.2; previous a3 is missing
    assert r["median"] == pytest.approx(0.2) and math.isnan(r.previous)
    # 0.4 vs 0.2 with lower-is-better -> worse by (0.4-0.2)/0.2 = 1.0; gmv is better -> only refund is weak
    assert r.better is False
    assert results.weakest(comp, "median") == ["refund_rate"]
    # a5 with history 10: a1..a4 gmv 100, 300, 200, 800 -> median 250; target 1000 -> rel -0.94
    comp = results.comparison_table(kp, info, "a5", 10, basis="target", keys=("gmv",))
    assert _row(comp, "gmv")["median"] == pytest.approx(250)
    assert _row(comp, "gmv").rel_vs_basis == pytest.approx((60 - 1000) / 1000)


def test_unknown_basis_is_rejected(tiny_ds):
    kp, info = _synthetic()
    with pytest.raises(ValueError):
        results.comparison_table(kp, info, "a4", 2, basis="yesterday", keys=("gmv",))
    with pytest.raises(UnknownOptionError, match="basis must be one of previous, median, benchmark, target"):
        results.build(tiny_ds, "S2", basis="yesterday")
    assert issubclass(UnknownOptionError, LiveOpsError)


def test_build_key_figures_and_reasons(tiny_ds):
    data = results.build(tiny_ds, "S2", basis="previous")
    assert data.weakest == ("interaction_rate", "new_followers", "follow_rate")
    # paid_roi not available in S2: the denominator paid_spend is 0 (a reason code, no words)
    assert data.reasons["paid_roi"] == Reason("zero_denominator", "paid_spend")
    assert set(data.reasons) == {"product_click_rate", "click_to_order_rate", "paid_roi"}
    assert data.gmv_attainment == pytest.approx(100 / 200)
    kf = results.key_figures(data)
    assert kf["gmv_attainment"] == pytest.approx(100 / 200)
    assert kf["weakest"] == "interaction_rate,new_followers,follow_rate"
    # better than S1: view_to_order_rate (1 vs 2/3) and refund_rate (0 vs 0.6); not comparable: product_click_rate,
    # click_to_order_rate, paid_roi (missing in S2) -> 20 - 2 - 3 = 15 worse
    assert (kf["n_better"], kf["n_worse"]) == (2, 15)
    assert kf["gmv_rel_vs_previous"] == pytest.approx(-0.8)
    assert kf["previous_session_id"] == "S1"


def test_aggregate_only_same_numbers(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    assert ds.level == "aggregate"
    data = results.build(ds, "S2", basis="previous")
    g = _row(data.comparison, "gmv")
    assert (g.value, g.previous, g.target) == (100, 500, 200)


def test_benchmarks_from_data_folder_are_not_illustrative(tmp_path):
    folder = tiny.write(tmp_path / "own")
    (folder / "benchmarks.yaml").write_text("illustrative: false\ncategories:\n  彩妆:\n    gmv: {p50: 400, p75: 800}\n",
                                            encoding="utf-8")
    data = results.build(liveops_nb.open(folder), "S1", basis="benchmark")
    # gmv 500 vs own P50 400 -> +25 %, better
    assert _row(data.comparison, "gmv").rel_vs_basis == pytest.approx(0.25)
    assert not data.illustrative
    shutil.rmtree(folder)


@pytest.mark.parametrize("basis", results.BASES)
def test_demo_every_basis(demo_ds, planted, basis):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    data = results.build(demo_ds, sid, basis=basis)
    assert len(data.comparison) == len(MAIN_KEYS)
    assert len(data.weakest) <= 3
    kf = results.key_figures(data)
    assert kf["basis"] == basis and kf["history_sessions"] <= 10
