"""Timestamps in CSV exports: offsets converted to the dataset's zone, naive times read in it with a warning."""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
from devtools import tiny
from tests.io.helpers import only

SH = "Asia/Shanghai"


def _at(text: str, tz: str = SH) -> pd.Timestamp:
    return pd.Timestamp(text, tz=tz)


def test_mixed_offsets_are_converted_to_the_dataset_zone(read_export):
    # 11:30Z, 19:30+08:00 and 07:30-04:00 are one instant: 19:30 in Shanghai
    df, raw = read_export("sessions", "session_id,start_time\nS1,2026-09-07T11:30:00Z\n"
                                      "S2,2026-09-07 19:30:00+08:00\nS3,2026-09-07T07:30:00-0400\n")
    assert raw.problems == [] and raw.warnings == []
    assert df["start_time"].tolist() == [_at("2026-09-07 19:30")] * 3
    assert str(df["start_time"].dt.tz) == SH


def test_naive_times_are_read_in_the_dataset_zone_with_a_warning(read_export):
    df, raw = read_export("sessions", "session_id,start_time\nS1,2026-09-07 19:30:00\nS2,2026/09/08 20:00\n")
    assert df["start_time"].tolist() == [_at("2026-09-07 19:30"), _at("2026-09-08 20:00")]
    w = only(raw.warnings, "start_time")
    assert "no time zone" in w.problem and SH in w.problem and raw.problems == []


def test_mixed_naive_and_aware_converts_one_and_localises_the_other(read_export):
    df, raw = read_export("sessions", "session_id,start_time\nS1,2026-09-07T11:30:00Z\nS2,2026-09-07 20:00:00\n")
    assert df["start_time"].tolist() == [_at("2026-09-07 19:30"), _at("2026-09-07 20:00")]
    w = only(raw.warnings, "start_time")
    assert w.rows == [{"row": 3, "session_id": "S2", "start_time": "2026-09-07 20:00:00"}] and w.n_rows == 1


def test_local_time_skipped_by_daylight_saving_is_refused(read_export):
    # 2026-03-08 02:30 does not exist in New York (clocks jump 02:00 -> 03:00); 01:30 on 11-01 happens twice
    df, raw = read_export("sessions", "session_id,start_time\nS1,2026-03-08 02:30:00\nS2,2026-11-01 01:30:00\n"
                                      "S3,2026-11-01 01:30:00-05:00\n", tz="America/New_York")
    p = only(raw.problems, "start_time")
    assert [r["row"] for r in p.rows] == [2, 3] and "daylight-saving" in p.problem and "offset" in p.fix
    assert df["start_time"].iloc[2] == pd.Timestamp("2026-11-01 06:30", tz="UTC")


def test_unreadable_times_are_listed(read_export):
    df, raw = read_export("sessions", "session_id,start_time\nS1,yesterday evening\nS2,2026-09-07 19:30+08:00\n")
    p = only(raw.problems, "start_time")
    assert p.rows == [{"row": 2, "session_id": "S1", "start_time": "yesterday evening"}]
    assert "sessions.csv" in p.problem


def test_dataset_with_mixed_offsets_opens_without_traceback(tmp_path):
    """The corpus case: a column mixing Z and +08:00 ended in a raw pandas error."""
    folder = tiny.write(tmp_path, aggregate_only=True, fmt="csv")
    s = pd.read_csv(folder / "sessions.csv", dtype=str, keep_default_na=False)
    start = pd.to_datetime(s["start_time"])
    s["start_time"] = [start[0].tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ"), s.loc[1, "start_time"]]
    s.to_csv(folder / "sessions.csv", index=False)
    ds = liveops_nb.open(folder)
    got = ds.raw["sessions"].execute().set_index("session_id")["start_time"]
    assert got["S1"] == start[0] and got["S2"] == start[1]
    assert ds.warnings == []


@pytest.mark.parametrize("cell", ["NaT", "", "-"])
def test_missing_times(read_export, cell):
    df, raw = read_export("sessions", f"session_id,start_time\nS1,{cell}\n")
    assert df["start_time"].isna().all() and raw.problems == []


def test_dates_must_be_year_first(read_export):
    # 07/09/2026 is 7 September or 9 July; 19:30 alone has no date: refused, never guessed per cell
    df, raw = read_export("sessions", "session_id,start_time\nS1,07/09/2026 19:30\nS2,19:30\n"
                                      "S3,2026/9/7 19:30\nS4,2026年9月7日 20:00\n")
    p = only(raw.problems, "start_time")
    assert [r["row"] for r in p.rows] == [2, 3] and "year first" in p.fix
    assert df["start_time"].tolist()[2:] == [_at("2026-09-07 19:30"), _at("2026-09-07 20:00")]
