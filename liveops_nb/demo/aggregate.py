"""Aggregate tables (sessions, minute_stats, channels, product_stats) from the viewer-level ones; money columns."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .numeric import cents
from .params import COMMENT, ENTER, EXIT, FOLLOW, IMP, LIKE, MIN_MS, PAID, PCLICK, PIMP, ROOM_IDS, SHARE


def concat_parts(parts: list[dict[str, np.ndarray]], sess_idx: list[int]) -> pd.DataFrame:
    """One frame of the per-session column dicts, with the session index as column ``s``."""
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    s = np.concatenate([np.full(len(next(iter(p.values()))), i, dtype=np.int32)
                        for p, i in zip(parts, sess_idx, strict=True)])
    return pd.DataFrame({"s": s, **cols})


def aggregate(ctx: Context, ev: pd.DataFrame, od: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Aggregate tables from the viewer-level ones (int-coded frames).

    Follows the derivation rules of ``docs/demo-data.md`` (the rules the package's
    derivation engine implements).

    Parameters
    ----------
    ctx:
        The run context (sessions).
    ev, od:
        All events and all orders (:func:`concat_parts` of the simulated sessions).

    Returns
    -------
    dict
        Frames ``minute``, ``sessions``, ``channels`` and ``product_stats``, keyed by
        session index ``s`` (and channel code ``c`` / product index ``p``).
    """
    ses = ctx.sessions
    S = len(ses)
    start_ms = np.array([s.start_ms for s in ses], dtype=np.int64)
    end_ms = np.array([s.end_ms for s in ses], dtype=np.int64)
    m0 = start_ms // MIN_MS
    nmin = end_ms // MIN_MS - m0 + 1                       # minutes floor(start)..floor(end)
    block = nmin + 1                                       # + one padding slot per session
    off = np.concatenate([[0], np.cumsum(block)[:-1]])
    total = int(block.sum())

    ev = ev.assign(mi=(ev["ts"].to_numpy() // MIN_MS - m0[ev["s"].to_numpy()]))
    et = ev["et"].to_numpy()

    def count_s(mask: np.ndarray) -> np.ndarray:
        return np.bincount(ev["s"].to_numpy()[mask], minlength=S)

    def nuniq_s(mask: np.ndarray) -> np.ndarray:
        d = ev.loc[mask, ["s", "u"]].drop_duplicates()
        return np.bincount(d["s"].to_numpy(), minlength=S)

    def count_m(mask: np.ndarray) -> np.ndarray:
        return np.bincount(off[ev["s"].to_numpy()[mask]] + ev["mi"].to_numpy()[mask], minlength=total)

    def nuniq_m(mask: np.ndarray) -> np.ndarray:
        d = ev.loc[mask, ["s", "mi", "u"]].drop_duplicates()
        return np.bincount(off[d["s"].to_numpy()] + d["mi"].to_numpy(), minlength=total)

    # visits: pair each enter with the same user's next exit in that session
    ent = ev.loc[et == ENTER, ["s", "u", "ts"]].sort_values("ts", kind="stable")
    ext = ev.loc[et == EXIT, ["s", "u", "ts"]].rename(columns={"ts": "ts_exit"}).sort_values("ts_exit", kind="stable")
    vis = pd.merge_asof(ent, ext, left_on="ts", right_on="ts_exit", by=["s", "u"], direction="forward")
    vs_ = vis["s"].to_numpy()
    a = vis["ts"].to_numpy() // MIN_MS - m0[vs_]
    b = vis["ts_exit"].to_numpy() // MIN_MS - m0[vs_]
    diff = np.bincount(off[vs_] + a, minlength=total + 1) - np.bincount(off[vs_] + b + 1, minlength=total + 1)
    online = np.cumsum(diff)[:total]
    watch = np.bincount(vs_, weights=(vis["ts_exit"] - vis["ts"]).to_numpy() / 1000.0, minlength=S)

    # orders
    os_ = od["s"].to_numpy()
    omi = od["ts"].to_numpy() // MIN_MS - m0[os_]
    o_gmv_s = cents(np.bincount(os_, weights=od["amount"].to_numpy(), minlength=S))
    o_ref_s = cents(np.bincount(os_, weights=od["refund"].to_numpy(), minlength=S))
    o_cnt_s = np.bincount(os_, minlength=S)
    o_units_s = np.bincount(os_, weights=od["qty"].to_numpy(), minlength=S).astype(np.int64)
    o_buy_s = np.bincount(od[["s", "u"]].drop_duplicates()["s"].to_numpy(), minlength=S)

    # ---- minute_stats
    ms_s = np.repeat(np.arange(S), block)
    ms_i = np.arange(total) - off[ms_s]
    real = ms_i < nmin[ms_s]
    paid_ent = count_m((et == ENTER) & PAID[np.maximum(ev["c"].to_numpy(), 0)] & (ev["c"].to_numpy() >= 0))
    obuy = od.assign(mi=omi)[["s", "mi", "u"]].drop_duplicates()
    minute = pd.DataFrame({
        "s": ms_s, "minute_ms": (m0[ms_s] + ms_i) * MIN_MS,
        "online": online, "entries": count_m(et == ENTER), "exits": count_m(et == EXIT),
        "impressions": nuniq_m(et == IMP), "comments": count_m(et == COMMENT),
        "likes": count_m(et == LIKE), "shares": count_m(et == SHARE), "new_followers": count_m(et == FOLLOW),
        "product_impression_uv": nuniq_m(et == PIMP), "product_click_uv": nuniq_m(et == PCLICK),
        "orders": np.bincount(off[os_] + omi, minlength=total),
        "buyers": np.bincount(off[obuy["s"].to_numpy()] + obuy["mi"].to_numpy(), minlength=total),
        "gmv": cents(np.bincount(off[os_] + omi, weights=od["amount"].to_numpy(), minlength=total)),
        "_paid_entries": paid_ent,
    })[real].reset_index(drop=True)

    # ---- sessions
    pcu = minute.groupby("s")["online"].max().reindex(range(S), fill_value=0).to_numpy()
    acu = minute.groupby("s")["online"].mean().reindex(range(S), fill_value=0.0).to_numpy()
    uv = nuniq_s(et == ENTER)
    sessions = pd.DataFrame({
        "s": np.arange(S),
        "impressions": nuniq_s(et == IMP), "views": count_s(et == ENTER), "uv": uv,
        "pcu": pcu, "acu": acu,
        "avg_watch_seconds": np.where(uv > 0, watch / np.maximum(uv, 1), np.nan),
        "gmv": o_gmv_s, "orders": o_cnt_s, "buyers": o_buy_s, "units": o_units_s,
        "product_impression_uv": nuniq_s(et == PIMP), "product_click_uv": nuniq_s(et == PCLICK),
        "interaction_uv": nuniq_s(np.isin(et, [LIKE, COMMENT, SHARE])),
        "new_followers": count_s(et == FOLLOW), "comments": count_s(et == COMMENT),
        "refund_amount": o_ref_s,
    })

    # ---- channels
    c = ev["c"].to_numpy()
    has_c = c >= 0
    g = ev.loc[has_c, ["s", "c", "u"]].assign(et=et[has_c])
    imp_uv = g[g["et"] == IMP].drop_duplicates(["s", "c", "u"]).groupby(["s", "c"]).size().rename("impressions")
    views = g[g["et"] == ENTER].groupby(["s", "c"]).size().rename("views")
    ch_uv = g[g["et"] == ENTER].drop_duplicates(["s", "c", "u"]).groupby(["s", "c"]).size().rename("uv")
    o_g = od.groupby(["s", "c"]).agg(gmv=("amount", "sum"), orders=("amount", "size"))
    channels = pd.concat([imp_uv, views, ch_uv, o_g], axis=1).fillna(0).reset_index()
    for col in ("impressions", "views", "uv", "orders"):
        channels[col] = channels[col].astype(np.int64)
    channels["gmv"] = cents(channels["gmv"].to_numpy())
    channels = channels.sort_values(["s", "c"], kind="stable").reset_index(drop=True)

    # ---- product_stats: (session, product) with a product impression or click, or an order
    hp = np.isin(et, [PIMP, PCLICK])
    gp = ev.loc[hp, ["s", "p", "u"]].assign(et=et[hp])
    keys = pd.concat([gp[["s", "p"]], od[["s", "p"]]]).drop_duplicates().set_index(["s", "p"]).index
    pi_uv = gp[gp["et"] == PIMP].drop_duplicates(["s", "p", "u"]).groupby(["s", "p"]).size().rename("impression_uv")
    pc_uv = gp[gp["et"] == PCLICK].drop_duplicates(["s", "p", "u"]).groupby(["s", "p"]).size().rename("click_uv")
    po = od.groupby(["s", "p"]).agg(orders=("amount", "size"), units=("qty", "sum"), gmv=("amount", "sum"),
                                    refund_amount=("refund", "sum"))
    pb = od[["s", "p", "u"]].drop_duplicates().groupby(["s", "p"]).size().rename("buyers")
    pstats = pd.concat([pi_uv, pc_uv, pb, po], axis=1).reindex(keys).fillna(0)
    for col in ("impression_uv", "click_uv", "buyers", "orders", "units"):
        pstats[col] = pstats[col].astype(np.int64)
    for col in ("gmv", "refund_amount"):
        pstats[col] = cents(pstats[col].to_numpy())
    pstats = pstats.reset_index().sort_values(["s", "p"], kind="stable").reset_index(drop=True)
    return dict(minute=minute, sessions=sessions, channels=channels, product_stats=pstats)


def add_money(ctx: Context, agg: dict[str, pd.DataFrame]) -> None:
    """gmv_target, channel spend and minute paid_spend (needs the aggregates)."""
    ses = ctx.sessions
    st = agg["sessions"]
    room = np.array([s.room for s in ses])
    slot = np.array([s.slot for s in ses])
    target = np.zeros(len(ses))
    for r in range(len(ROOM_IDS)):
        for sl in (0, 1):
            mk = (room == r) & (slot == sl)
            if mk.any():
                med = float(np.median(st["gmv"].to_numpy()[mk]))
                target[mk] = med * np.array([s.target_mult for s in ses])[mk]
    st["gmv_target"] = np.round(target / 10.0) * 10.0

    ch = agg["channels"]
    paid = PAID[ch["c"].to_numpy()]
    spend = np.full(len(ch), np.nan)
    roi = np.array([s.roi for s in ses])
    # a session's paid spend = its paid-channel GMV / its ROI (the room's paid GMV per paid viewer × paid UV
    # when the paid channels sold nothing), split over its paid channels by UV
    c_s = ch["s"].to_numpy()
    p_gmv = np.bincount(c_s[paid], weights=ch.loc[paid, "gmv"].to_numpy(), minlength=len(ses))
    p_uv = np.bincount(c_s[paid], weights=ch.loc[paid, "uv"].to_numpy(), minlength=len(ses))
    for r in range(len(ROOM_IDS)):
        mk = room == r
        cpv = p_gmv[mk].sum() / p_uv[mk].sum() if p_uv[mk].sum() > 0 else 0.0
        p_gmv[mk] = np.where(p_gmv[mk] > 0, p_gmv[mk], p_uv[mk] * cpv)
    share = ch.loc[paid, "uv"].to_numpy() / np.maximum(p_uv[c_s[paid]], 1)
    spend[paid] = cents(share * p_gmv[c_s[paid]] / roi[c_s[paid]])
    ch["spend"] = spend

    mi = agg["minute"]
    # paid_spend(minute) = ROUND(e_m / E × S, 2): e_m the paid-channel entries of the minute, E those
    # of the session, S the session's paid spend (sum of the paid channels' spend); 0 when E = 0
    s_spend = np.bincount(ch.loc[paid, "s"].to_numpy(), weights=spend[paid], minlength=len(ses))
    e_tot = np.bincount(mi["s"].to_numpy(), weights=mi["_paid_entries"].to_numpy(), minlength=len(ses))
    sidx = mi["s"].to_numpy()
    share = np.where(e_tot[sidx] > 0, mi["_paid_entries"].to_numpy() / np.maximum(e_tot[sidx], 1), 0.0)
    mi["paid_spend"] = cents(share * s_spend[sidx])
