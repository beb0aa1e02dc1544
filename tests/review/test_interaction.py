"""Section 6 — interaction and comments: hand-worked numbers on the tiny dataset."""
from __future__ import annotations

import pandas as pd
import pytest

import liveops_nb
import tiny
from liveops_nb.charts import to_svg
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


def test_high_value_tiers():
    assert I.high_value_tiers(["普通", "金卡", "银卡"]) == ("金卡",)
    assert I.high_value_tiers(["黑金", "普通", "金卡"]) == ("金卡", "黑金")
    # none of 金卡/黑金: the two highest ranked tiers, only when more than two ranked tiers exist
    assert I.high_value_tiers(["普通", "银卡", "铂金"]) == ("银卡", "铂金")
    assert I.high_value_tiers(["普通", "银卡"]) == ()
    assert I.high_value_tiers([None, "VIP"]) == ()


def test_prior_buyers_window():
    orders = pd.DataFrame({"session_id": ["A", "A", "B", "X"], "user_id": ["u1", "u2", "u3", "u4"],
                           "ts": [TS("2026-06-01 20:00"), TS("2026-09-01 20:00"), TS("2026-09-07 19:00"),
                                  TS("2026-09-02 20:00")]})
    # before 2026-09-07 20:00 within 90 days (from 2026-06-09 20:00): u2 (A), u3 (B); u1 is 98 days old; X is another room
    assert I.prior_buyers(orders, ["A", "B"], TS("2026-09-07 20:00")) == {"u2", "u3"}


def test_interactions_by_value_tiny(tiny_ds):
    d1 = I.build(tiny_ds, "S1")
    hv = d1.high_value.set_index("group")
    # S1 viewers u1 (普通), u2 (金卡), u4 (银卡); no purchases before S1 -> high-value = {u2}
    # interactions (like + comment + share): u1 like + comment = 2, u2 comment = 1, u4 share = 1
    assert hv.loc["high_value", ["viewers", "interactions", "per_viewer"]].tolist() == [1, 1, 1.0]
    assert hv.loc["other", "viewers"] == 2 and hv.loc["other", "per_viewer"] == pytest.approx((2 + 1) / 2)
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


def test_render_zh_en_tiny(tiny_ds):
    d = I.build(tiny_ds, "S1")
    zh, en = I.render(d, "zh"), I.render(d, "en")
    assert "有效弹幕占比" in zh[0] and "Valid comment ratio" in en[0]
    assert any(isinstance(x, str) and "15秒" in x for x in zh)
    assert any(isinstance(x, str) and "15s" in x for x in en)
    for item in zh + en:
        if not isinstance(item, str):
            assert "<svg" in to_svg(item)


def test_aggregate_only(tmp_path):
    ds = liveops_nb.open(tiny.write(tmp_path / "agg", aggregate_only=True))
    d = I.build(ds, "S1")
    assert not d.comments_available
    assert d.comments_total == 2.0  # the platform's comment count for S1 (tiny.SESSION_TOTALS)
    kf = I.key_figures(d)
    assert kf["valid_comment_ratio"] is None and kf["questions"] is None and kf["comments"] == 2.0
    for lang in ("zh", "en"):
        items = I.render(d, lang)
        assert sum("lo-na" in x for x in items if isinstance(x, str)) == 1


def test_demo_keywords_and_aggregate_comment_count(demo_dir, planted):
    sid = planted["phenomena"]["ordinary_session"]["session_id"]
    d = I.build(liveops_nb.open(demo_dir), sid)
    assert len(d.keywords) > 0 and d.keywords["count"].is_monotonic_decreasing
    assert d.kinds["count"].sum() > 0 and d.high_value["viewers"].sum() > 0
    for lang in ("zh", "en"):
        for item in I.render(d, lang):
            if not isinstance(item, str):
                assert "<svg" in to_svg(item)
    agg = I.build(liveops_nb.open(demo_dir, use_viewer_level=False), sid)
    minute = pd.read_parquet(demo_dir / "minute_stats.parquet")
    assert agg.comments_total == float(minute.loc[minute.session_id == sid, "comments"].sum())
