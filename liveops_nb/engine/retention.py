"""Next-day returners and repeat buyers as (session, viewer) pairs, from viewer-level tables."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import pandas as pd
from ibis import _

from .. import derive

REPURCHASE_WINDOW_DAYS = 90


def _session_dates(info: pd.DataFrame):
    return ibis.memtable(pd.DataFrame({
        "session_id": info.session_id.astype(str), "room_id": info.room_id.astype(str),
        "local_date": pd.to_datetime(info.date).astype("datetime64[s]")}))


def next_day_sessions(info: pd.DataFrame, session_ids: list[str]) -> list[str]:
    """The sessions of the same rooms on the local day after each given session (what a next-day count reads)."""
    mine = info[info.session_id.isin(session_ids)]
    nxt = info.merge(mine.assign(date=mine.date + dt.timedelta(days=1))[["room_id", "date"]].drop_duplicates(),
                     on=["room_id", "date"])
    return sorted(set(nxt.session_id))


def viewers(events, info: pd.DataFrame, session_ids: list[str] | None) -> Any:
    """Distinct (session, viewer) pairs with an entry, with the session's room and local date."""
    e = events if session_ids is None else derive.only_sessions(events, session_ids)
    e = e.filter(_.event_type == "enter")
    mine = info if session_ids is None else info[info.session_id.isin(session_ids)]
    return e.select("session_id", "user_id").distinct().inner_join(_session_dates(mine), "session_id")


def returners(events, info: pd.DataFrame, session_ids: list[str] | None) -> Any:
    """(session, viewer) pairs whose viewer watches the same room again on the next local day."""
    mine = viewers(events, info, session_ids)
    later = mine if session_ids is None else viewers(events, info, next_day_sessions(info, session_ids))
    nxt = later.select("room_id", "user_id", prev_date=later.local_date - ibis.interval(days=1)).distinct()
    j = mine.inner_join(nxt, [mine.room_id == nxt.room_id, mine.user_id == nxt.user_id,
                              mine.local_date == nxt.prev_date])
    return j.select("session_id", "user_id").distinct()


def repeat_buyers(sessions, orders, info: pd.DataFrame, session_ids: list[str] | None) -> Any:
    """(session, buyer) pairs whose buyer also bought in the same room in the previous 90 days."""
    s = sessions.select("session_id", "room_id", "start_time")
    o = orders.select("session_id", "user_id", "ts")
    prior_o = o
    if session_ids is not None:
        # only the same rooms' orders in the window before these sessions can count
        mine = info[info.session_id.isin(session_ids)]
        room_sessions = info.loc[info.room_id.isin(mine.room_id), "session_id"].tolist()
        lo = (mine.start_time.min() - dt.timedelta(days=REPURCHASE_WINDOW_DAYS)).tz_convert("UTC")
        hi = mine.start_time.max().tz_convert("UTC")
        prior_o = o.filter(o.session_id.isin(room_sessions or ["\0"]) & (o.ts >= lo) & (o.ts < hi))
        o = derive.only_sessions(o, session_ids)
    orooms = prior_o.inner_join(s.select("session_id", "room_id"), "session_id")
    buyers = o.select("session_id", "user_id").distinct().inner_join(s, "session_id")
    prior = orooms.select(p_room=orooms.room_id, p_user=orooms.user_id, p_ts=orooms.ts)
    j = buyers.inner_join(prior, [buyers.room_id == prior.p_room, buyers.user_id == prior.p_user,
                                  prior.p_ts < buyers.start_time,
                                  prior.p_ts >= buyers.start_time - ibis.interval(days=REPURCHASE_WINDOW_DAYS)])
    return j.select("session_id", "user_id").distinct()
