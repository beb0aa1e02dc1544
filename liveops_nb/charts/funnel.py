"""Chart for the funnel section: centred horizontal funnel bars with step-conversion labels.

Takes a funnel table (:func:`liveops_nb.review.funnel.funnel_steps` columns, optionally
``bench_p50``), the display label of each step, a language and a title.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from .theme import PALETTE, page_width

register({
    "funnel_chart_step": ("环节", "Step"),
    "funnel_chart_people": ("人数", "People"),
    "funnel_chart_conversion": ("环节转化", "Step conversion"),
    "funnel_chart_loss": ("流失人数", "Lost"),
    "funnel_chart_label_first": ("{n} 人", "{n} people"),
    "funnel_chart_label": ("{n} 人 · 转化 {conv}", "{n} · {conv} converted"),
    "funnel_chart_label_bench": ("{n} 人 · 转化 {conv}（P50 {bench}）", "{n} · {conv} converted (P50 {bench})"),
})


def funnel_frame(df: pd.DataFrame, labels: Sequence[str], lang: Lang = "zh") -> pd.DataFrame:
    """Chart data: one row per step with centred bar ends (x0, x1) and a text label."""
    from ..render.review import sample  # the small-sample marker

    rows = []
    before: Any = None  # people at the step before
    r: Any  # a row namedtuple; its fields are the columns (the "count" field shadows tuple.count)
    for i, (r, label) in enumerate(zip(df.itertuples(index=False), labels, strict=False)):
        count = 0.0 if is_missing(r.count) else float(r.count)
        n = fmt_value(r.count, "people", lang)
        bench = getattr(r, "bench_p50", float("nan"))
        conv = sample.rate(r.conversion, before, lang) if i > 0 else ""  # flagged when few people were at the step before
        if i == 0:
            text = t("funnel_chart_label_first", lang, n=n)
        elif not is_missing(bench):
            text = t("funnel_chart_label_bench", lang, n=n, conv=conv, bench=fmt_value(bench, "ratio", lang))
        else:
            text = t("funnel_chart_label", lang, n=n, conv=conv)
        before = r.count
        rows.append({"order": i, "step": label, "count": count, "x0": -count / 2, "x1": count / 2, "text": text,
                     "conversion": None if i == 0 or is_missing(r.conversion) else float(r.conversion),
                     "loss": None if i == 0 or is_missing(r.loss) else float(r.loss)})
    return pd.DataFrame(rows)


def funnel_chart(df: pd.DataFrame, labels: Sequence[str], lang: Lang = "zh", title: str = "") -> alt.LayerChart:
    """Centred horizontal bars (widest at the top) with "count · conversion" labels to the right."""
    f = funnel_frame(df, labels, lang)
    top = float(f["count"].max()) if len(f) else 0.0
    span = top / 2 if top > 0 else 1.0
    y = alt.Y("step:N", sort=list(f["step"]), title=None, axis=alt.Axis(labelFontSize=12, ticks=False, domain=False))
    tips = [alt.Tooltip("step:N", title=t("funnel_chart_step", lang)),
            alt.Tooltip("count:Q", title=t("funnel_chart_people", lang), format=","),
            alt.Tooltip("conversion:Q", title=t("funnel_chart_conversion", lang), format=".1%"),
            alt.Tooltip("loss:Q", title=t("funnel_chart_loss", lang), format=",")]
    xscale = alt.Scale(domain=[-span, span * 2.6])
    bars = alt.Chart(f).mark_bar(color=PALETTE[0], cornerRadius=3, height={"band": 0.75}).encode(
        x=alt.X("x0:Q", scale=xscale, axis=None), x2="x1:Q", y=y, tooltip=tips,
        opacity=alt.Opacity("order:O", legend=None, scale=alt.Scale(range=[1.0, 0.55])))
    text = alt.Chart(f.assign(tx=span * 1.05)).mark_text(
        align="left", baseline="middle", fontSize=11, color="#262626").encode(
        x=alt.X("tx:Q", scale=xscale, axis=None), y=y, text="text:N", tooltip=tips)
    return alt.LayerChart(layer=[bars, text]).properties(width=page_width(160), height=36 * max(len(f), 1),
                                                        title=title)
