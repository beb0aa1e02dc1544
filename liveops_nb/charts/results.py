"""Chart for the results section: each main metric's relative difference from the basis.

Takes :func:`liveops_nb.review.results.comparison_table` output (drawn by
:mod:`liveops_nb.render.review.results`). Bars are green when the difference is good for the
metric (its registry direction), red when bad, grey when neutral; differences beyond ±100 % are
drawn at the edge and the tooltip gives the exact value.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..metrics import REGISTRY
from ..render.i18n import Lang, register, t
from .theme import BAD, GOOD, NEUTRAL

WIDTH = 680
CLIP = 1.0

register({
    "results_chart_title": ("与{basis}相比（绿色 = 更好，红色 = 更差）",
                            "Against {basis} (green = better, red = worse)"),
    "results_chart_metric": ("指标", "Metric"),
    "results_chart_rel": ("相对差异", "Relative difference"),
})


def comparison_frame(comparison: pd.DataFrame, lang: Lang = "zh", weakest: tuple[str, ...] = ()) -> pd.DataFrame:
    """Chart data: comparable metrics with label, rel (exact), shown (clipped to ±100 %), verdict colour."""
    df = comparison[comparison["rel_vs_basis"].notna()]
    colour = [NEUTRAL if b is None else (GOOD if b else BAD) for b in df["better"]]
    return pd.DataFrame({
        "metric": [REGISTRY[k].label(lang) + (" ★" if k in weakest else "") for k in df["key"]],
        "rel": df["rel_vs_basis"].astype(float).to_numpy(),
        "shown": df["rel_vs_basis"].astype(float).clip(-CLIP, CLIP).to_numpy(),
        "colour": colour,
    })


def comparison_chart(comparison: pd.DataFrame, basis_text: str, lang: Lang = "zh",
                     weakest: tuple[str, ...] = ()) -> alt.Chart:
    """Diverging horizontal bars of ``rel_vs_basis`` per metric (weakest marked ★), in table order."""
    f = comparison_frame(comparison, lang, weakest)
    return alt.Chart(f).mark_bar(cornerRadius=2).encode(
        x=alt.X("shown:Q", title=t("results_chart_rel", lang), axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[-CLIP, CLIP])),
        y=alt.Y("metric:N", title=None, sort=list(f["metric"])),
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("metric:N", title=t("results_chart_metric", lang)),
                 alt.Tooltip("rel:Q", title=t("results_chart_rel", lang), format="+.1%")],
    ).properties(width=WIDTH - 180, height=max(60, 18 * len(f)),
                 title=t("results_chart_title", lang, basis=basis_text))
