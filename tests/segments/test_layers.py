"""RFM layers, the layer board and the rules file: hand-worked small cases."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from liveops_nb.errors import ConfigError
from liveops_nb.segments import SegmentRules, assign_layers, buyer_layers, layer_board, load_rules
from liveops_nb.segments.rules import rules_from

RULES = SegmentRules(new_days=14, at_risk_days=28, dormant_days=56, high_value_min_frequency=2,
                     high_value_min_monetary_value=200.0)


def test_each_rule_and_its_boundary():
    rfm = pd.DataFrame([
        # frequency, recency, T, monetary_value
        (0, 0, 13, 0),     # first purchase 13 days ago: new
        (5, 10, 13, 900),  # new wins over high-value
        (0, 0, 14, 0),     # 14 days ago, no repeat: last purchase 14 days ago -> active
        (1, 20, 48, 50),   # last purchase 28 days ago: at risk
        (1, 20, 47, 50),   # 27 days ago: active
        (1, 10, 66, 50),   # 56 days ago: dormant
        (4, 30, 85, 999),  # 55 days ago: at risk even though high-value by spend
        (2, 30, 40, 200),  # 10 days ago, 2 repeat days of ¥200 on average: high-value
        (2, 30, 40, 199.99),  # just under the amount: active
        (1, 30, 40, 500),  # one repeat day only: active
    ], columns=["frequency", "recency", "T", "monetary_value"], dtype="float64")
    assert assign_layers(rfm, RULES).tolist() == ["new", "new", "active", "at_risk", "active", "dormant",
                                                   "at_risk", "high_value", "active", "active"]


def test_buyer_layers_from_purchase_days():
    day = pd.Timestamp
    purchases = pd.DataFrame({"user_id": ["a", "a", "a", "b", "c"],
                              "day": [day("2026-09-01"), day("2026-09-20"), day("2026-10-01"), day("2026-10-20"),
                                      day("2026-08-01")],
                              "gmv": [100.0, 250.0, 350.0, 80.0, 60.0]})
    end = day("2026-10-25 23:59:59")
    got = buyer_layers(purchases, end, RULES).set_index("user_id")
    # a: repeat days 09-20 and 10-01 (¥300 on average), last 24 days ago -> high-value; spend 700
    assert got.loc["a", ["frequency", "recency", "T", "monetary_value", "days_since_last", "spend"]].tolist() == [
        2.0, 30.0, 54.0, 300.0, 24.0, 700.0]
    assert got.loc["a", "layer"] == "high_value" and got.loc["a", "last_purchase"] == day("2026-10-01")
    assert got.loc["b", "layer"] == "new"  # first purchase 5 days ago
    assert got.loc["c", "layer"] == "dormant" and got.loc["c", "days_since_last"] == 85.0


def test_board_counts_shares_trend_and_actions():
    now = pd.DataFrame({"layer": ["new", "new", "high_value", "at_risk"], "spend": [100.0, 100.0, 600.0, 200.0]})
    before = pd.DataFrame({"layer": ["new", "active", "active"], "spend": [100.0, 50.0, 50.0]})
    b = layer_board(now, before).set_index("layer")
    assert list(b.index) == ["new", "active", "high_value", "at_risk", "dormant"]
    assert b["buyers"].tolist() == [2, 0, 1, 1, 0]
    assert b["buyer_share"].tolist() == [0.5, 0.0, 0.25, 0.25, 0.0]
    assert b["gmv_share"].tolist() == [0.2, 0.0, 0.6, 0.2, 0.0]  # of ¥1,000
    assert b["buyers_before"].tolist() == [1, 2, 0, 0, 0] and b["change"].tolist() == [1, -2, 1, 1, 0]
    assert b.loc["new", "action"] == "new_customer_gift" and b.loc["dormant", "action"] == "win_back_coupon"
    empty = layer_board(now.iloc[:0], before.iloc[:0])
    assert empty["buyers"].sum() == 0 and all(math.isnan(x) for x in empty["buyer_share"])


def test_rules_file_defaults_and_data_folder_override(tmp_path):
    shipped = load_rules()
    assert (shipped.new_days, shipped.at_risk_days, shipped.dormant_days) == (14, 28, 56)
    assert shipped.spending_tiers == (100.0, 300.0, 1000.0)
    (tmp_path / "segments.yaml").write_text("new_days: 7\nhigh_value: {min_monetary_value: 500}\n", encoding="utf-8")
    own = load_rules(tmp_path)
    assert own.new_days == 7 and own.at_risk_days == 28 and own.high_value_min_monetary_value == 500.0
    assert own.source.endswith("segments.yaml") and str(tmp_path) in own.source


@pytest.mark.parametrize("data", [
    {"new_days": 30, "at_risk_days": 28}, {"dormant_days": 28}, {"new_days": "two weeks"}, {"new_days": 1.5},
    {"spending_tiers": [300, 100]}, {"spending_tiers": "100"}, {"high_value": [2]},
    {"high_value": {"min_frequency": 0}},
])
def test_contradictory_or_malformed_rules_are_refused(data):
    with pytest.raises(ConfigError):
        rules_from(data)
