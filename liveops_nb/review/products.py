"""Section 5 — 商品与讲解 Products and pitches.

Per product of the session: role, GMV, orders, buyers, units, product click rate,
click→order conversion and refund rate — the registry's values at the session × product
grain (``ds.kpis(by=["session_id", "product_id"])``), with the people counts behind the two
rates (product impression / click people) and the refund amount from ``ds.bases`` at the
same grain — and its pitches (讲解): pitch minutes, GMV during the pitch and average online
during the pitch, both from the registry's per-minute values (``ds.kpis(["pcu", "gmv"],
by=["session_id", "minute"])``: online viewers and GMV of each minute; session-wide, all products).

Definitions
-----------
* A minute bucket ``[m, m + 1 min)`` belongs to a pitch ``[start, end)`` when
  the two overlap. GMV during a pitch is the sum of the per-minute GMV over
  its minutes; average online is the mean of the per-minute online viewers over them
  (over all minutes of all pitches when a product is pitched more than once).
* High-price product (高客单): list price at or above the 75th percentile
  (linear interpolation) of the list prices of the products in the session.
  The high-order-value share is the share of GMV from high-price products.

Language-neutral: the words are in :mod:`liveops_nb.render.review.products`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import measures

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

TITLE = ("商品与讲解", "Products and pitches")
ROLES: tuple[str, ...] = ("traffic_driver", "profit", "regular")
HIGH_PRICE_QUANTILE = 0.75
KPI_KEYS: tuple[str, ...] = ("gmv", "orders", "buyers", "units", "product_click_rate", "click_to_order_rate",
                             "refund_rate")
BASE_COLUMNS: dict[str, str] = {"product_impression_uv": "impression_uv", "product_click_uv": "click_uv",
                                "refund_amount": "refund_amount"}
COUNTS: tuple[str, ...] = ("impression_uv", "click_uv", "buyers", "orders", "units", "gmv", "refund_amount")
RATES: tuple[str, ...] = ("product_click_rate", "click_to_order_rate", "refund_rate")


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


def product_kpis(ds: Dataset, session_id: str) -> pd.DataFrame:
    """The registry's values per product of one session, with the counts behind its rates.

    Returns
    -------
    DataFrame with ``product_id`` and :data:`COUNTS` (impression_uv = base ``product_impression_uv``,
    click_uv = base ``product_click_uv``, buyers, orders, units, gmv, refund_amount) and
    :data:`RATES` (registry ``product_click_rate``, ``click_to_order_rate``, ``refund_rate``).
    """
    by, where = ["session_id", "product_id"], {"session_id": session_id}
    k = ds.kpis(list(KPI_KEYS), by=by, where=where)
    b = ds.bases(list(BASE_COLUMNS), by=by, where=where).rename(columns=BASE_COLUMNS)
    out = k.merge(b, on=by, how="outer")
    out = out[out["product_id"].notna()]
    for c in (*COUNTS, *RATES):
        if c not in out.columns:
            out[c] = np.nan
    return out[["product_id", *COUNTS, *RATES]].astype({c: "float64" for c in (*COUNTS, *RATES)}).reset_index(drop=True)


def minute_values(ds: Dataset, session_id: str) -> pd.DataFrame | None:
    """The session's minutes with ``online`` (registry ``pcu`` of the minute) and ``gmv`` (registry ``gmv``).

    From ``ds.kpis(by=["session_id", "minute"])``; None when the dataset has no per-minute online viewers.
    """
    k = ds.kpis(["pcu", "gmv"], by=["session_id", "minute"], where={"session_id": session_id})
    if "pcu" in k.attrs.get("missing", {}) or k.empty or k["pcu"].isna().all():
        return None
    return k.rename(columns={"pcu": "online"})[["minute", "online", "gmv"]].sort_values("minute").reset_index(drop=True)


def pitch_table(pitches: pd.DataFrame, products: pd.DataFrame, minute_stats: pd.DataFrame) -> pd.DataFrame:
    """One row per pitch with its minutes, GMV during it and average online during it.

    ``minute_stats``: one row per minute with ``minute``, ``online`` and ``gmv`` (e.g. :func:`minute_values`).
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
    p: Any  # a row namedtuple (product_id, start, end, ...)
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


