"""Shopping in a session: product impressions, clicks, carts, orders and their refunds."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .audience import Audience, EventPart, Stream
from .context import Context, Session
from .numeric import cents, weighted_choice
from .params import (
    BUY_RATE,
    BUY_ROLE_WEIGHT,
    CART,
    CHOICE_ELASTICITY,
    CLICK_RATE,
    CLICK_ROOM,
    EXPERIMENT_SPECS,
    ORDER,
    PCLICK,
    PIMP,
    PRICE_ELASTICITY,
    REFUND_RATE,
    REFUND_RATE_RISE,
    REFUND_RISE,
    TIER_BUY,
)


@dataclass
class Orders:
    """The orders of a session, in the order of their events' payload."""

    k: np.ndarray           # line-up position of the product
    qty: np.ndarray
    amount: np.ndarray      # yuan, rounded to cents
    refund: np.ndarray      # refund amount, 0 when not refunded
    refunded: np.ndarray    # bool
    delay_h: np.ndarray     # hours from order to refund
    status: np.ndarray      # index into params.STATUSES


def shopping(s: Session, ctx: Context, rng: np.random.Generator, aud: Audience, stream: Stream,
             lineup: np.ndarray, p_start: np.ndarray, p_end: np.ndarray,
             disc: np.ndarray) -> tuple[list[EventPart], Orders]:
    """Product impression, click, cart and order events of the visits in ``aud``, and the orders.

    A product is seen when it is pitched during a visit, or while browsing the bag (小黄车);
    each clicking person buys with a person-level probability (room, member tier, the
    session's conversion factor and the experiments' true effects).

    Parameters
    ----------
    s, ctx, rng:
        The session, the run context and the session's generator.
    aud, stream:
        The visits (:func:`.audience.audience`) and the outage window.
    lineup, p_start, p_end:
        The line-up and its pitch segments (:func:`.lineup.plan`).
    disc:
        Live price / list price of each line-up position.

    Returns
    -------
    tuple
        The event parts (product impression, click, cart, order) and the :class:`Orders`.
    """
    pool = ctx.pool
    r = s.room
    users, n_imp = aud.users, aud.n_imp
    vu, vs, ve, vd = aud.vu, aud.vs, aud.ve, aud.vd
    V = vu.size
    n_p = len(lineup)
    roles = ctx.prod_role[lineup]
    blocked = stream.blocked
    ev: list[EventPart] = []

    # ---- products: seen when pitched during the visit, plus browsing the bag (小黄车)
    os_ = np.maximum(vs[:, None], p_start[None, :])
    oe_ = np.minimum(ve[:, None], p_end[None, :])
    ov = oe_ - os_
    pv, pk = np.nonzero(ov > 2.0)
    ovl = ov[pv, pk]
    see = rng.random(pv.size) < 0.75 * (1 - np.exp(-ovl / 40.0))
    pv, pk, ovl = pv[see], pk[see], ovl[see]
    pt = os_[pv, pk] + np.minimum(1.0 + rng.exponential(8.0, pv.size), 0.5 * ovl)
    bag = rng.random(V) < 0.10 * (1 - np.exp(-vd / 120.0))
    bv = np.flatnonzero(bag)
    bk = rng.integers(0, n_p, bv.size)
    bt = vs[bv] + rng.random(bv.size) * vd[bv]
    pv = np.concatenate([pv, bv])
    pk = np.concatenate([pk, bk])
    pt = np.concatenate([pt, bt])
    ok = ~blocked(pt)
    pv, pk, pt = pv[ok], pk[ok], pt[ok]
    ev.append((vu[pv], pt, PIMP, lineup[pk], None, None))

    clk = rng.random(pv.size) < np.array(CLICK_RATE)[roles[pk]] * CLICK_ROOM[r]
    kv, kk_, kt = pv[clk], pk[clk], pt[clk] + 1.0 + rng.exponential(20.0, clk.sum())
    ok = (kt <= ve[kv]) & ~blocked(kt)
    kv, kk_, kt = kv[ok], kk_[ok], kt[ok]
    ev.append((vu[kv], kt, PCLICK, lineup[kk_], None, None))

    crt = rng.random(kv.size) < 0.4
    at = kt[crt] + 1.0 + rng.exponential(15.0, crt.sum())
    ok = (at <= ve[kv[crt]]) & ~blocked(at)
    ev.append((vu[kv[crt]][ok], at[ok], CART, lineup[kk_[crt]][ok], None, None))

    # ---- orders: each clicking person buys with probability q (person level)
    cu = vu[kv]
    clickers = np.unique(cu)
    gcl = users[clickers]
    # price sensitivity: a person whose cheapest clicked product costs more than the room's median buys less often
    click_price = ctx.prod_price[lineup[kk_]]
    ref = float(np.median(ctx.prod_price[ctx.catalog[r]]))
    cheapest = np.full(n_imp, np.inf)
    np.minimum.at(cheapest, cu, click_price)
    q = BUY_RATE[r] * np.array(TIER_BUY)[pool.tier[gcl]] * s.q_factor \
        * np.minimum(1.0, (cheapest[clickers] / ref) ** -PRICE_ELASTICITY[r])
    if s.script_variant == 1:
        q = q * EXPERIMENT_SPECS["EXP-SCRIPT"]["effect"]["B"]
    if s.coupon:
        q = q * np.where(pool.coupon_grid[gcl], EXPERIMENT_SPECS["EXP-COUPON"]["effect"]["宫格"], 1.0)
    buyer_l = clickers[rng.random(clickers.size) < np.minimum(q, 0.95)]
    is_buyer_click = np.isin(cu, buyer_l)
    key = (np.log(np.array(BUY_ROLE_WEIGHT)[roles[kk_]]) - CHOICE_ELASTICITY[r] * np.log(click_price / ref)
           + rng.gumbel(size=kv.size))
    o_idx = np.flatnonzero(is_buyer_click)
    o_idx = o_idx[np.lexsort((-key[o_idx], cu[o_idx]))]
    first_o = np.ones(o_idx.size, dtype=bool)
    first_o[1:] = cu[o_idx][1:] != cu[o_idx][:-1]
    main = o_idx[first_o]
    main_prod = np.full(n_imp, -1)
    main_prod[cu[main]] = kk_[main]
    extra = o_idx[~first_o]
    extra = extra[(kk_[extra] != main_prod[cu[extra]]) & (rng.random(extra.size) < 0.10)]
    oc = np.concatenate([main, extra])  # index into clicks
    room_left = ve[kv[oc]] - kt[oc]
    ot = kt[oc] + np.minimum(2.0 + rng.exponential(40.0, oc.size), room_left * rng.uniform(0.3, 0.95, oc.size))
    ok = ~blocked(ot)
    oc, ot = oc[ok], ot[ok]
    n_o = oc.size
    ev.append((vu[kv[oc]], ot, ORDER, lineup[kk_[oc]], None, np.arange(n_o)))
    o_k = kk_[oc]
    price = ctx.prod_price[lineup[o_k]]
    qty = np.where(price > 150, weighted_choice(rng, (0.94, 0.05, 0.01), n_o),
                   weighted_choice(rng, (0.80, 0.15, 0.05), n_o)) + 1
    amount = cents(price * qty * disc[o_k])
    first_week = REFUND_RISE["first_week"]
    rise = s.room == REFUND_RISE["room"] and s.week >= first_week and ctx.weeks >= first_week
    # big-ticket items (数码) are returned less often; keeps the refund-amount rate near REFUND_RATE
    p_ref = REFUND_RATE_RISE if rise else REFUND_RATE[r] * np.where(price > 500, 0.8, 1.1)
    refunded = rng.random(n_o) < p_ref
    partial = refunded & (rng.random(n_o) < 0.2)
    frac = np.where(partial, rng.uniform(0.3, 0.7, n_o), 1.0)
    refund = np.where(refunded, cents(amount * frac), 0.0)
    if rise:
        delay_h = 50.0 + rng.lognormal(math.log(40.0), 0.5, n_o)
    else:
        delay_h = np.where(rng.random(n_o) < 0.05, rng.uniform(48.5, 120.0, n_o),
                           np.clip(rng.lognormal(math.log(18.0), 0.6, n_o), 1.0, 47.5))
    status = np.where(refunded, np.where(partial, 2, 1), 0).astype(np.int8)
    return ev, Orders(k=o_k, qty=qty, amount=amount, refund=refund, refunded=refunded, delay_h=delay_h,
                      status=status)
