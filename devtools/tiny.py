"""A tiny hand-made dataset whose every KPI is worked out by hand in tests/test_metrics.py.

Room R1, two sessions:
  S1 2026-09-07 20:00–20:05 (+08:00), viewers u1, u2 (two visits), u4; u3 only impressed.
  S2 2026-09-08 20:00–20:03, viewer u1 (returns next day), u5 only impressed.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

TZ = "Asia/Shanghai"


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz=TZ)


def _events():
    rows = [
        # S1 — u1: enter 20:00:10, exit 20:02:10 (120 s), likes, comments, clicks and buys p1
        ("S1", "u1", "2026-09-07 20:00:00", "impression", None, "直播推荐"),
        ("S1", "u1", "2026-09-07 20:00:10", "enter", None, "直播推荐"),
        ("S1", "u1", "2026-09-07 20:00:30", "like", None, None),
        ("S1", "u1", "2026-09-07 20:00:35", "comment", None, None),
        ("S1", "u1", "2026-09-07 20:01:00", "product_impression", "p1", None),
        ("S1", "u1", "2026-09-07 20:01:10", "product_click", "p1", None),
        ("S1", "u1", "2026-09-07 20:01:20", "order", "p1", None),
        ("S1", "u1", "2026-09-07 20:02:10", "exit", None, None),
        # u2 (paid): visit 1 20:00:20–20:00:50 (30 s), visit 2 20:03:00–20:04:00 (60 s)
        ("S1", "u2", "2026-09-07 20:00:05", "impression", None, "千川"),
        ("S1", "u2", "2026-09-07 20:00:20", "enter", None, "千川"),
        ("S1", "u2", "2026-09-07 20:00:40", "comment", None, None),
        ("S1", "u2", "2026-09-07 20:00:50", "exit", None, None),
        ("S1", "u2", "2026-09-07 20:03:00", "enter", None, "千川"),
        ("S1", "u2", "2026-09-07 20:03:10", "product_impression", "p1", None),
        ("S1", "u2", "2026-09-07 20:04:00", "exit", None, None),
        # u3: impressed, never enters
        ("S1", "u3", "2026-09-07 20:01:00", "impression", None, "搜索"),
        # u4 (paid): enter 20:02:05, no exit -> session end 20:05:00 (175 s); follows, shares, buys p2 and p1
        ("S1", "u4", "2026-09-07 20:02:00", "impression", None, "千川"),
        ("S1", "u4", "2026-09-07 20:02:05", "enter", None, "千川"),
        ("S1", "u4", "2026-09-07 20:02:30", "follow", None, None),
        ("S1", "u4", "2026-09-07 20:02:40", "share", None, None),
        ("S1", "u4", "2026-09-07 20:02:50", "product_impression", "p2", None),
        ("S1", "u4", "2026-09-07 20:02:55", "product_click", "p2", None),
        ("S1", "u4", "2026-09-07 20:03:30", "order", "p2", None),
        ("S1", "u4", "2026-09-07 20:03:40", "order", "p1", None),
        # S2 — u1 returns: enter 20:00:30, exit 20:01:00 (30 s), buys p1; u5 impressed only
        ("S2", "u5", "2026-09-08 20:00:00", "impression", None, "搜索"),
        ("S2", "u1", "2026-09-08 20:00:20", "impression", None, "关注"),
        ("S2", "u1", "2026-09-08 20:00:30", "enter", None, "关注"),
        ("S2", "u1", "2026-09-08 20:00:50", "order", "p1", None),
        ("S2", "u1", "2026-09-08 20:01:00", "exit", None, None),
    ]
    df = pd.DataFrame(rows, columns=["session_id", "user_id", "ts", "event_type", "product_id", "channel"])
    df["ts"] = pd.to_datetime(df["ts"]).dt.tz_localize(TZ)
    return df


def tables() -> dict[str, pd.DataFrame]:
    rooms = pd.DataFrame({"room_id": ["R1"], "room_name": ["小美彩妆"], "platform": ["douyin"],
                          "category": ["彩妆"], "host": ["小美"]})
    sessions = pd.DataFrame({
        "session_id": ["S1", "S2"], "room_id": ["R1", "R1"], "host": ["小美", "小美"], "title": ["秋季新品", "回馈场"],
        "start_time": [ts("2026-09-07 20:00"), ts("2026-09-08 20:00")],
        "end_time": [ts("2026-09-07 20:05"), ts("2026-09-08 20:03")],
        "gmv_target": [600.0, 200.0]})
    products = pd.DataFrame({"product_id": ["p1", "p2"], "name": ["口红", "粉底液"], "category": ["彩妆", "彩妆"],
                             "list_price": [100.0, 150.0], "role": ["profit", "traffic_driver"]})
    users = pd.DataFrame({"user_id": ["u1", "u2", "u3", "u4", "u5"],
                          "first_seen": [ts("2026-09-01 10:00")] * 5,
                          "region": ["广东", "浙江", "北京", "上海", "四川"], "gender": ["女"] * 5,
                          "age_band": ["25-30"] * 5, "member_tier": ["普通", "金卡", "普通", "银卡", "普通"],
                          "is_follower": [True, False, False, False, False],
                          "in_private_domain": [False] * 5})
    orders = pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4"], "session_id": ["S1", "S1", "S1", "S2"],
        "user_id": ["u1", "u4", "u4", "u1"], "product_id": ["p1", "p2", "p1", "p1"],
        "ts": [ts("2026-09-07 20:01:20"), ts("2026-09-07 20:03:30"), ts("2026-09-07 20:03:40"), ts("2026-09-08 20:00:50")],
        "quantity": [1, 2, 1, 1], "amount": [100.0, 300.0, 100.0, 100.0], "refund_amount": [0.0, 300.0, 0.0, 0.0],
        "refunded_at": [pd.NaT, ts("2026-09-10 12:00"), pd.NaT, pd.NaT],
        "status": ["paid", "refunded", "paid", "paid"], "channel": ["直播推荐", "千川", "千川", "关注"]})
    comments = pd.DataFrame({
        "comment_id": ["c1", "c2", "h1"], "session_id": ["S1", "S1", "S1"], "user_id": ["u1", "u2", "host_R1"],
        "ts": [ts("2026-09-07 20:00:35"), ts("2026-09-07 20:00:40"), ts("2026-09-07 20:00:55")],
        "text": ["😂😂😂", "这个多少钱？", "99元，左上角1号链接"], "reply_to": [None, None, "c2"]})
    channels = pd.DataFrame({
        "session_id": ["S1", "S1", "S1", "S2", "S2"], "channel": ["直播推荐", "千川", "搜索", "关注", "搜索"],
        "channel_group": ["organic", "paid", "organic", "organic", "organic"],
        "impressions": [1, 2, 1, 1, 1], "views": [1, 3, 0, 1, 0], "uv": [1, 2, 0, 1, 0],
        "gmv": [100.0, 400.0, 0.0, 100.0, 0.0], "orders": [1, 2, 0, 1, 0], "spend": [None, 50.0, None, None, None]})
    return {"rooms": rooms, "sessions": sessions, "products": products, "users": users, "events": _events(),
            "orders": orders, "comments": comments, "channels": channels}


# Platform totals for the same two sessions, as an aggregate-only export would carry them (hand-counted).
SESSION_TOTALS = pd.DataFrame({
    "session_id": ["S1", "S2"], "impressions": [4, 2], "views": [4, 1], "uv": [3, 1], "pcu": [2, 1],
    "acu": [10 / 6, 0.5], "avg_watch_seconds": [385 / 3, 30.0], "gmv": [500.0, 100.0], "orders": [3, 1],
    "buyers": [2, 1], "units": [4, 1], "product_impression_uv": [3, 0], "product_click_uv": [2, 0],
    "interaction_uv": [3, 0], "new_followers": [1, 0], "comments": [2, 0], "refund_amount": [300.0, 0.0]})


def write(folder: Path, *, aggregate_only: bool = False, overrides: dict[str, pd.DataFrame] | None = None,
          fmt: str = "parquet") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    t = tables()
    if aggregate_only:
        t = {k: v for k, v in t.items() if k in ("rooms", "sessions", "products", "channels")}
        t["sessions"] = t["sessions"].merge(SESSION_TOTALS, on="session_id")
    t.update(overrides or {})
    for name, df in t.items():
        if fmt == "csv":
            df.to_csv(folder / f"{name}.csv", index=False)
        else:
            df.to_parquet(folder / f"{name}.parquet", index=False)
    return folder
