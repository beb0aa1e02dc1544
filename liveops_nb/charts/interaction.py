"""Charts for the interaction section (互动与弹幕): keyword bars and comment kinds."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import BAD, GOOD, NEUTRAL, PALETTE

WIDTH = 680
KIND_COLORS = {"valid": GOOD, "spam": BAD, "repeat": PALETTE[4], "emoji_only": NEUTRAL}

register({
    "interaction_chart_keywords": ("弹幕高频词（有效弹幕，分词后）",
                                   "Top comment keywords (valid comments, segmented)"),
    "interaction_chart_keyword": ("关键词", "Keyword"),
    "interaction_chart_count": ("出现次数", "Occurrences"),
    "interaction_chart_kinds": ("弹幕类型构成", "Comment kinds"),
    "interaction_chart_kind": ("类型", "Kind"),
    "interaction_chart_comments": ("条数", "Comments"),
    "interaction_chart_share": ("占比", "Share"),
})


def keyword_bars(keywords: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Horizontal bars of keyword counts (a "keyword cloud" substitute); columns ``keyword, count``."""
    return alt.Chart(keywords, title=t("interaction_chart_keywords", lang), width=WIDTH,
                     height=max(120, 18 * len(keywords))).mark_bar(color=PALETTE[0]).encode(
        x=alt.X("count:Q", title=t("interaction_chart_count", lang)),
        y=alt.Y("keyword:N", sort="-x", title=t("interaction_chart_keyword", lang)),
        tooltip=[alt.Tooltip("keyword:N", title=t("interaction_chart_keyword", lang)),
                 alt.Tooltip("count:Q", title=t("interaction_chart_count", lang))])


def comment_kinds(kinds: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Donut of viewer comments by kind; columns ``kind, label, count, share``."""
    domain = [k for k in KIND_COLORS if k in set(kinds["kind"])]
    labels = kinds.set_index("kind").loc[domain, "label"].tolist()
    chart = alt.Chart(kinds, title=t("interaction_chart_kinds", lang), width=280, height=240)
    return chart.mark_arc(innerRadius=60).encode(
        theta=alt.Theta("count:Q"),
        color=alt.Color("label:N", title=t("interaction_chart_kind", lang),
                        scale=alt.Scale(domain=labels, range=[KIND_COLORS[k] for k in domain])),
        tooltip=[alt.Tooltip("label:N", title=t("interaction_chart_kind", lang)),
                 alt.Tooltip("count:Q", title=t("interaction_chart_comments", lang)),
                 alt.Tooltip("share:Q", title=t("interaction_chart_share", lang), format=".1%")])