def product_table(kpis: pd.DataFrame, products: pd.DataFrame, pitches: pd.DataFrame | None,
                  minute_stats: pd.DataFrame | None) -> pd.DataFrame:
    """One row per product of the session (with activity or pitched), sorted by GMV (descending).

    Parameters
    ----------
    kpis : :func:`product_kpis` of the session.
    products : the ``products`` catalogue.
    pitches, minute_stats : one session's pitches and minutes (:func:`minute_values`), or None when not
        available (pitch columns are NaN).

    Returns
    -------
    DataFrame with ``product_id, name, role, list_price, impression_uv, click_uv, buyers, orders, units,
    gmv, refund_amount, product_click_rate, click_to_order_rate, refund_rate, high_price, pitches,
    pitch_minutes, pitch_gmv, pitch_avg_online``. A pitched product without activity has counts 0 and
    no rates.
    """
    ids = pd.Index(kpis["product_id"]).append(pd.Index([] if pitches is None else pitches["product_id"])).unique()
    df = pd.DataFrame({"product_id": ids}).merge(kpis, on="product_id", how="left")
    df[list(COUNTS)] = df[list(COUNTS)].fillna(0).astype("float64")
    df = df.merge(products[["product_id", "name", "role", "list_price"]], on="product_id", how="left")
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
    cols = ["product_id", "name", "role", "list_price", *COUNTS, *RATES, "high_price", "pitches", "pitch_minutes",
            "pitch_gmv", "pitch_avg_online"]
    return df[cols].sort_values(["gmv", "product_id"], ascending=[False, True]).reset_index(drop=True)


def role_mix(product_table: pd.DataFrame) -> pd.DataFrame:
    """GMV and units by product role: ``role, products, gmv, gmv_share, units, units_share``.

    One row per role in :data:`ROLES` order (roles with no product included, with zeros);
    shares (:func:`measures.share`) are NaN when the session has no GMV (or no units).
    """
    g = product_table.groupby("role").agg(products=("product_id", "size"), gmv=("gmv", "sum"), units=("units", "sum"))
    g = g.reindex(list(ROLES), fill_value=0).reset_index().rename(columns={"index": "role"})
    g["gmv_share"] = measures.share(g["gmv"])
    g["units_share"] = measures.share(g["units"])
    return g[["role", "products", "gmv", "gmv_share", "units", "units_share"]]


def high_price_share(product_table: pd.DataFrame) -> float | None:
    """Share of GMV from high-price products (column ``high_price``); None when GMV is 0."""
    gmv = product_table.groupby(product_table["high_price"].astype(bool))["gmv"].sum().reindex([True, False], fill_value=0)
    share = measures.share(gmv).loc[True]
    return None if pd.isna(share) else float(share)


# ---------------------------------------------------------------------------------------- orchestration
def build(ds: Dataset, session_id: str) -> ProductsData:
    """Collect the products section for ``session_id`` (see module docstring)."""
    ds.session(session_id)
    if not (ds.has("product_stats") and ds.has("products")):
        return ProductsData(session_id, available=False)
    products = ds.frame("products")
    minute = minute_values(ds, session_id) if ds.has("pitches") else None
    has_pitch = minute is not None
    pitches = ds.frame("pitches", session_id) if has_pitch else None
    pt = product_table(product_kpis(ds, session_id), products, pitches, minute)
    return ProductsData(session_id, True, pt, role_mix(pt),
                        pitch_table(pitches, products, minute) if pitches is not None and minute is not None
                        else pd.DataFrame(), has_pitch, high_price_share(pt))


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
    row: Any  # a row namedtuple of the role mix
    for row in data.mix.itertuples(index=False):
        out[f"gmv_share_{row.role}"] = None if pd.isna(row.gmv_share) else float(row.gmv_share)
        out[f"units_share_{row.role}"] = None if pd.isna(row.units_share) else float(row.units_share)
    if data.pitches_available:
        out["n_pitches"] = float(len(data.pitches))
        out["pitch_minutes"] = float(data.pitches["minutes"].sum()) if len(data.pitches) else 0.0
    return out
