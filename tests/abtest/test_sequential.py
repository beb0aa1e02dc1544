"""Tests for liveops_nb.abtest.sequential (asymptotic confidence sequences, gbstats parametrisation).

Expected numbers come from published references or are worked out by hand in the test with the
formula written out; library cross-checks (scipy, statsmodels) use independent implementations.
"""
from __future__ import annotations

import math

import pytest

from liveops_nb.abtest import compare

from .helpers import arm


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
