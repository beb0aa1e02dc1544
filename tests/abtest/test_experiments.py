"""Tests for liveops_nb.abtest.experiments: definitions, assignments, viewer segments.

The hand-made experiments are described in tests/abtest/helpers.py.
"""
from __future__ import annotations

import pytest

from liveops_nb.abtest.errors import ExperimentError, UnknownExperimentError
from liveops_nb.abtest.experiments import assignment_counts, load_experiment, parse_split, viewer_segments


def test_parse_split_normalises_and_keeps_order():
    assert parse_split("15s:1,30s:1,60s:2") == (("15s", 0.25), ("30s", 0.25), ("60s", 0.5))
    with pytest.raises(ExperimentError):
        parse_split("A:0.5")  # one arm only
    with pytest.raises(ExperimentError):
        parse_split("A:x,B:1")


def test_load_experiment_parses_row(tds):
    e = load_experiment(tds, "EXP-T")
    assert (e.unit, e.control, e.variants, e.treatments, e.room_ids) == ("viewer", "A", ("A", "B"), ("B",), ("R1",))
    assert e.weights == {"A": 0.5, "B": 0.5}


def test_unknown_experiment_lists_known_ids(tds):
    with pytest.raises(UnknownExperimentError) as err:
        load_experiment(tds, "EXP-NOPE")
    assert "EXP-T" in str(err.value) and "EXP-S" in str(err.value)


def test_assignment_counts(tds):
    assert assignment_counts(tds, load_experiment(tds, "EXP-T")) == {"A": 3, "B": 3}


def test_viewer_segments(tds):
    seg = viewer_segments(tds, load_experiment(tds, "EXP-T2")).execute()
    got = dict(zip(seg.user_id, seg.segment, strict=True))
    # u1..u5 have first_seen 2026-09-01 (< start 09-08) -> returning; u6 is in no table -> new
    assert got == {"u1": "returning", "u2": "returning", "u3": "returning", "u4": "returning", "u5": "returning",
                   "u6": "new"}
