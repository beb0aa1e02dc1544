"""Tests for liveops_nb.charts.abtest: the forest plot and the effect over time compile offline to SVG."""
from __future__ import annotations

import pandas as pd


def test_charts_render_to_svg():
    from liveops_nb.charts import abtest as charts
    from liveops_nb.charts import to_svg

    forest = pd.DataFrame({"label": ["曝光-观看率 · 素材30s", "曝光-观看率 · 素材60s"], "effect": [0.09, 0.03],
                           "ci_low": [0.04, -0.02], "ci_high": [0.14, 0.08], "p_value": [0.002, 0.27],
                           "outcome": ["good", "neutral"]})
    svg = to_svg(charts.forest(forest, "zh"))
    assert svg.startswith("<svg") and "相对效果与区间" in svg
    days = pd.DataFrame({"day": ["2026-09-14", "2026-09-15", "2026-09-15"], "treatment": ["30s", "30s", "60s"],
                         "effect": [float("nan"), 0.05, 0.01], "ci_low": [float("nan"), 0.0, -0.03],
                         "ci_high": [float("nan"), 0.1, 0.05], "n_control": [1, 10, 10], "n_treatment": [1, 12, 9]})
    assert "Cumulative effect over time" in to_svg(charts.over_time(days, "en"))
