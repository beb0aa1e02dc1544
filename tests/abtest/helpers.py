"""Hand-made experiments on devtools/tiny.py, and small helpers shared by the A/B tests.

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

from pathlib import Path

import pandas as pd

from devtools import tiny
from liveops_nb.abtest import ArmStats

ts = tiny.ts


def arm(n: int, mean: float, var: float) -> ArmStats:
    """An arm with a given mean and (n-1)-divisor variance: sum = n mean, sum_squares = (n-1) var + sum^2/n."""
    s = n * mean
    return ArmStats(n, s, (n - 1) * var + s * s / n)


def experiments_frame(rows: list[dict]) -> pd.DataFrame:
    base = {"hypothesis": "h", "status": "finished", "room_ids": "R1"}
    return pd.DataFrame([{**base, **r} for r in rows])


def tiny_experiment(folder: Path, *, split: str = "A:0.5,B:0.5", assignments: pd.DataFrame | None = None) -> Path:
    """devtools/tiny.py plus the experiments EXP-T / EXP-T2 (viewer) and EXP-S (session: S1 -> A, S2 -> B)."""
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


def sums(a) -> tuple:
    return (a.n, a.sum, a.sum_squares)


def dsums(a) -> tuple:
    return (a.denominator_sum, a.denominator_sum_squares, a.main_denominator_sum_product)


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
