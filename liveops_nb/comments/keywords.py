"""Keyword extraction from comment texts (jieba segmentation, stopwords).

See ``docs/comment-rules.md`` (section 6). jieba is imported lazily, once,
with its logging set to WARNING.

Two views of what viewers talk about:

* :func:`top_keywords` — every segmented word, counted per occurrence (the raw view);
* :func:`top_phrases` — what a manager reads: content words (nouns, verbs, adjectives, idioms; no
  numerals or counters such as 一份 / 第三次) and short opinion phrases (a noun followed by an adjective
  or verb, optionally with an adverb between: 物流很快, 尺码偏小), each counted once per comment, kept
  only when at least ``min_support`` comments contain it (default :data:`MIN_SUPPORT`). Stop words come
  from the shipped list ``stopwords_zh.txt`` (:data:`STOPWORDS`); a small live-room lexicon keeps
  words such as 主播 whole (else 主播讲… is cut as 主 / 播讲).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CommentInputError
from .classify import CLASSIFIED_COLUMNS, check_columns
from .rules import BRACKET_EMOTE_PATTERN, EMOJI_PATTERN, KEYCAP_PATTERN, as_text

__all__ = ["MIN_SUPPORT", "STOPWORDS", "top_keywords", "top_keywords_from_comments", "top_phrases",
           "top_phrases_from_comments"]

MIN_SUPPORT = 3
"""A keyword or phrase is shown only when at least this many comments contain it."""
STOPWORDS_FILE = Path(__file__).with_name("stopwords_zh.txt")
LEXICON: tuple[tuple[str, str], ...] = tuple(
    [(w, "n") for w in ("主播", "宝子", "色号", "性价比", "敏感肌", "黄黑皮", "赠品", "尺码", "质量", "做工", "手感",
                        "物流", "客服", "正品", "优惠券", "链接", "码数", "七天无理由")]
    + [(w, "v") for w in ("上链接", "回购", "发货", "持妆", "退换", "包邮")])
"""Live-room words (with their part of speech) the segmenter must keep whole (a private jieba tokenizer)."""


def _shipped_stopwords() -> frozenset[str]:
    text = STOPWORDS_FILE.read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.lstrip().startswith("#") for w in line.split())


#: Built-in Chinese stopwords for :func:`top_keywords` and :func:`top_phrases` (function words,
#: pronouns, particles, numerals and counters, live-room boilerplate): the list below and ``stopwords_zh.txt``.
STOPWORDS: frozenset[str] = _shipped_stopwords() | frozenset(
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
_pos_tokenizer: Any = None


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


# part-of-speech tags (jieba / ICTCLAS) of content words, and of the words a phrase may end with
_CONTENT_TAGS = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "an", "v", "vd", "a", "ad", "i", "l", "eng")
_HEAD_TAGS = ("n", "nr", "ns", "nt", "nz", "nw", "vn", "an", "eng")
_TAIL_TAGS = ("a", "ad", "an", "v", "vd", "i", "l")
_CLAUSE = re.compile(r"[,.!?;:~，。！？；：、…\s]+")


def _pos() -> Any:
    """A private jieba part-of-speech tokenizer with :data:`LEXICON` (the global jieba dictionary is left alone)."""
    global _pos_tokenizer
    if _pos_tokenizer is None:
        jieba = _jieba()
        import jieba.posseg as posseg

        tok = jieba.Tokenizer()
        tok.initialize()
        for word, tag in LEXICON:
            tok.add_word(word, freq=max(tok.FREQ.get(word, 0), 200_000), tag=tag)
        _pos_tokenizer = posseg.POSTokenizer(tok)
        _pos_tokenizer.word_tag_tab.update(dict(LEXICON))
    return _pos_tokenizer


def _clean(text: Any) -> str:
    s = EMOJI_PATTERN.sub("", KEYCAP_PATTERN.sub("", as_text(text)))
    s = unicodedata.normalize("NFKC", s).lower()
    return BRACKET_EMOTE_PATTERN.sub(" ", _URL.sub(" ", s))


def _phrase_end(toks: list[tuple[str, str]], j: int, stop: frozenset[str]) -> int:
    """End (exclusive) of the opinion phrase whose head noun ends at ``j``, or -1 when there is none.

    After the noun: at most one degree adverb (很, 太, 挺 …), then an adjective, verb or idiom (two
    adjectives in a row: 偏 小), or an adverb that closes the clause (很快).
    """
    if j < len(toks) and toks[j][1] in ("d", "zg") and j + 1 < len(toks):
        j += 1
    if j >= len(toks) or (toks[j][0] in stop and not (len(toks[j][0]) == 1 and toks[j][1] == "a")):
        return -1  # a one-character adjective (好, 快, 小) completes a phrase though it is no keyword alone
    flag = toks[j][1]
    if not (flag in _TAIL_TAGS or (flag == "d" and j == len(toks) - 1)):
        return -1
    if j + 1 < len(toks) and flag in ("a", "ad") and toks[j + 1][1] in ("a", "ad"):
        return j + 2
    return j + 1


def comment_terms(text: str, stop: frozenset[str] = STOPWORDS) -> list[str]:
    """The content words and opinion phrases of one comment, each once, in order of appearance."""
    out: dict[str, None] = {}
    for clause in _CLAUSE.split(_clean(text)):
        if not clause:
            continue
        toks = [(p.word.strip(), p.flag) for p in _pos().lcut(clause, HMM=False) if p.word.strip()]
        for i, (word, flag) in enumerate(toks):
            content = (len(word) >= 2 and word not in stop and flag in _CONTENT_TAGS
                       and _KEYWORD_CONTENT.search(word) is not None)
            if content:
                out[word] = None
            if not (content and flag in _HEAD_TAGS):
                continue
            end = _phrase_end(toks, i + 1, stop)
            if end > 0:
                out["".join(w for w, _ in toks[i:end])] = None
    return list(out)


def top_phrases(
    texts: Iterable[str],
    n: int = 20,
    *,
    min_support: int = MIN_SUPPORT,
    stopwords: set[str] | frozenset[str] | None = None,
) -> pd.DataFrame:
    """Content words and opinion phrases that at least ``min_support`` comments contain, most comments first.

    Parameters
    ----------
    texts : comment texts.
    n : at most this many rows (``0`` gives an empty frame).
    min_support : minimum number of comments containing a term (a term in fewer is noise, not a topic).
    stopwords : words to drop; replaces :data:`STOPWORDS` when given.

    Returns
    -------
    pandas.DataFrame
        ``keyword`` (the word or phrase) and ``count`` (comments containing it, int64); ties keep first
        appearance. A word is left out when a phrase containing it is in nearly as many comments (≥ 80 %):
        the phrase says more. Empty when nothing reaches ``min_support`` ("too few comments").

    Raises
    ------
    CommentInputError
        ``n`` is negative or ``min_support`` is below 1.
    """
    if n < 0:
        raise CommentInputError("n must be >= 0")
    if min_support < 1:
        raise CommentInputError("min_support must be >= 1")
    stop = STOPWORDS if stopwords is None else frozenset(stopwords)
    support: Counter[str] = Counter()
    for text in texts:
        support.update(comment_terms(text, stop))
    kept = {k: c for k, c in support.items() if c >= min_support}
    redundant = {w for w in kept for p in kept if p != w and w in p and kept[p] >= 0.8 * kept[w]}
    rows = [(k, c) for k, c in kept.items() if k not in redundant]
    rows.sort(key=lambda kc: -kc[1])  # stable: ties keep first appearance
    rows = rows[:n]
    return pd.DataFrame({"keyword": pd.Series([k for k, _ in rows], dtype="str"),
                         "count": pd.Series([c for _, c in rows], dtype="int64")})


def top_phrases_from_comments(
    classified: pd.DataFrame,
    n: int = 20,
    *,
    min_support: int = MIN_SUPPORT,
    stopwords: set[str] | frozenset[str] | None = None,
) -> pd.DataFrame:
    """:func:`top_phrases` over the valid viewer comments of :func:`classify_comments` output."""
    check_columns(classified, ("text", *CLASSIFIED_COLUMNS), "classified")
    mask = (classified["kind"].astype(str) == "valid") & ~classified["is_host_reply"].astype(bool)
    return top_phrases(classified.loc[mask, "text"], n, min_support=min_support, stopwords=stopwords)
