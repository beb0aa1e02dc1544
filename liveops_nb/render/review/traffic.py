"""Rendering of section 3 — 流量来源 Traffic sources: notes, charts and tables in 中文 or English.

Turns :class:`liveops_nb.review.traffic.TrafficData` (values and finding codes) into displayable items.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ...charts import traffic as ch
from ...metrics import REGISTRY
from ...review.findings import Finding
from ...review.traffic import TrafficData
from ..fmt import fmt_value, is_missing
from ..html import NoteKind, note, table
from ..i18n import Lang, register, t
from ..metrics import reason_text
from . import sample

register({
    "traffic_no_channels": ("流量来源数据缺失：本数据源没有 channels 表（也无法从行为事件推导）。",
                            "No traffic-source data: this source has no channels table (and no events to derive it from)."),
    "traffic_concentrated": ("流量过于集中：{channel} 带来 {share} 的观看人数（阈值 {thr}），HHI = {hhi}。",
                             "Traffic is concentrated: {channel} brings {share} of viewers (threshold {thr}); HHI = {hhi}."),
    "traffic_spread": ("最大渠道 {channel} 占观看人数 {share}（阈值 {thr}），HHI = {hhi}（1 = 全部来自一个渠道）。",
                       "Largest channel {channel} brings {share} of viewers (threshold {thr}); HHI = {hhi} (1 = all from one channel)."),
    "traffic_no_uv": ("本场没有观看人数，无法计算渠道占比。", "No viewers in this session: channel shares cannot be computed."),
    "traffic_paid_total": ("付费合计：消耗 {spend}，ROI {roi}（= 付费渠道成交金额 / 投放消耗）。",
                           "Paid total: spend {spend}, ROI {roi} (= GMV from paid channels / paid spend)."),
    "traffic_paid_none": ("本场没有付费渠道流量。", "No paid traffic in this session."),
    "traffic_gpm_note": ("渠道 GPM = 渠道成交金额 / 渠道观看次数(PV) × 1000，与指标 “{label}” 同口径。",
                         "Channel GPM = channel GMV / channel views (PV) × 1000, the same definition as “{label}”."),
    "traffic_group_organic": ("自然流量", "Organic"),
    "traffic_group_paid": ("付费", "Paid"),
    "traffic_group_private": ("私域", "Private domain"),
    "traffic_col_channel": ("渠道", "Channel"),
    "traffic_col_group": ("渠道类型", "Group"),
    "traffic_col_uv": ("观看人数", "Viewers (UV)"),
    "traffic_col_uv_share": ("人数占比", "UV share"),
    "traffic_col_views": ("观看次数", "Views (PV)"),
    "traffic_col_views_share": ("次数占比", "Views share"),
    "traffic_col_gmv": ("成交金额", "GMV"),
    "traffic_col_gpm": ("GPM", "GPM"),
    "traffic_col_spend": ("投放消耗", "Spend"),
    "traffic_col_roi": ("ROI", "ROI"),
    "traffic_minutes_na": ("每分钟流量来源 — {why}", "Traffic sources per minute — {why}"),
    "traffic_spend_na": ("每分钟投放消耗 — {why}；下图只有付费渠道带来的成交额。",
                         "Paid spend per minute — {why}; the chart below shows the GMV from paid channels only."),
    "traffic_minutes_note": ("每分钟进入人数 = 该分钟从该渠道进入直播间的人数（同一人可在不同分钟各计一次）。",
                             "People entering per minute = people who entered through the group in that minute "
                             "(a person entering in two minutes counts in both)."),
})

_COLUMNS: tuple[tuple[str, str], ...] = (("uv", "people"), ("uv_share", "ratio"), ("views", "times"),
                                         ("views_share", "ratio"), ("gmv", "CNY"), ("gpm", "CNY"),
                                         ("spend", "CNY"), ("roi", "x"))


def group_label(group: str, lang: Lang = "zh") -> str:
    """Display name of a channel group (organic / paid / private)."""
    return t(f"traffic_group_{group}", lang)


def display_table(tab: pd.DataFrame, first: str, lang: Lang = "zh") -> pd.DataFrame:
    """A channel table (``first="channel"``) or group table (``first="channel_group"``) as formatted text."""
    label: Callable[[str], str] = (lambda g: group_label(g, lang)) if first == "channel_group" else str
    head = t(f"traffic_col_{'group' if first == 'channel_group' else 'channel'}", lang)
    out = pd.DataFrame({head: tab[first].map(label)})
    if first == "channel":
        out[t("traffic_col_group", lang)] = tab["channel_group"].map(lambda g: group_label(g, lang))
    for col, unit in _COLUMNS:
        if col == "gpm":  # a rate per channel: flagged when few people came through the channel
            out[t(f"traffic_col_{col}", lang)] = [sample.rate(v, n, lang, unit) for v, n in zip(tab[col], tab["uv"],
                                                                                                strict=True)]
        else:
            out[t(f"traffic_col_{col}", lang)] = [fmt_value(v, unit, lang) for v in tab[col]]
    return out


def finding_note(f: Finding, lang: Lang = "zh") -> str:
    """One finding of the traffic section as an HTML note."""
    p = f.params
    kind: NoteKind = "info"
    if f.code in ("traffic_concentrated", "traffic_spread"):
        text = t(f.code, lang, channel=p["channel"], share=fmt_value(p["share"], "ratio", lang),
                 thr=f"{p['threshold']:.0%}", hhi=f"{p['hhi']:.2f}")
        kind = "warn" if f.code == "traffic_concentrated" else "info"
    elif f.code == "traffic_paid_total":
        roi = fmt_value(p["roi"], "x", lang) if not is_missing(p["roi"]) else \
            f"— ({reason_text(p['roi_reason'], lang) or t('not_available', lang)})"
        text = t(f.code, lang, spend=fmt_value(p["spend"], "CNY", lang), roi=roi)
    else:
        text = t(f.code, lang)
        kind = "na" if f.code in ("traffic_no_channels", "traffic_no_uv") else "info"
    return note(text, kind)


def render(data: TrafficData, lang: Lang = "zh") -> list:
    """Concentration and paid notes, share and GPM charts, the per-minute charts, channel and group tables."""
    items: list = [finding_note(f, lang) for f in data.findings]
    if data.channels is None or data.groups is None:
        return items
    items.append(note(t("traffic_gpm_note", lang, label=REGISTRY["gpm"].label(lang)), "info"))
    items += sample.explain(data.channels.loc[data.channels["gpm"].notna(), "uv"], lang)
    items.append(ch.share_chart(data.channels, lang))
    items.append(ch.gpm_chart(data.channels, lang))
    items += minute_items(data, lang)
    numeric = [t(f"traffic_col_{c}", lang) for c, _ in _COLUMNS]
    items.append(table(display_table(data.channels, "channel", lang), numeric=numeric))
    items.append(table(display_table(data.groups, "channel_group", lang), numeric=numeric))
    return items


def minute_items(data: TrafficData, lang: Lang = "zh") -> list:
    """Per-minute traffic sources (stacked areas) and the paid trend, or why the source cannot give them."""
    if data.minutes is None:
        why = reason_text(data.minutes_reason, lang) or t("not_available", lang)
        return [note(t("traffic_minutes_na", lang, why=why), "na")]
    items: list = [note(t("traffic_minutes_note", lang), "info"), ch.minute_sources_chart(data.minutes, lang)]
    if data.spend_minutes is None:
        why = reason_text(data.spend_reason, lang) or t("not_available", lang)
        items.append(note(t("traffic_spend_na", lang, why=why), "na"))
    if data.spend_minutes is not None or (data.minutes["channel_group"] == "paid").any():
        items.append(ch.minute_paid_chart(data.minutes, data.spend_minutes, lang))
    return items
