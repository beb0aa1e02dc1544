"""Comment keywords as phrases (comments.keywords.top_phrases): stop words, numerals, minimum support."""
from __future__ import annotations

import pytest

from liveops_nb.comments import MIN_SUPPORT, STOPWORDS, classify_comments, top_phrases, top_phrases_from_comments
from liveops_nb.comments.keywords import STOPWORDS_FILE, comment_terms
from liveops_nb.errors import CommentInputError

CORPUS = [
    "物流很快",            # 物流, 物流很快
    "物流很快，包装也好",  # 物流, 物流很快, 包装 (也好: no phrase)
    "这次物流很快！",      # 物流, 物流很快
    "尺码偏小",            # 尺码, 尺码偏小
    "尺码偏小吗",          # 尺码, 尺码偏小
    "主播讲得好清楚",      # 清楚 — 主播 is a stop word, never 主 / 播讲
    "回购第三次了",        # 回购 — 第三次 is a numeral
    "给家人也买一份",      # nothing — 家人 a stop word, 一份 a numeral
    "回购第三次了",        # 回购
    "回购了",              # 回购
]


def test_phrases_hand_counted():
    got = top_phrases(CORPUS)
    # support (comments containing): 物流很快 3 (物流 3 → dropped: the phrase is in as many comments),
    # 回购 3; 尺码偏小 2, 包装 1, 清楚 1 → below the minimum of 3
    assert got["keyword"].tolist() == ["物流很快", "回购"]
    assert got["count"].tolist() == [3, 3]


def test_no_segmentation_noise():
    terms = {t for text in CORPUS for t in comment_terms(text)}
    assert not terms & {"播讲", "一份", "第三次", "主播", "家人"}
    assert {"物流很快", "尺码偏小", "回购"} <= terms


def test_minimum_support_and_too_few_comments():
    assert MIN_SUPPORT == 3
    assert top_phrases(CORPUS[:2]).empty  # nothing in three comments: the page says "too few comments"
    two = top_phrases(CORPUS, min_support=2)
    assert two.set_index("keyword")["count"].to_dict() == {"物流很快": 3, "回购": 3, "尺码偏小": 2}
    assert top_phrases([]).empty
    with pytest.raises(CommentInputError):
        top_phrases(CORPUS, min_support=0)
    with pytest.raises(CommentInputError):
        top_phrases(CORPUS, n=-1)


def test_a_comment_counts_once():
    assert top_phrases(["物流很快 物流很快 物流很快"], min_support=1)["count"].tolist() == [1]


def test_stopword_list_is_shipped_and_used():
    assert STOPWORDS_FILE.is_file() and {"第三次", "一份", "播讲", "主播"} <= STOPWORDS
    custom = top_phrases(CORPUS, stopwords=STOPWORDS | {"回购"})
    assert custom["keyword"].tolist() == ["物流很快"]


def test_from_comments_uses_valid_viewer_comments_only(make_frame):
    rows = [(f"k{i}", "s", f"u{i}", i * 100, "物流很快", None) for i in range(3)]  # three viewers, valid
    rows += [("k9", "s", "u1", 103, "物流很快", None)]  # u1 again 3 s later: a repeat
    rows += [("h1", "s", "host", 400, "物流很快哦", "k1")]  # host reply: ignored
    got = top_phrases_from_comments(classify_comments(make_frame(rows)))
    assert got.set_index("keyword")["count"].to_dict() == {"物流很快": 3}
