"""What viewers do while watching, apart from shopping: likes, shares, follows and comments (弹幕)."""
from __future__ import annotations

import numpy as np

from .audience import Audience, EventPart, Stream
from .context import Context, Session
from .params import COMMENT, COMMENT_KIND_P, COMMENT_RATE, FOLLOW, LIKE, LIKE_RATE, P_FOLLOW, SHARE, SHARE_RATE, TD


def interactions(s: Session, ctx: Context, rng: np.random.Generator, aud: Audience, stream: Stream,
                 roles: np.ndarray, p_start: np.ndarray) -> tuple[list[EventPart], np.ndarray, np.ndarray]:
    """Like, share, follow and comment events of the visits in ``aud``.

    Comments are viewer questions, remarks, spam and emoji (some repeated), plus the
    "扣1" floods the host asks for after each traffic-driver pitch starts.

    Parameters
    ----------
    s, ctx, rng:
        The session, the run context and the session's generator.
    aud, stream:
        The visits (:func:`.audience.audience`) and the outage window.
    roles, p_start:
        Role and start (seconds) of each pitch of the line-up.

    Returns
    -------
    tuple
        The event parts (like, share, follow, comment), and per comment (the comment
        events' payload indexes these) its text id and kind: 0 question, 1 remark,
        2 spam, 3 emoji, 4 flood, 5 repeat.
    """
    pool = ctx.pool
    r = s.room
    users, fol = aud.users, aud.fol
    vu, vs, ve, vd = aud.vu, aud.vs, aud.ve, aud.vd
    V = vu.size
    blocked = stream.blocked
    ev: list[EventPart] = []

    def in_visit(rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cnt = rng.poisson(rate)
        vi = np.repeat(np.arange(V), cnt)
        t = vs[vi] + rng.random(vi.size) * vd[vi]
        ok = ~blocked(t)
        return vi[ok], t[ok]

    gu = users[vu]
    vi, t = in_visit(vd / 60 * LIKE_RATE * pool.liker[gu])
    ev.append((vu[vi], t, LIKE, None, None, None))
    vi, t = in_visit(vd / 60 * SHARE_RATE)
    ev.append((vu[vi], t, SHARE, None, None, None))

    # follow: once, during the first visit, for viewers not yet following the room
    first = np.zeros(V, dtype=bool)
    first[: aud.n_first] = True
    p_f = P_FOLLOW * (1 - np.exp(-vd / 300.0)) * first * ~fol[vu]
    f = rng.random(V) < p_f
    ft = vs[f] + rng.random(f.sum()) * vd[f]
    okf = ~blocked(ft)
    ev.append((vu[f][okf], ft[okf], FOLLOW, None, None, None))

    # ---- comments (payload = text id; kind 0 question 1 remark 2 spam 3 emoji 4 flood 5 repeat)
    cvi, ct = in_visit(vd / 60 * COMMENT_RATE * pool.talk[gu])
    kind = rng.choice(4, size=cvi.size, p=COMMENT_KIND_P)
    text = np.empty(cvi.size, dtype=np.int64)
    for kk, arr in enumerate((ctx.texts[("q", r)], ctx.texts[("rem", r)], ctx.texts["spam"], ctx.texts["emoji"])):
        mk = kind == kk
        text[mk] = arr[rng.integers(0, arr.size, mk.sum())]
    rep = (rng.random(cvi.size) < np.where(kind == 2, 0.35, np.where(kind < 2, 0.08, 0.0)))
    rt = ct[rep] + 3.0 + rng.exponential(20.0, rep.sum())
    okr = (rt <= ve[cvi[rep]]) & ~blocked(rt)
    f_v, f_t, f_x = [], [], []
    flood = ctx.texts["flood"]
    for i in np.flatnonzero(roles == TD):  # host: "想要的扣1" after each traffic-driver pitch starts
        t0 = p_start[i] + 30.0
        act = np.flatnonzero((vs <= t0) & (ve > t0))
        act = act[rng.random(act.size) < 0.4]
        tt = t0 + rng.exponential(6.0, act.size)
        ok = (tt <= ve[act]) & ~blocked(tt)
        # most type the text the host asked for, some a variant
        x = np.where(rng.random(act.size) < 0.8, flood[int(rng.integers(flood.size))],
                     flood[rng.integers(0, flood.size, act.size)])
        f_v.append(act[ok])
        f_t.append(tt[ok])
        f_x.append(x[ok])
    f_v_a = np.concatenate(f_v) if f_v else np.zeros(0, dtype=np.int64)
    f_t_a = np.concatenate(f_t) if f_t else np.zeros(0)
    f_x_a = np.concatenate(f_x) if f_x else np.zeros(0, dtype=np.int64)
    c_v = np.concatenate([cvi, cvi[rep][okr], f_v_a])
    c_t = np.concatenate([ct, rt[okr], f_t_a])
    c_text = np.concatenate([text, text[rep][okr], f_x_a])
    c_kind = np.concatenate([kind, np.full(okr.sum(), 5), np.full(f_v_a.size, 4)])
    ev.append((vu[c_v], c_t, COMMENT, None, None, np.arange(c_v.size)))
    return ev, c_text, c_kind
