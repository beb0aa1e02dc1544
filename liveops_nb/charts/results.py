"""Chart for the results section: each main metric's relative difference from the basis.

Takes :func:`liveops_nb.review.results.comparison_table` output (drawn by
:mod:`liveops_nb.render.review.results`). Bars are green when the difference is good for the
metric (its registry direction), red when bad, grey when neutral; differences beyond ±100 % are
drawn at the edge (marked ▸ / ◂) and every bar carries its exact value as text.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..metrics import REGISTRY
from ..render.i18n import Lang, register, t
from .theme import BAD, GOOD, NEUTRAL, page_width

CLIP = 1.0
PAD = 1.45  # room beyond ±100 % for the value labels

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
        "text": [_label(v) for v in df["rel_vs_basis"].astype(float)],
    })


def _label(rel: float) -> str:
    """The exact relative difference as shown beside its bar (▸ / ◂ when the bar is clipped at ±100 %)."""
    text = f"{rel * 100:+,.0f}%" if abs(rel) >= 0.1 else f"{rel * 100:+.1f}%"
    return f"{text} ▸" if rel > CLIP else (f"◂ {text}" if rel < -CLIP else text)


def comparison_chart(comparison: pd.DataFrame, basis_text: str, lang: Lang = "zh",
                     weakest: tuple[str, ...] = ()) -> alt.LayerChart:
    """Diverging horizontal bars of ``rel_vs_basis`` per metric (weakest marked ★), in table order."""
    f = comparison_frame(comparison, lang, weakest)
    x = alt.X("shown:Q", title=t("results_chart_rel", lang),
              axis=alt.Axis(format="%", values=[-1, -0.5, 0, 0.5, 1]), scale=alt.Scale(domain=[-PAD, PAD]))
    y = alt.Y("metric:N", title=None, sort=list(f["metric"]))
    tips = [alt.Tooltip("metric:N", title=t("results_chart_metric", lang)),
            alt.Tooltip("rel:Q", title=t("results_chart_rel", lang), format="+.1%")]
    bars = alt.Chart(f).mark_bar(cornerRadius=2).encode(x=x, y=y, color=alt.Color("colour:N", scale=None),
                                                         tooltip=tips)
    base = alt.Chart(f).encode(x=x, y=y, text="text:N", tooltip=tips)
    right = base.transform_filter("datum.shown >= 0").mark_text(align="left", dx=3, fontSize=11, color="#262626")
    left = base.transform_filter("datum.shown < 0").mark_text(align="right", dx=-3, fontSize=11, color="#262626")
    return alt.LayerChart(layer=[bars, right, left]).properties(width=page_width(220), height=max(60, 20 * len(f)),
                                                   title=t("results_chart_title", lang, basis=basis_text))
