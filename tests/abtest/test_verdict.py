"""Tests for liveops_nb.abtest.verdict: language-neutral findings (codes, tones, numbers).

The sentences made from them are tested in tests/render/test_abtest.py.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats as st

import liveops_nb
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest.verdict import comparison_finding, findings
from liveops_nb.render.abtest import verdicts

from .helpers import arm, tiny_experiment


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
