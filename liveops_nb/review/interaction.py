"""Section 6 — 互动与弹幕 Interaction and comments.

Registered KPIs (``valid_comment_ratio``, ``questions``, ``answer_coverage``,
``interaction_rate``) come from ``ds.session_kpis``; the rest is computed from
the classified comments (:mod:`liveops_nb.comments`) and the viewer events.

High-value viewer (高价值用户)
-----------------------------
A viewer of the session (``enter`` event) who

* has a member tier in :data:`HIGH_VALUE_TIERS` (金卡 / 黑金); when the users
  table uses none of those names, the two highest tiers present by
  :data:`TIER_RANK` count instead (only when more than two ranked tiers are
  present, otherwise nobody qualifies by tier); or
* bought in the same room in the :data:`PRIOR_BUYER_DAYS` (90) days before the
  session start.

Interactions are ``like`` + ``comment`` + ``share`` events of the viewer in
the session. The section reports the mean per high-value viewer and per other
viewer.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..charts import interaction as charts
from ..comments import answer_delay_seconds, classify_comments, comment_summary, top_keywords_from_comments
from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..metrics import REGISTRY
from ..render.html import note, table
from ..render.metrics import kpi_table

TITLE = ("互动与弹幕", "Interaction and comments")
KPI_KEYS: tuple[str, ...] = ("interaction_rate", "valid_comment_ratio", "questions", "answer_coverage")
KINDS: tuple[str, ...] = ("valid", "spam", "repeat", "emoji_only")
HIGH_VALUE_TIERS: tuple[str, ...] = ("金卡", "黑金")
TIER_RANK: tuple[str, ...] = ("普通", "银卡", "金卡", "铂金", "钻石", "黑金")  # low -> high
PRIOR_BUYER_DAYS = 90
INTERACTION_EVENTS: tuple[str, ...] = ("like", "comment", "share")
TOP_KEYWORDS = 15

register({
    "interaction_aggregate": ("弹幕明细：此数据源无法提供（汇总数据只有评论条数：{n}）；弹幕质量、提问、关键词和高价值用户互动均需弹幕/行为明细",
                              "Comment detail: not available from this source (aggregate data only has the comment count: {n}); "
                              "quality, questions, keywords and high-value-viewer interactions need comment/event detail"),
    "interaction_no_comments": ("弹幕明细：此数据源无法提供（没有 comments 表）",
                                "Comment detail: not available from this source (no comments table)"),
    "interaction_kind": ("弹幕类型", "Comment kind"),
    "interaction_count": ("条数", "Count"),
    "interaction_share": ("占比", "Share"),
    "interaction_kind_valid": ("有效", "Valid"),
    "interaction_kind_spam": ("刷屏/广告", "Spam"),
    "interaction_kind_repeat": ("重复", "Repeat"),
    "interaction_kind_emoji_only": ("纯表情", "Emoji only"),
    "interaction_delay": ("提问到主播回复的中位时长：{v}", "Median time from question to host reply: {v}"),
    "interaction_group": ("观众分组", "Viewer group"),
    "interaction_viewers": ("人数", "Viewers"),
    "interaction_events": ("互动次数", "Interactions"),
    "interaction_per_viewer": ("人均互动次数", "Interactions per viewer"),
    "interaction_group_high_value": ("高价值用户", "High-value viewers"),
    "interaction_group_other": ("其他观众", "Other viewers"),
    "interaction_hv_def": ("高价值用户 = {tiers}会员，或近{days}天在本直播间下过单；互动 = 点赞 + 评论 + 分享次数",
                           "High-value viewer = member tier {tiers}, or bought in this room in the previous {days} days; "
                           "interactions = likes + comments + shares"),
    "interaction_no_events": ("高价值用户互动：此数据源无法提供（需要 events 与 users 明细）",
                              "High-value-viewer interactions: not available from this source (needs events and users)"),
    "interaction_metric": ("指标", "Metric"),
    "interaction_value": ("数值", "Value"),
})


@dataclass(frozen=True)
class InteractionData:
    """What the interaction section shows for one session."""

    session_id: str
    kpis: pd.DataFrame
    comments_available: bool
    comments_total: float | None = None  # aggregate-only: comment count from minute_stats / sessions
    kinds: pd.DataFrame = field(default_factory=pd.DataFrame)
    median_answer_delay: float | None = None
    keywords: pd.DataFrame = field(default_factory=pd.DataFrame)
    high_value: pd.DataFrame = field(default_factory=pd.DataFrame)
    high_value_tiers: tuple[str, ...] = ()
    lang: Lang = "zh"  # language of the missing reasons in ``kpis``


def comment_kinds(classified: pd.DataFrame) -> pd.DataFrame:
    """Viewer comments by kind (``valid``, ``spam``, ``repeat``, ``emoji_only``): ``kind, count, share``."""
    s = comment_summary(classified)
    counts = [s[k if k != "valid" else "valid_comments"] for k in KINDS]
    total = sum(counts)
    return pd.DataFrame({"kind": list(KINDS), "count": np.array(counts, dtype="int64"),
                         "share": [c / total if total else np.nan for c in counts]})


def median_answer_delay(classified: pd.DataFrame) -> float | None:
    """Median seconds from an answered question to the host's first reply (None without answers)."""
    d = answer_delay_seconds(classified).dropna()
    return None if d.empty else float(d.median())


