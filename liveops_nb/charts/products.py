"""Charts for the products section (商品与讲解): GMV by product, click vs conversion, pitch performance."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..metrics import REGISTRY
from ..render.i18n import Lang, register, t
from .theme import NEUTRAL, PALETTE, page_width

ROLE_COLORS = {"traffic_driver": PALETTE[1], "profit": PALETTE[0], "regular": NEUTRAL}

register({
    "products_role_traffic_driver": ("引流款", "Traffic driver"),
    "products_role_profit": ("利润款", "Profit item"),
    "products_role_regular": ("常规款", "Regular"),
    "products_chart_gmv": ("各商品成交额", "GMV by product"),
    "products_chart_scatter": ("商品点击率 × 点击-成交转化（气泡大小 = 成交额）",
                               "Click rate × click→order conversion (bubble size = GMV)"),
    "products_chart_pitch": ("讲解表现：讲解期间平均在线 × 讲解期间成交额",
                             "Pitch performance: avg online vs GMV during the pitch"),
    "products_chart_product": ("商品", "Product"),
    "products_chart_role": ("角色", "Role"),
    "products_chart_gmv_axis": ("成交额（元）", "GMV (CNY)"),
    "products_chart_online": ("讲解期间平均在线", "Avg online during pitch"),
    "products_chart_pitch_gmv": ("讲解期间成交额（元，全场）", "GMV during pitch (CNY, whole room)"),
    "products_chart_start": ("开播后第几分钟", "Minute after start"),
    "products_chart_minutes": ("讲解分钟", "Pitch minutes"),
})


def role_label(role: str, lang: Lang = "zh") -> str:
    """Bilingual label of a product role (``traffic_driver`` / ``profit`` / ``regular``)."""
    return t(f"products_role_{role}", lang)


def _role_color(lang: Lang) -> alt.Color:
    roles = list(ROLE_COLORS)
    return alt.Color("role_label:N", title=t("products_chart_role", lang),
                     scale=alt.Scale(domain=[role_label(r, lang) for r in roles],
                                     range=[ROLE_COLORS[r] for r in roles]))


def _with_labels(df: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    out = df.copy()
    out["role_label"] = [role_label(r, lang) for r in out["role"]]
    return out


def gmv_by_product(product_table: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Horizontal bars of GMV per product, coloured by role and labelled with the GMV (``products.product_table``)."""
    df = _with_labels(product_table[["name", "role", "gmv", "units"]], lang)
    df = df.assign(text=[f"¥{g:,.0f}" if g == g else "—" for g in df["gmv"]])
    order = list(df.sort_values("gmv", ascending=False, kind="stable")["name"])
    x = alt.X("gmv:Q", title=t("products_chart_gmv_axis", lang),
              scale=alt.Scale(domain=[0, float(df["gmv"].max() or 1) * 1.15]))
    y = alt.Y("name:N", sort=order, title=t("products_chart_product", lang))
    tips = [alt.Tooltip("name:N", title=t("products_chart_product", lang)),
            alt.Tooltip("role_label:N", title=t("products_chart_role", lang)),
            alt.Tooltip("gmv:Q", title=t("products_chart_gmv_axis", lang), format=",.0f"),
            alt.Tooltip("units:Q", title=REGISTRY["units"].label(lang))]
    bars = alt.Chart(df).mark_bar().encode(x=x, y=y, color=_role_color(lang), tooltip=tips)
    text = alt.Chart(df).mark_text(align="left", dx=3, fontSize=11, color="#262626").encode(
        x=x, y=y, text="text:N", tooltip=tips)
    return alt.LayerChart(layer=[bars, text]).properties(title=t("products_chart_gmv", lang), width=page_width(220),
                                            height=max(120, 20 * len(df)))


def _point_labels(chart: alt.Chart, x: alt.X, y: alt.Y) -> alt.Chart:
    """The product's name beside each point (readable without hovering, also in a static report)."""
    return chart.mark_text(align="left", dx=7, dy=-7, fontSize=11, color="#262626").encode(
        x=x, y=y, text="label:N")


