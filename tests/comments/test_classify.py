"""liveops_nb.comments.classify: kinds, questions and answers on hand-made 弹幕 frames."""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.comments import classify_comments
from liveops_nb.errors import CommentInputError, LiveOpsError


def test_every_row_classified_as_written(classified, main_rows):
    got = list(
        zip(
            classified["comment_id"],
            classified["kind"],
            classified["is_question"],
            classified["answered"],
            strict=True,
        )
    )
    expected = [(r[0][0], r[1], r[2], r[3]) for r in main_rows]
    assert got == expected


def test_host_reply_flag(classified):
    hosts = classified.loc[classified["is_host_reply"], "comment_id"].tolist()
    assert hosts == ["h03", "h01", "h02", "h04"]
    assert classified["is_host_reply"].dtype == bool
    assert classified["is_question"].dtype == bool
    assert classified["answered"].dtype == bool


def test_input_not_mutated_and_shape_kept(main_frame):
    before = main_frame.copy(deep=True)
    out = classify_comments(main_frame)
    pd.testing.assert_frame_equal(main_frame, before)
    assert out is not main_frame
    assert list(out.index) == list(main_frame.index)
    assert list(out.columns) == ["comment_id", "session_id", "user_id", "ts", "text", "reply_to",
                                 "is_host_reply", "kind", "is_question", "answered"]


def test_repeat_window_is_inclusive_and_slides(make_frame):
    df = make_frame(
        [
            ("a1", "s", "u1", 0, "好看", None),    # valid
            ("a2", "s", "u1", 60, "好看", None),   # 60 s after a1: repeat (inclusive)
            ("a3", "s", "u1", 121, "好看", None),  # 61 s after a2: valid
            ("a4", "s", "u1", 171, "好看", None),  # 50 s after a3: repeat
            ("a5", "s", "u1", 221, "好看", None),  # 50 s after a4: repeat (window slides)
            ("a6", "s", "u2", 222, "好看", None),  # other user: valid
        ]
    )
    assert classify_comments(df)["kind"].tolist() == ["valid", "repeat", "valid", "repeat", "repeat", "valid"]


def test_repeat_ignores_case_width_punctuation_and_emoji(make_frame):
    df = make_frame(
        [
            ("a1", "s", "u1", 0, "OK好看", None),
            ("a2", "s", "u1", 5, "ｏｋ 好看！！😍", None),  # same after normalisation
            ("a3", "s", "u1", 9, "ok好看吗", None),          # different text
        ]
    )
    assert classify_comments(df)["kind"].tolist() == ["valid", "repeat", "valid"]


def test_custom_windows(make_frame, main_rows):
    df = make_frame([(r[0][0], *r[0][1:]) for r in main_rows])
    out = classify_comments(df, repeat_window_seconds=10, flood_min_users=3).set_index("comment_id")["kind"]
    # c10 is 30 s after c04: not a repeat with a 10 s window
    assert out["c10"] == "valid"
    # with 3 users the flood is complete at the 3rd 扣1 (c13)
    assert [out[c] for c in ["c11", "c12", "c13", "c14", "c15", "c16", "c17"]] == [
        "valid", "valid", "repeat", "repeat", "repeat", "valid", "valid",
    ]


def test_flood_needs_distinct_users_within_window(make_frame):
    df = make_frame(
        [
            ("f1", "s", "u1", 0, "来了", None),
            ("f2", "s", "u2", 3, "来了", None),
            ("f3", "s", "u3", 6, "来了", None),
            ("f4", "s", "u4", 9, "来了", None),
            ("f5", "s", "u5", 11, "来了", None),  # window 1-11 holds u2..u5: 4 users -> valid
        ]
    )
    assert classify_comments(df)["kind"].tolist() == ["valid"] * 5


def test_spam_and_emoji_are_never_questions(make_frame):
    df = make_frame(
        [
            ("q1", "s", "u1", 0, "加V吗？", None),
            ("q2", "s", "u2", 1, "？？？", None),
            ("q3", "s", "u3", 2, "多少钱？", None),
            ("q4", "s", "u3", 3, "多少钱？", None),  # a repeat can still be a question
            ("r1", "s", "host", 4, "看主页", "q1"),
        ]
    )
    out = classify_comments(df)
    assert out["kind"].tolist() == ["spam", "emoji_only", "valid", "repeat", "host_reply"]
    assert out["is_question"].tolist() == [False, False, True, True, False]
    # a reply to a non-question does not make it answered
    assert out["answered"].tolist() == [False, False, False, False, False]


def test_blank_reply_to_is_not_a_host_reply(make_frame):
    df = make_frame([("a1", "s", "u1", 0, "好看", ""), ("a2", "s", "u1", 100, "好看", pd.NA)])
    out = classify_comments(df)
    assert out["is_host_reply"].tolist() == [False, False]
    assert out["kind"].tolist() == ["valid", "valid"]


def test_empty_frame(make_frame):
    out = classify_comments(make_frame([]))
    assert len(out) == 0
    assert {"is_host_reply", "kind", "is_question", "answered"} <= set(out.columns)


def test_bad_input(make_frame):
    with pytest.raises(ValueError, match="reply_to"):
        classify_comments(make_frame([]).drop(columns=["reply_to"]))
    with pytest.raises(ValueError):
        classify_comments(make_frame([]), flood_min_users=1)
    with pytest.raises(ValueError):
        classify_comments(make_frame([]), repeat_window_seconds=-1)


def test_bad_input_raises_the_package_error(make_frame):
    for kwargs in ({"flood_min_users": 1}, {"repeat_window_seconds": -1}, {"flood_window_seconds": -1}):
        with pytest.raises(CommentInputError):
            classify_comments(make_frame([]), **kwargs)
    with pytest.raises(LiveOpsError, match="text"):
        classify_comments(make_frame([]).drop(columns=["text"]))
