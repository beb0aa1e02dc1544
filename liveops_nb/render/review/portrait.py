"""Rendering of the viewer vs buyer portrait (观众 / 买家画像) in 中文 or English.

Turns :class:`liveops_nb.review.portrait.PortraitData` into a note, one table per attribute
(viewers and buyers side by side: counts and shares) and one chart per attribute.
"""
from __future__ import annotations

import pandas as pd

from ...review.portrait import DIMS, PortraitData
from ..fmt import fmt_value, is_missing
from ..html import note, table
from ..i18n import Lang, register, t
from . import sample

register({
    "portrait_title": ("观众 vs 买家画像（本场）：每一列是该人群在观众 / 买家中的占比；买家占比高于观众占比的人群更爱买。",
                       "Viewers vs buyers (this session): each share is the group's share of the viewers / buyers; "
                       "a group whose buyer share exceeds its viewer share buys more than its weight."),
    "portrait_na": ("观众 / 买家画像：此数据源无法提供（需要观众级明细和 users 用户表）",
                    "Viewer vs buyer portrait: not available from this source (needs viewer-level data and the users table)"),
    "portrait_dim_gender": ("性别", "Gender"),
    "portrait_dim_age_band": ("年龄段", "Age band"),
    "portrait_dim_region": ("地域（观众前 10）", "Region (top 10 by viewers)"),
    "portrait_dim_member_tier": ("会员等级", "Member tier"),
    "portrait_unknown": ("未填写", "not recorded"),
    "portrait_viewers": ("观众人数", "Viewers"),
    "portrait_viewer_share": ("观众占比", "Share of viewers"),
    "portrait_buyers": ("买家人数", "Buyers"),
    "portrait_buyer_share": ("买家占比", "Share of buyers"),
    "portrait_gap": ("买家−观众（百分点）", "Buyers − viewers (points)"),
})


VALUES_EN: dict[str, str] = {"女": "Female", "男": "Male", "未知": "Unknown", "普通": "Regular", "银卡": "Silver",
                              "金卡": "Gold", "黑金": "Black gold"}
"""English words for the Chinese values platforms use for gender and member tier (others are shown as given)."""


def value_label(value: object, lang: Lang = "zh") -> str:
    """An attribute value as shown (a missing value reads "not recorded"; gender and member tiers in English)."""
    if value is None or is_missing(value):
        return t("portrait_unknown", lang)
    text = str(value)
    return VALUES_EN.get(text, text) if lang == "en" else text


def points(gap: float | None) -> str:
    """A difference of two shares in percentage points, signed ("+16.7", "—")."""
    return "—" if gap is None or is_missing(gap) else f"{gap * 100:+.1f}"


def display_table(tab: pd.DataFrame, dim: str, data: PortraitData, lang: Lang = "zh") -> pd.DataFrame:
    """One attribute's table as formatted text (shares flagged when they rest on few people)."""
    return pd.DataFrame({
        t(f"portrait_dim_{dim}", lang): [value_label(v, lang) for v in tab["value"]],
        t("portrait_viewers", lang): [fmt_value(v, "people", lang) for v in tab["viewers"]],
        t("portrait_viewer_share", lang): [sample.rate(v, data.viewers, lang) for v in tab["viewer_share"]],
        t("portrait_buyers", lang): [fmt_value(v, "people", lang) for v in tab["buyers"]],
        t("portrait_buyer_share", lang): [sample.rate(v, data.buyers, lang) for v in tab["buyer_share"]],
        t("portrait_gap", lang): [points(v) for v in tab["gap"]],
    })


def render(data: PortraitData, lang: Lang = "zh") -> list:
    """The portrait: a note, the small-sample note when needed, then a table and a chart per attribute."""
    if not data.available:
        return [note(t("portrait_na", lang), "na")]
    from ...charts import portrait as charts  # altair: imported when a chart is drawn

    items: list = [note(t("portrait_title", lang), "info"), *sample.explain([data.viewers, data.buyers], lang)]
    for dim in DIMS:
        tab = data.tables[dim]
        shown = display_table(tab, dim, data, lang)
        items += [table(shown, numeric=shown.columns[1:]), charts.portrait_chart(tab, dim, lang, data)]
    return items
