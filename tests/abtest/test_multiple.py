"""Tests for liveops_nb.abtest.multiple (Holm, Benjamini-Hochberg).

References: Benjamini & Hochberg (1995); hand-worked examples; statsmodels' multipletests.
"""
from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from liveops_nb.abtest import adjust_p_values


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


def test_adjust_errors():
    with pytest.raises(ValueError, match="unknown method"):
        adjust_p_values([0.1], "bonferroni")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        adjust_p_values([0.1, 1.2], "holm")
