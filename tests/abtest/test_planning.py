"""Tests for liveops_nb.abtest.planning (power, MDE, sample size).

References: the normal-approximation sample-size formula
``n = 2 (z_{1-a/2} + z_{1-b})^2 sigma^2 / delta^2`` (e.g. Cohen 1988, Table 2.4.1
gives n = 393 per group for d = 0.2, 80 % power, two-sided alpha = 0.05), the
Fleiss-style unpooled formula for proportions, and statsmodels' NormalIndPower,
which implements the same two-tailed normal power.
"""
from __future__ import annotations

import math

import pytest
from scipy import stats as st
from statsmodels.stats.power import NormalIndPower

from liveops_nb.abtest import (
    ArmStats,
    StatsError,
    ZeroBaselineError,
    minimum_detectable_effect,
    power,
    sample_size_for_effect,
)

Z975, Z95, Z80 = st.norm.ppf(0.975), st.norm.ppf(0.95), st.norm.ppf(0.80)


def test_power_hand_worked_mean():
    # delta = 2, sigma = 10, n = 400 per arm: se = 10 sqrt(2/400) = 0.70711, delta/se = 2.8284
    # two-sided: Phi(2.8284 - 1.96) + Phi(-2.8284 - 1.96) = Phi(0.8685) + ~1e-6 = 0.8074
    se = 10 * math.sqrt(2 / 400)
    expected = st.norm.cdf(2 / se - Z975) + st.norm.cdf(-2 / se - Z975)
    got = power(2, baseline_mean=100, baseline_sd=10, n_per_arm=400, relative=False)
    assert got == pytest.approx(expected, rel=1e-12)
    assert got == pytest.approx(0.8074, abs=1e-4)
    # relative 2 % of |100| is the same absolute effect
    assert power(0.02, baseline_mean=100, baseline_sd=10, n_per_arm=400) == pytest.approx(got)
    # one-sided: Phi(delta/se - z_{0.95})
    assert power(2, baseline_mean=100, baseline_sd=10, n_per_arm=400, relative=False,
                 alternative="greater") == pytest.approx(st.norm.cdf(2 / se - Z95))
    assert power(-2, baseline_mean=100, baseline_sd=10, n_per_arm=400, relative=False,
                 alternative="less") == pytest.approx(st.norm.cdf(2 / se - Z95))


@pytest.mark.parametrize(("alternative", "sm_alt"), [("two-sided", "two-sided"), ("greater", "larger")])
def test_power_matches_statsmodels_normal_ind_power(alternative, sm_alt):
    # unequal split: n_total = 3000 with 20 % in treatment -> 2400 control, 600 treatment
    ours = power(0.5, baseline_mean=10, baseline_sd=4, n_total=3000, split=0.2, relative=False,
                 alternative=alternative, alpha=0.1)
    ref = NormalIndPower().power(effect_size=0.5 / 4, nobs1=2400, ratio=600 / 2400, alpha=0.1, alternative=sm_alt)
    assert ours == pytest.approx(ref, rel=1e-12)


def test_power_at_zero_effect_is_alpha():
    for alt in ("two-sided", "greater", "less"):
        assert power(0.0, baseline_mean=1, baseline_sd=1, n_per_arm=100, alternative=alt) == pytest.approx(0.05)


def test_power_proportion_hand_worked():
    # p_c = 0.10, +10 % relative -> p_t = 0.11, n = 10000 per arm
    # se = sqrt(0.1*0.9/1e4 + 0.11*0.89/1e4) = sqrt(1.879e-5); delta/se = 0.01/0.0043347 = 2.3069
    se = math.sqrt(0.1 * 0.9 / 1e4 + 0.11 * 0.89 / 1e4)
    expected = st.norm.cdf(0.01 / se - Z975) + st.norm.cdf(-0.01 / se - Z975)
    got = power(0.10, baseline_mean=0.10, metric="proportion", n_per_arm=10_000)
    assert got == pytest.approx(expected, rel=1e-10)


def test_power_proportion_matches_statsmodels_normal_ind_power():
    # equal arms: the unpooled se sqrt((p_c q_c + p_t q_t)/n) = sigma sqrt(2/n) with
    # sigma = sqrt((p_c q_c + p_t q_t)/2), so statsmodels' NormalIndPower with d = delta/sigma is the same power
    sigma = math.sqrt((0.1 * 0.9 + 0.11 * 0.89) / 2)
    for alternative, sm_alt in (("two-sided", "two-sided"), ("greater", "larger")):
        ours = power(0.10, baseline_mean=0.10, metric="proportion", n_per_arm=10_000, alternative=alternative)
        ref = NormalIndPower().power(effect_size=0.01 / sigma, nobs1=10_000, ratio=1, alpha=0.05, alternative=sm_alt)
        assert ours == pytest.approx(ref, rel=1e-12)


def test_sample_size_cohen_d_02():
    # n = 2 (1.959964 + 0.841621)^2 / 0.2^2 = 2 * 7.848879 / 0.04 = 392.44 -> 393 (Cohen 1988: 393)
    assert 2 * (Z975 + Z80) ** 2 / 0.04 == pytest.approx(392.44, abs=0.01)
    assert sample_size_for_effect(0.2, baseline_mean=0, baseline_sd=1, relative=False) == 393
    # d = 0.5: 2 * 7.848879 / 0.25 = 62.79 -> 63 under the normal approximation
    assert sample_size_for_effect(0.5, baseline_mean=0, baseline_sd=1, relative=False) == 63


