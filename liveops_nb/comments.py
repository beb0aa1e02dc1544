"""Comment (弹幕) quality rules for live-commerce (直播) session review.

Input frame
-----------
One row per comment with columns ``comment_id`` (str), ``session_id`` (str),
``user_id`` (str), ``ts`` (tz-aware datetime, Asia/Shanghai), ``text`` (str)
and ``reply_to`` (str or null). A row whose ``reply_to`` is non-null (and not
blank) is a **host reply** to the comment with that id in the same session;
every other row is a **viewer comment** (including host posts that do not
reply to anything).

Classification (``kind``), exactly one per row, first match wins
-----------------------------------------------------------------
1. ``host_reply``  -- ``reply_to`` is non-null and not blank.
2. ``emoji_only``  -- :func:`normalize_text` of the text is empty: after
   removing emoji (:data:`EMOJI_PATTERN`, :data:`KEYCAP_PATTERN`), platform
   bracket emotes such as ``[微笑]`` ``[赞]`` ``[玫瑰]``
   (:data:`BRACKET_EMOTE_PATTERN`), and every punctuation, symbol, whitespace
   and control character, nothing is left. Examples: "😂😂😂", "[赞][赞]",
   "👍！", "   ", "？？？", "(*^▽^*)". Null / empty text is emoji_only too.
3. ``spam``        -- either
   *advertising / diversion* (:data:`SPAM_PATTERN`, matched on the NFKC,
   lower-cased text with whitespace removed): URLs, WeChat / QQ contact hints
   ("加V", "加微", "vx", "wx", "威信", "微信号", "QQ群", "qq 12345678"),
   11-digit mainland mobile numbers (hyphens/spaces allowed), "私聊我",
   "私信我", "看我主页", "兼职", "刷单", "代购", "低价出", "日赚", "躺赚",
   "招代理";
   or *filler* (:data:`FILLER_PATTERN`, matched on the normalised text): the
   whole comment is one character repeated >= 6 times ("111111", "66666666",
   "哈哈哈哈哈哈", "啊啊啊啊啊啊"), or >= 6 characters drawn only from the
   laughter/cheer set ``哈呵嘿嘻啊哇哦噢嗯呜嘤 h a 6`` ("哈哈哈666",
   "hahaha"), or "2333333". Filler is counted as spam on purpose: it carries
   no information. Short cheers ("666", "哈哈哈") and laughter inside a real
   sentence ("哈哈哈哈哈哈太好笑了") stay valid.
4. ``repeat``      -- only among viewer comments that are not emoji_only or
   spam, compared on :func:`normalize_text` within the same session:

   * *user repeat*: the same ``user_id`` sent the same normalised text no
     more than ``repeat_window_seconds`` (default 60, inclusive) after their
     immediately preceding identical comment. The window slides, so a user
     posting "好看" every 50 s has every copy after the first marked repeat.
   * *flood*: counting the comment itself, at least ``flood_min_users``
     (default 5) distinct users sent the same normalised text in the
     ``flood_window_seconds`` (default 10, inclusive) ending at this
     comment. The rule is causal (it looks only backwards): with 5 users
     typing "扣1" inside 10 s, the first 4 stay valid and the 5th (and
     every later copy while the window still holds >= 5 users) is repeat.

   Ties in ``ts`` are ordered by input row order. Rows with a missing ``ts``
   are never repeats.
5. ``valid``       -- everything else.

Questions and answers
---------------------
``is_question`` is only ever True for viewer comments whose kind is
``valid`` or ``repeat`` (a re-asked question still counts as a question).
A comment is a question when its NFKC text contains "?" / "？", or its
normalised text (see :data:`QUESTION_PATTERN`, :data:`QUESTION_END_PATTERN`)

* ends with 吗, 呢, or 么 (but not 这么/那么/多么/要么);
* contains 怎么, 怎样, 咋, 如何, 多少, 多久, 多大, 几, 什么, 啥, 哪, 请问,
  为何, an "X不X" / "X没X" pair (是不是, 能不能, 可不可以, 会不会, 有没有,
  好不好看 ...), 适合 (not after 很/挺/太/好/超/真/蛮/不/最/也/都 and not
  before 你/您/主播);
* asks about size (多大码, "120斤穿M码", "尺码/码数 + 怎么/多少/推荐/咋" or
  at the end, or a bare "165 110斤"), shipping (发货时间, 发货多久) or the
  product link (求链接, a bare "链接").

Before the particle and word patterns are searched, the phrases in
:data:`NON_QUESTION_PATTERN` are blanked out so that 几乎, 哪怕, 好几, 十几,
几十, 茶几, 什么都, 什么的, 没什么, 不怎么, 无论如何, 多少有点 ... do not
trigger a question.

``answered`` is True for a question when at least one host reply in the same
session has ``reply_to`` equal to its ``comment_id``. Host replies to
non-questions do not create questions.

Metrics
-------
See :func:`comment_summary`. ``comments`` counts viewer comments only;
``valid_comment_ratio = valid_comments / comments`` and
``answer_coverage = answered_questions / questions`` (None when the
denominator is 0).

All functions are pure: no I/O, inputs are never mutated.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "BRACKET_EMOTE_PATTERN",
    "DEFAULT_FLOOD_MIN_USERS",
    "DEFAULT_REPEAT_WINDOW_SECONDS",
    "EMOJI_PATTERN",
    "FILLER_PATTERN",
    "FLOOD_WINDOW_SECONDS",
    "KEYCAP_PATTERN",
    "KINDS",
    "NON_QUESTION_PATTERN",
    "QUESTION_END_PATTERN",
    "QUESTION_MARK_PATTERN",
    "QUESTION_PATTERN",
    "REQUIRED_COLUMNS",
    "SPAM_PATTERN",
    "STOPWORDS",
    "SUMMARY_KEYS",
    "answer_delay_seconds",
    "classify_comments",
    "comment_summary",
    "comment_summary_by_session",
    "is_emoji_only",
    "is_question_text",
    "is_spam_text",
    "normalize_text",
    "top_keywords",
    "top_keywords_from_comments",
]

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

REQUIRED_COLUMNS: tuple[str, ...] = (
    "comment_id",
    "session_id",
    "user_id",
    "ts",
    "text",
    "reply_to",
)

#: Allowed values of the ``kind`` column, in precedence order.
KINDS: tuple[str, ...] = ("host_reply", "emoji_only", "spam", "repeat", "valid")

DEFAULT_REPEAT_WINDOW_SECONDS: int = 60
DEFAULT_FLOOD_MIN_USERS: int = 5
#: Width of the flood window (seconds, inclusive).
FLOOD_WINDOW_SECONDS: int = 10

#: Emoji and pictographic symbol ranges, plus the invisible emoji glue
#: characters (ZWJ, variation selectors, keycap, tag characters). Applied to
#: the *raw* text, before NFKC, because NFKC turns some emoji into letters
#: (🈶 -> 有, ™ -> TM, ㊗ -> 祝).
EMOJI_PATTERN: re.Pattern[str] = re.compile(
    "["
    "\U0001F000-\U0001FAFF"  # mahjong/cards, enclosed alnum/ideographic
    # supplement, pictographs, emoticons, transport, supplemental symbols
    "\u2600-\u27BF"  # misc symbols, dingbats (☀ ❤ ✨ ✅)
    "\u2300-\u23FF"  # misc technical (⌚ ⏰ ⏳)
    "\u2B00-\u2BFF"  # misc symbols and arrows (⭐ ⬆)
    "\u2190-\u21FF"  # arrows
    "\u25A0-\u25FF"  # geometric shapes (▶ ◀)
    "\u2122\u2139"  # ™ ℹ
    "\u00A9\u00AE\u203C\u2049"  # © ® ‼ ⁉
    "\u3030\u303D\u3297\u3299"  # 〰 〽 ㊗ ㊙
    "\u200D\uFE0E\uFE0F\u20E3"  # ZWJ, variation selectors, keycap
    "\U000E0020-\U000E007F"  # tag characters (flag sub-sequences)
    "]"
)

#: Keycap emoji such as 1️⃣ (digit + optional VS16 + U+20E3), removed whole so
#: the digit does not survive as content.
KEYCAP_PATTERN: re.Pattern[str] = re.compile("[0-9#*]\uFE0F?\u20E3")

#: Platform bracket emotes: 1-6 CJK characters or Latin letters between
#: square brackets, e.g. ``[微笑]`` ``[赞]`` ``[玫瑰]`` ``[ok]``. Applied after
#: NFKC + lower-casing, so full-width ``［赞］`` and ``[OK]`` match too.
#: Digits are not allowed so ``[1号链接]`` keeps its content.
BRACKET_EMOTE_PATTERN: re.Pattern[str] = re.compile(r"\[[\u4e00-\u9fffa-z]{1,6}\]")

#: Advertising / diversion patterns. Matched on NFKC + lower-cased text with
#: all whitespace removed.
SPAM_PATTERN: re.Pattern[str] = re.compile(
    "|".join(
        [
            # URLs and bare domains
            r"https?://",
            r"www\.",
            r"[a-z0-9-]+\.(?:com|cn|net|org|top|xyz|vip|cc|shop|link|club)(?![a-z0-9])",
            # WeChat / QQ contact hints
            r"加\W{0,2}(?:v(?!ip)|微(?!辣)|薇|威|vx|wx|q(?!q糖)|扣扣)",
            r"\+(?:v|微|vx|wx|q)",
            r"vx|wx|v信|威信|薇信|卫星号|绿泡泡|微信号",
            r"(?:微信|qq)\W{0,2}[a-z0-9_-]{5,}",
            r"(?:qq|扣扣)(?:号|群)",
            # 11-digit mainland mobile numbers (optionally split by - )
            r"(?<!\d)1[3-9](?:-?\d){9}(?!\d)",
            # diversion / side-hustle / grey-market selling
            r"私聊我|私信我|找我私聊|私我",
            r"我的?主页",
            r"兼职|刷单|代购|低价出|日赚|躺赚|招代理",
        ]
    )
)

#: Pure filler, matched on the normalised text (see :func:`normalize_text`):
#: one character repeated >= 6 times, >= 6 laughter/cheer characters, or
#: "2333333" (internet laughter).
FILLER_PATTERN: re.Pattern[str] = re.compile(
    r"^(?:(.)\1{5,}|[哈呵嘿嘻啊哇哦噢嗯呜嘤ha6]{6,}|23{5,})$"
)

#: "?" after NFKC (covers full-width "？").
QUESTION_MARK_PATTERN: re.Pattern[str] = re.compile(r"[?？]")

#: Sentence-final question particles, matched on the normalised text.
QUESTION_END_PATTERN: re.Pattern[str] = re.compile(r"(?:吗|呢|(?<![这那多要])么)$")

#: Phrases that contain a question word but are not questions. They are
#: blanked out before :data:`QUESTION_PATTERN` is searched.
NON_QUESTION_PATTERN: re.Pattern[str] = re.compile(
    "|".join(
        [
            r"几乎|好几|十几|几十|几百|几千|几万|没几|茶几",
            r"哪怕|哪都|哪儿都|哪里都|哪里哪里",
            r"什么都|什么的|没什么|不是什么|啥都|没啥",
            r"不怎么|怎么都|怎么也|不管怎么|无论怎么",
            r"无论如何|无论什么|不管什么|不管多少",
            r"多少有点|多少有些|多少还是|多少都",
        ]
    )
)

#: Question words and asking patterns, matched on the normalised text after
#: :data:`NON_QUESTION_PATTERN` has been blanked out.
QUESTION_PATTERN: re.Pattern[str] = re.compile(
    "|".join(
        [
            r"怎么|怎样|咋|如何|多少|多久|多大|几|什么|啥|哪|请问|为何",
            # X不X / X没X: 是不是 能不能 可不可以 会不会 有没有 好不好看
            r"([\u4e00-\u9fff])[不没]\1",
            r"(?<![很挺太好超真蛮不最也都])适合(?![你您主播])",
            # size
            r"多大码|\d{2,3}斤.{0,6}(?:码|号|穿)",
            r"(?:尺码|码数)(?:怎么|多少|推荐|咋|$)",
            r"^(?:身高)?1\d{2}(?:cm)?(?:体重)?\d{2,3}(?:斤|kg)$",
            # shipping, product link
            r"发货(?:时间|多久)|求链接|^链接$",
        ]
    )
)

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

#: Keys of the dict returned by :func:`comment_summary` (and columns of
#: :func:`comment_summary_by_session` after ``session_id``).
SUMMARY_KEYS: tuple[str, ...] = (
    "comments",
    "valid_comments",
    "valid_comment_ratio",
    "spam",
    "repeat",
    "emoji_only",
    "questions",
    "answered_questions",
    "answer_coverage",
)

_CLASSIFIED_COLUMNS: tuple[str, ...] = ("is_host_reply", "kind", "is_question", "answered")
_WHITESPACE = re.compile(r"\s+")
_KEYWORD_CONTENT = re.compile(r"[a-z\u4e00-\u9fff]")
_URL = re.compile(r"https?://\S+|www\.\S+")

_jieba_module: Any = None

# ---------------------------------------------------------------------------
# Text-level helpers
# ---------------------------------------------------------------------------


def _as_text(text: object) -> str:
    """Return ``text`` as ``str``; null-like values become ``""``."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    try:
        if pd.isna(text):
            return ""
    except (TypeError, ValueError):
        pass
    return str(text)


