"""Tests for liveops_nb.abtest.verdict: language-neutral findings (codes, tones, numbers).

The sentences made from them are tested in tests/render/test_abtest.py.
"""
from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from scipy import stats as st

import liveops_nb
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest.adjustment import Adjusted
from liveops_nb.abtest.verdict import comparison_finding, findings
from liveops_nb.render.abtest import finding_text, verdicts

from .helpers import aggregate_experiment, arm, tiny_experiment


def test_skewed_split_blocks_the_verdict(tmp_path):
    ids = [f"x{i}" for i in range(450)]
    asg = pd.DataFrame({"experiment_id": "EXP-T", "unit_id": ids, "variant": ["A"] * 300 + ["B"] * 150})
    ds = liveops_nb.open(tiny_experiment(tmp_path / "skew", assignments=asg))
    a = an.analyze(ds, "EXP-T", metrics=["gmv"])
    # expected 225 / 225: chi2 = 75²/225 × 2 = 50 on 1 df -> p = chi2.sf(50, 1) ≈ 1.5e-12 < 0.001
    assert a.srm.p_value == pytest.approx(st.chi2.sf(50, 1)) and not a.srm.ok
    (f,) = findings(a)
    assert (f.kind, f.code, f.params["counts"]) == ("bad", "srm_mismatch", {"A": 300, "B": 150})
    for lang, word in (("zh", "样本比例失衡"), ("en", "Sample ratio mismatch")):
        lines = verdicts(a, lang)
        assert len(lines) == 1 and lines[0].kind == "bad" and word in lines[0].text
        assert "A 300 / B 150" in lines[0].text


def test_significant_finding_carries_the_numbers():
    arms = {"A": arm(100, 10.0, 4.0), "B": arm(100, 11.0, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    f = comparison_finding(c)
    # relative effect (11 - 10) / 10 = 10.0 %; se² = 4/(100·10²) + 11²·4/(100·10⁴) = 0.000884;
    # Welch df = (0.04 + 0.04)² / (2 · 0.04² / 99) = 198; half-width = t(0.975, 198) · sqrt(0.000884)
    hw = st.t.ppf(0.975, 198) * math.sqrt(0.000884)
    assert (f.kind, f.code, f.metric, f.treatment) == ("good", "significant", "gmv", "B")
    assert f.params["effect"] == pytest.approx(0.1)
    assert (f.params["ci_low"], f.params["ci_high"]) == (pytest.approx(0.1 - hw), pytest.approx(0.1 + hw))
    assert f.params["correction"] is None and comparison_finding(c, "bh", 2).params["correction"] == "bh"


def test_not_significant_finding_gives_the_detectable_change():
    arms = {"A": arm(100, 10.0, 4.0), "B": arm(100, 10.2, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    f = comparison_finding(c)
    # MDE at n = 100 + 100, sd = 2: (z_.975 + z_.8) · 2 · sqrt(2/100) / 10 = 2.8016 · 0.28284 / 10 = 7.92 %
    mde = (st.norm.ppf(0.975) + st.norm.ppf(0.8)) * 2 * math.sqrt(0.02) / 10
    assert (f.kind, f.code) == ("warn", "not_significant")
    assert f.params["mde"] == pytest.approx(mde, rel=1e-3) and f.params["power"] == 0.8
    assert f.params["effect"] == pytest.approx(0.02)  # (10.2 - 10) / 10


def test_lower_is_better_metric_is_judged_by_direction():
    arms = {"A": arm(400, 0.10, 0.01), "B": arm(400, 0.13, 0.01)}  # refund rate up by 30 %
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    c = an.Comparison(**{**c.__dict__, "metric": "refund_rate"})
    f = comparison_finding(c)
    assert f.kind == "bad" and f.params["direction"] == "lower"


def test_findings_are_language_neutral(tds):
    a = an.analyze(tds, "EXP-T", metrics=["gmv"])
    for f in findings(a):
        for v in f.params.values():
            assert not isinstance(v, str) or v in ("holm", "bh", "higher", "lower", "neutral")


def test_session_verdict_uses_one_model_and_names_its_terms(tmp_path):
    # EXP-AGG: six sessions of one room, all 20:00 (one slot) -> the regression has no adjustment terms
    a = an.analyze(liveops_nb.open(aggregate_experiment(tmp_path / "agg")), "EXP-AGG")
    (c,) = a.comparisons
    (f,) = findings(a)
    # interval and p-value shown together come from the same fit (one treatment: no correction)
    assert (f.params["effect"], f.params["ci_low"], f.params["ci_high"]) == (c.adjusted.rel, c.adjusted.rel_low,
                                                                             c.adjusted.rel_high)
    assert f.params["p_value"] == c.adjusted.p_value == c.p_adjusted
    assert (f.params["p_value"] < 0.05) == (f.params["ci_low"] > 0 or f.params["ci_high"] < 0)
    assert f.params["adjusted"] is True and f.params["adjustment_terms"] == []
    (zh,), (en,) = verdicts(a, "zh"), verdicts(a, "en")
    assert "直播间×时段" not in zh.text and "一个直播间、一个时段" in zh.text
    assert "room × time slot" not in en.text and "one room and one time slot" in en.text


@pytest.mark.parametrize(("terms", "zh", "en"), [
    (("room_id", "slot"), "已按直播间×时段调整", "adjusted for room × time slot"),
    (("room_id",), "已按直播间调整", "adjusted for room)"),
    (("slot",), "已按时段调整", "adjusted for time slot"),
])
def test_verdict_names_the_adjustment_terms_used(terms, zh, en):
    arms = {"A": arm(100, 10.0, 4.0), "B": arm(100, 11.0, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    adj = Adjusted(1.0, 0.5, 1.5, 0.001, 0.1, 0.02, 0.06, 0.14, 0.001, 10.0, 200, terms)
    c = an.Comparison(**{**c.__dict__, "adjusted": adj, "p_adjusted": adj.p_value})
    f = comparison_finding(c)
    assert f.params["adjustment_terms"] == list(terms) and (f.params["ci_low"], f.params["ci_high"]) == (0.06, 0.14)
    assert zh in finding_text(f, "script", "zh") and en in finding_text(f, "script", "en")
    # a finding archived before the terms were recorded keeps its old wording
    legacy = replace(f, params={k: v for k, v in f.params.items() if k != "adjustment_terms"})
    assert "adjusted for room × time slot" in finding_text(legacy, "script", "en")
