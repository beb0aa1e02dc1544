"""Paid spend with a missing value is unknown, never summed as if it were 0 (issue 9: no silent wrong numbers).

The tiny dataset: S1 has one paid channel (千川, spend ¥50); S2 has no paid channel (spend 0).
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

import liveops_nb


def _with_unknown_paid_row(folder):
    """Add a second paid channel to S1 whose spend was not exported."""
    path = folder / "channels.parquet"
    ch = pd.read_parquet(path)
    extra = ch[ch.channel == "千川"].assign(channel="随心推", spend=None, views=0, uv=0, gmv=0.0, orders=0,
                                            impressions=0)
    pd.concat([ch, extra], ignore_index=True).to_parquet(path, index=False)
    return liveops_nb.open(folder)


@pytest.mark.parametrize("level", ["viewer", "aggregate"])
def test_spend_known_sums_and_no_paid_channel_is_zero(level, tiny_dir, tiny_aggregate_dir):
    ds = liveops_nb.open(tiny_dir if level == "viewer" else tiny_aggregate_dir)
    k = ds.kpis(["paid_spend"]).set_index("session_id")["paid_spend"]
    assert k.to_dict() == {"S1": 50.0, "S2": 0.0}
    assert ds.kpis(["paid_spend"], by=None)["paid_spend"].item() == 50.0


@pytest.mark.parametrize("level", ["viewer", "aggregate"])
def test_a_paid_row_without_spend_makes_spend_and_roi_unknown(level, tiny_dir, tiny_aggregate_dir):
    ds = _with_unknown_paid_row(tiny_dir if level == "viewer" else tiny_aggregate_dir)
    k = ds.kpis(["paid_spend", "paid_roi"]).set_index("session_id")
    assert math.isnan(k.at["S1", "paid_spend"]) and math.isnan(k.at["S1", "paid_roi"])  # was 50: a lower bound
    assert k.at["S2", "paid_spend"] == 0.0  # no paid channel at all: nothing spent
    total = ds.kpis(["paid_spend"], by=None)["paid_spend"].item()
    assert math.isnan(total)  # a total over a session with unknown spend is unknown, not 50
    by_group = ds.kpis(["paid_spend"], by=["session_id", "channel_group"], where={"session_id": "S1"})
    assert math.isnan(by_group.set_index("channel_group").at["paid", "paid_spend"])
    row = ds.session_kpis("S1").set_index("key")
    assert pd.isna(row.at["paid_spend", "value"]) and row.at["paid_spend", "reason"] is not None
