"""What the team planned for a session: the run sheet (planned pitch schedule), the stock, and the planted sell-out.

The run sheet is derived from the actual pitches (:func:`.lineup.plan`) with a
cumulative lateness (the host falls behind, sometimes catches up) and, in some
sessions, one extra product planned for the close that was never pitched
(skipped). Stock at session start is generous except for the planted sell-out,
where it equals the units ordered until the sell-out minute and every later
order of that product is removed. Draws use the session's own plan generator
``default_rng([seed, 4, session_index])``, so the rest of the data does not
depend on them.
"""
from __future__ import annotations

import numpy as np

from .audience import Audience, EventPart
from .context import Context, Session
from .params import MIN_MS, ORDER, RUN_SHEET_LATE, RUN_SHEET_SKIP, SELL_OUT

Columns = dict[str, np.ndarray]


def online_by_minute(aud: Audience, length_min: int) -> np.ndarray:
    """Visits online in each minute of the session (a visit counts from its enter minute to its exit minute)."""
    a = np.floor(aud.vs / 60.0).astype(np.int64)
    b = np.minimum(np.floor(aud.ve / 60.0).astype(np.int64), length_min)
    diff = np.bincount(a, minlength=length_min + 2) - np.bincount(b + 1, minlength=length_min + 2)
    return np.cumsum(diff)[: length_min + 1]


def sell_out(s: Session, ctx: Context, aud: Audience, lineup: np.ndarray, p_start: np.ndarray,
             p_end: np.ndarray, parts: list[EventPart]) -> list[EventPart]:
    """Cut the orders of the sell-out product after the sell-out minute (the planted session only).

    The sell-out minute is the last minute of the product's pitch with at least 80 % of the
    pitch's peak online among those that leave at least ``SELL_OUT["min_before"]`` orders of
    it up to and including that minute and ``SELL_OUT["min_after"]`` after it; its details go
    to ``ctx.sell_out_info``.

    Returns
    -------
    list
        ``parts`` with the order part filtered (unchanged when the session is not the planted one).
    """
    if s.planted != "sell_out" or not ctx.sell_out_info:
        return parts
    k = int(ctx.sell_out_info["k"])
    prod = int(lineup[k])
    online = online_by_minute(aud, s.length_min)
    out = list(parts)
    j = next(i for i, x in enumerate(out) if x[2] == ORDER)
    u, t, et, p, c, pl = out[j]
    assert p is not None and pl is not None  # the order part carries products and order indices
    mine = p == prod
    om = np.floor(np.floor(t[mine]) / 60.0).astype(np.int64)
    m0, m1 = int(p_start[k] // 60), int(p_end[k] // 60)
    # the last minute of the pitch with at least 80 % of its peak online that leaves enough orders either side
    ok = [m for m in range(m0, min(m1, len(online) - 1) + 1)
          if int((om <= m).sum()) >= SELL_OUT["min_before"] and int((om > m).sum()) >= SELL_OUT["min_after"]]
    high = [m for m in ok if online[m] >= 0.8 * max(online[x] for x in ok)] if ok else []
    best = max(high) if high else -1
    if best < 0:
        return parts
    keep = ~(mine & (np.floor(np.floor(t) / 60.0) > best))
    out[j] = (u[keep], t[keep], et, p[keep], c, pl[keep])
    best = int(om[om <= best].max())  # the stock runs out with the last order
    ctx.sell_out_info.update(product=prod, minute=best, online=int(online[best]),
                             median_online=float(np.median(online)), peak_online=int(online.max()),
                             cut=int((~keep).sum()))
    return out


def plan_rows(s: Session, ctx: Context, lineup: np.ndarray, p_start: np.ndarray, p_end: np.ndarray,
              orders: Columns) -> tuple[Columns, Columns]:
    """The session's run sheet and stock rows.

    Parameters
    ----------
    s, ctx:
        The session and the run context.
    lineup, p_start, p_end:
        The actual pitches (global product indices, seconds from the start).
    orders:
        The session's order rows (``p`` product, ``qty``); the sell-out product's stock is
        exactly its units ordered.

    Returns
    -------
    tuple
        Run-sheet columns ``p``, ``start``, ``end`` (epoch ms, whole minutes) and stock
        columns ``p``, ``stock``.
    """
    rng = np.random.default_rng([ctx.seed, 4, s.idx])
    n = len(lineup)
    L = s.length_min
    lens = p_end - p_start
    c = np.empty(n + 1)
    c[0] = rng.uniform(-30.0, 60.0)
    p_step, (lo, hi) = RUN_SHEET_LATE
    for i in range(1, n + 1):
        u = rng.random()
        if u < p_step:  # falls behind by a few minutes
            step = rng.uniform(lo, hi) * 60.0
        elif u < p_step + 0.35:  # catches up
            step = -min(max(c[i - 1], 0.0), rng.uniform(1.0, 4.0) * 60.0)
        else:
            step = rng.uniform(-20.0, 20.0)
        c[i] = c[i - 1] + min(step, 0.6 * lens[i - 1])
    c[:n] = np.minimum(c[:n], p_start - 60.0)
    ps = np.maximum(np.round((p_start - c[:n]) / 60.0), 0).astype(np.int64)
    pe = np.round((p_end - c[1:]) / 60.0).astype(np.int64)
    for i in range(n):
        if i > 0:
            ps[i] = max(ps[i], pe[i - 1])
        pe[i] = min(max(pe[i], ps[i] + 1), L)
    prods, starts, ends = list(lineup), list(ps), list(pe)
    others = np.setdiff1d(ctx.catalog[s.room], lineup)
    skip_p = int(rng.choice(others)) if others.size else -1
    if rng.random() < RUN_SHEET_SKIP and skip_p >= 0:  # one more product planned for the close, never pitched
        a = int(pe[-1]) + 1
        b = a + int(rng.integers(3, 7))
        if b <= L:
            prods.append(skip_p)
            starts.append(a)
            ends.append(b)
    run = dict(p=np.array(prods, dtype=np.int64), start=s.start_ms + np.array(starts, dtype=np.int64) * MIN_MS,
               end=s.start_ms + np.array(ends, dtype=np.int64) * MIN_MS)
    # stock at session start: what was sold × a generous margin, rounded up to tens
    sold = np.array([orders["qty"][orders["p"] == q].sum() for q in prods], dtype=np.int64)
    stock = np.maximum(30, np.ceil(sold * rng.uniform(1.6, 3.5, len(prods)) / 10.0) * 10).astype(np.int64)
    info = ctx.sell_out_info
    if s.planted == "sell_out" and "product" in info:
        stock[prods.index(info["product"])] = sold[prods.index(info["product"])]
        info["stock"] = int(sold[prods.index(info["product"])])
    inv = dict(p=np.array(prods, dtype=np.int64), stock=stock)
    return run, inv
