"""Tests for liveops_nb.abtest.analysis: hand-worked data, and recovery of the effects planted in the demo dataset."""
from __future__ import annotations

import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest.errors import ExperimentError, StatsError
from liveops_nb.abtest.verdict import findings

from .helpers import aggregate_experiment, arm, tiny_experiment


# ---------------------------------------------------------------- planted effects in the demo data
def true_relative(spec: dict, treatment: str) -> float:
    m = spec["true_effect"]["multiplier"]
    return m[treatment] / m[spec["control"]] - 1


@pytest.mark.parametrize("eid", ["EXP-SCRIPT", "EXP-COUPON", "EXP-CREATIVE"])
def test_demo_intervals_contain_the_planted_effect(demo_ds, planted, eid):
    spec = planted["experiments"][eid]
    a = an.analyze(demo_ds, eid)
    assert a.srm.ok and a.metrics == (spec["primary_metric"],)
    assert {c.treatment for c in a.comparisons} == set(spec["variants"]) - {spec["control"]}
    for c in a.comparisons:
        truth = true_relative(spec, c.treatment)
        assert c.rel.ci_low <= truth <= c.rel.ci_high, (eid, c.treatment, truth, c.rel)
        if spec["unit"] == "session":  # the room × slot adjusted interval decides session tests
            assert c.adjusted is not None
            assert c.adjusted.rel_low <= truth <= c.adjusted.rel_high, (eid, truth, c.adjusted)


def test_demo_creative_30s_detected_and_holm_corrected(demo_ds, planted):
    a = an.analyze(demo_ds, "EXP-CREATIVE")
    by = {c.treatment: c for c in a.comparisons}
    p1, p2 = sorted([by["30s"].rel.p_value, by["60s"].rel.p_value])
    # Holm with two p-values: smallest × 2, then max(that, largest × 1)
    assert sorted(c.p_adjusted for c in by.values()) == pytest.approx([min(1, 2 * p1), max(min(1, 2 * p1), p2)])
    assert by["30s"].significant  # +10 % planted on ~4 000 impressed viewers per arm


# ---------------------------------------------------------------- hand-worked
def test_session_analysis_on_aggregate_only_data(tmp_path):
    ds = liveops_nb.open(aggregate_experiment(tmp_path / "agg"))
    a = an.analyze(ds, "EXP-AGG")
    c = a.comparisons[0]
    # A = 11 buyers / 17 clicks, B = 8 / 15: relative (8/15)/(11/17) - 1 = 136/165 - 1 = -29/165
    assert c.rel.effect == pytest.approx(-29 / 165)
    # one room, one slot: the regression is variant only, so the adjusted effect is the same ratio difference
    assert c.adjusted.effect == pytest.approx(8 / 15 - 11 / 17) and c.adjusted.rel == pytest.approx(-29 / 165)


def test_viewer_test_on_aggregate_only_data_says_not_available(tmp_path):
    folder = tiny.write(tmp_path / "aggonly", aggregate_only=True)
    tiny_experiment(tmp_path / "full")
    for name in ("experiments", "assignments"):
        (folder / f"{name}.parquet").write_bytes((tmp_path / "full" / f"{name}.parquet").read_bytes())
    a = an.analyze(liveops_nb.open(folder), "EXP-T")
    assert a.comparisons == () and "view_to_order_rate" in a.errors
    f = findings(a)[0]
    assert f.kind == "na" and f.code == "metric_unavailable" and f.params["reason"].code == "needs_viewer_level"


def test_compare_arms_keeps_the_error_of_a_comparison_that_cannot_be_made():
    arms = {"A": arm(1, 10.0, 0.0), "B": arm(100, 11.0, 4.0)}
    c = an.compare_arms("gmv", "mean", "A", "B", arms, an.Options())
    assert c.rel is None and isinstance(c.error, StatsError) and c.error.code == "insufficient_data"
    assert not c.significant


# ---------------------------------------------------------------- bad input raises the package's errors
def test_bad_input_raises_liveops_errors(tds):
    with pytest.raises(ExperimentError):
        an.analyze(tds, "EXP-T", control="Z")
    with pytest.raises(ExperimentError):
        an.analyze(tds, "EXP-T", treatments=["B", "nope"])
    with pytest.raises(ExperimentError):
        an.compare_arms("gmv", "mean", "A", "C", {"A": arm(10, 1, 1), "B": arm(10, 1, 1)}, an.Options())
    with pytest.raises(liveops_nb.LiveOpsError):
        an.compare_arms("no_such_metric", "mean", "A", "B", {"A": arm(10, 1, 1), "B": arm(10, 1, 1)}, an.Options())
    for bad in (dict(alpha=1.5), dict(alpha="x"), dict(alternative="bigger"), dict(correction="bonferroni"),
                dict(pre_days=0), dict(power=2)):
        with pytest.raises(StatsError):
            an.Options(**bad)
    unknown = an.analyze(tds, "EXP-T", metrics=["no_such_metric"])
    assert unknown.errors["no_such_metric"].code == "unknown_metric"
