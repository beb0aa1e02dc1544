"""Who watches a session: the viewers shown the room, their channels, impression times, entries and visits."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .context import Context, Session
from .numeric import top_k
from .params import (
    BASE_MIX,
    CH_INDEX,
    CHANNELS,
    ENTER_MEAN,
    EXPERIMENT_SPECS,
    FOLLOW_CHANNEL_SHARE,
    OUTAGE,
    P_ENTER,
    P_REENTER,
    PRIVATE_CHANNEL_SHARE,
    WATCH_MEDIAN_S,
    WATCH_SIGMA,
)

EventPart = tuple[np.ndarray, np.ndarray, int, np.ndarray | None, np.ndarray | None, np.ndarray | None]
"""Events of one kind: (local viewer, t seconds from start, event type, product, channel, payload)."""


@dataclass
class Stream:
    """Stream disruptions of a session: the outage window without any activity, and forced drops."""

    block: tuple[float, float] | None = None
    breaks: tuple[tuple[float, float, float, bool], ...] = ()  # (t s, P(drop), spread s, is the outage)

    def blocked(self, t: np.ndarray) -> np.ndarray:
        """True for the times (seconds from start) inside the outage window."""
        if self.block is None:
            return np.zeros(t.shape, dtype=bool)
        return (t >= self.block[0]) & (t < self.block[1])


def stream_of(s: Session) -> Stream:
    """The blocked window (outage) and forced drops (outage, logged stutter) of session ``s``."""
    block: tuple[float, float] | None = None
    breaks: list[tuple[float, float, float, bool]] = []
    if s.planted == "outage":
        m0 = s.outage_minute
        tf, tr = m0 * 60.0 - 50.0, (m0 + OUTAGE["minutes"]) * 60.0
        block = (tf, tr)
        breaks.append((tf, 1.0, 45.0, True))  # the stream is gone: every viewer drops
    if s.stutter is not None:
        breaks.append((s.stutter[0], 0.12, 30.0, False))
    return Stream(block, tuple(breaks))


@dataclass
class Audience:
    """The impressed viewers of a session (a viewer's position here is its *local* index) and their visits."""

    users: np.ndarray   # global user index of each impressed viewer
    fol: np.ndarray     # follows the room
    priv: np.ndarray    # private-domain member
    ch: np.ndarray      # channel code of the impression
    imp_t: np.ndarray   # impression time, seconds from start
    vu: np.ndarray      # per visit: local viewer
    vs: np.ndarray      # per visit: start, seconds from start
    ve: np.ndarray      # per visit: end
    vd: np.ndarray      # per visit: duration
    n_first: int        # the first ``n_first`` visits are first visits

    @property
    def n_imp(self) -> int:
        return len(self.users)


def audience(s: Session, ctx: Context, rng: np.random.Generator, lam: np.ndarray, stream: Stream) -> Audience:
    """Draw who is shown session ``s``, from which channel and when, who enters, and every visit.

    Parameters
    ----------
    s, ctx:
        The session and the run context.
    rng:
        The session's generator (draws continue the session's sequence).
    lam:
        Arrival intensity per minute (:func:`.lineup.plan`).
    stream:
        Outage window and forced drops (:func:`stream_of`).

    Returns
    -------
    Audience
    """
    pool = ctx.pool
    r = s.room
    L = s.length_min
    T = L * 60.0
    block = stream.block
    breaks = stream.breaks
    blocked = stream.blocked

    # ---- who is shown the room
    members = pool.members[r]
    w = pool.activity[members] * np.where(pool.follows[members, r], 3.0, 1.0) \
        * np.where(pool.home[members] == r, 1.0, 0.5)
    w = np.where(pool.dormant[members], 0.0, w)
    exp_uv = s.exp_uv * (1.4 if s.planted == "mistimed" else 1.0)  # a big promotion night
    n_imp = min(int(rng.poisson(exp_uv / ENTER_MEAN)), int(np.count_nonzero(w)))
    users = members[top_k(rng, w, n_imp)]
    n_imp = len(users)
    fol = pool.follows[users, r]
    priv = pool.private[users]

    # ---- channel of each impressed viewer
    open_names = list(BASE_MIX)
    base = np.array([BASE_MIX[c] for c in open_names])
    mix = rng.dirichlet(base / base.sum() * 80.0)
    P = np.zeros((n_imp, len(CHANNELS)))
    other = 1.0 - FOLLOW_CHANNEL_SHARE * fol - PRIVATE_CHANNEL_SHARE * priv
    for i, c in enumerate(open_names):
        P[:, CH_INDEX[c]] = mix[i] * other
    P[:, CH_INDEX["关注"]] = FOLLOW_CHANNEL_SHARE * fol
    P[:, CH_INDEX["社群"]] = PRIVATE_CHANNEL_SHARE * priv
    cum = np.cumsum(P, axis=1)
    ch = np.minimum((cum < rng.random(n_imp)[:, None] * cum[:, -1:]).sum(axis=1), len(CHANNELS) - 1).astype(np.int8)

    # ---- impression times follow the arrival intensity
    cl = np.cumsum(lam)
    m = np.searchsorted(cl, rng.random(n_imp) * cl[-1], side="right")
    imp_t = (np.minimum(m, L - 1) + rng.random(n_imp)) * 60.0
    if block is not None:
        b = blocked(imp_t)
        imp_t[b] = np.minimum(block[1] + rng.exponential(40.0, b.sum()), T - 5.0)

    # ---- who enters
    p_enter = np.array([P_ENTER[c] for c in CHANNELS])[ch]
    if s.creative:
        p_enter = p_enter * np.array([EXPERIMENT_SPECS["EXP-CREATIVE"]["effect"][v] for v in ("15s", "30s", "60s")])[
            pool.creative_arm[users]]
    entered = (rng.random(n_imp) < np.minimum(p_enter, 0.95)) & (imp_t < T - 10.0)
    e_loc = np.flatnonzero(entered)
    enter_t = np.minimum(imp_t[e_loc] + 1.0 + rng.exponential(6.0, e_loc.size), T - 3.0)

    # ---- visits (first visit + up to two re-entries)
    med = WATCH_MEDIAN_S[r]
    vu_l, vs_l, ve_l = [], [], []
    cur_u, cur_s = e_loc, enter_t
    for _round in range(3):
        if block is not None:
            b = blocked(cur_s)
            cur_s = cur_s.copy()
            cur_s[b] = block[1] + rng.exponential(45.0, b.sum())
        keep = cur_s < T - 2.0
        cur_u, cur_s = cur_u[keep], cur_s[keep]
        k = cur_u.size
        scale_u = med * np.where(fol[cur_u], 1.8, 1.0) * np.where(priv[cur_u], 1.3, 1.0)
        dur = np.maximum(3.0, scale_u * rng.lognormal(0.0, WATCH_SIGMA, k))
        cur_e = np.minimum(cur_s + dur, T)
        dropped = np.zeros(k, dtype=bool)
        for tb, p_drop, spread, is_outage in breaks:
            act = (cur_s < tb) & (cur_e > tb)
            d = act & (rng.random(k) < p_drop)
            cur_e[d] = np.minimum(tb + rng.uniform(0.0, spread, d.sum()), T)
            if is_outage:
                dropped |= d
        vu_l.append(cur_u)
        vs_l.append(cur_s)
        ve_l.append(cur_e)
        p_re = np.where(fol[cur_u], P_REENTER[1], P_REENTER[0])
        re = (rng.random(k) < p_re) & (cur_e < T - 60.0)
        nxt = cur_e + 2.0 + rng.lognormal(math.log(150.0), 0.9, k)
        if block is not None:
            ret = dropped & (rng.random(k) < 0.55)
            re = re | ret
            nxt[ret] = block[1] + rng.exponential(60.0, ret.sum())
        cur_u, cur_s = cur_u[re], nxt[re]
    vu = np.concatenate(vu_l)
    vs = np.concatenate(vs_l)
    ve = np.concatenate(ve_l)
    vd = ve - vs
    return Audience(users=users, fol=fol, priv=priv, ch=ch, imp_t=imp_t, vu=vu, vs=vs, ve=ve, vd=vd,
                    n_first=vu_l[0].size)