def normalize_text(text: object) -> str:
    """Normalise a comment to its comparable *content*.

    Steps: remove keycap sequences and emoji (:data:`KEYCAP_PATTERN`,
    :data:`EMOJI_PATTERN`) from the raw text; NFKC (full-width ->
    half-width); lower-case; remove bracket emotes
    (:data:`BRACKET_EMOTE_PATTERN`); drop every character whose Unicode
    category is punctuation (P*), symbol (S*), separator/space (Z*) or
    control/format (C*).

    Parameters
    ----------
    text : object
        Comment text; null-like values are treated as ``""``.

    Returns
    -------
    str
        The normalised text; ``""`` means the comment is emoji_only.

    Examples
    --------
    >>> normalize_text("好看！！ ")
    '好看'
    >>> normalize_text("ＶＸ 好看[赞]😂")
    'vx好看'
    """
    s = _as_text(text)
    s = KEYCAP_PATTERN.sub("", s)
    s = EMOJI_PATTERN.sub("", s)
    s = unicodedata.normalize("NFKC", s).lower()
    s = BRACKET_EMOTE_PATTERN.sub("", s)
    return "".join(ch for ch in s if unicodedata.category(ch)[0] not in "PSZC")


def _compact(text: object) -> str:
    """NFKC + lower-case + whitespace removed (the view used for spam)."""
    s = unicodedata.normalize("NFKC", _as_text(text)).lower()
    return _WHITESPACE.sub("", s)


