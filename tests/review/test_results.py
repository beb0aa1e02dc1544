"""Section 1 (results): comparisons, weakest metrics and KPI cards, worked out by hand.

Tiny dataset (tests/tiny.py): room R1, category 彩妆, S1 then S2 (next day).
  S1: gmv 500 (target 600), refund_rate 300/500 = 0.6, interaction_rate 3/3, new_followers 1, follow_rate 1/3,
      avg_watch 385/3 s, views 4, uv 3
  S2: gmv 100 (target 200), refund_rate 0, interaction_rate 0, new_followers 0, follow_rate 0, avg_watch 30 s,
      views 1, uv 1, paid_roi not available (paid spend 0)
Benchmarks: the package's illustrative defaults (liveops_nb/defaults/benchmarks.yaml), 彩妆 section.
"""
from __future__ import annotations

import math
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import liveops_nb
from liveops_nb.charts import to_svg
from liveops_nb.charts.results import comparison_frame
from liveops_nb.config import load_benchmarks
from liveops_nb.metrics import MAIN_KEYS
from liveops_nb.review import results

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import tiny  # noqa: E402


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


def test_chart_frame_clips_and_colours(tiny_ds):
    comp = results.comparison_table(tiny_ds.kpis(), tiny_ds.session_info, "S2", 10, basis="previous")
    f = comparison_frame(comp, "en", ("gmv",)).set_index("metric")
    # 17 comparable metrics (20 main keys - product_click_rate, click_to_order_rate, paid_roi)
    assert len(f) == 17
    # view_to_order_rate 1 vs 2/3 -> +50 %, better (green); gmv -80 % worse (red), marked as weak
    assert f.at["View→order conversion (people)", "rel"] == pytest.approx(0.5)
    assert f.at["View→order conversion (people)", "colour"] == "#2BA471"
    assert f.at["GMV ★", "colour"] == "#E5484D"
    comp = results.comparison_table(tiny_ds.kpis(), tiny_ds.session_info, "S1", 10, basis="benchmark",
                                    benchmarks=load_benchmarks(None))
    f = comparison_frame(comp, "en").set_index("metric")
    # refund 0.6 vs P50 0.10 -> +500 %, drawn at the +100 % edge, red (lower is better)
    assert f.at["Refund rate", "rel"] == pytest.approx(5.0) and f.at["Refund rate", "shown"] == 1.0
    assert f.at["Refund rate", "colour"] == "#E5484D"


def test_unknown_basis_is_rejected():
    kp, info = _synthetic()
    with pytest.raises(ValueError):
        results.comparison_table(kp, info, "a4", 2, basis="yesterday", keys=("gmv",))


def test_cards_mark_weak_and_missing(tiny_ds):
    data = results.build(tiny_ds, "S2", basis="previous")
    assert data.weakest == ("interaction_rate", "new_followers", "follow_rate")
    html_en = results.cards_html(data, "en")
    assert html_en.count('class="lo-card weak"') == 3
    assert html_en.count('class="lo-card') == len(MAIN_KEYS)
    # paid_roi not available: shows "—" and the reason (denominator paid_spend is 0) in the title
    card = html_en.split('data-key="paid_roi"')[0].rsplit("<div", 1)[1]
    assert "the denominator is 0 (paid_spend)" in card
    after = html_en.split('data-key="paid_roi"')[1]
    assert '<div class="val lo-flat">—</div>' in after.split('data-key=')[0]
    html_zh = results.cards_html(data, "zh")
    assert "分母为 0 (paid_spend)" in html_zh
    # gmv card: target ¥200, attained 100/200 = 50.0%
    assert "attained 50.0%" in html_en and "达成率 50.0%" in html_zh


def test_render_and_key_figures(tiny_ds):
    data = results.build(tiny_ds, "S2", basis="previous")
    for lang, word in (("zh", "上一场"), ("en", "previous session")):
        items = results.render(data, lang)
        assert word in items[0]
        html = [i for i in items if isinstance(i, str)]
        assert any("示例值" in i and "illustrative" in i for i in html)  # default benchmarks are illustrative
        charts = [i for i in items if not isinstance(i, str)]
        assert len(charts) == 1 and to_svg(charts[0]).startswith("<svg")
    kf = results.key_figures(data)
    assert kf["gmv_attainment"] == pytest.approx(100 / 200)
    assert kf["weakest"] == "interaction_rate,new_followers,follow_rate"
    # better than S1: view_to_order_rate (1 vs 2/3) and refund_rate (0 vs 0.6); not comparable: product_click_rate,
    # click_to_order_rate, paid_roi (missing in S2) -> 20 - 2 - 3 = 15 worse
    assert (kf["n_better"], kf["n_worse"]) == (2, 15)
    assert kf["gmv_rel_vs_previous"] == pytest.approx(-0.8)
    assert kf["previous_session_id"] == "S1"


def test_aggregate_only_same_numbers(tmp_path):
    ds = liveops_nb.open(tiny.write(tmp_path / "agg", aggregate_only=True))
    assert ds.level == "aggregate"
    data = results.build(ds, "S2", basis="previous")
    g = _row(data.comparison, "gmv")
    assert (g.value, g.previous, g.target) == (100, 500, 200)
    assert len(results.render(data, "en")) == 4  # summary, cards, chart, benchmark note


def test_benchmarks_from_data_folder_are_not_illustrative(tmp_path):
    folder = tiny.write(tmp_path / "own")
    (folder / "benchmarks.yaml").write_text("illustrative: false\ncategories:\n  彩妆:\n    gmv: {p50: 400, p75: 800}\n",
                                            encoding="utf-8")
    data = results.build(liveops_nb.open(folder), "S1", basis="benchmark")
    # gmv 500 vs own P50 400 -> +25 %, better
    assert _row(data.comparison, "gmv").rel_vs_basis == pytest.approx(0.25)
    items = results.render(data, "en")
    assert not any("illustrative" in i for i in items if isinstance(i, str))
    shutil.rmtree(folder)


@pytest.mark.parametrize("basis", results.BASES)
def test_demo_every_basis(demo_ds, planted, basis):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    data = results.build(demo_ds, sid, basis=basis)
    assert len(data.comparison) == len(MAIN_KEYS)
    assert len(data.weakest) <= 3
    for lang in ("zh", "en"):
        items = results.render(data, lang)
        assert items[1].count('class="lo-card') == len(MAIN_KEYS)
    kf = results.key_figures(data)
    assert kf["basis"] == basis and kf["history_sessions"] <= 10
