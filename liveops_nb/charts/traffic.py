"""Charts for the traffic section: UV share by channel (coloured by group) and GPM by channel.

Both take :func:`liveops_nb.review.traffic.channel_table` output and a language.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..metrics import REGISTRY
from ..render.i18n import Lang, register, t
from .theme import PALETTE, page_width

GROUP_COLOURS = {"organic": PALETTE[0], "paid": PALETTE[1], "private": PALETTE[2]}

register({
    "traffic_chart_share_title": ("各渠道观看人数占比", "Share of viewers (UV) by channel"),
    "traffic_chart_gpm_title": ("各渠道 GPM（每千次观看成交金额）", "GPM by channel (GMV per 1,000 views)"),
    "traffic_chart_channel": ("渠道", "Channel"),
    "traffic_chart_group": ("渠道类型", "Group"),
    "traffic_chart_uv_share": ("观看人数占比", "UV share"),
    "traffic_chart_uv": ("观看人数", "Viewers (UV)"),
    "traffic_chart_views": ("观看次数", "Views (PV)"),
    "traffic_chart_gmv": ("成交金额", "GMV"),
    "traffic_chart_minute": ("时间", "Time"),
    "traffic_chart_entering": ("进入人数（每分钟）", "People entering (per minute)"),
    "traffic_chart_minutes_title": ("每分钟进入人数（按渠道类型）", "People entering per minute, by channel group"),
    "traffic_chart_paid_gmv": ("付费渠道成交额", "GMV from paid channels"),
    "traffic_chart_spend": ("投放消耗", "Paid spend"),
    "traffic_chart_cny": ("金额（元/分钟）", "CNY per minute"),
    "traffic_chart_paid_title": ("付费流量趋势（每分钟）", "Paid traffic per minute"),
})


def _prep(tab: pd.DataFrame, lang: Lang) -> tuple[pd.DataFrame, alt.Scale]:
    df = tab.assign(group_label=[t(f"traffic_group_{g}", lang) for g in tab["channel_group"]])
    present = [g for g in GROUP_COLOURS if g in set(tab["channel_group"])]
    scale = alt.Scale(domain=[t(f"traffic_group_{g}", lang) for g in present],
                      range=[GROUP_COLOURS[g] for g in present])
    return df, scale


def _height(n: int) -> int:
    return max(60, 22 * n)


def _labelled(bars: alt.Chart, df: pd.DataFrame, x: alt.X, y: alt.Y, tips: list) -> alt.LayerChart:
    """Bars with their value as text at the bar's end (readable in a static report)."""
    text = alt.Chart(df).mark_text(align="left", dx=3, fontSize=11, color="#262626").encode(
        x=x, y=y, text="text:N", tooltip=tips)
    return alt.LayerChart(layer=[bars, text])


