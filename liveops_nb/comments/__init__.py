"""Comment (弹幕) quality analysis for live-commerce (直播) session review.

A language-neutral analysis: data in, values and codes out (no display text,
no ``lang``). The rules are documented with examples in
``docs/comment-rules.md``.

Modules
-------
:mod:`~liveops_nb.comments.rules`
    Text rules on one comment: normalisation, emoji-only, spam/filler,
    question detection; the patterns and defaults.
:mod:`~liveops_nb.comments.classify`
    :func:`classify_comments` -- kind per row (host_reply, emoji_only, spam,
    repeat, valid), ``is_question`` and ``answered``.
:mod:`~liveops_nb.comments.summary`
    Counts overall, per session or per any grouping, and answer delays.
    Counts only: ``valid_comment_ratio`` and ``answer_coverage`` are registry
    metrics computed by the engine (``ds.kpis`` / ``ds.session_kpis``).
:mod:`~liveops_nb.comments.keywords`
    Keywords and opinion phrases with jieba (stop words, minimum support).
"""

from __future__ import annotations

from .classify import CLASSIFIED_COLUMNS, classify_comments
from .keywords import (
    MIN_SUPPORT,
    STOPWORDS,
    top_keywords,
    top_keywords_from_comments,
    top_phrases,
    top_phrases_from_comments,
)
from .rules import (
    BRACKET_EMOTE_PATTERN,
    DEFAULT_FLOOD_MIN_USERS,
    DEFAULT_REPEAT_WINDOW_SECONDS,
    EMOJI_PATTERN,
    FILLER_PATTERN,
    FLOOD_WINDOW_SECONDS,
    KEYCAP_PATTERN,
    KINDS,
    NON_QUESTION_PATTERN,
    QUESTION_END_PATTERN,
    QUESTION_MARK_PATTERN,
    QUESTION_PATTERN,
    REQUIRED_COLUMNS,
    SPAM_PATTERN,
    is_emoji_only,
    is_question_text,
    is_spam_text,
    normalize_text,
)
from .summary import (
    SUMMARY_KEYS,
    answer_delay_seconds,
    comment_summary,
    comment_summary_by,
    comment_summary_by_session,
)

__all__ = [
    "BRACKET_EMOTE_PATTERN",
    "CLASSIFIED_COLUMNS",
    "DEFAULT_FLOOD_MIN_USERS",
    "DEFAULT_REPEAT_WINDOW_SECONDS",
    "EMOJI_PATTERN",
    "FILLER_PATTERN",
    "FLOOD_WINDOW_SECONDS",
    "KEYCAP_PATTERN",
    "KINDS",
    "MIN_SUPPORT",
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
    "comment_summary_by",
    "comment_summary_by_session",
    "is_emoji_only",
    "is_question_text",
    "is_spam_text",
    "normalize_text",
    "top_keywords",
    "top_keywords_from_comments",
    "top_phrases",
    "top_phrases_from_comments",
]
