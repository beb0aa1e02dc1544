"""Rendering of section 9 (next steps): the actions' words (filled with the findings' evidence) and the tables."""
from __future__ import annotations

import pandas as pd

from liveops_nb.render.review import next_steps as view
from liveops_nb.review import diagnosis as D
from liveops_nb.review import next_steps as N


def test_metric_action_words():
    comp = pd.DataFrame({"key": ["refund_rate", "aov"], "value": [0.2, 100.0], "median": [0.1, 150.0],
                         "bench_p50": [0.15, float("nan")]})
    a = N.metric_actions(comp, ["refund_rate", "aov"]).set_index("key")
    assert "48" in view.action_text("metric", "refund_rate", a.loc["refund_rate", "params"], "zh")
    assert view.action_text("metric", "gmv", {}, "en") == view.METRIC_ACTIONS["default"][1]  # not listed: default


def test_finding_actions_use_evidence():
    f = D.Finding("rhythm_off", "high", {"product": "眼霜", "product_id": "P1", "peak_minute": 25, "peak_clock": "19:45"})
    h = D.Finding("incident", "high", {"outages": 1.0, "outage_minutes": 8.0, "first": "20:41"})
    c = D.Finding("single_channel", "medium", {"share": 0.6, "limit": 0.5})  # no channel name: "—"
    a = N.finding_actions([f, h, c], pd.DataFrame({"key": [], "value": [], "median": [], "bench_p50": []}))
    texts = {lang: [view.action_text(r.source, r.key, r.params, lang) for r in a.itertuples()] for lang in ("zh", "en")}
    assert "眼霜" in texts["zh"][0] and "minute 25 (19:45)" in texts["en"][0]
    assert "推流备用线路" in texts["zh"][1]
    assert "'—' under 50 %" in texts["en"][2]
    html = view.actions_table(a, "en")
    assert "Rhythm off" in html and "Technical incident" in html


def test_tiny_aggregate_only_render(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = N.build(ds, "S2")
    zh, en = view.render(d, "zh"), view.render(d, "en")
    assert any("开场福利" in x for x in zh) and any("Opening giveaway" in x for x in en)
    assert any("流量 × 转化 × 客单" in x for x in zh)


def test_no_actions_and_no_decomposition():
    empty = N.NextStepsData("S", pd.DataFrame(columns=list(N.ACTION_COLUMNS)))
    items = view.render(empty, "en")
    assert "No clear gaps" in items[0] and "lo-na" in items[1]


def test_plan_column_only_with_a_planned_target(tiny_ds):
    html_s1 = view.gmv_table(N.build(tiny_ds, "S1").gmv, "en")
    html_s2 = view.gmv_table(N.build(tiny_ds, "S2").gmv, "en")
    assert "To reach the next session" in html_s1 and "To reach the next session" not in html_s2


def test_demo_mistimed_action_names_the_product(demo_ds, planted):
    mis = planted["phenomena"]["mistimed_pitch"]
    d = N.build(demo_ds, mis["session_id"])
    row = d.actions[d.actions.key == "rhythm_off"].iloc[0]
    assert mis["product_name"] in view.action_text(row["source"], row["key"], row["params"], "zh")
