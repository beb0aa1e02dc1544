"""Tests for liveops_nb.abtest.errors: one exception tree, and no raw ValueError/KeyError/TypeError from a
public A/B function given bad input."""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.abtest import (
    ArmStats,
    adjust_p_values,
    chance_to_win,
    compare,
    load_experiment,
    minimum_detectable_effect,
    power,
    sample_size_for_effect,
    srm_p_value,
    sufficient_stats,
)
from liveops_nb.abtest import errors as E
from liveops_nb.abtest.archive import build_record, filter_archive
from liveops_nb.abtest.experiments import experiment_from_row, parse_split
from liveops_nb.abtest.units import metric_type


def test_every_abtest_error_is_a_liveops_error_with_a_code():
    for cls in (E.AbTestError, E.StatsError, E.InsufficientDataError, E.ZeroBaselineError, E.ExperimentError,
                E.UnknownExperimentError, E.MetricNotAvailableError, E.ArchiveError):
        assert issubclass(cls, liveops_nb.LiveOpsError) and isinstance(cls.code, str)
    assert issubclass(E.StatsError, ValueError) and issubclass(E.UnknownExperimentError, KeyError)
    err = E.UnknownExperimentError("EXP-NOPE", ["EXP-T"])
    assert str(err) == "experiment 'EXP-NOPE' is not in this dataset. Did you mean 'EXP-T'? Known experiments: EXP-T."
    assert "Did you mean 'EXP-T' or 'EXP-T2'" in str(E.UnknownExperimentError("EXP-T3", ["EXP-S", "EXP-T2", "EXP-T"]))
    assert err.params == {"experiment_id": "EXP-NOPE", "known": ["EXP-T"]}


ok = ArmStats(10, 50, 260)
BAD_CALLS = {
    "compare alpha str": lambda: compare(ok, ok, metric="mean", alpha="0.05"),
    "compare tuning str": lambda: compare(ok, ok, metric="mean", sequential=True, sequential_tuning="x"),
    "compare not arms": lambda: compare(None, ok, metric="mean"),
    "chance prior str": lambda: chance_to_win(ok, ok, metric="mean", prior_sd="wide"),
    "chance prior_mean": lambda: chance_to_win(ok, ok, metric="mean", prior_mean=None),
    "srm strings": lambda: srm_p_value(["a", "b"], [1, 1]),
    "adjust strings": lambda: adjust_p_values(["a"], "holm"),
    "power effect str": lambda: power("big", baseline_mean=1, baseline_sd=1, n_per_arm=10),
    "power n str": lambda: power(0.1, baseline_mean=1, baseline_sd=1, n_per_arm="10"),
    "mde alpha None": lambda: minimum_detectable_effect(baseline_mean=1, baseline_sd=1, n_per_arm=10, alpha=None),
    "size power str": lambda: sample_size_for_effect(0.1, baseline_mean=1, baseline_sd=1, power="high"),
    "parse_split": lambda: parse_split("A:x"),
    "row without columns": lambda: experiment_from_row(pd.Series({"experiment_id": "E"})),
    "metric_type unit": lambda: metric_type("gmv", "room"),  # type: ignore[arg-type]
    "metric_type key": lambda: metric_type("nope", "viewer"),
    "filter non-archive": lambda: filter_archive(pd.DataFrame({"x": [1]}), variable="script"),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_input_raises_the_package_error(name):
    with pytest.raises(liveops_nb.LiveOpsError):
        BAD_CALLS[name]()


def test_bad_keys_on_a_dataset(tds):
    with pytest.raises(E.UnknownExperimentError):
        load_experiment(tds, "EXP-NOPE")
    exp = load_experiment(tds, "EXP-T")
    with pytest.raises(E.MetricNotAvailableError):
        sufficient_stats(tds, exp, "no_such_metric")
    from liveops_nb.abtest import analyze

    with pytest.raises(E.ArchiveError):
        build_record(analyze(tds, "EXP-T", metrics=["gmv"]), decision="maybe")
