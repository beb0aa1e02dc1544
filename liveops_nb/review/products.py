"""Section 5 — 商品与讲解 Products and pitches.

Per product of the session: role, GMV, product click rate and click→order
conversion (the registry definitions ``product_click_rate`` and
``click_to_order_rate`` applied to the product's own people counts), refunds,
and its pitches (讲解): pitch minutes, GMV during the pitch and average online
during the pitch, both from ``minute_stats`` (session-wide, all products).

Definitions
-----------
* A minute bucket ``[m, m + 1 min)`` belongs to a pitch ``[start, end)`` when
  the two overlap. GMV during a pitch is the sum of ``minute_stats.gmv`` over
  its minutes; average online is the mean of ``minute_stats.online`` over them
  (over all minutes of all pitches when a product is pitched more than once).
* High-price product (高客单): list price at or above the 75th percentile
  (linear interpolation) of the list prices of the products in the session.
  The high-order-value share is the share of GMV from high-price products.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..charts import products as charts
from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..metrics import REGISTRY
from ..schema import PRODUCT_STATS
from ..render.html import note, table

TITLE = ("商品与讲解", "Products and pitches")
ROLES: tuple[str, ...] = ("traffic_driver", "profit", "regular")
HIGH_PRICE_QUANTILE = 0.75

register({
    "products_unavailable": ("商品明细：此数据源无法提供（需要 product_stats 表，或 events + orders 明细）",
                             "Product detail: not available from this source (needs product_stats, or events + orders)"),
    "products_no_pitches": ("讲解记录：此数据源无法提供（需要 pitches 表和 minute_stats）",
                            "Pitch records: not available from this source (needs pitches and minute_stats)"),
    "products_empty": ("本场没有商品数据", "No product activity in this session"),
    "products_name": ("商品", "Product"),
    "products_role": ("角色", "Role"),
    "products_price": ("标价", "List price"),
    "products_refund_rate": ("退款率", "Refund rate"),
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


@dataclass(frozen=True)
class ProductsData:
    """What the products section shows for one session."""

    session_id: str
    available: bool
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    mix: pd.DataFrame = field(default_factory=pd.DataFrame)
    pitches: pd.DataFrame = field(default_factory=pd.DataFrame)
    pitches_available: bool = False
    high_price_share: float | None = None


def registry_ratio(num: pd.Series | float, den: pd.Series | float, key: str):
    """Apply registered ratio metric ``key`` to given numerator/denominator values (NaN where den <= 0).

    Used for per-product or per-window values of a registered rate, so they
    keep the registry's definition (numerator, denominator and scale).
    """
    m = REGISTRY[key]
    if not m.is_ratio:
        raise ValueError(f"metric '{key}' is not a ratio")
    num_s, den_s = pd.Series(num, dtype="float64"), pd.Series(den, dtype="float64")
    out = (num_s / den_s.where(den_s > 0)) * m.scale
    if np.isscalar(num) and np.isscalar(den):
        v = out.iloc[0]
        return None if pd.isna(v) else float(v)
    return out


def pitch_table(pitches: pd.DataFrame, products: pd.DataFrame, minute_stats: pd.DataFrame) -> pd.DataFrame:
    """One row per pitch with its minutes, GMV during it and average online during it.

    Returns columns ``product_id, name, role, list_price, start, end, start_offset`` (minutes after
    the first minute of ``minute_stats``), ``minutes`` (pitch length), ``n_minutes`` (minute
    buckets), ``online_sum``, ``avg_online``, ``gmv`` (sum of ``minute_stats.gmv`` in its minutes).
    """
    cols = ["product_id", "name", "role", "list_price", "start", "end", "start_offset", "minutes",
            "n_minutes", "online_sum", "avg_online", "gmv"]
    if pitches is None or pitches.empty:
        return pd.DataFrame(columns=cols)
    m = minute_stats.sort_values("minute")
    origin = m["minute"].min() if not m.empty else None
    rows = []
    for p in pitches.itertuples(index=False):
        inside = m[(m["minute"] < p.end) & (m["minute"] + pd.Timedelta(minutes=1) > p.start)]
        n = len(inside)
        online_sum = float(inside["online"].sum())
        rows.append({"product_id": p.product_id, "start": p.start, "end": p.end,
                     "start_offset": (p.start - origin).total_seconds() / 60 if origin is not None else np.nan,
                     "minutes": (p.end - p.start).total_seconds() / 60, "n_minutes": n, "online_sum": online_sum,
                     "avg_online": online_sum / n if n else np.nan, "gmv": float(inside["gmv"].sum())})
    out = pd.DataFrame(rows).merge(products[["product_id", "name", "role", "list_price"]], on="product_id", how="left")
    return out[cols].sort_values("start").reset_index(drop=True)


def product_table(product_stats: pd.DataFrame, products: pd.DataFrame, pitches: pd.DataFrame | None,
                  minute_stats: pd.DataFrame | None) -> pd.DataFrame:
    """One row per product of the session, sorted by GMV (descending).

    Parameters
    ----------
    product_stats : one session's ``product_stats`` rows.
    products : the ``products`` catalogue.
    pitches, minute_stats : one session's rows, or None when not available (pitch columns are NaN).

    Returns
    -------
    DataFrame with ``product_id, name, role, list_price, impression_uv, click_uv, buyers, orders, units,
    gmv, refund_amount, product_click_rate, click_to_order_rate, refund_rate, high_price, pitches,
    pitch_minutes, pitch_gmv, pitch_avg_online``.
    """
    stats = product_stats.drop(columns=["session_id"], errors="ignore")
    ids = pd.Index(stats["product_id"]).append(pd.Index([] if pitches is None else pitches["product_id"])).unique()
    df = pd.DataFrame({"product_id": ids}).merge(stats, on="product_id", how="left")
    num = ["impression_uv", "click_uv", "buyers", "orders", "units", "gmv", "refund_amount"]
    df[num] = df[num].fillna(0).astype("float64")
    df = df.merge(products[["product_id", "name", "role", "list_price"]], on="product_id", how="left")
    df["product_click_rate"] = registry_ratio(df["click_uv"], df["impression_uv"], "product_click_rate")
    df["click_to_order_rate"] = registry_ratio(df["buyers"], df["click_uv"], "click_to_order_rate")
    df["refund_rate"] = registry_ratio(df["refund_amount"], df["gmv"], "refund_rate")
    cut = np.quantile(df["list_price"].dropna(), HIGH_PRICE_QUANTILE) if df["list_price"].notna().any() else np.inf
    df["high_price"] = df["list_price"] >= cut
    if pitches is not None and minute_stats is not None and not pitches.empty:
        pt = pitch_table(pitches, products, minute_stats)
        agg = pt.groupby("product_id").agg(pitches=("start", "size"), pitch_minutes=("minutes", "sum"),
                                          pitch_gmv=("gmv", "sum"), online_sum=("online_sum", "sum"),
                                          n_minutes=("n_minutes", "sum")).reset_index()
        agg["pitch_avg_online"] = agg["online_sum"] / agg["n_minutes"].where(agg["n_minutes"] > 0)
        df = df.merge(agg.drop(columns=["online_sum", "n_minutes"]), on="product_id", how="left")
        df["pitches"] = df["pitches"].fillna(0)
    else:
        for c in ("pitches", "pitch_minutes", "pitch_gmv", "pitch_avg_online"):
            df[c] = np.nan
    return df.sort_values(["gmv", "product_id"], ascending=[False, True]).reset_index(drop=True)


def role_mix(product_table: pd.DataFrame) -> pd.DataFrame:
    """GMV and units by product role: ``role, products, gmv, gmv_share, units, units_share``.

    One row per role in :data:`ROLES` order (roles with no product included, with zeros);
    shares are NaN when the session has no GMV (or no units).
    """
    g = product_table.groupby("role").agg(products=("product_id", "size"), gmv=("gmv", "sum"), units=("units", "sum"))
    g = g.reindex(list(ROLES), fill_value=0).reset_index().rename(columns={"index": "role"})
    tot_gmv, tot_units = g["gmv"].sum(), g["units"].sum()
    g["gmv_share"] = g["gmv"] / tot_gmv if tot_gmv > 0 else np.nan
    g["units_share"] = g["units"] / tot_units if tot_units > 0 else np.nan
    return g[["role", "products", "gmv", "gmv_share", "units", "units_share"]]


def high_price_share(product_table: pd.DataFrame) -> float | None:
    """Share of GMV from high-price products (column ``high_price``); None when GMV is 0."""
    total = product_table["gmv"].sum()
    if total <= 0:
        return None
    return float(product_table.loc[product_table["high_price"].astype(bool), "gmv"].sum() / total)


# ---------------------------------------------------------------------------------------- orchestration
def build(ds, session_id: str, *, lang: Lang = "zh", **options) -> ProductsData:
    """Collect the products section for ``session_id`` (see module docstring)."""
    ds.session(session_id)
    if not (ds.has("product_stats") and ds.has("products")):
        return ProductsData(session_id, available=False)
    products = ds.frame("products")
    stats = ds.frame("product_stats", session_id)
    has_pitch = ds.has("pitches") and ds.has("minute_stats")
    pitches = ds.frame("pitches", session_id) if has_pitch else None
    minute = ds.frame("minute_stats", session_id) if has_pitch else None
    pt = product_table(stats, products, pitches, minute)
    return ProductsData(session_id, True, pt, role_mix(pt),
                        pitch_table(pitches, products, minute) if has_pitch else pd.DataFrame(),
                        has_pitch, high_price_share(pt))


def role_label(role: str, lang: Lang = "zh") -> str:
    return charts.role_label(role, lang)


def _display_table(pt: pd.DataFrame, lang: Lang, pitches: bool) -> pd.DataFrame:
    def col(name: str) -> str:
        return PRODUCT_STATS.column(name).zh if lang == "zh" else PRODUCT_STATS.column(name).en

    out = pd.DataFrame({
        t("products_name", lang): pt["name"],
        t("products_role", lang): [role_label(r, lang) for r in pt["role"]],
        t("products_price", lang): [fmt_value(v, "CNY", lang) for v in pt["list_price"]],
        col("gmv"): [fmt_value(v, "CNY", lang) for v in pt["gmv"]],
        col("units"): [fmt_value(v, "units", lang) for v in pt["units"]],
        REGISTRY["product_click_rate"].label(lang): [fmt_value(v, "ratio", lang) for v in pt["product_click_rate"]],
        REGISTRY["click_to_order_rate"].label(lang): [fmt_value(v, "ratio", lang) for v in pt["click_to_order_rate"]],
        col("refund_amount"): [fmt_value(v, "CNY", lang) for v in pt["refund_amount"]],
    })
    if pitches:
        out[t("products_pitch_minutes", lang)] = [fmt_value(v, "minutes", lang) for v in pt["pitch_minutes"]]
        out[t("products_pitch_gmv", lang)] = [fmt_value(v, "CNY", lang) for v in pt["pitch_gmv"]]
        out[t("products_pitch_online", lang)] = [fmt_value(v, "people", lang) for v in pt["pitch_avg_online"]]
    return out


def _display_mix(mix: pd.DataFrame, lang: Lang) -> pd.DataFrame:
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
    shown, mix = _display_table(pt, lang, data.pitches_available), _display_mix(data.mix, lang)
    items: list = [note(t("products_top", lang, name=top["name"], gmv=fmt_value(top["gmv"], "CNY", lang)), "info"),
                   table(shown, numeric=shown.columns[2:]),
                   charts.gmv_by_product(pt, lang), charts.click_vs_conversion(pt, lang),
                   note(t("products_mix_title", lang), "info"), table(mix, numeric=mix.columns[1:]),
                   note(t("products_high_share", lang, v=fmt_value(data.high_price_share, "ratio", lang)), "info")]
    if data.pitches_available and not data.pitches.empty:
        items.append(charts.pitch_performance(data.pitches, lang))
    else:
        items.append(note(t("products_no_pitches", lang), "na"))
    return items


def key_figures(data: ProductsData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON (None when not available)."""
    out: dict[str, float | str | None] = {"n_products": None, "top_product": None, "top_product_gmv": None,
                                         "high_price_gmv_share": None, "n_pitches": None, "pitch_minutes": None}
    for r in ROLES:
        out[f"gmv_share_{r}"] = None
        out[f"units_share_{r}"] = None
    if not data.available or data.table.empty:
        return out
    pt = data.table
    out.update(n_products=float(len(pt)), top_product=str(pt.iloc[0]["name"]), top_product_gmv=float(pt.iloc[0]["gmv"]),
               high_price_gmv_share=data.high_price_share)
    for row in data.mix.itertuples(index=False):
        out[f"gmv_share_{row.role}"] = None if is_missing(row.gmv_share) else float(row.gmv_share)
        out[f"units_share_{row.role}"] = None if is_missing(row.units_share) else float(row.units_share)
    if data.pitches_available:
        out["n_pitches"] = float(len(data.pitches))
        out["pitch_minutes"] = float(data.pitches["minutes"].sum()) if len(data.pitches) else 0.0
    return out
