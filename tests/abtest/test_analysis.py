"""Analysis and verdicts: hand-worked data, and recovery of the effects planted in the demo dataset."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats as st

import liveops_nb
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest import data, verdict
from liveops_nb.abtest.stats import ArmStats

from .test_data import aggregate_experiment, tiny_experiment, ts


def arm(n: int, mean: float, var: float) -> ArmStats:
    """An arm with a given mean and (n-1)-divisor variance: sum = n mean, sum_squares = (n-1) var + sum^2/n."""
    return ArmStats(n, n * mean, (n - 1) * var + (n * mean) ** 2 / n)


SCRIPT_EXP = data.Experiment("EXP-X", "x", "h", "viewer", "script", ts("2026-09-07 00:00"), ts("2026-09-20 00:00"),
                             "gmv", "finished", "A", (("A", 0.5), ("B", 0.5)), ("R1",))


# ---------------------------------------------------------------- planted effects in the demo data
def true_relative(spec: dict, treatment: str) -> float:
    m = spec["true_effect"]["multiplier"]
    return m[treatment] / m[spec["control"]] - 1


@pytest.mark.parametrize("eid", ["EXP-SCRIPT", "EXP-COUPON", "EXP-CREATIVE"])
def test_demo_intervals_contain_the_planted_effect(demo_ds, planted, eid):
    spec = planted["experiments"][eid]
    a = an.analyze(demo_ds, eid)
    assert a.srm.ok and a.metrics == (spec["primary_metric"],)
    assert {c.treatment for c in a.comparisons} == set(spec["variants"]) - {spec["control"]}
    for c in a.comparisons:
        truth = true_relative(spec, c.treatment)
        assert c.rel.ci_low <= truth <= c.rel.ci_high, (eid, c.treatment, truth, c.rel)
        if spec["unit"] == "session":  # the room × slot adjusted interval decides session tests
            assert c.adjusted is not None
            assert c.adjusted.rel_low <= truth <= c.adjusted.rel_high, (eid, truth, c.adjusted)


def test_demo_creative_30s_detected_and_holm_corrected(demo_ds, planted):
    a = an.analyze(demo_ds, "EXP-CREATIVE")
    by = {c.treatment: c for c in a.comparisons}
    p1, p2 = sorted([by["30s"].rel.p_value, by["60s"].rel.p_value])
    # Holm with two p-values: smallest × 2, then max(that, largest × 1)
    assert sorted(c.p_adjusted for c in by.values()) == pytest.approx([min(1, 2 * p1), max(min(1, 2 * p1), p2)])
    assert by["30s"].significant  # +10 % planted on ~4 000 impressed viewers per arm


# ---------------------------------------------------------------- SRM
def test_srm_reference_value():
    s = an.check_srm({"A": 5050, "B": 4950}, {"A": 0.5, "B": 0.5})
    # chi2 = 2 × 50² / 5000 = 1.0 on 1 df -> p = 0.3173
    assert s.p_value == pytest.approx(0.3173, abs=1e-4) and s.ok


def test_skewed_split_blocks_the_verdict(tmp_path):
    ids = [f"x{i}" for i in range(450)]
    asg = pd.DataFrame({"experiment_id": "EXP-T", "unit_id": ids, "variant": ["A"] * 300 + ["B"] * 150})
    ds = liveops_nb.open(tiny_experiment(tmp_path / "skew", assignments=asg))
    a = an.analyze(ds, "EXP-T", metrics=["gmv"])
    # expected 225 / 225: chi2 = 75²/225 × 2 = 50 on 1 df -> p = chi2.sf(50, 1) ≈ 1.5e-12 < 0.001
    assert a.srm.p_value == pytest.approx(st.chi2.sf(50, 1)) and not a.srm.ok
    for lang, word in (("zh", "样本比例失衡"), ("en", "Sample ratio mismatch")):
        lines = verdict.verdicts(a, lang)
        assert len(lines) == 1 and lines[0].kind == "bad" and word in lines[0].text
        assert "A 300 / B 150" in lines[0].text


# ---------------------------------------------------------------- verdict text
def test_significant_verdict_text_zh_en():
    arms = {"A": arm(100, 10.0, 4.0), "B": arm(100, 11.0, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    # relative effect (11 - 10) / 10 = 10.0 %; se² = 4/(100·10²) + 11²·4/(100·10⁴) = 0.000884;
    # Welch df = (0.04 + 0.04)² / (2 · 0.04² / 99) = 198; half-width = t(0.975, 198) · sqrt(0.000884)
    hw = st.t.ppf(0.975, 198) * math.sqrt(0.000884)
    lo, hi = f"{(0.1 - hw) * 100:.1f}%", f"{(0.1 + hw) * 100:.1f}%"
    assert (lo, hi) == ("4.1%", "15.9%")
    zh = verdict.comparison_text(c, SCRIPT_EXP, "zh").text
    assert zh == f"话术B 使成交金额提升 10.0%（95% 区间 {lo}～{hi}，p<0.001）"  # p = 2·t.sf(3.36, 198) ≈ 0.0009
    en = verdict.comparison_text(c, SCRIPT_EXP, "en").text
    assert en == f"script B raised GMV by 10.0% (95% interval {lo} to {hi}, p<0.001)"
    assert verdict.comparison_text(c, SCRIPT_EXP, "en").kind == "good"


def test_not_significant_verdict_states_the_detectable_change():
    arms = {"A": arm(100, 10.0, 4.0), "B": arm(100, 10.2, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    assert not c.significant
    # MDE at n = 100 + 100, sd = 2: (z_.975 + z_.8) · 2 · sqrt(2/100) / 10 = 2.8016 · 0.28284 / 10 = 7.92 %
    mde = (st.norm.ppf(0.975) + st.norm.ppf(0.8)) * 2 * math.sqrt(0.02) / 10
    assert f"{mde * 100:.1f}%" == "7.9%" and c.mde == pytest.approx(mde, rel=1e-3)
    zh = verdict.comparison_text(c, SCRIPT_EXP, "zh").text
    en = verdict.comparison_text(c, SCRIPT_EXP, "en").text
    assert zh.startswith("不显著：本次实验只能检测出大于 7.9% 的变化")
    assert en.startswith("not significant: this test could only have detected changes above 7.9%")
    assert "+2.0%" in zh and "+2.0%" in en  # (10.2 - 10) / 10
    for text in (zh, en):
        assert "no effect" not in text.lower() and "没有效果" not in text and "无效果" not in text


def test_lower_is_better_metric_is_judged_by_direction():
    arms = {"A": arm(400, 0.10, 0.01), "B": arm(400, 0.13, 0.01)}  # refund rate up by 30 %
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    c = an.Comparison(**{**c.__dict__, "metric": "refund_rate"})
    assert verdict.comparison_text(c, SCRIPT_EXP, "en").kind == "bad"


# ---------------------------------------------------------------- session tests: adjustment, time, breakdown
def test_adjusted_effect_without_strata_is_the_ratio_difference():
    v = pd.DataFrame({"variant": ["A", "A", "B", "B"], "room_id": "R1", "slot": "evening",
                      "y": [2.0, 3.0, 4.0, 3.0], "d": [4.0, 6.0, 5.0, 5.0]})
    # A: 5/10 = 0.5, B: 7/10 = 0.7 -> absolute 0.2, relative 0.2 / 0.5 = 0.4
    r = an.adjusted_effect(v, "A", "B")
    assert r.terms == () and r.effect == pytest.approx(0.2) and r.rel == pytest.approx(0.4)
    assert r.ci_low < r.effect < r.ci_high


def test_adjusted_effect_removes_a_room_difference():
    # R2 converts twice as well as R1 and B ran mostly in R2: unadjusted B looks better, adjusted it is equal
    v = pd.DataFrame({"variant": ["A", "A", "A", "B", "B", "B", "A", "B"],
                      "room_id": ["R1", "R1", "R2", "R2", "R2", "R1", "R1", "R2"], "slot": "evening",
                      "y": [1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0, 2.0], "d": [10.0] * 8})
    r = an.adjusted_effect(v, "A", "B")
    assert r.terms == ("room_id",) and r.effect == pytest.approx(0.0, abs=1e-12)


def test_session_analysis_on_aggregate_only_data(tmp_path):
    ds = liveops_nb.open(aggregate_experiment(tmp_path / "agg"))
    a = an.analyze(ds, "EXP-AGG")
    c = a.comparisons[0]
    # A = 11 buyers / 17 clicks, B = 8 / 15: relative (8/15)/(11/17) - 1 = 136/165 - 1 = -29/165
    assert c.rel.effect == pytest.approx(-29 / 165)
    # one room, one slot: the regression is variant only, so the adjusted effect is the same ratio difference
    assert c.adjusted.effect == pytest.approx(8 / 15 - 11 / 17) and c.adjusted.rel == pytest.approx(-29 / 165)
    e = data.load_experiment(ds, "EXP-AGG")
    ot = an.over_time(ds, e, "click_to_order_rate", "A", ["B"])
    assert ot.day.tolist() == ["2026-09-07", "2026-09-08", "2026-09-09"]
    assert math.isnan(ot.effect[0])  # one session per arm on the first day: no variance yet
    # up to 09-08: A = (2+4)/(4+5) = 6/9, B = (3+3)/(6+5) = 6/11 -> 9/11 - 1 = -2/11
    assert ot.effect[1] == pytest.approx(-2 / 11) and ot.effect[2] == pytest.approx(-29 / 165)
    room = an.breakdown(ds, e, "click_to_order_rate", "A", "B", "room")
    assert room.group.tolist() == ["R1"] and room.effect[0] == pytest.approx(-29 / 165)
    with pytest.raises(data.MetricNotAvailableError):  # new vs returning needs viewer-level data
        an.breakdown(ds, e, "click_to_order_rate", "A", "B", "segment")


def test_viewer_test_on_aggregate_only_data_says_not_available(tmp_path):
    from .test_data import tiny

    folder = tiny.write(tmp_path / "aggonly", aggregate_only=True)
    tiny_experiment(tmp_path / "full")
    for name in ("experiments", "assignments"):
        (folder / f"{name}.parquet").write_bytes((tmp_path / "full" / f"{name}.parquet").read_bytes())
    a = an.analyze(liveops_nb.open(folder), "EXP-T")
    assert a.comparisons == () and "view_to_order_rate" in a.errors
    assert verdict.verdicts(a, "en")[0].kind == "na"


# ---------------------------------------------------------------- planner
def test_plan_uses_the_rooms_history(tmp_path):
    ds = liveops_nb.open(tiny_experiment(tmp_path / "t"))
    p = an.plan(ds, data.load_experiment(ds, "EXP-T2"), "gmv", effect=0.17)
    # history = S1 (8 weeks before 09-08): viewers u1..u4 with GMV 100, 0, 0, 400
    # mean 125, sd² = (25² + 125² + 125² + 275²) / 3 = 107500 / 3
    assert p.baseline_units == 4 and p.baseline_mean == pytest.approx(125)
    assert p.baseline_sd == pytest.approx(math.sqrt(107500 / 3))
    # n = 2 (z_.975 + z_.8)² sd² / (0.17 · 125)² = 15.6978 · 35833.3 / 451.5625 = 1245.7 -> 1246
    assert p.n_per_arm == 1246 and p.error is None


# ---------------------------------------------------------------- charts compile offline
def test_charts_render_to_svg():
    from liveops_nb.charts import abtest as charts, to_svg

    forest = pd.DataFrame({"label": ["曝光-观看率 · 素材30s", "曝光-观看率 · 素材60s"], "effect": [0.09, 0.03],
                           "ci_low": [0.04, -0.02], "ci_high": [0.14, 0.08], "p_value": [0.002, 0.27],
                           "outcome": ["good", "neutral"]})
    svg = to_svg(charts.forest(forest, "zh"))
    assert svg.startswith("<svg") and "相对效果与区间" in svg
    days = pd.DataFrame({"day": ["2026-09-14", "2026-09-15", "2026-09-15"], "treatment": ["30s", "30s", "60s"],
                         "effect": [float("nan"), 0.05, 0.01], "ci_low": [float("nan"), 0.0, -0.03],
                         "ci_high": [float("nan"), 0.1, 0.05], "n_control": [1, 10, 10], "n_treatment": [1, 12, 9]})
    assert "Cumulative effect over time" in to_svg(charts.over_time(days, "en"))