def high_value_tiers(tiers_present) -> tuple[str, ...]:
    """The member tiers that make a viewer high-value (see module docstring)."""
    present = {str(x) for x in tiers_present if isinstance(x, str)}
    named = tuple(x for x in HIGH_VALUE_TIERS if x in present)
    if named:
        return named
    ranked = [x for x in TIER_RANK if x in present]
    return tuple(ranked[-2:]) if len(ranked) > 2 else ()


def prior_buyers(orders: pd.DataFrame, room_session_ids, before: pd.Timestamp, days: int = PRIOR_BUYER_DAYS) -> set[str]:
    """Users with an order in the room's sessions in ``[before - days, before)``."""
    o = orders[orders["session_id"].isin(list(room_session_ids))]
    o = o[(o["ts"] < before) & (o["ts"] >= before - pd.Timedelta(days=days))]
    return set(o["user_id"].astype(str))


def interactions_by_value(events: pd.DataFrame, users: pd.DataFrame, tiers: tuple[str, ...],
                          prior_buyer_ids: set[str]) -> pd.DataFrame:
    """Mean interactions per high-value viewer vs per other viewer of one session.

    Parameters
    ----------
    events : the session's events (``user_id, event_type``).
    users : ``user_id, member_tier``.
    tiers : high-value member tiers (:func:`high_value_tiers`).
    prior_buyer_ids : users who bought in the room in the previous 90 days.

    Returns
    -------
    DataFrame with rows ``high_value``, ``other`` and columns ``group, viewers, interactions, per_viewer``
    (``per_viewer`` NaN for an empty group).
    """
    viewers = pd.Index(events.loc[events["event_type"] == "enter", "user_id"].astype(str).unique())
    tier = users.assign(user_id=users["user_id"].astype(str)).set_index("user_id")["member_tier"].reindex(viewers)
    hv = tier.isin(tiers).to_numpy() | viewers.isin(list(prior_buyer_ids))
    inter = events[events["event_type"].isin(INTERACTION_EVENTS)]["user_id"].astype(str).value_counts()
    n_inter = inter.reindex(viewers, fill_value=0).to_numpy()
    rows = []
    for group, mask in (("high_value", hv), ("other", ~hv)):
        n, s = int(mask.sum()), float(n_inter[mask].sum())
        rows.append({"group": group, "viewers": n, "interactions": s, "per_viewer": s / n if n else np.nan})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------- orchestration
def _kpi_rows(ds, session_id: str, lang: Lang) -> pd.DataFrame:
    k = kpi_table(ds.session_kpis(session_id), lang)
    return k[k["key"].isin(KPI_KEYS)].set_index("key").loc[list(KPI_KEYS)].reset_index()


def _aggregate_comment_count(ds, session_id: str) -> float | None:
    if ds.has("minute_stats"):
        m = ds.frame("minute_stats", session_id)
        if not m.empty:
            return float(m["comments"].sum())
    info = ds.session(session_id)
    v = info.get("comments")
    return None if v is None or pd.isna(v) else float(v)


def build(ds, session_id: str, *, lang: Lang = "zh", n_keywords: int = TOP_KEYWORDS, **options) -> InteractionData:
    """Collect the interaction section for ``session_id`` (see module docstring)."""
    info = ds.session(session_id)
    kpis = _kpi_rows(ds, session_id, lang)
    if not ds.has("comments"):
        return InteractionData(session_id, kpis, False, _aggregate_comment_count(ds, session_id), lang=lang)
    classified = classify_comments(ds.frame("comments", session_id))
    hv, tiers = pd.DataFrame(), ()
    if ds.has("events") and ds.has("users") and ds.has("orders"):
        users = ds.frame("users")
        tiers = high_value_tiers(users["member_tier"].dropna().unique())
        si = ds.session_info
        room_ids = si.loc[si["room_id"] == info["room_id"], "session_id"]
        buyers = prior_buyers(ds.frame("orders", room_ids.tolist()), room_ids, info["start_time"])
        hv = interactions_by_value(ds.frame("events", session_id), users, tiers, buyers)
    return InteractionData(session_id, kpis, True, None, comment_kinds(classified), median_answer_delay(classified),
                           top_keywords_from_comments(classified, n_keywords), hv, tiers, lang)


