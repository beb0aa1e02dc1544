"""Sufficient statistics from Ibis against sums worked out by hand on hand-made experiments.

The viewer-level experiments reuse devtools/tiny.py (room R1; S1 on 2026-09-07, S2 on 2026-09-08):

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

import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.abtest.errors import MetricNotAvailableError
from liveops_nb.abtest.experiments import load_experiment
from liveops_nb.abtest.sums import sufficient_stats

from .helpers import aggregate_experiment, dsums, sums, tiny_experiment, ts


def test_viewer_ratio_view_to_order_rate(tds):
    arms = sufficient_stats(tds, load_experiment(tds, "EXP-T"), "view_to_order_rate")
    # units = viewers with uv > 0 (sessions entered): A: u1 (y=2 sessions with an order, d=2 sessions entered),
    # u2 (y=0, d=1); u3 never entered -> out. B: u4 (y=1, d=1); u5, u6 never entered.
    assert sums(arms["A"]) == (2, 2 + 0, 4 + 0)
    assert dsums(arms["A"]) == (2 + 1, 4 + 1, 2 * 2 + 0 * 1)
    assert sums(arms["B"]) == (1, 1, 1) and dsums(arms["B"]) == (1, 1, 1)
    assert arms["A"].ratio_mean == pytest.approx(2 / 3)  # 2 buying sessions / 3 viewing sessions


def test_viewer_mean_gmv_uses_every_assigned_viewer(tds):
    arms = sufficient_stats(tds, load_experiment(tds, "EXP-T"), "gmv")
    # A: u1 100 + 100 = 200, u2 0, u3 0; B: u4 300 + 100 = 400, u5 0, u6 0
    assert sums(arms["A"]) == (3, 200, 200 ** 2)
    assert sums(arms["B"]) == (3, 400, 400 ** 2)


def test_viewer_ratio_with_registry_scale_gpm(tds):
    arms = sufficient_stats(tds, load_experiment(tds, "EXP-T"), "gpm")
    # gpm = gmv / views × 1000; units with views > 0. A: u1 y = 200 × 1000, d = 2 entries; u2 y = 0, d = 2.
    assert sums(arms["A"]) == (2, 200_000, 200_000 ** 2)
    assert dsums(arms["A"]) == (4, 8, 200_000 * 2)
    # B: u4 y = 400 × 1000, d = 1
    assert sums(arms["B"]) == (1, 400_000, 400_000 ** 2) and dsums(arms["B"]) == (1, 1, 400_000)


def test_viewer_watch_time_ratio(tds):
    arms = sufficient_stats(tds, load_experiment(tds, "EXP-T"), "avg_watch_seconds")
    # watch_seconds / uv: u1 120 + 30 = 150 s over 2 sessions, u2 30 + 60 = 90 s over 1, u4 175 s over 1
    assert sums(arms["A"]) == (2, 150 + 90, 150 ** 2 + 90 ** 2)
    assert dsums(arms["A"]) == (3, 4 + 1, 150 * 2 + 90 * 1)
    assert sums(arms["B"]) == (1, 175, 175 ** 2)


def test_viewer_impression_to_view(tds):
    arms = sufficient_stats(tds, load_experiment(tds, "EXP-T"), "impression_to_view_rate")
    # impressed viewers: A: u1 (impressed in S1 and S2, entered both: y=2, d=2), u2 (1, 1), u3 (0, 1);
    # B: u4 (1, 1), u5 (0, 1)
    assert sums(arms["A"]) == (3, 3, 4 + 1) and dsums(arms["A"]) == (4, 6, 4 + 1)
    assert sums(arms["B"]) == (2, 1, 1) and dsums(arms["B"]) == (2, 2, 1)


def test_cuped_covariate_is_the_pre_period_value(tds):
    arms = sufficient_stats(tds, load_experiment(tds, "EXP-T2"), "gmv", cuped=True, pre_days=28)
    # window = S2: y = u1 100, everyone else 0. Pre-period (28 days before 2026-09-08) = S1: x = u1 100, u4 400.
    a, b = arms["A"], arms["B"]
    assert sums(a) == (3, 100, 10_000) and (a.covariate_sum, a.covariate_sum_squares, a.main_covariate_sum_product) \
        == (100, 10_000, 100 * 100)
    assert sums(b) == (3, 0, 0) and (b.covariate_sum, b.covariate_sum_squares, b.main_covariate_sum_product) \
        == (400, 160_000, 0)


def test_until_limits_the_window(tds):
    e = load_experiment(tds, "EXP-T")
    arms = sufficient_stats(tds, e, "gmv", until=ts("2026-09-07 23:59"))
    assert sums(arms["A"]) == (3, 100, 10_000)  # u1's S2 order is after the cut


def test_session_ratio_from_base_quantities(tds):
    arms = sufficient_stats(tds, load_experiment(tds, "EXP-S"), "click_to_order_rate")
    # S1 (A): buyers 2, product_click_uv 2; S2 (B): buyers 1, product_click_uv 0
    assert sums(arms["A"]) == (1, 2, 4) and dsums(arms["A"]) == (2, 4, 4)
    assert sums(arms["B"]) == (1, 1, 1) and dsums(arms["B"]) == (0, 0, 0)


def test_session_ratio_on_aggregate_only_data(tmp_path):
    ds = liveops_nb.open(aggregate_experiment(tmp_path / "agg"))
    assert ds.level == "aggregate"
    arms = sufficient_stats(ds, load_experiment(ds, "EXP-AGG"), "click_to_order_rate")
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
    with pytest.raises(MetricNotAvailableError):
        sufficient_stats(ds, load_experiment(ds, "EXP-T"), "gmv")
