"""Simulation of one session: viewers, their events, orders and comments, as int-coded columns.

Each session runs on its own generator ``default_rng([seed, 1, session_index])``
and draws, in this order: the running order (:mod:`.lineup`), live-price
discounts, the audience and its visits (:mod:`.audience`), interactions
(:mod:`.interactions`), shopping (:mod:`.shopping`) and the host's replies to
questions. Everything is vectorised over viewers, visits and events.
"""
from __future__ import annotations

import numpy as np

from . import text as txt
from .audience import Audience, EventPart, audience, stream_of
from .context import Context, Session
from .interactions import interactions
from .lineup import plan
from .params import COMMENT, ENTER, EXIT, FOLLOW, IMP, LIVE_DISCOUNT, MS, ORDER
from .plans import plan_rows, sell_out
from .shopping import Orders, shopping

Columns = dict[str, np.ndarray]
Events = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def simulate(s: Session, ctx: Context, rng: np.random.Generator) -> dict[str, Columns]:
    """Simulate session ``s``; new follows are recorded in ``ctx.pool`` for later sessions.

    Parameters
    ----------
    s, ctx:
        The session and the run context.
    rng:
        The session's own generator.

    Returns
    -------
    dict
        ``events``, ``orders``, ``comments``, ``pitches``, ``run_sheet`` and ``inventory``: columns of int codes
        (global user and product indices, epoch milliseconds, event-type, channel,
        status and text codes; host comments have user -1).
    """
    lineup, p_start, p_end, lam = plan(s, ctx, rng)
    n_p = len(lineup)
    roles = ctx.prod_role[lineup]
    disc = np.round(rng.uniform(*LIVE_DISCOUNT, n_p), 2)  # live price = list × discount
    stream = stream_of(s)
    aud = audience(s, ctx, rng, lam, stream)
    ev: list[EventPart] = [
        (np.arange(aud.n_imp), aud.imp_t, IMP, None, aud.ch, None),
        (aud.vu, aud.vs, ENTER, None, aud.ch[aud.vu], None),
        (aud.vu, aud.ve, EXIT, None, None, None),
    ]
    ev_i, c_text, c_kind = interactions(s, ctx, rng, aud, stream, roles, p_start)
    ev_s, od = shopping(s, ctx, rng, aud, stream, lineup, p_start, p_end, disc)
    ev_s = sell_out(s, ctx, aud, lineup, p_start, p_end, ev_s)
    evs = _assemble(s, ev + ev_i + ev_s)
    orders = _order_rows(aud, od, lineup, evs)
    run_sheet, inventory = plan_rows(s, ctx, lineup, p_start, p_end, orders)
    comments = _comment_rows(s, ctx, rng, aud, c_text, c_kind, lineup, p_start, p_end, disc, evs)

    # ---- follow state for later sessions
    users = aud.users
    e_u, e_ms, e_ty, e_p, e_c, _ = evs
    fu = users[e_u[e_ty == FOLLOW]]
    ctx.pool.follows[fu, s.room] = True

    pitches = dict(p=lineup, start=s.start_ms + (p_start * 1000).astype(np.int64),
                   end=s.start_ms + (p_end * 1000).astype(np.int64))
    events = dict(u=users[e_u].astype(np.int32), ts=e_ms, et=e_ty, p=e_p.astype(np.int16), c=e_c)
    return dict(events=events, orders=orders, comments=comments, pitches=pitches, run_sheet=run_sheet,
                inventory=inventory)


def _assemble(s: Session, ev: list[EventPart]) -> Events:
    """All event parts as columns (user, ms, type, product, channel, payload).

    Times become whole seconds; of events with the same (user, second, type) the first
    part's is kept; sorted by time, user, type.
    """
    e_u = np.concatenate([x[0] for x in ev])
    e_t = np.concatenate([x[1] for x in ev])
    e_ty = np.concatenate([np.full(x[0].size, x[2], dtype=np.int8) for x in ev])
    e_p = np.concatenate([x[3] if x[3] is not None else np.full(x[0].size, -1) for x in ev])
    e_c = np.concatenate([x[4] if x[4] is not None else np.full(x[0].size, -1, dtype=np.int8) for x in ev])
    e_pl = np.concatenate([x[5] if x[5] is not None else np.full(x[0].size, -1) for x in ev])
    # whole seconds, like platform logs (and so watch time is exact in any engine)
    e_ms = s.start_ms + np.floor(e_t).astype(np.int64) * MS
    o = np.lexsort((e_ty, e_ms, e_u))
    dup = np.zeros(o.size, dtype=bool)
    dup[1:] = (e_u[o][1:] == e_u[o][:-1]) & (e_ms[o][1:] == e_ms[o][:-1]) & (e_ty[o][1:] == e_ty[o][:-1])
    keep = np.sort(o[~dup])
    e_u, e_ms, e_ty, e_p, e_c, e_pl = e_u[keep], e_ms[keep], e_ty[keep], e_p[keep], e_c[keep], e_pl[keep]
    o = np.lexsort((e_ty, e_u, e_ms))
    e_u, e_ms, e_ty, e_p, e_c, e_pl = e_u[o], e_ms[o], e_ty[o], e_p[o], e_c[o], e_pl[o]
    return e_u, e_ms, e_ty, e_p, e_c, e_pl


