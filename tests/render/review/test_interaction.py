"""Rendering of section 6 (interaction and comments) in 中文 / English."""
from __future__ import annotations

import liveops_nb
from liveops_nb.charts import to_svg
from liveops_nb.render.review import interaction as view
from liveops_nb.review import interaction as I


def test_render_zh_en_tiny(tiny_ds):
    d = I.build(tiny_ds, "S1")
    zh, en = view.render(d, "zh"), view.render(d, "en")
    assert "有效弹幕占比" in zh[0] and "Valid comment ratio" in en[0]
    # valid 1 of 2 viewer comments -> 50.0 %; interaction rate 3/3 -> 100.0 %
    assert "50.0%" in zh[0] and "100.0%" in en[0]
    assert any(isinstance(x, str) and "15秒" in x for x in zh)
    assert any(isinstance(x, str) and "15s" in x for x in en)
    hv = next(x for x in en if isinstance(x, str) and "High-value viewers" in x)
    assert "1.5" in hv  # (2 + 1) interactions / 2 other viewers
    for item in zh + en:
        if not isinstance(item, str):
            assert "<svg" in to_svg(item)


def test_aggregate_only_one_note_and_reasons_in_both_languages(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = I.build(ds, "S1")
    for lang, word, table in (("zh", "此数据源无法提供", "弹幕"), ("en", "not available from this source", "Comments")):
        items = view.render(d, lang)
        assert sum("lo-na" in x for x in items if isinstance(x, str)) == 1
        assert word in items[0] and table in items[0]  # why valid-comment ratio etc. are missing: the table's label


def test_demo_charts(demo_dir, planted):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    d = I.build(liveops_nb.open(demo_dir), sid)
    for lang in ("zh", "en"):
        for item in view.render(d, lang):
            if not isinstance(item, str):
                assert "<svg" in to_svg(item)


def test_too_few_comments_for_keywords(tiny_ds):
    """S1 of the tiny dataset has one valid viewer comment: no phrase reaches three comments."""
    from liveops_nb.render.review import interaction as view
    from liveops_nb.review import interaction as I

    d = I.build(tiny_ds, "S1")
    assert d.keywords.empty
    zh = "".join(x for x in view.render(d, "zh") if isinstance(x, str))
    en = "".join(x for x in view.render(d, "en") if isinstance(x, str))
    assert "弹幕太少" in zh and "at least 3 valid comments" in en
