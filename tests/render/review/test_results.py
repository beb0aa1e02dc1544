"""Rendering of section 1 (results): KPI cards, summary, chart frame and notes in both languages.

Tiny dataset (devtools/tiny.py): S2 against S1 — see tests/review/test_results.py for the hand-worked numbers.
"""
from __future__ import annotations

import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.charts import to_svg
from liveops_nb.charts.results import comparison_frame
from liveops_nb.config import load_benchmarks
from liveops_nb.metrics import MAIN_KEYS
from liveops_nb.render.review import results as view
from liveops_nb.review import results


def test_chart_frame_clips_and_colours(tiny_ds):
    comp = results.comparison_table(tiny_ds.kpis(), tiny_ds.session_info, "S2", 10, basis="previous")
    f = comparison_frame(comp, "en", ("gmv",)).set_index("metric")
    # 17 comparable metrics (20 main keys - product_click_rate, click_to_order_rate, paid_roi)
    assert len(f) == 17
    # view_to_order_rate 1 vs 2/3 -> +50 %, better (green); gmv -80 % worse (red), marked as weak
    assert f.at["View→order conversion (people)", "rel"] == pytest.approx(0.5)
    assert f.at["View→order conversion (people)", "colour"] == "#2BA471"
    assert f.at["GMV ★", "colour"] == "#E5484D"
    comp = results.comparison_table(tiny_ds.kpis(), tiny_ds.session_info, "S1", 10, basis="benchmark",
                                    benchmarks=load_benchmarks(None))
    f = comparison_frame(comp, "en").set_index("metric")
    # refund 0.6 vs P50 0.10 -> +500 %, drawn at the +100 % edge, red (lower is better)
    assert f.at["Refund rate", "rel"] == pytest.approx(5.0) and f.at["Refund rate", "shown"] == 1.0
    assert f.at["Refund rate", "colour"] == "#E5484D"


def test_cards_mark_weak_and_missing(tiny_ds):
    data = results.build(tiny_ds, "S2", basis="previous")
    html_en = view.cards_html(data, "en")
    assert html_en.count('class="lo-card weak"') == 3
    assert html_en.count('class="lo-card') == len(MAIN_KEYS)
    # paid_roi not available: shows "—" and the reason (denominator paid_spend is 0) in the title
    card = html_en.split('data-key="paid_roi"')[0].rsplit("<div", 1)[1]
    assert "the denominator is 0 (Paid spend)" in card
    after = html_en.split('data-key="paid_roi"')[1]
    assert '<div class="val lo-flat">—</div>' in after.split('data-key=')[0]
    html_zh = view.cards_html(data, "zh")
    assert "分母为 0 (投放消耗)" in html_zh
    # gmv card: target ¥200, attained 100/200 = 50.0%
    assert "attained 50.0%" in html_en and "达成率 50.0%" in html_zh


def test_render_summary_chart_and_notes(tiny_ds):
    data = results.build(tiny_ds, "S2", basis="previous")
    for lang, word in (("zh", "上一场"), ("en", "previous session")):
        items = view.render(data, lang)
        assert word in items[0]
        html = [i for i in items if isinstance(i, str)]
        flag = {"zh": "示例值", "en": "illustrative"}[lang]  # default benchmarks are illustrative, said in one language
        assert any(flag in i for i in html) and not any({"zh": "illustrative", "en": "示例值"}[lang] in i for i in html)
        charts = [i for i in items if not isinstance(i, str)]
        assert len(charts) == 1 and to_svg(charts[0]).startswith("<svg")
    en = view.summary_text(data, "en")
    assert en == ("Against the previous session: 2 better, 15 worse; weakest: Interaction rate, New followers, "
                  "Follow rate.")


def test_first_session_summary_says_nothing_to_compare(tiny_ds):
    data = results.build(tiny_ds, "S1", basis="median")
    assert "nothing to compare with yet" in view.summary_text(data, "en")
    assert len(view.render(data, "en")) == 3  # summary, cards, benchmark note: no chart


def test_aggregate_only_renders(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    data = results.build(ds, "S2", basis="previous")
    assert len(view.render(data, "en")) == 4  # summary, cards, chart, benchmark note


def test_benchmarks_from_data_folder_name_their_source(tmp_path):
    folder = tiny.write(tmp_path / "own")
    (folder / "benchmarks.yaml").write_text("illustrative: false\ncategories:\n  彩妆:\n    gmv: {p50: 400, p75: 800}\n",
                                            encoding="utf-8")
    items = view.render(results.build(liveops_nb.open(folder), "S1", basis="benchmark"), "en")
    assert not any("illustrative" in i for i in items if isinstance(i, str))
    assert any("Benchmarks from" in i for i in items if isinstance(i, str))


@pytest.mark.parametrize("basis", results.BASES)
def test_demo_every_basis_renders(demo_ds, planted, basis):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    data = results.build(demo_ds, sid, basis=basis)
    for lang in ("zh", "en"):
        items = view.render(data, lang)
        assert items[1].count('class="lo-card') == len(MAIN_KEYS)


def test_clipped_bars_show_their_value(tiny_ds):
    """Refund rate 0.6 vs the P50 0.10 (+500 %) is drawn at the +100 % edge with its exact value written beside it."""
    from liveops_nb.charts.results import comparison_chart

    comp = results.comparison_table(tiny_ds.kpis(), tiny_ds.session_info, "S1", 10, basis="benchmark",
                                    benchmarks=load_benchmarks(None))
    f = comparison_frame(comp, "en").set_index("metric")
    assert f.at["Refund rate", "text"] == "+500% ▸"
    svg = to_svg(comparison_chart(comp, "the category P50", "en"))
    assert "+500% ▸" in svg
