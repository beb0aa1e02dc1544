"""Tests for liveops_nb.abtest.srm (chi-square sample-ratio check).

Expected numbers come from published references or are worked out by hand in the test with the
formula written out; library cross-checks (scipy, statsmodels) use independent implementations.
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as st

from liveops_nb.abtest import check_srm, srm_p_value


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


def test_check_srm_reference_value():
    s = check_srm({"A": 5050, "B": 4950}, {"A": 0.5, "B": 0.5})
    # chi2 = 2 × 50² / 5000 = 1.0 on 1 df -> p = 0.3173
    assert s.p_value == pytest.approx(0.3173, abs=1e-4) and s.ok


def test_srm_errors():
    with pytest.raises(ValueError, match="same length"):
        srm_p_value([1, 2, 3], [0.5, 0.5])
    with pytest.raises(ValueError, match="non-negative"):
        srm_p_value([10, 10], [0.5, -0.5])
    with pytest.raises(ValueError, match="positive weight"):
        srm_p_value([10, 10], [1, 0])
