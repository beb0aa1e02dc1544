"""Tests for liveops_nb.abtest.units: metric kinds per unit, per-unit values cumulated by day.

The hand-made experiments are described in tests/abtest/helpers.py.
"""
from __future__ import annotations

import pytest

from liveops_nb.abtest.errors import MetricNotAvailableError
from liveops_nb.abtest.experiments import load_experiment
from liveops_nb.abtest.sums import arm_sums
from liveops_nb.abtest.units import metric_type, viewer_values_by_day


def test_metric_type_table():
    assert metric_type("view_to_order_rate", "viewer") == "ratio"
    assert metric_type("gmv", "viewer") == "mean"
    assert metric_type("click_to_order_rate", "session") == "ratio"
    with pytest.raises(MetricNotAvailableError):
        metric_type("pcu", "viewer")  # peak concurrency is not a per-viewer quantity
    with pytest.raises(MetricNotAvailableError):
        metric_type("not_a_metric", "session")


def test_cumulative_values_by_day(tds):
    e = load_experiment(tds, "EXP-T")
    by_day = arm_sums(viewer_values_by_day(tds, e, "view_to_order_rate"), by=["day"]).execute()
    got = {(r.variant, r.day): (r.n, r.sum, r.denominator_sum) for r in by_day.itertuples()}
    # up to 09-07 (S1 only): A: u1 (1 order session / 1 entered), u2 (0 / 1); B: u4 (1 / 1)
    assert got[("A", "2026-09-07")] == (2, 1, 2) and got[("B", "2026-09-07")] == (1, 1, 1)
    # up to 09-08: u1 adds S2 (bought): A sums 2 / 3
    assert got[("A", "2026-09-08")] == (2, 2, 3) and got[("B", "2026-09-08")] == (1, 1, 1)
