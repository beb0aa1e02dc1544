"""Rendering of section 9 (next steps): the actions' words (filled with the findings' evidence) and the tables."""
from __future__ import annotations

import pandas as pd

from liveops_nb.render.review import next_steps as view
from liveops_nb.review import diagnosis as D
from liveops_nb.review import next_steps as N
from liveops_nb.review.findings import Figure


def test_metric_action_words():
    assert "48" in view.action_text("metric", "refund_rate", {}, "zh")
    assert view.action_text("metric", "gmv", {}, "en") == view.METRIC_ACTIONS["default"][1]  # not listed: default


def test_finding_actions_use_evidence():
    f = D.Finding("rhythm_off", "high", {"product": "眼霜", "product_id": "P1", "peak_minute": 25, "peak_clock": "19:45"})
    h = D.Finding("incident", "high", {"outages": 1.0, "outage_minutes": 8.0, "first": "20:41"})
    c = D.Finding("single_channel", "medium", {"share": 0.6, "limit": 0.5})  # no channel name: "—"
    a = N.finding_actions([f, h, c])
    texts = {lang: [view.row_action(r, lang) for r in a.to_dict("records")] for lang in ("zh", "en")}
    assert "眼霜" in texts["zh"][0] and "minute 25 (19:45)" in texts["en"][0]
    assert "推流备用线路" in texts["zh"][1]
    assert "'—' under 50 %" in texts["en"][2]
    html = view.actions_table(a, "en")
    assert "Rhythm off" in html and "Technical incident" in html


def test_action_cells_say_their_scope():
    m = D.Finding("metric_worse", "medium", {"metric": "refund_rate", "basis": "median", "n": 10}, metric="refund_rate",
                  figures=(Figure("refund_rate", 0.273, "ratio", "session"),
                           Figure("refund_rate", 0.045, "ratio", "median", 10)), impact=573.0, lever="after_sales")
    zh, en = view.actions_table(N.finding_actions([m]), "zh"), view.actions_table(N.finding_actions([m]), "en")
    assert "退款率明显变差" in zh and "房间近10场中位数 4.5%" in zh and "27.3%" in zh and "售后" in zh and "¥573" in zh
    assert "Refund rate materially worse" in en and "room median, last 10 sessions 4.5%" in en and "after-sales" in en


def test_tiny_render(tiny_ds):
    d = N.build(tiny_ds, "S2")
    zh, en = view.render(d, "zh"), view.render(d, "en")
    assert any("流量 × 转化 × 客单" in x for x in zh) and any("not copied from this session" in x for x in en)
    assert any("回到房间近1场中位数" in x for x in zh)  # S2's targets: S1's values (the median of one session)


def test_no_actions_and_no_decomposition():
    empty = N.NextStepsData("S", pd.DataFrame(columns=list(N.ACTION_COLUMNS)))
    items = view.render(empty, "en")
    assert "No problem to act on" in items[0] and "lo-na" in items[1]


def test_plan_is_explained_only_with_a_planned_target(tiny_ds):
    s1 = "".join(view.render(N.build(tiny_ds, "S1"), "en"))
    s2 = "".join(view.render(N.build(tiny_ds, "S2"), "en"))
    assert "planned GMV for the room's next session is ¥200" in s1.replace("&#x27;", "'") and "not used above" in s1
    assert "planned GMV" not in s2
    assert "no earlier session of the room" in s1  # S1 is the room's first session: no target yet


def test_demo_mistimed_action_names_the_product(demo_ds, planted):
    mis = planted["phenomena"]["mistimed_pitch"]
    d = N.build(demo_ds, mis["session_id"])
    row = d.actions[d.actions.code == "rhythm_off"].iloc[0]
    assert mis["product_name"] in view.row_action(row.to_dict(), "zh")
