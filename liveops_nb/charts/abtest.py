"""A/B-test charts: forest plot of relative effects and the cumulative effect over time."""
from __future__ import annotations

import altair as alt
import pandas as pd

from liveops_nb.charts.theme import BAD, GOOD, NEUTRAL, PALETTE
from liveops_nb.render.i18n import Lang, register, t

register({
    "abtest_chart_forest": ("相对效果与区间", "Relative effect with interval"),
    "abtest_chart_time": ("累计效果随时间变化", "Cumulative effect over time"),
    "abtest_chart_effect": ("相对效果（实验组 vs 对照组）", "Relative effect (treatment vs control)"),
    "abtest_chart_comparison": ("指标 · 实验组", "Metric · treatment"),
    "abtest_chart_day": ("日期", "Day"),
    "abtest_chart_low": ("区间下限", "Interval low"),
    "abtest_chart_high": ("区间上限", "Interval high"),
    "abtest_chart_p": ("p 值", "p-value"),
    "abtest_chart_treatment": ("实验组", "Treatment"),
    "abtest_chart_n": ("样本（对照/实验）", "Units (control/treatment)"),
})

WIDTH = 680
OUTCOME_COLORS = {"good": GOOD, "bad": BAD, "neutral": NEUTRAL}


def forest(df: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Forest plot: one row per comparison.

    Parameters
    ----------
    df : DataFrame
        ``label, effect, ci_low, ci_high, p_value, outcome`` (outcome: good / bad / neutral;
        infinite interval ends already clipped for display).
    """
    y = alt.Y("label:N", title=t("abtest_chart_comparison", lang), sort=None)
    color = alt.Color("outcome:N", scale=alt.Scale(domain=list(OUTCOME_COLORS), range=list(OUTCOME_COLORS.values())),
                      legend=None)
    tips = [alt.Tooltip("label:N", title=t("abtest_chart_comparison", lang)),
            alt.Tooltip("effect:Q", title=t("abtest_chart_effect", lang), format="+.1%"),
            alt.Tooltip("ci_low:Q", title=t("abtest_chart_low", lang), format="+.1%"),
            alt.Tooltip("ci_high:Q", title=t("abtest_chart_high", lang), format="+.1%"),
            alt.Tooltip("p_value:Q", title=t("abtest_chart_p", lang), format=".3f")]
    base = alt.Chart(df)
    bars = base.mark_rule(strokeWidth=3).encode(
        x=alt.X("ci_low:Q", title=t("abtest_chart_effect", lang), axis=alt.Axis(format="+.0%")),
        x2="ci_high:Q", y=y, color=color, tooltip=tips)
    dots = base.mark_point(filled=True, size=90).encode(x="effect:Q", y=y, color=color, tooltip=tips)
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#595959", strokeDash=[4, 3]).encode(x="x:Q")
    height = max(60, 34 * len(df))
    return (bars + dots + zero).properties(width=WIDTH, height=height, title=t("abtest_chart_forest", lang))


def over_time(df: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Cumulative relative effect by day with its interval band, one colour per treatment.

    Parameters
    ----------
    df : DataFrame
        ``day, treatment, effect, ci_low, ci_high, n_control, n_treatment`` (rows with NaN are skipped).
    """
    d = df.dropna(subset=["effect"]).copy()
    d["n"] = d.n_control.astype(int).astype(str) + " / " + d.n_treatment.astype(int).astype(str)
    x = alt.X("day:T", title=t("abtest_chart_day", lang), axis=alt.Axis(format="%m-%d"))
    color = alt.Color("treatment:N", title=t("abtest_chart_treatment", lang), scale=alt.Scale(range=PALETTE))
    tips = [alt.Tooltip("day:T", title=t("abtest_chart_day", lang), format="%Y-%m-%d"),
            alt.Tooltip("treatment:N", title=t("abtest_chart_treatment", lang)),
            alt.Tooltip("effect:Q", title=t("abtest_chart_effect", lang), format="+.1%"),
            alt.Tooltip("ci_low:Q", title=t("abtest_chart_low", lang), format="+.1%"),
            alt.Tooltip("ci_high:Q", title=t("abtest_chart_high", lang), format="+.1%"),
            alt.Tooltip("n:N", title=t("abtest_chart_n", lang))]
    base = alt.Chart(d)
    band = base.mark_area(opacity=0.18).encode(x=x, y=alt.Y("ci_low:Q"), y2="ci_high:Q", color=color)
    line = base.mark_line(point=True).encode(
        x=x, y=alt.Y("effect:Q", title=t("abtest_chart_effect", lang), axis=alt.Axis(format="+.0%")),
        color=color, tooltip=tips)
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#595959", strokeDash=[4, 3]).encode(y="y:Q")
    return (band + line + zero).properties(width=WIDTH, height=240, title=t("abtest_chart_time", lang))
