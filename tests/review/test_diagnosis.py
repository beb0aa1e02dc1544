"""Section 8 — diagnosis: every rule on small synthetic inputs (firing and not firing), planted demo phenomena.

The words of the findings: tests/render/review/test_diagnosis.py.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.review import diagnosis as D
from liveops_nb.review.diagnosis import inputs


def pitch_table(pitches, products, minutes):
    return inputs.pitch_online(pitches, products, minutes)

TS = tiny.ts


# ------------------------------------------------------------------------------------------- short stay
def test_short_stay_fires_below_both():
    f = D.short_stay(50.0, 70.0, 100.0)  # 50 < P50 70 and 50 < 0.8 * 100 = 80
    assert f is not None and f.code == "short_stay" and f.severity == "medium"
    assert f.evidence["gap"] == pytest.approx((100 - 50) / 100)


def test_short_stay_quiet():
    assert D.short_stay(85.0, 70.0, 100.0) is None   # above P50
    assert D.short_stay(65.0, 70.0, 80.0) is None    # below P50 but 65 >= 0.8 * 80 = 64
    assert D.short_stay(None, 70.0, 100.0) is None
    assert D.short_stay(60.0, None, None) is None    # nothing to compare with


def test_short_stay_one_reference():
    assert D.short_stay(70.0, None, 100.0) is not None  # 70 < 80, no benchmark
    assert D.short_stay(71.0, None, 88.0) is None       # 0.8 * 88 = 70.4


# ------------------------------------------------------------------------------------------- single channel
def test_single_channel():
    f = D.single_channel("千川", 0.6)
    assert f is not None and f.evidence["share"] == 0.6
    assert D.single_channel("千川", 0.5) is None  # "more than 50 %"
    assert D.single_channel(None, float("nan")) is None


# ------------------------------------------------------------------------------------------- rhythm
def _minutes(online):
    minutes = pd.date_range(TS("2026-09-07 20:00"), periods=len(online), freq="min")
    return pd.DataFrame({"minute": minutes, "online": online, "gmv": 0.0})


CATALOGUE = pd.DataFrame({"product_id": ["A", "B", "C"], "name": ["引流款A", "常规B", "利润C"],
                          "list_price": [50.0, 80.0, 300.0], "role": ["traffic_driver", "regular", "profit"]})


def _pitches(spans):
    return pd.DataFrame({"product_id": [p for p, _, _ in spans],
                         "start": [TS(f"2026-09-07 20:{a}") for _, a, _ in spans],
                         "end": [TS(f"2026-09-07 20:{b}") for _, _, b in spans]})


ONLINE = [10, 20, 40, 40, 40, 40, 40, 8, 8, 40]  # median = (40 + 40) / 2 = 40


def test_rhythm_off_fires_high():
    m = _minutes(ONLINE)
    pt = pitch_table(_pitches([("A", "02", "04"), ("B", "04", "06"), ("C", "07", "09")]), CATALOGUE, m)
    f = D.rhythm_off(pt, m)
    # C (profit, ¥300) over minutes 20:07, 20:08: online 8 -> 8 / 40 = 0.2 < 0.6 (A); it is also the
    # lowest-online pitch and the highest-priced product (B) -> high
    assert f is not None and f.severity == "high"
    assert f.evidence["product_id"] == "C" and f.evidence["ratio"] == pytest.approx(0.2)
    assert f.evidence["median_online"] == 40 and f.evidence["pitch_minute"] == 7
    # centred 5-minute mean online peaks at minute 4: (40 + 40 + 40 + 40 + 40) / 5
    assert f.evidence["peak_minute"] == 4 and f.evidence["peak_clock"] == "20:04"
    assert f.evidence["product"] == "利润C" and f.evidence["price"] == 300


def test_rhythm_off_quiet_when_trough_holds_cheap_regular_item():
    m = _minutes(ONLINE)
    pt = pitch_table(_pitches([("A", "02", "04"), ("C", "04", "06"), ("B", "07", "09")]), CATALOGUE, m)
    # prices 50, 80, 300 -> 75th percentile 80 + 0.5 * 220 = 190: only C is high-price; C runs at 40 online;
    # the trough holds B (regular, ¥80), not the highest price
    assert D.rhythm_off(pt, m) is None


def test_rhythm_off_medium_when_only_lowest_pitch_is_priciest():
    m = _minutes([10, 20, 40, 40, 40, 40, 40, 30, 30, 40])
    pt = pitch_table(_pitches([("A", "02", "04"), ("B", "04", "06"), ("C", "07", "09")]), CATALOGUE, m)
    f = D.rhythm_off(pt, m)  # C at 30 / 40 = 0.75 >= 0.6, but it is the lowest pitch and the priciest
    assert f is not None and f.severity == "medium"


# ------------------------------------------------------------------------------------------- incident
def test_incident():
    none = pd.DataFrame(columns=["start", "end", "minutes"])
    assert D.incident(none, None) is None
    assert D.incident(none, pd.DataFrame(columns=["start", "end", "kind"])) is None
    out = pd.DataFrame({"start": [TS("2026-09-07 20:41")], "end": [TS("2026-09-07 20:49")], "minutes": [8]})
    f = D.incident(out, None)
    assert f.severity == "high" and f.evidence["outage_minutes"] == 8 and f.evidence["first"] == "20:41"
    log = pd.DataFrame({"start": [TS("2026-09-07 20:10")], "end": [TS("2026-09-07 20:12")], "kind": ["stutter"]})
    f = D.incident(none, log)
    assert f.severity == "medium" and f.evidence["logged"] == 1
    assert f.evidence["outages"] is None and f.evidence["outage_minutes"] is None


# ------------------------------------------------------------------------------------------- cart drop
def test_cart_conversion():
    rows = pd.DataFrame({"session_id": ["S"] * 5, "user_id": ["u1", "u2", "u3", "u1", "u4"],
                         "event_type": ["cart", "cart", "cart", "order", "order"]})
    conv = D.cart_conversion(rows).iloc[0]
    # carted u1, u2, u3; of them only u1 ordered (u4 ordered without a cart event)
    assert conv["cart_people"] == 3 and conv["cart_buyers"] == 1 and conv["ratio"] == pytest.approx(1 / 3)


def test_cart_drop():
    f = D.cart_drop(30, 2, 0.2)  # 2 / 30 = 0.067 < 0.5 * 0.2 = 0.1
    assert f is not None and f.evidence["ratio"] == pytest.approx(2 / 30)
    assert D.cart_drop(30, 4, 0.2) is None   # 0.133 >= 0.1
    assert D.cart_drop(10, 0, 0.2) is None   # fewer than 20 people carted
    assert D.cart_drop(30, 0, None) is None  # no room history


# ------------------------------------------------------------------------------------------- refunds
def _refund_room(folder):
    """Five aggregate-only sessions of room R1 with the GMV and refund amounts of test_refund_windows."""
    base = tiny.tables()["sessions"].merge(tiny.SESSION_TOTALS, on="session_id").iloc[[0]]
    starts = ["2026-03-30 20:00", "2026-03-20 20:00", "2026-03-10 20:00", "2026-02-20 20:00", "2026-02-10 20:00"]
    rows = [base.assign(session_id=f"W{i + 1}", start_time=TS(st), end_time=TS(st) + pd.Timedelta(minutes=5),
                        gmv=gmv, refund_amount=refund)
            for i, (st, gmv, refund) in enumerate(zip(starts, [1000.0, 1000.0, 2000.0, 2000.0, 1000.0],
                                                      [200.0, 100.0, 100.0, 100.0, 1000.0], strict=True))]
    channels = pd.DataFrame({"session_id": [f"W{i}" for i in range(1, 6)], "channel": "直播推荐", "channel_group": "organic",
                             "impressions": 0, "views": 0, "uv": 0, "gmv": 0.0, "orders": 0, "spend": float("nan")})
    return liveops_nb.open(tiny.write(folder, aggregate_only=True,
                                      overrides={"sessions": pd.concat(rows, ignore_index=True), "channels": channels}))


def test_refund_windows(tmp_path):
    end = TS("2026-03-31 20:00")  # recent: (03-17 20:00, 03-31 20:00]; earlier: (02-17 20:00, 03-17 20:00]
    ds = _refund_room(tmp_path / "refunds")
    recent, earlier = D.refund_windows(ds.session_info[["session_id", "start_time"]], end)
    assert (recent, earlier) == (["W2", "W1"], ["W4", "W3"])  # 02-10 (W5) is outside both windows
    # the registry's refund_rate over each window's sessions: a ratio of the sums
    assert inputs.window_refund_rate(ds, recent) == pytest.approx((200 + 100) / (1000 + 1000))   # 0.15
    assert inputs.window_refund_rate(ds, earlier) == pytest.approx((100 + 100) / (2000 + 2000))  # 0.05
    assert inputs.window_refund_rate(ds, []) is None


def test_slow_refunds():
    end = TS("2026-03-31 20:00")
    o = pd.DataFrame({"ts": [TS("2026-03-20 20:00")] * 5 + [TS("2026-03-01 20:00")],
                      "refund_amount": [10.0, 10.0, 10.0, 10.0, 0.0, 10.0]})
    o["refunded_at"] = o["ts"] + pd.to_timedelta([10, 50, 72, 20, 0, 90], unit="h")
    o.loc[4, "refunded_at"] = pd.NaT
    # in the window: 4 refunds (the 5th order was not refunded; the last is older than 14 days); 50 h and 72 h are slow
    assert D.slow_refunds(o, end) == (4, 2)


def test_refunds_rule():
    f = D.refunds(0.15, 0.05, None, None)  # 3x and +10 points
    assert f.severity == "medium" and f.evidence["factor"] == pytest.approx(3.0)
    assert f.evidence["slow_share"] is None and f.evidence["refunds"] is None
    assert D.refunds(0.045, 0.03, None, None) is None  # exactly 1.5x is not "more than"
    assert D.refunds(0.04, 0.025, None, None) is None  # 1.6x but only 1.5 points
    assert D.refunds(None, None, 10, 4).severity == "medium"  # 40 % slow > 30 %
    assert D.refunds(None, None, 4, 4) is None               # fewer than 5 refunds
    assert D.refunds(0.05, 0.05, 10, 3) is None              # 30 % is not above 30 %
    assert D.refunds(0.15, 0.05, 10, 4).severity == "high"


def test_thresholds_and_findings_are_read_only_values():
    assert D.th("single_channel_share") == 0.5 and D.th("refund_slow_hours") == 48
    with pytest.raises(TypeError):
        D.THRESHOLDS["single_channel_share"] = 0.9  # type: ignore[index]
    f = D.single_channel("千川", 0.6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.code = "x"  # type: ignore[misc]
    assert f.section == "traffic" and set(D.RULE_SECTIONS) == set(D.CODES)


# ------------------------------------------------------------------------------------------- build
def test_key_figures():
    data = D.DiagnosisData("S", (D.single_channel("千川", 0.6),), ("cart_drop",))
    kf = D.key_figures(data)
    assert kf["n_medium"] == 1 and kf["rule_single_channel"] == "medium" and kf["rule_cart_drop"] == "not_checked"
    assert kf["n_findings"] == 1 and kf["codes"] == "single_channel" and kf["rule_refunds"] is None


def test_tiny_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = D.build(ds, "S2")
    # S2: avg watch 30 s < 彩妆 P50 70 s and < 0.8 * S1's 385/3 s; every viewer from 关注 (1/1 > 50 %)
    assert {f.code for f in d.findings if f.code != "metric_worse"} == {"short_stay", "single_channel"}
    # the watch time is 1 - 30 / (385/3) = 77 % below the room median (one earlier session: no spread, 10 % floor):
    # materially worse, and the short-stay finding explains it (no finding of its own)
    stay = next(f for f in d.findings if f.code == "short_stay")
    assert d.causes["avg_watch_seconds"] == ("short_stay",) and "avg_watch_seconds" in stay.explains
    assert "metric_worse:avg_watch_seconds" not in {f.id for f in d.findings}
    assert set(d.not_checked) == {"rhythm_off", "incident", "cart_drop"}


@pytest.fixture(scope="module")
def demo_agg(demo_dir):
    return liveops_nb.open(demo_dir, use_viewer_level=False)


def test_demo_outage(demo_ds, demo_agg, planted):
    out = planted["phenomena"]["outage"]
    for ds in (demo_ds, demo_agg):
        f = [x for x in D.build(ds, out["session_id"]).findings if x.code == "incident"]
        assert f and f[0].severity == "high" and f[0].evidence["outages"] >= 1
        start = pd.Timestamp(out["start"])
        assert f[0].evidence["first"] in {(start + pd.Timedelta(minutes=k)).strftime("%H:%M") for k in (-1, 0, 1)}


def test_demo_mistimed_pitch(demo_ds, demo_agg, planted):
    mis = planted["phenomena"]["mistimed_pitch"]
    for ds in (demo_ds, demo_agg):
        f = [x for x in D.build(ds, mis["session_id"]).findings if x.code == "rhythm_off"]
        assert f and f[0].evidence["product_id"] == mis["product_id"] and f[0].severity in ("high", "medium")


def test_demo_refund_rise_late_r02(demo_ds, planted):
    rise = planted["phenomena"]["refund_rise"]
    info = demo_ds.session_info
    last = info[info.room_id == rise["room_id"]].session_id.iloc[-1]
    f = [x for x in D.build(demo_ds, last).findings if x.code == "refunds"]
    assert f and f[0].evidence["recent_rate"] > D.th("refund_rise_factor") * f[0].evidence["earlier_rate"]
    assert f[0].evidence["slow_share"] > D.th("refund_slow_share")


def test_demo_ordinary_session_is_quiet(demo_ds, demo_agg, planted):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    for ds in (demo_ds, demo_agg):
        d = D.build(ds, sid)
        assert not [f for f in d.findings if f.severity in ("high", "medium")]
