"""Rendering of section 8 (diagnosis): finding cards, rule texts and the thresholds table in both languages."""
from __future__ import annotations

import pandas as pd

from devtools import tiny
from liveops_nb.render.review import diagnosis as view
from liveops_nb.review import diagnosis as D
from liveops_nb.review.diagnosis import inputs

TS = tiny.ts


def test_every_rule_and_threshold_has_words():
    assert set(view.RULES) == set(D.CODES)
    assert set(view.THRESHOLD_TEXT) == set(D.THRESHOLDS)
    for code in D.CODES:
        assert view.section_title(D.RULE_SECTIONS[code], "en") != D.RULE_SECTIONS[code]
    for lang in ("zh", "en"):
        tab = view.rules_table(lang)
        assert len(tab) == len(D.THRESHOLDS)


def test_render_empty_and_cards():
    empty = D.DiagnosisData("S", ())
    assert "未发现明显问题" in view.render(empty, "zh")[0]
    assert "No significant problems found" in view.render(empty, "en")[0]
    data = D.DiagnosisData("S", (D.single_channel("千川", 0.6),), ("cart_drop",))
    html = view.render(data, "en")
    assert "Ranked by estimated GMV impact" in html[0]
    assert "lo-warn" in html[1] and "60.0%" in html[1] and "Traffic sources" in html[1]
    assert "lo-na" in html[2]


def test_rhythm_text():
    minutes = pd.DataFrame({"minute": pd.date_range(TS("2026-09-07 20:00"), periods=10, freq="min"),
                            "online": [10, 20, 40, 40, 40, 40, 40, 8, 8, 40]})
    catalogue = pd.DataFrame({"product_id": ["A", "B", "C"], "name": ["引流款A", "常规B", "利润C"],
                              "list_price": [50.0, 80.0, 300.0], "role": ["traffic_driver", "regular", "profit"]})
    pitches = pd.DataFrame({"product_id": ["A", "B", "C"],
                            "start": [TS("2026-09-07 20:02"), TS("2026-09-07 20:04"), TS("2026-09-07 20:07")],
                            "end": [TS("2026-09-07 20:04"), TS("2026-09-07 20:06"), TS("2026-09-07 20:09")]})
    f = D.rhythm_off(inputs.pitch_online(pitches, catalogue, minutes), minutes)
    assert "利润C" in view.finding_text(f, "zh") and "minute 4 (20:04)" in view.finding_text(f, "en")
    # C at 8 online vs the session median 40 = 20.0 %, list price ¥300
    assert view.finding_text(f, "en").startswith(
        "'利润C' (¥300) was pitched at minute 7 (20:07) with 8 online on average, 20.0% of the session median 40")
    assert "lo-bad" in view.render(D.DiagnosisData("S", (f,)), "en")[1]


def test_incident_text_leaves_out_missing_parts():
    none = pd.DataFrame(columns=["start", "end", "minutes"])
    log = pd.DataFrame({"start": [TS("2026-09-07 20:10")], "end": [TS("2026-09-07 20:12")], "kind": ["stutter"]})
    f = D.incident(none, log)
    assert "outage" not in view.finding_text(f, "en") and "1 incident(s) logged" in view.finding_text(f, "en")


def test_refunds_text_without_speed():
    f = D.refunds(0.15, 0.05, None, None)  # 3x and +10 points
    en = view.finding_text(f, "en")
    assert "slow" not in en and "took" not in en
    assert en == "Refund rate 15.0% in the last 14 days vs 5.0% before (3.00×)"


def test_tiny_aggregate_only_renders(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = D.build(ds, "S2")
    for lang in ("zh", "en"):
        items = view.render(d, lang)
        cards = [x for x in items if "lo-warn" in x or "lo-bad" in x]
        assert len(cards) == len(d.findings) >= 2  # short stay, single channel and any metric nothing explains
    assert "Not checked (not available from this source): " in view.render(d, "en")[-1]


def test_tiny_cards_label_every_number_with_its_scope(tiny_aggregate_ds):
    d = D.build(tiny_aggregate_ds, "S2")
    stay = next(f for f in d.findings if f.code == "short_stay")
    # S2 watches 30 s; S1 (the room's only earlier session) 385/3 = 128.3 s -> "2m 08s"; 彩妆 P50 70 s
    assert view.figures_line(stay.figures, "en") == (
        "Average watch time: this session 30s · room median, last 1 sessions 2m 08s · category P50 1m 10s")
    assert view.figures_line(stay.figures, "zh") == "人均观看时长：本场 30秒 · 房间近1场中位数 2分08秒 · 同品类 P50 1分10秒"
