"""Section 2 (timeline): outage detection, peak share of 互动强度 / interaction intensity, heat-map — hand-worked.

Tiny S1 per minute 20:00..20:05 (devtools/tiny.py, tests/test_metrics.py):
  online    2, 1, 2, 2, 2, 1
  entries   2, 0, 1, 1, 0, 0   (u1 20:00:10, u2 20:00:20; u4 20:02:05; u2 again 20:03:00)
  exits     1, 0, 1, 0, 1, 0   (u2 20:00:50; u1 20:02:10; u2 20:04:00)
  gmv       0, 100, 0, 400, 0, 0   (o1 20:01:20; o2 + o3 20:03:30, 20:03:40)
  comments  2, 0, 0, 0, 0, 0   (u1 20:00:35, u2 20:00:40)
  likes     1, 0, 0, 0, 0, 0   (u1 20:00:30)
  shares    0, 0, 1, 0, 0, 0   (u4 20:02:40)
  follows   0, 0, 1, 0, 0, 0   (u4 20:02:30)
"""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.review import timeline

T0 = pd.Timestamp("2026-09-07 20:00", tz="Asia/Shanghai")


def minutes(online, **cols) -> pd.DataFrame:
    n = len(online)
    df = pd.DataFrame({"minute": [T0 + pd.Timedelta(minutes=i) for i in range(n)], "online": online})
    for c in ("comments", "likes", "shares", "new_followers"):
        df[c] = cols.get(c, [0] * n)
    return df


# ----------------------------------------------------------------------------- outages
def test_sudden_drop_of_four_minutes_is_an_outage():
    # 20 minutes at 10, then 2,1,2,2, then 10 again: reference = median of 15 x 10 = 10, threshold 30 % = 3;
    # minutes 20..23 are below, and the minute before (10) was still >= 70 % of 10 -> sudden
    out = timeline.detect_outages(minutes([10] * 20 + [2, 1, 2, 2] + [10] * 6))
    assert len(out) == 1
    r = out.iloc[0]
    assert r.start == T0 + pd.Timedelta(minutes=20) and r.end == T0 + pd.Timedelta(minutes=24)
    assert (r.minutes, r.min_online, r.reference) == (4, 1, 10)


def test_two_minutes_are_too_short():
    assert timeline.detect_outages(minutes([10] * 20 + [1, 1] + [10] * 6)).empty
    # ... unless min_minutes allows it
    assert len(timeline.detect_outages(minutes([10] * 20 + [1, 1] + [10] * 6), min_minutes=2)) == 1


def test_long_outage_keeps_its_reference():
    # 12 minutes at 0: a plain rolling median would sink to 0 after 8 zero minutes (8 of 15);
    # the reference is held at 10 while the run lasts, so all 12 minutes are one outage
    out = timeline.detect_outages(minutes([10] * 20 + [0] * 12 + [10] * 5))
    assert out.minutes.tolist() == [12]


def test_gradual_decline_is_a_trough_not_an_outage():
    # 10 x 20, then 8, 6, 4, 2, 2, 2, 2: minute 23 (2) is the first below 3 (reference still 10, since the
    # 15 minutes before it are twelve 10s and 8, 6, 4); the two minutes before it (6, 4) are below 7 = 70 % of 10
    online = [10] * 20 + [8, 6, 4, 2, 2, 2, 2]
    assert timeline.detect_outages(minutes(online)).empty
    out = timeline.detect_outages(minutes(online), onset_level=None)
    assert out.start.tolist() == [T0 + pd.Timedelta(minutes=23)] and out.minutes.tolist() == [4]


def test_needs_history_and_a_drop_of_the_given_size():
    # minutes 3 and 4 have only 3 and 4 minutes before them (< min_history 5): never flagged
    assert timeline.detect_outages(minutes([10, 10, 10, 0, 0]), min_minutes=1).empty
    # with min_history 3, minute 3's reference is median(10, 10, 10) = 10 -> minutes 3, 4 are one outage
    assert timeline.detect_outages(minutes([10, 10, 10, 0, 0]), min_minutes=1, min_history=3).minutes.tolist() == [2]
    # 10 -> 4 is a 60 % fall: below drop=0.7's 30 % threshold? no (4 >= 3); with drop=0.5 (threshold 5) yes
    online = [10] * 20 + [4, 4, 4] + [10] * 3
    assert timeline.detect_outages(minutes(online)).empty
    assert len(timeline.detect_outages(minutes(online), drop=0.5)) == 1


