"""Tests for liveops_nb.abtest.statistics (sufficient statistics, typed statistics, delta-method ratio).

Expected numbers come from published references or are worked out by hand in the test with the
formula written out; library cross-checks (scipy, statsmodels) use independent implementations.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from liveops_nb.abtest import ArmStats, StatsError, compare
from liveops_nb.abtest.statistics import (
    ProportionStatistic,
    RatioStatistic,
    SampleMeanStatistic,
    arm_statistic,
    regression_adjusted,
)


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


def test_armstats_errors_are_value_errors_with_messages():
    with pytest.raises(ValueError, match="all of"):
        ArmStats(3, 1, 1, denominator_sum=2)
    with pytest.raises(ValueError, match="negative variance"):
        ArmStats(3, 6, 5)
    with pytest.raises(ValueError, match="non-negative"):
        ArmStats(-1, 0, 0)


# ---------------------------------------------------------------- typed statistics
def test_arm_statistic_gives_one_typed_statistic_per_kind():
    # y = 2, 4, 6: mean 4, sample variance ((2-4)^2 + 0 + (6-4)^2) / 2 = 4
    a = ArmStats.from_values([2, 4, 6], denominators=[1, 2, 2])
    m = arm_statistic(a, "mean")
    assert isinstance(m, SampleMeanStatistic) and (m.mean, m.variance) == (4, pytest.approx(4.0))
    r = arm_statistic(a, "ratio")
    assert isinstance(r, RatioStatistic) and r.mean == pytest.approx(12 / 5) and r.variance == a.ratio_variance
    # 3 successes of 10: p = 0.3, variance p (1 - p) = 0.21 (not the n - 1 sample variance)
    p = arm_statistic(ArmStats(10, 3, 3), "proportion")
    assert isinstance(p, ProportionStatistic) and p.mean == 0.3 and p.variance == pytest.approx(0.21)
    with pytest.raises(StatsError, match="unknown metric"):
        arm_statistic(a, "median")  # type: ignore[arg-type]


def test_regression_adjusted_pair_shares_one_pooled_theta():
    # control (y, x): (3,1) (5,2) (7,3); treatment: (6,2) (7,2) (11,4) (12,4) -> theta = 73/27 (test_moments)
    c = ArmStats.from_values([3, 5, 7], covariates=[1, 2, 3])
    t = ArmStats.from_values([6, 7, 11, 12], covariates=[2, 2, 4, 4])
    sc, st_ = regression_adjusted(c, t, "mean")
    assert sc.theta == st_.theta == pytest.approx(73 / 27) and sc.pooled_pre_mean == pytest.approx(18 / 7)
    # control: s_y^2 = 4, s_x^2 = 1, s_xy = 2 -> 4 + theta^2 - 4 theta = (theta - 2)^2
    assert sc.variance == pytest.approx((73 / 27 - 2) ** 2) and sc.unadjusted_mean == 5
    with pytest.raises(StatsError, match="not ratio"):
        regression_adjusted(c, t, "ratio")


def test_non_numbers_are_stats_errors():
    for bad in (lambda: ArmStats("x", 1, 1), lambda: ArmStats(3, "1", 1), lambda: ArmStats(3, None, 1),  # type: ignore
                lambda: ArmStats(2.5, 1, 1), lambda: ArmStats(3, math.nan, 1),
                lambda: ArmStats.from_values(["a", "b"]), lambda: ArmStats.from_values([1, 2], denominators=[1]),
                lambda: compare(ArmStats(3, 1, 1), object(), metric="mean")):  # type: ignore[arg-type]
        with pytest.raises(StatsError):
            bad()


def test_proportion_cuped_reads_a_binary_covariate_as_a_proportion():
    # gbstats: two proportions have variance p (1 - p) and covariance sum(xy)/n - sum(x) sum(y)/n^2 (n divisor)
    # control y = 1,1,0,0  x = 1,0,1,0: p_y = 1/2, p_x = 1/2, sum(xy) = 1 -> cov = 1/4 - 1/4 = 0
    # treatment y = 1,1,1,0  x = 1,1,0,0: sum(xy) = 2 -> cov = 2/4 - 3*2/16 = 1/8; var(x) = 1/4
    c = ArmStats.from_values([1, 1, 0, 0], covariates=[1, 0, 1, 0])
    t = ArmStats.from_values([1, 1, 1, 0], covariates=[1, 1, 0, 0])
    sc, st_ = regression_adjusted(c, t, "proportion")
    assert isinstance(sc.pre, ProportionStatistic) and isinstance(st_.pre, ProportionStatistic)
    assert sc.covariance == pytest.approx(0.0) and st_.covariance == pytest.approx(1 / 8)
    assert st_.pre_variance == pytest.approx(1 / 4)
    # a mean metric keeps the n - 1 divisor: treatment s_xy = (2 - 3*2/4)/3 = 1/6
    assert regression_adjusted(c, t, "mean")[1].covariance == pytest.approx(1 / 6)
