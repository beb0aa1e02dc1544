"""Viewer-level contents of the demo dataset (:mod:`liveops_nb.demo.simulation` and the modules it drives)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from liveops_nb.demo import text

from .helpers import session_events


def test_sizes_and_shape_at_default_scale(t: dict[str, pd.DataFrame]) -> None:
    s = t["sessions"]
    assert len(t["rooms"]) == 3 and len(s) == 3 * 2 * 9  # 3 rooms, 2 sessions a week, 9 weeks
    assert 700_000 <= len(t["events"]) <= 1_000_000
    assert 2000 <= s["uv"].mean() <= 4000
    assert 0.20 <= s["uv"].sum() / s["impressions"].sum() <= 0.35  # impression → enter
    assert (s["views"] >= s["uv"]).all() and (s["views"] > s["uv"]).mean() > 0.9  # re-entries
    assert s["session_id"].iloc[0] == "R01-20260831-2"  # Monday 2026-08-31, evening
    hours = (s["end_time"] - s["start_time"]).dt.total_seconds() / 3600
    assert hours.between(1.5, 3.5).all()
    per_room = t["products"].assign(room=t["products"]["product_id"].str[1]).groupby("room").size()
    assert per_room.between(15, 25).all()
    n_pitch = t["pitches"].groupby("session_id").size()
    assert n_pitch.between(6, 12).all()
    assert t["rooms"].set_index("room_id")["platform"].to_dict() == {"R01": "douyin", "R02": "douyin",
                                                                     "R03": "kuaishou"}


def test_every_enter_has_a_later_exit(t: dict[str, pd.DataFrame]) -> None:
    ev = t["events"]
    n = ev[ev["event_type"].isin(["enter", "exit"])].groupby(["session_id", "user_id", "event_type"]).size()
    n = n.unstack()
    assert (n["enter"] == n["exit"]).all()
    assert ev.loc[ev["event_type"].isin(["impression", "enter"]), "channel"].notna().all()


def test_orders_and_comments_match_their_events(t: dict[str, pd.DataFrame]) -> None:
    ev = t["events"]
    key = ["session_id", "user_id", "ts"]
    o_ev = ev[ev["event_type"] == "order"][key + ["product_id"]].reset_index(drop=True)
    o = t["orders"][key + ["product_id"]]
    pd.testing.assert_frame_equal(o_ev.sort_values(key).reset_index(drop=True),
                                  o.sort_values(key).reset_index(drop=True))
    c = t["comments"]
    viewer = c[c["reply_to"].isna()]
    c_ev = ev[ev["event_type"] == "comment"][key]
    assert len(viewer) == len(c_ev)
    assert set(map(tuple, viewer[key].to_numpy())) == set(map(tuple, c_ev.to_numpy()))
    # order amounts: list price × quantity × discount, refunds consistent with status
    orders = t["orders"].merge(t["products"], on="product_id")
    disc = orders["amount"] / (orders["list_price"] * orders["quantity"])
    assert disc.between(0.64, 0.851).all() and orders["quantity"].between(1, 3).all()
    st = orders["status"]
    assert (orders.loc[st == "paid", "refund_amount"] == 0).all()
    assert orders.loc[st == "paid", "refunded_at"].isna().all()
    assert np.allclose(orders.loc[st == "refunded", "refund_amount"], orders.loc[st == "refunded", "amount"])
    part = orders[st == "partially_refunded"]
    assert ((part["refund_amount"] > 0) & (part["refund_amount"] < part["amount"])).all()
    assert (orders.loc[st != "paid", "refunded_at"] > orders.loc[st != "paid", "ts"]).all()
    # the order's channel is the channel its buyer entered through
    ent = ev[ev["event_type"] == "enter"][["session_id", "user_id", "channel"]].drop_duplicates()
    m = t["orders"].merge(ent, on=["session_id", "user_id"], suffixes=("", "_enter"))
    assert len(m) == len(t["orders"]) and (m["channel"] == m["channel_enter"]).all()


def test_comment_text_mix_and_host_replies(t: dict[str, pd.DataFrame]) -> None:
    c = t["comments"]
    viewer = c[c["reply_to"].isna()]
    assert not viewer["user_id"].str.startswith("host_").any()
    rep = viewer.duplicated(["session_id", "user_id", "text"])
    spam = viewer["text"].isin(text.SPAM)
    emoji = viewer["text"].isin(text.EMOJI_ONLY)
    valid = ~(rep | spam | emoji)
    assert 0.40 <= valid.mean() <= 0.75
    assert rep.any() and spam.any() and emoji.any()
    # floods: one "扣1"-style comment by many users within a couple of minutes
    flood = viewer[viewer["text"].isin(text.FLOOD)]
    per_min = flood.groupby(["session_id", flood["ts"].dt.floor("2min")])["user_id"].nunique()
    assert per_min.max() >= 5
    # host replies: answer a viewer question 10-120 s later
    replies = c[c["reply_to"].notna()]
    q = replies.merge(c, left_on="reply_to", right_on="comment_id", suffixes=("", "_q"))
    assert len(q) == len(replies)
    assert (q["user_id"] == "host_" + q["session_id"].str[:3]).all()
    assert (q["session_id"] == q["session_id_q"]).all()
    lag = (q["ts"] - q["ts_q"]).dt.total_seconds()
    assert lag.between(10, 120).all()
    questions = set(text.QUESTIONS_COMMON).union(*text.QUESTIONS_ROOM.values())
    assert q["text_q"].isin(questions).all()
    n_questions = (viewer["text"].isin(questions) & ~rep).sum()
    assert 0.55 <= replies["reply_to"].nunique() / n_questions <= 0.92


def test_users_and_returning_viewers(t: dict[str, pd.DataFrame]) -> None:
    ev = t["events"]
    u = t["users"]
    assert set(ev["user_id"]) == set(u["user_id"])
    assert set(u["member_tier"].dropna()) == {"普通", "银卡", "金卡", "黑金"}
    first = ev.groupby("user_id")["ts"].min()
    assert (u.set_index("user_id")["first_seen"] <= first).all()
    visits = ev[ev["event_type"] == "enter"].drop_duplicates(["session_id", "user_id"])
    per_user = visits.groupby("user_id").size()
    assert (per_user > 1).mean() > 0.3  # returning viewers
    rooms = visits.assign(room=visits["session_id"].str[:3]).groupby("user_id")["room"].nunique()
    assert 0.0 < (rooms > 1).mean() < 0.15  # a small share watches two rooms


def test_products_mostly_the_one_on_stage(t: dict[str, pd.DataFrame], planted: dict) -> None:
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    ev = session_events(t, sid)
    clicks = ev[ev["event_type"] == "product_click"]
    pit = t["pitches"][t["pitches"]["session_id"] == sid]
    on_stage = [((pit["start"] <= ts) & (pit["end"] >= ts - pd.Timedelta(minutes=3)) & (pit["product_id"] == p)).any()
                for ts, p in zip(clicks["ts"], clicks["product_id"], strict=True)]
    assert np.mean(on_stage) > 0.7