def _order_rows(aud: Audience, od: Orders, lineup: np.ndarray, events: Events) -> Columns:
    """The orders table rows of the session, in event order."""
    users, ch = aud.users, aud.ch
    e_u, e_ms, e_ty, _, _, e_pl = events
    oi = e_pl[e_ty == ORDER]
    o_ms = e_ms[e_ty == ORDER]
    o_user = e_u[e_ty == ORDER]
    return dict(
        u=users[o_user], p=lineup[od.k[oi]], ts=o_ms, qty=od.qty[oi].astype(np.int64), amount=od.amount[oi],
        refund=od.refund[oi],
        refunded_at=np.where(od.refunded[oi], o_ms + (od.delay_h[oi] * 3_600_000).astype(np.int64) // MS * MS, -1),
        status=od.status[oi], c=ch[o_user],
    )


def _comment_rows(s: Session, ctx: Context, rng: np.random.Generator, aud: Audience, c_text: np.ndarray,
                  c_kind: np.ndarray, lineup: np.ndarray, p_start: np.ndarray, p_end: np.ndarray,
                  disc: np.ndarray, events: Events) -> Columns:
    """The comments table rows: viewer comments and the host's replies to a share of the questions."""
    users = aud.users
    n_p = len(lineup)
    e_u, e_ms, e_ty, _, _, e_pl = events
    ci = e_pl[e_ty == COMMENT]
    cm_ms = e_ms[e_ty == COMMENT]
    cm_u = users[e_u[e_ty == COMMENT]]
    cm_text = c_text[ci]
    is_q = c_kind[ci] == 0
    qi = np.flatnonzero(is_q)
    ans = qi[rng.random(qi.size) < s.answer_rate]
    r_ms = cm_ms[ans] + rng.integers(10, 121, ans.size) * MS
    okr = r_ms <= s.end_ms
    ans, r_ms = ans[okr], r_ms[okr]
    # product-specific reply about the product on stage at reply time, else a generic one
    r_off = (r_ms - s.start_ms) / 1000.0
    on_stage = np.full(ans.size, -1)
    for i in range(n_p):
        on_stage[(r_off >= p_start[i]) & (r_off < p_end[i])] = i
    reply_ids = np.empty((n_p, len(txt.HOST_REPLIES)), dtype=np.int64)
    for i in range(n_p):
        pid = int(lineup[i])
        live = f"{ctx.prod_price[pid] * disc[i]:.0f}"
        for jj, tmpl in enumerate(txt.HOST_REPLIES):
            reply_ids[i, jj] = ctx.text_id(tmpl.format(n=i + 1, name=ctx.prod_name[pid], price=live))
    use_prod = (on_stage >= 0) & (rng.random(ans.size) < 0.65)
    r_text = ctx.texts["generic_reply"][rng.integers(0, len(txt.HOST_REPLIES_GENERIC), ans.size)]
    tj = rng.integers(0, len(txt.HOST_REPLIES), ans.size)
    r_text = np.where(use_prod, reply_ids[np.maximum(on_stage, 0), tj], r_text)
    n_vc = cm_ms.size
    all_ms = np.concatenate([cm_ms, r_ms])
    all_u = np.concatenate([cm_u, np.full(ans.size, -1)])
    all_text = np.concatenate([cm_text, r_text])
    all_reply = np.concatenate([np.full(n_vc, -1), ans])
    co = np.lexsort((np.arange(all_ms.size), all_ms))
    pos = np.empty(co.size, dtype=np.int64)
    pos[co] = np.arange(co.size)
    reply_pos = np.where(all_reply[co] >= 0, pos[np.maximum(all_reply[co], 0)], -1)
    return dict(u=all_u[co], ts=all_ms[co], text=all_text[co], reply=reply_pos)
