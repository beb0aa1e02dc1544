"""Rendering of section 7 — 观众 Audience: definitions, tables and charts in 中文 or English.

Turns :class:`liveops_nb.review.audience.AudienceData` into displayable items.
"""
from __future__ import annotations

import pandas as pd

from ...metrics import REGISTRY
from ...review.audience import DORMANT_DAYS, NEW_DAYS, AudienceData
from ..fmt import fmt_value
from ..html import note, table
from ..i18n import Lang, register, t
from ..metrics import reason_text
from . import portrait as portrait_view

register({
    "audience_aggregate": ("观众画像：此数据源无法提供（需要 events / orders / users 明细）",
                           "Audience profile: not available from this source (needs events / orders / users detail)"),
    "audience_group": ("人群", "Group"),
    "audience_new": ("新", "New"),
    "audience_returning": ("老", "Returning"),
    "audience_returning_share": ("老客占比", "Returning share"),
    "audience_viewers": ("观众", "Viewers"),
    "audience_buyers": ("买家", "Buyers"),
    "audience_shares": ("粉丝占比 {f}；私域用户占比 {p}；{ndr_label} {ndr}",
                        "Followers {f} of viewers; private-domain users {p}; {ndr_label} {ndr}"),
    "audience_def": ("老观众/老买家 = 此前在本直播间看过/买过；新 = 首次来本直播间。",
                     "Returning viewer/buyer = watched/bought in this room before; new = first time in this room."),
    "audience_rfm_def": ("RFM 分层（截至本场下播，按本场之前的购买）：新客 = 首购在 {n} 天内；"
                         "活跃 = 近 {d} 天内购买过；沉睡 = 超过 {d} 天未购买",
                         "RFM layers (as of the session end, from purchases before it): new = first purchase within {n} days; "
                         "active = bought within {d} days; dormant = no purchase for more than {d} days"),
    "audience_layer": ("分层", "Layer"),
    "audience_layer_new": ("新客", "New"),
    "audience_layer_active": ("活跃", "Active"),
    "audience_layer_dormant": ("沉睡", "Dormant"),
    "audience_layer_buyers": ("买家数", "Buyers"),
    "audience_layer_watched": ("本场来看", "Watched this session"),
    "audience_layer_bought": ("本场购买", "Bought this session"),
})


def new_returning_table(nr: pd.DataFrame, lang: Lang = "zh") -> str:
    """New vs returning viewers and buyers (``group, new, returning, returning_share``) as an HTML table."""
    return table(pd.DataFrame({
        t("audience_group", lang): [t(f"audience_{g}", lang) for g in nr["group"]],
        t("audience_new", lang): [fmt_value(v, "people", lang) for v in nr["new"]],
        t("audience_returning", lang): [fmt_value(v, "people", lang) for v in nr["returning"]],
        t("audience_returning_share", lang): [fmt_value(v, "ratio", lang) for v in nr["returning_share"]]}))


def rfm_table(rfm: pd.DataFrame, lang: Lang = "zh") -> str:
    """The RFM layers (``layer, buyers, watched, bought``) as an HTML table."""
    cols = [t(x, lang) for x in ("audience_layer", "audience_layer_buyers", "audience_layer_watched",
                                 "audience_layer_bought")]
    return table(pd.DataFrame({cols[0]: [t(f"audience_layer_{x}", lang) for x in rfm["layer"]],
                               cols[1]: rfm["buyers"], cols[2]: rfm["watched"], cols[3]: rfm["bought"]}),
                 numeric=cols[1:])


def _ndr(data: AudienceData, lang: Lang) -> str:
    if data.next_day_return_rate is not None:
        return fmt_value(data.next_day_return_rate, "ratio", lang)
    return reason_text(data.ndr_reason, lang) or t("not_available", lang)


def _portrait(data: AudienceData, lang: Lang) -> list:
    return [] if data.portrait is None else portrait_view.render(data.portrait, lang)


def render(data: AudienceData, lang: Lang = "zh") -> list:
    """New vs returning, shares, RFM layers, then the viewer vs buyer portrait (one line each when not available)."""
    from ...charts import audience as charts  # altair: imported when a chart is drawn

    ndr_label = REGISTRY["next_day_return_rate"].label(lang)
    if not data.available:
        return [note(t("audience_aggregate", lang), "na"), note(f"{ndr_label}: {_ndr(data, lang)}", "info"),
                *_portrait(data, lang)]
    shares = data.shares
    return [note(t("audience_def", lang), "info"), new_returning_table(data.new_returning, lang),
            charts.new_vs_returning(data.new_returning, lang),
            note(t("audience_shares", lang, f=fmt_value(shares.get("follower_share"), "ratio", lang),
                   p=fmt_value(shares.get("private_domain_share"), "ratio", lang), ndr_label=ndr_label,
                   ndr=_ndr(data, lang)), "info"),
            note(t("audience_rfm_def", lang, n=NEW_DAYS, d=DORMANT_DAYS), "info"), rfm_table(data.rfm, lang),
            *_portrait(data, lang)]
