"""Charts of the segment board (Altair): layers, the cohort triangle, returning shares, tiers, retention."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ...charts.theme import PALETTE
from ...metrics import REGISTRY
from ..i18n import Lang, t
from .text import layer_name

WIDTH = 640
LAYER_COLORS = ["#36B37E", "#2F6BFF", "#9254DE", "#FF7A45", "#8C8C8C"]


def layer_bars(board: pd.DataFrame, lang: Lang) -> alt.Chart:
    """Buyers per layer (bars, labelled with the GMV share)."""
    df = board.assign(name=[layer_name(x, lang) for x in board["layer"]])
    names = df["name"].tolist()
    base = alt.Chart(df, width=WIDTH, height=26 * len(df) + 20)
    bars = base.mark_bar().encode(
        x=alt.X("buyers:Q", title=t("seg_col_buyers", lang)),
        y=alt.Y("name:N", sort=names, title=t("seg_col_layer", lang)),
        color=alt.Color("name:N", scale=alt.Scale(domain=names, range=LAYER_COLORS), legend=None),
        tooltip=[alt.Tooltip("name:N", title=t("seg_col_layer", lang)),
                 alt.Tooltip("buyers:Q", title=t("seg_col_buyers", lang)),
                 alt.Tooltip("gmv_share:Q", title=t("seg_col_gmv_share", lang), format=".1%")])
    labels = base.mark_text(align="left", dx=4, color="#595959").encode(
        x="buyers:Q", y=alt.Y("name:N", sort=names), text=alt.Text("gmv_share:Q", format=".1%"))
    return bars + labels


def cohort_heatmap(cells: pd.DataFrame, lang: Lang) -> alt.Chart:
    """The retention triangle: first-purchase month × months since, coloured and labelled by retention."""
    df = cells.assign(cohort_label=pd.to_datetime(cells["cohort"]).dt.strftime("%Y-%m"))
    base = alt.Chart(df, title=t("seg_cohort_title", lang),
                     width=min(WIDTH, max(240, 70 * (int(df["offset"].max()) + 1))),
                     height=28 * df["cohort_label"].nunique())
    x = alt.X("offset:O", title=t("seg_cohort_offset", lang), axis=alt.Axis(labelAngle=0))
    y = alt.Y("cohort_label:O", title=t("seg_cohort", lang))
    rect = base.mark_rect().encode(
        x=x, y=y, color=alt.Color("retention:Q", title=t("seg_retention", lang), scale=alt.Scale(scheme="blues"),
                                  legend=alt.Legend(format="%", orient="right")),
        tooltip=[alt.Tooltip("cohort_label:O", title=t("seg_cohort", lang)),
                 alt.Tooltip("offset:O", title=t("seg_cohort_offset", lang)),
                 alt.Tooltip("cohort_buyers:Q", title=t("seg_cohort_size", lang)),
                 alt.Tooltip("buyers:Q", title=t("seg_buyers", lang)),
                 alt.Tooltip("retention:Q", title=t("seg_retention", lang), format=".1%")])
    text = base.mark_text(fontSize=11).encode(
        x=x, y=y, text=alt.Text("retention:Q", format=".1%"),
        color=alt.condition("datum.retention > 0.5", alt.value("white"), alt.value("#262626")))
    return rect + text


def returning_lines(trend: pd.DataFrame, lang: Lang) -> alt.Chart:
    """Returning viewer and buyer shares per week or month."""
    names = {"returning_viewer_share": t("seg_returning_viewer_share", lang),
             "returning_buyer_share": t("seg_returning_buyer_share", lang)}
    long = trend.melt(id_vars="bucket", value_vars=list(names), var_name="kind", value_name="share")
    long["kind"] = long["kind"].map(names)
    return alt.Chart(long, title=t("seg_nr_title", lang), width=WIDTH, height=200).mark_line(point=True).encode(
        x=alt.X("bucket:T", title=t("seg_bucket", lang), axis=alt.Axis(format="%Y-%m-%d")),
        y=alt.Y("share:Q", title=t("seg_share", lang), axis=alt.Axis(format="%")),
        color=alt.Color("kind:N", title=t("seg_group", lang), scale=alt.Scale(range=[PALETTE[0], PALETTE[1]])),
        tooltip=[alt.Tooltip("bucket:T", title=t("seg_bucket", lang), format="%Y-%m-%d"),
                 alt.Tooltip("kind:N", title=t("seg_group", lang)),
                 alt.Tooltip("share:Q", title=t("seg_share", lang), format=".1%")])


def tier_bars(tiers: pd.DataFrame, lang: Lang) -> alt.Chart:
    """Buyers and GMV share per spending tier (``label`` column already in words)."""
    order = tiers["label"].tolist()
    return alt.Chart(tiers, title=t("seg_tier_title", lang), width=WIDTH, height=26 * len(tiers) + 20).mark_bar(
        color=PALETTE[3]).encode(
        x=alt.X("buyers:Q", title=t("seg_col_buyers", lang)),
        y=alt.Y("label:N", sort=order, title=t("seg_tier", lang)),
        tooltip=[alt.Tooltip("label:N", title=t("seg_tier", lang)),
                 alt.Tooltip("buyers:Q", title=t("seg_col_buyers", lang)),
                 alt.Tooltip("gmv_share:Q", title=t("seg_col_gmv_share", lang), format=".1%")])


def retention_lines(trend: pd.DataFrame, keys: tuple[str, ...], lang: Lang) -> alt.Chart:
    """The registry's next-day return and repurchase rates per week or month."""
    names = {k: REGISTRY[k].label(lang) for k in keys}
    long = trend.melt(id_vars="bucket", value_vars=list(keys), var_name="kind", value_name="rate").dropna()
    long["kind"] = long["kind"].map(names)
    return alt.Chart(long, title=t("seg_ret_title", lang), width=WIDTH, height=200).mark_line(point=True).encode(
        x=alt.X("bucket:T", title=t("seg_bucket", lang), axis=alt.Axis(format="%Y-%m-%d")),
        y=alt.Y("rate:Q", title=t("seg_value", lang), axis=alt.Axis(format="%")),
        color=alt.Color("kind:N", title=t("seg_metric", lang), scale=alt.Scale(range=[PALETTE[2], PALETTE[4]])),
        tooltip=[alt.Tooltip("bucket:T", title=t("seg_bucket", lang), format="%Y-%m-%d"),
                 alt.Tooltip("kind:N", title=t("seg_metric", lang)),
                 alt.Tooltip("rate:Q", title=t("seg_value", lang), format=".1%")])
