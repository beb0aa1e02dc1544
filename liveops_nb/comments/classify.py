"""Classify a comments table: kind per row, questions and answers.

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
2. ``emoji_only``  -- :func:`~liveops_nb.comments.rules.is_emoji_only`.
3. ``spam``        -- :func:`~liveops_nb.comments.rules.is_spam_text`
   (advertising / diversion, or pure filler).
4. ``repeat``      -- only among viewer comments that are not emoji_only or
   spam, compared on :func:`~liveops_nb.comments.rules.normalize_text`
   within the same session:

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
``valid`` or ``repeat`` (a re-asked question still counts as a question) and
whose text passes :func:`~liveops_nb.comments.rules.is_question_text`.
``answered`` is True for a question when at least one host reply in the same
session has ``reply_to`` equal to its ``comment_id``. Host replies to
non-questions do not create questions.

All functions are pure: no I/O, inputs are never mutated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import CommentInputError
from .rules import (
    DEFAULT_FLOOD_MIN_USERS,
    DEFAULT_REPEAT_WINDOW_SECONDS,
    FILLER_PATTERN,
    FLOOD_WINDOW_SECONDS,
    REQUIRED_COLUMNS,
    SPAM_PATTERN,
    as_text,
    compact_text,
    is_question_text,
    normalize_text,
)

__all__ = ["CLASSIFIED_COLUMNS", "check_columns", "classify_comments"]

#: Columns :func:`classify_comments` adds to the input frame.
CLASSIFIED_COLUMNS: tuple[str, ...] = ("is_host_reply", "kind", "is_question", "answered")


def check_columns(frame: pd.DataFrame, required: Iterable[str], what: str) -> None:
    """Raise when ``frame`` lacks one of the ``required`` columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame to check.
    required : Iterable[str]
        Column names that must be present.
    what : str
        Name of the frame in the error message (``"comments"``, ``"classified"``).

    Raises
    ------
    CommentInputError
        Naming every missing column.
    """
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise CommentInputError(f"{what} is missing required column(s): {missing}")


def _host_reply_mask(reply_to: pd.Series) -> np.ndarray:
    values = [as_text(v).strip() for v in reply_to]
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
    CommentInputError
        If a required column is missing or a parameter is out of range
        (also a ``ValueError``).

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
    check_columns(comments, REQUIRED_COLUMNS, "comments")
    if repeat_window_seconds < 0:
        raise CommentInputError("repeat_window_seconds must be >= 0")
    if flood_min_users < 2:
        raise CommentInputError("flood_min_users must be >= 2")
    if flood_window_seconds < 0:
        raise CommentInputError("flood_window_seconds must be >= 0")

    out = comments.copy()
    n = len(out)
    texts = [as_text(t) for t in comments["text"]]
    norm = [normalize_text(t) for t in texts]
    is_host = _host_reply_mask(comments["reply_to"])

    kind = np.full(n, "valid", dtype=object)
    is_emoji = np.array([c == "" for c in norm], dtype=bool)
    is_spam = np.array(
        [
            bool(SPAM_PATTERN.search(compact_text(t)) or FILLER_PATTERN.match(c))
            for t, c in zip(texts, norm, strict=True)
        ],
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
                "session": [as_text(v) for v in comments["session_id"]],
                "user": [as_text(v) for v in comments["user_id"]],
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
        [bool(ok) and is_question_text(t) for ok, t in zip(can_ask, texts, strict=True)], dtype=bool
    )
    sessions = [as_text(v) for v in comments["session_id"]]
    replied = {
        (sessions[i], as_text(r).strip())
        for i, r in enumerate(comments["reply_to"])
        if is_host[i]
    }
    ids = [as_text(v) for v in comments["comment_id"]]
    answered = np.array(
        [bool(q) and (s, c) in replied for q, s, c in zip(is_question, sessions, ids, strict=True)],
        dtype=bool,
    )

    out["is_host_reply"] = is_host
    out["kind"] = pd.Series(list(kind), index=out.index, dtype="str")
    out["is_question"] = is_question
    out["answered"] = answered
    return out
