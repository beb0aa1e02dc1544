"""Section 3 (traffic): channel shares, GPM, paid ROI, concentration — hand-worked.

Tiny S1 channels (devtools/tiny.py):
  直播推荐 organic: uv 1 (u1), views 1, gmv 100 (o1)
  千川     paid:    uv 2 (u2, u4), views 3 (u2 twice, u4), gmv 400 (o2 300 + o3 100), spend 50
  搜索     organic: uv 0 (u3 only impressed), views 0, gmv 0
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.review import traffic


def _check_tiny_s1(tab: pd.DataFrame) -> None:
    t = tab.set_index("channel")
    assert list(tab.channel) == ["千川", "直播推荐", "搜索"]  # by uv, largest first
    # uv shares: 2/3, 1/3, 0; views shares: 3/4, 1/4, 0
    assert t.uv_share.tolist() == pytest.approx([2 / 3, 1 / 3, 0])
    assert t.views_share.tolist() == pytest.approx([3 / 4, 1 / 4, 0])
    # GPM = gmv / views x 1000: 千川 400/3*1000 = 133,333.3; 直播推荐 100/1*1000 = 100,000; 搜索 no views -> NaN
    assert t.at["千川", "gpm"] == pytest.approx(400 / 3 * 1000)
    assert t.at["直播推荐", "gpm"] == pytest.approx(100_000)
    assert math.isnan(t.at["搜索", "gpm"])
    # ROI only for paid channels with spend: 400 / 50 = 8
    assert t.at["千川", "roi"] == pytest.approx(8.0)
    assert t.roi.drop("千川").isna().all()


def test_channel_table_tiny(tiny_ds):
    _check_tiny_s1(traffic.channel_table(tiny_ds, "S1"))


def test_channel_table_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    _check_tiny_s1(traffic.channel_table(ds, "S1"))


def test_channel_table_is_the_registry_at_the_channel_grain(tiny_ds):
    tab = traffic.channel_table(tiny_ds, "S1").set_index("channel")
    reg = tiny_ds.kpis(["gpm", "paid_roi"], by=["session_id", "channel"], where={"session_id": "S1"}).set_index("channel")
    assert tab.gpm.equals(reg.gpm.reindex(tab.index))
    assert tab.at["千川", "roi"] == reg.at["千川", "paid_roi"]


def test_group_table_tiny(tiny_ds):
    tab = traffic.channel_table(tiny_ds, "S1")
    g = traffic.group_table(tiny_ds, "S1", tab).set_index("channel_group")
    # organic = 直播推荐 + 搜索: uv 1, views 1, gmv 100; paid = 千川: uv 2, views 3, gmv 400, spend 50
    assert list(g.index) == ["organic", "paid"]
    assert g.uv.tolist() == [1, 2] and g.views.tolist() == [1, 3]
    assert g.at["organic", "gpm"] == pytest.approx(100 / 1 * 1000)
    assert g.at["paid", "roi"] == pytest.approx(400 / 50)
    assert math.isnan(g.at["organic", "spend"])


def test_concentration_by_hand():
    tab = pd.DataFrame({"channel": ["A", "B", "C"], "uv": [50, 30, 20]})
    top, share, hhi = traffic.concentration(tab)
    # shares 0.5, 0.3, 0.2 -> HHI 0.25 + 0.09 + 0.04 = 0.38
    assert (top, share) == ("A", 0.5) and hhi == pytest.approx(0.38)
    top, share, hhi = traffic.concentration(pd.DataFrame({"channel": ["A", "B", "C", "D"], "uv": [1, 1, 1, 1]}))
    assert share == pytest.approx(0.25) and hhi == pytest.approx(4 * 0.25 ** 2)  # n equal channels -> 1/n
    top, share, hhi = traffic.concentration(pd.DataFrame({"channel": ["A"], "uv": [0]}))
    assert top is None and math.isnan(share) and math.isnan(hhi)


def test_build_tiny_concentrated_and_paid_total_is_registry(tiny_ds):
    data = traffic.build(tiny_ds, "S1")
    # top 千川 2/3 > 0.5 -> warning; HHI (2/3)^2 + (1/3)^2 + 0 = 5/9
    assert data.top_channel == "千川" and data.top_share == pytest.approx(2 / 3)
    assert data.hhi == pytest.approx(5 / 9)
    # total paid ROI: the registry value, and it equals paid channels' gmv / spend = 400 / 50
    kp = tiny_ds.session_kpis("S1").set_index("key")
    assert data.paid_roi == kp.at["paid_roi", "value"] == pytest.approx(8.0)
    paid = data.channels[data.channels.channel_group == "paid"]
    assert paid.gmv.sum() / paid.spend.sum() == pytest.approx(data.paid_roi)
    kf = traffic.key_figures(data)
    assert kf["concentration_warning"] == 1.0 and kf["hhi"] == pytest.approx(5 / 9)
    assert kf["paid_uv_share"] == pytest.approx(2 / 3) and kf["organic_uv_share"] == pytest.approx(1 / 3)
    assert kf["private_uv_share"] == 0.0 and kf["n_channels"] == 2  # channels that brought viewers
    codes = [f.code for f in data.findings]
    assert codes == ["traffic_concentrated", "traffic_paid_total"]
    assert data.findings[0].params == {"channel": "千川", "share": pytest.approx(2 / 3), "threshold": 0.5,
                                       "hhi": pytest.approx(5 / 9)}
    assert data.findings[1].params["roi"] == pytest.approx(8.0) and data.findings[1].params["spend"] == 50


def test_threshold_option(tiny_ds):
    data = traffic.build(tiny_ds, "S1", concentration_threshold=0.7)
    # 2/3 = 0.667 is not above 0.7 -> no warning
    assert traffic.key_figures(data)["concentration_warning"] == 0.0
    assert data.findings[0].code == "traffic_spread"


def test_session_without_paid_traffic(tiny_ds):
    data = traffic.build(tiny_ds, "S2")
    # S2: only 关注 brought a viewer -> share 1, HHI 1; paid spend 0 -> ROI not available
    assert (data.top_channel, data.top_share, data.hhi) == ("关注", 1.0, 1.0)
    assert data.paid_spend == 0 and data.paid_roi is None
    assert data.paid_roi_reason is not None and data.paid_roi_reason.code == "zero_denominator"
    assert [f.code for f in data.findings] == ["traffic_concentrated", "traffic_paid_none"]  # 100 % > 50 %


def test_no_channels_table(tiny_aggregate_dir):
    folder = tiny_aggregate_dir
    (folder / "channels.parquet").unlink()
    ds = liveops_nb.open(folder)
    data = traffic.build(ds, "S1")
    assert data.channels is None and [f.code for f in data.findings] == ["traffic_no_channels"]
    kf = traffic.key_figures(data)
    assert kf["top_channel"] is None and kf["paid_roi"] is None
    assert data.paid_roi_reason is not None and data.paid_roi_reason.code == "needs_table"


@pytest.mark.parametrize("viewer_level", [True, False])
def test_demo_paid_roi_matches_registry(demo_dir, planted, viewer_level):
    ds = liveops_nb.open(demo_dir, use_viewer_level=viewer_level)
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    data = traffic.build(ds, sid)
    assert data.channels.uv_share.sum() == pytest.approx(1.0)
    paid = data.channels[data.channels.channel_group == "paid"]
    reg = ds.kpis(["paid_spend", "paid_roi"], where={"session_id": sid}).iloc[0]
    assert paid.spend.sum() == pytest.approx(reg.paid_spend)
    assert paid.gmv.sum() / paid.spend.sum() == pytest.approx(reg.paid_roi)
    assert data.paid_roi == pytest.approx(reg.paid_roi)
    groups = data.groups.set_index("channel_group")
    assert groups.at["paid", "roi"] == pytest.approx(reg.paid_roi)


def test_minute_channel_groups_hand_counted(tiny_ds):
    """S1 per minute (devtools/tiny.py): 20:00 u1 enters via 直播推荐 (organic), u2 via 千川 (paid); 20:01 o1 ¥100
    organic; 20:02 u4 enters via 千川; 20:03 u2 enters again via 千川, o2 ¥300 + o3 ¥100 via 千川; 20:04-20:05 quiet."""
    from liveops_nb.review import traffic as T

    d = T.build(tiny_ds, "S1")
    m = d.minutes
    assert m is not None and d.minutes_reason is None
    assert len(m) == 6 * 2  # every broadcast minute 20:00..20:05 × organic, paid
    at = m.assign(hm=m["minute"].dt.strftime("%H:%M")).set_index(["hm", "channel_group"])
    assert at.loc[("20:00", "organic"), "uv"] == 1 and at.loc[("20:00", "paid"), "uv"] == 1
    assert at.loc[("20:01", "organic"), "gmv"] == 100
    assert at.loc[("20:02", "paid"), "uv"] == 1
    assert at.loc[("20:03", "paid"), "gmv"] == 400 and at.loc[("20:03", "paid"), "views"] == 1
    assert at.loc[("20:05", "paid"), "uv"] == 0
    assert m.groupby("channel_group")["uv"].sum().to_dict() == {"organic": 1, "paid": 3}  # entries, not people
    # spend is reported per session and channel only: no per-minute spend, with the engine's reason
    assert d.spend_minutes is None and d.spend_reason.code == "not_at_grain" and d.spend_reason.dim == "minute"


def test_minute_channels_not_available_from_aggregates(tiny_aggregate_ds):
    from liveops_nb.review import traffic as T

    d = T.build(tiny_aggregate_ds, "S1")
    assert d.minutes is None and d.minutes_reason is not None


def test_minute_spend_from_minute_stats(tiny_dir):
    """Aggregate data with a minute_stats.paid_spend column: spend per minute is the column's values."""
    import pandas as pd

    import liveops_nb
    from devtools import tiny
    from liveops_nb.review import traffic as T

    folder = tiny_dir.parent / "agg_minutes"
    minute = [tiny.ts(f"2026-09-07 20:0{i}") for i in range(3)]
    ms = pd.DataFrame({"session_id": ["S1"] * 3, "minute": minute, "online": [2, 1, 2], "entries": [2, 0, 1],
                       "exits": [0, 1, 0], "comments": [2, 0, 0], "likes": [1, 0, 0], "shares": [0, 0, 1],
                       "new_followers": [0, 0, 1], "orders": [0, 1, 0], "buyers": [0, 1, 0],
                       "gmv": [0.0, 100.0, 0.0], "paid_spend": [10.0, 15.0, 25.0]})
    tiny.write(folder, aggregate_only=True, overrides={"minute_stats": ms})
    d = T.build(liveops_nb.open(folder), "S1")
    assert d.spend_minutes is not None and d.spend_minutes["paid_spend"].tolist() == [10.0, 15.0, 25.0]
    assert d.minutes is None  # no per-minute channels in these exports
