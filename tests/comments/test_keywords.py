"""liveops_nb.comments.keywords: jieba keywords counted by hand."""
from __future__ import annotations

import pytest

from liveops_nb.comments import STOPWORDS, classify_comments, top_keywords, top_keywords_from_comments
from liveops_nb.errors import CommentInputError

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
    with pytest.raises(CommentInputError):
        top_keywords(KEYWORD_CORPUS, n=-1)


def test_top_keywords_from_comments_uses_valid_viewer_comments_only(make_frame):
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
