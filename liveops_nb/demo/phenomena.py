"""Answer-key entries of the phenomena the live monitor, the alerts and the period review look for.

``sell_out`` (a product's stock runs out at the traffic peak), ``audience_decline``
(online falls slowly over a session's second half), ``period_effect`` (a room's
GMV grows week over week on traffic while conversion falls) and ``run_sheet``
(how planned pitches compare with the actual ones). See ``docs/demo-data.md``.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd

from .context import Context, iso
from .params import LATE_AFTER_MIN, MIN_MS, PERIOD_EFFECT, ROOM_IDS, START_DATE


def iso_week(week: int) -> str:
    """ISO week label (``2026-W41``) of demo week ``week`` (1-based; demo weeks start on Mondays)."""
    y, w, _ = (START_DATE + timedelta(days=7 * (week - 1))).isocalendar()
    return f"{y}-W{w:02d}"


def live_phenomena(ctx: Context, agg: dict[str, pd.DataFrame], rs: pd.DataFrame,
                   pt: pd.DataFrame) -> dict[str, Any]:
    """``sell_out``, ``audience_decline``, ``period_effect`` and ``run_sheet`` entries (those planted).

    Parameters
    ----------
    ctx:
        The run context after the simulation.
    agg:
        The aggregate frames (``minute`` with ``s``, ``minute_ms``, ``online``).
    rs, pt:
        Run-sheet rows (``s``, ``p``, ``start``, ``end``) and actual pitches (``s``, ``p``, ``start``, ``end``).
    """
    ses = ctx.sessions
    mi = agg["minute"]
    ph: dict[str, Any] = {}
    info = ctx.sell_out_info
    if "stock" in info:
        s = ses[info["session"]]
        m = int(info["minute"])
        on = mi.loc[mi["s"] == s.idx, "online"].to_numpy()
        ph["sell_out"] = {
            "session_id": s.sid, "room_id": ROOM_IDS[s.room], "product_id": ctx.prod_id[info["product"]],
            "product_name": ctx.prod_name[info["product"]], "stock": int(info["stock"]),
            "sold_out_minute": iso(s.start_ms + m * MIN_MS),
            "online_at_sell_out": int(on[m]), "session_median_online": float(np.median(on)),
            "session_peak_online": int(on.max()), "orders_cut": int(info["cut"]),
            "rule": "stock left = inventory.stock - units of the product ordered in the session up to the minute; "
                    "it reaches 0 in sold_out_minute (the product's pitch, near the traffic peak) and the product "
                    "has no order after that minute",
        }
    dec = [s for s in ses if s.planted == "decline"]
    if dec:
        s = dec[0]
        on = mi.loc[mi["s"] == s.idx, "online"].to_numpy().astype(float)
        mms = mi.loc[mi["s"] == s.idx, "minute_ms"].to_numpy()
        a = s.length_min // 2
        ph["audience_decline"] = {
            "session_id": s.sid, "room_id": ROOM_IDS[s.room], "start": iso(int(mms[a])), "end": iso(int(mms[-1])),
            "online_at_start": round(float(on[a:a + 10].mean()), 1),
            "online_at_end": round(float(on[-12:-2].mean()), 1),
            "rule": "online declines gradually from `start` to `end` (arrivals fall steadily, no traffic wave): "
                    "the mean online of the last 10 minutes before the close (`online_at_end`, the final 2 "
                    "minutes left out) is at most half that of the first 10 minutes from `start` "
                    "(`online_at_start`), and the 5-minute mean online never falls by more than 40 % of "
                    "`online_at_start` within 5 minutes (no collapse)",
        }
    if ctx.weeks >= PERIOD_EFFECT["week"]:
        w = PERIOD_EFFECT["week"]
        ph["period_effect"] = {
            "room_id": ROOM_IDS[PERIOD_EFFECT["room"]], "granularity": "week",
            "previous": iso_week(w - 1), "current": iso_week(w), "previous_week": w - 1, "current_week": w,
            "uv_multiplier": PERIOD_EFFECT["uv"], "conversion_multiplier": PERIOD_EFFECT["conversion"],
            "expected": {"gmv": "up", "uv": "up", "view_to_order_rate": "down"},
            "description": "a paid traffic push: every session of the room in the current week has "
                           f"{PERIOD_EFFECT['uv']}x the expected viewers and {PERIOD_EFFECT['conversion']}x the "
                           "purchase probability, so GMV grows on traffic (UV) while conversion (buyers / UV) falls",
        }
    if len(rs):
        ph["run_sheet"] = _run_sheet_summary(ctx, rs, pt)
    return ph


def _run_sheet_summary(ctx: Context, rs: pd.DataFrame, pt: pd.DataFrame) -> dict[str, Any]:
    """Counts of planned, late and skipped pitches, and one session that has both."""
    j = rs.merge(pt.rename(columns={"start": "a_start", "end": "a_end"}), on=["s", "p"], how="left")
    skipped = j["a_start"].isna()
    late = ~skipped & ((j["a_start"] - j["start"]) > LATE_AFTER_MIN * MIN_MS)
    j = j.assign(late=late, skipped=skipped)
    flags = j.groupby("s")[["late", "skipped"]].any()
    both = flags.index[flags["late"] & flags["skipped"]]
    ex: dict[str, Any] = {}
    if len(both):
        s0 = int(both[0])
        e = j[j["s"] == s0]
        ex = {"session_id": ctx.sessions[s0].sid,
              "late_product_ids": [ctx.prod_id[p] for p in e.loc[e["late"], "p"]],
              "skipped_product_ids": [ctx.prod_id[p] for p in e.loc[e["skipped"], "p"]]}
    return {
        "late_after_minutes": LATE_AFTER_MIN, "n_planned": int(len(j)), "n_late": int(late.sum()),
        "n_skipped": int(skipped.sum()), "n_sessions_with_skipped": int(j.loc[skipped, "s"].nunique()),
        "example": ex,
        "rule": "a planned pitch is late when the product's actual pitch (pitches.start) starts more than "
                "late_after_minutes after planned_start; a planned product with no pitch in the session was skipped",
    }
