"""The foundation KPIs written plainly in pandas — the baseline the engine is benchmarked against.

This is the computation an analyst would write by hand: read the Parquet files
into pandas, then ``groupby`` / ``merge`` / ``shift`` / ``cumsum``. It follows the
same definitions as the engine (``liveops_nb/derive.py``, ``docs/metrics.md``)
but shares none of its code, except the comment quality rules, which are pandas
already (:mod:`liveops_nb.comments`) and would be reused as they are. ``benchmarks/bench_foundation.py`` and
``tests/test_benchmark_reference.py`` check that both give the same numbers.

Definitions (viewer-level data):

* people counts are distinct ``user_id`` per event type, PV counts are event counts;
* a visit is an ``enter`` and the same viewer's next event among enter/exit if
  that is an ``exit`` (otherwise the session end); watch time is its length;
* a viewer is online from the minute of entering to the minute of leaving,
  inclusive, on the session's minute grid ``floor(start) .. floor(end)``;
  ``pcu``/``acu`` are the max/mean of the per-minute online count;
* money comes from ``orders``; paid spend from the ``channels`` table, paid GMV
  from orders whose channel is a paid one;
* next-day returners: viewers who enter the same room on the next local day;
  repeat buyers: buyers with an order in the same room in the 90 days before
  the session start.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

TZ = "Asia/Shanghai"
REPURCHASE_DAYS = 90
PAID_CHANNELS = {"千川", "品牌广告", "随心推", "其他投放"}  # Douyin naming, as in liveops_nb/derive.py

EVENT_COLS = ["session_id", "user_id", "ts", "event_type", "channel"]
ORDER_COLS = ["session_id", "user_id", "ts", "quantity", "amount", "refund_amount", "channel"]


@dataclass
class Frames:
    """The tables the computation reads, as pandas DataFrames."""

    sessions: pd.DataFrame
    events: pd.DataFrame
    orders: pd.DataFrame
    channels: pd.DataFrame | None
    comments: pd.DataFrame | None


def read(folder: str | Path, session_ids: list[str] | None = None,
         event_sessions: list[str] | None = None, order_sessions: list[str] | None = None) -> Frames:
    """Read the Parquet files (optionally only some sessions' rows, with pyarrow's row filters).

    Parameters
    ----------
    folder : dataset folder of ``<table>.parquet`` files.
    session_ids : sessions whose channels/comments rows are read (default: all).
    event_sessions, order_sessions : sessions whose events/orders are read (default: ``session_ids``).
    """
    folder = Path(folder)

    def load(name: str, cols: list[str] | None, ids: list[str] | None) -> pd.DataFrame | None:
        path = folder / f"{name}.parquet"
        if not path.exists():
            return None
        filters = None if ids is None else [("session_id", "in", list(ids))]
        return pd.read_parquet(path, columns=cols, filters=filters)

    sessions = pd.read_parquet(folder / "sessions.parquet", columns=["session_id", "room_id", "start_time", "end_time"])
    return Frames(
        sessions=sessions,
        events=load("events", EVENT_COLS, event_sessions if event_sessions is not None else session_ids),
        orders=load("orders", ORDER_COLS, order_sessions if order_sessions is not None else session_ids),
        channels=load("channels", ["session_id", "channel", "channel_group", "spend"], session_ids),
        comments=load("comments", None, session_ids),
    )


# ---------------------------------------------------------------------- base quantities
def event_counts(events: pd.DataFrame) -> pd.DataFrame:
    """People (distinct users) and PV counts per session from events."""
    e = events
    people = lambda mask: e[mask].groupby("session_id")["user_id"].nunique()  # noqa: E731
    times = lambda mask: e[mask].groupby("session_id").size()  # noqa: E731
    return pd.DataFrame({
        "impressions": people(e.event_type == "impression"),
        "views": times(e.event_type == "enter"),
        "uv": people(e.event_type == "enter"),
        "product_impression_uv": people(e.event_type == "product_impression"),
        "product_click_uv": people(e.event_type == "product_click"),
        "interaction_uv": people(e.event_type.isin(["like", "comment", "share"])),
        "new_followers": times(e.event_type == "follow"),
    })


def visit_table(events: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """One row per visit: session_id, enter_ts, exit_ts (next exit, else the session end)."""
    ee = events.loc[events.event_type.isin(["enter", "exit"]), ["session_id", "user_id", "ts", "event_type"]]
    ee = ee.assign(is_exit=(ee.event_type == "exit").astype(int))
    ee = ee.sort_values(["session_id", "user_id", "ts", "is_exit"])
    g = ee.groupby(["session_id", "user_id"], sort=False)
    ee["next_ts"] = g["ts"].shift(-1)
    ee["next_is_exit"] = g["is_exit"].shift(-1)
    ent = ee[ee.is_exit == 0].merge(sessions[["session_id", "end_time"]], on="session_id")
    exit_ts = ent.next_ts.where(ent.next_is_exit == 1, ent.end_time)
    return pd.DataFrame({"session_id": ent.session_id, "enter_ts": ent.ts, "exit_ts": exit_ts})


def online_peak_mean(visits: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """pcu / acu: max and mean over the session's minutes of viewers online (enter minute .. exit minute)."""
    spans = sessions[["session_id", "start_time", "end_time"]].itertuples(index=False)
    grid = pd.concat([pd.DataFrame({"session_id": sid,
                                    "minute": pd.date_range(start.floor("min"), end.floor("min"), freq="min")})
                      for sid, start, end in spans], ignore_index=True)
    grid["minute"] = grid.minute.dt.tz_convert("UTC")
    ins = pd.DataFrame({"session_id": visits.session_id, "minute": visits.enter_ts.dt.floor("min"), "d": 1})
    outs = pd.DataFrame({"session_id": visits.session_id,
                         "minute": visits.exit_ts.dt.floor("min") + pd.Timedelta(minutes=1), "d": -1})
    deltas = pd.concat([ins, outs]).assign(minute=lambda x: x.minute.dt.tz_convert("UTC"))
    deltas = deltas.groupby(["session_id", "minute"], as_index=False)["d"].sum()
    g = grid.merge(deltas, on=["session_id", "minute"], how="left").fillna({"d": 0})
    g = g.sort_values(["session_id", "minute"])
    g["online"] = g.groupby("session_id")["d"].cumsum()
    return g.groupby("session_id")["online"].agg(pcu="max", acu="mean")


