"""Time slots: a weekday × start-hour table of GPM, conversion and UV value with session counts.

A session belongs to the slot (weekday, hour) of its local start. The table covers the period's
sessions; when the period is shorter than :data:`RULES` ``window_days`` (a day, a week), the window is
extended back to that many days ending on the period's last day, so that slots can gather sessions.

Support rule: a slot is *supported* when it holds at least ``min_sessions`` sessions; the best and the
worst slot (by GPM) are named only among supported slots, and only when at least two slots are
supported — otherwise the section says that no slot has enough sessions.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import pandas as pd

from .frames import Scope

if TYPE_CHECKING:
    from ..dataset import Dataset

KEYS: tuple[str, ...] = ("gpm", "view_to_order_rate", "uv_value", "gmv")
RULES = MappingProxyType({"min_sessions": 3, "window_days": 28})
"""The support rule: sessions a slot needs, and the shortest window of days the table covers."""


@dataclass(frozen=True)
class SlotsData:
    """The slot table and its best / worst supported slots.

    Attributes
    ----------
    table : ``weekday`` (0 = Monday), ``hour``, ``n_sessions``, the :data:`KEYS`, ``supported``.
    first_day, last_day : the window's days.
    best, worst : ``(weekday, hour)`` of the supported slots with the highest / lowest GPM, or None.
    min_sessions : the support rule's threshold.
    """

    table: pd.DataFrame
    first_day: pd.Timestamp
    last_day: pd.Timestamp
    best: tuple[int, int] | None
    worst: tuple[int, int] | None
    min_sessions: int


def support(table: pd.DataFrame, min_sessions: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Best and worst slot by GPM among slots with ≥ ``min_sessions`` sessions (None, None: fewer than two such)."""
    ok = table[(table["n_sessions"] >= min_sessions) & table["gpm"].notna()]
    if len(ok) < 2:
        return None, None
    ok = ok.sort_values(["gpm", "weekday", "hour"], ascending=[False, True, True], kind="stable")
    best, worst = ok.iloc[0], ok.iloc[-1]
    return (int(best.weekday), int(best.hour)), (int(worst.weekday), int(worst.hour))


def build(ds: Dataset, scope: Scope, *, min_sessions: int | None = None, window_days: int | None = None) -> SlotsData:
    """The slot table of ``scope`` (see the module docstring for the window and the support rule)."""
    need = int(min_sessions if min_sessions is not None else RULES["min_sessions"])
    window = int(window_days if window_days is not None else RULES["window_days"])
    p = scope.period
    last = p.end
    first = min(p.start, last - pd.Timedelta(days=window - 1))
    dims = ds.session_dims
    keep = (dims["day"] >= first) & (dims["day"] <= last)
    if scope.rooms:
        keep &= dims["room_id"].isin(scope.rooms)
    chosen = dims[keep]
    counts = chosen.groupby(["weekday", "hour"]).size().rename("n_sessions").reset_index()
    if chosen.empty:
        table = pd.DataFrame(columns=["weekday", "hour", "n_sessions", *KEYS, "supported"])
    else:
        k = ds.kpis(list(KEYS), by=["weekday", "hour"], where={"session_id": chosen["session_id"].tolist()})
        table = counts.merge(k, on=["weekday", "hour"], how="left")
        table["supported"] = table["n_sessions"] >= need
    best, worst = support(table, need) if len(table) else (None, None)
    return SlotsData(table.reset_index(drop=True), first, last, best, worst, need)


def key_figures(data: SlotsData) -> dict[str, float | str | None]:
    """Slots, supported slots, best and worst (``weekday-hour``)."""
    return {"n_slots": float(len(data.table)), "n_supported": float(data.table["supported"].sum()) if len(data.table) else 0.0,
            "best": None if data.best is None else f"{data.best[0]}-{data.best[1]}",
            "worst": None if data.worst is None else f"{data.worst[0]}-{data.worst[1]}"}
