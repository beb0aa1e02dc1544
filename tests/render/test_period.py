"""Rendering of the period review: words, waterfall bars, problem titles, sheet names, exported items."""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.render.period import export
from liveops_nb.render.period import text as w


def test_waterfall_bars_start_and_end_at_the_gmvs():
    from liveops_nb.charts.period import waterfall_frame

    row = pd.Series({"gmv_before": 500.0, "gmv_after": 100.0, "traffic": -850 / 3, "conversion": 125.0,
                     "order_value": -725 / 3})
    f = waterfall_frame(row, "2026-09-07", "2026-09-08", "en")
    assert f["step"].tolist() == ["GMV 2026-09-07", "Traffic (viewers)", "Conversion (buyers / viewers)",
                                  "Order value (GMV / buyers)", "GMV 2026-09-08"]
    # each effect floats from where the last one ended: 500 -> 216.67 -> 341.67 -> 100
    assert f["y1"].tolist() == pytest.approx([500, 500 - 850 / 3, 500 - 850 / 3 + 125, 100, 100])
    assert f["colour"].tolist()[1:4] == ["#E5484D", "#2BA471", "#E5484D"]


def test_problem_titles_and_sources():
    assert w.problem_title("diagnosis", "single_channel", "en") != "single_channel"  # the rule's own title
    assert w.problem_title("alerts", "no_such_code", "en") == "no_such_code"  # unknown codes show as they are
    assert w.source_name("diagnosis", "zh") == "单场诊断" and w.source_name("other", "en") == "other"
    assert w.weekday_slot(0, 20, "zh") == "周一 20点" and w.weekday_slot(6, 9, "en") == "Sun 9:00"
    assert w.money(-1200, "en", signed=True) == "−¥1,200" and w.money(50, "en", signed=True) == "+¥50.00"


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    assert export.sheet_name("成果/目标: [周]", used) == "成果 目标   周"  # "/", ":", " ", "[" and "]" become or stay spaces; ends stripped
    long = "A very long section heading that Excel will not take"
    first, second = export.sheet_name(long, used), export.sheet_name(long, used)
    assert len(first) == 31 and len(second) <= 31 and first != second


def test_exported_items():
    assert export.item_html("<b>x</b>") == "<b>x</b>"
    assert "<table" in export.item_html(pd.DataFrame({"a": [1]}))
    doc = export.to_html("T", "line <1>", [("H", ["<p>x</p>"])], "en")
    assert doc.startswith("<!doctype html>") and "line &lt;1&gt;" in doc and "<h2>H</h2><p>x</p>" in doc
