"""Tests for liveops_nb.render.abtest: verdict sentences and reasons in 中文 / English."""
from __future__ import annotations

import math

import pytest
from scipy import stats as st

import liveops_nb
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest.errors import MetricNotAvailableError, StatsError
from liveops_nb.abtest.experiments import Experiment
from liveops_nb.render.abtest import comparison_text, pct, reason_text, results_html, verdicts
from tests.abtest.helpers import arm, tiny_experiment, ts


@pytest.fixture()
def tds(tmp_path):
    return liveops_nb.open(tiny_experiment(tmp_path / "tinyexp"))


SCRIPT_EXP = Experiment("EXP-X", "x", "h", "viewer", "script", ts("2026-09-07 00:00"), ts("2026-09-20 00:00"),
                        "gmv", "finished", "A", (("A", 0.5), ("B", 0.5)), ("R1",))


def test_significant_verdict_text_zh_en():
    arms = {"A": arm(100, 10.0, 4.0), "B": arm(100, 11.0, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    # relative effect (11 - 10) / 10 = 10.0 %; se² = 4/(100·10²) + 11²·4/(100·10⁴) = 0.000884;
    # Welch df = (0.04 + 0.04)² / (2 · 0.04² / 99) = 198; half-width = t(0.975, 198) · sqrt(0.000884)
    hw = st.t.ppf(0.975, 198) * math.sqrt(0.000884)
    lo, hi = f"{(0.1 - hw) * 100:.1f}%", f"{(0.1 + hw) * 100:.1f}%"
    assert (lo, hi) == ("4.1%", "15.9%")
    zh = comparison_text(c, SCRIPT_EXP, "zh").text
    assert zh == f"话术B 使成交金额提升 10.0%（95% 区间 {lo}～{hi}，p<0.001）"  # p = 2·t.sf(3.36, 198) ≈ 0.0009
    en = comparison_text(c, SCRIPT_EXP, "en").text
    assert en == f"script B raised GMV by 10.0% (95% interval {lo} to {hi}, p<0.001)"
    assert comparison_text(c, SCRIPT_EXP, "en").kind == "good"


def test_not_significant_verdict_states_the_detectable_change():
    arms = {"A": arm(100, 10.0, 4.0), "B": arm(100, 10.2, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    assert not c.significant
    # MDE at n = 100 + 100, sd = 2: (z_.975 + z_.8) · 2 · sqrt(2/100) / 10 = 2.8016 · 0.28284 / 10 = 7.92 %
    mde = (st.norm.ppf(0.975) + st.norm.ppf(0.8)) * 2 * math.sqrt(0.02) / 10
    assert f"{mde * 100:.1f}%" == "7.9%" and c.mde == pytest.approx(mde, rel=1e-3)
    zh = comparison_text(c, SCRIPT_EXP, "zh").text
    en = comparison_text(c, SCRIPT_EXP, "en").text
    assert zh.startswith("不显著：本次实验只能检测出大于 7.9% 的变化")
    assert en.startswith("not significant: this test could only have detected changes above 7.9%")
    assert "+2.0%" in zh and "+2.0%" in en  # (10.2 - 10) / 10
    for text in (zh, en):
        assert "no effect" not in text.lower() and "没有效果" not in text and "无效果" not in text


def test_lower_is_better_metric_is_judged_by_direction():
    arms = {"A": arm(400, 0.10, 0.01), "B": arm(400, 0.13, 0.01)}  # refund rate up by 30 %
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    c = an.Comparison(**{**c.__dict__, "metric": "refund_rate"})
    v = comparison_text(c, SCRIPT_EXP, "en")
    assert v.kind == "bad" and v.text.endswith("(lower is better for this metric)")


def test_reasons_in_both_languages():
    err = MetricNotAvailableError("pcu cannot be measured per viewer", code="not_per_unit", metric="pcu", unit="viewer")
    assert reason_text(err, "en") == "Peak concurrent viewers cannot be measured per viewer"  # the label, not the key
    assert reason_text(err, "zh") == "最高在线人数 无法按观众计算"
    archived = {"code": "not_per_unit", "params": {"metric": "pcu", "unit": "viewer"}, "message": "x"}
    assert reason_text(archived, "zh") == reason_text(err, "zh")
    plain = StatsError("something odd")  # no words in the table: the message
    assert reason_text(plain, "zh") == "something odd" and reason_text(None) == ""


def test_unavailable_metric_verdict_and_results_table(tds):
    a = an.analyze(tds, "EXP-T", metrics=["pcu"])
    (zh,) = verdicts(a, "zh")
    (en,) = verdicts(a, "en")
    assert zh.kind == "na" and zh.text == "最高在线人数: 此数据源无法提供（最高在线人数 无法按观众计算）"
    assert en.text == ("Peak concurrent viewers: not available from this source "
                       "(Peak concurrent viewers cannot be measured per viewer)")
    b = an.analyze(tds, "EXP-T", metrics=["gmv"])
    html = "".join(results_html(b, "gmv", "en"))
    assert "+100.0%" in html  # GMV per assigned viewer: A 200/3, B 400/3


def test_pct_formats():
    assert (pct(0.1234), pct(0.1234, True), pct(-math.inf), pct(None)) == ("12.3%", "+12.3%", "−∞", "—")


def test_statistics_errors_in_chinese_keep_the_english_message():
    arms = {"A": arm(1, 10.0, 0.0), "B": arm(100, 11.0, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    assert reason_text(c.error, "en") == "control arm has n=1 units; need n >= 2 to estimate a variance"
    assert reason_text(c.error, "zh") == "样本太少，无法估计（每组至少需要 2 个单位）"
    v = comparison_text(c, SCRIPT_EXP, "zh")
    assert v.kind == "na" and v.text == "话术B 的成交金额无法检验：样本太少，无法估计（每组至少需要 2 个单位）"
