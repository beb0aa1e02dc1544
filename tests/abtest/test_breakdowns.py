"""Tests for liveops_nb.abtest.breakdowns (cumulative effect by day, per room, per viewer segment)."""
from __future__ import annotations

import math

import pytest

import liveops_nb
from liveops_nb.abtest.breakdowns import breakdown, over_time
from liveops_nb.abtest.errors import ExperimentError, MetricNotAvailableError
from liveops_nb.abtest.experiments import load_experiment

from .helpers import aggregate_experiment


def test_session_breakdowns_on_aggregate_only_data(tmp_path):
    ds = liveops_nb.open(aggregate_experiment(tmp_path / "agg"))
    e = load_experiment(ds, "EXP-AGG")
    ot = over_time(ds, e, "click_to_order_rate", "A", ["B"])
    assert ot.day.tolist() == ["2026-09-07", "2026-09-08", "2026-09-09"]
    assert math.isnan(ot.effect[0])  # one session per arm on the first day: no variance yet
    # up to 09-08: A = (2+4)/(4+5) = 6/9, B = (3+3)/(6+5) = 6/11 -> 9/11 - 1 = -2/11
    # all days: A = 11 buyers / 17 clicks, B = 8 / 15 -> (8/15)/(11/17) - 1 = -29/165
    assert ot.effect[1] == pytest.approx(-2 / 11) and ot.effect[2] == pytest.approx(-29 / 165)
    room = breakdown(ds, e, "click_to_order_rate", "A", "B", "room")
    assert room.group.tolist() == ["R1"] and room.effect[0] == pytest.approx(-29 / 165)
    with pytest.raises(MetricNotAvailableError):  # new vs returning needs viewer-level data
        breakdown(ds, e, "click_to_order_rate", "A", "B", "segment")
    with pytest.raises(ExperimentError):
        breakdown(ds, e, "click_to_order_rate", "A", "B", "weekday")  # type: ignore[arg-type]
    with pytest.raises(ExperimentError):
        over_time(ds, e, "click_to_order_rate", "A", ["Z"])
