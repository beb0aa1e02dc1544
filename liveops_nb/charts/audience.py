"""Charts for the audience section (观众): new vs returning, regions, member tiers."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import PALETTE

WIDTH = 680

register({
    "audience_chart_nr": ("新老观众 / 买家", "New vs returning viewers and buyers"),
    "audience_chart_group": ("人群", "Group"),
    "audience_chart_people": ("人数", "People"),
    "audience_chart_kind": ("新/老", "New / returning"),
    "audience_chart_kind_new": ("新", "New"),
    "audience_chart_kind_returning": ("老", "Returning"),
    "audience_chart_group_viewers": ("观众", "Viewers"),
    "audience_chart_group_buyers": ("买家", "Buyers"),
    "audience_chart_regions": ("观众地域 Top 10", "Top 10 regions by viewers"),
    "audience_chart_region": ("地域", "Region"),
    "audience_chart_tiers": ("会员等级分布", "Member tiers of viewers"),
    "audience_chart_tier": ("会员等级", "Member tier"),
    "audience_chart_viewers": ("观众人数", "Viewers"),
    "audience_chart_buyers": ("买家人数", "Buyers"),
    "audience_chart_share": ("观众占比", "Share of viewers"),
})


def new_vs_returning(new_returning: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Stacked horizontal bars (viewers, buyers) split into new / returning; columns ``group, new, returning``."""
    long = new_returning.melt(id_vars="group", value_vars=["new", "returning"], var_name="kind", value_name="people")
    long["group_label"] = [t(f"audience_chart_group_{g}", lang) for g in long["group"]]
    long["kind_label"] = [t(f"audience_chart_kind_{k}", lang) for k in long["kind"]]
    kinds = [t("audience_chart_kind_new", lang), t("audience_chart_kind_returning", lang)]
    return alt.Chart(long, title=t("audience_chart_nr", lang), width=WIDTH, height=90).mark_bar().encode(
        x=alt.X("people:Q", title=t("audience_chart_people", lang), stack="normalize", axis=alt.Axis(format="%")),
        y=alt.Y("group_label:N", title=t("audience_chart_group", lang)),
        color=alt.Color("kind_label:N", title=t("audience_chart_kind", lang),
                        scale=alt.Scale(domain=kinds, range=[PALETTE[1], PALETTE[0]])),
        tooltip=[alt.Tooltip("group_label:N", title=t("audience_chart_group", lang)),
                 alt.Tooltip("kind_label:N", title=t("audience_chart_kind", lang)),
                 alt.Tooltip("people:Q", title=t("audience_chart_people", lang))])


def _bars(df: pd.DataFrame, title_key: str, axis_key: str, lang: Lang, color: str) -> alt.Chart:
    chart = alt.Chart(df, title=t(title_key, lang), width=WIDTH, height=max(100, 20 * len(df)))
    return chart.mark_bar(color=color).encode(
        x=alt.X("viewers:Q", title=t("audience_chart_viewers", lang)),
        y=alt.Y("value:N", sort="-x", title=t(axis_key, lang)),
        tooltip=[alt.Tooltip("value:N", title=t(axis_key, lang)),
                 alt.Tooltip("viewers:Q", title=t("audience_chart_viewers", lang)),
                 alt.Tooltip("share:Q", title=t("audience_chart_share", lang), format=".1%"),
                 alt.Tooltip("buyers:Q", title=t("audience_chart_buyers", lang))])


def region_bars(regions: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Bars of viewers per region (columns ``value, viewers, share, buyers``)."""
    return _bars(regions, "audience_chart_regions", "audience_chart_region", lang, PALETTE[0])


def tier_bars(tiers: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Bars of viewers per member tier (columns ``value, viewers, share, buyers``)."""
    return _bars(tiers, "audience_chart_tiers", "audience_chart_tier", lang, PALETTE[3])
