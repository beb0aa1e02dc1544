"""Alerts in words (中文 / English): one sentence per alert, the severity and metric labels, a table for the
CLI and pages, and the group-bot message of a webhook.

The analyses (:mod:`liveops_nb.alerts`) give codes and parameters; every word is here.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from ..alerts import Alert
from ..metrics import REGISTRY
from .fmt import fmt_value
from .i18n import STRINGS, Lang, register, t

register({
    "alerts_sev_low": ("提示", "low"),
    "alerts_sev_medium": ("关注", "medium"),
    "alerts_sev_high": ("紧急", "high"),
    "alerts_metric_online": ("在线人数", "Online viewers"),
    "alerts_metric_gmv_per_minute": ("每分钟成交金额", "GMV per minute"),
    "alerts_metric_interaction_intensity": ("互动强度", "Interaction intensity"),
    "alerts_metric_stock_left": ("剩余库存", "Stock left"),
    "alerts_ref_absolute": ("{threshold}", "{threshold}"),
    "alerts_ref_room_median": ("本直播间同一开播分钟中位数的{ratio}（{threshold}）",
                               "{ratio} of the room's median at this minute of the broadcast ({threshold})"),
    "alerts_ref_recent_median": ("近{minutes}分钟中位数的{ratio}（{threshold}）",
                                 "{ratio} of the median of the last {minutes} minutes ({threshold})"),
    "alerts_ref_stock": ("开播库存的{ratio}（{threshold}）", "{ratio} of the stock at the start ({threshold})"),
    "alerts_cmp_<": ("低于", "below"), "alerts_cmp_<=": ("不高于", "at or below"),
    "alerts_cmp_>": ("高于", "above"), "alerts_cmp_>=": ("不低于", "at or above"),
    "alerts_text_threshold_below": ("{metric}{window}为{value}，{cmp}{ref}，持续{minutes}分钟",
                                    "{metric}{window} was {value}, {cmp} {ref}, for {minutes} min"),
    "alerts_text_threshold_above": ("{metric}{window}为{value}，{cmp}{ref}，持续{minutes}分钟",
                                    "{metric}{window} was {value}, {cmp} {ref}, for {minutes} min"),
    "alerts_text_anomaly_below": ("{metric}{window}异常偏低：{value}（偏离近{history}分钟基线超过{z}个稳健标准差）",
                                  "{metric}{window} unusually low: {value} (more than {z} robust SDs below the "
                                  "last {history} minutes)"),
    "alerts_text_anomaly_above": ("{metric}{window}异常偏高：{value}（偏离近{history}分钟基线超过{z}个稳健标准差）",
                                  "{metric}{window} unusually high: {value} (more than {z} robust SDs above the "
                                  "last {history} minutes)"),
    "alerts_text_level_shift_down": ("{metric}水平下移：{before} → {after}（{shift}）",
                                     "{metric} shifted down: {before} → {after} ({shift})"),
    "alerts_text_level_shift_up": ("{metric}水平上移：{before} → {after}（{shift}）",
                                   "{metric} shifted up: {before} → {after} ({shift})"),
    "alerts_text_stock_out": ("{product}已售罄（开播库存{stock}件）", "{product} sold out (stock at the start: {stock})"),
    "alerts_text_stock_low": ("{product}库存告急：剩{value}件，{cmp}{ref}",
                              "{product} running low: {value} left, {cmp} {ref}"),
    # the shipped rules by id, as the period review's recurring problems name them (alerts.codes_by_session)
    "alerts_code_outage": ("直播断流", "Stream outage"),
    "alerts_code_audience_below_typical": ("在线人数低于本直播间同期", "Audience below the room's typical"),
    "alerts_code_audience_level_drop": ("在线人数水平下移", "Audience level dropped"),
    "alerts_code_interaction_anomaly": ("互动强度异常偏低", "Interaction unusually low"),
    "alerts_code_sold_out": ("商品售罄", "Product sold out"),
    "alerts_code_stock_low": ("库存告急", "Stock running low"),
    "alerts_window": ("（{n}分钟{agg}）", " ({n}-minute {agg})"),
    "alerts_agg_mean": ("均值", "mean"), "alerts_agg_sum": ("合计", "sum"),
    "alerts_agg_min": ("最小值", "minimum"), "alerts_agg_max": ("最大值", "maximum"),
    "alerts_repeats": ("；静默期内重复{n}次", "; repeated {n}× within the quiet period"),
    "alerts_ongoing": ("持续中", "ongoing"),
    "alerts_col_time": ("时间", "Time"), "alerts_col_severity": ("级别", "Severity"),
    "alerts_col_metric": ("指标", "Metric"), "alerts_col_what": ("内容", "What happened"),
    "alerts_col_rule": ("规则", "Rule"), "alerts_col_status": ("处理", "Handled"),
    "alerts_acked": ("{by} 已确认 {at}", "acknowledged by {by} at {at}"),
    "alerts_webhook_title": ("【{severity}】{room} 直播预警", "[{severity}] live alert: {room}"),
    "alerts_webhook_body": ("**{title}**\n> 场次：{session}\n> 时间：{time}\n> {what}",
                            "**{title}**\n> Session: {session}\n> Time: {time}\n> {what}"),
})

EXTRA_UNITS = {"online": "people", "gmv_per_minute": "CNY", "interaction_intensity": "x", "stock_left": "units"}


def severity_label(severity: str, lang: Lang = "zh") -> str:
    """低 / 中 / 高 severity in words."""
    return t(f"alerts_sev_{severity}", lang)


def rule_label(rule_id: str, lang: Lang = "zh") -> str:
    """A rule in words: the shipped rules' names (断流 / Stream outage …); a team's own rule keeps its id."""
    key = f"alerts_code_{rule_id}"
    return t(key, lang) if key in STRINGS else rule_id


def metric_label(metric: str, lang: Lang = "zh") -> str:
    """A rule metric's label: the registry's, or the extra series' (online viewers, GMV per minute …)."""
    if metric in frozenset(REGISTRY):
        return REGISTRY[metric].label(lang)
    return t(f"alerts_metric_{metric}", lang)


