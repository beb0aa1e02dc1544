"""Tests for liveops_nb.abtest.frequentist (Welch t for every metric, one-sided tests, compare's errors).

References: R ``t.test`` on the ``sleep`` data; the rest is worked out by hand or cross-checked
with scipy and statsmodels; gbstats' published values are in ``test_reference_gbstats.py``.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st
from statsmodels.stats import proportion as sm_prop
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from liveops_nb.abtest import ArmStats, InsufficientDataError, StatsError, ZeroBaselineError, compare

from .helpers import arm

SLEEP_G1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]


SLEEP_G2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


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


# control 200/1000, treatment 250/1000: Welch-Satterthwaite df from the per-unit variances p (1 - p)
#   a_c = 0.2*0.8/1000 = 0.00016, a_t = 0.25*0.75/1000 = 0.0001875, a_c + a_t = 0.0003475
#   df = 0.0003475^2 / ((0.00016^2 + 0.0001875^2)/999) = 999 * 0.12075625 / 0.06075625 = 1985.57...
PROP_DF = 999 * 0.12075625 / 0.06075625


def test_proportion_hand_worked_welch_t():
    #   diff = 0.05, se^2 = 0.0003475, t = 0.05 / sqrt(0.0003475) = 2.68221
    #   CI = 0.05 -/+ t_{0.975, df} * 0.0186413, p = 2 P(T_df > 2.68221)  (docs: gbstats' TwoSidedTTest)
    c, t = ArmStats(1000, 200, 200), ArmStats(1000, 250, 250)
    r = compare(c, t, metric="proportion", relative=False)
    se = math.sqrt(0.0003475)
    assert r.se == pytest.approx(se, rel=1e-12)
    assert r.statistic == pytest.approx(0.05 / se, rel=1e-12)
    assert r.statistic == pytest.approx(2.6822, abs=1e-4)
    assert r.df == pytest.approx(PROP_DF, rel=1e-12)
    assert r.p_value == pytest.approx(2 * st.t.sf(0.05 / se, PROP_DF), rel=1e-12)
    q = st.t.ppf(0.975, PROP_DF)
    assert 1.9600 < q < 1.9623  # t table: 1.9600 at df = infinity, 1.9623 at df = 1000
    assert r.ci_low == pytest.approx(0.05 - q * se, abs=1e-12)
    assert r.ci_high == pytest.approx(0.05 + q * se, abs=1e-12)
    assert "Welch" in r.method
    # statsmodels' unpooled Wald statistic is the same number (only the reference distribution differs)
    ref = sm_prop.test_proportions_2indep(250, 1000, 200, 1000, method="wald", compare="diff")
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert r.p_value > ref.pvalue  # t tails are heavier than the normal's


def test_proportion_relative_delta_se():
    # r = (0.25 - 0.2)/0.2 = 0.25
    # se^2 = v_t/(n_t c^2) + t^2 v_c/(n_c c^4) = 0.1875/(1000*0.04) + 0.0625*0.16/(1000*0.0016)
    #      = 0.0046875 + 0.00625 = 0.0109375; the relative effect uses the same Welch df
    r = compare(ArmStats(1000, 200, 200), ArmStats(1000, 250, 250), metric="proportion")
    assert r.effect == pytest.approx(0.25)
    assert r.se == pytest.approx(math.sqrt(0.0109375), rel=1e-12)
    assert r.ci_low == pytest.approx(0.25 - st.t.ppf(0.975, PROP_DF) * math.sqrt(0.0109375), rel=1e-12)


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
