"""Rendering of section 4 (funnel): notes, reasons in the tables, funnel charts, in both languages."""
from __future__ import annotations

import pytest

import liveops_nb
from liveops_nb.charts import to_svg
from liveops_nb.render.i18n import t
from liveops_nb.render.review import funnel as view
from liveops_nb.review import funnel


def test_aggregate_only_says_template_not_available(tiny_aggregate_ds):
    data = funnel.build(tiny_aggregate_ds, "S1")
    for lang in ("zh", "en"):
        items = view.render(data, lang)
        na = [i for i in items if isinstance(i, str) and "lo-na" in i]
        assert len(na) == 1 and t("not_available", lang) in na[0]


def test_weakest_step_note(tiny_ds):
    items = view.render(funnel.build(tiny_ds, "S1"), "en")
    assert "Weakest step: Product impressions → Product clicks, conversion 66.7% (lost: 1)" in items[0]
    assert "lo-warn" in items[0]


def test_s2_missing_rates_carry_reasons(tiny_ds):
    html = view.render(funnel.build(tiny_ds, "S2"), "en")
    table_html = [i for i in html if isinstance(i, str) and "<table" in i][0]
    assert "the denominator is 0 (product impression viewers)" in table_html
    tpl = [i for i in html if isinstance(i, str) and "<table" in i][1]
    # u1 watched 30 s -> no stayer; 互动 after 0 stayers has no conversion
    assert "the previous step has 0 people" in tpl


def test_below_bench_note():
    p = funnel.platform_funnel({"impressions": 100, "uv": 40, "product_impression_uv": 20, "product_click_uv": 10,
                                "buyers": 5, "impression_to_view_rate": 0.4, "product_impression_rate": 0.5,
                                "product_click_rate": 0.5, "click_to_order_rate": 0.5}, {"product_click_rate": 0.6})
    below = [f for f in funnel.findings(p) if f.code == "funnel_below_bench"][0]
    text = view.finding_note(below, "en")
    assert "Below the category P50: Product impression→click rate (people)" in text and "lo-bad" in text


def test_chart_frame_centres_bars():
    p = funnel.platform_funnel({"impressions": 100, "uv": 40, "product_impression_uv": 20, "product_click_uv": 10,
                                "buyers": 5, "impression_to_view_rate": 0.4, "product_impression_rate": 0.5,
                                "product_click_rate": 0.5, "click_to_order_rate": 0.5}, {"product_click_rate": 0.6})
    from liveops_nb.charts.funnel import funnel_chart, funnel_frame

    f = funnel_frame(p, list("ABCDE"), "en")
    assert f.x0.tolist() == [-50, -20, -10, -5, -2.5] and f.x1.tolist() == [50, 20, 10, 5, 2.5]
    # 10 of the 20 product-impressed people clicked: 20 < 30 people, so the label carries the few-data marker
    assert f.text.iloc[3] == "10 · 50.0% ⚠ few data converted (P50 60.0%)"
    assert f.text.iloc[1] == "40 · 40.0% converted"  # 40 of 100 impressed: enough people
    assert to_svg(funnel_chart(p, list("ABCDE"), "zh", "漏斗")).startswith("<svg")


@pytest.mark.parametrize("viewer_level", [True, False])
def test_demo_renders(demo_dir, planted, viewer_level):
    ds = liveops_nb.open(demo_dir, use_viewer_level=viewer_level)
    data = funnel.build(ds, planted["phenomena"]["ordinary_session"]["session_id"])
    for lang in ("zh", "en"):
        items = view.render(data, lang)
        charts = [i for i in items if not isinstance(i, str)]
        assert len(charts) == (2 if viewer_level else 1)
        for c in charts:
            assert to_svg(c).startswith("<svg")


def test_step_conversions_resting_on_few_people_are_flagged(tiny_ds):
    """S1's funnel has 4 impressed, 3 entered …: every conversion rests on fewer than 30 people."""
    from liveops_nb.render.review import funnel as view
    from liveops_nb.review import funnel as F

    d = F.build(tiny_ds, "S1")
    html = "".join(x for x in view.render(d, "zh") if isinstance(x, str))
    assert "75.0% ⚠样本少" in html  # entered 3 of 4 impressed
    assert html.count("⚠样本少：") == 1  # one note on the rule
    frame = view.display_table(d.platform, d, "en")
    assert frame.iloc[0][frame.columns[2]] == ""  # the first step has no conversion to flag
