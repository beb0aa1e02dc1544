"""Case reviews and recurring problems of the period.

**Cases**: the period's best and worst sessions by GPM (up to ``n`` each; none with fewer than two
sessions) with what distinguished them: title, host, room, slot (weekday and start hour), length,
the KPIs against the period's session median, the factor of GMV (viewers, conversion, order value)
furthest from that median, the top channel group and its share of viewers, the products sold and the
top one's share of GMV, and the problems found in the session (e.g. the diagnosis' ``rhythm_off`` —
pitches against the traffic curve).

**Recurring problems** (:func:`recurring`): problem codes per session — from the session diagnosis or any
other source (alerts) — counted across the period's sessions: in how many sessions, which rooms, and
per time step (the trend), so the summary can say "pitch-in-trough in 6 of 14 sessions".
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import measures
from .frames import Scope, session_kpis, sessions_in

if TYPE_CHECKING:
    from ..dataset import Dataset

KEYS: tuple[str, ...] = ("gmv", "gpm", "uv", "view_to_order_rate", "aov")
FACTORS: tuple[str, ...] = ("uv", "view_to_order_rate", "aov")
SESSION_KEYS: tuple[str, ...] = ("gmv", "gpm", "uv", "view_to_order_rate", "aov", "uv_value")
"""Per-session KPIs the cases and the hosts / rooms comparison read (one query for both)."""


@dataclass(frozen=True)
class CasesData:
    """``table``: one row per case (``kind`` best / worst, best first), and the period's session ``median`` per KPI."""

    table: pd.DataFrame
    median: dict[str, float]
    n_sessions: int


@dataclass(frozen=True)
class RecurringData:
    """``table``: ``source``, ``code``, ``n_sessions``, ``n_total``, ``share``, ``rooms`` (tuple), ``trend``
    (dict step -> sessions); most frequent first. ``steps``: every step of the period in order."""

    table: pd.DataFrame
    n_total: int
    steps: tuple[str, ...]


