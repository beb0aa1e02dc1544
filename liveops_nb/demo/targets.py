"""``targets.csv``: the team's GMV, UV and buyer targets per room for every ISO week and full month of the demo.

A target is set before its period from the room's previous period (a growth plan of
0–15 %); the first week and the first full month are planned from their own outcome
× U(0.9, 1.1). So some periods are attained and some missed. Values are rounded to
three significant digits, like targets people write down.
"""
from __future__ import annotations

import calendar
from datetime import timedelta

import numpy as np
import pandas as pd

from .context import Context
from .params import ENTER, ROOM_IDS, START_DATE

METRICS = ("gmv", "uv", "buyers")


def _round3(x: float) -> int:
    """``x`` rounded to three significant digits, as a whole number (0 stays 0)."""
    return int(round(float(f"{x:.3g}"))) if x > 0 else 0


def realized(ctx: Context, ev: pd.DataFrame, od: pd.DataFrame) -> pd.DataFrame:
    """Per room and period (ISO week ``2026-W41`` and full month ``2026-10``): gmv, uv, buyers.

    ``uv`` and ``buyers`` are distinct people over the period (like ``ds.kpis(..., by=["room_id", "week"])``).
    """
    ses = ctx.sessions
    day = np.array([s.day for s in ses])
    room = np.array([s.room for s in ses])
    dates = [START_DATE + timedelta(days=int(d)) for d in range(ctx.weeks * 7)]
    week_of = np.array([f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in dates])
    month_of = np.array([f"{d:%Y-%m}" for d in dates])
    full = {m for m in set(month_of)
            if (month_of == m).sum() == calendar.monthrange(int(m[:4]), int(m[5:]))[1]}
    rows = []
    e = ev.loc[ev["et"].to_numpy() == ENTER, ["s", "u"]]
    o = od[["s", "u", "amount"]]
    for kind, label in (("week", week_of), ("month", month_of)):
        per = label[day]
        for r in range(len(ROOM_IDS)):
            for p in sorted(set(per[room == r])):
                if kind == "month" and p not in full:
                    continue
                sel = np.flatnonzero((room == r) & (per == p))
                ee = e[np.isin(e["s"].to_numpy(), sel)]
                oo = o[np.isin(o["s"].to_numpy(), sel)]
                rows.append((ROOM_IDS[r], kind, p, float(oo["amount"].sum()), int(ee["u"].nunique()),
                             int(oo["u"].nunique())))
    return pd.DataFrame(rows, columns=["room_id", "kind", "period", *METRICS])


def targets_csv(ctx: Context, ev: pd.DataFrame, od: pd.DataFrame) -> str:
    """The text of ``targets.csv`` (columns ``room_id,period,metric,target``)."""
    got = realized(ctx, ev, od)
    rng = np.random.default_rng([ctx.seed, 5])
    lines = ["room_id,period,metric,target"]
    for (_room, _kind), g in got.groupby(["room_id", "kind"], sort=False):
        prev = None
        for _, row in g.iterrows():
            for m in METRICS:
                if prev is None:
                    base = row[m] * rng.uniform(0.9, 1.1)
                else:
                    base = prev[m] * rng.uniform(1.0, 1.15)
                lines.append(f"{row['room_id']},{row['period']},{m},{_round3(base)}")
            prev = row
    return "\n".join(lines) + "\n"