def order_sums(orders: pd.DataFrame) -> pd.DataFrame:
    """GMV, orders, buyers, units and refunds per session."""
    return orders.groupby("session_id").agg(gmv=("amount", "sum"), orders=("amount", "size"),
                                            buyers=("user_id", "nunique"), units=("quantity", "sum"),
                                            refund_amount=("refund_amount", "sum"))


def paid_money(orders: pd.DataFrame, channels: pd.DataFrame | None) -> pd.DataFrame:
    """Paid spend (channels table) and GMV of orders that came through a paid channel."""
    paid = set(PAID_CHANNELS)
    if channels is not None:
        groups = channels.drop_duplicates("channel").set_index("channel")["channel_group"]
        paid = (paid - set(groups.index)) | set(groups.index[groups == "paid"])
        spend = channels[channels.channel_group == "paid"].groupby("session_id")["spend"].sum()
    else:
        spend = pd.Series(dtype=float)
    gmv = orders[orders.channel.isin(paid)].groupby("session_id")["amount"].sum()
    return pd.DataFrame({"paid_spend": spend, "paid_gmv": gmv})


def comment_counts(comments: pd.DataFrame) -> pd.DataFrame:
    """Viewer comments, valid ones, questions and answered questions (rules of liveops_nb.comments)."""
    from liveops_nb.comments import classify_comments, comment_summary_by_session

    s = comment_summary_by_session(classify_comments(comments)).set_index("session_id")
    return s[["comments", "valid_comments", "questions", "answered_questions"]].rename(
        columns={"comments": "viewer_comments"})


