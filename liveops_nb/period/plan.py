"""Next-period plan: a GMV target split into the viewers, conversion and order value it needs.

The target of the next period is the GMV target in ``targets.csv`` (per room; the selection's is the sum
when every room has one), else this period's GMV grown by :data:`GROWTH` (the source says which).

Levels, with GMV = viewers × conversion × order value (the bridge's factors):

1. the needed multiple is ``m = target / this period's GMV``;
2. conversion, then order value, is lifted back toward the room's *history median* (:mod:`.goals`) when
   it is below it — never beyond the median and never beyond what ``m`` still needs (what a room has
   done before is the credible part of a plan);
3. the viewers needed follow from the target and the planned conversion and order value
   (:func:`liveops_nb.measures.viewers_needed`): traffic carries the rest of the growth.

A target below this period's GMV keeps conversion and order value as they are.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .. import measures
from . import targets as tg
from .frames import Scope
from .goals import TOTAL, GoalsData

if TYPE_CHECKING:
    from ..dataset import Dataset

GROWTH = 0.10
"""Growth of the next period's GMV target when ``targets.csv`` has none."""
LEVERS: tuple[str, ...] = ("view_to_order_rate", "aov")


@dataclass(frozen=True)
class PlanData:
    """``table``: per scope (room id / ``__total__``) ``target``, ``target_source`` (``file`` / ``growth``) and for
    ``uv``, ``view_to_order_rate``, ``aov`` the ``<key>_now`` and ``<key>_plan`` levels; ``period``: the plan's label."""

    period: str
    table: pd.DataFrame
    growth: float


def levels(gmv: float, now: dict[str, float], history: dict[str, float], target: float) -> dict[str, float]:
    """Planned ``uv``, ``view_to_order_rate``, ``aov`` for ``target`` from the current levels and history medians.

    Parameters
    ----------
    gmv : this period's GMV.
    now : this period's ``view_to_order_rate`` and ``aov`` (missing: the history median is used).
    history : the room's history medians of the same keys.
    target : the next period's GMV target.
    """
    plan = {k: now.get(k, float("nan")) if pd.notna(now.get(k, float("nan"))) else history.get(k, float("nan"))
            for k in LEVERS}
    need = measures.multiple(target, gmv)
    remaining = need if pd.notna(need) else float("nan")
    for k in LEVERS:
        h = history.get(k, float("nan"))
        if pd.notna(remaining) and remaining > 1 and pd.notna(h) and pd.notna(plan[k]) and 0 < plan[k] < h:
            lift = min(measures.multiple(h, plan[k]), remaining)
            plan[k] = plan[k] * lift
            remaining = remaining / lift
    plan["uv"] = measures.viewers_needed(target, plan["view_to_order_rate"], plan["aov"])
    return plan


def build(ds: Dataset, scope: Scope, goals: GoalsData, *, growth: float = GROWTH) -> PlanData:
    """The next period's plan for every room of ``goals`` and their total."""
    nxt = scope.period.next
    rooms = scope.room_ids(ds)
    file_targets = tg.targets_for(tg.dataset_targets(ds), nxt, rooms)
    file_targets = file_targets[file_targets["metric"] == "gmv"]
    rows = []
    for scope_id in goals.table["scope"].unique():
        g = goals.table[goals.table["scope"] == scope_id].set_index("key")
        gmv = float(g.at["gmv", "value"])
        if scope_id == TOTAL:
            target = tg.total_target(file_targets, "gmv", rooms)
        else:
            hit = file_targets.loc[file_targets["room_id"] == scope_id, "target"]
            target = float(hit.iloc[0]) if len(hit) else float("nan")
        source = "file"
        if pd.isna(target):
            target, source = (gmv * (1.0 + growth) if pd.notna(gmv) else float("nan")), "growth"
        now = {k: float(g.at[k, "value"]) for k in ("uv", *LEVERS)}
        hist = {k: float(g.at[k, "history"]) for k in LEVERS}
        plan = levels(gmv, now, hist, target)
        rows.append({"scope": scope_id, "name": g["name"].iloc[0], "gmv_now": gmv, "target": target,
                     "target_source": source, **{f"{k}_now": now[k] for k in ("uv", *LEVERS)},
                     **{f"{k}_history": hist[k] for k in LEVERS},
                     **{f"{k}_plan": plan[k] for k in ("uv", *LEVERS)}})
    return PlanData(nxt.label, pd.DataFrame(rows), growth)


def key_figures(data: PlanData) -> dict[str, float | str | None]:
    """The total's target and planned levels."""
    out: dict[str, float | str | None] = {"period": data.period}
    tot = data.table[data.table["scope"] == TOTAL]
    if len(tot):
        r = tot.iloc[0]
        for c in ("target", "uv_plan", "view_to_order_rate_plan", "aov_plan"):
            out[c] = None if pd.isna(r[c]) else float(r[c])
        out["target_source"] = r["target_source"]
    return out
