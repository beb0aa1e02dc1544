"""Metric labels and the words for why a number is not available (中文 / English)."""
from __future__ import annotations

import pandas as pd

from ..engine.reasons import Reason
from ..metrics import REGISTRY
from ..schema import TABLES
from .i18n import Lang, register, t

register({
    "not_available": ("此数据源无法提供", "not available from this source"),
    "reason_needs_table": ("需要明细表“{table}”", "needs the viewer-level table “{table}”"),
    "reason_needs_table_or": ("需要明细表“{table}”或平台字段“{column}”",
                              "needs the viewer-level table “{table}” or the platform column “{column}”"),
    "reason_not_at_grain": ("{quantity} 无法按 {dim} 拆分", "{quantity} cannot be split by {dim}"),
    "reason_not_reported": ("本场未提供 {quantity}", "{quantity} is not reported for this session"),
    "reason_next_day_pending": ("次日数据尚未产生", "the next day is not in the data yet"),
    "reason_zero_denominator": ("分母为 0 ({quantity})", "the denominator is 0 ({quantity})"),
})


_QUANTITY_LABELS: dict[str, tuple[str, str]] = {  # base quantities that are not registry metrics
    "online_minutes": ("在线人·分钟", "viewer-minutes online"),
    "broadcast_minutes": ("直播时长(分钟)", "broadcast minutes"),
    "watch_seconds": ("观看总时长", "total watch time"),
    "refund_amount": ("退款金额", "refund amount"),
    "product_impression_uv": ("商品曝光人数", "product impression viewers"),
    "product_click_uv": ("商品点击人数", "product click viewers"),
    "interaction_uv": ("互动人数", "interacting viewers"),
    "paid_gmv": ("付费流量成交金额", "paid-traffic GMV"),
    "viewer_comments": ("观众评论数", "viewer comments"),
    "valid_comments": ("有效评论数", "valid comments"),
    "answered_questions": ("已回答提问数", "answered questions"),
    "next_day_returners": ("次日回访人数", "next-day returners"),
    "repeat_buyers": ("复购人数", "repeat buyers"),
}
_DIM_LABELS: dict[str, tuple[str, str]] = {
    "session_id": ("场次", "session"), "room_id": ("直播间", "room"), "host": ("主播", "host"),
    "day": ("日", "day"), "week": ("周", "week"), "month": ("月", "month"), "weekday": ("星期", "weekday"),
    "hour": ("小时", "hour"), "channel": ("流量渠道", "traffic channel"), "channel_group": ("渠道类别", "channel group"),
    "product_id": ("商品", "product"), "minute": ("分钟", "minute"), "user_id": ("观众", "viewer"),
    "gender": ("性别", "gender"), "age_band": ("年龄段", "age band"), "region": ("地域", "region"),
    "member_tier": ("会员等级", "member tier"),
}


def _quantity_label(name: str | None, lang: Lang) -> str | None:
    """A base quantity by its label: the registry metric's, or the table above; an unknown name as it is."""
    if name is not None and name in REGISTRY:
        return REGISTRY[name].label(lang)
    pair = _QUANTITY_LABELS.get(name or "")
    return name if pair is None else pair[0 if lang == "zh" else 1]


def _dim_label(name: str | None, lang: Lang) -> str | None:
    pair = _DIM_LABELS.get(name or "")
    return name if pair is None else pair[0 if lang == "zh" else 1]


def _table_label(name: str | None, lang: Lang) -> str | None:
    """A table of the data model by its label ("行为事件" / "Viewer events"); an unknown name as it is."""
    table = TABLES.get(name or "")
    return name if table is None else (table.zh if lang == "zh" else table.en)


def _column_label(name: str | None, lang: Lang) -> str | None:
    """A column of the data model by its label (the first table that has it); an unknown name as it is."""
    for table in TABLES.values():
        for c in table.columns:
            if c.name == name:
                return c.zh if lang == "zh" else c.en
    return name


def reason_text(reason: Reason | None, lang: Lang = "zh") -> str | None:
    """Why a value is missing, in words (None when there is no reason)."""
    if reason is None:
        return None
    if reason.code == "zero_denominator":
        return t("reason_zero_denominator", lang, quantity=_quantity_label(reason.quantity, lang))
    if reason.code == "needs_table":
        key = "reason_needs_table_or" if reason.column else "reason_needs_table"
        body = t(key, lang, table=_table_label(reason.table, lang), column=_column_label(reason.column, lang))
    else:
        body = t(f"reason_{reason.code}", lang, quantity=_quantity_label(reason.quantity, lang),
                 dim=_dim_label(reason.dim, lang))
    return f"{t('not_available', lang)}: {body}"


def kpi_table(session_kpis: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """``Dataset.session_kpis`` with the metric ``label`` and the ``missing_reason`` in ``lang``."""
    out = session_kpis.copy()
    out.insert(1, "label", [REGISTRY[k].label(lang) for k in out["key"]])
    out["missing_reason"] = pd.Series([reason_text(r, lang) for r in out["reason"]], index=out.index, dtype=object)
    return out
