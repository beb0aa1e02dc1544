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
    assert "lo-warn" in html[0] and "60.0%" in html[0] and "Traffic sources" in html[0]
    assert "lo-na" in html[1]


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
    assert "lo-bad" in view.render(D.DiagnosisData("S", (f,)), "en")[0]


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
        assert len(items) == 3  # short stay, single channel, not checked
    assert "Not checked (not available from this source): " in view.render(d, "en")[-1]
