"""Charts for the interaction section (互动与弹幕): keyword bars and comment kinds."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import BAD, GOOD, NEUTRAL, PALETTE, page_width

KIND_COLORS = {"valid": GOOD, "spam": BAD, "repeat": PALETTE[4], "emoji_only": NEUTRAL}

register({
    "interaction_chart_keywords": ("弹幕热词与短语（有效弹幕；至少 {n} 条弹幕提到）",
                                   "Comment keywords and phrases (valid comments; each in at least {n} comments)"),
    "interaction_chart_keyword": ("关键词 / 短语", "Keyword / phrase"),
    "interaction_chart_count": ("提到的弹幕条数", "Comments mentioning it"),
    "interaction_chart_kinds": ("弹幕类型构成", "Comment kinds"),
    "interaction_chart_kind": ("类型", "Kind"),
    "interaction_chart_comments": ("条数", "Comments"),
    "interaction_chart_share": ("占比", "Share"),
})


def keyword_bars(keywords: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Horizontal bars of the comments mentioning each keyword or phrase, labelled with the number; columns
    ``keyword, count``."""
    from ..comments.keywords import MIN_SUPPORT

    order = list(keywords.sort_values("count", ascending=False, kind="stable")["keyword"])
    y = alt.Y("keyword:N", sort=order, title=t("interaction_chart_keyword", lang))
    x = alt.X("count:Q", title=t("interaction_chart_count", lang),
              scale=alt.Scale(domain=[0, float(keywords["count"].max() or 1) * 1.15]))
    tips = [alt.Tooltip("keyword:N", title=t("interaction_chart_keyword", lang)),
            alt.Tooltip("count:Q", title=t("interaction_chart_count", lang))]
    bars = alt.Chart(keywords).mark_bar(color=PALETTE[0]).encode(x=x, y=y, tooltip=tips)
    text = alt.Chart(keywords).mark_text(align="left", dx=3, fontSize=11, color="#262626").encode(
        x=x, y=y, text=alt.Text("count:Q", format=","), tooltip=tips)
    return alt.LayerChart(layer=[bars, text]).properties(title=t("interaction_chart_keywords", lang, n=MIN_SUPPORT),
                                            width=page_width(200), height=max(120, 20 * len(keywords)))


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
