"""Section 6 — 互动与弹幕 Interaction and comments.

Registered KPIs (``interaction_rate``, ``valid_comment_ratio``, ``questions``,
``answer_coverage``) come from ``ds.session_kpis`` only; the comment kinds, the
answer delay and the keywords from the classified comments
(:mod:`liveops_nb.comments`), with kind shares by :func:`liveops_nb.measures.share`.

High-value viewer (高价值用户)
-----------------------------
A viewer of the session (``uv`` of the viewer in ``ds.kpis(by=["session_id", "user_id"])``) who

* has a member tier in :data:`HIGH_VALUE_TIERS` (金卡 / 黑金); when the users
  table uses none of those names, the two highest tiers present by
  :data:`TIER_RANK` count instead (only when more than two ranked tiers are
  present, otherwise nobody qualifies by tier); or
* is a buyer (registry ``buyers``) of a session of the same room that started in
  the :data:`PRIOR_BUYER_DAYS` (90) days before this session's start.

Interactions are the viewer's ``like`` + ``comment`` + ``share`` events in the
session (a count of actions; the registry holds only whether a viewer
interacted). The section reports the mean per high-value viewer and per other
viewer (:func:`liveops_nb.measures.per_viewer`).

Text, HTML and charts: :mod:`liveops_nb.render.review.interaction`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import measures
from ..comments import answer_delay_seconds, classify_comments, comment_summary, top_phrases_from_comments

if TYPE_CHECKING:
    from ..dataset import Dataset

TITLE = ("互动与弹幕", "Interaction and comments")
KPI_KEYS: tuple[str, ...] = ("interaction_rate", "valid_comment_ratio", "questions", "answer_coverage")
KINDS: tuple[str, ...] = ("valid", "spam", "repeat", "emoji_only")
HIGH_VALUE_TIERS: tuple[str, ...] = ("金卡", "黑金")
TIER_RANK: tuple[str, ...] = ("普通", "银卡", "金卡", "铂金", "钻石", "黑金")  # low -> high
PRIOR_BUYER_DAYS = 90
INTERACTION_EVENTS: tuple[str, ...] = ("like", "comment", "share")
TOP_KEYWORDS = 15


@dataclass(frozen=True)
class InteractionData:
    """What the interaction section shows for one session.

    Attributes
    ----------
    kpis : rows of ``ds.session_kpis`` for :data:`KPI_KEYS`: key, value, unit, denominator, direction,
        reason (an engine :class:`~liveops_nb.engine.reasons.Reason` where the value is missing).
    comments_available : whether comment detail (the ``comments`` table) exists.
    comments_total : without comment detail, the platform's comment count (None if not reported).
    kinds : kind, count, share (:func:`comment_kinds`).
    high_value : group, viewers, interactions, per_viewer (:func:`interactions_by_value`); empty when
        events and users are not available.
    """

    session_id: str
    kpis: pd.DataFrame
    comments_available: bool
    comments_total: float | None = None
    kinds: pd.DataFrame = field(default_factory=pd.DataFrame)
    median_answer_delay: float | None = None
    keywords: pd.DataFrame = field(default_factory=pd.DataFrame)
    high_value: pd.DataFrame = field(default_factory=pd.DataFrame)
    high_value_tiers: tuple[str, ...] = ()


def comment_kinds(classified: pd.DataFrame) -> pd.DataFrame:
    """Viewer comments by kind (``valid``, ``spam``, ``repeat``, ``emoji_only``): ``kind, count, share``."""
    s = comment_summary(classified)
    counts = pd.Series([s[k if k != "valid" else "valid_comments"] for k in KINDS], dtype="int64")
    return pd.DataFrame({"kind": list(KINDS), "count": counts.to_numpy(), "share": measures.share(counts).to_numpy()})


def median_answer_delay(classified: pd.DataFrame) -> float | None:
    """Median seconds from an answered question to the host's first reply (None without answers)."""
    d = answer_delay_seconds(classified).dropna()
    return None if d.empty else float(d.median())


def high_value_tiers(tiers_present: Iterable[object]) -> tuple[str, ...]:
    """The member tiers that make a viewer high-value (see module docstring)."""
    present = {str(x) for x in tiers_present if isinstance(x, str)}
    named = tuple(x for x in HIGH_VALUE_TIERS if x in present)
    if named:
        return named
    ranked = [x for x in TIER_RANK if x in present]
    return tuple(ranked[-2:]) if len(ranked) > 2 else ()


def prior_sessions(sessions: pd.DataFrame, room_id: str, before: pd.Timestamp,
                   days: int = PRIOR_BUYER_DAYS) -> list[str]:
    """Sessions of ``room_id`` that started in ``[before - days, before)``; ``sessions``: session_id, room_id, start_time."""
    start = pd.to_datetime(sessions["start_time"])
    keep = (sessions["room_id"] == room_id) & (start < before) & (start >= before - pd.Timedelta(days=days))
    return sessions.loc[keep, "session_id"].astype(str).tolist()


def people_with(per_user: pd.DataFrame, key: str) -> set[str]:
    """Users whose ``key`` is positive in a ``ds.kpis`` frame by ``user_id`` (e.g. viewers, buyers)."""
    return set(per_user.loc[per_user[key] > 0, "user_id"].astype(str))


