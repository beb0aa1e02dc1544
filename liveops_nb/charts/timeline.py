"""Charts for the timeline section: online trend with bands, per-minute small multiples, interaction heat-map.

Charts take prepared DataFrames (see :mod:`liveops_nb.review.timeline`) and a language. The heat-map
shows actions of each type per online viewer (the per-type counterpart of 互动强度 / interaction
intensity), not the registry's 互动率.
Timestamps are shown as local wall-clock time: they are made naive before charting so
the renderer's own time zone cannot shift them.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import BAD, PALETTE, STATIC_WIDTH, page_width

WIDTH = STATIC_WIDTH - 160  # the stacked small multiples (a concatenation cannot follow its container)

register({
    "timeline_chart_online_title": ("实时在线人数（蓝色带：商品讲解；红色带：事故/断流/预警）",
                                    "Online viewers (blue bands: product pitches; red bands: incidents/outages/alerts)"),
    "timeline_chart_time": ("时间", "Time"),
    "timeline_chart_online": ("在线人数", "Online viewers"),
    "timeline_chart_product": ("讲解商品", "Product pitched"),
    "timeline_chart_incident": ("事故", "Incident"),
    "timeline_chart_entries_exits": ("每分钟进入 / 离开", "Entries / exits per minute"),
    "timeline_chart_entries": ("进入", "Entries"),
    "timeline_chart_exits": ("离开", "Exits"),
    "timeline_chart_gmv": ("每分钟成交金额 (¥)", "GMV per minute (¥)"),
    "timeline_chart_comments": ("每分钟评论数", "Comments per minute"),
    "timeline_chart_count": ("次数", "Count"),
    "timeline_chart_heat_title": ("互动热力图：每 5 分钟每位在线观众的互动次数",
                                  "Interaction heat-map: interactions per online viewer per 5 minutes"),
    "timeline_chart_bucket": ("时段开始", "Bucket start"),
    "timeline_chart_type": ("互动类型", "Interaction"),
    "timeline_chart_per_viewer": ("人均互动", "Per online viewer"),
    "timeline_chart_avg_online": ("平均在线", "Average online"),
    "timeline_chart_relative": ("相对强度（各类型最高 = 1）", "Relative intensity (max per type = 1)"),
    "timeline_type_comments": ("评论", "Comments"),
    "timeline_type_likes": ("点赞", "Likes"),
    "timeline_type_shares": ("分享", "Shares"),
    "timeline_type_new_followers": ("关注", "Follows"),
    "timeline_chart_start": ("开始", "Start"),
    "timeline_chart_end": ("结束", "End"),
})


def naive_local(s: pd.Series) -> pd.Series:
    """Timestamps as naive wall-clock times (already in the dataset's zone)."""
    s = pd.to_datetime(s)
    return s.dt.tz_localize(None) if s.dt.tz is not None else s


def _x(lang: Lang, field: str = "minute", title: bool = True) -> alt.X:
    return alt.X(f"{field}:T", title=t("timeline_chart_time", lang) if title else None, axis=alt.Axis(format="%H:%M"))


def online_chart(minute: pd.DataFrame, pitches: pd.DataFrame, bands: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Online viewers per minute, with pitch bands (labelled by product) and incident/outage bands.

    ``bands`` needs start, end and label (see :func:`liveops_nb.render.review.timeline.band_labels`).
    """
    m = minute.assign(minute=naive_local(minute["minute"]))[["minute", "online"]]
    hm = alt.Tooltip("minute:T", format="%H:%M", title=t("timeline_chart_time", lang))
    layers: list = []
    if pitches is not None and len(pitches):
        p = pitches.assign(start=naive_local(pitches["start"]),
                           end=naive_local(pitches["end"]))[["name", "start", "end"]]
        p = p.reset_index(drop=True).assign(row=lambda d: (d.index % 2) * 12 + 2)  # stagger labels on two rows
        tips = [alt.Tooltip("name:N", title=t("timeline_chart_product", lang)),
                alt.Tooltip("start:T", format="%H:%M", title=t("timeline_chart_start", lang)),
                alt.Tooltip("end:T", format="%H:%M", title=t("timeline_chart_end", lang))]
        base = alt.Chart(p)
        layers.append(base.mark_rect(color=PALETTE[0], opacity=0.10, stroke="white", strokeWidth=1)
                      .encode(x="start:T", x2="end:T", tooltip=tips))
        layers.append(base.mark_text(align="left", baseline="top", dx=2, fontSize=10, color=PALETTE[0], limit=110)
                      .encode(x="start:T", y=alt.Y("row:Q", scale=None), text="name:N", tooltip=tips))
    if bands is not None and len(bands):
        b = bands.assign(start=naive_local(bands["start"]), end=naive_local(bands["end"]))[["label", "start", "end"]]
        layers.append(alt.Chart(b).mark_rect(color=BAD, opacity=0.22).encode(
            x="start:T", x2="end:T",
            tooltip=[alt.Tooltip("label:N", title=t("timeline_chart_incident", lang)),
                     alt.Tooltip("start:T", format="%H:%M", title=t("timeline_chart_start", lang)),
                     alt.Tooltip("end:T", format="%H:%M", title=t("timeline_chart_end", lang))]))
    layers.append(alt.Chart(m).mark_line(color=PALETTE[0], strokeWidth=1.8).encode(
        x=_x(lang), y=alt.Y("online:Q", title=t("timeline_chart_online", lang)),
        tooltip=[hm, alt.Tooltip("online:Q", title=t("timeline_chart_online", lang), format=",")]))
    return alt.LayerChart(layer=layers).properties(width=page_width(120), height=240,
                                                   title=t("timeline_chart_online_title", lang))


def small_multiples(minute: pd.DataFrame, lang: Lang = "zh") -> alt.VConcatChart:
    """Entries & exits, GMV and comments per minute, stacked on a shared time axis."""
    m = minute.assign(minute=naive_local(minute["minute"]))
    hm = alt.Tooltip("minute:T", format="%H:%M", title=t("timeline_chart_time", lang))
    ee = pd.concat([
        pd.DataFrame({"minute": m["minute"], "series": t("timeline_chart_entries", lang), "value": m["entries"]}),
        pd.DataFrame({"minute": m["minute"], "series": t("timeline_chart_exits", lang), "value": m["exits"]}),
    ], ignore_index=True)
    flow = alt.Chart(ee).mark_line(strokeWidth=1.4).encode(
        x=_x(lang, title=False), y=alt.Y("value:Q", title=t("timeline_chart_count", lang)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(
            domain=[t("timeline_chart_entries", lang), t("timeline_chart_exits", lang)],
            range=[PALETTE[2], PALETTE[1]])),
        tooltip=[hm, alt.Tooltip("series:N", title=" "), alt.Tooltip("value:Q", title=t("timeline_chart_count", lang))],
    ).properties(width=WIDTH, height=110, title=t("timeline_chart_entries_exits", lang))
    bar_width = max(1.0, 0.8 * WIDTH / max(len(m), 1))
    gmv = alt.Chart(m[["minute", "gmv"]]).mark_bar(color=PALETTE[3], width=bar_width).encode(
        x=_x(lang, title=False), y=alt.Y("gmv:Q", title="¥"),
        tooltip=[hm, alt.Tooltip("gmv:Q", format=",.0f", title=t("timeline_chart_gmv", lang))],
    ).properties(width=WIDTH, height=110, title=t("timeline_chart_gmv", lang))
    com = alt.Chart(m[["minute", "comments"]]).mark_line(color=PALETTE[5], strokeWidth=1.4).encode(
        x=_x(lang), y=alt.Y("comments:Q", title=t("timeline_chart_count", lang)),
        tooltip=[hm, alt.Tooltip("comments:Q", title=t("timeline_chart_comments", lang))],
    ).properties(width=WIDTH, height=110, title=t("timeline_chart_comments", lang))
    return alt.vconcat(flow, gmv, com, spacing=12).resolve_scale(color="independent")


def heatmap_chart(heat: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Rect heat-map: time bucket × interaction type.

    Colour is ``relative`` (per-viewer rate / the type's highest bucket), so rare interactions
    (shares, follows) show their own peaks next to frequent ones (likes); tooltips give the
    absolute numbers.
    """
    h = heat.assign(bucket_start=naive_local(heat["bucket_start"]).dt.strftime("%H:%M"),
                    type_label=[t(f"timeline_type_{k}", lang) for k in heat["type"]])
    order = [t(f"timeline_type_{k}", lang) for k in ("comments", "likes", "shares", "new_followers")]
    return alt.Chart(h).mark_rect().encode(
        x=alt.X("bucket_start:O", title=t("timeline_chart_bucket", lang), sort=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("type_label:N", title=t("timeline_chart_type", lang), sort=order),
        color=alt.Color("relative:Q", title=t("timeline_chart_relative", lang),
                        scale=alt.Scale(scheme="oranges", domain=[0, 1]), legend=alt.Legend(titleLimit=400)),
        tooltip=[alt.Tooltip("bucket_start:O", title=t("timeline_chart_bucket", lang)),
                 alt.Tooltip("type_label:N", title=t("timeline_chart_type", lang)),
                 alt.Tooltip("count:Q", title=t("timeline_chart_count", lang), format=","),
                 alt.Tooltip("avg_online:Q", title=t("timeline_chart_avg_online", lang), format=",.1f"),
                 alt.Tooltip("per_viewer:Q", title=t("timeline_chart_per_viewer", lang), format=".3f")],
    ).properties(width=page_width(160), height=130, title=t("timeline_chart_heat_title", lang))
