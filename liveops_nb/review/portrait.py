"""Viewer vs buyer portrait (观众 / 买家画像): gender, age band, region and member tier of one session.

Every count comes from the registry at the viewer-attribute grain,
``ds.kpis(["uv", "buyers"], by=["session_id", <attribute>], where={"session_id": ...})`` — a viewer of
the session counts once in the ``uv`` of their attribute value, a buyer once in its ``buyers`` — so each
column adds up to the session's ``uv`` / ``buyers``. Shares of viewers and of buyers come from
:func:`liveops_nb.measures.share`; the gap is buyer share − viewer share (in share points: positive = the
group buys more than its weight among the viewers).

Needs viewer-level data and the ``users`` table; otherwise :func:`build` returns ``available=False`` with
the reason. A share column resting on fewer than :data:`liveops_nb.measures.SMALL_SAMPLE_PEOPLE` people
is flagged ``few_viewers`` / ``few_buyers``. Language-neutral: words are in
:mod:`liveops_nb.render.review.portrait`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from .. import measures
from ..engine.reasons import Reason

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

DIMS: tuple[str, ...] = ("gender", "age_band", "region", "member_tier")
"""The attributes of the portrait, in the order shown."""
TOP: Mapping[str, int] = {"region": 10}
"""At most this many values are listed (by viewers); the shares are of all viewers / buyers."""
COLUMNS: tuple[str, ...] = ("value", "viewers", "viewer_share", "buyers", "buyer_share", "gap")


@dataclass(frozen=True)
class PortraitData:
    """The portrait of one session.

    Attributes
    ----------
    available : False without viewer-level data or a users table (``missing`` says which).
    tables : attribute -> DataFrame with :data:`COLUMNS` (``value`` None = not recorded), most viewers first.
    viewers, buyers : the session's viewers and buyers (the registry's ``uv`` / ``buyers``; each table's column sum).
    few_viewers, few_buyers : the viewer / buyer shares rest on fewer than the small-sample minimum.
    """

    session_id: str
    available: bool
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    viewers: float | None = None
    buyers: float | None = None
    few_viewers: bool = False
    few_buyers: bool = False
    missing: Reason | None = None


def attribute_table(kpis: pd.DataFrame, dim: str, top: int | None = None) -> pd.DataFrame:
    """Viewer and buyer counts and shares per value of ``dim`` from ``ds.kpis(["uv", "buyers"], by=[..., dim])``.

    Values with neither viewers nor buyers (people only impressed) are left out; with ``top`` only the
    ``top`` values with most viewers are kept (shares stay shares of everybody).
    """
    k = kpis[(kpis["uv"].fillna(0) > 0) | (kpis["buyers"].fillna(0) > 0)]
    out = pd.DataFrame({"value": k[dim].to_numpy(dtype=object), "viewers": k["uv"].astype(float).to_numpy(),
                        "buyers": k["buyers"].astype(float).to_numpy()})
    out["viewer_share"] = measures.share(out["viewers"]).to_numpy()
    out["buyer_share"] = measures.share(out["buyers"]).to_numpy()
    out["gap"] = out["buyer_share"] - out["viewer_share"]
    out = out.assign(_known=out["value"].notna()).sort_values(
        ["_known", "viewers", "buyers", "value"], ascending=[False, False, False, True], kind="stable",
        na_position="last").drop(columns="_known").reset_index(drop=True)
    out = out[list(COLUMNS)]
    return out.head(top).reset_index(drop=True) if top else out


def build(ds: Dataset, session_id: str) -> PortraitData:
    """The portrait of ``session_id`` (see the module docstring)."""
    ds.session(session_id)
    if ds.level != "viewer":
        return PortraitData(session_id, False, missing=Reason("needs_table", "uv", table="events"))
    if not ds.has("users"):
        return PortraitData(session_id, False, missing=Reason("needs_table", "uv", table="users"))
    tables = {}
    for dim in DIMS:
        k = ds.kpis(["uv", "buyers"], by=["session_id", dim], where={"session_id": session_id})
        tables[dim] = attribute_table(k, dim, TOP.get(dim))
    total = ds.kpis(["uv", "buyers"], where={"session_id": session_id}).iloc[0]
    viewers, buyers = float(total["uv"]), float(total["buyers"])
    return PortraitData(session_id, True, tables, viewers, buyers, measures.few_people(viewers),
                        measures.few_people(buyers))


def key_figures(data: PortraitData) -> dict[str, float | str | None]:
    """The largest viewer group and buyer group of each attribute, with their shares (None when not available)."""
    out: dict[str, float | str | None] = {}
    for dim in DIMS:
        tab = data.tables.get(dim) if data.available else None
        for who in ("viewer", "buyer"):
            if tab is None or tab.empty or not (tab[f"{who}s"] > 0).any():
                out[f"{dim}_top_{who}_group"] = out[f"{dim}_top_{who}_share"] = None
                continue
            row = tab.iloc[int(tab[f"{who}s"].to_numpy().argmax())]
            out[f"{dim}_top_{who}_group"] = None if row["value"] is None else str(row["value"])
            out[f"{dim}_top_{who}_share"] = float(row[f"{who}_share"])
    return out
