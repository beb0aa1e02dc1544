"""Rendering of section 7 (audience): tables, charts and words in both languages (tiny dataset)."""
from __future__ import annotations

from liveops_nb.charts import to_svg
from liveops_nb.render.review import audience as view
from liveops_nb.review import audience as A


def test_render_both_languages(tiny_ds):
    d = A.build(tiny_ds, "S2")
    for lang in ("zh", "en"):
        items = view.render(d, lang)
        for item in items:
            if not isinstance(item, str):
                assert "<svg" in to_svg(item)
    assert any("沉睡" in x for x in view.render(d, "zh") if isinstance(x, str))
    assert any("Dormant" in x for x in view.render(d, "en") if isinstance(x, str))


def test_shares_line(tiny_ds):
    d = A.build(tiny_ds, "S1")
    line = [x for x in view.render(d, "en") if isinstance(x, str) and "Followers" in x][0]
    # followers: only u1 of 3 viewers; nobody in the private domain; next-day return 1 / 3
    assert "Followers 33.3% of viewers; private-domain users 0.00%; Next-day return rate 33.3%" in line


def test_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    items = view.render(A.build(ds, "S1"), "en")
    assert "lo-na" in items[0] and "not available" in items[1]
