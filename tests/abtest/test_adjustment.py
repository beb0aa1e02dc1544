"""Tests for liveops_nb.abtest.adjustment (room × slot weighted regression, HC1)."""
from __future__ import annotations

import pandas as pd
import pytest

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
