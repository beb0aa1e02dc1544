"""Charts of the period review: the GMV bridge's waterfall, the weekday × hour heat-map, the channel mix over time.

Each takes an analysis result of :mod:`liveops_nb.period` and the language (words registered here).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..metrics import REGISTRY
from ..render.i18n import Lang, register, t
from ..render.period.text import weekday_names
from .theme import BAD, GOOD, NEUTRAL, PALETTE

WIDTH = 640

register({
    "period_chart_before": ("{label} GMV", "GMV {label}"),
    "period_chart_after": ("{label} GMV", "GMV {label}"),
    "period_chart_traffic": ("流量（观看人数）", "Traffic (viewers)"),
    "period_chart_conversion": ("转化（成交人数/观看人数）", "Conversion (buyers / viewers)"),
    "period_chart_order_value": ("客单价（成交金额/成交人数）", "Order value (GMV / buyers)"),
    "period_chart_amount": ("金额", "Amount"),
    "period_chart_step": ("项", "Step"),
    "period_chart_weekday": ("星期", "Weekday"),
    "period_chart_hour": ("开播小时", "Start hour"),
    "period_chart_sessions": ("场次", "Sessions"),
    "period_chart_share": ("观看人数占比", "Share of viewers"),
    "period_chart_group": ("渠道", "Channel group"),
    "period_chart_time": ("时间", "Time"),
})


def waterfall_frame(row: pd.Series, before: str, after: str, lang: Lang = "zh") -> pd.DataFrame:
    """Bars of the waterfall: start, the three effects (floating), end."""
    steps = [(t("period_chart_before", lang, label=before), 0.0, float(row["gmv_before"]), NEUTRAL)]
    level = float(row["gmv_before"])
    for key in ("traffic", "conversion", "order_value"):
        v = float(row[key])
        steps.append((t(f"period_chart_{key}", lang), level, level + v, GOOD if v >= 0 else BAD))
        level += v
    steps.append((t("period_chart_after", lang, label=after), 0.0, float(row["gmv_after"]), NEUTRAL))
    f = pd.DataFrame(steps, columns=["step", "y0", "y1", "colour"])
    f["amount"] = f["y1"] - f["y0"]
    return f


def waterfall(row: pd.Series, before: str, after: str, lang: Lang = "zh") -> alt.Chart:
    """The GMV bridge as a waterfall: GMV before, traffic, conversion and order-value effects, GMV after."""
    f = waterfall_frame(row, before, after, lang)
    return alt.Chart(f).mark_bar(size=46).encode(
        x=alt.X("step:N", sort=list(f["step"]), title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("y0:Q", title=t("period_chart_amount", lang)), y2="y1:Q",
        color=alt.Color("colour:N", scale=None),
        tooltip=[alt.Tooltip("step:N", title=t("period_chart_step", lang)),
                 alt.Tooltip("amount:Q", title=t("period_chart_amount", lang), format=",.0f")],
    ).properties(width=WIDTH, height=260)


def heatmap(table: pd.DataFrame, key: str = "gpm", lang: Lang = "zh") -> alt.Chart:
    """Weekday × start hour coloured by ``key``, each cell labelled with its session count."""
    names = weekday_names(lang)
    f = table.assign(day=[names[int(d)] for d in table["weekday"]], value=table[key].astype(float),
                     n=table["n_sessions"].astype(int))
    label = REGISTRY[key].label(lang)
    base = alt.Chart(f).encode(
        x=alt.X("hour:O", title=t("period_chart_hour", lang)),
        y=alt.Y("day:N", sort=names, title=t("period_chart_weekday", lang)))
    cells = base.mark_rect().encode(
        color=alt.Color("value:Q", title=label, scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("day:N", title=t("period_chart_weekday", lang)),
                 alt.Tooltip("hour:O", title=t("period_chart_hour", lang)),
                 alt.Tooltip("value:Q", title=label, format=",.2f"),
                 alt.Tooltip("n:Q", title=t("period_chart_sessions", lang))])
    text = base.mark_text(fontSize=11).encode(text="n:Q")
    return (cells + text).properties(width=WIDTH, height=24 * 7)


def channel_mix(mix: pd.DataFrame, step: str, group_names: dict[str, str], lang: Lang = "zh") -> alt.Chart:
    """Share of viewers per channel group at each time step (stacked bars)."""
    f = mix.assign(group=[group_names.get(g, g) for g in mix["channel_group"]],
                   at=[f"{pd.Timestamp(v):%m-%d}" if step != "session_id" else str(v) for v in mix[step]])
    return alt.Chart(f).mark_bar().encode(
        x=alt.X("at:N", title=t("period_chart_time", lang), axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("uv_share:Q", title=t("period_chart_share", lang), axis=alt.Axis(format="%"), stack="normalize"),
        color=alt.Color("group:N", title=t("period_chart_group", lang), scale=alt.Scale(range=PALETTE)),
        tooltip=[alt.Tooltip("group:N", title=t("period_chart_group", lang)),
                 alt.Tooltip("uv_share:Q", title=t("period_chart_share", lang), format=".1%")],
    ).properties(width=WIDTH, height=220)
