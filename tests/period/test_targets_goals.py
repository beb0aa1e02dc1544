"""targets.csv, attainment, run-rate forecast and gap; results against the previous period and history (tiny)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import liveops_nb
from liveops_nb.errors import TargetsFileError
from liveops_nb.period import Scope, goals, parse, read_targets
from liveops_nb.period.targets import forecast, total_target

ROOT = Path(__file__).resolve().parents[2]


def _write(folder: Path, text: str) -> Path:
    (folder / "targets.csv").write_text(text, encoding="utf-8")
    return folder


def test_no_file_no_targets(tiny_dir):
    assert read_targets(tiny_dir).empty


def test_week_and_month_targets(tiny_dir):
    _write(tiny_dir, "room_id,period,metric,target\nR1,2026-W37,gmv,1000\nR1,2026-09,gmv,3000\n"
                     "R1,2026-w37,view_to_order_rate,0.5\n")
    ds = liveops_nb.open(tiny_dir)
    # week of 09-07: ¥600 with 2 of 7 days elapsed (data run to 09-08): attained 0.6, forecast 600 × 7/2 = 2,100,
    # gap 2,100 − 1,000 = 1,100; conversion 2 buyers / 3 viewers forecast as is: gap 2/3 − 0.5 = 1/6
    week = goals.build(ds, Scope(parse("2026-W37")))
    g = week.row("R1", "gmv")
    assert (g["value"], g["target"]) == (600, 1000)
    assert g["attainment"] == pytest.approx(0.6)
    assert g["forecast"] == pytest.approx(2100) and g["gap"] == pytest.approx(1100)
    c = week.row("R1", "view_to_order_rate")
    assert c["attainment"] == pytest.approx((2 / 3) / 0.5) and c["gap"] == pytest.approx(2 / 3 - 0.5)
    assert week.row("__total__", "gmv")["target"] == 1000  # the only room's target
    assert pd.isna(week.row("__total__", "view_to_order_rate")["target"])  # ratio targets do not add up
    # September: 8 of 30 days: forecast 600 × 30 / 8 = 2,250, gap −750, attained 0.2
    month = goals.build(ds, Scope(parse("2026-09")))
    m = month.row("R1", "gmv")
    assert m["attainment"] == pytest.approx(0.2) and m["forecast"] == pytest.approx(2250) and m["gap"] == pytest.approx(-750)
    assert (month.elapsed, month.days) == (8, 30)


@pytest.mark.parametrize("body, message", [
    ("R1,2026-W37,gmvv,1000", "unknown metric 'gmvv'"),
    ("R1,2026/09,gmv,1000", "period must look like"),
    ("R1,2026-W37,gmv,-5", "target must be a number ≥ 0"),
    ("R1,2026-W37,gmv,lots", "target must be a number ≥ 0"),
    ("R9,2026-W37,gmv,1000", "unknown room 'R9'"),
    ("R1,2026-W37,gmv,1000\nR1,2026-w37,gmv,900", "more than one target"),
])
def test_malformed_files_are_refused(tiny_dir, body, message):
    _write(tiny_dir, "room_id,period,metric,target\n" + body + "\n")
    with pytest.raises(TargetsFileError, match=message):
        read_targets(tiny_dir, ["R1"])


def test_wrong_columns_are_refused(tiny_dir):
    _write(tiny_dir, "room,period,metric,target\nR1,2026-W37,gmv,1\n")
    with pytest.raises(TargetsFileError, match="columns must be room_id,period,metric,target"):
        read_targets(tiny_dir)


def test_total_target_needs_every_room():
    t = pd.DataFrame({"room_id": ["R1", "R2"], "metric": ["gmv", "gmv"], "target": [100.0, 50.0]})
    assert total_target(t, "gmv", ["R1", "R2"]) == 150
    assert pd.isna(total_target(t, "gmv", ["R1", "R3"]))
    assert pd.isna(total_target(t.assign(metric="gpm"), "gpm", ["R1", "R2"]))


def test_forecast_rules():
    assert forecast("gmv", 300.0, 3, 7) == pytest.approx(700)  # volume at the pace so far
    assert forecast("gpm", 900.0, 3, 7) == 900  # a ratio stays
    assert forecast("gmv", 300.0, 7, 7) == 300  # a finished period is what it is


def test_results_against_previous_day_and_history(tiny_ds):
    data = goals.build(tiny_ds, Scope(parse("2026-09-08")))
    g = data.row("R1", "gmv")
    assert (g["value"], g["previous"], g["history"], g["n_history"]) == (100, 500, 500, 1)
    assert g["rel_previous"] == pytest.approx(-0.8) and pd.isna(g["cycle"])  # 2026-09-01 has no session
    assert data.previous == "2026-09-07" and data.cycle == "2026-09-01" and data.n_sessions == {"R1": 1, "__total__": 1}
    # benchmarks only for ratio metrics, from the shipped (illustrative) benchmarks of the room's category 彩妆
    shipped = yaml.safe_load((ROOT / "liveops_nb" / "defaults" / "benchmarks.yaml").read_text(encoding="utf-8"))
    assert data.row("R1", "gpm")["bench_p50"] == shipped["categories"]["彩妆"]["gpm"]["p50"]
    assert pd.isna(g["bench_p50"]) and data.illustrative
    kf = goals.key_figures(data)
    assert kf["gmv_value"] == 100 and kf["gmv_previous"] == 500 and kf["n_sessions"] == 1
