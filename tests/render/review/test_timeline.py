"""Rendering of section 2 (timeline): notes in 中文 / English, band labels, charts.

The per-minute quantity is called 互动强度 / interaction intensity; 互动率 / "interaction rate"
is the registry's interaction_rate and appears only to say the two differ.
"""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.charts import to_svg
from liveops_nb.render.review import timeline as view
from liveops_nb.review import timeline

T0 = pd.Timestamp("2026-09-07 20:00", tz="Asia/Shanghai")


def test_render_tiny(tiny_ds):
    data = timeline.build(tiny_ds, "S1")
    for lang, word in (("zh", "高峰互动强度时长占比"), ("en", "Time at peak interaction intensity")):
        items = view.render(data, lang)
        assert any(isinstance(i, str) and word in i for i in items)
        for chart in (i for i in items if not isinstance(i, str)):
            assert to_svg(chart).startswith("<svg")
    zh = " ".join(view.notes(data, "zh"))
    en = " ".join(view.notes(data, "en"))
    # peak share 1/6 = 16.7 %, 1 of 6 minutes
    assert "16.7%（1/6 分钟）" in zh and "16.7% (1 of 6 minutes)" in en
    assert "每分钟互动强度 = (评论 + 点赞 + 分享次数) / 在线人数" in zh
    assert "interaction intensity per minute = (comments + likes + shares) / online viewers" in en
    # 互动率 only where the note says intensity is not the interaction rate
    assert zh.count("互动率") == 1 and "不同于互动率" in zh
    assert en.count("interaction rate") == 1 and "not the interaction rate" in en


def test_without_minute_data_one_line(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    data = timeline.build(ds, "S1")
    items = view.render(data, "en")
    assert len(items) == 1 and "minute_stats" in items[0]


def test_band_labels():
    t = lambda m: T0 + pd.Timedelta(minutes=m)  # noqa: E731
    log = pd.DataFrame({"session_id": "S", "start": [t(30)], "end": [t(32)], "kind": ["stutter"], "note": ["卡顿"]})
    out = pd.DataFrame({"start": [t(5)], "end": [t(9)], "minutes": [4], "min_online": [0.0], "reference": [9.0]})
    bands = timeline.incident_bands(log, out)
    assert view.band_labels(bands, "en").label.tolist() == ["outage (detected)", "stutter"]
    assert view.band_labels(bands, "zh").label.tolist() == ["断流(自动检测)", "stutter"]
    html = view.band_table(view.band_labels(bands, "zh"), "zh")
    assert "20:05" in html and "20:09" in html and "卡顿" in html


@pytest.fixture(scope="module")
def demo_agg(demo_dir):
    return liveops_nb.open(demo_dir, use_viewer_level=False)


@pytest.mark.parametrize("viewer_level", [True, False])
def test_demo_planted_outage_named(demo_ds, demo_agg, planted, viewer_level):
    ds = demo_ds if viewer_level else demo_agg
    data = timeline.build(ds, planted["phenomena"]["outage"]["session_id"])
    zh, en = view.render(data, "zh"), view.render(data, "en")
    assert "断流" in zh[0] and "outage" in en[0]


def test_demo_logged_incident_and_charts(demo_ds, planted):
    sid = planted["phenomena"]["logged_incidents"][0]["session_id"]
    data = timeline.build(demo_ds, sid)
    for lang in ("zh", "en"):
        items = view.render(data, lang)
        charts = [i for i in items if not isinstance(i, str)]
        assert len(charts) == 3
        for c in charts:
            svg = to_svg(c)
            assert svg.startswith("<svg")
        text = " ".join(i for i in items if isinstance(i, str))
        assert ("事故记录" in text) if lang == "zh" else ("incident(s) in the log" in text)
