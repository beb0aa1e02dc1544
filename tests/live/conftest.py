"""A small platform-aggregate data folder for the live monitor's tests (every number set by hand).

Room R1 has two past sessions, A (2026-10-01 20:00–20:03) and B (2026-10-02 19:30:40–19:33), and the
session replayed live, L (2026-10-03 20:00–20:04), with five minute rows:

    minute   online  gmv    orders  entries
    20:00    4       0      0       4
    20:01    10      100    1       7
    20:02    8       50     1       2
    20:03    12      250    2       6
    20:04    6       0      0       1

Pitches of L: p1 20:00:30–20:02:00, p2 20:03:30–20:04:30. A run sheet (when the data model has the table):
p1 20:00–20:01, p2 20:01–20:03, p3 20:03–20:04.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from liveops_nb.schema import TABLES

TZ = "Asia/Shanghai"


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz=TZ)


def minute_rows(session_id: str, start: str, online: list[int], gmv: list[float], orders: list[int],
                entries: list[int]) -> pd.DataFrame:
    n = len(online)
    return pd.DataFrame({
        "session_id": session_id, "minute": pd.date_range(ts(start), periods=n, freq="min"),
        "online": online, "entries": entries, "exits": [0] * n, "comments": [1] * n, "likes": [2] * n,
        "shares": [0] * n, "new_followers": [0] * n, "orders": orders, "buyers": orders, "gmv": gmv})


def live_tables() -> dict[str, pd.DataFrame]:
    rooms = pd.DataFrame({"room_id": ["R1"], "room_name": ["小美彩妆"], "platform": ["douyin"], "category": ["彩妆"],
                          "host": ["小美"]})
    sessions = pd.DataFrame({
        "session_id": ["A", "B", "L"], "room_id": ["R1"] * 3, "host": ["小美"] * 3, "title": ["a", "b", "l"],
        "start_time": [ts("2026-10-01 20:00"), ts("2026-10-02 19:30:40"), ts("2026-10-03 20:00")],
        "end_time": [ts("2026-10-01 20:03"), ts("2026-10-02 19:33"), ts("2026-10-03 20:05")],
        "gmv": [300.0, 200.0, 400.0], "orders": [3, 2, 4]})
    minutes = pd.concat([
        minute_rows("A", "2026-10-01 20:00", [10, 20, 30, 25], [0, 100, 100, 100], [0, 1, 1, 1], [10, 12, 12, 1]),
        minute_rows("B", "2026-10-02 19:30", [30, 40, 20, 10], [0, 0, 200, 0], [0, 0, 2, 0], [30, 15, 2, 1]),
        minute_rows("L", "2026-10-03 20:00", [4, 10, 8, 12, 6], [0, 100, 50, 250, 0], [0, 1, 1, 2, 0], [4, 7, 2, 6, 1]),
    ], ignore_index=True)
    products = pd.DataFrame({"product_id": ["p1", "p2", "p3"], "name": ["口红", "粉底液", "眼影"],
                             "category": ["彩妆"] * 3, "list_price": [100.0, 150.0, 80.0],
                             "role": ["profit", "traffic_driver", "regular"]})
    pitches = pd.DataFrame({"session_id": ["A", "L", "L"], "product_id": ["p1", "p1", "p2"],
                            "start": [ts("2026-10-01 20:00:10"), ts("2026-10-03 20:00:30"), ts("2026-10-03 20:03:30")],
                            "end": [ts("2026-10-01 20:02:00"), ts("2026-10-03 20:02:00"), ts("2026-10-03 20:04:30")]})
    out = {"rooms": rooms, "sessions": sessions, "minute_stats": minutes, "products": products, "pitches": pitches}
    if "run_sheet" in TABLES:
        out["run_sheet"] = pd.DataFrame({
            "session_id": ["L"] * 3, "product_id": ["p1", "p2", "p3"],
            "planned_start": [ts("2026-10-03 20:00"), ts("2026-10-03 20:01"), ts("2026-10-03 20:03")],
            "planned_end": [ts("2026-10-03 20:01"), ts("2026-10-03 20:03"), ts("2026-10-03 20:04")]})
    return out


@pytest.fixture()
def live_source(tmp_path: Path) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    for name, df in live_tables().items():
        df.to_parquet(folder / f"{name}.parquet", index=False)
    return folder