def share_chart(tab: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Horizontal bars: UV share per channel, coloured by channel group, largest first, labelled with share (people)."""
    df, scale = _prep(tab, lang)
    df = df[["channel", "group_label", "uv", "uv_share", "views"]]
    df = df.assign(text=[f"{v:.1%} ({int(u):,})" if v == v else "—" for v, u in zip(df["uv_share"], df["uv"],
                                                                                     strict=True)])
    x = alt.X("uv_share:Q", title=t("traffic_chart_uv_share", lang), axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, min(1.0, float(df["uv_share"].max() or 0) * 1.2 + 0.05)]))
    y = alt.Y("channel:N", title=t("traffic_chart_channel", lang),
              sort=list(df.sort_values("uv_share", ascending=False, kind="stable")["channel"]))
    tips = [alt.Tooltip("channel:N", title=t("traffic_chart_channel", lang)),
            alt.Tooltip("group_label:N", title=t("traffic_chart_group", lang)),
            alt.Tooltip("uv:Q", title=t("traffic_chart_uv", lang), format=","),
            alt.Tooltip("uv_share:Q", title=t("traffic_chart_uv_share", lang), format=".1%"),
            alt.Tooltip("views:Q", title=t("traffic_chart_views", lang), format=",")]
    bars = alt.Chart(df).mark_bar().encode(
        x=x, y=y, color=alt.Color("group_label:N", title=t("traffic_chart_group", lang), scale=scale), tooltip=tips)
    return _labelled(bars, df, x, y, tips).properties(
        width=page_width(200), height=_height(len(df)), title=t("traffic_chart_share_title", lang))


def gpm_chart(tab: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Horizontal bars: GPM per channel (channels without views left out), coloured by group, labelled with the
    value and flagged when the channel has few viewers."""
    from ..render.review import sample  # the small-sample marker

    df, scale = _prep(tab[tab["gpm"].notna()], lang)
    df = df[["channel", "group_label", "gpm", "gmv", "views", "uv"]]
    df = df.assign(text=[sample.flagged(f"¥{g:,.0f}", u, lang) for g, u in zip(df["gpm"], df["uv"], strict=True)])
    gpm = REGISTRY["gpm"].label(lang)
    order = list(df.sort_values("gpm", ascending=False)["channel"])
    x = alt.X("gpm:Q", title=f"{gpm} (¥)", scale=alt.Scale(domain=[0, float(df["gpm"].max() or 1) * 1.3]))
    y = alt.Y("channel:N", title=t("traffic_chart_channel", lang), sort=order)
    tips = [alt.Tooltip("channel:N", title=t("traffic_chart_channel", lang)),
            alt.Tooltip("gpm:Q", title=gpm, format=",.0f"),
            alt.Tooltip("gmv:Q", title=t("traffic_chart_gmv", lang), format=",.0f"),
            alt.Tooltip("views:Q", title=t("traffic_chart_views", lang), format=","),
            alt.Tooltip("uv:Q", title=t("traffic_chart_uv", lang), format=",")]
    bars = alt.Chart(df).mark_bar().encode(
        x=x, y=y, color=alt.Color("group_label:N", title=t("traffic_chart_group", lang), scale=scale), tooltip=tips)
    return _labelled(bars, df, x, y, tips).properties(width=page_width(200), height=_height(len(df)),
                                                      title=t("traffic_chart_gpm_title", lang))


def minute_sources_chart(minutes: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Stacked areas: people entering per minute by channel group (``review.traffic.minute_channels`` output)."""
    df, scale = _prep(minutes, lang)
    df = df[["minute", "group_label", "uv", "views"]]
    return alt.Chart(df).mark_area(opacity=0.85, interpolate="step-after").encode(
        x=alt.X("minute:T", title=t("traffic_chart_minute", lang)),
        y=alt.Y("uv:Q", title=t("traffic_chart_entering", lang), stack="zero"),
        color=alt.Color("group_label:N", title=t("traffic_chart_group", lang), scale=scale),
        tooltip=[alt.Tooltip("minute:T", title=t("traffic_chart_minute", lang), format="%H:%M"),
                 alt.Tooltip("group_label:N", title=t("traffic_chart_group", lang)),
                 alt.Tooltip("uv:Q", title=t("traffic_chart_entering", lang), format=","),
                 alt.Tooltip("views:Q", title=t("traffic_chart_views", lang), format=",")],
    ).properties(width=page_width(160), height=220, title=t("traffic_chart_minutes_title", lang))


def minute_paid_chart(minutes: pd.DataFrame, spend: pd.DataFrame | None, lang: Lang = "zh") -> alt.Chart:
    """Lines per minute: GMV from paid channels and, when the source reports it, paid spend."""
    paid = minutes[minutes["channel_group"] == "paid"][["minute", "gmv"]]
    series = [paid.assign(series=t("traffic_chart_paid_gmv", lang), value=paid["gmv"])[["minute", "series", "value"]]]
    if spend is not None:
        series.append(spend.assign(series=t("traffic_chart_spend", lang), value=spend["paid_spend"])[
            ["minute", "series", "value"]])
    df = pd.concat(series, ignore_index=True)
    names = [t("traffic_chart_paid_gmv", lang), t("traffic_chart_spend", lang)]
    return alt.Chart(df).mark_line(point=True).encode(
        x=alt.X("minute:T", title=t("traffic_chart_minute", lang)),
        y=alt.Y("value:Q", title=t("traffic_chart_cny", lang)),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=names, range=[PALETTE[1], PALETTE[3]])),
        tooltip=[alt.Tooltip("minute:T", title=t("traffic_chart_minute", lang), format="%H:%M"),
                 alt.Tooltip("series:N", title=None), alt.Tooltip("value:Q", title=t("traffic_chart_cny", lang),
                                                                  format=",.0f")],
    ).properties(width=page_width(160), height=200, title=t("traffic_chart_paid_title", lang))
