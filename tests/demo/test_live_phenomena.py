"""Run sheet, stock, targets and the phenomena planted for the live monitor, the alerts and the period review.

(:mod:`liveops_nb.demo.plans`, :mod:`liveops_nb.demo.phenomena`, :mod:`liveops_nb.demo.targets`)
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import liveops_nb

from .helpers import week_start


@pytest.fixture(scope="module")
def ds(data_dir: Path):
    return liveops_nb.open(data_dir)


def test_run_sheet_plans_every_pitch_some_late_some_skipped(t: dict[str, pd.DataFrame], planted: dict) -> None:
    rs, pit = t["run_sheet"], t["pitches"]
    assert (rs["planned_end"] > rs["planned_start"]).all()
    assert (rs["planned_start"].dt.second == 0).all()  # a run sheet is planned in whole minutes
    j = rs.merge(pit, on=["session_id", "product_id"], how="outer", indicator=True)
    assert not (j["_merge"] == "right_only").any(), "every actual pitch was planned"
    skipped = j["_merge"] == "left_only"
    late = (j["start"] - j["planned_start"]) > pd.Timedelta(minutes=2)
    n = len(rs)
    assert 0.05 * n < late.sum() < 0.6 * n and skipped.sum() >= 10
    # the planned schedule of a session does not overlap itself
    o = rs.sort_values(["session_id", "planned_start"])
    nxt = o.groupby("session_id")["planned_start"].shift(-1)
    assert (nxt.dropna() >= o.loc[nxt.notna(), "planned_end"]).all()
    key = planted["phenomena"]["run_sheet"]
    assert (key["n_planned"], key["n_late"], key["n_skipped"]) == (n, int(late.sum()), int(skipped.sum()))
    ex = key["example"]
    e = j[j["session_id"] == ex["session_id"]]
    assert set(e.loc[skipped, "product_id"]) == set(ex["skipped_product_ids"]) != set()
    assert set(e.loc[late, "product_id"]) == set(ex["late_product_ids"]) != set()


def test_stock_covers_what_was_sold(t: dict[str, pd.DataFrame]) -> None:
    inv = t["inventory"]
    sold = t["orders"].groupby(["session_id", "product_id"])["quantity"].sum().rename("sold").reset_index()
    j = sold.merge(inv, on=["session_id", "product_id"], how="left")
    assert j["stock"].notna().all(), "every product ordered has a stock row"
    assert (j["stock"] >= j["sold"]).all()
    pitched = t["pitches"][["session_id", "product_id"]]
    assert len(pitched.merge(inv, on=["session_id", "product_id"])) == len(pitched)


def test_sell_out_at_the_traffic_peak(t: dict[str, pd.DataFrame], planted: dict) -> None:
    so = planted["phenomena"]["sell_out"]
    sid, pid, m = so["session_id"], so["product_id"], pd.Timestamp(so["sold_out_minute"])
    inv = t["inventory"].set_index(["session_id", "product_id"])["stock"]
    assert inv[(sid, pid)] == so["stock"]
    o = t["orders"]
    mine = o[(o["session_id"] == sid) & (o["product_id"] == pid)]
    assert mine["quantity"].sum() == so["stock"], "the stock ran out"
    assert mine["ts"].max().floor("min") == m, "its last order is in the sell-out minute"
    assert len(mine[mine["ts"] >= m - pd.Timedelta(minutes=10)]) >= 2, "it was selling right before"
    ms = t["minute_stats"][t["minute_stats"]["session_id"] == sid].set_index("minute")["online"]
    assert ms[m] == so["online_at_sell_out"]
    assert ms[m] >= 1.5 * ms.median() and ms[m] >= 0.6 * ms.max(), "online is high"
    pit = t["pitches"][(t["pitches"]["session_id"] == sid) & (t["pitches"]["product_id"] == pid)].iloc[0]
    assert pit["start"].floor("min") <= m <= pit["end"], "during the product's pitch"
    # people still click it after it sold out
    ev = t["events"]
    after = ev[(ev["session_id"] == sid) & (ev["product_id"] == pid) & (ev["ts"] >= m + pd.Timedelta(minutes=1))]
    assert (after["event_type"] == "product_click").any() and not (after["event_type"] == "order").any()


def test_slow_audience_decline(t: dict[str, pd.DataFrame], planted: dict) -> None:
    d = planted["phenomena"]["audience_decline"]
    ms = t["minute_stats"][t["minute_stats"]["session_id"] == d["session_id"]].reset_index(drop=True)
    on = ms["online"].astype(float)
    a = int(ms.index[ms["minute"] == pd.Timestamp(d["start"])][0])
    assert ms["minute"].iloc[-1] == pd.Timestamp(d["end"]) and a == (len(ms) - 1) // 2  # the middle minute
    first, last = on.iloc[a:a + 10].mean(), on.iloc[-12:-2].mean()
    assert (round(first, 1), round(last, 1)) == (d["online_at_start"], d["online_at_end"])
    assert last <= 0.5 * first
    r5 = on.iloc[a:len(on) - 2].rolling(5).mean()
    assert (r5.shift(5) - r5).max() <= 0.4 * first, "no collapse: no 5 minutes lose 40 % of the audience"
    # gradual: the 10-minute means of the second half fall quarter by quarter
    q = [on.iloc[a + k * (len(ms) - a) // 4: a + k * (len(ms) - a) // 4 + 10].mean() for k in range(4)]
    assert q == sorted(q, reverse=True)
    # the first half holds up (the decline is planted in the second half only)
    assert on.iloc[10:a].mean() >= 0.8 * first


def test_period_effect_growth_from_traffic_while_conversion_falls(ds, planted: dict) -> None:
    pe = planted["phenomena"]["period_effect"]
    k = ds.kpis(["gmv", "uv", "view_to_order_rate"], by=["room_id", "week"]).reset_index()
    k = k[k["room_id"] == pe["room_id"]].set_index("week")
    prev = k.loc[pd.Timestamp(week_start(pe["previous_week"]).date())]
    cur = k.loc[pd.Timestamp(week_start(pe["current_week"]).date())]
    assert cur["gmv"] > prev["gmv"] and cur["uv"] > 1.3 * prev["uv"]
    assert cur["view_to_order_rate"] < 0.9 * prev["view_to_order_rate"]
    assert (pe["previous"], pe["current"]) == (f"2026-W{week_start(pe['previous_week']).isocalendar()[1]:02d}",
                                               f"2026-W{week_start(pe['current_week']).isocalendar()[1]:02d}")


def test_targets_per_room_week_and_full_month(data_dir: Path, ds, planted: dict) -> None:
    tg = pd.read_csv(data_dir / "targets.csv", dtype={"room_id": str, "period": str, "metric": str})
    assert list(tg.columns) == ["room_id", "period", "metric", "target"]
    assert not tg.duplicated(["room_id", "period", "metric"]).any() and (tg["target"] > 0).all()
    weeks = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in (week_start(w) for w in range(1, 1 + planted["weeks"]))]
    days = pd.date_range(week_start(1).date(), periods=7 * planted["weeks"])
    months = sorted({f"{d:%Y-%m}" for d in days if (days.to_period("M") == d.to_period("M")).sum() == d.days_in_month})
    assert months, "at least one full calendar month"
    for room in ("R01", "R02", "R03"):
        for metric in ("gmv", "uv", "buyers"):
            got = tg[(tg["room_id"] == room) & (tg["metric"] == metric)]["period"].tolist()
            assert got == weeks + months, (room, metric)
    # some weeks attained, some missed
    k = ds.kpis(["gmv"], by=["room_id", "week"]).reset_index()
    k["period"] = [f"{w.isocalendar()[0]}-W{w.isocalendar()[1]:02d}" for w in k["week"]]
    j = k.merge(tg[tg["metric"] == "gmv"], on=["room_id", "period"])
    assert len(j) == 3 * len(weeks)
    attained = j["gmv"] >= j["target"]
    assert 0.15 < attained.mean() < 0.85
    assert ((j["gmv"] / j["target"]).between(0.5, 2.0)).all(), "targets are plausible, not arbitrary"
