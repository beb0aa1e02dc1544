"""Rendering of section 5 (products and pitches): tables, notes and charts in both languages."""
from __future__ import annotations

import liveops_nb
from liveops_nb.charts import to_svg
from liveops_nb.render.review import products as view
from liveops_nb.review import products as P


def test_aggregate_only_says_not_available(tiny_aggregate_ds):
    d = P.build(tiny_aggregate_ds, "S1")
    for lang in ("zh", "en"):
        items = view.render(d, lang)
        assert len(items) == 1 and "lo-na" in items[0]


def test_render_and_charts_tiny(tiny_ds):
    d = P.build(tiny_ds, "S1")
    for lang in ("zh", "en"):
        items = view.render(d, lang)
        charts = [x for x in items if not isinstance(x, str)]
        assert len(charts) == 2
        for c in charts:
            assert "<svg" in to_svg(c)
    en = view.render(d, "en")
    assert "Top product by GMV: 粉底液 (¥300)" in en[0]
    assert "口红" in en[1] and "Traffic driver" in en[1]
    assert "50.0%" in en[1] and "200.0%" in en[1]  # p1: click rate 1/2, click→order 2/1
    assert "share of GMV: 60.0%" in en[6]  # high-price p2: 300 / 500
    assert "lo-na" in en[-1]  # no pitches in the tiny dataset


def test_demo_pitch_chart(demo_dir, planted):
    mis = planted["phenomena"]["mistimed_pitch"]
    for ds in (liveops_nb.open(demo_dir), liveops_nb.open(demo_dir, use_viewer_level=False)):
        d = P.build(ds, mis["session_id"])
        for lang in ("zh", "en"):
            items = view.render(d, lang)
            assert sum(not isinstance(i, str) for i in items) == 3
            for item in items:
                if not isinstance(item, str):
                    assert "<svg" in to_svg(item)


def test_scatter_points_are_named_and_rates_flagged(tiny_ds):
    """S1: p1 口红 impressed u1, u2 (click rate 1/2 from 2 people), p2 粉底液 impressed u4 — all below 30 people."""
    from liveops_nb.charts import to_svg
    from liveops_nb.charts.products import click_vs_conversion
    from liveops_nb.render.review import products as view
    from liveops_nb.review import products as P

    d = P.build(tiny_ds, "S1")
    svg = to_svg(click_vs_conversion(d.table, "zh"))
    assert "口红" in svg and "粉底液" in svg  # text marks beside the points
    html = "".join(x for x in view.render(d, "en") if isinstance(x, str))
    assert "50.0% ⚠ few data" in html
