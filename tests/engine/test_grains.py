"""``ds.kpis(keys, by=...)`` at every grain, against values worked out by hand from devtools/tiny.py.

The tiny dataset (see devtools/tiny.py): room R1, host 小美; S1 Monday 2026-09-07 20:00–20:05 (+08:00),
S2 Tuesday 2026-09-08 20:00–20:03, both in the ISO week starting Monday 2026-09-07, in September.
Hand counts used below:
  S1: viewers u1 (1 visit, 120 s, 直播推荐), u2 (2 visits 30 s + 60 s, 千川), u4 (175 s, 千川); u3 only
      impressed (搜索). Orders o1 u1 p1 100 (直播推荐), o2 u4 p2 300 (千川), o3 u4 p1 100 (千川).
      Online per minute 20:00..20:05 = 2, 1, 2, 2, 2, 1 (sum 10 over 6 minutes).
      Paid spend 50 on 千川.
  S2: viewer u1 (30 s, 关注), u5 only impressed (搜索). Order o4 u1 p1 100 (关注).
      Online per minute 20:00..20:03 = 1, 1, 0, 0 (sum 2 over 4 minutes).
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from liveops_nb.errors import GrainNotAvailableError, UnknownGrainError, UnknownMetricError

KEYS = ["uv", "views", "gmv", "buyers", "gpm", "acu", "pcu", "avg_watch_seconds", "paid_roi", "interaction_rate"]


def _row(df: pd.DataFrame, **where) -> pd.Series:
    hit = df
    for k, v in where.items():
        hit = hit[hit[k] == v]
    assert len(hit) == 1, f"{where}: {len(hit)} rows"
    return hit.iloc[0]


def _close(got, want) -> None:
    if want is None:
        assert got is None or math.isnan(got)
    else:
        assert got == pytest.approx(want, rel=1e-12)


def test_room_week_is_a_ratio_of_sums_with_each_person_counted_once(tiny_ds):
    k = tiny_ds.kpis(KEYS, by=["room_id", "week"])
    assert len(k) == 1
    r = _row(k, room_id="R1")
    assert r["week"] == pd.Timestamp("2026-09-07")
    _close(r["uv"], 3)  # u1, u2, u4 — u1 watched both sessions, counted once
    _close(r["views"], 5)  # 1 + 2 + 1 entries in S1, 1 in S2
    _close(r["gmv"], 600)
    _close(r["buyers"], 2)  # u1 (S1 and S2) and u4
    _close(r["gpm"], 600 / 5 * 1000)
    _close(r["acu"], (10 + 2) / (6 + 4))  # not the mean of the session values (10/6 + 2/4) / 2
    _close(r["pcu"], 2)
    _close(r["avg_watch_seconds"], (120 + 90 + 175 + 30) / 3)
    _close(r["paid_roi"], 400 / 50)
    _close(r["interaction_rate"], 3 / 3)  # u1 liked, u2 commented, u4 shared
    assert k.attrs["people_summed"] is False


def test_day_month_total_and_host(tiny_ds):
    day = tiny_ds.kpis(["uv", "gmv", "acu"], by="day")
    assert list(day["day"]) == [pd.Timestamp("2026-09-07"), pd.Timestamp("2026-09-08")]
    _close(_row(day, day=pd.Timestamp("2026-09-08"))["acu"], 2 / 4)
    month = tiny_ds.kpis(["uv", "gmv"], by="month")
    assert list(month["month"]) == [pd.Timestamp("2026-09-01")] and month["uv"].item() == 3
    total = tiny_ds.kpis(["uv", "gmv", "buyers"], by=None)
    assert len(total) == 1 and total["gmv"].item() == 600 and total["buyers"].item() == 2
    host = tiny_ds.kpis(["uv"], by="host")
    assert list(host["host"]) == ["小美"] and host["uv"].item() == 3


def test_weekday_hour_slots(tiny_ds):
    k = tiny_ds.kpis(["uv", "gmv", "avg_watch_seconds"], by=["weekday", "hour"])
    assert list(zip(k["weekday"], k["hour"], strict=True)) == [(0, 20), (1, 20)]  # Monday 20:00, Tuesday 20:00
    mon = _row(k, weekday=0)
    _close(mon["uv"], 3)
    _close(mon["avg_watch_seconds"], (120 + 90 + 175) / 3)
    _close(_row(k, weekday=1)["gmv"], 100)


def test_session_channel(tiny_ds):
    k = tiny_ds.kpis(["impressions", "uv", "views", "gmv", "buyers", "gpm", "paid_roi", "avg_watch_seconds", "pcu"],
                     by=["session_id", "channel"])
    assert sorted(zip(k.session_id, k.channel, strict=True)) == sorted(
        [("S1", "千川"), ("S1", "直播推荐"), ("S1", "搜索"), ("S2", "关注"), ("S2", "搜索")])
    paid = _row(k, session_id="S1", channel="千川")
    _close(paid["uv"], 2)
    _close(paid["views"], 3)
    _close(paid["gmv"], 400)
    _close(paid["buyers"], 1)
    _close(paid["gpm"], 400 / 3 * 1000)
    _close(paid["paid_roi"], 400 / 50)
    _close(paid["avg_watch_seconds"], (90 + 175) / 2)
    search = _row(k, session_id="S1", channel="搜索")
    _close(search["impressions"], 1)
    _close(search["uv"], 0)
    _close(search["gpm"], None)  # no views: no GPM
    _close(_row(k, session_id="S1", channel="直播推荐")["paid_roi"], None)  # organic: no spend
    # a peak of concurrent viewers cannot be split by channel: missing with a reason, never another formula
    assert k["pcu"].isna().all()
    assert k.attrs["missing"]["pcu"].code == "not_at_grain" and k.attrs["missing"]["pcu"].dim == "channel"


def test_session_product(tiny_ds):
    k = tiny_ds.kpis(["gmv", "buyers", "product_click_rate", "uv"], by=["session_id", "product_id"])
    assert sorted(zip(k.session_id, k.product_id, strict=True)) == [("S1", "p1"), ("S1", "p2"), ("S2", "p1")]
    p1 = _row(k, session_id="S1", product_id="p1")
    _close(p1["gmv"], 200)  # o1 + o3
    _close(p1["buyers"], 2)
    _close(p1["product_click_rate"], 1 / 2)  # impressed u1, u2; clicked u1
    assert k.attrs["missing"]["uv"].code == "not_at_grain"


def test_session_minute(tiny_ds):
    k = tiny_ds.kpis(["pcu", "acu", "uv", "gmv"], by=["session_id", "minute"])
    s1 = k[k.session_id == "S1"]
    assert list(s1["pcu"]) == [2, 1, 2, 2, 2, 1]
    assert list(s1["acu"]) == [2, 1, 2, 2, 2, 1]
    assert list(s1["uv"]) == [2, 0, 1, 1, 0, 0]  # people entering in that minute
    assert list(s1["gmv"]) == [0, 100, 0, 400, 0, 0]
    assert s1["minute"].iloc[0] == pd.Timestamp("2026-09-07 20:00", tz="Asia/Shanghai")
    assert list(k[k.session_id == "S2"]["pcu"]) == [1, 1, 0, 0]
    # a window of minutes (a product pitch): average online over 20:02–20:04 of S1 = (2 + 2 + 2) / 3
    window = [pd.Timestamp(f"2026-09-07 20:0{i}", tz="Asia/Shanghai") for i in (2, 3, 4)]
    w = tiny_ds.kpis(["acu", "pcu", "gmv"], by=None, where={"session_id": "S1", "minute": window})
    assert w["acu"].item() == 2 and w["pcu"].item() == 2 and w["gmv"].item() == 400


def test_viewer_grain(tiny_ds):
    k = tiny_ds.kpis(["uv", "views", "gmv", "buyers", "avg_watch_seconds"], by="user_id")
    u1 = _row(k, user_id="u1")
    _close(u1["uv"], 1)  # one person, though in two sessions
    _close(u1["views"], 2)
    _close(u1["gmv"], 200)
    _close(u1["avg_watch_seconds"], 150)
    vs = tiny_ds.kpis(["views", "gmv"], by=["user_id", "session_id"])
    _close(_row(vs, user_id="u2", session_id="S1")["views"], 2)


def test_where_filters_rows_and_sessions(tiny_ds):
    k = tiny_ds.kpis(["gmv", "uv"], by="session_id", where={"channel": "千川"})
    _close(_row(k, session_id="S1")["gmv"], 400)
    _close(_row(k, session_id="S2")["gmv"], 0)
    one = tiny_ds.kpis(["gmv"], where={"session_id": "S2"})
    assert list(one.session_id) == ["S2"] and one["gmv"].item() == 100
    assert tiny_ds.kpis(["uv"], by="day", where={"day": "2026-09-08"})["uv"].tolist() == [1]


def test_aggregate_only_sums_people_and_says_so(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    k = ds.kpis(["uv", "gmv", "avg_watch_seconds", "acu"], by="room_id")
    _close(k["uv"].item(), 3 + 1)  # platform UV per session, summed: u1 counted twice
    _close(k["avg_watch_seconds"].item(), (385 + 30) / 4)
    _close(k["acu"].item(), (10 / 6 * 6 + 0.5 * 4) / (6 + 4))
    assert k.attrs["people_summed"] is True
    ch = ds.kpis(["uv", "paid_roi", "buyers"], by=["session_id", "channel"])
    _close(_row(ch, session_id="S1", channel="千川")["paid_roi"], 400 / 50)
    assert ch.attrs["missing"]["buyers"].code == "not_at_grain"  # the channels export has no buyers
    with pytest.raises(GrainNotAvailableError):
        ds.kpis(["uv"], by="user_id")


def test_bad_arguments_are_clear_errors(tiny_ds):
    with pytest.raises(UnknownGrainError, match="weeks"):
        tiny_ds.kpis(["uv"], by="weeks")
    with pytest.raises(UnknownMetricError):
        tiny_ds.kpis(["gvm"])
    with pytest.raises(UnknownMetricError):
        tiny_ds.bases(["nope"])


def test_session_channel_group(tiny_ds, tiny_aggregate_ds):
    k = tiny_ds.kpis(["impressions", "uv", "views", "gmv", "paid_roi", "avg_watch_seconds"],
                     by=["session_id", "channel_group"])
    assert sorted(zip(k.session_id, k.channel_group, strict=True)) == [("S1", "organic"), ("S1", "paid"),
                                                                      ("S2", "organic")]
    organic = _row(k, session_id="S1", channel_group="organic")  # 直播推荐 (u1) and 搜索 (u3 impressed only)
    _close(organic["impressions"], 2)
    _close(organic["uv"], 1)
    _close(organic["gmv"], 100)
    _close(organic["avg_watch_seconds"], 120)
    paid = _row(k, session_id="S1", channel_group="paid")  # 千川: u2, u4
    _close(paid["uv"], 2)
    _close(paid["paid_roi"], 400 / 50)
    s2 = _row(k, session_id="S2", channel_group="organic")  # 关注 (u1) and 搜索 (u5 impressed only)
    _close(s2["impressions"], 2)
    _close(s2["uv"], 1)
    # the same numbers from the platform's channels export (aggregate-only)
    a = tiny_aggregate_ds.kpis(["uv", "gmv", "paid_roi"], by=["session_id", "channel_group"])
    _close(_row(a, session_id="S1", channel_group="paid")["paid_roi"], 400 / 50)
    _close(_row(a, session_id="S1", channel_group="organic")["uv"], 1)
