"""Keyword extraction from comment texts (jieba segmentation, stopwords).

See ``docs/comment-rules.md`` (section 6). jieba is imported lazily, once,
with its logging set to WARNING.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..errors import CommentInputError
from .classify import CLASSIFIED_COLUMNS, check_columns
from .rules import BRACKET_EMOTE_PATTERN, EMOJI_PATTERN, KEYCAP_PATTERN, as_text

__all__ = ["STOPWORDS", "top_keywords", "top_keywords_from_comments"]

#: Built-in Chinese stopwords for :func:`top_keywords` (function words,
#: pronouns, particles and live-room boilerplate).
STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 是 我 你 他 她 它 们 吗 呢 啊 吧 呀 哦 嗯 哈 嘛 啦 哇 这 那 有 都 就 也 还
    和 在 不 很 么 个 与 及 或 被 把 给 让 对 从 到 又 再 才 只 没 要 会 能 可 去 来
    说 看 好 太 真 最 更 挺 多 少 上 下 里 中 一 二 两 些 点 下 着 过 得 地 之
    我们 你们 他们 她们 咱们 大家 自己 这个 那个 这些 那些 这样 那样 这么 那么
    什么 怎么 怎么样 为什么 哪个 哪里 多少 是不是 有没有 可以 可不可以 能不能
    一个 一下 一点 一些 还是 就是 但是 然后 所以 因为 如果 而且 或者 还有 已经
    没有 不是 不要 不会 不能 觉得 感觉 真的 非常 特别 比较 这种 那种 现在 今天
    主播 宝宝 姐妹 家人 家人们 直播间 谢谢 哈哈 哈哈哈 嘿嘿 呵呵 啊啊 好的 好吧
    """.split()
)

_KEYWORD_CONTENT = re.compile(r"[a-z\u4e00-\u9fff]")
_URL = re.compile(r"https?://\S+|www\.\S+")

_jieba_module: Any = None


def _jieba() -> Any:
    """Import and initialise jieba once, with its logging silenced."""
    global _jieba_module
    if _jieba_module is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _jieba_module = jieba
    return _jieba_module


def top_keywords(
    texts: Iterable[str],
    n: int = 20,
    *,
    stopwords: set[str] | frozenset[str] | None = None,
) -> pd.DataFrame:
    """Most frequent words in a collection of Chinese texts.

    Each text is cleaned (null -> ""; emoji removed; NFKC; lower-case; URLs
    and bracket emotes removed) and segmented with ``jieba.lcut``. Tokens
    are dropped when they are stopwords, shorter than 2 characters, or
    contain no Latin letter or CJK ideograph (pure digits, punctuation,
    emoji, whitespace).

    Parameters
    ----------
    texts : Iterable[str]
        Comment texts.
    n : int, default 20
        Maximum number of keywords returned (``0`` gives an empty frame).
    stopwords : set of str, optional
        Words to drop; replaces the built-in :data:`STOPWORDS` when given
        (pass ``STOPWORDS | {...}`` to extend it).

    Returns
    -------
    pandas.DataFrame
        Columns ``keyword`` (str) and ``count`` (int64), sorted by count
        descending; ties keep first-appearance order.

    Raises
    ------
    CommentInputError
        If ``n`` is negative (also a ``ValueError``).
    """
    if n < 0:
        raise CommentInputError("n must be >= 0")
    stop = STOPWORDS if stopwords is None else frozenset(stopwords)
    jieba = _jieba()
    counter: Counter[str] = Counter()
    for text in texts:
        s = EMOJI_PATTERN.sub("", KEYCAP_PATTERN.sub("", as_text(text)))
        s = unicodedata.normalize("NFKC", s).lower()
        s = BRACKET_EMOTE_PATTERN.sub(" ", _URL.sub(" ", s))
        for token in jieba.lcut(s):
            token = token.strip()
            if len(token) < 2 or token in stop or not _KEYWORD_CONTENT.search(token):
                continue
            counter[token] += 1
    rows = counter.most_common(n) if n else []
    return pd.DataFrame(
        {
            "keyword": pd.Series([k for k, _ in rows], dtype="str"),
            "count": pd.Series([c for _, c in rows], dtype="int64"),
        }
    )


def top_keywords_from_comments(
    classified: pd.DataFrame,
    n: int = 20,
    *,
    stopwords: set[str] | frozenset[str] | None = None,
) -> pd.DataFrame:
    """:func:`top_keywords` over the valid viewer comments only.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`classify_comments`.
    n : int, default 20
        Maximum number of keywords.
    stopwords : set of str, optional
        See :func:`top_keywords`.

    Returns
    -------
    pandas.DataFrame
        Columns ``keyword`` and ``count``.

    Raises
    ------
    CommentInputError
        If ``text`` or a classification column is missing, or ``n`` is negative.
    """
    check_columns(classified, ("text", *CLASSIFIED_COLUMNS), "classified")
    mask = (classified["kind"].astype(str) == "valid") & ~classified["is_host_reply"].astype(bool)
    return top_keywords(classified.loc[mask, "text"], n, stopwords=stopwords)
