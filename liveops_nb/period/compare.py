"""Hosts and rooms compared on the same metrics, with session counts and intervals.

For each host (and each room) of the period: the registry KPIs over its sessions (ratios of sums, from
``ds.kpis(..., by=["host"])``), its number of sessions, and for the ratio metrics of :data:`INTERVAL_KEYS`
a 90 % Student-t interval of the *mean of its sessions' values* (``ds.kpis(..., by=["session_id"])``,
:func:`liveops_nb.measures.mean_interval`) — how far a few sessions let one trust the difference.
Rows with fewer than :data:`SMALL_N` sessions are flagged ``small``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .. import measures
from .frames import Scope, room_names, session_kpis, sessions_in

if TYPE_CHECKING:
    from ..dataset import Dataset

KEYS: tuple[str, ...] = ("gmv", "uv", "gpm", "view_to_order_rate", "aov", "uv_value")
INTERVAL_KEYS: tuple[str, ...] = ("gpm", "view_to_order_rate", "uv_value")
SMALL_N = 5
"""Fewer sessions than this: the row is flagged as a small sample."""
LEVEL = 0.90


@dataclass(frozen=True)
class CompareData:
    """``hosts`` and ``rooms`` tables: ``who``, ``name``, ``n_sessions``, ``small``, the KPIs and ``<key>_lo/_hi``."""

    hosts: pd.DataFrame
    rooms: pd.DataFrame


def _table(ds: Dataset, scope: Scope, dim: str, per_session: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    k = ds.kpis(list(KEYS), by=[dim], where=scope.where())
    counts = sessions.groupby(dim).size()
    k.insert(1, "n_sessions", k[dim].map(counts).fillna(0).astype(int))
    k.insert(2, "small", k["n_sessions"] < SMALL_N)
    for key in INTERVAL_KEYS:
        bounds = {who: measures.mean_interval(g[key], LEVEL) for who, g in per_session.groupby(dim)}
        k[f"{key}_lo"] = k[dim].map(lambda w, b=bounds: b.get(w, (float("nan"),) * 2)[0])
        k[f"{key}_hi"] = k[dim].map(lambda w, b=bounds: b.get(w, (float("nan"),) * 2)[1])
    k = k.rename(columns={dim: "who"})
    return k.sort_values("gmv", ascending=False, kind="stable").reset_index(drop=True)


def build(ds: Dataset, scope: Scope) -> CompareData:
    """Hosts and rooms of ``scope``'s period compared (see the module docstring)."""
    sessions = sessions_in(ds, scope)
    from .cases import SESSION_KEYS

    per_session = session_kpis(ds, scope, SESSION_KEYS)[["session_id", *INTERVAL_KEYS]]
    per_session = per_session.merge(sessions[["session_id", "host", "room_id"]], on="session_id")
    hosts = _table(ds, scope, "host", per_session, sessions)
    hosts.insert(1, "name", hosts["who"])
    rooms = _table(ds, scope, "room_id", per_session, sessions)
    names = room_names(ds)
    rooms.insert(1, "name", rooms["who"].map(lambda r: names.get(r, r)))
    return CompareData(hosts, rooms)


def key_figures(data: CompareData) -> dict[str, float | str | None]:
    """Hosts and rooms compared, and the top host / room by GMV."""
    return {"n_hosts": float(len(data.hosts)), "n_rooms": float(len(data.rooms)),
            "top_host": data.hosts["name"].iloc[0] if len(data.hosts) else None,
            "top_room": data.rooms["who"].iloc[0] if len(data.rooms) else None}