def interactions_by_value(viewers: Iterable[str], interactions: pd.Series, member_tier: pd.Series,
                          tiers: tuple[str, ...], prior_buyer_ids: set[str]) -> pd.DataFrame:
    """Mean interactions per high-value viewer vs per other viewer of one session.

    Parameters
    ----------
    viewers : the session's viewers (:func:`people_with` of ``uv``).
    interactions : interactions (like + comment + share events) per user_id.
    member_tier : member tier per user_id (the users table).
    tiers : high-value member tiers (:func:`high_value_tiers`).
    prior_buyer_ids : buyers of the room's sessions in the previous 90 days (:func:`prior_sessions`).

    Returns
    -------
    DataFrame with rows ``high_value``, ``other`` and columns ``group, viewers, interactions, per_viewer``
    (``per_viewer`` NaN for an empty group).
    """
    ids = pd.Index(sorted({str(v) for v in viewers}))
    tier = member_tier.reindex(ids)
    hv = tier.isin(tiers).to_numpy() | ids.isin(list(prior_buyer_ids))
    n_inter = interactions.reindex(ids, fill_value=0).to_numpy(dtype=float)
    groups = pd.DataFrame({"group": ["high_value", "other"],
                           "viewers": [int(hv.sum()), int((~hv).sum())],
                           "interactions": [float(n_inter[hv].sum()), float(n_inter[~hv].sum())]})
    groups["per_viewer"] = measures.per_viewer(groups["interactions"], groups["viewers"])
    return groups


# ---------------------------------------------------------------------------------------- orchestration
def _kpi_rows(ds: Dataset, session_id: str) -> pd.DataFrame:
    k = ds.session_kpis(session_id)
    return k.set_index("key").loc[list(KPI_KEYS)].reset_index()


def _aggregate_comment_count(ds: Dataset, session_id: str) -> float | None:
    if ds.has("minute_stats"):
        m = ds.frame("minute_stats", session_id)
        if not m.empty:
            return float(m["comments"].sum())
    v = ds.session(session_id).get("comments")
    return None if v is None or pd.isna(v) else float(v)


def _high_value(ds: Dataset, session_id: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """:func:`interactions_by_value` for the session, with the tiers used (empty without events and users)."""
    if not (ds.level == "viewer" and ds.has("events") and ds.has("users")):
        return pd.DataFrame(), ()
    info = ds.session(session_id)
    users = ds.frame("users")
    tiers = high_value_tiers(users["member_tier"].dropna().unique())
    member_tier = users.assign(user_id=users["user_id"].astype(str)).set_index("user_id")["member_tier"]
    prior = prior_sessions(ds.session_info, info["room_id"], info["start_time"])
    # the session's viewers and the earlier sessions' buyers, each from the registry at the viewer grain
    # (buyers read only the orders; the room's earlier events are not needed)
    viewers = people_with(ds.kpis(["uv"], by=["user_id"], where={"session_id": session_id}), "uv")
    buyers = people_with(ds.kpis(["buyers"], by=["user_id"], where={"session_id": list(prior) or ["\0"]}), "buyers")
    events = ds.frame("events", session_id)
    interactions = events.loc[events["event_type"].isin(INTERACTION_EVENTS), "user_id"].astype(str).value_counts()
    return interactions_by_value(viewers, interactions, member_tier, tiers, buyers), tiers


def build(ds: Dataset, session_id: str, *, n_keywords: int = TOP_KEYWORDS) -> InteractionData:
    """Collect the interaction section for ``session_id`` (see module docstring).

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    n_keywords : how many top keywords / phrases to keep (each in at least
        :data:`liveops_nb.comments.keywords.MIN_SUPPORT` valid comments).
    """
    ds.session(session_id)
    kpis = _kpi_rows(ds, session_id)
    if not ds.has("comments"):
        return InteractionData(session_id, kpis, False, _aggregate_comment_count(ds, session_id))
    classified = classify_comments(ds.frame("comments", session_id))
    hv, tiers = _high_value(ds, session_id)
    return InteractionData(session_id, kpis, True, None, comment_kinds(classified), median_answer_delay(classified),
                           top_phrases_from_comments(classified, n_keywords), hv, tiers)


def _num(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def key_figures(data: InteractionData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON (None when not available)."""
    out: dict[str, float | str | None] = {k: _num(v) for k, v in zip(data.kpis["key"], data.kpis["value"], strict=True)}
    out["comments"] = data.comments_total
    out.update({f"comments_{k}": None for k in KINDS})
    out.update(median_answer_delay_seconds=data.median_answer_delay, top_keyword=None,
               high_value_viewers=None, interactions_per_high_value_viewer=None, interactions_per_other_viewer=None)
    if data.comments_available:
        out["comments"] = float(data.kinds["count"].sum())
        out.update({f"comments_{k}": float(c) for k, c in zip(data.kinds["kind"], data.kinds["count"], strict=True)})
        out["top_keyword"] = str(data.keywords.iloc[0]["keyword"]) if not data.keywords.empty else None
    if not data.high_value.empty:
        hv = data.high_value.set_index("group")
        out.update(high_value_viewers=_num(hv.loc["high_value", "viewers"]),
                   interactions_per_high_value_viewer=_num(hv.loc["high_value", "per_viewer"]),
                   interactions_per_other_viewer=_num(hv.loc["other", "per_viewer"]))
    return out

