"""Rendering of section 6 (互动与弹幕 Interaction and comments), in 中文 or English.

The numbers come from :func:`liveops_nb.review.interaction.build`; the charts from
:mod:`liveops_nb.charts.interaction`; metric labels from the registry and the words for a
missing value from :func:`liveops_nb.render.metrics.reason_text`.
"""
from __future__ import annotations

import pandas as pd

from ...comments.keywords import MIN_SUPPORT
from ...metrics import REGISTRY
from ...review.interaction import PRIOR_BUYER_DAYS, InteractionData
from ..fmt import fmt_value, is_missing
from ..html import note, table
from ..i18n import Lang, register, t
from ..metrics import reason_text

register({
    "interaction_few_comments": ("弹幕太少：没有哪个词或短语出现在至少 {n} 条有效弹幕中，不列高频词。",
                                 "Too few comments: no word or phrase is in at least {n} valid comments, so no "
                                 "keywords are listed."),
    "interaction_aggregate": ("弹幕明细：此数据源无法提供（汇总数据只有评论条数：{n}）；"
                              "弹幕质量、提问、关键词和高价值用户互动均需弹幕/行为明细",
                              "Comment detail: not available from this source (aggregate data only has the comment count: {n}); "
                              "quality, questions, keywords and high-value-viewer interactions need comment/event detail"),
    "interaction_kind": ("弹幕类型", "Comment kind"),
    "interaction_count": ("条数", "Count"),
    "interaction_share": ("占比", "Share"),
    "interaction_kind_valid": ("有效", "Valid"),
    "interaction_kind_spam": ("刷屏/广告", "Spam"),
    "interaction_kind_repeat": ("重复", "Repeat"),
    "interaction_kind_emoji_only": ("纯表情", "Emoji only"),
    "interaction_delay": ("提问到主播回复的中位时长：{v}", "Median time from question to host reply: {v}"),
    "interaction_group": ("观众分组", "Viewer group"),
    "interaction_viewers": ("人数", "Viewers"),
    "interaction_events": ("互动次数", "Interactions"),
    "interaction_per_viewer": ("人均互动次数", "Interactions per viewer"),
    "interaction_group_high_value": ("高价值用户", "High-value viewers"),
    "interaction_group_other": ("其他观众", "Other viewers"),
    "interaction_hv_def": ("高价值用户 = {tiers}会员，或近{days}天在本直播间下过单；互动 = 点赞 + 评论 + 分享次数",
                           "High-value viewer = member tier {tiers}, or bought in this room in the previous {days} days; "
                           "interactions = likes + comments + shares"),
    "interaction_no_events": ("高价值用户互动：此数据源无法提供（需要 events 与 users 明细）",
                              "High-value-viewer interactions: not available from this source (needs events and users)"),
    "interaction_metric": ("指标", "Metric"),
    "interaction_value": ("数值", "Value"),
})


def kpi_table(kpis: pd.DataFrame, lang: Lang = "zh") -> str:
    """The section's registry KPIs as an HTML table: label and value, or why the value is missing."""
    vals = [fmt_value(v, u, lang) if not is_missing(v) else (reason_text(r, lang) or t("not_available", lang))
            for v, u, r in zip(kpis["value"], kpis["unit"], kpis["reason"], strict=True)]
    labels = [REGISTRY[k].label(lang) for k in kpis["key"]]
    return table(pd.DataFrame({t("interaction_metric", lang): labels, t("interaction_value", lang): vals}),
                 numeric=[t("interaction_value", lang)])


def kinds_table(kinds: pd.DataFrame, lang: Lang = "zh") -> str:
    """Comment kinds (``kind, label, count, share``) as an HTML table."""
    return table(pd.DataFrame({t("interaction_kind", lang): kinds["label"],
                               t("interaction_count", lang): [fmt_value(v, "times", lang) for v in kinds["count"]],
                               t("interaction_share", lang): [fmt_value(v, "ratio", lang) for v in kinds["share"]]}),
                 numeric=[t("interaction_count", lang), t("interaction_share", lang)])


def high_value_table(hv: pd.DataFrame, lang: Lang = "zh") -> str:
    """Viewers, interactions and interactions per viewer of the high-value and other viewers."""
    return table(pd.DataFrame({
        t("interaction_group", lang): [t(f"interaction_group_{g}", lang) for g in hv["group"]],
        t("interaction_viewers", lang): [fmt_value(v, "people", lang) for v in hv["viewers"]],
        t("interaction_events", lang): [fmt_value(v, "times", lang) for v in hv["interactions"]],
        t("interaction_per_viewer", lang): [fmt_value(v, "times", lang) for v in hv["per_viewer"]]}),
        numeric=[t("interaction_viewers", lang), t("interaction_events", lang), t("interaction_per_viewer", lang)])


def render(data: InteractionData, lang: Lang = "zh") -> list:
    """KPI table, comment kinds, answer delay, keywords and high-value-viewer interactions."""
    from ...charts import interaction as charts

    items: list = [kpi_table(data.kpis, lang)]
    if not data.comments_available:
        n = fmt_value(data.comments_total, "times", lang) if data.comments_total is not None else t("not_available", lang)
        return items + [note(t("interaction_aggregate", lang, n=n), "na")]
    kinds = data.kinds.assign(label=[t(f"interaction_kind_{k}", lang) for k in data.kinds["kind"]])
    items.append(kinds_table(kinds, lang))
    items.append(charts.comment_kinds(kinds, lang))
    delay = (fmt_value(data.median_answer_delay, "seconds", lang) if data.median_answer_delay is not None
             else t("not_available", lang))
    items.append(note(t("interaction_delay", lang, v=delay), "info"))
    if data.keywords.empty:
        items.append(note(t("interaction_few_comments", lang, n=MIN_SUPPORT), "na"))
    else:
        items.append(charts.keyword_bars(data.keywords, lang))
    if data.high_value.empty:
        items.append(note(t("interaction_no_events", lang), "na"))
    else:
        items.append(note(t("interaction_hv_def", lang, tiers="/".join(data.high_value_tiers) or "—",
                            days=PRIOR_BUYER_DAYS), "info"))
        items.append(high_value_table(data.high_value, lang))
    return items
