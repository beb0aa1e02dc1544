"""Counts of a classified comments table: overall, per session, per any grouping; answer delays.

Summaries return **counts only**. The ratios built on them --
``valid_comment_ratio`` (valid comments / viewer comments) and
``answer_coverage`` (answered questions / questions) -- are registry metrics
(:mod:`liveops_nb.metrics`) computed by the engine (``ds.kpis`` /
``ds.session_kpis``), never here.

Counts (:data:`SUMMARY_KEYS`)
-----------------------------
``comments``
    Viewer comments (host replies excluded); the engine's base quantity
    ``viewer_comments``.
``valid_comments``, ``spam``, ``repeat``, ``emoji_only``
    Viewer comments of each kind; they add up to ``comments``.
``questions``
    Viewer comments flagged ``is_question``.
``answered_questions``
    Questions with a host reply in the same session.

All functions are pure: no I/O, inputs are never mutated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import CommentInputError
from .classify import CLASSIFIED_COLUMNS, check_columns
from .rules import REQUIRED_COLUMNS, as_text

__all__ = [
    "SUMMARY_KEYS",
    "answer_delay_seconds",
    "comment_summary",
    "comment_summary_by",
    "comment_summary_by_session",
]

#: Keys of the dict returned by :func:`comment_summary` (and the count
#: columns of :func:`comment_summary_by` after the group columns).
SUMMARY_KEYS: tuple[str, ...] = (
    "comments",
    "valid_comments",
    "spam",
    "repeat",
    "emoji_only",
    "questions",
    "answered_questions",
)


def _count_flags(classified: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per summary key, one row per classified row (same index)."""
    viewer = ~classified["is_host_reply"].astype(bool).to_numpy()
    kind = classified["kind"].astype(str).to_numpy()
    question = classified["is_question"].astype(bool).to_numpy() & viewer
    answered = classified["answered"].astype(bool).to_numpy() & question
    return pd.DataFrame(
        {
            "comments": viewer,
            "valid_comments": (kind == "valid") & viewer,
            "spam": (kind == "spam") & viewer,
            "repeat": (kind == "repeat") & viewer,
            "emoji_only": (kind == "emoji_only") & viewer,
            "questions": question,
            "answered_questions": answered,
        },
        index=classified.index,
    )


def comment_summary(classified: pd.DataFrame) -> dict[str, int]:
    """Comment-quality counts of a classified frame.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`~liveops_nb.comments.classify.classify_comments`.

    Returns
    -------
    dict of str to int
        The :data:`SUMMARY_KEYS`, in that order (see the module docstring).

    Raises
    ------
    CommentInputError
        If the classification columns are missing.
    """
    check_columns(classified, CLASSIFIED_COLUMNS, "classified")
    flags = _count_flags(classified)
    return {k: int(flags[k].sum()) for k in SUMMARY_KEYS}


def comment_summary_by(classified: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """:func:`comment_summary` per group of rows.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`~liveops_nb.comments.classify.classify_comments`,
        possibly with extra columns to group on (e.g. a ``minute`` column the
        caller added).
    by : str or sequence of str
        Column(s) of ``classified`` to group on (e.g. ``"session_id"``,
        ``["session_id", "user_id"]``).

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted by the ``by`` columns; a null key is its
        own group), columns ``by`` followed by :data:`SUMMARY_KEYS`, counts
        as int64. A group holding only host replies has ``comments == 0``.

    Raises
    ------
    CommentInputError
        If a classification or ``by`` column is missing, ``by`` is empty, or
        ``by`` names a summary key.
    """
    cols = [by] if isinstance(by, str) else list(by)
    if not cols:
        raise CommentInputError("by must name at least one column")
    clash = [c for c in cols if c in SUMMARY_KEYS]
    if clash:
        raise CommentInputError(f"cannot group by a summary key: {clash}")
    check_columns(classified, (*CLASSIFIED_COLUMNS, *cols), "classified")
    flags = _count_flags(classified)
    for c in cols:
        flags[c] = classified[c]
    out = flags.groupby(cols, sort=True, dropna=False)[list(SUMMARY_KEYS)].sum().reset_index()
    return out.astype({k: "int64" for k in SUMMARY_KEYS})


def comment_summary_by_session(classified: pd.DataFrame) -> pd.DataFrame:
    """Per-session version of :func:`comment_summary`.

    Parameters
    ----------
    classified : pandas.DataFrame
        Output of :func:`~liveops_nb.comments.classify.classify_comments`.

    Returns
    -------
    pandas.DataFrame
        One row per ``session_id`` (sorted), columns ``session_id`` followed
        by :data:`SUMMARY_KEYS`, counts as int64 (a session containing only
        host replies has ``comments == 0``).

    Raises
    ------
    CommentInputError
        If the classification columns or ``session_id`` are missing.
    """
    return comment_summary_by(classified, "session_id")


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
    check_columns(classified, (*REQUIRED_COLUMNS, *CLASSIFIED_COLUMNS), "classified")
    mask = classified["is_question"].astype(bool) & classified["answered"].astype(bool)
    questions = classified.loc[mask]
    if questions.empty:
        return pd.Series([], dtype="float64", name="answer_delay_seconds")
    host = classified.loc[classified["is_host_reply"].astype(bool)]
    first_reply: dict[tuple[str, str], pd.Timestamp] = {}
    for s, r, t in zip(host["session_id"], host["reply_to"], pd.to_datetime(host["ts"]), strict=True):
        key = (as_text(s), as_text(r).strip())
        if pd.isna(t):
            continue
        if key not in first_reply or t < first_reply[key]:
            first_reply[key] = t
    q_ts = pd.to_datetime(questions["ts"])
    delays = []
    for s, c, t in zip(questions["session_id"], questions["comment_id"], q_ts, strict=True):
        reply = first_reply.get((as_text(s), as_text(c)))
        delays.append(np.nan if reply is None or pd.isna(t) else (reply - t).total_seconds())
    return pd.Series(delays, index=questions.index, dtype="float64", name="answer_delay_seconds")
