"""The live monitor's chart: the curve so far against the room's typical curve (median and band).

Takes :func:`liveops_nb.live.curve.against_typical`'s frame. Times are shown as local wall-clock
time (made naive first, as in :mod:`liveops_nb.charts.timeline`).
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import BAD, PALETTE
from .timeline import naive_local

WIDTH = 680

register({
    "live_chart_time": ("时间", "Time"),
    "live_chart_actual": ("本场", "This session"),
    "live_chart_median": ("典型（往期中位数）", "Typical (median of past sessions)"),
    "live_chart_band": ("往期 25%–75%", "Past sessions 25–75 %"),
    "live_chart_sessions": ("往期场次数", "Past sessions"),
    "live_chart_alert": ("告警", "Alert"),
})


def curve_chart(curve: pd.DataFrame, title: str, value_title: str, lang: Lang = "zh",
                alerts: pd.DataFrame | None = None, value_format: str = ",.0f") -> alt.LayerChart:
    """This session's line over the typical curve (dashed median, shaded 25–75 % band).

    Parameters
    ----------
    curve : ``minute``, ``actual``, ``median``, ``low``, ``high``, ``sessions``.
    title, value_title : chart title and y-axis title (already in ``lang``).
    alerts : optional ``start``, ``end``, ``label`` of alerts to shade in red.
    value_format : d3 format of the values in tooltips.
    """
    c = curve.assign(minute=naive_local(curve["minute"]))
    hm = alt.Tooltip("minute:T", format="%H:%M", title=t("live_chart_time", lang))
    x = alt.X("minute:T", title=t("live_chart_time", lang), axis=alt.Axis(format="%H:%M"))
    y_title = alt.Y("median:Q", title=value_title)
    layers: list = []
    if alerts is not None and len(alerts):
        a = alerts.assign(start=naive_local(alerts["start"]), end=naive_local(alerts["end"]))[["start", "end", "label"]]
        layers.append(alt.Chart(a).mark_rect(color=BAD, opacity=0.18).encode(
            x="start:T", x2="end:T", tooltip=[alt.Tooltip("label:N", title=t("live_chart_alert", lang))]))
    band = c.dropna(subset=["low", "high"])
    if len(band):
        layers.append(alt.Chart(band).mark_area(color=PALETTE[0], opacity=0.15).encode(
            x=x, y=alt.Y("low:Q", title=value_title), y2="high:Q",
            tooltip=[hm, alt.Tooltip("low:Q", format=value_format, title=t("live_chart_band", lang) + " ↓"),
                     alt.Tooltip("high:Q", format=value_format, title=t("live_chart_band", lang) + " ↑"),
                     alt.Tooltip("sessions:Q", title=t("live_chart_sessions", lang))]))
        layers.append(alt.Chart(band).mark_line(color=PALETTE[0], strokeDash=[5, 3], strokeWidth=1.2, opacity=0.8)
                      .encode(x=x, y=y_title,
                              tooltip=[hm, alt.Tooltip("median:Q", format=value_format,
                                                       title=t("live_chart_median", lang))]))
    actual = c.dropna(subset=["actual"])
    layers.append(alt.Chart(actual).mark_line(color=PALETTE[1], strokeWidth=2.2).encode(
        x=x, y=alt.Y("actual:Q", title=value_title),
        tooltip=[hm, alt.Tooltip("actual:Q", format=value_format, title=t("live_chart_actual", lang))]))
    if len(actual):
        last = actual.tail(1)
        layers.append(alt.Chart(last).mark_point(color=PALETTE[1], filled=True, size=60).encode(x=x, y="actual:Q"))
    return alt.LayerChart(layer=layers).properties(width=WIDTH, height=200, title=title)
