"""Tests for liveops_nb.abtest.planner (sample size from the experiment rooms' own history)."""
from __future__ import annotations

import math

import pytest

import liveops_nb
from liveops_nb.abtest.experiments import load_experiment
from liveops_nb.abtest.planner import plan

from .helpers import tiny_experiment


def test_plan_uses_the_rooms_history(tmp_path):
    ds = liveops_nb.open(tiny_experiment(tmp_path / "t"))
    p = plan(ds, load_experiment(ds, "EXP-T2"), "gmv", effect=0.17)
    # history = S1 (8 weeks before 09-08): viewers u1..u4 with GMV 100, 0, 0, 400
    # mean 125, sd² = (25² + 125² + 125² + 275²) / 3 = 107500 / 3
    assert p.baseline_units == 4 and p.baseline_mean == pytest.approx(125)
    assert p.baseline_sd == pytest.approx(math.sqrt(107500 / 3))
    # n = 2 (z_.975 + z_.8)² sd² / (0.17 · 125)² = 15.6978 · 35833.3 / 451.5625 = 1245.7 -> 1246
    assert p.n_per_arm == 1246 and p.error is None


def test_a_plan_that_cannot_be_made_carries_the_reason(tmp_path):
    ds = liveops_nb.open(tiny_experiment(tmp_path / "t"))
    p = plan(ds, load_experiment(ds, "EXP-T2"), "pcu")  # peak concurrency is not a per-viewer quantity
    assert p.n_per_arm is None and p.error is not None and p.error.code == "not_per_unit"
