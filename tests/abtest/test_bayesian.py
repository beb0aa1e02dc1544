"""Tests for liveops_nb.abtest.bayesian (normal posterior, chance to win, expected loss).

Expected numbers come from published references or are worked out by hand in the test with the
formula written out; library cross-checks (scipy, statsmodels) use independent implementations.
"""
from __future__ import annotations

import math

import pytest
from scipy import stats as st

from liveops_nb.abtest import chance_to_win

from .helpers import arm


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