def _unit(metric: str) -> str:
    return REGISTRY[metric].unit if metric in frozenset(REGISTRY) else EXTRA_UNITS.get(metric, "")


def _v(value: object, metric: str, lang: Lang) -> str:
    return fmt_value(value, _unit(metric), lang)


def alert_text(a: Alert, lang: Lang = "zh", product_names: Mapping[str, str] | None = None) -> str:
    """One sentence saying what happened (no time, no severity)."""
    p = dict(a.params)
    metric = metric_label(a.metric, lang)
    window = int(p.get("window", 1) or 1)
    win = t("alerts_window", lang, n=window, agg=t(f"alerts_agg_{p.get('aggregate', 'mean')}", lang)) \
        if window > 1 else ""
    cmp = t(f"alerts_cmp_{p.get('comparison', '<')}", lang)
    product = (product_names or {}).get(a.product_id or "", a.product_id or "")
    ratio = p.get("ratio")
    ref = t(f"alerts_ref_{p.get('reference', 'absolute')}", lang,
            ratio=f"{float(ratio) * 100:.0f}%" if ratio is not None else "",
            threshold=_v(a.threshold, a.metric, lang), minutes=p.get("minutes_history", ""))
    code = a.code
    fields = dict(metric=metric, window=win, value=_v(a.value, a.metric, lang), cmp=cmp, ref=ref,
                  minutes=p.get("minutes", ""), history=p.get("history", ""), z=p.get("z", ""),
                  before=_v(p.get("before"), a.metric, lang), after=_v(p.get("after"), a.metric, lang),
                  shift=f"{float(p.get('shift', 0.0)) * 100:+.0f}%", product=product,
                  stock=_v(p.get("stock"), "stock_left", lang))
    text = t(f"alerts_text_{code}", lang, **fields)
    if int(p.get("repeats", 0) or 0) > 0:
        text += t("alerts_repeats", lang, n=int(p["repeats"]))
    return text


def _hm(ts: pd.Timestamp | None) -> str:
    return "" if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%H:%M")


def span_text(a: Alert, lang: Lang = "zh") -> str:
    """``20:41–20:49`` (or ``20:41–持续中`` while running)."""
    return f"{_hm(a.start)}–{_hm(a.end) if a.end is not None else t('alerts_ongoing', lang)}"


def alerts_frame(alerts: Iterable[Alert], lang: Lang = "zh", product_names: Mapping[str, str] | None = None,
                 log: pd.DataFrame | None = None) -> pd.DataFrame:
    """The alerts as a table in words: time, severity, metric, what happened, rule (and the log's handling)."""
    rows = []
    acks = {} if log is None or log.empty else {r.alert_id: r for r in log.itertuples() if r.acknowledged}
    for a in alerts:
        row = {t("alerts_col_time", lang): span_text(a, lang),
               t("alerts_col_severity", lang): severity_label(a.severity, lang),
               t("alerts_col_metric", lang): metric_label(a.metric, lang),
               t("alerts_col_what", lang): alert_text(a, lang, product_names),
               t("alerts_col_rule", lang): rule_label(a.rule_id, lang)}
        if log is not None:
            ack = acks.get(a.id)
            row[t("alerts_col_status", lang)] = t("alerts_acked", lang, by=ack.ack_by, at=ack.ack_at) if ack else ""
        rows.append(row)
    cols = [t(k, lang) for k in ("alerts_col_time", "alerts_col_severity", "alerts_col_metric", "alerts_col_what",
                                 "alerts_col_rule")] + ([t("alerts_col_status", lang)] if log is not None else [])
    return pd.DataFrame(rows, columns=cols)


def webhook_text(a: Alert, lang: Lang = "zh", room_name: str | None = None,
                 product_names: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(title, markdown text) of a group-bot message for one alert."""
    title = t("alerts_webhook_title", lang, severity=severity_label(a.severity, lang), room=room_name or a.room_id)
    body = t("alerts_webhook_body", lang, title=title, session=a.session_id,
             time=f"{pd.Timestamp(a.start).strftime('%Y-%m-%d')} {span_text(a, lang)}",
             what=alert_text(a, lang, product_names))
    return title, body


def timeline_labels(frame: pd.DataFrame, lang: Lang = "zh", product_names: Mapping[str, str] | None = None
                    ) -> pd.DataFrame:
    """:func:`liveops_nb.alerts.session_alerts`'s frame with a ``label`` per band for the review timeline.

    The label is severity · metric (· product), e.g. ``紧急 · 在线人数`` / ``high · Online viewers``.
    """
    out = frame.copy()
    names = product_names or {}
    out["label"] = [" · ".join(p for p in (severity_label(sev, lang), metric_label(m, lang),
                                           names.get(pid, pid) if isinstance(pid, str) else "") if p)
                    for sev, m, pid in zip(out["severity"], out["metric"], out["product_id"], strict=True)]
    return out

