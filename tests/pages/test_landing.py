"""liveops_nb.pages.landing: rooms' latest week with trend, sessions filtered, sorted, grouped, totalled.

Hand-worked on a two-room, two-week dataset (platform totals; devtools/tiny.py's S1 and S2 plus two):

====  ====  ================  =====  =====  ======================
 id   room  start             GMV    views  ISO week
====  ====  ================  =====  =====  ======================
 S1   R1    2026-09-07 20:00    500      4  2026-W37 (Mon 09-07)
 S2   R1    2026-09-08 20:00    100      1  2026-W37
 S3   R1    2026-09-14 20:00    300      6  2026-W38 (Mon 09-14)
 S4   R2    2026-09-15 20:00   1000     10  2026-W38
====  ====  ================  =====  =====  ======================

W37: GMV 600, views 5, GPM 600/5×1000 = 120,000. W38: GMV 1,300, views 16, GPM 81,250.
Week over week (W38 vs W37): GMV 1300/600 − 1 = +116.7 %, GPM 81250/120000 − 1 = −32.3 %.
R1 in W38: GMV 300 vs 600 → −50.0 %; R2 in W38: GMV 1,000, no W37 session → no change shown.
All four: GMV 1,900, views 21, GPM 1900/21×1000 = 90,476.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from devtools import tiny
from liveops_nb.errors import UnknownOptionError


@pytest.fixture()
def weeks_dir(tmp_path):
    t = tiny.tables()
    rooms = pd.concat([t["rooms"], pd.DataFrame({"room_id": ["R2"], "room_name": ["阿杰数码"], "platform": ["douyin"],
                                                 "category": ["数码"], "host": ["阿杰"]})], ignore_index=True)
    more = pd.DataFrame({
        "session_id": ["S3", "S4"], "room_id": ["R1", "R2"], "host": ["小美", "阿杰"], "title": ["周一场", "数码专场"],
        "start_time": [tiny.ts("2026-09-14 20:00"), tiny.ts("2026-09-15 20:00")],
        "end_time": [tiny.ts("2026-09-14 20:30"), tiny.ts("2026-09-15 21:00")], "gmv_target": [300.0, 800.0]})
    totals = pd.concat([tiny.SESSION_TOTALS, pd.DataFrame({
        "session_id": ["S3", "S4"], "impressions": [20, 40], "views": [6, 10], "uv": [5, 8], "pcu": [3, 6],
        "acu": [2.0, 4.0], "avg_watch_seconds": [60.0, 90.0], "gmv": [300.0, 1000.0], "orders": [3, 5],
        "buyers": [3, 4], "units": [3, 5], "product_impression_uv": [4, 7], "product_click_uv": [3, 6],
        "interaction_uv": [2, 3], "new_followers": [0, 1], "comments": [1, 2], "refund_amount": [0.0, 100.0]})],
        ignore_index=True)
    sessions = pd.concat([t["sessions"], more], ignore_index=True).merge(totals, on="session_id")
    return tiny.write(tmp_path / "weeks", aggregate_only=True, overrides={"rooms": rooms, "sessions": sessions})


def _html(page, name: str) -> str:
    return "".join(o["data"].get("text/html", "") for o in page.outputs[name].outputs)


def test_weekly_totals_and_week_over_week_by_hand(weeks_dir):
    import liveops_nb
    from liveops_nb.pages import landing_data as data

    ds = liveops_nb.open(weeks_dir)
    s = ds.sessions(data.KEYS)
    w = data.weekly(ds, s, s)
    assert [f"{x:%Y-%m-%d}" for x in w.week] == ["2026-09-14", "2026-09-07"] and list(w.sessions) == [2, 2]
    assert list(w.gmv) == [1300.0, 600.0]
    assert w.gpm[0] == pytest.approx(81250) and w.gpm[1] == pytest.approx(120000)
    assert w.gmv_wow[0] == pytest.approx(1300 / 600 - 1) and math.isnan(w.gmv_wow[1])  # no week before W37
    assert w.gpm_wow[0] == pytest.approx(-0.3229166, abs=1e-6)
    total = data.totals(ds, s, s)
    assert total["gmv"] == 1900 and total["gpm"] == pytest.approx(1900 / 21 * 1000)
    rooms, weeks = data.room_trends(ds, s, s)
    assert [f"{x:%m-%d}" for x in weeks] == ["09-07", "09-14"]
    assert list(rooms.room_name) == ["阿杰数码", "小美彩妆"]  # highest GMV of the latest week first
    r1, r2 = rooms.set_index("room_id").loc["R1"], rooms.set_index("room_id").loc["R2"]
    assert (r1.gmv, r1.gmv_wow, r1.sessions, r1.spark) == (300.0, pytest.approx(-0.5), 1, [600.0, 300.0])
    assert (r2.gmv, r2.sessions, r2.spark) == (1000.0, 1, [0.0, 1000.0]) and math.isnan(r2.gmv_wow)


def test_filters_sorting_and_pages(weeks_dir):
    import liveops_nb
    from liveops_nb.pages import landing_data as data

    ds = liveops_nb.open(weeks_dir)
    s = ds.sessions(data.KEYS)
    assert list(data.keep(s, data.Filters(room="R1")).session_id) == ["S1", "S2", "S3"]
    assert list(data.keep(s, data.Filters(host="阿杰")).session_id) == ["S4"]
    since = data.keep(s, data.Filters(since=pd.Timestamp("2026-09-08").date(), until=pd.Timestamp("2026-09-14").date()))
    assert list(since.session_id) == ["S2", "S3"]
    assert data.totals(ds, s, data.keep(s, data.Filters(room="R1")))["gmv"] == 900  # 500 + 100 + 300
    by_gmv = data.groups(s, data.Order(by="gmv", group="none"))[0][1]
    assert list(by_gmv.session_id) == ["S4", "S1", "S3", "S2"]
    up = data.groups(s, data.Order(by="gmv", descending=False, group="none"))[0][1]
    assert list(up.session_id) == ["S2", "S3", "S1", "S4"]
    two = data.Order(by="gmv", group="none", page=1, page_size=3)
    assert data.pages(s, two) == 2
    assert [(n, list(r.session_id)) for n, r in data.groups(s, two)] == [(1, ["S2"])]
    weeks = data.groups(s, data.Order())
    assert [(f"{w:%m-%d}", list(r.session_id)) for w, r in weeks] == [("09-14", ["S4", "S3"]), ("09-07", ["S2", "S1"])]
    rooms = data.groups(s, data.Order(group="room"))
    assert [(r, list(x.session_id)) for r, x in rooms] == [("R1", ["S3", "S2", "S1"]), ("R2", ["S4"])]
    with pytest.raises(UnknownOptionError):
        data.Order(by="no_such_key")


def test_landing_page_renders_trend_groups_totals_and_links(weeks_dir):
    from liveops_nb.pages.landing import LandingPage

    page = LandingPage(str(weeks_dir), lang="en")
    page.controls()
    page.section("trend")
    page.section("sessions")
    trend = _html(page, "trend")
    assert "latest week (2026-W38)" in trend and trend.count('class="lo-spark"') == 3  # two rooms and the total
    assert "-50.0%" in trend and "+116.7%" in trend  # R1's GMV, all rooms' GMV, week over week
    assert "¥1,000" in trend and "¥1,300" in trend
    html = _html(page, "sessions")
    assert "4 sessions, 4 match the filters" in html
    assert "2026-W38 (09-14 to 09-20) · 2 sessions · GMV ¥1,300 (week over week +116.7%)" in html
    assert "2026-W37 (09-07 to 09-13) · 2 sessions · GMV ¥600 (week over week —)" in html
    assert html.count("<details") == 2 and html.count("<details class=\"lo lo-group\" open") == 1  # newest week open
    assert "Total (4 sessions)" in html and "¥1,900" in html and "¥90,476" in html
    assert "01-session-review.ipynb?session=S1&amp;lang=en" in html and html.count(">open review</a>") == 4
    page.set(group="none", by="gmv")
    html = _html(page, "sessions")
    order = [html.index(f"session={sid}&") for sid in ("S4", "S1", "S3", "S2")]
    assert order == sorted(order) and "GMV ▼" in html
    page.set_room("R1")
    assert "4 sessions, 3 match the filters" in _html(page, "sessions") and "¥900" in _html(page, "sessions")
    assert "阿杰数码" not in _html(page, "trend")
    page.set(room="", host="阿杰")
    assert "4 sessions, 1 match the filters" in _html(page, "sessions")
    page.set(host="", since="2026-09-20")
    assert "No session matches the filters." in _html(page, "sessions")
    with pytest.raises(UnknownOptionError):
        page.set(colour="red")
    page.section("nope")
    assert "nope" in _html(page, "nope")  # the registry's error, shown


def test_landing_page_in_chinese_and_static(weeks_dir):
    from liveops_nb.pages.landing import LandingPage

    page = LandingPage(str(weeks_dir), lang="zh", mode="static")
    assert page._controls() == []
    trend = page._build("trend")[0]
    assert "各直播间最近一周（2026年第38周）与上周对比" in trend and "合计" in trend and "R1" not in trend
    html = "".join(x for x in page._build("sessions") if isinstance(x, str))
    assert "2026年第38周（09-14 至 09-20）· 2 场 · 成交金额 ¥1,300（周环比 +116.7%）" in html
    assert "合计（4 场）" in html and "打开复盘" in html and "01-session-review.ipynb?session=S3\"" in html