def build(ds: Dataset, scope: Scope, *, n: int = 3, problems: Mapping[str, Iterable[str]] | None = None) -> CasesData:
    """Best and worst sessions of ``scope`` (see the module docstring); ``problems``: codes per session id."""
    sessions = sessions_in(ds, scope)
    k = session_kpis(ds, scope, SESSION_KEYS)[["session_id", *KEYS]].merge(sessions, on="session_id")
    median = {key: float(k[key].median()) if k[key].notna().any() else float("nan") for key in KEYS}
    ranked = k.sort_values(["gpm", "session_id"], ascending=[False, True], na_position="last", kind="stable")
    ranked = ranked[ranked["gpm"].notna()]
    each = min(n, len(ranked) // 2)
    if each == 0:
        return CasesData(pd.DataFrame(), median, len(sessions))
    best, worst = ranked.head(each).assign(kind="best"), ranked.tail(each).iloc[::-1].assign(kind="worst")
    cases = pd.concat([best, worst], ignore_index=True)
    ids = cases["session_id"].tolist()
    groups = ds.kpis(["uv"], by=["session_id", "channel_group"], where={"session_id": ids})
    items = ds.kpis(["gmv"], by=["session_id", "product_id"], where={"session_id": ids})
    names = ds.frame("products").set_index("product_id")["name"].to_dict() if ds.has("products") else {}
    rows = []
    for _, c in cases.iterrows():
        g = groups[groups["session_id"] == c.session_id].reset_index(drop=True)
        g_share = measures.share(g["uv"])
        gi = int(g_share.fillna(-1).to_numpy().argmax()) if len(g) else -1
        it = items[(items["session_id"] == c.session_id) & (items["gmv"].fillna(0) > 0)].reset_index(drop=True)
        i_share = measures.share(it["gmv"])
        ii = int(i_share.fillna(-1).to_numpy().argmax()) if len(it) else -1
        rel = {f"rel_{key}": measures.relative_gap(c[key], median[key]) for key in KEYS}
        gaps = {f: abs(rel[f"rel_{f}"]) for f in FACTORS if pd.notna(rel[f"rel_{f}"])}
        start, end = pd.Timestamp(c.start_time), pd.Timestamp(c.end_time)
        rows.append({
            "kind": c.kind, "session_id": c.session_id, "room_id": c.room_id, "room_name": c.get("room_name", c.room_id),
            "host": c.host, "title": c.get("title", ""), "start": start, "weekday": int(c.weekday), "hour": int(c.hour),
            "minutes": float((end - start).total_seconds() / 60.0),
            **{key: float(c[key]) if pd.notna(c[key]) else float("nan") for key in KEYS}, **rel,
            "driver": max(gaps, key=lambda f: gaps[f]) if gaps else None,
            "top_group": g["channel_group"].iloc[gi] if gi >= 0 else None,
            "top_group_share": float(g_share.iloc[gi]) if gi >= 0 else float("nan"),
            "n_products": len(it),
            "top_product": names.get(it["product_id"].iloc[ii], it["product_id"].iloc[ii]) if ii >= 0 else None,
            "top_product_share": float(i_share.iloc[ii]) if ii >= 0 else float("nan"),
            "problems": tuple(sorted(set((problems or {}).get(c.session_id, ())))) if problems is not None else None})
    return CasesData(pd.DataFrame(rows), median, len(sessions))


def recurring(sources: Mapping[str, Mapping[str, Iterable[str]]], sessions: pd.DataFrame,
              step: str = "day") -> RecurringData:
    """Problem codes counted across sessions.

    Parameters
    ----------
    sources : ``{source name: {session id: codes found in it}}`` (e.g. ``{"diagnosis": ..., "alerts": ...}``);
        a session missing from a source had no problem of it.
    sessions : the period's sessions (``session_id``, ``room_id`` and the ``step`` column).
    step : the column of ``sessions`` the trend is counted by (``day``, ``week``, ``session_id`` …).

    Returns
    -------
    RecurringData
        Per source and code: the sessions with it, of all sessions, their share, rooms and trend.
    """
    n_total = len(sessions)
    info = sessions.set_index("session_id", drop=False)
    steps = tuple(_step_label(s) for s in sorted(sessions[step].unique())) if n_total else ()
    rows = []
    for source, found in sources.items():
        hits: dict[str, list[str]] = {}
        for sid, codes in found.items():
            if sid not in info.index:
                continue
            for code in set(codes):
                hits.setdefault(code, []).append(sid)
        for code, sids in hits.items():
            sub = info.loc[sids]
            trend = {label: 0 for label in steps}
            for s in sub[step]:
                trend[_step_label(s)] += 1
            rows.append({"source": source, "code": code, "n_sessions": len(sids), "n_total": n_total,
                         "share": measures.share_of(len(sids), n_total),
                         "rooms": tuple(sorted(sub["room_id"].unique())), "trend": trend})
    table = pd.DataFrame(rows, columns=["source", "code", "n_sessions", "n_total", "share", "rooms", "trend"])
    table = table.sort_values(["n_sessions", "source", "code"], ascending=[False, True, True], kind="stable")
    return RecurringData(table.reset_index(drop=True), n_total, steps)


def _step_label(s: object) -> str:
    return f"{pd.Timestamp(s):%Y-%m-%d}" if isinstance(s, (pd.Timestamp, dt.date, np.datetime64)) else str(s)


def key_figures(data: CasesData) -> dict[str, float | str | None]:
    """The best and worst sessions' ids."""
    if data.table.empty:
        return {"best": None, "worst": None}
    return {"best": ",".join(data.table.loc[data.table["kind"] == "best", "session_id"]),
            "worst": ",".join(data.table.loc[data.table["kind"] == "worst", "session_id"])}


def recurring_key_figures(data: RecurringData) -> dict[str, float | str | None]:
    """``<source>:<code>`` -> sessions with it; the sessions counted."""
    out: dict[str, float | str | None] = {"n_total": float(data.n_total)}
    for _, r in data.table.iterrows():
        out[f"{r['source']}:{r['code']}"] = float(r["n_sessions"])
    return out