def test_tiny_session_has_no_outage(tiny_ds):
    m = tiny_ds.frame("minute_stats", "S1")
    assert m.online.tolist() == [2, 1, 2, 2, 2, 1]
    assert timeline.detect_outages(m).empty


# ----------------------------------------------------------------------------- per-minute numbers
def test_minute_frame_tiny_registry_numbers_next_to_counts(tiny_ds):
    m = timeline.session_minutes(tiny_ds, "S1")
    assert m.minute.iloc[0] == T0 and len(m) == 6
    assert m.online.tolist() == [2, 1, 2, 2, 2, 1]  # registry pcu per minute
    assert m.entries.tolist() == [2, 0, 1, 1, 0, 0]  # registry views per minute
    assert m.gmv.tolist() == [0, 100, 0, 400, 0, 0]
    assert m.exits.tolist() == [1, 0, 1, 0, 1, 0]
    assert m.comments.tolist() == [2, 0, 0, 0, 0, 0] and m.likes.tolist() == [1, 0, 0, 0, 0, 0]
    assert m.shares.tolist() == [0, 0, 1, 0, 0, 0] and m.new_followers.tolist() == [0, 0, 1, 0, 0, 0]


# ----------------------------------------------------------------------------- peak interaction intensity
def test_peak_share_tiny(tiny_ds):
    m = tiny_ds.frame("minute_stats", "S1")
    # interactions (comments+likes+shares) 3,0,1,0,0,0; intensity = /online = 1.5, 0, 0.5, 0, 0, 0
    # centred 5-minute mean (partial at edges): m0 (1.5+0+0.5)/3 = 0.667, m1 2/4 = 0.5, m2 2/5 = 0.4,
    # m3 0.5/5 = 0.1, m4 0.5/4 = 0.125, m5 0/3 = 0; max 0.667
    r = timeline.intensity_by_minute(m)
    assert r.intensity.tolist() == pytest.approx([1.5, 0, 0.5, 0, 0, 0])
    assert r.smoothed.tolist() == pytest.approx([2 / 3, 0.5, 0.4, 0.1, 0.125, 0.0])
    # q 0.8: threshold 0.533 -> only m0 -> 1/6; q 0.7: threshold 0.467 -> m0, m1 -> 2/6
    assert timeline.peak_intensity_share(m) == pytest.approx(1 / 6)
    assert timeline.peak_intensity_share(m, q=0.7) == pytest.approx(2 / 6)


def test_peak_share_synthetic_and_edge_cases():
    df = minutes([10, 10, 10, 10], comments=[10, 5, 9, 0])
    # window 1 -> no smoothing: rates 1, 0.5, 0.9, 0; >= 0.8 x 1 -> minutes 0 and 2 -> 2/4
    assert timeline.peak_intensity_share(df, window=1) == pytest.approx(0.5)
    assert timeline.peak_intensity_share(minutes([10, 10])) is None  # no interactions at all
    assert timeline.peak_intensity_share(minutes([0, 0], comments=[1, 1])) is None  # nobody online
    # minutes with nobody online are left out of the share: intensities 1, NaN, 0.2 (window 1) -> peak 1 of 2
    df = minutes([5, 0, 5], likes=[5, 3, 1])
    assert timeline.peak_intensity_share(df, window=1) == pytest.approx(1 / 2)
    r = timeline.intensity_by_minute(df, window=1)
    assert timeline.peak_counts(r) == (1, 2)


def test_heatmap_tiny(tiny_ds):
    heat = timeline.interaction_heatmap(tiny_ds.frame("minute_stats", "S1"))
    b0 = heat[heat.bucket == 0].set_index("type")
    # bucket 0 = 20:00..20:04: comments 2, likes 1, shares 1, follows 1; mean online (2+1+2+2+2)/5 = 1.8
    assert b0["count"].to_dict() == {"comments": 2, "likes": 1, "shares": 1, "new_followers": 1}
    assert b0.avg_online.iloc[0] == pytest.approx(1.8)
    assert b0.at["comments", "per_viewer"] == pytest.approx(2 / 1.8)
    b1 = heat[heat.bucket == 1]
    # bucket 1 = 20:05 alone: online 1, no interactions
    assert b1["count"].sum() == 0 and b1.avg_online.iloc[0] == 1
    assert b0["relative"].tolist() == [1.0, 1.0, 1.0, 1.0]  # every type peaks in bucket 0


