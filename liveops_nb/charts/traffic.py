"""Charts for the traffic section: UV share by channel (coloured by group) and GPM by channel.

Both take :func:`liveops_nb.review.traffic.channel_table` output and a language.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..metrics import REGISTRY
from ..render.i18n import Lang, register, t
from .theme import PALETTE

WIDTH = 680
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
})


def _prep(tab: pd.DataFrame, lang: Lang) -> tuple[pd.DataFrame, alt.Scale]:
    df = tab.assign(group_label=[t(f"traffic_group_{g}", lang) for g in tab["channel_group"]])
    present = [g for g in GROUP_COLOURS if g in set(tab["channel_group"])]
    scale = alt.Scale(domain=[t(f"traffic_group_{g}", lang) for g in present],
                      range=[GROUP_COLOURS[g] for g in present])
    return df, scale


def _height(n: int) -> int:
    return max(60, 22 * n)


def share_chart(tab: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Horizontal bars: UV share per channel, coloured by channel group, largest first."""
    df, scale = _prep(tab, lang)
    df = df[["channel", "group_label", "uv", "uv_share", "views"]]
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("uv_share:Q", title=t("traffic_chart_uv_share", lang), axis=alt.Axis(format="%")),
        y=alt.Y("channel:N", title=t("traffic_chart_channel", lang), sort="-x"),
        color=alt.Color("group_label:N", title=t("traffic_chart_group", lang), scale=scale),
        tooltip=[alt.Tooltip("channel:N", title=t("traffic_chart_channel", lang)),
                 alt.Tooltip("group_label:N", title=t("traffic_chart_group", lang)),
                 alt.Tooltip("uv:Q", title=t("traffic_chart_uv", lang), format=","),
                 alt.Tooltip("uv_share:Q", title=t("traffic_chart_uv_share", lang), format=".1%"),
                 alt.Tooltip("views:Q", title=t("traffic_chart_views", lang), format=",")],
    ).properties(width=WIDTH - 140, height=_height(len(df)), title=t("traffic_chart_share_title", lang))


def gpm_chart(tab: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Horizontal bars: GPM per channel (channels without views are left out), coloured by group."""
    df, scale = _prep(tab[tab["gpm"].notna()], lang)
    df = df[["channel", "group_label", "gpm", "gmv", "views"]]
    gpm = REGISTRY["gpm"].label(lang)
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("gpm:Q", title=f"{gpm} (¥)"),
        y=alt.Y("channel:N", title=t("traffic_chart_channel", lang), sort="-x"),
        color=alt.Color("group_label:N", title=t("traffic_chart_group", lang), scale=scale),
        tooltip=[alt.Tooltip("channel:N", title=t("traffic_chart_channel", lang)),
                 alt.Tooltip("gpm:Q", title=gpm, format=",.0f"),
                 alt.Tooltip("gmv:Q", title=t("traffic_chart_gmv", lang), format=",.0f"),
                 alt.Tooltip("views:Q", title=t("traffic_chart_views", lang), format=",")],
    ).properties(width=WIDTH - 140, height=_height(len(df)), title=t("traffic_chart_gpm_title", lang))
