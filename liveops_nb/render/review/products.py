"""Rendering of section 5 — 商品与讲解 Products and pitches: notes, tables and charts in 中文 or English.

Turns :class:`liveops_nb.review.products.ProductsData` into displayable items.
"""
from __future__ import annotations

import pandas as pd

from ...charts import products as charts
from ...charts.products import role_label
from ...metrics import REGISTRY
from ...review.products import ProductsData
from ...schema import PRODUCT_STATS
from ..fmt import fmt_value
from ..html import note, table
from ..i18n import Lang, register, t
from . import sample

__all__ = ["display_mix", "display_table", "render", "role_label"]

register({
    "products_unavailable": ("商品明细：此数据源无法提供（需要 product_stats 表，或 events + orders 明细）",
                             "Product detail: not available from this source (needs product_stats, or events + orders)"),
    "products_no_pitches": ("讲解记录：此数据源无法提供（需要讲解表和分钟级数据）",
                            "Pitch records: not available from this source (needs the product pitches and minute-level stats)"),
    "products_empty": ("本场没有商品数据", "No product activity in this session"),
    "products_name": ("商品", "Product"),
    "products_role": ("角色", "Role"),
    "products_price": ("标价", "List price"),
    "products_pitch_minutes": ("讲解分钟", "Pitch minutes"),
    "products_pitch_gmv": ("讲解期间成交额(全场)", "GMV during pitch (whole room)"),
    "products_pitch_online": ("讲解期间平均在线", "Avg online during pitch"),
    "products_n": ("商品数", "Products"),
    "products_gmv_share": ("成交额占比", "GMV share"),
    "products_units_share": ("件数占比", "Units share"),
    "products_mix_title": ("引流款 / 利润款结构", "Traffic-driver vs profit mix"),
    "products_high_share": ("高客单商品（标价前25%）成交额占比：{v}", "High-price products (top 25% list price) share of GMV: {v}"),
    "products_top": ("成交额最高：{name}（{gmv}）", "Top product by GMV: {name} ({gmv})"),
})


def display_table(pt: pd.DataFrame, lang: Lang = "zh", pitches: bool = False) -> pd.DataFrame:
    """The product table as formatted text (pitch columns when ``pitches``)."""
    def col(name: str) -> str:
        return PRODUCT_STATS.column(name).zh if lang == "zh" else PRODUCT_STATS.column(name).en

    out = pd.DataFrame({
        t("products_name", lang): pt["name"],
        t("products_role", lang): [role_label(r, lang) for r in pt["role"]],
        t("products_price", lang): [fmt_value(v, "CNY", lang) for v in pt["list_price"]],
        col("gmv"): [fmt_value(v, "CNY", lang) for v in pt["gmv"]],
        col("units"): [fmt_value(v, "units", lang) for v in pt["units"]],
        # rates flagged when they rest on few people: impressed people (click rate), clicking people (conversion)
        REGISTRY["product_click_rate"].label(lang): [sample.rate(v, n, lang) for v, n in
                                                     zip(pt["product_click_rate"], pt["impression_uv"], strict=True)],
        REGISTRY["click_to_order_rate"].label(lang): [sample.rate(v, n, lang) for v, n in
                                                      zip(pt["click_to_order_rate"], pt["click_uv"], strict=True)],
        col("refund_amount"): [fmt_value(v, "CNY", lang) for v in pt["refund_amount"]],
    })
    if pitches:
        out[t("products_pitch_minutes", lang)] = [fmt_value(v, "minutes", lang) for v in pt["pitch_minutes"]]
        out[t("products_pitch_gmv", lang)] = [fmt_value(v, "CNY", lang) for v in pt["pitch_gmv"]]
        out[t("products_pitch_online", lang)] = [fmt_value(v, "people", lang) for v in pt["pitch_avg_online"]]
    return out


def display_mix(mix: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """The role mix as formatted text."""
    return pd.DataFrame({
        t("products_role", lang): [role_label(r, lang) for r in mix["role"]],
        t("products_n", lang): [fmt_value(v, "count", lang) for v in mix["products"]],
        REGISTRY["gmv"].label(lang): [fmt_value(v, "CNY", lang) for v in mix["gmv"]],
        t("products_gmv_share", lang): [fmt_value(v, "ratio", lang) for v in mix["gmv_share"]],
        REGISTRY["units"].label(lang): [fmt_value(v, "units", lang) for v in mix["units"]],
        t("products_units_share", lang): [fmt_value(v, "ratio", lang) for v in mix["units_share"]],
    })


def render(data: ProductsData, lang: Lang = "zh") -> list:
    """Product table, role mix, and charts (GMV by product, click vs conversion, pitch performance)."""
    if not data.available:
        return [note(t("products_unavailable", lang), "na")]
    if data.table.empty:
        return [note(t("products_empty", lang), "info")]
    pt = data.table
    top = pt.iloc[0]
    shown, mix = display_table(pt, lang, data.pitches_available), display_mix(data.mix, lang)
    items: list = [note(t("products_top", lang, name=top["name"], gmv=fmt_value(top["gmv"], "CNY", lang)), "info"),
                   table(shown, numeric=shown.columns[2:]) + "".join(sample.explain(
                       [*pt.loc[pt["product_click_rate"].notna(), "impression_uv"],
                        *pt.loc[pt["click_to_order_rate"].notna(), "click_uv"]], lang)),
                   charts.gmv_by_product(pt, lang), charts.click_vs_conversion(pt, lang),
                   note(t("products_mix_title", lang), "info"), table(mix, numeric=mix.columns[1:]),
                   note(t("products_high_share", lang, v=fmt_value(data.high_price_share, "ratio", lang)), "info")]
    if data.pitches_available and not data.pitches.empty:
        items.append(charts.pitch_performance(data.pitches, lang))
    else:
        items.append(note(t("products_no_pitches", lang), "na"))
    return items