def test_build_tiny(tiny_ds):
    data = timeline.build(tiny_ds, "S1")
    assert data.outages.empty and data.incidents.empty and data.pitches.empty and data.missing is None
    assert (data.peak_minutes, data.intensity_minutes) == (1, 6)
    # language-neutral statements: codes with parameters
    assert [f.code for f in data.findings] == ["timeline_outage_none", "timeline_peak_share"]
    peak = data.findings[1].params
    assert peak["share"] == pytest.approx(1 / 6) and (peak["peak_minutes"], peak["minutes"]) == (1, 6)
    assert (peak["q"], peak["window"]) == (0.8, 5)
    kf = timeline.key_figures(data)
    assert kf["minutes"] == 6 and kf["outages"] == 0 and kf["peak_intensity_share"] == pytest.approx(1 / 6)
    assert "peak_interaction_share" not in kf  # 互动率 is the registry's interaction_rate only
    assert kf["pcu_minute"] == "2026-09-07T20:00:00+08:00"  # first minute with the peak 2


def test_without_minute_data_a_reason(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    assert not ds.has("minute_stats")
    data = timeline.build(ds, "S1")
    assert data.minute is None and data.peak_share is None and data.findings == ()
    assert (data.missing.code, data.missing.table) == ("needs_table", "minute_stats")
    assert timeline.key_figures(data)["outages"] is None


def test_pitches_and_logged_incidents_become_bands():
    t = lambda m: T0 + pd.Timedelta(minutes=m)  # noqa: E731
    p = timeline.pitch_segments(pd.DataFrame({"session_id": "S", "product_id": ["p2", "p1"], "start": [t(10), t(0)],
                                              "end": [t(25), t(10)]}),
                                pd.DataFrame({"product_id": ["p1"], "name": ["口红"]}))
    # time order; p2 has no name -> its id; 15 and 10 minutes
    assert p.name.tolist() == ["口红", "p2"] and p.minutes.tolist() == [10, 15]
    log = pd.DataFrame({"session_id": "S", "start": [t(30)], "end": [t(32)], "kind": ["stutter"], "note": ["卡顿"]})
    out = pd.DataFrame({"start": [t(5)], "end": [t(9)], "minutes": [4], "min_online": [0.0], "reference": [9.0]})
    bands = timeline.incident_bands(log, out)
    assert bands.source.tolist() == ["detected", "log"]
    assert bands.kind.tolist() == ["outage", "stutter"]


# ----------------------------------------------------------------------------- demo
@pytest.fixture(scope="module")
def demo_agg(demo_dir):
    return liveops_nb.open(demo_dir, use_viewer_level=False)


@pytest.mark.parametrize("viewer_level", [True, False])
def test_demo_planted_outage_found(demo_ds, demo_agg, planted, viewer_level):
    ds = demo_ds if viewer_level else demo_agg
    o = planted["phenomena"]["outage"]
    data = timeline.build(ds, o["session_id"])
    assert len(data.outages) == 1
    r = data.outages.iloc[0]
    # planted start..end are inclusive minutes; our end is the minute after the last one
    assert r.start == pd.Timestamp(o["start"])
    assert r.end == pd.Timestamp(o["end"]) + pd.Timedelta(minutes=1)
    assert r.minutes == o["minutes"]
    kf = timeline.key_figures(data)
    assert kf["outages"] == 1 and kf["outage_minutes"] == o["minutes"]
    found = data.findings[0]
    assert found.code == "timeline_outage_found" and found.params["n"] == 1
    assert found.params["spans"] == ((r.start, r.end),)


@pytest.mark.parametrize("viewer_level", [True, False])
def test_demo_ordinary_session_has_no_outage(demo_ds, demo_agg, planted, viewer_level):
    ds = demo_ds if viewer_level else demo_agg
    data = timeline.build(ds, planted["phenomena"]["ordinary_session"]["session_id"])
    assert data.outages.empty
    assert 0 < data.peak_share < 1
    assert len(data.pitches) > 0


def test_demo_logged_incident(demo_ds, planted):
    sid = planted["phenomena"]["logged_incidents"][0]["session_id"]
    data = timeline.build(demo_ds, sid)
    assert (data.incidents.source == "log").sum() >= 1 and data.incidents_logged >= 1


def test_demo_minutes_are_the_registry_minutes(demo_ds, planted):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    m = timeline.build(demo_ds, sid).minute
    k = demo_ds.kpis(["pcu", "views", "gmv"], by=["session_id", "minute"], where={"session_id": sid})
    assert m.minute.tolist() == k.minute.tolist()
    assert m.online.tolist() == k.pcu.tolist() and m.entries.tolist() == k.views.tolist()
    assert m.gmv.tolist() == k.gmv.tolist()
