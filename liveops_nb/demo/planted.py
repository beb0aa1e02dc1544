"""The planted phenomena: which sessions carry them, the dormant cohort, and the answer key ``planted.json``.

Planted: a stream outage (R03, week 5), a mistimed pitch (R02, week 6), a refund
rise (R02 from week 6), a dormant cohort (R01 buyers of weeks 1–2 with no event
after week 3), two logged minor stutters, an ordinary session, and the experiment
windows of :data:`.params.EXPERIMENT_SPECS`. Phenomena that do not fit in
``weeks`` are left out.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..schema import DEFAULT_TZ
from .context import Context, Session, iso
from .params import (
    DECLINE,
    DORMANT,
    EXPERIMENT_SPECS,
    MIN_MS,
    MISTIMED,
    OUTAGE,
    PERIOD_EFFECT,
    REFUND_RATE,
    REFUND_RATE_RISE,
    REFUND_RISE,
    ROOM_IDS,
    SELL_OUT,
    START_DATE,
)


def mark_planted(rng: np.random.Generator, sessions: list[Session], weeks: int) -> dict[str, Any]:
    """Mark planted sessions and experiment windows. Returns experiment setup info."""
    by_key = {(s.room, s.day, s.slot): s for s in sessions}
    if weeks >= 5:
        s = by_key[(OUTAGE["room"], OUTAGE["day"], OUTAGE["slot"])]
        s.planted = "outage"
        s.outage_minute = int(round(s.length_min * rng.uniform(0.42, 0.58)))
    if weeks >= 6:
        by_key[(MISTIMED["room"], MISTIMED["day"], MISTIMED["slot"])].planted = "mistimed"
    for spec, name in ((SELL_OUT, "sell_out"), (DECLINE, "decline")):
        if weeks > spec["day"] // 7:
            by_key[(spec["room"], spec["day"], spec["slot"])].planted = name
    if weeks >= PERIOD_EFFECT["week"]:
        for s in sessions:
            if s.room == PERIOD_EFFECT["room"] and s.week == PERIOD_EFFECT["week"]:
                s.push = True
                s.exp_uv *= PERIOD_EFFECT["uv"]
                s.q_factor *= PERIOD_EFFECT["conversion"]
    # two logged minor stutters in ordinary sessions of different rooms (weeks 1-4)
    cands = [s for s in sessions if not s.planted and s.week <= 4 and not (s.room == 0 and s.slot == 1)]
    picked: list[Session] = []
    for i in rng.permutation(len(cands)):
        s = cands[int(i)]
        if all(p.room != s.room for p in picked):
            picked.append(s)
        if len(picked) == 2:
            break
    for s in picked:
        off = round(s.length_min * rng.uniform(0.25, 0.75)) * 60.0 + float(rng.integers(0, 60))
        s.stutter = (off, float(rng.integers(60, 181)))
    exp_info: dict[str, Any] = {}
    for eid, spec in EXPERIMENT_SPECS.items():
        w0, w1 = spec["weeks"]
        if weeks < w1:
            continue
        in_win = [s for s in sessions if s.room == spec["room"] and w0 <= s.week <= w1]
        if eid == "EXP-SCRIPT":
            perm = rng.permutation(len(in_win))
            half = len(in_win) // 2
            for rank, i in enumerate(perm):
                in_win[int(i)].script_variant = 0 if rank < half else 1
        for s in in_win:
            if eid == "EXP-COUPON":
                s.coupon = True
            elif eid == "EXP-CREATIVE":
                s.creative = True
        exp_info[eid] = [s.idx for s in in_win]
    return exp_info


def make_dormant(ctx: Context, orders: list[dict[str, np.ndarray]], upto: int) -> tuple[np.ndarray, int]:
    """Pick the dormant cohort before session ``upto`` and mark it in the pool (it gets no more events).

    Parameters
    ----------
    ctx:
        The run context; ``ctx.pool.dormant`` is set for the picked viewers.
    orders:
        Per simulated session (in start order) its order rows; ``orders[i]["u"]`` the buyers.
    upto:
        Index of the first session after the last active week.

    Returns
    -------
    tuple
        The dormant viewers (sorted global user indices) and the size of the cohort they come from.
    """
    w0, w1 = DORMANT["cohort_weeks"]
    buyers = np.unique(np.concatenate(
        [orders[x.idx]["u"] for x in ctx.sessions[:upto]
         if x.room == DORMANT["room"] and w0 <= x.week <= w1] or [np.zeros(0, dtype=np.int64)]))
    drng = np.random.default_rng([ctx.seed, 3])
    dormant_ids = np.sort(drng.permutation(buyers)[: int(round(DORMANT["share"] * buyers.size))])
    ctx.pool.dormant[dormant_ids] = True
    return dormant_ids, int(buyers.size)


def planted_json(ctx: Context, agg: dict[str, pd.DataFrame], exp_planted: dict[str, Any],
                 dormant_ids: np.ndarray, n_cohort: int, seen: np.ndarray, seen_ids: np.ndarray) -> dict[str, Any]:
    """The answer key written to ``planted.json``.

    Parameters
    ----------
    ctx:
        The run context after the simulation (``ctx.mistimed_info`` filled in).
    agg:
        The aggregate frames of :func:`.aggregate.aggregate` (minute, sessions, channels).
    exp_planted:
        The experiments part, from :func:`.experiments.experiment_tables`.
    dormant_ids, n_cohort:
        From :func:`make_dormant`.
    seen, seen_ids:
        Global indices (sorted) of the users that appear in the data and their user ids.

    Returns
    -------
    dict
        JSON-ready: run parameters, ``phenomena`` and ``experiments``.
    """
    ses = ctx.sessions
    mi = agg["minute"]
    ph: dict[str, Any] = {}
    for s in ses:
        if s.planted == "outage":
            m0 = s.outage_minute
            ph["outage"] = {
                "session_id": s.sid, "room_id": ROOM_IDS[s.room],
                "failure_at": iso(s.start_ms + m0 * MIN_MS - 50_000),
                "start": iso(s.start_ms + m0 * MIN_MS),
                "end": iso(s.start_ms + (m0 + OUTAGE["minutes"] - 1) * MIN_MS),
                "minutes": OUTAGE["minutes"], "incident_logged": False,
                "description": "stream outage: mass exits in the 50 s before `start`, no entries and near-zero "
                               "online for the minutes start..end (inclusive), recovery burst afterwards; "
                               "not in the incident log",
            }
    if ctx.mistimed_info:
        info = ctx.mistimed_info
        s = ses[info["session"]]
        on = mi[mi["s"] == s.idx]
        roll = on["online"].rolling(10).mean().to_numpy()  # window ending at each minute
        interior = np.arange(len(on))
        ok = (interior >= 20 + 9) & (interior <= len(on) - 1 - 20)
        end_i = int(np.flatnonzero(ok)[np.argmin(roll[ok])])
        peak_i = int(np.argmax(on["online"].to_numpy()))
        mms = on["minute_ms"].to_numpy()
        ph["mistimed_pitch"] = {
            "session_id": s.sid, "product_id": ctx.prod_id[info["product"]],
            "product_name": ctx.prod_name[info["product"]], "list_price": float(ctx.prod_price[info["product"]]),
            "pitch_start": iso(s.start_ms + int(info["start"] * 1000)),
            "pitch_end": iso(s.start_ms + int(info["end"] * 1000)),
            "peak_product_id": ctx.prod_id[info["peak_product"]],
            "peak_product_name": ctx.prod_name[info["peak_product"]],
            "peak_list_price": float(ctx.prod_price[info["peak_product"]]),
            "peak_pitch_start": iso(s.start_ms + int(info["peak_start"] * 1000)),
            "peak_pitch_end": iso(s.start_ms + int(info["peak_end"] * 1000)),
            "trough_window": {"start": iso(int(mms[end_i - 9])), "end": iso(int(mms[end_i])),
                              "rule": "10-minute window with the lowest mean online, ignoring the first and "
                                      "last 20 minutes"},
            "peak_minute": iso(int(mms[peak_i])),
        }
    if ctx.weeks >= REFUND_RISE["first_week"]:
        w = REFUND_RISE["first_week"]
        ph["refund_rise"] = {
            "room_id": ROOM_IDS[REFUND_RISE["room"]], "baseline_weeks": list(range(1, w)),
            "rise_weeks": list(range(w, ctx.weeks + 1)),
            "baseline_refund_share_of_orders": REFUND_RATE[REFUND_RISE["room"]],
            "rise_refund_share_of_orders": REFUND_RATE_RISE, "slow_after_hours": 48,
            "description": "refund rate (refund amount / GMV) rises ~4x in the rise weeks and every refund "
                           "in those weeks comes more than 48 h after the order",
        }
    if ctx.weeks > DORMANT["last_active_week"]:
        ids = seen_ids[np.searchsorted(seen, dormant_ids)].tolist()
        w0, w1 = DORMANT["cohort_weeks"]
        ph["dormant_cohort"] = {
            "room_id": ROOM_IDS[DORMANT["room"]],
            "cohort": f"users with an order in an {ROOM_IDS[DORMANT['room']]} session of weeks {w0}-{w1}",
            "cohort_size": int(n_cohort), "dormant_share": DORMANT["share"],
            "last_active_week": DORMANT["last_active_week"],
            "rule": "the dormant users have no event at all (no impression, no visit) in any room "
                    f"after week {DORMANT['last_active_week']}",
            "n_user_ids": len(ids), "user_ids": ids,
        }
    ph["ordinary_session"] = {"session_id": pick_ordinary(ctx, agg)}
    ph["logged_incidents"] = [{"session_id": s.sid, "kind": "stutter"} for s in ses if s.stutter is not None]
    return {"seed": ctx.seed, "scale": ctx.scale, "start_date": START_DATE.isoformat(), "weeks": ctx.weeks,
            "timezone": DEFAULT_TZ, "phenomena": ph, "experiments": exp_planted}


def pick_ordinary(ctx: Context, agg: dict[str, pd.DataFrame]) -> str:
    """First session (R01 evenings, not in experiments, no incident) that passes plain sanity checks."""
    ses = ctx.sessions
    mi = agg["minute"]
    ch = agg["channels"]
    st = agg["sessions"]
    cands = [s for s in ses if not s.planted and s.stutter is None and not s.coupon and s.script_variant < 0
             and not s.creative]
    cands.sort(key=lambda s: (s.room != 0, s.slot != 1, abs(s.week - 3), s.idx))
    for s in cands:
        on = mi.loc[mi["s"] == s.idx, "online"].to_numpy()
        inner = on[15:-10]
        if inner.size == 0:
            continue
        med = float(np.median(inner))
        c = ch[ch["s"] == s.idx]
        share = c["uv"].max() / max(c["uv"].sum(), 1)
        gmv = float(st["gmv"].to_numpy()[s.idx])  # sessions frame: row i is session index i
        refund = float(st["refund_amount"].to_numpy()[s.idx]) / gmv if gmv > 0 else 1.0
        if med >= 3 and inner.min() >= 0.25 * med and share <= 0.45 and gmv > 0 and refund <= 0.12:
            return s.sid
    return cands[0].sid if cands else ses[0].sid