def _kpi_table(kpis: pd.DataFrame, lang: Lang, built_lang: Lang) -> str:
    vals = [fmt_value(v, u, lang) if not is_missing(v) else (r if r and lang == built_lang else t("not_available", lang))
            for v, u, r in zip(kpis["value"], kpis["unit"], kpis["missing_reason"])]
    labels = [REGISTRY[k].label(lang) for k in kpis["key"]]
    return table(pd.DataFrame({t("interaction_metric", lang): labels, t("interaction_value", lang): vals}),
                 numeric=[t("interaction_value", lang)])


def render(data: InteractionData, lang: Lang = "zh") -> list:
    """KPI table, comment kinds, answer delay, keywords and high-value-viewer interactions."""
    items: list = [_kpi_table(data.kpis, lang, data.lang)]
    if not data.comments_available:
        n = fmt_value(data.comments_total, "times", lang) if data.comments_total is not None else t("not_available", lang)
        return items + [note(t("interaction_aggregate", lang, n=n), "na")]
    kinds = data.kinds.assign(label=[t(f"interaction_kind_{k}", lang) for k in data.kinds["kind"]])
    items.append(table(pd.DataFrame({t("interaction_kind", lang): kinds["label"],
                                     t("interaction_count", lang): [fmt_value(v, "times", lang) for v in kinds["count"]],
                                     t("interaction_share", lang): [fmt_value(v, "ratio", lang) for v in kinds["share"]]}),
                       numeric=[t("interaction_count", lang), t("interaction_share", lang)]))
    items.append(charts.comment_kinds(kinds, lang))
    delay = fmt_value(data.median_answer_delay, "seconds", lang) if data.median_answer_delay is not None else t("not_available", lang)
    items.append(note(t("interaction_delay", lang, v=delay), "info"))
    if not data.keywords.empty:
        items.append(charts.keyword_bars(data.keywords, lang))
    if data.high_value.empty:
        items.append(note(t("interaction_no_events", lang), "na"))
    else:
        hv = data.high_value
        items.append(note(t("interaction_hv_def", lang, tiers="/".join(data.high_value_tiers) or "—",
                            days=PRIOR_BUYER_DAYS), "info"))
        items.append(table(pd.DataFrame({
            t("interaction_group", lang): [t(f"interaction_group_{g}", lang) for g in hv["group"]],
            t("interaction_viewers", lang): [fmt_value(v, "people", lang) for v in hv["viewers"]],
            t("interaction_events", lang): [fmt_value(v, "times", lang) for v in hv["interactions"]],
            t("interaction_per_viewer", lang): [fmt_value(v, "times", lang) for v in hv["per_viewer"]]}),
            numeric=[t("interaction_viewers", lang), t("interaction_events", lang), t("interaction_per_viewer", lang)]))
    return items


def _num(v) -> float | None:
    return None if is_missing(v) else float(v)


def key_figures(data: InteractionData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON (None when not available)."""
    out: dict[str, float | str | None] = {k: _num(v) for k, v in zip(data.kpis["key"], data.kpis["value"])}
    out["comments"] = data.comments_total
    out.update({f"comments_{k}": None for k in KINDS})
    out.update(median_answer_delay_seconds=data.median_answer_delay, top_keyword=None,
               high_value_viewers=None, interactions_per_high_value_viewer=None, interactions_per_other_viewer=None)
    if data.comments_available:
        out["comments"] = float(data.kinds["count"].sum())
        out.update({f"comments_{k}": float(c) for k, c in zip(data.kinds["kind"], data.kinds["count"])})
        out["top_keyword"] = str(data.keywords.iloc[0]["keyword"]) if not data.keywords.empty else None
    if not data.high_value.empty:
        hv = data.high_value.set_index("group")
        out.update(high_value_viewers=float(hv.loc["high_value", "viewers"]),
                   interactions_per_high_value_viewer=_num(hv.loc["high_value", "per_viewer"]),
                   interactions_per_other_viewer=_num(hv.loc["other", "per_viewer"]))
    return out
