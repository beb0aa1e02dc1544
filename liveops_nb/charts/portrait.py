"""Chart of the viewer vs buyer portrait: per attribute value, its share of viewers and of buyers side by side.

Takes one table of :func:`liveops_nb.review.portrait.attribute_table` (``value, viewers, viewer_share,
buyers, buyer_share``); every bar carries its share and head count as a text label, so the chart reads
in a static report too.
"""
from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import PALETTE, page_width

register({
    "portrait_chart_title": ("{dim}：观众占比 vs 买家占比", "{dim}: share of viewers vs share of buyers"),
    "portrait_chart_group": ("人群", "Group"),
    "portrait_chart_share": ("占比", "Share"),
    "portrait_chart_people": ("人数", "People"),
    "portrait_chart_value": ("取值", "Value"),
})


def portrait_frame(tab: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """Long chart data: one row per value × (viewers, buyers) with ``label`` (value), ``who``, ``share``, ``people``, ``text``."""
    from ..render.review import portrait as words  # labels and the small-sample marker

    rows = []
    r: Any  # a row namedtuple
    for r in tab.itertuples(index=False):
        for who, share, people in (("viewers", r.viewer_share, r.viewers), ("buyers", r.buyer_share, r.buyers)):
            s = None if share is None or share != share else float(share)
            rows.append({"label": words.value_label(r.value, lang), "who": t(f"portrait_{who}", lang),
                         "share": s, "people": float(people),
                         "text": "—" if s is None else f"{s * 100:.1f}% ({float(people):,.0f})"})
    return pd.DataFrame(rows, columns=["label", "who", "share", "people", "text"])


def portrait_chart(tab: pd.DataFrame, dim: str, lang: Lang = "zh", data: Any = None) -> alt.LayerChart:
    """Grouped horizontal bars (viewers, buyers) per value of ``dim``, labelled with share and people."""
    f = portrait_frame(tab, lang)
    order = list(dict.fromkeys(f["label"]))
    groups = [t("portrait_viewers", lang), t("portrait_buyers", lang)]
    y = alt.Y("label:N", sort=order, title=None)
    enc: dict[str, Any] = {
        "y": y, "yOffset": alt.YOffset("who:N", sort=groups),
        "tooltip": [alt.Tooltip("label:N", title=t("portrait_chart_value", lang)),
                    alt.Tooltip("who:N", title=t("portrait_chart_group", lang)),
                    alt.Tooltip("share:Q", title=t("portrait_chart_share", lang), format=".1%"),
                    alt.Tooltip("people:Q", title=t("portrait_chart_people", lang), format=",")]}
    x = alt.X("share:Q", title=t("portrait_chart_share", lang), axis=alt.Axis(format="%", tickCount=5),
              scale=alt.Scale(domain=[0, min(1.0, float(f["share"].max() or 0) * 1.25 + 0.05)]))
    bars = alt.Chart(f).mark_bar().encode(
        x=x, color=alt.Color("who:N", title=t("portrait_chart_group", lang),
                             scale=alt.Scale(domain=groups, range=[PALETTE[0], PALETTE[1]])), **enc)
    text = alt.Chart(f).mark_text(align="left", dx=3, fontSize=11, color="#262626").encode(
        x=x, text="text:N", **enc)
    title = t("portrait_chart_title", lang, dim=t(f"portrait_dim_{dim}", lang))
    return alt.LayerChart(layer=[bars, text]).properties(width=page_width(160), height=max(60, 34 * len(order)),
                                                        title=title)
