"""liveops_nb.comments.summary: counts and answer delays, hand-worked.

The summaries return counts only. The ratios built on them
(``valid_comment_ratio`` = valid / viewer comments, ``answer_coverage`` =
answered / questions) are registry metrics: their hand-worked values are
checked here through the engine (``ds.session_kpis``) on a dataset holding the
same comments.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.comments import (
    SUMMARY_KEYS,
    answer_delay_seconds,
    classify_comments,
    comment_summary,
    comment_summary_by,
    comment_summary_by_session,
)
from liveops_nb.errors import CommentInputError
from liveops_nb.metrics import REGISTRY

from .data import MAIN_ROWS, T0
from .data import make_frame as _make_frame

RATIO_KEYS = ("valid_comment_ratio", "answer_coverage")

TEN_ROWS = [
    ("v1", "s", "u1", 0, "主播好漂亮", None),    # valid
    ("v2", "s", "u2", 1, "这个多少钱？", None),  # valid, question, answered
    ("v3", "s", "u3", 2, "有没有白色", None),    # valid, question
    ("v4", "s", "u4", 3, "已下单", None),        # valid
    ("v5", "s", "u5", 4, "质量不错", None),      # valid
    ("v6", "s", "u6", 5, "支持支持", None),      # valid
    ("x1", "s", "u7", 6, "加微领红包", None),    # spam
    ("x2", "s", "u8", 7, "👍👍", None),          # emoji_only
    ("x3", "s", "u9", 8, "[玫瑰]", None),        # emoji_only
    ("x4", "s", "u1", 9, "主播好漂亮！", None),  # repeat
    ("h1", "s", "host", 20, "59元", "v2"),       # host reply, not a viewer comment
]
HOST_ONLY_ROWS = [("h9", "s3", "host", 0, "欢迎", "zzz")]


@pytest.fixture(scope="module")
def engine_ratios(tmp_path_factory) -> dict[str, dict[str, float | None]]:
    """The engine's valid_comment_ratio and answer_coverage per session of a dataset holding these comments.

    Sessions: ``s`` (the ten-comment frame), ``s1``/``s2`` (the main frame), ``s3``
    (one host reply only) and ``s4`` (no comments at all).
    """
    folder: Path = tmp_path_factory.mktemp("comments_ds")
    rows = TEN_ROWS + [r[0] for r in MAIN_ROWS] + HOST_ONLY_ROWS
    sids = ["s", "s1", "s2", "s3", "s4"]
    pd.DataFrame({"room_id": ["R"], "room_name": ["直播间"], "platform": ["douyin"], "category": ["彩妆"],
                  "host": ["主播"]}).to_parquet(folder / "rooms.parquet", index=False)
    pd.DataFrame({"session_id": sids, "room_id": ["R"] * 5, "host": ["主播"] * 5,
                  "start_time": [T0 - pd.Timedelta(hours=1)] * 5,
                  "end_time": [T0 + pd.Timedelta(hours=1)] * 5}).to_parquet(folder / "sessions.parquet", index=False)
    _make_frame(rows).to_parquet(folder / "comments.parquet", index=False)
    ds = liveops_nb.open(folder)
    out = {}
    for sid in sids:
        values = ds.session_kpis(sid).set_index("key")["value"]
        out[sid] = {k: (None if pd.isna(values[k]) else float(values[k])) for k in RATIO_KEYS}
    return out


def test_summary_ten_comments_six_valid(make_frame, engine_ratios):
    s = comment_summary(classify_comments(make_frame(TEN_ROWS)))
    assert list(s) == list(SUMMARY_KEYS)
    assert s == {
        "comments": 10,
        "valid_comments": 6,
        "spam": 1,
        "repeat": 1,
        "emoji_only": 2,
        "questions": 2,
        "answered_questions": 1,
    }
    assert engine_ratios["s"]["valid_comment_ratio"] == pytest.approx(0.6)
    assert engine_ratios["s"]["answer_coverage"] == pytest.approx(0.5)


def test_summary_empty_frame(make_frame, engine_ratios):
    s = comment_summary(classify_comments(make_frame([])))
    assert s["comments"] == 0
    assert all(v == 0 for v in s.values())
    # a session without comments: both ratios are not available
    assert engine_ratios["s4"]["valid_comment_ratio"] is None
    assert engine_ratios["s4"]["answer_coverage"] is None


def test_summary_main_frame(classified):
    s = comment_summary(classified)
    # s1: 20 viewer comments, 13 valid; s2: 3 viewer comments, 2 valid
    assert s["comments"] == 23
    assert s["valid_comments"] == 15
    assert (s["spam"], s["repeat"], s["emoji_only"]) == (2, 3, 3)
    assert (s["questions"], s["answered_questions"]) == (6, 2)
    assert all(type(s[k]) is int for k in SUMMARY_KEYS)
    # the registry's definitions over these counts (s1 and s2 together, ratio of sums)
    base = {"viewer_comments": s["comments"], "valid_comments": s["valid_comments"],
            "questions": s["questions"], "answered_questions": s["answered_questions"]}
    ratio = {k: base[REGISTRY[k].numerator] / base[REGISTRY[k].denominator_base] for k in RATIO_KEYS}
    assert ratio["valid_comment_ratio"] == pytest.approx(15 / 23)
    assert ratio["answer_coverage"] == pytest.approx(1 / 3)


def test_summary_has_no_ratios():
    assert not set(RATIO_KEYS) & set(SUMMARY_KEYS)


def test_summary_by_session(classified, make_frame, engine_ratios):
    extra = classify_comments(make_frame(HOST_ONLY_ROWS))  # host only
    both = pd.concat([classified, extra])
    by = comment_summary_by_session(both)
    assert list(by.columns) == ["session_id", *SUMMARY_KEYS]
    assert by["session_id"].tolist() == ["s1", "s2", "s3"]
    assert all(by[k].dtype == "int64" for k in SUMMARY_KEYS)
    row = by.set_index("session_id")
    assert row.loc["s1", ["comments", "valid_comments", "spam", "repeat", "emoji_only",
                          "questions", "answered_questions"]].tolist() == [20, 13, 2, 3, 2, 5, 2]
    assert engine_ratios["s1"]["valid_comment_ratio"] == pytest.approx(0.65)
    assert engine_ratios["s1"]["answer_coverage"] == pytest.approx(0.4)
    assert row.loc["s2", ["comments", "valid_comments", "emoji_only", "questions",
                          "answered_questions"]].tolist() == [3, 2, 1, 1, 0]
    assert engine_ratios["s2"]["valid_comment_ratio"] == pytest.approx(2 / 3)
    assert engine_ratios["s2"]["answer_coverage"] == 0.0
    assert row.loc["s3", "comments"] == 0
    assert engine_ratios["s3"]["valid_comment_ratio"] is None
    assert engine_ratios["s3"]["answer_coverage"] is None


def test_summary_by_any_grouping(classified):
    by = comment_summary_by(classified, ["session_id", "user_id"]).set_index(["session_id", "user_id"])
    # u04 in s1: c04 valid + c10 repeat; u10 in s1: c11 valid + c17 repeat; u08 in s1: c08, c20 two valid questions
    assert by.loc[("s1", "u04"), ["comments", "valid_comments", "repeat"]].tolist() == [2, 1, 1]
    assert by.loc[("s1", "u10"), ["comments", "valid_comments", "repeat"]].tolist() == [2, 1, 1]
    assert by.loc[("s1", "u08"), ["comments", "questions", "answered_questions"]].tolist() == [2, 2, 0]
    # host replies are rows of their own group with no viewer comments
    assert by.loc[("s1", "host"), "comments"] == 0
    assert by["comments"].sum() == 23
    with pytest.raises(CommentInputError):
        comment_summary_by(classified, "minute")
    with pytest.raises(CommentInputError):
        comment_summary_by(classified, [])


def test_answer_delay_seconds(classified):
    delays = answer_delay_seconds(classified)
    # c01 (0 s) -> first reply h01 (35 s); c09 (30 s) -> h02 (50 s)
    by_id = dict(zip(classified.loc[delays.index, "comment_id"], delays, strict=True))
    assert by_id == {"c01": 35.0, "c09": 20.0}
    assert delays.name == "answer_delay_seconds"
    assert list(delays.index) == [100, 108]  # aligned with the classified frame


def test_answer_delay_empty(make_frame):
    out = classify_comments(make_frame([("a1", "s", "u1", 0, "好看", None)]))
    assert answer_delay_seconds(out).empty