def is_emoji_only(text: object) -> bool:
    """Return True when nothing but emoji/emotes/punctuation/space is left.

    Parameters
    ----------
    text : object
        Comment text.

    Returns
    -------
    bool
        ``normalize_text(text) == ""``.
    """
    return normalize_text(text) == ""


def is_spam_text(text: object) -> bool:
    """Return True for advertising/diversion or pure filler text.

    Parameters
    ----------
    text : object
        Comment text.

    Returns
    -------
    bool
        True when :data:`SPAM_PATTERN` matches the compact text or
        :data:`FILLER_PATTERN` matches the normalised text.
    """
    if SPAM_PATTERN.search(_compact(text)):
        return True
    return bool(FILLER_PATTERN.match(normalize_text(text)))


def is_question_text(text: object) -> bool:
    """Return True when the text reads as a question (text-only rule).

    Parameters
    ----------
    text : object
        Comment text.

    Returns
    -------
    bool
        True for a "?"/"？", a sentence-final 吗/呢/么, or a question word or
        asking pattern (see the module docstring). Does not look at the
        comment's kind; :func:`classify_comments` additionally requires a
        valid or repeat viewer comment.
    """
    raw = _as_text(text)
    content = normalize_text(raw)
    if not content:
        return False
    if QUESTION_MARK_PATTERN.search(unicodedata.normalize("NFKC", raw)):
        return True
    # blank out non-question phrases (几乎, 没什么, ...) before both checks;
    # a phrase blanked at the very end also disables the end-particle rule
    content = NON_QUESTION_PATTERN.sub(" ", content)
    if QUESTION_END_PATTERN.search(content):
        return True
    return bool(QUESTION_PATTERN.search(content))


# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


def _check_columns(frame: pd.DataFrame, required: Iterable[str], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} is missing required column(s): {missing}")


def _host_reply_mask(reply_to: pd.Series) -> np.ndarray:
    values = [_as_text(v).strip() for v in reply_to]
    return np.array([v != "" for v in values], dtype=bool)


def _flood_positions(
    seconds: np.ndarray, users: np.ndarray, min_users: int, window: float
) -> list[int]:
    """Positions (into the given time-sorted arrays) that complete a flood."""
    hits: list[int] = []
    counts: Counter[Any] = Counter()
    left = 0
    for right in range(len(seconds)):
        counts[users[right]] += 1
        while seconds[right] - seconds[left] > window:
            counts[users[left]] -= 1
            if counts[users[left]] == 0:
                del counts[users[left]]
            left += 1
        if len(counts) >= min_users:
            hits.append(right)
    return hits


def classify_comments(
    comments: pd.DataFrame,
    *,
    repeat_window_seconds: int = DEFAULT_REPEAT_WINDOW_SECONDS,
    flood_min_users: int = DEFAULT_FLOOD_MIN_USERS,
    flood_window_seconds: int = FLOOD_WINDOW_SECONDS,
) -> pd.DataFrame:
    """Classify every comment and flag questions and answers.

    Parameters
    ----------
    comments : pandas.DataFrame
        Columns ``comment_id``, ``session_id``, ``user_id``, ``ts``,
        ``text``, ``reply_to`` (extra columns are kept). Not modified.
    repeat_window_seconds : int, default 60
        A user's identical (normalised) comment within this many seconds
        (inclusive) of their previous identical one is a repeat.
    flood_min_users : int, default 5
        A comment is a flood repeat when, counting itself, at least this many
        distinct users sent the same normalised text within
        ``flood_window_seconds`` ending at it. Must be >= 2.
    flood_window_seconds : int, default 10
        Width of the flood window in seconds (inclusive).

    Returns
    -------
    pandas.DataFrame
        A copy of ``comments`` (same index and row order) with added columns

        ``is_host_reply`` : bool
            ``reply_to`` is non-null and not blank.
        ``kind`` : str
            One of ``"host_reply"``, ``"emoji_only"``, ``"spam"``,
            ``"repeat"``, ``"valid"`` (first matching rule wins).
        ``is_question`` : bool
            Valid or repeat viewer comment that reads as a question.
        ``answered`` : bool
            Question with at least one host reply in the same session whose
            ``reply_to`` equals its ``comment_id``.

    Raises
    ------
    ValueError
        If a required column is missing or a parameter is out of range.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "comment_id": ["c1", "c2"], "session_id": ["s1", "s1"],
    ...     "user_id": ["u1", "host"],
    ...     "ts": pd.to_datetime(["2024-05-01 20:00:00", "2024-05-01 20:00:30"])
    ...     .tz_localize("Asia/Shanghai"),
    ...     "text": ["这个多少钱？", "99元"], "reply_to": [None, "c1"]})
    >>> classify_comments(df)[["kind", "is_question", "answered"]].values.tolist()
    [['valid', True, True], ['host_reply', False, False]]
    """
    _check_columns(comments, REQUIRED_COLUMNS, "comments")
    if repeat_window_seconds < 0:
        raise ValueError("repeat_window_seconds must be >= 0")
    if flood_min_users < 2:
        raise ValueError("flood_min_users must be >= 2")
    if flood_window_seconds < 0:
        raise ValueError("flood_window_seconds must be >= 0")

    out = comments.copy()
    n = len(out)
    texts = [_as_text(t) for t in comments["text"]]
    norm = [normalize_text(t) for t in texts]
    is_host = _host_reply_mask(comments["reply_to"])

    kind = np.full(n, "valid", dtype=object)
    is_emoji = np.array([c == "" for c in norm], dtype=bool)
    is_spam = np.array(
        [bool(SPAM_PATTERN.search(_compact(t)) or FILLER_PATTERN.match(c)) for t, c in zip(texts, norm)],
        dtype=bool,
    )
    kind[is_spam] = "spam"
    kind[is_emoji] = "emoji_only"
    kind[is_host] = "host_reply"

    # --- repeats: candidates are the still-valid viewer comments ----------
    candidate = kind == "valid"
    repeat = np.zeros(n, dtype=bool)
    if candidate.any():
        ts = pd.to_datetime(comments["ts"])
        ts_values = pd.Series(ts.to_numpy(), index=pd.RangeIndex(n))
        origin = ts_values.min()
        seconds = (ts_values - origin).dt.total_seconds().to_numpy(dtype=float)
        work = pd.DataFrame(
            {
                "pos": np.arange(n),
                "session": [_as_text(v) for v in comments["session_id"]],
                "user": [_as_text(v) for v in comments["user_id"]],
                "norm": norm,
                "t": seconds,
            }
        )
        work = work[candidate & ~np.isnan(seconds)]
        work = work.sort_values("t", kind="mergesort")

        # user repeat: gap to the same user's previous identical comment
        gap = work.groupby(["session", "user", "norm"], sort=False)["t"].diff()
        user_rep = (gap <= repeat_window_seconds).to_numpy()
        repeat[work["pos"].to_numpy()[user_rep]] = True

        # flood: >= flood_min_users distinct users in the trailing window
        for _, grp in work.groupby(["session", "norm"], sort=False):
            if grp["user"].nunique() < flood_min_users:
                continue
            hits = _flood_positions(
                grp["t"].to_numpy(),
                grp["user"].to_numpy(),
                flood_min_users,
                float(flood_window_seconds),
            )
            repeat[grp["pos"].to_numpy()[hits]] = True
    kind[repeat & candidate] = "repeat"

    # --- questions and answers -------------------------------------------
    can_ask = np.isin(kind, ["valid", "repeat"])
    is_question = np.array(
        [bool(ok) and is_question_text(t) for ok, t in zip(can_ask, texts)], dtype=bool
    )
    sessions = [_as_text(v) for v in comments["session_id"]]
    replied = {
        (sessions[i], _as_text(r).strip())
        for i, r in enumerate(comments["reply_to"])
        if is_host[i]
    }
    ids = [_as_text(v) for v in comments["comment_id"]]
    answered = np.array(
        [bool(q) and (s, c) in replied for q, s, c in zip(is_question, sessions, ids)],
        dtype=bool,
    )

    out["is_host_reply"] = is_host
    out["kind"] = pd.Series(list(kind), index=out.index, dtype="str")
    out["is_question"] = is_question
    out["answered"] = answered
    return out


