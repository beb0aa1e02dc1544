"""The output tables as Arrow tables, in the column order of :data:`liveops_nb.schema.TABLES`."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..schema import EVENT_TYPES, TABLES
from . import text as txt
from .arrow import code_col, make_table, row_ids, str_col, ts_col, user_ids
from .context import Context
from .params import CHANNEL_GROUP, CHANNELS, MS, ROLES, ROOM_IDS, STATUSES


def session_tables(ctx: Context, agg: dict[str, pd.DataFrame], pt: pd.DataFrame) -> dict[str, pa.Table]:
    """rooms, sessions, minute_stats, channels, products, product_stats, pitches and incidents.

    Parameters
    ----------
    ctx:
        The run context after the simulation.
    agg:
        The aggregate frames (:func:`.aggregate.aggregate`, money added by :func:`.aggregate.add_money`).
    pt:
        All pitches (product, start, end per session index ``s``).

    Returns
    -------
    dict
        Table name → Arrow table.
    """
    ses = ctx.sessions
    sids = [s.sid for s in ses]
    tables: dict[str, pa.Table] = {}
    room_rows = txt.ROOMS
    tables["rooms"] = make_table("rooms", {
        "room_id": str_col([r[0] for r in room_rows]), "room_name": str_col([r[1] for r in room_rows]),
        "platform": str_col([r[2] for r in room_rows]), "category": str_col([r[3] for r in room_rows]),
        "host": str_col([r[4] for r in room_rows]),
    })
    st = agg["sessions"]
    sess_cols: dict[str, pa.Array] = {
        "session_id": str_col(sids), "room_id": str_col([ROOM_IDS[s.room] for s in ses]),
        "host": str_col([txt.ROOMS[s.room][4] for s in ses]), "title": str_col([s.title for s in ses]),
        "start_time": ts_col(np.array([s.start_ms for s in ses])),
        "end_time": ts_col(np.array([s.end_ms for s in ses])),
        "gmv_target": pa.array(st["gmv_target"].to_numpy(), pa.float64()),
    }
    for c in TABLES["sessions"].columns:
        if c.name in st.columns and c.name not in sess_cols:
            arr = st[c.name].to_numpy()  # NaN (a session without viewers has no average) is written as null
            sess_cols[c.name] = pa.array(arr, pa.int64() if c.dtype == "int" else pa.float64(), from_pandas=True)
    tables["sessions"] = make_table("sessions", sess_cols)

    mi = agg["minute"]
    mcols: dict[str, pa.Array] = {"session_id": code_col(mi["s"].to_numpy(), sids),
                                  "minute": ts_col(mi["minute_ms"].to_numpy())}
    for c in TABLES["minute_stats"].columns[2:]:
        mcols[c.name] = pa.array(mi[c.name].to_numpy(), pa.int64() if c.dtype == "int" else pa.float64())
    tables["minute_stats"] = make_table("minute_stats", mcols)

    ch = agg["channels"]
    tables["channels"] = make_table("channels", {
        "session_id": code_col(ch["s"].to_numpy(), sids), "channel": code_col(ch["c"].to_numpy(), CHANNELS),
        "channel_group": str_col([CHANNEL_GROUP[CHANNELS[c]] for c in ch["c"].to_numpy()]),
        "impressions": pa.array(ch["impressions"].to_numpy(), pa.int64()),
        "views": pa.array(ch["views"].to_numpy(), pa.int64()), "uv": pa.array(ch["uv"].to_numpy(), pa.int64()),
        "gmv": pa.array(ch["gmv"].to_numpy(), pa.float64()), "orders": pa.array(ch["orders"].to_numpy(), pa.int64()),
        "spend": pa.array(ch["spend"].to_numpy(), pa.float64(), from_pandas=True),
    })

    tables["products"] = make_table("products", {
        "product_id": str_col(ctx.prod_id), "name": str_col(ctx.prod_name),
        "category": str_col([txt.ROOMS[r][3] for r in ctx.prod_room]),
        "list_price": pa.array(ctx.prod_price, pa.float64()),
        "role": str_col([ROLES[k] for k in ctx.prod_role]),
    })
    ps = agg["product_stats"]
    pcols = {"session_id": code_col(ps["s"].to_numpy(), sids), "product_id": code_col(ps["p"].to_numpy(), ctx.prod_id)}
    for c in TABLES["product_stats"].columns[2:]:
        pcols[c.name] = pa.array(ps[c.name].to_numpy(), pa.int64() if c.dtype == "int" else pa.float64())
    tables["product_stats"] = make_table("product_stats", pcols)

    tables["pitches"] = make_table("pitches", {
        "session_id": code_col(pt["s"].to_numpy(), sids), "product_id": code_col(pt["p"].to_numpy(), ctx.prod_id),
        "start": ts_col(pt["start"].to_numpy()), "end": ts_col(pt["end"].to_numpy()),
    })

    stutters = [(s, s.stutter) for s in ses if s.stutter is not None]
    inc = [s for s, _ in stutters]
    inc_start = np.array([s.start_ms + int(off * 1000) for s, (off, _) in stutters], dtype=np.int64)
    inc_end = np.array([min(s.start_ms + int((off + dur) * 1000), s.end_ms) for s, (off, dur) in stutters],
                       dtype=np.int64)
    tables["incidents"] = make_table("incidents", {
        "session_id": str_col([s.sid for s in inc]), "start": ts_col(inc_start - inc_start % MS),
        "end": ts_col(inc_end - inc_end % MS), "kind": str_col(["stutter"] * len(inc)),
        "note": str_col([txt.INCIDENT_NOTES[i % len(txt.INCIDENT_NOTES)] for i in range(len(inc))]),
    })
    return tables


def plan_tables(ctx: Context, rs: pd.DataFrame, inv: pd.DataFrame) -> dict[str, pa.Table]:
    """run_sheet (planned pitches) and inventory (stock at session start), in session order.

    Parameters
    ----------
    ctx:
        The run context.
    rs, inv:
        Run-sheet rows (product ``p``, ``start``, ``end`` epoch ms) and stock rows (``p``, ``stock``)
        per session index ``s``.
    """
    sids = [s.sid for s in ctx.sessions]
    rs = rs.sort_values(["s", "start", "p"], kind="stable")
    inv = inv.sort_values(["s", "p"], kind="stable")
    return {
        "run_sheet": make_table("run_sheet", {
            "session_id": code_col(rs["s"].to_numpy(), sids), "product_id": code_col(rs["p"].to_numpy(), ctx.prod_id),
            "planned_start": ts_col(rs["start"].to_numpy()), "planned_end": ts_col(rs["end"].to_numpy()),
        }),
        "inventory": make_table("inventory", {
            "session_id": code_col(inv["s"].to_numpy(), sids), "product_id": code_col(inv["p"].to_numpy(), ctx.prod_id),
            "stock": pa.array(inv["stock"].to_numpy(), pa.int64()),
        }),
    }


def viewer_tables(ctx: Context, ev: pd.DataFrame, od: pd.DataFrame,
                  cm: pd.DataFrame) -> tuple[dict[str, pa.Table], np.ndarray, np.ndarray]:
    """events, orders, comments and users, with ids for the users that appear in the data.

    Parameters
    ----------
    ctx:
        The run context after the simulation (its comment-text vocabulary complete).
    ev, od, cm:
        All events, orders and comments (int-coded, session index ``s``).

    Returns
    -------
    tuple
        Table name → Arrow table; the global indices (sorted) of the users that appear
        and their user ids.
    """
    pool = ctx.pool
    ses = ctx.sessions
    sids = [s.sid for s in ses]
    # ---- users that appear in the data
    seen = np.unique(ev["u"].to_numpy())
    first_ms = ev.groupby("u")["ts"].min().reindex(seen).to_numpy()
    first_seen = np.where(pool.pre_existing[seen], np.minimum(pool.prior_first_seen_ms[seen], first_ms), first_ms)
    tables: dict[str, pa.Table] = {}

    # events: user ids via a compact vocabulary of the users that appear
    u_code = np.searchsorted(seen, ev["u"].to_numpy())
    seen_ids = user_ids(seen)
    tables["events"] = make_table("events", {
        "session_id": code_col(ev["s"].to_numpy(), sids), "user_id": code_col(u_code, seen_ids),
        "ts": ts_col(ev["ts"].to_numpy()), "event_type": code_col(ev["et"].to_numpy(), EVENT_TYPES),
        "product_id": code_col(ev["p"].to_numpy(), ctx.prod_id), "channel": code_col(ev["c"].to_numpy(), CHANNELS),
    })

    o_s = od["s"].to_numpy()
    o_k = np.arange(len(od)) - np.concatenate([[0], np.cumsum(np.bincount(o_s, minlength=len(ses)))[:-1]])[o_s]
    tables["orders"] = make_table("orders", {
        "order_id": row_ids(o_s, o_k + 1, sids, "-O", 5),
        "session_id": code_col(o_s, sids), "user_id": code_col(np.searchsorted(seen, od["u"].to_numpy()), seen_ids),
        "product_id": code_col(od["p"].to_numpy(), ctx.prod_id), "ts": ts_col(od["ts"].to_numpy()),
        "quantity": pa.array(od["qty"].to_numpy(), pa.int64()),
        "amount": pa.array(od["amount"].to_numpy(), pa.float64()),
        "refund_amount": pa.array(od["refund"].to_numpy(), pa.float64()),
        "refunded_at": ts_col(od["refunded_at"].to_numpy()), "status": code_col(od["status"].to_numpy(), STATUSES),
        "channel": code_col(od["c"].to_numpy(), CHANNELS),
    })

    c_s = cm["s"].to_numpy()
    c_start = np.concatenate([[0], np.cumsum(np.bincount(c_s, minlength=len(ses)))[:-1]])
    c_k = np.arange(len(cm)) - c_start[c_s]
    cid = row_ids(c_s, c_k + 1, sids, "-C", 6)
    reply = cm["reply"].to_numpy()
    reply_abs = np.where(reply >= 0, c_start[c_s] + reply, -1)
    host_vocab = np.array([f"host_{r}" for r in ROOM_IDS], dtype=object)
    cu = cm["u"].to_numpy()
    is_host = cu < 0
    ucode = np.where(is_host, len(seen) + np.array([s.room for s in ses])[c_s],
                     np.searchsorted(seen, np.maximum(cu, 0)))
    tables["comments"] = make_table("comments", {
        "comment_id": cid, "session_id": code_col(c_s, sids),
        "user_id": code_col(ucode, np.concatenate([seen_ids, host_vocab])),
        "ts": ts_col(cm["ts"].to_numpy()), "text": code_col(cm["text"].to_numpy(), ctx.vocab),
        "reply_to": pa.array(cid.to_numpy(zero_copy_only=False)[np.maximum(reply_abs, 0)], type=pa.string(),
                             mask=reply_abs < 0) if len(cm) else pa.array([], pa.string()),
    })

    tables["users"] = make_table("users", {
        "user_id": pa.array(seen_ids, pa.string()), "first_seen": ts_col(first_seen),
        "region": code_col(pool.region[seen], [r for r, _ in txt.REGIONS]),
        "gender": code_col(pool.gender[seen], txt.GENDERS), "age_band": code_col(pool.age[seen], txt.AGE_BANDS),
        "member_tier": code_col(pool.tier[seen], [t for t, _ in txt.MEMBER_TIERS]),
        "is_follower": pa.array(pool.follows[seen].any(axis=1), pa.bool_()),
        "in_private_domain": pa.array(pool.private[seen], pa.bool_()),
    })
    return tables, seen, seen_ids
