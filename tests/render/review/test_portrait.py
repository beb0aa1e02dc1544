"""Rendering of the viewer vs buyer portrait: side-by-side shares with counts, small-sample flags, charts."""
from __future__ import annotations

from liveops_nb.charts import to_svg
from liveops_nb.charts.portrait import portrait_frame
from liveops_nb.render.review import portrait as view
from liveops_nb.review import portrait


def test_tables_show_counts_shares_and_the_flag(tiny_ds):
    d = portrait.build(tiny_ds, "S1")
    items = view.render(d, "zh")
    html = "".join(x for x in items if isinstance(x, str))
    assert "观众占比" in html and "买家占比" in html and "金卡" in html
    assert "33.3% ⚠样本少" in html  # 1 of 3 viewers: resting on 3 people
    assert "+16.7" in html and "-33.3" in html  # 普通 / 银卡 +1/6, 金卡 −1/3 points
    assert "样本少：" in html  # the one note on the rule
    charts = [x for x in items if not isinstance(x, str)]
    assert len(charts) == len(portrait.DIMS)
    svg = to_svg(charts[-1])
    assert "50.0% (1)" in svg and "金卡" in svg  # labelled bars: readable without hovering


def test_english_and_not_available(tiny_ds, tiny_aggregate_ds):
    html = "".join(x for x in view.render(portrait.build(tiny_ds, "S1"), "en") if isinstance(x, str))
    assert "Share of buyers" in html and "few data" in html
    na = view.render(portrait.build(tiny_aggregate_ds, "S1"), "en")
    assert len(na) == 1 and "not available from this source" in na[0]


def test_frame_labels_people_and_share(tiny_ds):
    tab = portrait.build(tiny_ds, "S1").tables["member_tier"]
    f = portrait_frame(tab, "en")
    assert "金卡" in set(portrait_frame(tab, "zh").label)  # platform values in Chinese, their English words on en
    gold = f[(f.label == "Gold")].set_index("who")
    assert gold.loc["Buyers", "text"] == "0.0% (0)" and gold.loc["Viewers", "text"] == "33.3% (1)"