def next_day_returners(events: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """Viewers of each session who enter the same room on the next local day (NaN for the last day)."""
    s = sessions.assign(date=sessions.start_time.dt.tz_convert(TZ).dt.normalize().dt.tz_localize(None))
    viewers = events.loc[events.event_type == "enter", ["session_id", "user_id"]].drop_duplicates()
    viewers = viewers.merge(s[["session_id", "room_id", "date"]], on="session_id")
    later = viewers[["room_id", "user_id", "date"]].drop_duplicates()
    later["date"] = later.date - pd.Timedelta(days=1)
    hits = viewers.merge(later, on=["room_id", "user_id", "date"])
    out = hits.groupby("session_id")["user_id"].nunique().reindex(s.session_id, fill_value=0).astype(float)
    out[s.set_index("session_id").date.eq(s.date.max()).reindex(out.index).to_numpy()] = np.nan
    return out


def repeat_buyers(orders: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """Buyers of each session with an order in the same room in the 90 days before the session start."""
    rooms = sessions[["session_id", "room_id", "start_time"]]
    o = orders[["session_id", "user_id", "ts"]].merge(rooms[["session_id", "room_id"]], on="session_id")
    buyers = o[["session_id", "user_id", "room_id"]].drop_duplicates().merge(rooms[["session_id", "start_time"]])
    prior = o[["room_id", "user_id", "ts"]]
    j = buyers.merge(prior, on=["room_id", "user_id"])
    j = j[(j.ts < j.start_time) & (j.ts >= j.start_time - pd.Timedelta(days=REPURCHASE_DAYS))]
    return j.groupby("session_id")["user_id"].nunique()


def base_quantities(f: Frames, session_ids: list[str] | None = None, *, extras: bool = False) -> pd.DataFrame:
    """Per-session base quantities (index session_id); ``extras`` adds comments, next-day and repurchase counts."""
    sessions = f.sessions if session_ids is None else f.sessions[f.sessions.session_id.isin(session_ids)]
    ids = pd.Index(sessions.session_id, name="session_id")
    own = lambda df: df[df.session_id.isin(ids)]  # noqa: E731
    events, orders = own(f.events), own(f.orders)
    visits = visit_table(events, sessions)
    watch = (visits.exit_ts - visits.enter_ts).dt.total_seconds().groupby(visits.session_id).sum()
    parts = [event_counts(events), watch.rename("watch_seconds"), online_peak_mean(visits, sessions),
             order_sums(orders),
             paid_money(orders, f.channels)]
    base = pd.concat(parts, axis=1).reindex(ids)
    zero = [c for c in base.columns if c not in ("pcu", "acu")]
    base[zero] = base[zero].fillna(0)
    if extras:
        if f.comments is not None:
            base = base.join(comment_counts(own(f.comments))).fillna(
                {"viewer_comments": 0, "valid_comments": 0, "questions": 0, "answered_questions": 0})
        base["next_day_returners"] = next_day_returners(f.events, f.sessions).reindex(ids)
        base["repeat_buyers"] = repeat_buyers(f.orders, f.sessions).reindex(ids).fillna(0)
    return base


# ---------------------------------------------------------------------- KPIs
def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return num / den.where(den > 0)


def main_kpis(b: pd.DataFrame) -> pd.DataFrame:
    """The session-list KPIs (MAIN_KEYS), one row per session."""
    return pd.DataFrame({
        "views": b.views, "uv": b.uv, "pcu": b.pcu, "acu": b.acu,
        "avg_watch_seconds": _ratio(b.watch_seconds, b.uv),
        "gmv": b.gmv, "orders": b.orders, "buyers": b.buyers,
        "aov": _ratio(b.gmv, b.buyers), "uv_value": _ratio(b.gmv, b.uv), "gpm": _ratio(b.gmv, b.views) * 1000,
        "impression_to_view_rate": _ratio(b.uv, b.impressions),
        "product_click_rate": _ratio(b.product_click_uv, b.product_impression_uv),
        "click_to_order_rate": _ratio(b.buyers, b.product_click_uv),
        "view_to_order_rate": _ratio(b.buyers, b.uv),
        "interaction_rate": _ratio(b.interaction_uv, b.uv),
        "new_followers": b.new_followers, "follow_rate": _ratio(b.new_followers, b.uv),
        "refund_rate": _ratio(b.refund_amount, b.gmv),
        "paid_roi": _ratio(b.paid_gmv, b.paid_spend),
    }).astype(float)


def all_kpis(b: pd.DataFrame) -> pd.DataFrame:
    """Every registered KPI (needs ``base_quantities(..., extras=True)``)."""
    k = main_kpis(b)
    k["impressions"] = b.impressions
    k["units"] = b.units
    k["product_impression_rate"] = _ratio(b.product_impression_uv, b.uv)
    k["valid_comment_ratio"] = _ratio(b.valid_comments, b.viewer_comments)
    k["questions"] = b.questions
    k["answer_coverage"] = _ratio(b.answered_questions, b.questions)
    k["paid_spend"] = b.paid_spend
    k["next_day_return_rate"] = _ratio(b.next_day_returners, b.uv)
    k["repurchase_rate"] = _ratio(b.repeat_buyers, b.buyers)
    return k.astype(float)


# ---------------------------------------------------------------------- the two benchmarked tasks
def sessions_kpis(folder: str | Path) -> pd.DataFrame:
    """Main KPIs of every session (what ``ds.sessions()`` shows), read from the files."""
    f = read(folder)
    return main_kpis(base_quantities(f)).reset_index()


def session_kpis(folder: str | Path, session_id: str) -> pd.Series:
    """Every KPI of one session (what ``ds.session_kpis(session_id)`` shows), read from the files.

    Only the rows needed are read: the session's events, comments and channels,
    the events of the room's sessions on the next day, and the room's orders in
    the 90 days before.
    """
    folder = Path(folder)
    s = pd.read_parquet(folder / "sessions.parquet", columns=["session_id", "room_id", "start_time"])
    me = s[s.session_id == session_id].iloc[0]
    room = s[s.room_id == me.room_id]
    day = me.start_time.tz_convert(TZ).normalize()
    next_day = room[room.start_time.dt.tz_convert(TZ).dt.normalize() == day + pd.Timedelta(days=1)]
    window = room[(room.start_time < me.start_time)
                  & (room.start_time >= me.start_time - pd.Timedelta(days=REPURCHASE_DAYS + 1))]
    f = read(folder, [session_id], event_sessions=[session_id, *next_day.session_id],
             order_sessions=[session_id, *window.session_id])
    return all_kpis(base_quantities(f, [session_id], extras=True)).loc[session_id]
