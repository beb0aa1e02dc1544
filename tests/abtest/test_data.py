"""Sufficient statistics from Ibis against sums worked out by hand on hand-made experiments.

The viewer-level experiments reuse tests/tiny.py (room R1; S1 on 2026-09-07, S2 on 2026-09-08):

  viewer  S1                                   S2
  u1      enters once (120 s), buys ¥100        enters once (30 s), buys ¥100
  u2      enters twice (30 s + 60 s)            —
  u3      impressed only                        —
  u4      enters once (175 s), buys ¥300 + ¥100 —
  u5      —                                     impressed only
  u6      never seen (assigned only)

EXP-T: viewers, 2026-09-07 .. 2026-09-08 in R1, A = {u1, u2, u3}, B = {u4, u5, u6}.
EXP-T2: same assignment, window 2026-09-08 only (S2), so S1 is its CUPED pre-period.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import tiny  # noqa: E402

import liveops_nb  # noqa: E402
from liveops_nb.abtest import data  # noqa: E402

ts = tiny.ts


def experiments_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"hypothesis": "h", "status": "finished", "room_ids": "R1"}
    return pd.DataFrame([{**base, **r} for r in rows])


def tiny_experiment(folder: Path, *, split: str = "A:0.5,B:0.5", assignments: pd.DataFrame | None = None) -> Path:
    """tests/tiny.py plus the experiments EXP-T / EXP-T2 (viewer) and EXP-S (session: S1 -> A, S2 -> B)."""
    exps = experiments_frame([
        dict(experiment_id="EXP-T", name="t", unit="viewer", variable="coupon", start=ts("2026-09-07 00:00"),
             end=ts("2026-09-08 23:59"), primary_metric="view_to_order_rate", control_variant="A", planned_split=split),
        dict(experiment_id="EXP-T2", name="t2", unit="viewer", variable="script", start=ts("2026-09-08 00:00"),
             end=ts("2026-09-08 23:59"), primary_metric="gmv", control_variant="A", planned_split=split),
        dict(experiment_id="EXP-S", name="s", unit="session", variable="scene", start=ts("2026-09-07 00:00"),
             end=ts("2026-09-08 23:59"), primary_metric="click_to_order_rate", control_variant="A",
             planned_split="A:0.5,B:0.5")])
    users = ["u1", "u2", "u3", "u4", "u5", "u6"]
    if assignments is None:
        assignments = pd.DataFrame({
            "experiment_id": ["EXP-T"] * 6 + ["EXP-T2"] * 6 + ["EXP-S"] * 2,
            "unit_id": users + users + ["S1", "S2"], "variant": ["A", "A", "A", "B", "B", "B"] * 2 + ["A", "B"]})
    return tiny.write(folder, overrides={"experiments": exps, "assignments": assignments})


@pytest.fixture()
def tds(tmp_path):
    return liveops_nb.open(tiny_experiment(tmp_path / "tinyexp"))


def sums(a) -> tuple:
    return (a.n, a.sum, a.sum_squares)


def dsums(a) -> tuple:
    return (a.denominator_sum, a.denominator_sum_squares, a.main_denominator_sum_product)


# ---------------------------------------------------------------- experiment definitions
def test_parse_split_normalises_and_keeps_order():
    assert data.parse_split("15s:1,30s:1,60s:2") == (("15s", 0.25), ("30s", 0.25), ("60s", 0.5))
    with pytest.raises(data.ExperimentError):
        data.parse_split("A:0.5")  # one arm only
    with pytest.raises(data.ExperimentError):
        data.parse_split("A:x,B:1")


def test_load_experiment_parses_row(tds):
    e = data.load_experiment(tds, "EXP-T")
    assert (e.unit, e.control, e.variants, e.treatments, e.room_ids) == ("viewer", "A", ("A", "B"), ("B",), ("R1",))
    assert e.weights == {"A": 0.5, "B": 0.5}


def test_unknown_experiment_lists_known_ids(tds):
    with pytest.raises(data.UnknownExperimentError) as err:
        data.load_experiment(tds, "EXP-NOPE")
    assert "EXP-T" in str(err.value) and "EXP-S" in str(err.value)


def test_metric_type_table():
    assert data.metric_type("view_to_order_rate", "viewer") == "ratio"
    assert data.metric_type("gmv", "viewer") == "mean"
    assert data.metric_type("click_to_order_rate", "session") == "ratio"
    with pytest.raises(data.MetricNotAvailableError):
        data.metric_type("pcu", "viewer")  # peak concurrency is not a per-viewer quantity
    with pytest.raises(data.MetricNotAvailableError):
        data.metric_type("not_a_metric", "session")


def test_assignment_counts(tds):
    assert data.assignment_counts(tds, data.load_experiment(tds, "EXP-T")) == {"A": 3, "B": 3}


# ---------------------------------------------------------------- viewer-level sums
def test_viewer_ratio_view_to_order_rate(tds):
    arms = data.sufficient_stats(tds, data.load_experiment(tds, "EXP-T"), "view_to_order_rate")
    # units = viewers with uv > 0 (sessions entered): A: u1 (y=2 sessions with an order, d=2 sessions entered),
    # u2 (y=0, d=1); u3 never entered -> out. B: u4 (y=1, d=1); u5, u6 never entered.
    assert sums(arms["A"]) == (2, 2 + 0, 4 + 0)
    assert dsums(arms["A"]) == (2 + 1, 4 + 1, 2 * 2 + 0 * 1)
    assert sums(arms["B"]) == (1, 1, 1) and dsums(arms["B"]) == (1, 1, 1)
    assert arms["A"].ratio_mean == pytest.approx(2 / 3)  # 2 buying sessions / 3 viewing sessions


def test_viewer_mean_gmv_uses_every_assigned_viewer(tds):
    arms = data.sufficient_stats(tds, data.load_experiment(tds, "EXP-T"), "gmv")
    # A: u1 100 + 100 = 200, u2 0, u3 0; B: u4 300 + 100 = 400, u5 0, u6 0
    assert sums(arms["A"]) == (3, 200, 200 ** 2)
    assert sums(arms["B"]) == (3, 400, 400 ** 2)


def test_viewer_ratio_with_registry_scale_gpm(tds):
    arms = data.sufficient_stats(tds, data.load_experiment(tds, "EXP-T"), "gpm")
    # gpm = gmv / views × 1000; units with views > 0. A: u1 y = 200 × 1000, d = 2 entries; u2 y = 0, d = 2.
    assert sums(arms["A"]) == (2, 200_000, 200_000 ** 2)
    assert dsums(arms["A"]) == (4, 8, 200_000 * 2)
    # B: u4 y = 400 × 1000, d = 1
    assert sums(arms["B"]) == (1, 400_000, 400_000 ** 2) and dsums(arms["B"]) == (1, 1, 400_000)


def test_viewer_watch_time_ratio(tds):
    arms = data.sufficient_stats(tds, data.load_experiment(tds, "EXP-T"), "avg_watch_seconds")
    # watch_seconds / uv: u1 120 + 30 = 150 s over 2 sessions, u2 30 + 60 = 90 s over 1, u4 175 s over 1
    assert sums(arms["A"]) == (2, 150 + 90, 150 ** 2 + 90 ** 2)
    assert dsums(arms["A"]) == (3, 4 + 1, 150 * 2 + 90 * 1)
    assert sums(arms["B"]) == (1, 175, 175 ** 2)


def test_viewer_impression_to_view(tds):
    arms = data.sufficient_stats(tds, data.load_experiment(tds, "EXP-T"), "impression_to_view_rate")
    # impressed viewers: A: u1 (impressed in S1 and S2, entered both: y=2, d=2), u2 (1, 1), u3 (0, 1);
    # B: u4 (1, 1), u5 (0, 1)
    assert sums(arms["A"]) == (3, 3, 4 + 1) and dsums(arms["A"]) == (4, 6, 4 + 1)
    assert sums(arms["B"]) == (2, 1, 1) and dsums(arms["B"]) == (2, 2, 1)


def test_cuped_covariate_is_the_pre_period_value(tds):
    arms = data.sufficient_stats(tds, data.load_experiment(tds, "EXP-T2"), "gmv", cuped=True, pre_days=28)
    # window = S2: y = u1 100, everyone else 0. Pre-period (28 days before 2026-09-08) = S1: x = u1 100, u4 400.
    a, b = arms["A"], arms["B"]
    assert sums(a) == (3, 100, 10_000) and (a.covariate_sum, a.covariate_sum_squares, a.main_covariate_sum_product) \
        == (100, 10_000, 100 * 100)
    assert sums(b) == (3, 0, 0) and (b.covariate_sum, b.covariate_sum_squares, b.main_covariate_sum_product) \
        == (400, 160_000, 0)


def test_cumulative_values_by_day(tds):
    e = data.load_experiment(tds, "EXP-T")
    by_day = data.arm_sums(data.viewer_values_by_day(tds, e, "view_to_order_rate"), by=["day"]).execute()
    got = {(r.variant, r.day): (r.n, r.sum, r.denominator_sum) for r in by_day.itertuples()}
    # up to 09-07 (S1 only): A: u1 (1 order session / 1 entered), u2 (0 / 1); B: u4 (1 / 1)
    assert got[("A", "2026-09-07")] == (2, 1, 2) and got[("B", "2026-09-07")] == (1, 1, 1)
    # up to 09-08: u1 adds S2 (bought): A sums 2 / 3
    assert got[("A", "2026-09-08")] == (2, 2, 3) and got[("B", "2026-09-08")] == (1, 1, 1)


def test_until_limits_the_window(tds):
    e = data.load_experiment(tds, "EXP-T")
    arms = data.sufficient_stats(tds, e, "gmv", until=ts("2026-09-07 23:59"))
    assert sums(arms["A"]) == (3, 100, 10_000)  # u1's S2 order is after the cut


def test_viewer_segments(tds):
    seg = data.viewer_segments(tds, data.load_experiment(tds, "EXP-T2")).execute()
    got = dict(zip(seg.user_id, seg.segment))
    # u1..u5 have first_seen 2026-09-01 (< start 09-08) -> returning; u6 is in no table -> new
    assert got == {"u1": "returning", "u2": "returning", "u3": "returning", "u4": "returning", "u5": "returning",
                   "u6": "new"}


# ---------------------------------------------------------------- session-level sums
def test_session_ratio_from_base_quantities(tds):
    arms = data.sufficient_stats(tds, data.load_experiment(tds, "EXP-S"), "click_to_order_rate")
    # S1 (A): buyers 2, product_click_uv 2; S2 (B): buyers 1, product_click_uv 0
    assert sums(arms["A"]) == (1, 2, 4) and dsums(arms["A"]) == (2, 4, 4)
    assert sums(arms["B"]) == (1, 1, 1) and dsums(arms["B"]) == (0, 0, 0)


AGG_SESSIONS = pd.DataFrame({  # six sessions of R1, platform totals only
    "session_id": [f"P{i}" for i in range(1, 7)], "room_id": "R1", "host": "小美",
    "start_time": [ts(f"2026-09-{d:02d} 20:00") for d in (7, 7, 8, 8, 9, 9)],
    "end_time": [ts(f"2026-09-{d:02d} 22:00") for d in (7, 7, 8, 8, 9, 9)],
    "buyers": [2, 3, 4, 3, 5, 2], "product_click_uv": [4, 6, 5, 5, 8, 4], "uv": [40, 50, 45, 50, 60, 30],
    "gmv": [200.0, 300.0, 450.0, 300.0, 500.0, 150.0]})


def aggregate_experiment(folder: Path) -> Path:
    exps = experiments_frame([dict(experiment_id="EXP-AGG", name="agg", unit="session", variable="script",
                                   start=ts("2026-09-07 00:00"), end=ts("2026-09-09 23:59"),
                                   primary_metric="click_to_order_rate", control_variant="A",
                                   planned_split="A:0.5,B:0.5")])
    asg = pd.DataFrame({"experiment_id": "EXP-AGG", "unit_id": AGG_SESSIONS.session_id,
                        "variant": ["A", "B", "A", "B", "A", "B"]})
    t = tiny.tables()
    out = {"rooms": t["rooms"], "sessions": AGG_SESSIONS, "experiments": exps, "assignments": asg}
    folder.mkdir(parents=True)
    for name, df in out.items():
        df.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def test_session_ratio_on_aggregate_only_data(tmp_path):
    ds = liveops_nb.open(aggregate_experiment(tmp_path / "agg"))
    assert ds.level == "aggregate"
    arms = data.sufficient_stats(ds, data.load_experiment(ds, "EXP-AGG"), "click_to_order_rate")
    # A = P1, P3, P5: buyers 2, 4, 5; clicks 4, 5, 8
    assert sums(arms["A"]) == (3, 11, 4 + 16 + 25) and dsums(arms["A"]) == (17, 16 + 25 + 64, 8 + 20 + 40)
    # B = P2, P4, P6: buyers 3, 3, 2; clicks 6, 5, 4
    assert sums(arms["B"]) == (3, 8, 9 + 9 + 4) and dsums(arms["B"]) == (15, 36 + 25 + 16, 18 + 15 + 8)


def test_viewer_test_on_aggregate_only_data_is_not_available(tmp_path):
    folder = tiny.write(tmp_path / "aggonly", aggregate_only=True)
    tiny_experiment(tmp_path / "full")  # copy its experiment tables into the aggregate-only folder
    for name in ("experiments", "assignments"):
        (folder / f"{name}.parquet").write_bytes((tmp_path / "full" / f"{name}.parquet").read_bytes())
    ds = liveops_nb.open(folder)
    with pytest.raises(data.MetricNotAvailableError):
        data.sufficient_stats(ds, data.load_experiment(ds, "EXP-T"), "gmv")