# ---------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------


def _summary_counts(classified: pd.DataFrame) -> dict[str, Any]:
    host = classified["is_host_reply"].astype(bool).to_numpy()
    kind = classified["kind"].astype(str).to_numpy()
    question = classified["is_question"].astype(bool).to_numpy() & ~host
    answered = classified["answered"].astype(bool).to_numpy() & question
    comments = int((~host).sum())
    valid = int(((kind == "valid") & ~host).sum())
    questions = int(question.sum())
    answered_n = int(answered.sum())
    return {
        "comments": comments,
        "valid_comments": valid,
        "valid_comment_ratio": (valid / comments) if comments else None,
        "spam": int(((kind == "spam") & ~host).sum()),
        "repeat": int(((kind == "repeat") & ~host).sum()),
        "emoji_only": int(((kind == "emoji_only") & ~host).sum()),
        "questions": questions,
        "answered_questions": answered_n,
        "answer_coverage": (answered_n / questions) if questions else None,
    }


def comment_summary(classified: pd.DataFrame) -> dict[str, Any]:
    """Headline comment-quality metrics for a classified frame.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`classify_comments`.

    Returns
    -------
    dict
        ``comments``
            Viewer comments (host replies excluded).
        ``valid_comments``, ``spam``, ``repeat``, ``emoji_only``
            Viewer comments of each kind (they add up to ``comments``).
        ``valid_comment_ratio``
            ``valid_comments / comments``; None when ``comments == 0``.
        ``questions``
            Viewer comments flagged ``is_question``.
        ``answered_questions``
            Questions with a host reply.
        ``answer_coverage``
            ``answered_questions / questions``; None when ``questions == 0``.

        Counts are ``int``, ratios ``float`` or None.

    Raises
    ------
    ValueError
        If the classification columns are missing.
    """
    _check_columns(classified, _CLASSIFIED_COLUMNS, "classified")
    return _summary_counts(classified)


