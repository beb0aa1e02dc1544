"""Tests for liveops_nb.abtest.stats.

Expected numbers come from published references (R ``t.test`` on the
``sleep`` data, Benjamini & Hochberg 1995) or are worked out by hand in the
test with the formula written out; library cross-checks (scipy, statsmodels)
use independent implementations of the same formula.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats import proportion as sm_prop
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from liveops_nb.abtest import (
    ArmStats,
    InsufficientDataError,
    StatsError,
    ZeroBaselineError,
    adjust_p_values,
    chance_to_win,
    compare,
    srm_p_value,
)

# R: sleep data (Cushny & Peebles), datasets::sleep
SLEEP_G1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_G2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def arm(n: int, mean: float, var: float) -> ArmStats:
    """Arm with a given mean and (n-1)-divisor variance: sum = n*mean, sum_squares = (n-1)*var + sum^2/n."""
    s = n * mean
    return ArmStats(n, s, (n - 1) * var + s * s / n)


# ---------------------------------------------------------------- ArmStats
def test_armstats_from_values_matches_explicit_sums():
    a = ArmStats.from_values([2, 4, 6], denominators=[1, 2, 2], covariates=[1, 0, 1])
    assert (a.n, a.sum, a.sum_squares) == (3, 12, 4 + 16 + 36)
    assert (a.denominator_sum, a.denominator_sum_squares, a.main_denominator_sum_product) == (5, 9, 2 + 8 + 12)
    assert (a.covariate_sum, a.covariate_sum_squares, a.main_covariate_sum_product) == (2, 2, 2 + 0 + 6)
    assert a.mean == 4
    assert a.variance == pytest.approx(4.0)  # ((2-4)^2 + 0 + (6-4)^2) / 2


def test_armstats_is_frozen():
    a = ArmStats(3, 1.0, 1.0)
    with pytest.raises(AttributeError):
        a.n = 4  # type: ignore[misc]


# ---------------------------------------------------------------- Welch t (R reference)
def test_welch_matches_r_t_test_sleep():
    # R> t.test(extra ~ group, data = sleep)
    #   t = -1.8608, df = 17.776, p-value = 0.07939
    #   95 percent confidence interval: -3.3654832  0.2054832
    #   mean in group 1 0.75, mean in group 2 2.33
    # R reports mean(group1) - mean(group2), so group 2 is our control.
    r = compare(ArmStats.from_values(SLEEP_G2), ArmStats.from_values(SLEEP_G1), metric="mean", relative=False)
    assert r.control_value == pytest.approx(2.33)
    assert r.treatment_value == pytest.approx(0.75)
    assert r.effect == pytest.approx(-1.58)
    assert r.statistic == pytest.approx(-1.8608, abs=5e-5)
    assert r.df == pytest.approx(17.776, abs=5e-4)
    assert r.p_value == pytest.approx(0.07939, abs=5e-6)
    assert r.ci_low == pytest.approx(-3.3654832, abs=5e-8)
    assert r.ci_high == pytest.approx(0.2054832, abs=5e-8)
    assert "Welch" in r.method and r.df is not None


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_welch_matches_scipy_and_statsmodels(alternative):
    rng = np.random.default_rng(11)
    c, t = rng.normal(10, 3, 40), rng.normal(11, 5, 55)
    r = compare(ArmStats.from_values(c), ArmStats.from_values(t), metric="mean", relative=False,
                alternative=alternative, alpha=0.1)
    ref = st.ttest_ind(t, c, equal_var=False, alternative=alternative)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert r.df == pytest.approx(ref.df, rel=1e-10)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert (r.ci_low, r.ci_high) == (pytest.approx(ci.low, rel=1e-9), pytest.approx(ci.high, rel=1e-9))
    if alternative == "two-sided":
        sm_lo, sm_hi = CompareMeans(DescrStatsW(t), DescrStatsW(c)).tconfint_diff(alpha=0.1, usevar="unequal")
        assert (r.ci_low, r.ci_high) == (pytest.approx(sm_lo, rel=1e-9), pytest.approx(sm_hi, rel=1e-9))


# ---------------------------------------------------------------- proportions
def test_proportion_hand_worked_and_statsmodels_wald():
    # control 200/1000, treatment 250/1000; unpooled Wald z-test:
    #   p_c = 0.2, p_t = 0.25, diff = 0.05
    #   se^2 = 0.2*0.8/1000 + 0.25*0.75/1000 = 0.00016 + 0.0001875 = 0.0003475
    #   z = 0.05 / sqrt(0.0003475) = 2.68221; CI = 0.05 -/+ 1.959964 * 0.0186413
    c, t = ArmStats(1000, 200, 200), ArmStats(1000, 250, 250)
    r = compare(c, t, metric="proportion", relative=False)
    se = math.sqrt(0.0003475)
    assert r.se == pytest.approx(se, rel=1e-12)
    assert r.statistic == pytest.approx(0.05 / se, rel=1e-12)
    assert r.statistic == pytest.approx(2.6822, abs=1e-4)
    assert r.p_value == pytest.approx(2 * st.norm.sf(0.05 / se), rel=1e-12)
    assert r.ci_low == pytest.approx(0.05 - 1.959963985 * se, abs=1e-9)
    assert r.ci_high == pytest.approx(0.05 + 1.959963985 * se, abs=1e-9)
    assert r.df is None
    # statsmodels implements the same Wald statistic/interval for two independent proportions
    ref = sm_prop.test_proportions_2indep(250, 1000, 200, 1000, method="wald", compare="diff")
    lo, hi = sm_prop.confint_proportions_2indep(250, 1000, 200, 1000, method="wald")
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    assert (r.ci_low, r.ci_high) == (pytest.approx(lo, rel=1e-10), pytest.approx(hi, rel=1e-10))


def test_proportion_relative_delta_se():
    # r = (0.25 - 0.2)/0.2 = 0.25
    # se^2 = v_t/(n_t c^2) + t^2 v_c/(n_c c^4) = 0.1875/(1000*0.04) + 0.0625*0.16/(1000*0.0016)
    #      = 0.0046875 + 0.00625 = 0.0109375
    r = compare(ArmStats(1000, 200, 200), ArmStats(1000, 250, 250), metric="proportion")
    assert r.effect == pytest.approx(0.25)
    assert r.se == pytest.approx(math.sqrt(0.0109375), rel=1e-12)
    assert r.ci_low == pytest.approx(0.25 - st.norm.ppf(0.975) * math.sqrt(0.0109375), rel=1e-12)


# ---------------------------------------------------------------- relative effect
def test_relative_effect_delta_se_hand_worked():
    # control n=4 mean 10 var 4, treatment n=4 mean 12 var 9
    # r = (12 - 10)/10 = 0.2
    # se^2 = 9/(4*10^2) + 12^2*4/(4*10^4) = 0.0225 + 0.0144 = 0.0369
    # Welch df from absolute per-unit variances: a_c = 4/4 = 1, a_t = 9/4 = 2.25
    #   df = (1 + 2.25)^2 / (1^2/3 + 2.25^2/3) = 10.5625 / (6.0625/3) = 5.22680...
    r = compare(arm(4, 10, 4), arm(4, 12, 9), metric="mean")
    df = 10.5625 / (6.0625 / 3)
    assert r.effect == pytest.approx(0.2)
    assert r.se == pytest.approx(math.sqrt(0.0369), rel=1e-12)
    assert r.df == pytest.approx(df, rel=1e-12)
    q = st.t.ppf(0.975, df)
    assert (r.ci_low, r.ci_high) == (pytest.approx(0.2 - q * math.sqrt(0.0369)),
                                     pytest.approx(0.2 + q * math.sqrt(0.0369)))
    assert r.p_value == pytest.approx(2 * st.t.sf(0.2 / math.sqrt(0.0369), df))
    assert r.relative is True


def test_relative_uses_absolute_value_of_negative_control():
    # control mean -10, treatment -8: r = (-8 - -10)/|-10| = +0.2 (treatment higher)
    # se^2 = v_t/(n_t c^2) + t^2 v_c/(n_c c^4) = 9/400 + 64*4/40000 = 0.0225 + 0.0064
    r = compare(arm(4, -10, 4), arm(4, -8, 9), metric="mean")
    assert r.effect == pytest.approx(0.2)
    assert r.se == pytest.approx(math.sqrt(0.0289), rel=1e-12)


# ---------------------------------------------------------------- ratio (delta method)
def test_ratio_delta_method_hand_worked():
    # control units (y, d): (2,1) (4,2) (6,2)
    #   n=3, Sy=12, Syy=56, Sd=5, Sdd=9, Syd=22; Ybar=4, Dbar=5/3, R=12/5=2.4
    #   s_y^2 = (56 - 12^2/3)/2 = 4; s_d^2 = (9 - 25/3)/2 = 1/3; s_yd = (22 - 12*5/3)/2 = 1
    #   var = (s_y^2 - 2 R s_yd + R^2 s_d^2)/Dbar^2 = (4 - 4.8 + 1.92)/(25/9) = 0.4032
    # treatment units: (3,1) (5,2) (1,1) (7,3)
    #   n=4, Sy=16, Syy=84, Sd=7, Sdd=15, Syd=35; Dbar=7/4, R=16/7
    #   s_y^2 = (84 - 64)/3 = 20/3; s_d^2 = (15 - 49/4)/3 = 11/12; s_yd = (35 - 28)/3 = 7/3
    #   var = (20/3 - 2*(16/7)*(7/3) + (16/7)^2*(11/12)) / (7/4)^2
    c = ArmStats(3, 12, 56, denominator_sum=5, denominator_sum_squares=9, main_denominator_sum_product=22)
    t = ArmStats(4, 16, 84, denominator_sum=7, denominator_sum_squares=15, main_denominator_sum_product=35)
    var_c = 0.4032
    var_t = (20 / 3 - 2 * (16 / 7) * (7 / 3) + (16 / 7) ** 2 * (11 / 12)) / (7 / 4) ** 2
    assert c.ratio_mean == pytest.approx(2.4)
    assert c.ratio_variance == pytest.approx(var_c, rel=1e-12)
    assert t.ratio_variance == pytest.approx(var_t, rel=1e-12)
    r = compare(c, t, metric="ratio", relative=False)
    assert r.effect == pytest.approx(16 / 7 - 2.4)
    assert r.se == pytest.approx(math.sqrt(var_c / 3 + var_t / 4), rel=1e-12)
    a_c, a_t = var_c / 3, var_t / 4
    assert r.df == pytest.approx((a_c + a_t) ** 2 / (a_c**2 / 2 + a_t**2 / 3), rel=1e-12)
    # relative: r = (R_t - R_c)/R_c, se^2 = V_t/R_c^2 + R_t^2 V_c / R_c^4 (V = var/n)
    rr = compare(c, t, metric="ratio")
    assert rr.effect == pytest.approx((16 / 7 - 2.4) / 2.4)
    assert rr.se == pytest.approx(math.sqrt(a_t / 2.4**2 + (16 / 7) ** 2 * a_c / 2.4**4), rel=1e-12)


def test_ratio_variance_equals_linearised_unit_variance():
    # independent route: z_i = (y_i - R d_i)/Dbar has sample variance equal to the delta-method variance
    rng = np.random.default_rng(3)
    d = rng.integers(1, 30, 200).astype(float)
    y = d * rng.gamma(2.0, 5.0, 200)
    a = ArmStats.from_values(y, denominators=d)
    r = y.sum() / d.sum()
    assert a.ratio_variance == pytest.approx(np.var((y - r * d) / d.mean(), ddof=1), rel=1e-10)


# ---------------------------------------------------------------- CUPED
def test_cuped_hand_worked():
    # control (y, x): (3,1) (5,2) (7,3); treatment: (6,2) (7,2) (11,4) (12,4)
    # pooled N=7: Sx=18, Sy=51, Sxx=54, Sxy=152
    #   theta = (Sxy - Sx Sy/N)/(Sxx - Sx^2/N) = (152 - 918/7)/(54 - 324/7) = (146/7)/(54/7) = 73/27
    # control:   Ybar=5, Xbar=2, s_y^2=4, s_x^2=1, s_xy=(34 - 15*6/3)/2 = 2
    # treatment: Ybar=9, Xbar=3, s_y^2=26/3, s_x^2=4/3, s_xy=(118 - 36*12/4)/3 = 10/3
    # adjusted effect = (9 - 5) - theta (3 - 2) = 4 - 73/27 = 35/27
    # adjusted per-unit variances: s_y^2 + theta^2 s_x^2 - 2 theta s_xy
    #   control   = 4 + theta^2 - 4 theta = (theta - 2)^2 = (19/27)^2
    #   treatment = 26/3 + theta^2 * 4/3 - theta * 20/3
    c = ArmStats.from_values([3, 5, 7], covariates=[1, 2, 3])
    t = ArmStats.from_values([6, 7, 11, 12], covariates=[2, 2, 4, 4])
    theta = 73 / 27
    assert float(np.polyfit([1, 2, 3, 2, 2, 4, 4], [3, 5, 7, 6, 7, 11, 12], 1)[0]) == pytest.approx(theta)
    v_c = (19 / 27) ** 2
    v_t = 26 / 3 + theta**2 * 4 / 3 - theta * 20 / 3
    r = compare(c, t, metric="mean", relative=False, cuped=True)
    assert r.theta == pytest.approx(theta, rel=1e-12)
    assert r.effect == pytest.approx(35 / 27, rel=1e-12)
    assert r.se == pytest.approx(math.sqrt(v_c / 3 + v_t / 4), rel=1e-12)
    # adjusted arm values: Ybar - theta (Xbar - pooled Xbar), pooled Xbar = 18/7
    assert r.control_value == pytest.approx(5 - theta * (2 - 18 / 7))
    assert r.treatment_value == pytest.approx(9 - theta * (3 - 18 / 7))
    assert r.control_value_unadjusted == pytest.approx(5)
    assert "CUPED" in r.method

    # relative: divided by the unadjusted control mean 5
    #   rel = (35/27)/5 = 7/27, k = 1 + rel = 34/27
    #   control term = (k^2 s_y^2 - 2 k theta s_xy + theta^2 s_x^2)/(n_c 5^2) = (2k - theta)^2/75 = (25/729)/75
    #   treatment term = v_t/(n_t 5^2)
    rr = compare(c, t, metric="mean", cuped=True)
    assert rr.effect == pytest.approx(7 / 27, rel=1e-12)
    assert rr.se == pytest.approx(math.sqrt((25 / 729) / 75 + v_t / 100), rel=1e-12)


def test_cuped_with_uninformative_covariate_reduces_to_plain():
    # constant covariate -> pooled var(X) = 0 -> theta = 0 -> plain Welch
    c = ArmStats.from_values([1.0, 2.0, 4.0], covariates=[5, 5, 5])
    t = ArmStats.from_values([2.0, 3.0, 7.0, 1.0], covariates=[5, 5, 5, 5])
    a = compare(c, t, metric="mean", cuped=True)
    b = compare(c, t, metric="mean")
    assert a.theta == 0
    assert (a.effect, a.se, a.p_value) == pytest.approx((b.effect, b.se, b.p_value))


def test_cuped_reduces_se_with_correlated_covariate():
    rng = np.random.default_rng(5)
    x_c, x_t = rng.normal(50, 10, 500), rng.normal(50, 10, 500)
    y_c, y_t = x_c + rng.normal(0, 3, 500), x_t + 1 + rng.normal(0, 3, 500)
    c, t = ArmStats.from_values(y_c, covariates=x_c), ArmStats.from_values(y_t, covariates=x_t)
    assert compare(c, t, metric="mean", cuped=True).se < 0.5 * compare(c, t, metric="mean").se


# ---------------------------------------------------------------- one-sided
def test_one_sided_intervals_and_p_values():
    c, t = arm(50, 10, 4), arm(50, 10.8, 5)
    two = compare(c, t, metric="mean", relative=False)
    gt = compare(c, t, metric="mean", relative=False, alternative="greater")
    lt = compare(c, t, metric="mean", relative=False, alternative="less")
    assert gt.ci_high == math.inf and lt.ci_low == -math.inf
    q = st.t.ppf(0.95, two.df)  # one-sided bound uses the 1 - alpha quantile
    assert gt.ci_low == pytest.approx(two.effect - q * two.se)
    assert lt.ci_high == pytest.approx(two.effect + q * two.se)
    assert two.effect > 0
    assert gt.p_value == pytest.approx(two.p_value / 2)
    assert lt.p_value == pytest.approx(1 - two.p_value / 2)


# ---------------------------------------------------------------- sequential
def test_sequential_half_width_hand_worked():
    # n = 2500 per arm, control mean 10 var 4, treatment mean 10.2 var 4, absolute effect
    # se^2 = 4/2500 + 4/2500 = 0.0032; N = 5000; s2 = se^2 * N = 16
    # rho^2 = (-2 ln 0.05 + ln(1 - 2 ln 0.05)) / N*  with N* = 5000
    # half-width = sqrt(s2) * sqrt(2 (N rho^2 + 1) / (N^2 rho^2) * ln(sqrt(N rho^2 + 1) / 0.05))
    c, t = arm(2500, 10, 4), arm(2500, 10.2, 4)
    rho2 = (-2 * math.log(0.05) + math.log(1 - 2 * math.log(0.05))) / 5000
    u = 5000 * rho2 + 1
    hw = math.sqrt(16) * math.sqrt(2 * u / (5000**2 * rho2) * math.log(math.sqrt(u) / 0.05))
    assert hw == pytest.approx(0.17170, abs=1e-5)  # hand arithmetic: 4 * sqrt(0.00045040 * 4.090786)
    r = compare(c, t, metric="mean", relative=False, sequential=True, sequential_tuning=5000)
    assert r.ci_low == pytest.approx(0.2 - hw, rel=1e-10)
    assert r.ci_high == pytest.approx(0.2 + hw, rel=1e-10)
    assert r.df is None and r.sequential
    # p-value: smallest alpha at which the CS (rho fixed) excludes 0:
    #   L = rho^2 N effect^2 / (2 se^2 (N rho^2 + 1)); p = sqrt(N rho^2 + 1) exp(-L)
    big_l = rho2 * 5000 * 0.04 / (2 * 0.0032 * u)
    assert r.p_value == pytest.approx(math.sqrt(u) * math.exp(-big_l), rel=1e-9)
    fixed = compare(c, t, metric="mean", relative=False)
    assert hw > fixed.ci_high - fixed.effect
    assert r.p_value > fixed.p_value


def test_sequential_one_sided_hand_worked():
    # one-sided (gbstats): rho uses 2*alpha; half-width log term is ln(1 + sqrt(N rho^2 + 1)/(2 alpha))
    c, t = arm(2500, 10, 4), arm(2500, 10.2, 4)
    rho2 = (-2 * math.log(0.1) + math.log(1 - 2 * math.log(0.1))) / 5000
    u = 5000 * rho2 + 1
    hw = math.sqrt(16) * math.sqrt(2 * u / (5000**2 * rho2) * math.log(1 + math.sqrt(u) / 0.1))
    r = compare(c, t, metric="mean", relative=False, sequential=True, alternative="greater")
    assert r.ci_low == pytest.approx(0.2 - hw, rel=1e-10) and r.ci_high == math.inf
    # p: alpha where ln(1 + sqrt(u)/(2 alpha)) = L  ->  alpha = sqrt(u) / (2 (e^L - 1))
    big_l = rho2 * 5000 * 0.04 / (2 * 0.0032 * u)
    assert r.p_value == pytest.approx(math.sqrt(u) / (2 * math.expm1(big_l)), rel=1e-9)
    assert compare(c, t, metric="mean", relative=False, sequential=True, alternative="less").p_value == 1.0


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
@pytest.mark.parametrize("shift", [-0.3, -0.12, 0.0, 0.05, 0.1, 0.14, 0.3])
def test_sequential_p_value_agrees_with_interval(alternative, shift):
    r = compare(arm(2000, 10, 4), arm(2000, 10 + shift, 4), metric="mean", relative=False,
                sequential=True, alternative=alternative, sequential_tuning=2000)
    excludes_zero = r.ci_low > 0 or r.ci_high < 0
    assert (r.p_value <= r.alpha) == excludes_zero


def test_sequential_width_relative_to_fixed():
    # the confidence sequence is always wider than the fixed-horizon interval; the ratio is smallest
    # near N = N* and grows (slowly, ~sqrt(log N)) beyond it -- it does not collapse to 1
    def ratio(n_per_arm: int) -> float:
        c, t = arm(n_per_arm, 10, 4), arm(n_per_arm, 10.1, 4)
        s = compare(c, t, metric="mean", relative=False, sequential=True, sequential_tuning=5000)
        f = compare(c, t, metric="mean", relative=False)
        return (s.ci_high - s.effect) / (f.ci_high - f.effect)

    r_small, r_tuned, r_big = ratio(250), ratio(2500), ratio(250_000)
    assert min(r_small, r_tuned, r_big) > 1
    assert r_tuned < r_small and r_tuned < r_big


# ---------------------------------------------------------------- SRM
def test_srm_hand_worked():
    # expected 5000 each; chi2 = 50^2/5000 + 50^2/5000 = 1.0 on 1 df; p = 2 (1 - Phi(1)) = 0.3173
    assert srm_p_value([5050, 4950], [0.5, 0.5]) == pytest.approx(0.31731, abs=1e-5)
    assert srm_p_value([5050, 4950], [0.5, 0.5]) == pytest.approx(st.chi2.sf(1.0, 1), rel=1e-12)
    assert srm_p_value([5050, 4950], [50, 50]) == pytest.approx(0.31731, abs=1e-5)  # weights normalised


def test_srm_zero_weight_arm_left_out():
    assert srm_p_value([5050, 4950, 37], [0.5, 0.5, 0.0]) == pytest.approx(srm_p_value([5050, 4950], [1, 1]))
    assert srm_p_value([5050, 0, 4950], [0.25, 0, 0.25]) == pytest.approx(0.31731, abs=1e-5)


def test_srm_matches_scipy_chisquare_three_arms():
    obs, w = np.array([2100, 3950, 3950]), np.array([0.2, 0.4, 0.4])
    ref = st.chisquare(obs, f_exp=w * obs.sum())
    assert srm_p_value(obs, w) == pytest.approx(ref.pvalue, rel=1e-12)
    assert srm_p_value([0, 0], [0.5, 0.5]) == 1.0


# ---------------------------------------------------------------- multiple testing
def test_holm_and_bh_hand_worked():
    # p = [0.01, 0.04, 0.03, 0.005], m = 4; sorted 0.005, 0.01, 0.03, 0.04
    # Holm: 4*0.005=0.02, 3*0.01=0.03, 2*0.03=0.06, 1*0.04=0.04 -> running max 0.02, 0.03, 0.06, 0.06
    # BH:   4*0.005/1=0.02, 4*0.01/2=0.02, 4*0.03/3=0.04, 4*0.04/4=0.04 -> running min from top (same)
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(adjust_p_values(p, "holm"), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(adjust_p_values(p, "bh"), [0.02, 0.04, 0.04, 0.02])
    # monotonicity in BH: 0.5*3/2 = 0.75 > 0.6*3/3 = 0.6 -> 0.6; cap at 1 in Holm: 3*0.5 = 1.5 -> 1
    np.testing.assert_allclose(adjust_p_values([0.6, 0.5, 0.01], "bh"), [0.6, 0.6, 0.03])
    np.testing.assert_allclose(adjust_p_values([0.6, 0.5, 0.01], "holm"), [1.0, 1.0, 0.03])


def test_bh_1995_paper_example():
    # Benjamini & Hochberg (1995), JRSS-B 57:289-300, section 4: 15 p-values; at q = 0.05 the BH
    # procedure rejects the 4 smallest, the Bonferroni-type procedures reject 3.
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
         0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]
    assert int((adjust_p_values(p, "bh") <= 0.05).sum()) == 4
    assert int((adjust_p_values(p, "holm") <= 0.05).sum()) == 3


@pytest.mark.parametrize(("ours", "theirs"), [("holm", "holm"), ("bh", "fdr_bh")])
def test_adjust_matches_statsmodels(ours, theirs):
    p = np.random.default_rng(1).uniform(0, 0.2, 25)
    np.testing.assert_allclose(adjust_p_values(p, ours), multipletests(p, method=theirs)[1], rtol=1e-12)


# ---------------------------------------------------------------- chance to win
def test_chance_to_win_symmetric():
    b = chance_to_win(arm(100, 10, 4), arm(100, 10, 4), metric="mean")
    assert b.chance_to_win == pytest.approx(0.5)
    assert b.expected_loss == pytest.approx(b.sd / math.sqrt(2 * math.pi))
    assert b.expected_loss == pytest.approx(b.expected_loss_control)


def test_chance_to_win_hand_worked():
    # absolute: mu = 12 - 10 = 2, sd = sqrt(4/4 + 9/4) = sqrt(3.25) = 1.802776, z = 1.10940
    # P(win) = Phi(1.10940) ~ 0.8664; loss = sd phi(z) - mu Phi(-z)
    b = chance_to_win(arm(4, 10, 4), arm(4, 12, 9), metric="mean", relative=False)
    sd = math.sqrt(3.25)
    z = 2 / sd
    assert b.chance_to_win == pytest.approx(st.norm.cdf(z), rel=1e-12)
    assert b.chance_to_win == pytest.approx(0.8664, abs=1e-4)
    assert b.expected_loss == pytest.approx(sd * st.norm.pdf(z) - 2 * st.norm.cdf(-z), rel=1e-12)
    assert b.expected_loss_control - b.expected_loss == pytest.approx(2.0)  # E[max(d,0)] - E[max(-d,0)] = E[d]
    assert (b.ci_low, b.ci_high) == (pytest.approx(2 - 1.959964 * sd, abs=1e-5),
                                     pytest.approx(2 + 1.959964 * sd, abs=1e-5))


def test_chance_to_win_with_normal_prior():
    # posterior precision = 1/se^2 + 1/tau^2; mean = (x/se^2 + m/tau^2)/precision
    # relative: x = 0.2, se^2 = 0.0369 (see test_relative_effect_delta_se_hand_worked), prior N(0, 0.1^2)
    b = chance_to_win(arm(4, 10, 4), arm(4, 12, 9), metric="mean", prior_sd=0.1)
    prec = 1 / 0.0369 + 1 / 0.01
    assert b.effect == pytest.approx((0.2 / 0.0369) / prec)
    assert b.sd == pytest.approx(math.sqrt(1 / prec))
    assert b.chance_to_win == pytest.approx(st.norm.cdf(b.effect / b.sd))


# ---------------------------------------------------------------- errors
def test_errors_are_value_errors_with_messages():
    ok = arm(10, 5, 1)
    with pytest.raises(InsufficientDataError, match="n >= 2"):
        compare(ArmStats(1, 3.0, 9.0), ok, metric="mean")
    with pytest.raises(ZeroBaselineError, match="relative"):
        compare(ArmStats(3, 0.0, 2.0), ok, metric="mean", relative=True)
    compare(ArmStats(3, 0.0, 2.0), ok, metric="mean", relative=False)  # absolute is fine
    with pytest.raises(StatsError, match="unknown metric"):
        compare(ok, ok, metric="median")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown alternative"):
        compare(ok, ok, metric="mean", alternative="bigger")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alpha"):
        compare(ok, ok, metric="mean", alpha=1.5)
    with pytest.raises(ValueError, match="denominator"):
        compare(ok, ok, metric="ratio")
    with pytest.raises(ValueError, match="covariate"):
        compare(ok, ok, metric="mean", cuped=True)
    with pytest.raises(ValueError, match="sum_squares == sum"):
        compare(ArmStats(10, 3, 5), ArmStats(10, 3, 3), metric="proportion")
    with pytest.raises(ValueError):  # 12 successes out of 10 units is not a valid 0/1 arm
        compare(ArmStats(10, 12, 12), ArmStats(10, 3, 3), metric="proportion")
    with pytest.raises(ValueError, match="zero variance"):
        compare(ArmStats(3, 3, 3), ArmStats(3, 6, 12), metric="mean")
    with pytest.raises(ValueError, match="all of"):
        ArmStats(3, 1, 1, denominator_sum=2)
    with pytest.raises(ValueError, match="negative variance"):
        ArmStats(3, 6, 5)
    with pytest.raises(ValueError, match="non-negative"):
        ArmStats(-1, 0, 0)


def test_srm_and_adjust_errors():
    with pytest.raises(ValueError, match="same length"):
        srm_p_value([1, 2, 3], [0.5, 0.5])
    with pytest.raises(ValueError, match="non-negative"):
        srm_p_value([10, 10], [0.5, -0.5])
    with pytest.raises(ValueError, match="positive weight"):
        srm_p_value([10, 10], [1, 0])
    with pytest.raises(ValueError, match="unknown method"):
        adjust_p_values([0.1], "bonferroni")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        adjust_p_values([0.1, 1.2], "holm")