def test_sample_size_is_smallest_sufficient_n_and_matches_statsmodels():
    n = sample_size_for_effect(0.05, baseline_mean=40, baseline_sd=60)  # +5 % of 40 = 2
    assert power(0.05, baseline_mean=40, baseline_sd=60, n_per_arm=n) >= 0.8
    assert power(0.05, baseline_mean=40, baseline_sd=60, n_per_arm=n - 1) < 0.8
    ref = NormalIndPower().solve_power(effect_size=2 / 60, nobs1=None, alpha=0.05, power=0.8, ratio=1)
    assert n == math.ceil(ref)


def test_sample_size_gmv_per_viewer_ratio():
    # "how many sessions to detect +10 % GMV per viewer": ratio metric, planned with the
    # per-unit delta-method sd from a baseline arm.
    # baseline (hand-worked in test_stats): R = 2.4, per-unit var = 0.4032
    base = ArmStats(3, 12, 56, denominator_sum=5, denominator_sum_squares=9, main_denominator_sum_product=22)
    r, sd = base.ratio_mean, math.sqrt(base.ratio_variance)
    n = sample_size_for_effect(0.10, baseline_mean=r, baseline_sd=sd)
    # n = 2 (z_.975 + z_.8)^2 * 0.4032 / 0.24^2 = 2 * 7.848879 * 0.4032 / 0.0576 = 109.88 -> 110
    assert n == math.ceil(2 * (Z975 + Z80) ** 2 * 0.4032 / 0.24**2)
    assert n == 110


def test_sample_size_proportion_fleiss_unpooled():
    # n = (z_.975 + z_.8)^2 (p1 q1 + p2 q2) / delta^2 = 7.848879 * (0.09 + 0.0979) / 1e-4 = 14748.04 -> 14749
    # (the far tail of the two-sided test adds nothing visible at this n)
    formula = (Z975 + Z80) ** 2 * (0.1 * 0.9 + 0.11 * 0.89) / 0.01**2
    assert sample_size_for_effect(0.10, baseline_mean=0.10, metric="proportion") == math.ceil(formula) == 14749


def test_mde_mean_matches_textbook_and_statsmodels():
    # textbook MDE = (z_{1-a/2} + z_{power}) sigma sqrt(2/n) = 2.801585 * 10 * sqrt(2/500) = 1.77188
    mde = minimum_detectable_effect(baseline_mean=100, baseline_sd=10, n_per_arm=500, relative=False)
    assert mde == pytest.approx((Z975 + Z80) * 10 * math.sqrt(2 / 500), rel=1e-5)
    d = NormalIndPower().solve_power(effect_size=None, nobs1=500, alpha=0.05, power=0.8, ratio=1)
    assert mde == pytest.approx(d * 10, rel=1e-5)  # statsmodels' root finder stops at ~1e-6
    assert NormalIndPower().power(mde / 10, nobs1=500, alpha=0.05) == pytest.approx(0.8, abs=1e-12)
    assert power(mde, baseline_mean=100, baseline_sd=10, n_per_arm=500, relative=False) == pytest.approx(0.8)
    rel = minimum_detectable_effect(baseline_mean=100, baseline_sd=10, n_per_arm=500)
    assert rel == pytest.approx(mde / 100)


def test_mde_one_sided_and_proportion():
    # one-sided greater: (z_.95 + z_.8) se exactly (no far tail)
    se = 10 * math.sqrt(2 / 500)
    up = minimum_detectable_effect(baseline_mean=100, baseline_sd=10, n_per_arm=500, relative=False,
                                   alternative="greater")
    assert up == pytest.approx((Z95 + Z80) * se, rel=1e-9)
    down = minimum_detectable_effect(baseline_mean=100, baseline_sd=10, n_per_arm=500, relative=False,
                                     alternative="less")
    assert down == pytest.approx(-up, rel=1e-9)
    mde_p = minimum_detectable_effect(baseline_mean=0.1, metric="proportion", n_per_arm=14_749)
    assert mde_p == pytest.approx(0.10, abs=2e-4)  # inverse of test_sample_size_proportion_fleiss_unpooled


def test_planning_errors():
    with pytest.raises(StatsError, match="baseline_sd"):
        power(0.1, baseline_mean=1, n_per_arm=100)
    with pytest.raises(ZeroBaselineError):
        power(0.1, baseline_mean=0, baseline_sd=1, n_per_arm=100)
    with pytest.raises(ValueError, match="exactly one"):
        power(0.1, baseline_mean=1, baseline_sd=1)
    with pytest.raises(ValueError, match="outside"):
        power(0.5, baseline_mean=0.9, metric="proportion", n_per_arm=100, relative=False)
    with pytest.raises(ValueError, match="opposite direction"):
        sample_size_for_effect(-0.1, baseline_mean=1, baseline_sd=1, alternative="greater")
    with pytest.raises(ValueError, match="power target"):
        minimum_detectable_effect(baseline_mean=1, baseline_sd=1, n_per_arm=100, power=0.01)
    with pytest.raises(ValueError, match="unknown metric"):
        power(0.1, baseline_mean=1, baseline_sd=1, n_per_arm=100, metric="ratio")  # type: ignore[arg-type]
