"""The run sheet against what actually happened: on time, late, early, skipped, overdue, upcoming, unplanned."""
from __future__ import annotations

import pandas as pd

from liveops_nb.live.runsheet import compare_run_sheet, status_counts

TZ = "Asia/Shanghai"


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(f"2026-10-03 {s}", tz=TZ)


PLAN = pd.DataFrame({
    "product_id": ["P1", "P2", "P3", "P1", "P6", "P4"],
    "planned_start": [ts("20:00"), ts("20:10"), ts("20:20"), ts("20:30"), ts("20:31"), ts("20:40")],
    "planned_end": [ts("20:10"), ts("20:20"), ts("20:30"), ts("20:40"), ts("20:45"), ts("20:50")]})
ACTUAL = pd.DataFrame({
    "product_id": ["P1", "P2", "P5", "P1"],
    "start": [ts("20:01"), ts("20:15"), ts("20:24"), ts("20:27")],
    "end": [ts("20:09"), ts("20:22"), ts("20:26"), pd.NaT]})  # the second P1 pitch is still on air


def test_statuses_while_live() -> None:
    out = compare_run_sheet(PLAN, ACTUAL, ts("20:35"))
    assert out.product_id.tolist() == ["P1", "P2", "P3", "P1", "P6", "P4", "P5"]
    # P1 +1 min (within 2 min: on time); P2 +5 min late; P3 not pitched and its slot ended at 20:30: skipped;
    # the second P1 began 20:27 for a 20:30 slot (−3 min: early) and runs; P6 should have started 20:31
    # (more than 2 min ago): overdue; P4 starts 20:40: upcoming; P5 was not planned
    assert out.status.tolist() == ["on_time", "late", "skipped", "early", "overdue", "upcoming", "unplanned"]
    assert out.delay_min.iloc[:2].tolist() == [1.0, 5.0] and out.delay_min.iloc[3] == -3.0
    assert out.delay_min.iloc[[2, 4, 5, 6]].isna().all()  # no pitch, or no plan (P5): no offset
    assert out.running.tolist() == [False, False, False, True, False, False, False]
    assert status_counts(out) == {"on_time": 1, "late": 1, "early": 1, "skipped": 1, "overdue": 1,
                                  "upcoming": 1, "unplanned": 1}


def test_within_tolerance_is_not_overdue_and_the_end_of_the_session_skips_the_rest() -> None:
    out = compare_run_sheet(PLAN, ACTUAL, ts("20:33"))
    assert out.status.iloc[4] == "upcoming"  # P6 planned 20:31: 2 minutes late is still within the tolerance
    ended = compare_run_sheet(PLAN, ACTUAL, ts("20:35"), ended=True)
    assert ended.status.tolist() == ["on_time", "late", "skipped", "early", "skipped", "skipped", "unplanned"]
    assert not ended.running.any()


def test_tolerance_is_a_parameter() -> None:
    out = compare_run_sheet(PLAN, ACTUAL, ts("20:35"), tolerance=pd.Timedelta(minutes=5))
    assert out.status.iloc[:4].tolist() == ["on_time", "on_time", "skipped", "on_time"]
