"""Section 6 — interaction and comments: hand-worked numbers on the tiny dataset (rendering: tests/render/review)."""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
from devtools import tiny
from liveops_nb.comments import classify_comments
from liveops_nb.review import interaction as I

TS = tiny.ts


def _classified_s1() -> pd.DataFrame:
    c = tiny.tables()["comments"]
    return classify_comments(c[c.session_id == "S1"])


def test_comment_kinds_and_delay():
    cl = _classified_s1()
    kinds = I.comment_kinds(cl).set_index("kind")
    # viewer comments: c1 "😂😂😂" (emoji_only), c2 "这个多少钱？" (valid); h1 is a host reply, not counted
    assert kinds["count"].to_dict() == {"valid": 1, "spam": 0, "repeat": 0, "emoji_only": 1}
    assert kinds.loc["valid", "share"] == pytest.approx(1 / 2)
    # c2 at 20:00:40, host reply h1 at 20:00:55 -> 15 s
    assert I.median_answer_delay(cl) == pytest.approx(15.0)
    # no viewer comment at all: shares are not defined
    assert I.comment_kinds(cl[cl.is_host_reply])["share"].isna().all()


def test_high_value_tiers():
    assert I.high_value_tiers(["普通", "金卡", "银卡"]) == ("金卡",)
    assert I.high_value_tiers(["黑金", "普通", "金卡"]) == ("金卡", "黑金")
    # none of 金卡/黑金: the two highest ranked tiers, only when more than two ranked tiers exist
    assert I.high_value_tiers(["普通", "银卡", "铂金"]) == ("银卡", "铂金")
    assert I.high_value_tiers(["普通", "银卡"]) == ()
    assert I.high_value_tiers([None, "VIP"]) == ()


def test_prior_buyers_window():
    sessions = pd.DataFrame({"session_id": ["A1", "A2", "B", "X", "NOW"], "room_id": ["R", "R", "R", "Y", "R"],
                             "start_time": [TS("2026-06-01 20:00"), TS("2026-09-01 20:00"), TS("2026-09-07 19:00"),
                                            TS("2026-09-02 20:00"), TS("2026-09-07 20:00")]})
    buyers = pd.DataFrame({"user_id": ["u1", "u2", "u3", "u4", "u6"], "buyers": [1.0, 1.0, 1.0, 1.0, 0.0]})
    session_of = {"u1": "A1", "u2": "A2", "u3": "B", "u4": "X", "u6": "A2"}
    # before 2026-09-07 20:00 within 90 days (from 2026-06-09 20:00): A2, B; A1 is 98 days old; X is another room;
    # the session itself starts at the boundary and is not before it
    prior = I.prior_sessions(sessions, "R", TS("2026-09-07 20:00"))
    assert prior == ["A2", "B"]
    # the buyers of those sessions: u2 (A2), u3 (B); u6 was in A2 but bought nothing
    assert I.people_with(buyers[buyers.user_id.map(session_of).isin(prior)], "buyers") == {"u2", "u3"}


def test_interactions_by_value_tiny(tiny_ds):
    d1 = I.build(tiny_ds, "S1")
    hv = d1.high_value.set_index("group")
    # S1 viewers u1 (普通), u2 (金卡), u4 (银卡); no purchases before S1 -> high-value = {u2}
    # interactions (like + comment + share): u1 like + comment = 2, u2 comment = 1, u4 share = 1
    assert hv.loc["high_value", ["viewers", "interactions", "per_viewer"]].tolist() == [1, 1, 1.0]
    assert hv.loc["other", "viewers"] == 2 and hv.loc["other", "per_viewer"] == pytest.approx((2 + 1) / 2)
    assert hv["viewers"].sum() == 3  # the registry's uv of S1: every viewer in one group
    assert d1.high_value_tiers == ("金卡",)
    # S2: the only viewer u1 bought p1 in S1 the day before -> high-value, 0 interactions; no other viewers
    hv2 = I.build(tiny_ds, "S2").high_value.set_index("group")
    assert hv2.loc["high_value", ["viewers", "per_viewer"]].tolist() == [1, 0.0]
    assert hv2.loc["other", "viewers"] == 0 and pd.isna(hv2.loc["other", "per_viewer"])


def test_build_kpis_and_key_figures_tiny(tiny_ds):
    d = I.build(tiny_ds, "S1")
    kf = I.key_figures(d)
    # registry values: valid 1 / viewer comments 2; 1 question, answered -> coverage 1/1
    assert kf["valid_comment_ratio"] == pytest.approx(0.5)
    assert kf["questions"] == 1.0 and kf["answer_coverage"] == pytest.approx(1.0)
    # interaction_rate: u1, u2, u4 liked/commented/shared, 3 viewers -> 3/3
    assert kf["interaction_rate"] == pytest.approx(1.0)
    assert kf["comments"] == 2.0 and kf["comments_emoji_only"] == 1.0
    assert kf["median_answer_delay_seconds"] == pytest.approx(15.0)
    assert kf["interactions_per_other_viewer"] == pytest.approx(1.5)


def test_aggregate_only(tiny_aggregate_ds):
    ds = tiny_aggregate_ds
    d = I.build(ds, "S1")
    assert not d.comments_available
    assert d.comments_total == 2.0  # the platform's comment count for S1 (tiny.SESSION_TOTALS)
    kf = I.key_figures(d)
    assert kf["valid_comment_ratio"] is None and kf["questions"] is None and kf["comments"] == 2.0
    assert d.high_value.empty and kf["high_value_viewers"] is None
    kpis = d.kpis.set_index("key")
    assert kpis.loc["valid_comment_ratio", "reason"].code == "needs_table"  # the engine's reason, no text


def test_demo_keywords_and_aggregate_comment_count(demo_dir, planted):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    ds = liveops_nb.open(demo_dir)
    d = I.build(ds, sid)
    assert d.high_value["viewers"].sum() == ds.kpis(["uv"], where={"session_id": sid})["uv"].item()
    assert len(d.keywords) > 0 and d.keywords["count"].is_monotonic_decreasing
    assert d.kinds["count"].sum() > 0 and d.high_value["viewers"].sum() > 0
    agg = I.build(liveops_nb.open(demo_dir, use_viewer_level=False), sid)
    minute = pd.read_parquet(demo_dir / "minute_stats.parquet")
    assert agg.comments_total == float(minute.loc[minute.session_id == sid, "comments"].sum())
