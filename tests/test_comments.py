"""Tests for liveops_nb.comments on hand-made Chinese 弹幕 examples.

Every expected value below is written out by hand (not computed by the code
under test).
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from liveops_nb.comments import (
    STOPWORDS,
    SUMMARY_KEYS,
    answer_delay_seconds,
    classify_comments,
    comment_summary,
    comment_summary_by_session,
    is_emoji_only,
    is_question_text,
    is_spam_text,
    normalize_text,
    top_keywords,
    top_keywords_from_comments,
)

T0 = pd.Timestamp("2024-06-18 20:00:00", tz="Asia/Shanghai")
COLUMNS = ["comment_id", "session_id", "user_id", "ts", "text", "reply_to"]


def make_frame(rows, index=None) -> pd.DataFrame:
    """rows: (comment_id, session_id, user_id, seconds after T0, text, reply_to)."""
    records = [
        {
            "comment_id": cid,
            "session_id": sid,
            "user_id": uid,
            "ts": T0 + pd.Timedelta(seconds=sec),
            "text": text,
            "reply_to": reply,
        }
        for cid, sid, uid, sec, text, reply in rows
    ]
    return pd.DataFrame(records, columns=COLUMNS, index=index)


# (row, expected kind, expected is_question, expected answered)
# fmt: off
MAIN_ROWS = [
    # --- session s1 ---------------------------------------------------------
    (("c01", "s1", "u01",   0, "这个多少钱？",         None),  "valid",      True,  True),
    (("c02", "s1", "u02",   5, "加V看主页有优惠",      None),  "spam",       False, False),
    (("c03", "s1", "u03",   8, "[赞][赞][赞]",         None),  "emoji_only", False, False),
    (("c04", "s1", "u04",  10, "好看",                 None),  "valid",      False, False),
    (("c05", "s1", "u05",  12, "几乎每天都看",         None),  "valid",      False, False),
    (("c06", "s1", "u06",  15, "😂😂😂",               None),  "emoji_only", False, False),
    (("c07", "s1", "u07",  20, "66666666",             None),  "spam",       False, False),
    (("c08", "s1", "u08",  25, "160 110斤穿什么码",    None),  "valid",      True,  False),
    (("c09", "s1", "u09",  30, "有没有黑色",           None),  "valid",      True,  True),
    # second reply to c01 listed first but sent later: first reply is h01
    (("h03", "s1", "host", 130, "有货的",              "c01"), "host_reply", False, False),
    (("h01", "s1", "host",  35, "99元，今天有券",      "c01"), "host_reply", False, False),
    (("c10", "s1", "u04",  40, "好看！",               None),  "repeat",     False, False),  # u04 again, 30 s
    (("h02", "s1", "host",  50, "黑色有的",            "c09"), "host_reply", False, False),
    # flood: 5 distinct users send 扣1 within 10 s -> the 5th completes it
    (("c11", "s1", "u10",  60, "扣1",                  None),  "valid",      False, False),
    (("c12", "s1", "u11",  62, "扣1",                  None),  "valid",      False, False),
    (("c13", "s1", "u12",  64, "扣 1",                 None),  "valid",      False, False),
    (("c14", "s1", "u13",  66, "扣1",                  None),  "valid",      False, False),
    (("c15", "s1", "u14",  68, "扣1！",                None),  "repeat",     False, False),
    (("c16", "s1", "u15",  80, "扣1",                  None),  "valid",      False, False),  # window 70-80: 1 user
    (("c17", "s1", "u10", 100, "扣1",                  None),  "repeat",     False, False),  # u10 again, 40 s
    (("c18", "s1", "u16", 110, "哪怕贵也买",           None),  "valid",      False, False),
    (("c19", "s1", "u17", 120, "有货么",               None),  "valid",      True,  False),
    (("c20", "s1", "u08", 140, "160 110斤穿什么码？",  None),  "valid",      True,  False),  # 115 s later
    # --- session s2 ---------------------------------------------------------
    (("d01", "s2", "u04",  20, "好看",                 None),  "valid",      False, False),  # other session
    (("d02", "s2", "u20",  25, "这个多少钱？",         None),  "valid",      True,  False),
    (("h04", "s2", "host", 40, "看上面",               "c08"), "host_reply", False, False),  # s1 id: no effect
    (("d03", "s2", "u21",  45, "😂",                   None),  "emoji_only", False, False),
]
# fmt: on


@pytest.fixture
def main_frame() -> pd.DataFrame:
    # a non-default index checks that the output keeps the input index
    return make_frame([r[0] for r in MAIN_ROWS], index=range(100, 100 + len(MAIN_ROWS)))


@pytest.fixture
def classified(main_frame) -> pd.DataFrame:
    return classify_comments(main_frame)


# ---------------------------------------------------------------------------
# classify_comments
# ---------------------------------------------------------------------------


def test_every_row_classified_as_written(classified):
    got = list(
        zip(
            classified["comment_id"],
            classified["kind"],
            classified["is_question"],
            classified["answered"],
        )
    )
    expected = [(r[0][0], r[1], r[2], r[3]) for r in MAIN_ROWS]
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
    assert list(out.columns) == COLUMNS + ["is_host_reply", "kind", "is_question", "answered"]


def test_repeat_window_is_inclusive_and_slides():
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


def test_repeat_ignores_case_width_punctuation_and_emoji():
    df = make_frame(
        [
            ("a1", "s", "u1", 0, "OK好看", None),
            ("a2", "s", "u1", 5, "ｏｋ 好看！！😍", None),  # same after normalisation
            ("a3", "s", "u1", 9, "ok好看吗", None),          # different text
        ]
    )
    assert classify_comments(df)["kind"].tolist() == ["valid", "repeat", "valid"]


def test_custom_windows():
    df = make_frame([(r[0][0], *r[0][1:]) for r in MAIN_ROWS])
    out = classify_comments(df, repeat_window_seconds=10, flood_min_users=3).set_index("comment_id")["kind"]
    # c10 is 30 s after c04: not a repeat with a 10 s window
    assert out["c10"] == "valid"
    # with 3 users the flood is complete at the 3rd 扣1 (c13)
    assert [out[c] for c in ["c11", "c12", "c13", "c14", "c15", "c16", "c17"]] == [
        "valid", "valid", "repeat", "repeat", "repeat", "valid", "valid",
    ]


def test_flood_needs_distinct_users_within_window():
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


def test_spam_and_emoji_are_never_questions():
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


def test_blank_reply_to_is_not_a_host_reply():
    df = make_frame([("a1", "s", "u1", 0, "好看", ""), ("a2", "s", "u1", 100, "好看", pd.NA)])
    out = classify_comments(df)
    assert out["is_host_reply"].tolist() == [False, False]
    assert out["kind"].tolist() == ["valid", "valid"]


def test_empty_frame():
    out = classify_comments(make_frame([]))
    assert len(out) == 0
    assert {"is_host_reply", "kind", "is_question", "answered"} <= set(out.columns)
    s = comment_summary(out)
    assert s["comments"] == 0
    assert s["valid_comment_ratio"] is None
    assert s["answer_coverage"] is None


def test_bad_input():
    with pytest.raises(ValueError, match="reply_to"):
        classify_comments(make_frame([]).drop(columns=["reply_to"]))
    with pytest.raises(ValueError):
        classify_comments(make_frame([]), flood_min_users=1)
    with pytest.raises(ValueError):
        classify_comments(make_frame([]), repeat_window_seconds=-1)


# ---------------------------------------------------------------------------
# Text rules
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("好看！！ ", "好看"),
        ("Ｈｅｌｌｏ　好看！", "hello好看"),
        ("ＶＸ 好看[赞]😂", "vx好看"),
        ("[1号链接]", "1号链接"),
        ("🈶货吗", "货吗"),  # emoji removed before NFKC (🈶 would become 有)
        (None, ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["😂😂😂", "[赞][赞]", "[微笑]", "[玫瑰][玫瑰]", "［赞］", "👍！", "   ", "", None,
     "？？？", "❤️❤️", "👍🏻", "🇨🇳", "1️⃣", "(*^▽^*)", "～～～"],
)
def test_emoji_only_true(text):
    assert is_emoji_only(text)


@pytest.mark.parametrize("text", ["好看😂", "[1号链接]", "666", "ok👌", "[赞]好看"])
def test_emoji_only_false(text):
    assert not is_emoji_only(text)


@pytest.mark.parametrize(
    "text",
    [
        "加V看主页有优惠", "加微领券", "加 v 有福利", "vx：abc12345", "ＶＸ同号", "威信联系",
        "QQ群进来", "qq 12345678", "有事打13812345678", "138-1234-5678",
        "www.example.com", "点 https://t.cn/abc", "好货 abc.top", "私聊我有好货", "看我主页",
        "在家兼职日结", "刷单返现", "专业代购", "低价出二手",
        # filler
        "111111", "66666666", "哈哈哈哈哈哈", "hahaha", "啊啊啊啊啊啊", "哈哈哈666", "2333333",
    ],
)
def test_spam_true(text):
    assert is_spam_text(text)


@pytest.mark.parametrize(
    "text",
    ["666", "哈哈哈", "11111", "哈哈哈哈哈哈太好笑了", "可以微信支付吗", "QQ糖好吃", "加购了",
     "主页有链接吗", "这个多少钱？", "1号链接", "100块"],
)
def test_spam_false(text):
    assert not is_spam_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "这个多少钱？", "有赠品?", "能便宜点吗", "有货么", "我的呢", "怎么用", "怎样搭配",
        "如何清洗", "几号链接", "什么时候发货", "哪个颜色好看", "有没有黑色", "能不能便宜",
        "可不可以退", "是不是正品", "会不会掉色", "好不好看", "黄皮适合吗", "油皮适合",
        "多大码", "160 110斤穿什么码", "120斤穿M码", "165 110斤", "尺码怎么选", "发货多久",
        "求链接", "链接", "咋买", "啥时候上架", "请问有赠品", "买什么",
    ],
)
def test_question_true(text):
    assert is_question_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "几乎每天都看", "哪怕贵也买", "好看", "这么好看", "没什么", "口红什么的都买了",
        "好几次了", "十几块很便宜", "很适合你", "码数偏小", "不怎么样", "茶几很好看",
        "多少有点贵", "主播辛苦了", "什么都好看", "无论如何都要买",
    ],
)
def test_question_false(text):
    assert not is_question_text(text)


# ---------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------


def test_summary_ten_comments_six_valid():
    df = make_frame(
        [
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
    )
    s = comment_summary(classify_comments(df))
    assert list(s) == list(SUMMARY_KEYS)
    assert s == {
        "comments": 10,
        "valid_comments": 6,
        "valid_comment_ratio": 0.6,
        "spam": 1,
        "repeat": 1,
        "emoji_only": 2,
        "questions": 2,
        "answered_questions": 1,
        "answer_coverage": 0.5,
    }


def test_summary_main_frame(classified):
    s = comment_summary(classified)
    # s1: 20 viewer comments, 13 valid; s2: 3 viewer comments, 2 valid
    assert s["comments"] == 23
    assert s["valid_comments"] == 15
    assert s["valid_comment_ratio"] == pytest.approx(15 / 23)
    assert (s["spam"], s["repeat"], s["emoji_only"]) == (2, 3, 3)
    assert (s["questions"], s["answered_questions"]) == (6, 2)
    assert s["answer_coverage"] == pytest.approx(1 / 3)
    assert all(type(s[k]) is int for k in SUMMARY_KEYS if k not in ("valid_comment_ratio", "answer_coverage"))


def test_summary_by_session(classified):
    extra = classify_comments(make_frame([("h9", "s3", "host", 0, "欢迎", "zzz")]))  # host only
    both = pd.concat([classified, extra])
    by = comment_summary_by_session(both)
    assert list(by.columns) == ["session_id", *SUMMARY_KEYS]
    assert by["session_id"].tolist() == ["s1", "s2", "s3"]
    row = by.set_index("session_id")
    assert row.loc["s1", ["comments", "valid_comments", "spam", "repeat", "emoji_only",
                          "questions", "answered_questions"]].tolist() == [20, 13, 2, 3, 2, 5, 2]
    assert row.loc["s1", "valid_comment_ratio"] == pytest.approx(0.65)
    assert row.loc["s1", "answer_coverage"] == pytest.approx(0.4)
    assert row.loc["s2", ["comments", "valid_comments", "emoji_only", "questions",
                          "answered_questions"]].tolist() == [3, 2, 1, 1, 0]
    assert row.loc["s2", "valid_comment_ratio"] == pytest.approx(2 / 3)
    assert row.loc["s2", "answer_coverage"] == 0.0
    assert row.loc["s3", "comments"] == 0
    assert math.isnan(row.loc["s3", "valid_comment_ratio"])
    assert math.isnan(row.loc["s3", "answer_coverage"])


def test_answer_delay_seconds(classified):
    delays = answer_delay_seconds(classified)
    # c01 (0 s) -> first reply h01 (35 s); c09 (30 s) -> h02 (50 s)
    by_id = dict(zip(classified.loc[delays.index, "comment_id"], delays))
    assert by_id == {"c01": 35.0, "c09": 20.0}
    assert delays.name == "answer_delay_seconds"
    assert list(delays.index) == [100, 108]  # aligned with the classified frame


def test_answer_delay_empty():
    out = classify_comments(make_frame([("a1", "s", "u1", 0, "好看", None)]))
    assert answer_delay_seconds(out).empty


# ---------------------------------------------------------------------------
# Keywords
# ---------------------------------------------------------------------------

KEYWORD_CORPUS = [
    "口红显白",        # 口红 显白
    "这个色号显白",    # (这个) 色号 显白
    "口红质地滋润",    # 口红 质地 滋润
    "色号 显白 口红",  # 色号 显白 口红
    "[赞]口红😍",      # 口红
    "黄皮显白吗",      # 黄皮 显白 (吗)
    "2号链接",         # (2) (号) 链接
    "哈哈哈",          # stopword
]


def test_top_keywords_hand_counted():
    got = top_keywords(KEYWORD_CORPUS)
    # hand count: 口红 4, 显白 4, 色号 2, 质地 1, 滋润 1, 黄皮 1, 链接 1
    # (ties keep first appearance: 口红 comes before 显白 in the first text)
    assert got["keyword"].tolist() == ["口红", "显白", "色号", "质地", "滋润", "黄皮", "链接"]
    assert got["count"].tolist() == [4, 4, 2, 1, 1, 1, 1]
    assert list(got.columns) == ["keyword", "count"]


def test_top_keywords_n_and_stopwords():
    assert top_keywords(KEYWORD_CORPUS, n=2)["keyword"].tolist() == ["口红", "显白"]
    assert top_keywords(KEYWORD_CORPUS, n=0).empty
    custom = top_keywords(KEYWORD_CORPUS, n=3, stopwords=STOPWORDS | {"口红"})
    assert custom["keyword"].tolist() == ["显白", "色号", "质地"]
    assert custom["count"].tolist() == [4, 2, 1]
    assert top_keywords([]).empty
    with pytest.raises(ValueError):
        top_keywords(KEYWORD_CORPUS, n=-1)


def test_top_keywords_from_comments_uses_valid_viewer_comments_only():
    df = make_frame(
        [
            ("k1", "s", "u1", 0, "口红显白", None),      # valid: 口红 显白
            ("k2", "s", "u2", 1, "色号显白吗", None),    # valid: 色号 显白
            ("k3", "s", "u1", 5, "口红显白", None),      # repeat -> ignored
            ("k4", "s", "u3", 6, "加V买口红", None),     # spam -> ignored
            ("k5", "s", "host", 9, "口红有货", "k2"),    # host reply -> ignored
        ]
    )
    got = top_keywords_from_comments(classify_comments(df))
    assert got["keyword"].tolist() == ["显白", "口红", "色号"]
    assert got["count"].tolist() == [2, 1, 1]