def comment_summary_by_session(classified: pd.DataFrame) -> pd.DataFrame:
    """Per-session version of :func:`comment_summary`.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`classify_comments`.

    Returns
    -------
    pandas.DataFrame
        One row per ``session_id`` (sorted), columns ``session_id`` followed
        by :data:`SUMMARY_KEYS`. Count columns are int64; ratio columns are
        float64 with NaN where :func:`comment_summary` would return None
        (e.g. a session containing only host replies).
    """
    _check_columns(classified, (*_CLASSIFIED_COLUMNS, "session_id"), "classified")
    rows = []
    for session_id, grp in classified.groupby("session_id", sort=True, dropna=False):
        rows.append({"session_id": session_id, **_summary_counts(grp)})
    result = pd.DataFrame(rows, columns=["session_id", *SUMMARY_KEYS])
    ratio_cols = ["valid_comment_ratio", "answer_coverage"]
    count_cols = [k for k in SUMMARY_KEYS if k not in ratio_cols]
    result[count_cols] = result[count_cols].astype("int64")
    result[ratio_cols] = result[ratio_cols].astype("float64")
    return result


def answer_delay_seconds(classified: pd.DataFrame) -> pd.Series:
    """Seconds from each answered question to its first host reply.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`classify_comments`.

    Returns
    -------
    pandas.Series
        float64, named ``answer_delay_seconds``, indexed by the question
        rows' index in ``classified`` (so it aligns with the frame), one
        entry per answered question, in frame order. The first reply is the
        earliest host reply (same session, ``reply_to == comment_id``). The
        value is not clipped: a negative delay indicates clock problems in
        the data.
    """
    _check_columns(classified, (*REQUIRED_COLUMNS, *_CLASSIFIED_COLUMNS), "classified")
    mask = classified["is_question"].astype(bool) & classified["answered"].astype(bool)
    questions = classified.loc[mask]
    if questions.empty:
        return pd.Series([], dtype="float64", name="answer_delay_seconds")
    host = classified.loc[classified["is_host_reply"].astype(bool)]
    first_reply: dict[tuple[str, str], pd.Timestamp] = {}
    for s, r, t in zip(host["session_id"], host["reply_to"], pd.to_datetime(host["ts"])):
        key = (_as_text(s), _as_text(r).strip())
        if pd.isna(t):
            continue
        if key not in first_reply or t < first_reply[key]:
            first_reply[key] = t
    q_ts = pd.to_datetime(questions["ts"])
    delays = []
    for s, c, t in zip(questions["session_id"], questions["comment_id"], q_ts):
        reply = first_reply.get((_as_text(s), _as_text(c)))
        delays.append(np.nan if reply is None or pd.isna(t) else (reply - t).total_seconds())
    return pd.Series(delays, index=questions.index, dtype="float64", name="answer_delay_seconds")


# ---------------------------------------------------------------------------
# Keywords
# ---------------------------------------------------------------------------


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
    ValueError
        If ``n`` is negative.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    stop = STOPWORDS if stopwords is None else frozenset(stopwords)
    jieba = _jieba()
    counter: Counter[str] = Counter()
    for text in texts:
        s = EMOJI_PATTERN.sub("", KEYCAP_PATTERN.sub("", _as_text(text)))
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
    """
    _check_columns(classified, ("text", *_CLASSIFIED_COLUMNS), "classified")
    mask = (classified["kind"].astype(str) == "valid") & ~classified["is_host_reply"].astype(bool)
    return top_keywords(classified.loc[mask, "text"], n, stopwords=stopwords)
