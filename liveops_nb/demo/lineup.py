"""A session's running order: the product line-up, the pitch segments and the arrival intensity."""
from __future__ import annotations

import numpy as np

from .context import Context, Session
from .numeric import window
from .params import DECLINE, OUTAGE, PF, RG, TD


def plan(s: Session, ctx: Context, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Line-up, pitch segments and the per-minute arrival intensity of session ``s``.

    Traffic-driver pitches bring arrival bumps, regular ones small troughs; the
    mistimed session gets its planted shape and fills ``ctx.mistimed_info``; the
    outage session gets no arrivals during the outage and a recovery burst.

    Returns
    -------
    tuple
        ``(lineup, p_start, p_end, lam)``: global product indices in pitch order,
        pitch start and end in seconds from the session start, and the arrival
        intensity per minute (positive).
    """
    L = s.length_min
    T = L * 60.0
    mistimed = s.planted == "mistimed"
    n = int(rng.integers(7, 10)) if mistimed else int(rng.integers(6, 13))
    # line-up: traffic driver → profit → regular, repeated
    cat = ctx.catalog[s.room]
    by_role = [cat[ctx.prod_role[cat] == k] for k in (TD, PF, RG)]
    n_td = min(len(by_role[TD]), max(2, round(n * 0.3)))
    n_pf = min(len(by_role[PF]), max(2, round(n * 0.25)))
    n_rg = min(len(by_role[RG]), n - n_td - n_pf)
    chosen = [list(rng.choice(by_role[k], size=m, replace=False)) for k, m in ((TD, n_td), (PF, n_pf), (RG, n_rg))]
    top = int(by_role[PF][np.argmax(ctx.prod_price[by_role[PF]])])
    if mistimed and top not in chosen[PF]:
        chosen[PF][0] = top
    seq: list[int] = []
    order = (TD, PF, RG)
    k = 0
    while any(chosen):
        role = order[k % 3]
        k += 1
        if chosen[role]:
            seq.append(int(chosen[role].pop(0)))
    lineup = np.array(seq[:n], dtype=np.int64)
    n = len(lineup)
    roles = ctx.prod_role[lineup]

    amp = rng.uniform(0.6, 1.1, n)
    spill = np.ones(n)
    alpha = np.full(n, 6.0)
    j = kpk = -1
    if mistimed:
        # the most expensive profit product goes to the middle slot, which is made long and
        # starved of arrivals; a cheap traffic driver earlier gets the one big traffic wave
        pf_pos = np.flatnonzero(roles == PF)
        j = int(pf_pos[np.argmin(np.abs(pf_pos - n // 2))])
        pos_top = int(np.flatnonzero(lineup == top)[0])
        lineup[[j, pos_top]] = lineup[[pos_top, j]]
        roles = ctx.prod_role[lineup]
        td_pos = np.flatnonzero((roles == TD) & (np.abs(np.arange(n) - j) >= 2))
        kpk = int(td_pos[np.argmin(np.abs(td_pos - (j - 2)))])
        amp = np.minimum(amp, 0.7)
        amp[kpk] = 3.0
        spill[kpk] = 0.0
        if j > 0 and roles[j - 1] == TD:  # no traffic wave spilling into the mistimed slot
            amp[j - 1] = 0.3
            spill[j - 1] = 0.0
        alpha[j] = 15.0

    # pitch segments: consecutive, small gaps, covering most of the broadcast
    warm = rng.uniform(3, 8) * 60
    tail = rng.uniform(3, 8) * 60
    gaps = rng.uniform(20, 150, n - 1)
    avail = T - warm - tail - gaps.sum()
    lens = rng.dirichlet(alpha) * avail
    if mistimed and lens[j] < min(1800.0, 0.25 * avail):  # the mistimed slot lasts ≥ 30 min
        want = min(1800.0, 0.25 * avail)
        others = np.arange(n) != j
        lens[others] *= (avail - want) / lens[others].sum()
        lens[j] = want
    p_start = np.round(warm + np.concatenate([[0.0], np.cumsum(lens[:-1] + gaps)]))
    p_end = np.round(p_start + lens)
    kso = _planted_shapes(s, ctx, roles, p_start, amp, spill)

    t = np.arange(L) + 0.5
    shape = (1 - np.exp(-t / rng.uniform(3, 7))) * (1 - (0.0 if mistimed else 0.25) * t / L)
    shape[t > L - 5] *= 0.7
    bump = np.zeros(L)
    for i in range(n):
        a, b = p_start[i] / 60, p_end[i] / 60
        if roles[i] == TD:
            nxt = (p_end[i + 1] - p_start[i + 1]) / 60 if i + 1 < n else 0.0
            if i in (kpk, kso):  # planted peak: arrivals lead the pitch so that online peaks inside it
                bump += amp[i] * window(t, a - 3.0, b - 2.5, 3.0)
            else:
                bump += amp[i] * window(t, a, b + 0.5 * nxt * spill[i], 3.0)
        elif roles[i] == RG and not mistimed:
            bump -= 0.12 * window(t, a, b)
    eps = rng.normal(0, 0.15, L)
    noise = np.empty(L)
    acc = 0.0
    for i in range(L):  # AR(1) over minutes (a few hundred steps per session)
        acc = 0.7 * acc + eps[i]
        noise[i] = acc
    decline = s.planted == "decline"
    lam = shape * (1 + bump) * np.exp(noise * (0.1 if decline else 0.7))
    if decline:  # arrivals fall steadily over the second half: online declines slowly, no collapse
        lam *= 1 - (1 - DECLINE["floor"]) * np.clip((t - L / 2) / (L / 2), 0.0, 1.0)
    if mistimed:
        a, b = p_start[j] / 60, p_end[j] / 60
        # arrivals collapse from a few minutes before the pitch so that online is lowest during it
        lam *= 1 - 0.85 * window(t, a - 6.0, b - 4.0, 2.0)
        ctx.mistimed_info = dict(session=s.idx, product=int(lineup[j]), start=float(p_start[j]),
                                 end=float(p_end[j]), peak_product=int(lineup[kpk]),
                                 peak_start=float(p_start[kpk]), peak_end=float(p_end[kpk]))
    if s.planted == "outage":
        m0 = s.outage_minute
        # the stream breaks during a traffic wave (arrivals × 2.5 in the 12 minutes before): with short
        # visits the mass exit then stands out against the ordinary turnover
        lam *= 1 + 1.5 * window(t, m0 - 12.0, m0 - 1.0, 3.0)
        lam[m0:m0 + OUTAGE["minutes"]] = 0.0
        lam[m0 + OUTAGE["minutes"]:m0 + OUTAGE["minutes"] + 4] *= 2.0
    return lineup, p_start, p_end, np.maximum(lam, 1e-6)


def _planted_shapes(s: Session, ctx: Context, roles: np.ndarray, p_start: np.ndarray, amp: np.ndarray,
                    spill: np.ndarray) -> int:
    """Bump amplitudes of the sell-out and the slow-decline sessions (``amp`` and ``spill`` changed in place).

    Sell-out: the traffic driver pitched nearest 40 % of the broadcast gets the one big traffic
    wave (recorded in ``ctx.sell_out_info``); decline: no traffic wave in the second half.

    Returns
    -------
    int
        Line-up position of the sell-out product's pitch, or -1.
    """
    T = s.length_min * 60.0
    if s.planted == "decline":
        late = p_start > 0.45 * T
        amp[late] = np.minimum(amp[late], 0.1)
        spill[late] = 0.0
        return -1
    if s.planted != "sell_out":
        return -1
    td = np.flatnonzero((roles == TD) & (p_start > 0.2 * T) & (p_start < 0.7 * T))
    if td.size == 0:
        td = np.flatnonzero(roles == TD)
    k = int(td[np.argmin(np.abs(p_start[td] - 0.4 * T))])
    np.minimum(amp, 0.6, out=amp)
    amp[k] = 2.5
    spill[k] = 0.0
    ctx.sell_out_info = dict(session=s.idx, k=k)
    return k
