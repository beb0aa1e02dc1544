"""The room's typical curve: median and 25–75 % band of past sessions at each minute of the broadcast."""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.errors import LiveFeedError
from liveops_nb.live.curve import against_typical, broadcast_minute, past_sessions, typical_curve

TZ = "Asia/Shanghai"


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz=TZ)


def rows(sid: str, start: str, online: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"session_id": sid, "minute": pd.date_range(ts(start), periods=len(online), freq="min"),
                         "pcu": online})


def test_median_and_band_per_broadcast_minute() -> None:
    # X starts 20:00, Y at 19:30:40 (its first minute row is 19:30), Z at 21:00; Y has 2 minutes, Z 4
    per_minute = pd.concat([rows("X", "2026-10-01 20:00", [10, 20, 30]),
                            rows("Y", "2026-10-02 19:30", [30, 40]),
                            rows("Z", "2026-10-03 21:00", [20, 0, 60, 5])], ignore_index=True)
    starts = {"X": ts("2026-10-01 20:00"), "Y": ts("2026-10-02 19:30:40"), "Z": ts("2026-10-03 21:00")}
    c = typical_curve(per_minute, starts, ["pcu"])
    assert c.offset.tolist() == [0, 1, 2, 3]
    # minute 0: {10, 30, 20} -> median 20, quartiles 15 and 25 (linear between neighbours)
    # minute 1: {20, 40, 0}  -> median 20, quartiles 10 and 30
    # minute 2: {30, 60}     -> median 45, quartiles 30 + 0.25·30 = 37.5 and 52.5
    # minute 3: {5}          -> 5 (one session)
    assert c["median"].tolist() == [20.0, 20.0, 45.0, 5.0]
    assert c["low"].tolist() == [15.0, 10.0, 37.5, 5.0]
    assert c["high"].tolist() == [25.0, 30.0, 52.5, 5.0]
    assert c["sessions"].tolist() == [3, 3, 2, 1]


def test_only_the_given_sessions_count_and_no_session_gives_an_empty_curve() -> None:
    per_minute = pd.concat([rows("X", "2026-10-01 20:00", [10]), rows("Q", "2026-10-01 20:00", [1000])])
    c = typical_curve(per_minute, {"X": ts("2026-10-01 20:00")}, ["pcu"])
    assert c["median"].tolist() == [10.0]
    assert typical_curve(per_minute, {}, ["pcu"]).empty


def test_broadcast_minute_counts_from_the_start_minute() -> None:
    m = pd.Series([ts("2026-10-01 19:30"), ts("2026-10-01 19:31"), ts("2026-10-01 20:29")])
    assert broadcast_minute(m, ts("2026-10-01 19:30:40")).tolist() == [0, 1, 59]


def test_past_sessions_are_earlier_sessions_of_the_same_room() -> None:
    info = pd.DataFrame({"session_id": ["a", "b", "c", "d", "e"], "room_id": ["R1", "R2", "R1", "R1", "R1"],
                         "start_time": [ts("2026-10-01 20:00"), ts("2026-10-02 20:00"), ts("2026-10-03 20:00"),
                                        ts("2026-10-04 20:00"), ts("2026-10-05 20:00")]})
    assert past_sessions(info, "d", n=10) == ["a", "c"]
    assert past_sessions(info, "e", n=2) == ["c", "d"]
    assert past_sessions(info, "a") == []
    with pytest.raises(LiveFeedError, match="zz"):
        past_sessions(info, "zz")


def test_against_typical_lines_up_the_live_minutes() -> None:
    typical = pd.DataFrame({"offset": [0, 1, 2], "metric": "pcu", "median": [20.0, 20.0, 45.0],
                            "low": [15.0, 10.0, 37.5], "high": [25.0, 30.0, 52.5], "sessions": [3, 3, 2]})
    live = rows("L", "2026-10-05 18:00", [7, 9])
    out = against_typical(live, ts("2026-10-05 18:00:20"), typical, "pcu")
    assert out.offset.tolist() == [0, 1, 2]
    assert out.actual.tolist()[:2] == [7.0, 9.0] and pd.isna(out.actual.iloc[2])
    assert out.minute.iloc[2] == ts("2026-10-05 18:02")
    assert out["median"].tolist() == [20.0, 20.0, 45.0]
