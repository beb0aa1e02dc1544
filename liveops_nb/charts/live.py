"""The live monitor's chart: the curve so far against the room's typical curve (median and band).

Takes :func:`liveops_nb.live.curve.against_typical`'s frame. Times are shown as local wall-clock
time (made naive first, as in :mod:`liveops_nb.charts.timeline`).
"""
from __future__ import annotations

import functools
import json

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import BAD, PALETTE
from .timeline import naive_local

WIDTH = 680
CURVE, ALERTS = "live_curve", "live_alerts"
"""Names of the chart's two data sets (the spec stays the same between refreshes; only they change)."""

register({
    "live_chart_time": ("时间", "Time"),
    "live_chart_actual": ("本场", "This session"),
    "live_chart_median": ("典型（往期中位数）", "Typical (median of past sessions)"),
    "live_chart_band": ("往期 25%–75%", "Past sessions 25–75 %"),
    "live_chart_sessions": ("往期场次数", "Past sessions"),
    "live_chart_alert": ("告警", "Alert"),
})


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: times as local wall-clock ISO text, missing values as null."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = naive_local(out[c]).dt.strftime("%Y-%m-%dT%H:%M:%S")
    return json.loads(out.to_json(orient="records", force_ascii=False))


def _datasets(curve: pd.DataFrame, alerts: pd.DataFrame | None) -> dict[str, list[dict]]:
    data = {CURVE: _records(curve[["minute", "actual", "median", "low", "high", "sessions"]])}
    if alerts is not None and len(alerts):
        data[ALERTS] = _records(alerts[["start", "end", "label"]])
    return data


@functools.lru_cache(maxsize=16)
def _layers(title: str, value_title: str, lang: Lang, with_alerts: bool, value_format: str) -> alt.LayerChart:
    """The chart's structure over the named data sets (built once per title, language and options)."""
    hm = alt.Tooltip("minute:T", format="%H:%M", title=t("live_chart_time", lang))
    x = alt.X("minute:T", title=t("live_chart_time", lang), axis=alt.Axis(format="%H:%M"))
    base = alt.Chart(alt.NamedData(CURVE))
    typical = base.transform_filter("isValid(datum.low) && isValid(datum.high)")
    seen = base.transform_filter("isValid(datum.actual)")
    layers: list = []
    if with_alerts:
        layers.append(alt.Chart(alt.NamedData(ALERTS)).mark_rect(color=BAD, opacity=0.18).encode(
            x="start:T", x2="end:T", tooltip=[alt.Tooltip("label:N", title=t("live_chart_alert", lang))]))
    layers.append(typical.mark_area(color=PALETTE[0], opacity=0.15).encode(
        x=x, y=alt.Y("low:Q", title=value_title), y2="high:Q",
        tooltip=[hm, alt.Tooltip("low:Q", format=value_format, title=t("live_chart_band", lang) + " ↓"),
                 alt.Tooltip("high:Q", format=value_format, title=t("live_chart_band", lang) + " ↑"),
                 alt.Tooltip("sessions:Q", title=t("live_chart_sessions", lang))]))
    layers.append(typical.mark_line(color=PALETTE[0], strokeDash=[5, 3], strokeWidth=1.2, opacity=0.8).encode(
        x=x, y=alt.Y("median:Q", title=value_title),
        tooltip=[hm, alt.Tooltip("median:Q", format=value_format, title=t("live_chart_median", lang))]))
    layers.append(seen.mark_line(color=PALETTE[1], strokeWidth=2.2).encode(
        x=x, y=alt.Y("actual:Q", title=value_title),
        tooltip=[hm, alt.Tooltip("actual:Q", format=value_format, title=t("live_chart_actual", lang))]))
    last = seen.transform_window(rank="rank()", sort=[alt.SortField("minute", order="descending")]) \
        .transform_filter("datum.rank == 1")
    layers.append(last.mark_point(color=PALETTE[1], filled=True, size=60).encode(x=x, y="actual:Q"))
    return alt.LayerChart(layer=layers, width=WIDTH, height=200, title=title)


@functools.lru_cache(maxsize=16)
def _template(title: str, value_title: str, lang: Lang, with_alerts: bool, value_format: str) -> str:
    """The chart's Vega-Lite spec without data, validated once (as JSON text: a fresh copy each time)."""
    return json.dumps(_layers(title, value_title, lang, with_alerts, value_format).to_dict())


def curve_chart(curve: pd.DataFrame, title: str, value_title: str, lang: Lang = "zh",
                alerts: pd.DataFrame | None = None, value_format: str = ",.0f") -> alt.LayerChart:
    """This session's line over the typical curve (dashed median, shaded 25–75 % band), alerts shaded red.

    Parameters
    ----------
    curve : ``minute``, ``actual``, ``median``, ``low``, ``high``, ``sessions``
        (:func:`liveops_nb.live.curve.against_typical`).
    title, value_title : chart title and y-axis title (already in ``lang``).
    alerts : optional ``start``, ``end``, ``label`` of alerts to shade in red.
    value_format : d3 format of the values in tooltips.
    """
    with_alerts = alerts is not None and len(alerts) > 0
    return _layers(title, value_title, lang, with_alerts, value_format).properties(
        datasets=_datasets(curve, alerts))


def curve_spec(curve: pd.DataFrame, title: str, value_title: str, lang: Lang = "zh",
               alerts: pd.DataFrame | None = None, value_format: str = ",.0f") -> dict:
    """:func:`curve_chart`'s Vega-Lite spec as a dict, built from the validated template and the new data only.

    What a live refresh sends to a chart widget already on the page (no Altair objects, no validation).
    """
    with_alerts = alerts is not None and len(alerts) > 0
    spec = json.loads(_template(title, value_title, lang, with_alerts, value_format))
    spec["datasets"] = _datasets(curve, alerts)
    return spec
