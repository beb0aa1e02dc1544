"""Product structure and channel mix of the period.

**Products** (``ds.kpis(..., by=["product_id"])`` joined to the products table): the GMV share of
traffic-driver vs profit items (the products' ``role``), the GMV share of high-order-value items (list
price at or above the :data:`HIGH_PRICE_QUANTILE` of the sold products' list prices), and categories by
conversion — each category's GMV, its share, and the median over its products of the registry's
click→order conversion.

**Channels**: viewers and GMV per channel group (organic / paid / private) over time (per day within
a week, per week within a month or quarter, per session within a day), the concentration of viewers
over channels as the Herfindahl–Hirschman index (:func:`liveops_nb.measures.hhi`, 0–1) and the top
channel's share, flagged as single-channel dependence when HHI ≥ ``hhi`` or the top share > ``top_share``
of :data:`CONCENTRATION`; and conversion per source (channel group).
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from .. import measures
from .frames import Scope

if TYPE_CHECKING:
    from ..dataset import Dataset

PRODUCT_KEYS: tuple[str, ...] = ("gmv", "units", "buyers", "click_to_order_rate")
HIGH_PRICE_QUANTILE = 0.75
CONCENTRATION = MappingProxyType({"hhi": 0.25, "top_share": 0.50})
"""Single-channel dependence: HHI of viewers over channels at or above ``hhi``, or one channel above ``top_share``."""
SOURCE_KEYS: tuple[str, ...] = ("uv", "gmv", "view_to_order_rate", "uv_value")
SUB_GRAIN = {"day": "session_id", "week": "day", "month": "week", "quarter": "week"}
"""The period's grain -> the time step of the channel mix."""


@dataclass(frozen=True)
class ProductsData:
    """``products`` (one row per sold product), ``roles`` (GMV and share per role), ``high_value_share``,
    ``price_cut`` (the list price from which an item counts as high order value) and ``categories``."""

    products: pd.DataFrame
    roles: pd.DataFrame
    high_value_share: float
    price_cut: float
    categories: pd.DataFrame


@dataclass(frozen=True)
class ChannelsData:
    """``mix`` (step × channel group: uv, gmv, uv_share), ``concentration`` (per step: hhi, top_channel,
    top_share, flagged), ``sources`` (per channel group: :data:`SOURCE_KEYS`), and the period's ``hhi``,
    ``top_channel``, ``top_share``, ``flagged``; ``step`` names the time step's engine grouping."""

    step: str
    mix: pd.DataFrame
    concentration: pd.DataFrame
    sources: pd.DataFrame
    hhi: float
    top_channel: str | None
    top_share: float
    flagged: bool


def products(ds: Dataset, scope: Scope) -> ProductsData:
    """The period's product structure (see the module docstring)."""
    k = ds.kpis(list(PRODUCT_KEYS), by=["product_id"], where=scope.where())
    info = ds.frame("products") if ds.has("products") else pd.DataFrame(columns=["product_id"])
    cols = [c for c in ("product_id", "name", "category", "list_price", "role") if c in info.columns]
    k = k.merge(info[cols], on="product_id", how="left")
    for c in ("name", "category", "role"):
        if c not in k.columns:
            k[c] = None
    if "list_price" not in k.columns:
        k["list_price"] = float("nan")
    k = k[k["gmv"].fillna(0) > 0].sort_values("gmv", ascending=False, kind="stable").reset_index(drop=True)
    roles = k.groupby(k["role"].fillna(""), sort=False)["gmv"].sum().rename("gmv").reset_index()
    roles["share"] = measures.share(roles["gmv"]).to_numpy()
    cut = float(k["list_price"].quantile(HIGH_PRICE_QUANTILE)) if k["list_price"].notna().any() else float("nan")
    high = k.loc[k["list_price"] >= cut, "gmv"].sum() if pd.notna(cut) else float("nan")
    cats = (k.groupby(k["category"].fillna(""), sort=False)
            .agg(gmv=("gmv", "sum"), n_products=("product_id", "size"), conversion=("click_to_order_rate", "median"))
            .reset_index())
    cats["share"] = measures.share(cats["gmv"]).to_numpy()
    cats = cats.sort_values("conversion", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    return ProductsData(k, roles, measures.share_of(high, k["gmv"].sum()), cut, cats)


def channels(ds: Dataset, scope: Scope) -> ChannelsData:
    """The period's channel mix over time, its concentration and conversion per source."""
    step = SUB_GRAIN[scope.period.grain]
    where = scope.where()
    mix = ds.kpis(["uv", "gmv"], by=[step, "channel_group"], where=where)
    mix["uv_share"] = mix.groupby(step)["uv"].transform(lambda s: measures.share(s)).to_numpy()
    per = ds.kpis(["uv"], by=[step, "channel"], where=where)
    rows = []
    for at, g in per.groupby(step, sort=True):
        shares = measures.share(g["uv"].reset_index(drop=True))
        h = measures.hhi(shares)
        top = int(shares.fillna(-1).to_numpy().argmax()) if len(shares) else 0
        rows.append({step: at, "hhi": h, "top_channel": g["channel"].iloc[top] if len(g) else None,
                     "top_share": float(shares.iloc[top]) if len(shares) else float("nan")})
    conc = pd.DataFrame(rows, columns=[step, "hhi", "top_channel", "top_share"])
    conc["flagged"] = (conc["hhi"] >= CONCENTRATION["hhi"]) | (conc["top_share"] > CONCENTRATION["top_share"])
    whole = ds.kpis(["uv"], by=["channel"], where=where)
    shares = measures.share(whole["uv"])
    h = measures.hhi(shares)
    i = int(shares.fillna(-1).to_numpy().argmax()) if len(shares) else -1
    top_channel = str(whole["channel"].iloc[i]) if i >= 0 else None
    top_share = float(shares.iloc[i]) if i >= 0 else float("nan")
    flagged = bool((pd.notna(h) and h >= CONCENTRATION["hhi"]) or (pd.notna(top_share) and top_share > CONCENTRATION["top_share"]))
    sources = ds.kpis(list(SOURCE_KEYS), by=["channel_group"], where=where)
    return ChannelsData(step, mix, conc, sources, h, top_channel, top_share, flagged)


def products_key_figures(data: ProductsData) -> dict[str, float | str | None]:
    """GMV shares by role and of high-order-value items; the best category by conversion."""
    roles = zip(data.roles["role"], data.roles["share"], strict=True)
    out: dict[str, float | str | None] = {f"share_{r or 'none'}": float(s) for r, s in roles}
    out["high_value_share"] = None if pd.isna(data.high_value_share) else float(data.high_value_share)
    out["top_category"] = data.categories["category"].iloc[0] if len(data.categories) else None
    return out


def channels_key_figures(data: ChannelsData) -> dict[str, float | str | None]:
    """The period's HHI, top channel and its share, whether flagged."""
    return {"hhi": None if pd.isna(data.hhi) else float(data.hhi), "top_channel": data.top_channel,
            "top_share": None if pd.isna(data.top_share) else float(data.top_share), "flagged": str(data.flagged)}
