"""Tests for liveops_nb.abtest.adjustment (room × slot weighted regression, HC1).

Expected numbers are worked out by hand: for a variant-only WLS with weights d the coefficients
are the arms' pooled ratios and the HC1 covariance is, per arm, n/(n - k) sum(w^2 e^2)/(sum w)^2.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats as st

from liveops_nb.abtest.adjustment import adjusted_effect
from liveops_nb.abtest.errors import StatsError


def test_adjusted_effect_without_strata_is_the_ratio_difference():
    v = pd.DataFrame({"variant": ["A", "A", "B", "B"], "room_id": "R1", "slot": "evening",
                      "y": [2.0, 3.0, 4.0, 3.0], "d": [4.0, 6.0, 5.0, 5.0]})
    # A: 5/10 = 0.5, B: 7/10 = 0.7 -> absolute 0.2, relative 0.2 / 0.5 = 0.4
    r = adjusted_effect(v, "A", "B")
    assert r.terms == () and r.effect == pytest.approx(0.2) and r.rel == pytest.approx(0.4)
    assert r.ci_low < r.effect < r.ci_high


def test_adjusted_effect_removes_a_room_difference():
    # R2 converts twice as well as R1 and B ran mostly in R2: unadjusted B looks better, adjusted it is equal
    v = pd.DataFrame({"variant": ["A", "A", "A", "B", "B", "B", "A", "B"],
                      "room_id": ["R1", "R1", "R2", "R2", "R2", "R1", "R1", "R2"], "slot": "evening",
                      "y": [1.0, 1.0, 2.0, 2.0, 2.0, 1.0, 1.0, 2.0], "d": [10.0] * 8})
    r = adjusted_effect(v, "A", "B")
    assert r.terms == ("room_id",) and r.effect == pytest.approx(0.0, abs=1e-12)


def test_missing_columns_raise_a_stats_error():
    with pytest.raises(StatsError, match="room_id"):
        adjusted_effect(pd.DataFrame({"variant": ["A"], "y": [1.0]}), "A", "B")


# A: y = 2, 3 over d = 5, 5 (rates 0.4, 0.6, pooled b = 0.5); B: y = 4, 3 over d = 5, 5 (0.8, 0.6, pooled 0.7)
TWO_BY_TWO = pd.DataFrame({"variant": ["A", "A", "B", "B"], "room_id": "R1", "slot": "evening",
                           "y": [2.0, 3.0, 4.0, 3.0], "d": [5.0, 5.0, 5.0, 5.0]})


def test_relative_interval_and_p_value_come_from_the_same_fit():
    # HC1, n = 4 sessions, k = 2 coefficients: n/(n - k) = 2; residuals +-0.1 in both arms
    #   V_b = 2 * (25 * 0.01 * 2) / 10^2 = 0.01 (control value), V_t = 0.01 (treatment value), independent
    #   beta = 0.7 - 0.5 = 0.2, var(beta) = 0.02; cov(beta, b) = -V_b = -0.01
    # relative r = beta / b = 0.4; delta method with the covariance kept:
    #   var(r) = var(beta)/b^2 + beta^2 V_b/b^4 - 2 beta cov(beta, b)/b^3
    #          = 0.02/0.25 + 0.04*0.01/0.0625 + 2*0.2*0.01/0.125 = 0.08 + 0.0064 + 0.032 = 0.1184
    # (= V_t/b^2 + V_b t^2/b^4 = 0.04 + 0.0784, the ratio of two independent means)
    r = adjusted_effect(TWO_BY_TWO, "A", "B")
    se_r = math.sqrt(0.1184)
    assert r.terms == () and r.n == 4 and r.control_value == pytest.approx(0.5)
    assert (r.effect, r.rel) == (pytest.approx(0.2), pytest.approx(0.4))
    assert r.rel_se == pytest.approx(se_r, rel=1e-9)
    z = st.norm.ppf(0.975)
    assert (r.rel_low, r.rel_high) == (pytest.approx(0.4 - z * se_r), pytest.approx(0.4 + z * se_r))
    assert r.p_value == pytest.approx(2 * st.norm.sf(0.4 / se_r), rel=1e-9)  # relative Wald, same se
    assert r.p_value_abs == pytest.approx(2 * st.norm.sf(0.2 / math.sqrt(0.02)), rel=1e-9)
    assert (r.ci_low, r.ci_high) == (pytest.approx(0.2 - z * math.sqrt(0.02)), pytest.approx(0.2 + z * math.sqrt(0.02)))


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("alpha", [0.05, 0.3, 0.5])
def test_relative_p_value_agrees_with_relative_interval(alternative, alpha):
    r = adjusted_effect(TWO_BY_TWO, "A", "B", alpha=alpha, alternative=alternative)
    excludes_zero = r.rel_low > 0 or r.rel_high < 0
    assert (r.p_value < alpha) == excludes_zero
    if alternative == "greater":
        assert r.rel_high == math.inf and r.p_value == pytest.approx(st.norm.sf(0.4 / r.rel_se))
    if alternative == "less":
        assert r.rel_low == -math.inf and r.p_value == pytest.approx(st.norm.cdf(0.4 / r.rel_se))


def test_control_value_of_the_fit_is_the_pooled_control_ratio_with_terms():
    # normal equations of a model with an intercept and the variant dummy: the d-weighted residuals
    # of the control sessions sum to 0, so the weighted mean fitted control value is sum(y)/sum(d)
    v = pd.DataFrame({"variant": ["A", "A", "A", "B", "B", "B", "A", "B"],
                      "room_id": ["R1", "R1", "R2", "R2", "R2", "R1", "R1", "R2"],
                      "slot": ["am", "pm", "am", "pm", "am", "pm", "am", "pm"],
                      "y": [1.0, 2.0, 2.0, 3.0, 2.0, 1.0, 1.0, 2.0], "d": [10.0, 8.0, 9.0, 12.0, 10.0, 7.0, 11.0, 9.0]})
    r = adjusted_effect(v, "A", "B")
    assert r.terms == ("room_id", "slot")
    assert r.control_value == pytest.approx((1 + 2 + 2 + 1) / (10 + 8 + 9 + 11), rel=1e-12)
    assert r.rel == pytest.approx(r.effect / r.control_value, rel=1e-12)
