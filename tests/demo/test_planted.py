"""Planted phenomena of the demo dataset and their answer key (:mod:`liveops_nb.demo.planted`)."""
from __future__ import annotations

import pandas as pd

from .helpers import week_start


def test_outage(t: dict[str, pd.DataFrame], planted: dict) -> None:
    o = planted["phenomena"]["outage"]
    sid = o["session_id"]
    assert sid.startswith("R03-") and sid.endswith("-2")
    assert week_start(5) <= pd.Timestamp(o["start"]) < week_start(6)
    ms = t["minute_stats"][t["minute_stats"]["session_id"] == sid]
    down = ms[(ms["minute"] >= pd.Timestamp(o["start"])) & (ms["minute"] <= pd.Timestamp(o["end"]))]
    assert len(down) == 8
    assert (down["online"] <= 0.1 * ms["online"].median()).all()
    assert (down["entries"] == 0).all()
    before = ms[ms["minute"] == pd.Timestamp(o["start"]) - pd.Timedelta(minutes=1)]
    assert before["exits"].iloc[0] >= 3 * ms["exits"].median()  # mass exits
    after = ms[ms["minute"] > pd.Timestamp(o["end"])].head(10)
    assert after["online"].max() >= ms["online"].median()  # recovery
    assert sid not in set(t["incidents"]["session_id"])  # not logged


def test_logged_incidents_are_minor_stutters(t: dict[str, pd.DataFrame], planted: dict) -> None:
    inc = t["incidents"]
    assert 1 <= len(inc) <= 3 and set(inc["kind"]) == {"stutter"}
    assert ((inc["end"] - inc["start"]).dt.total_seconds() <= 180).all()
    assert planted["phenomena"]["ordinary_session"]["session_id"] not in set(inc["session_id"])


def test_mistimed_pitch(t: dict[str, pd.DataFrame], planted: dict) -> None:
    mp = planted["phenomena"]["mistimed_pitch"]
    sid, pid = mp["session_id"], mp["product_id"]
    assert sid.startswith("R02-") and week_start(6) <= pd.Timestamp(mp["pitch_start"]) < week_start(7)
    prods = t["products"].set_index("product_id")
    pit = t["pitches"][t["pitches"]["session_id"] == sid].join(prods, on="product_id")
    profit = pit[pit["role"] == "profit"]
    assert profit.loc[profit["list_price"].idxmax(), "product_id"] == pid
    # lowest-online 10-minute window, ignoring the first and last 20 minutes
    ms = t["minute_stats"][t["minute_stats"]["session_id"] == sid].reset_index(drop=True)
    roll = ms["online"].rolling(10).mean()
    inner = roll.iloc[29:len(ms) - 20]
    end = inner.idxmin()
    lo, hi = ms.loc[end - 9, "minute"], ms.loc[end, "minute"]
    p = pit[pit["product_id"] == pid].iloc[0]
    assert p["start"].floor("min") <= hi and p["end"] >= lo, "pitch overlaps the trough"
    # a cheap traffic driver holds the peak
    peak = ms.loc[ms["online"].idxmax(), "minute"]
    holder = pit[(pit["start"].dt.floor("min") <= peak) & (pit["end"] >= peak)]
    assert list(holder["role"]) == ["traffic_driver"] and holder["product_id"].iloc[0] == mp["peak_product_id"]
    assert ms["online"].max() > 3 * roll.iloc[end]


def _refund_rate(o: pd.DataFrame) -> float:
    return o["refund_amount"].sum() / o["amount"].sum()


def test_refund_rise(t: dict[str, pd.DataFrame], planted: dict) -> None:
    rr = planted["phenomena"]["refund_rise"]
    assert rr["room_id"] == "R02" and rr["rise_weeks"] == list(range(6, planted["weeks"] + 1))
    o = t["orders"]
    r2 = o[o["session_id"].str.startswith("R02")]
    base = r2[r2["ts"] < week_start(6)]
    last2 = r2[r2["ts"] >= week_start(7)]
    assert 0.03 <= _refund_rate(base) <= 0.08
    assert _refund_rate(last2) > 2 * _refund_rate(base)
    slow = r2[(r2["ts"] >= week_start(6)) & (r2["refund_amount"] > 0)]
    assert ((slow["refunded_at"] - slow["ts"]) > pd.Timedelta(hours=48)).all()
    for room in ("R01", "R03"):  # elsewhere refunds stay normal
        assert 0.03 <= _refund_rate(o[o["session_id"].str.startswith(room)]) <= 0.10


def test_dormant_cohort(t: dict[str, pd.DataFrame], planted: dict) -> None:
    dc = planted["phenomena"]["dormant_cohort"]
    ids = set(dc["user_ids"])
    assert dc["room_id"] == "R01" and len(ids) == dc["n_user_ids"]
    o = t["orders"]
    cohort = set(o.loc[o["session_id"].str.startswith("R01") & (o["ts"] < week_start(3)), "user_id"])
    assert len(cohort) == dc["cohort_size"] and ids <= cohort
    assert abs(len(ids) / len(cohort) - 0.4) < 0.01
    ev = t["events"]
    assert not ev.loc[ev["ts"] >= week_start(4), "user_id"].isin(ids).any()
    # the rest of the cohort keeps coming
    rest = cohort - ids
    later = set(ev.loc[(ev["ts"] >= week_start(4)) & (ev["event_type"] == "enter"), "user_id"])
    assert len(rest & later) / len(rest) > 0.3


def test_ordinary_session_has_nothing_alarming(t: dict[str, pd.DataFrame], planted: dict) -> None:
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    ms = t["minute_stats"][t["minute_stats"]["session_id"] == sid]
    inner = ms["online"].iloc[15:-10]
    assert inner.min() >= 0.25 * inner.median()  # no collapse
    assert (ms["entries"].iloc[5:-5].rolling(5).sum().dropna() > 0).all()
    ch = t["channels"][t["channels"]["session_id"] == sid]
    assert ch["uv"].max() / ch["uv"].sum() <= 0.45 and (ch["uv"] > 0).sum() >= 6
    s = t["sessions"].set_index("session_id").loc[sid]
    assert s["refund_amount"] / s["gmv"] <= 0.12
    assert sid not in set(t["assignments"]["unit_id"]) and sid not in set(t["incidents"]["session_id"])
