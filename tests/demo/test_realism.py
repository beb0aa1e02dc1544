"""The default demo looks like real small-to-medium Douyin rooms (issue 10, item 3), measured through ``ds.kpis``.

Ranges: thousands of viewers a session, GPM ¥500–3,000, UV value ¥1–5, view→order 1–3 %,
average watch 1–3 minutes, refund rate below 35 %, paid ROI 1.5–4 — for every session —
and the illustrative category benchmarks within ±60 % of each room's typical session.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.config import load_benchmarks

RANGES = {
    "uv": (1000, 10_000),
    "gpm": (500, 3000),
    "uv_value": (1.0, 5.0),
    "view_to_order_rate": (0.01, 0.03),
    "avg_watch_seconds": (60, 180),
    "refund_rate": (0.0, 0.35),
    "paid_roi": (1.5, 4.0),
}


@pytest.fixture(scope="module")
def per_session(data_dir: Path) -> pd.DataFrame:
    ds = liveops_nb.open(data_dir)
    return ds.kpis(list(RANGES), by=["session_id"]).reset_index().set_index("session_id")


@pytest.mark.parametrize("key", list(RANGES))
def test_every_session_in_the_realistic_range(per_session: pd.DataFrame, key: str) -> None:
    lo, hi = RANGES[key]
    v = per_session[key]
    bad = v[~v.between(lo, hi)]
    assert bad.empty, f"{key} outside [{lo}, {hi}]: {bad.to_dict()}"


def test_benchmarks_are_within_60_percent_of_the_typical_session(data_dir: Path) -> None:
    ds = liveops_nb.open(data_dir)
    keys = ["avg_watch_seconds", "uv_value", "gpm", "impression_to_view_rate", "product_click_rate",
            "click_to_order_rate", "view_to_order_rate", "interaction_rate", "follow_rate", "refund_rate", "paid_roi"]
    k = ds.kpis(keys, by=["session_id", "room_id"]).reset_index()
    cats = ds.table("rooms").execute().set_index("room_id")["category"]
    bench = load_benchmarks(None).categories
    for room, g in k.groupby("room_id"):
        b = bench[cats[room]]
        for key in keys:
            typical = float(g[key].median())
            p50 = float(b[key]["p50"])
            assert 0.4 <= typical / p50 <= 1.6, (room, key, typical, p50)
