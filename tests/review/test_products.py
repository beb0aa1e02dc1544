"""Section 5 — products and pitches: hand-worked numbers on the tiny dataset and small synthetic frames."""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.review import products as P

TS = tiny.ts


def test_product_table_tiny_s1(tiny_ds):
    pt = P.build(tiny_ds, "S1").table.set_index("product_id")
    # p2 (GMV 300) sorts before p1 (GMV 200)
    assert list(pt.index) == ["p2", "p1"]
    # p1 口红: impressions u1,u2 = 2; click u1 = 1; buyers u1,u4 = 2; GMV 100 + 100 = 200; units 1 + 1 = 2
    assert pt.loc["p1", ["impression_uv", "click_uv", "buyers", "gmv", "units"]].tolist() == [2, 1, 2, 200, 2]
    assert pt.loc["p1", "product_click_rate"] == pytest.approx(1 / 2)      # click_uv / impression_uv
    assert pt.loc["p1", "click_to_order_rate"] == pytest.approx(2 / 1)     # buyers / click_uv (u4 bought without a click)
    assert pt.loc["p1", "refund_rate"] == 0.0
    # p2 粉底液: 1 impression, 1 click, 1 buyer, GMV 300, refund 300
    assert pt.loc["p2", "product_click_rate"] == pytest.approx(1.0)
    assert pt.loc["p2", "click_to_order_rate"] == pytest.approx(1.0)
    assert pt.loc["p2", "refund_rate"] == pytest.approx(300 / 300)
    assert pt.loc["p2", "role"] == "traffic_driver" and pt.loc["p1", "role"] == "profit"
    # list prices 100, 150 -> 75th percentile = 100 + 0.75 * 50 = 137.5 -> only p2 is high-price
    assert pt.loc["p2", "high_price"] and not pt.loc["p1", "high_price"]
    # the tiny dataset has no pitches: pitch columns are missing, not zero
    assert pt["pitch_minutes"].isna().all()


def test_product_values_are_the_registry_at_the_product_grain(tiny_ds):
    pt = P.build(tiny_ds, "S1").table.set_index("product_id")
    reg = tiny_ds.kpis(["gmv", "product_click_rate", "click_to_order_rate", "refund_rate"],
                       by=["session_id", "product_id"], where={"session_id": "S1"}).set_index("product_id")
    for key in reg.columns.drop("session_id"):
        assert pt[key].reindex(reg.index).tolist() == reg[key].tolist()


def test_role_mix_and_high_price_share(tiny_ds):
    d = P.build(tiny_ds, "S1")
    mix = d.mix.set_index("role")
    # GMV 300 (traffic driver) + 200 (profit) = 500; units 2 + 2 = 4
    assert mix.loc["traffic_driver", "gmv_share"] == pytest.approx(300 / 500)
    assert mix.loc["profit", "gmv_share"] == pytest.approx(200 / 500)
    assert mix.loc["traffic_driver", "units_share"] == pytest.approx(2 / 4)
    assert mix.loc["regular", "products"] == 0 and mix.loc["regular", "gmv"] == 0
    assert d.high_price_share == pytest.approx(300 / 500)
    kf = P.key_figures(d)
    assert kf["gmv_share_traffic_driver"] == pytest.approx(0.6)
    assert kf["top_product"] == "粉底液" and kf["top_product_gmv"] == 300.0
    assert kf["n_pitches"] is None  # no pitches table


def _minutes():
    minutes = pd.date_range(TS("2026-09-07 20:00"), periods=6, freq="min")
    return pd.DataFrame({"session_id": "S1", "minute": minutes, "online": [10, 20, 30, 40, 50, 60],
                         "gmv": [0.0, 100.0, 0.0, 50.0, 0.0, 10.0]})


def _catalogue():
    return tiny.tables()["products"]


def test_pitch_table_minute_overlap():
    pitches = pd.DataFrame({"session_id": "S1", "product_id": ["p1", "p1"],
                            "start": [TS("2026-09-07 20:01:30"), TS("2026-09-07 20:04:00")],
                            "end": [TS("2026-09-07 20:03:00"), TS("2026-09-07 20:05:00")]})
    pt = P.pitch_table(pitches, _catalogue(), _minutes())
    # pitch 1 [20:01:30, 20:03:00) overlaps minute buckets 20:01 and 20:02 (not 20:03)
    first = pt.iloc[0]
    assert first["n_minutes"] == 2 and first["minutes"] == pytest.approx(1.5)
    assert first["avg_online"] == pytest.approx((20 + 30) / 2)
    assert first["gmv"] == pytest.approx(100 + 0)
    assert first["start_offset"] == pytest.approx(1.5)
    # pitch 2 [20:04, 20:05) covers only the 20:04 bucket
    assert pt.iloc[1][["n_minutes", "avg_online", "gmv"]].tolist() == [1, 50, 0]
    # per product: 2 pitches, 1.5 + 1 = 2.5 minutes, GMV 100, online mean over 3 minutes (20+30+50)/3
    stats = tiny_ds_stats()
    table = P.product_table(stats, _catalogue(), pitches, _minutes()).set_index("product_id")
    assert table.loc["p1", "pitches"] == 2
    assert table.loc["p1", "pitch_minutes"] == pytest.approx(2.5)
    assert table.loc["p1", "pitch_gmv"] == pytest.approx(100)
    assert table.loc["p1", "pitch_avg_online"] == pytest.approx(100 / 3)
    assert table.loc["p2", "pitches"] == 0 and pd.isna(table.loc["p2", "pitch_avg_online"])


def tiny_ds_stats() -> pd.DataFrame:
    """Tiny S1 per product, as :func:`products.product_kpis` gives it (rates: click / impression, buyers / click,
    refund / GMV)."""
    return pd.DataFrame({"product_id": ["p1", "p2"], "impression_uv": [2.0, 1.0], "click_uv": [1.0, 1.0],
                         "buyers": [2.0, 1.0], "orders": [2.0, 1.0], "units": [2.0, 2.0], "gmv": [200.0, 300.0],
                         "refund_amount": [0.0, 300.0], "product_click_rate": [0.5, 1.0],
                         "click_to_order_rate": [2.0, 1.0], "refund_rate": [0.0, 1.0]})


def test_product_kpis_tiny(tiny_ds):
    k = P.product_kpis(tiny_ds, "S1")
    pd.testing.assert_frame_equal(k, tiny_ds_stats(), check_dtype=False)


def test_aggregate_only_is_not_available(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = P.build(ds, "S1")
    assert not d.available
    assert all(v is None for v in P.key_figures(d).values())


def test_demo_pitches_and_aggregate(demo_dir, planted):
    mis = planted["phenomena"]["mistimed_pitch"]
    for ds in (liveops_nb.open(demo_dir), liveops_nb.open(demo_dir, use_viewer_level=False)):
        d = P.build(ds, mis["session_id"])
        assert d.available and d.pitches_available
        hit = d.pitches[d.pitches["product_id"] == mis["product_id"]]
        start = pd.Timestamp(mis["pitch_start"])
        assert (abs(hit["start"] - start) <= pd.Timedelta(seconds=1)).any()
        assert d.table["gmv"].sum() > 0
        assert P.key_figures(d)["n_pitches"] == len(d.pitches)
