"""Text rules for comments (弹幕): normalisation, emoji-only, spam/filler and question detection.

Every rule here looks at one comment's text only; the frame-level rules
(host replies, repeats and floods, answers) are in
:mod:`liveops_nb.comments.classify`. The rules and their examples are
documented in ``docs/comment-rules.md``.

* :func:`normalize_text` -- the comparable *content* of a comment: keycaps and
  emoji (:data:`EMOJI_PATTERN`, :data:`KEYCAP_PATTERN`) removed from the raw
  text, NFKC, lower-case, platform bracket emotes such as ``[微笑]``
  (:data:`BRACKET_EMOTE_PATTERN`) removed, and every punctuation, symbol,
  whitespace and control character dropped.
* :func:`is_emoji_only` -- nothing is left after normalisation ("😂😂😂",
  "[赞][赞]", "👍！", "   ", "？？？", "(*^▽^*)"; null text too).
* :func:`is_spam_text` -- *advertising / diversion* (:data:`SPAM_PATTERN`,
  matched on the NFKC, lower-cased text with whitespace removed: URLs,
  WeChat / QQ contact hints, 11-digit mobile numbers, "私聊我", "看我主页",
  "兼职", "刷单", "代购", ...) or *filler* (:data:`FILLER_PATTERN`, matched on
  the normalised text: one character repeated >= 6 times, >= 6 characters of
  the laughter/cheer set ``哈呵嘿嘻啊哇哦噢嗯呜嘤 h a 6``, or "2333333").
  Short cheers ("666", "哈哈哈") and laughter inside a sentence stay valid.
* :func:`is_question_text` -- a "?" / "？" in the NFKC text, or, after the
  phrases of :data:`NON_QUESTION_PATTERN` (几乎, 哪怕, 没什么, ...) are blanked
  out of the normalised text, a sentence-final 吗/呢/么
  (:data:`QUESTION_END_PATTERN`) or a question word / asking pattern
  (:data:`QUESTION_PATTERN`).

All functions are pure: no I/O, inputs are never mutated.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, cast

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
    "as_text",
    "compact_text",
    "is_emoji_only",
    "is_question_text",
    "is_spam_text",
    "normalize_text",
]

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

_WHITESPACE = re.compile(r"\s+")


def as_text(text: object) -> str:
    """Return a cell value as ``str``.

    Parameters
    ----------
    text : object
        A cell value (str, number, None, NaN, ``pd.NA`` ...).

    Returns
    -------
    str
        ``text`` itself for a string, ``""`` for a null-like value, else ``str(text)``.
    """
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    try:
        if pd.isna(cast(Any, text)):  # scalars only; array-likes raise and fall through
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
    s = as_text(text)
    s = KEYCAP_PATTERN.sub("", s)
    s = EMOJI_PATTERN.sub("", s)
    s = unicodedata.normalize("NFKC", s).lower()
    s = BRACKET_EMOTE_PATTERN.sub("", s)
    return "".join(ch for ch in s if unicodedata.category(ch)[0] not in "PSZC")


def compact_text(text: object) -> str:
    """The view of a comment that :data:`SPAM_PATTERN` is matched on.

    Parameters
    ----------
    text : object
        Comment text; null-like values are treated as ``""``.

    Returns
    -------
    str
        NFKC, lower-cased, every whitespace character removed.
    """
    s = unicodedata.normalize("NFKC", as_text(text)).lower()
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
    if SPAM_PATTERN.search(compact_text(text)):
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
        comment's kind; :func:`~liveops_nb.comments.classify.classify_comments`
        additionally requires a valid or repeat viewer comment.
    """
    raw = as_text(text)
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
