"""Tests for liveops_nb.abtest.moments: effects, delta-method standard errors, CUPED.

Expected numbers come from published references or are worked out by hand in the test with the
formula written out; library cross-checks (scipy, statsmodels) use independent implementations.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st

from liveops_nb.abtest import ArmStats, compare

from .helpers import arm


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

    # relative: divided by the unadjusted control mean 5; gbstats' frequentist_variance_relative_cuped
    #   rel = (35/27)/5 = 7/27, k = (unadjusted treatment mean)/(unadjusted control mean) = 9/5
    #   control term = (k^2 s_y^2 - 2 k theta s_xy + theta^2 s_x^2)/(n_c 5^2) = (2k - theta)^2/75
    #                = (18/5 - 73/27)^2/75 = (121/135)^2/75
    #   treatment term = v_t/(n_t 5^2)
    rr = compare(c, t, metric="mean", cuped=True)
    assert rr.effect == pytest.approx(7 / 27, rel=1e-12)
    assert rr.se == pytest.approx(math.sqrt((121 / 135) ** 2 / 75 + v_t / 100), rel=1e-12)


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