def click_vs_conversion(product_table: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Scatter of product click rate vs click→order conversion, sized by GMV, coloured by role, points named."""
    df = _with_labels(product_table[["name", "role", "gmv", "product_click_rate", "click_to_order_rate"]], lang)
    df = df.dropna(subset=["product_click_rate", "click_to_order_rate"])
    df = df.assign(label=[_short(n) for n in df["name"]])
    click, conv = REGISTRY["product_click_rate"].label(lang), REGISTRY["click_to_order_rate"].label(lang)
    # room beyond the largest point for its name
    x = alt.X("product_click_rate:Q", title=click, axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, _room(df["product_click_rate"])]))
    y = alt.Y("click_to_order_rate:Q", title=conv, axis=alt.Axis(format="%"),
              scale=alt.Scale(domain=[0, _room(df["click_to_order_rate"])]))
    chart = alt.Chart(df)
    points = chart.mark_circle(opacity=0.75).encode(
        x=x, y=y,
        size=alt.Size("gmv:Q", title=t("products_chart_gmv_axis", lang)),
        color=_role_color(lang),
        tooltip=[alt.Tooltip("name:N", title=t("products_chart_product", lang)),
                 alt.Tooltip("role_label:N", title=t("products_chart_role", lang)),
                 alt.Tooltip("product_click_rate:Q", title=click, format=".1%"),
                 alt.Tooltip("click_to_order_rate:Q", title=conv, format=".1%"),
                 alt.Tooltip("gmv:Q", title=t("products_chart_gmv_axis", lang), format=",.0f")])
    return alt.LayerChart(layer=[points, _point_labels(chart, x, y)]).properties(
        title=t("products_chart_scatter", lang), width=page_width(220), height=320)


def _room(values: pd.Series) -> float:
    """An axis end 15 % beyond the largest value, so the label beside the outermost point stays inside the chart."""
    top = float(pd.to_numeric(values, errors="coerce").max()) if len(values) else 0.0
    return top * 1.15 if top == top and top > 0 else 1.0


def _short(name: object, limit: int = 10) -> str:
    """A product name short enough to sit beside a point."""
    text = str(name)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def pitch_performance(pitch_table: pd.DataFrame, lang: Lang = "zh") -> alt.LayerChart:
    """Scatter, one point per pitch (named): average online during it vs GMV during it (``products.pitch_table``)."""
    df = _with_labels(pitch_table[["name", "role", "start_offset", "minutes", "avg_online", "gmv"]], lang)
    df = df.assign(label=[_short(n) for n in df["name"]])
    x = alt.X("avg_online:Q", title=t("products_chart_online", lang),
              scale=alt.Scale(domain=[0, _room(df["avg_online"])]))
    y = alt.Y("gmv:Q", title=t("products_chart_pitch_gmv", lang), scale=alt.Scale(domain=[0, _room(df["gmv"])]))
    chart = alt.Chart(df)
    points = chart.mark_circle(size=90, opacity=0.8).encode(
        x=x, y=y,
        color=_role_color(lang),
        tooltip=[alt.Tooltip("name:N", title=t("products_chart_product", lang)),
                 alt.Tooltip("role_label:N", title=t("products_chart_role", lang)),
                 alt.Tooltip("start_offset:Q", title=t("products_chart_start", lang), format=".0f"),
                 alt.Tooltip("minutes:Q", title=t("products_chart_minutes", lang), format=".0f"),
                 alt.Tooltip("avg_online:Q", title=t("products_chart_online", lang), format=",.0f"),
                 alt.Tooltip("gmv:Q", title=t("products_chart_pitch_gmv", lang), format=",.0f")])
    return alt.LayerChart(layer=[points, _point_labels(chart, x, y)]).properties(
        title=t("products_chart_pitch", lang), width=page_width(220), height=320)
