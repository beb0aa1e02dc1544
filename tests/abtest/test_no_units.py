"""An experiment without assigned units is a result ("no_units"), not an error and not a verdict."""
from __future__ import annotations

import pandas as pd

import liveops_nb
from devtools import tiny
from liveops_nb.abtest import analyze
from liveops_nb.abtest.experiments import load_experiment
from liveops_nb.abtest.planner import plan
from liveops_nb.abtest.verdict import findings

from .helpers import experiments_frame, tiny_experiment, ts


def test_a_planned_experiment_without_assignments_has_no_units(tmp_path):
    planned = pd.DataFrame({"experiment_id": ["EXP-S", "EXP-S"], "unit_id": ["S1", "S2"], "variant": ["A", "B"]})
    ds = liveops_nb.open(tiny_experiment(tmp_path / "t", assignments=planned))
    a = analyze(ds, "EXP-T")
    assert a.status == "no_units" and not a.has_units
    assert a.comparisons == () and a.arms == {} and a.errors == {}
    assert a.srm.counts == {"A": 0, "B": 0}
    assert [f.code for f in findings(a)] == ["no_units"]  # no verdict, no split-check line
    frame = a.to_frame()
    assert list(frame.metric) == ["view_to_order_rate"] and list(frame.error) == ["no units assigned yet"]


def test_a_dataset_without_an_assignments_table_has_no_units_not_an_error(tmp_path):
    exps = experiments_frame([dict(experiment_id="EXP-P", name="planned", unit="session", variable="scene",
                                   start=ts("2026-09-07 00:00"), end=ts("2026-09-08 23:59"),
                                   primary_metric="gmv", control_variant="A", planned_split="A:0.5,B:0.5")])
    ds = liveops_nb.open(tiny.write(tmp_path / "p", overrides={"experiments": exps}))
    assert not ds.has("assignments")
    a = analyze(ds, "EXP-P", metrics=["gmv", "uv"])
    assert a.status == "no_units" and a.srm.counts == {"A": 0, "B": 0} and a.metrics == ("gmv", "uv")


def test_an_experiment_with_units_is_ok(tds):
    a = analyze(tds, "EXP-T")
    assert a.status == "ok" and a.has_units and a.srm.counts == {"A": 3, "B": 3}


def test_the_planner_defaults_to_the_primary_metric(tds):
    for eid, primary in (("EXP-T", "view_to_order_rate"), ("EXP-T2", "gmv"), ("EXP-S", "click_to_order_rate")):
        assert plan(tds, load_experiment(tds, eid)).metric == primary
