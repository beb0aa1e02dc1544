"""Words and HTML of the live monitor (实时监控): status line, KPI cards, run sheet, alerts.

Everything language-dependent of the live page is here; the analyses (:mod:`liveops_nb.live`) and the
alerts (:mod:`liveops_nb.alerts`) hand over values and codes. New alerts are highlighted without sound:
a red border and a background that flashes a few times (CSS animation), then stays tinted.
"""
from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from ..metrics import REGISTRY
from .fmt import fmt_value, is_missing
from .html import esc, note
from .i18n import Lang, register, t

register({
    "live_title_online": ("在线人数：本场 vs 典型曲线", "Online viewers: this session vs the typical curve"),
    "live_title_gmv": ("每分钟成交金额：本场 vs 典型曲线", "GMV per minute: this session vs the typical curve"),
    "live_axis_online": ("在线人数", "Online viewers"),
    "live_axis_gmv": ("成交金额 (¥/分钟)", "GMV (¥ per minute)"),
    "live_status_live": ("直播中", "LIVE"),
    "live_status_ended": ("已下播", "ENDED"),
    "live_status_line": ("{room} · {host} · 开播 {start} · 已播 {minutes} 分钟 · 数据截至 {upto}",
                         "{room} · {host} · started {start} · {minutes} min in · data up to {upto}"),
    "live_waiting": ("{room} · {host} · 计划开播 {start} · 等待第一分钟数据…",
                     "{room} · {host} · planned start {start} · waiting for the first minute…"),
    "live_no_feed": ("数据目录中没有实时数据（live/<场次>/）。可用 `liveops simulate-live --data DIR --session ID "
                     "--into DIR2` 回放一场直播。",
                     "The data folder has no live feed (live/<session>/). Replay a session with "
                     "`liveops simulate-live --data DIR --session ID --into DIR2`."),
    "live_refresh_note": ("每 {seconds} 秒刷新一次；只读取新增的数据。", "Refreshes every {seconds} s, reading only new data."),
    "live_pick": ("实时场次", "Live session"),
    "live_option": ("{start} · {room} · {state}", "{start} · {room} · {state}"),
    "live_now_online": ("当前在线", "Online now"),
    "live_typical_now": ("典型 {value}（{low}–{high}）", "typical {value} ({low}–{high})"),
    "live_typical_none": ("暂无往期同分钟数据", "no past sessions at this minute"),
    "live_so_far": ("截至目前", "so far"),
    "live_no_plan": ("本场没有排品计划（run_sheet 表），无法对照。", "This session has no run sheet (table run_sheet) to compare with."),
    "live_plan_counts": ("按时 {on_time} · 提前 {early} · 延迟 {late} · 跳过 {skipped} · 应开始未开始 {overdue} · "
                         "待讲 {upcoming} · 计划外 {unplanned}",
                         "on time {on_time} · early {early} · late {late} · skipped {skipped} · overdue {overdue} · "
                         "upcoming {upcoming} · unplanned {unplanned}"),
    "live_col_product": ("商品", "Product"),
    "live_col_planned": ("计划时间", "Planned"),
    "live_col_actual": ("实际时间", "Actual"),
    "live_col_delay": ("偏差", "Offset"),
    "live_col_status": ("状态", "Status"),
    "live_delay_min": ("{value:+.0f} 分钟", "{value:+.0f} min"),
    "live_running": ("讲解中", "on air"),
    "live_st_on_time": ("按时", "on time"),
    "live_st_late": ("延迟", "late"),
    "live_st_early": ("提前", "early"),
    "live_st_skipped": ("跳过", "skipped"),
    "live_st_overdue": ("应开始未开始", "overdue"),
    "live_st_upcoming": ("待讲", "upcoming"),
    "live_st_unplanned": ("计划外", "unplanned"),
    "live_no_alerts": ("目前没有告警。", "No alerts so far."),
    "live_alerts_off": ("告警规则不可用：{reason}", "Alert rules are not available: {reason}"),
    "live_alert_new": ("新", "NEW"),
    "live_alert_open": ("持续中", "ongoing"),
    "live_alert_when": ("{start}–{end}", "{start}–{end}"),
    "live_alert_text": ("{metric} {value}，阈值 {op} {threshold}（规则 {rule}）",
                        "{metric} {value}, threshold {op} {threshold} (rule {rule})"),
    "live_alert_text_no_limit": ("{metric} {value}（规则 {rule}）", "{metric} {value} (rule {rule})"),
    "live_sev_high": ("高", "high"),
    "live_sev_medium": ("中", "medium"),
    "live_sev_low": ("低", "low"),
    "live_metric_online": ("在线人数", "Online viewers"),
    "live_metric_gmv_per_minute": ("每分钟成交金额", "GMV per minute"),
    "live_metric_interaction_intensity": ("互动强度", "Interaction intensity"),
    "live_metric_stock_left": ("剩余库存", "Stock left"),
})

STYLE = """
<style>
.lo-live-status { font-size: 15px; font-weight: 600; margin: 6px 0; }
.lo-live-badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; color: #fff;
  margin-right: 8px; background: #E5484D; }
.lo-live-badge.ended { background: #8C8C8C; }
.lo-plan td.st-late, .lo-plan td.st-skipped, .lo-plan td.st-overdue { color: #E5484D; font-weight: 600; }
.lo-plan td.st-on_time { color: #2BA471; }
.lo-plan tr.running td { background: #F0F5FF; }
.lo-alerts { margin: 6px 0; }
.lo-alert { border: 1px solid #F0F0F0; border-left: 4px solid #FA8C16; border-radius: 6px; padding: 6px 10px;
  margin: 4px 0; font-size: 13px; }
.lo-alert.sev-high { border-left-color: #E5484D; }
.lo-alert.sev-low { border-left-color: #BFBFBF; }
.lo-alert .sev { font-weight: 700; margin-right: 6px; }
.lo-alert .tag { display: inline-block; background: #E5484D; color: #fff; border-radius: 4px; padding: 0 5px;
  font-size: 11px; margin-right: 6px; }
.lo-alert-new { background: #FFF1F0; border: 2px solid #E5484D; animation: lo-alert-flash 0.9s ease-in-out 0s 6 alternate; }
@keyframes lo-alert-flash { from { background: #FFF1F0; } to { background: #FFCCC7; } }
</style>
"""


def metric_label(metric: str, lang: Lang = "zh") -> str:
    """A rule's or curve's metric in words (registry label, or the monitor's own series)."""
    if metric in REGISTRY:
        return REGISTRY[metric].label(lang)
    return t(f"live_metric_{metric}", lang) if metric in ("online", "gmv_per_minute", "interaction_intensity",
                                                           "stock_left") else metric


def is_missing_time(ts: Any) -> bool:
    """None or NaT."""
    return ts is None or ts is pd.NaT or bool(pd.isna(ts))


def _hm(ts: Any) -> str:
    return "—" if is_missing_time(ts) else f"{pd.Timestamp(ts):%H:%M}"


def status_html(session: pd.Series, minutes: int, upto: pd.Timestamp | None, done: bool, refresh_s: float,
                lang: Lang = "zh") -> str:
    """The line under the header: room, host, start, minutes so far, and LIVE / ENDED."""
    room, host = session.get("room_name") or session.room_id, session.get("host") or ""
    start = f"{pd.Timestamp(session.start_time):%Y-%m-%d %H:%M}"
    if upto is None:
        text = t("live_waiting", lang, room=room, host=host, start=start)
    else:
        text = t("live_status_line", lang, room=room, host=host, start=start, minutes=minutes, upto=_hm(upto))
    badge = (f'<span class="lo-live-badge ended">{esc(t("live_status_ended", lang))}</span>' if done
             else f'<span class="lo-live-badge">{esc(t("live_status_live", lang))}</span>')
    refresh = "" if done else note(t("live_refresh_note", lang, seconds=f"{refresh_s:g}"), "info")
    return f'{STYLE}<div class="lo lo-live-status">{badge}{esc(text)}</div>{refresh}'


def _card(label: str, value: str, sub: str = "") -> str:
    return (f'<div class="lo-card"><div class="lbl">{esc(label)}</div><div class="val">{esc(value)}</div>'
            f'<div class="cmp">{esc(sub)}</div></div>')


def kpi_cards(kpis: pd.DataFrame, online: pd.DataFrame, keys: Iterable[str], lang: Lang = "zh") -> str:
    """Cards: online now against the typical value at this minute, then the session's KPIs so far.

    ``online`` is the online curve (:func:`liveops_nb.live.curve.against_typical` of ``pcu``).
    """
    cards = []
    seen = online.dropna(subset=["actual"])
    if len(seen):
        last = seen.iloc[-1]
        if is_missing(last["median"]):
            sub = t("live_typical_none", lang)
        else:
            sub = t("live_typical_now", lang, value=fmt_value(last["median"], "people", lang),
                    low=fmt_value(last["low"], "people", lang), high=fmt_value(last["high"], "people", lang))
        cards.append(_card(t("live_now_online", lang), fmt_value(last["actual"], "people", lang), sub))
    row = kpis.iloc[0] if len(kpis) else pd.Series(dtype=object)
    for k in keys:
        m = REGISTRY[k]
        cards.append(_card(m.label(lang), fmt_value(row.get(k), m.unit, lang), t("live_so_far", lang)))
    return f'<div class="lo lo-cards">{"".join(cards)}</div>'


def run_sheet_html(compared: pd.DataFrame | None, counts: Mapping[str, int] | None, names: Mapping[str, str],
                   lang: Lang = "zh") -> str:
    """The run sheet against what happened: one row per planned slot (late, skipped … highlighted)."""
    if compared is None:
        return note(t("live_no_plan", lang), "na")
    head = "".join(f"<th>{esc(t(k, lang))}</th>" for k in ("live_col_product", "live_col_planned", "live_col_actual",
                                                             "live_col_delay", "live_col_status"))
    rows = []
    for r in compared.itertuples(index=False):
        planned = "—" if is_missing_time(r.planned_start) else f"{_hm(r.planned_start)}–{_hm(r.planned_end)}"
        actual = "—" if is_missing_time(r.actual_start) else f"{_hm(r.actual_start)}–{_hm(r.actual_end)}"
        delay = "—" if is_missing(r.delay_min) else t("live_delay_min", lang, value=r.delay_min)
        status = t(f"live_st_{r.status}", lang) + (f" · {t('live_running', lang)}" if r.running else "")
        cls = ' class="running"' if r.running else ""
        product = str(r.product_id)
        rows.append(f"<tr{cls}><td>{esc(names.get(product, product))}</td><td>{esc(planned)}</td>"
                    f"<td>{esc(actual)}</td><td class=\"num\">{esc(delay)}</td>"
                    f"<td class=\"st-{esc(r.status)}\">{esc(status)}</td></tr>")
    summary = note(t("live_plan_counts", lang, **dict(counts or {})), "info") if counts else ""
    return (f'{STYLE}{summary}<table class="lo lo-table lo-plan"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _num(value: Any, metric: str, lang: Lang) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    unit = "CNY" if metric in ("gmv", "gmv_per_minute") else ("x" if metric == "interaction_intensity" else "people")
    if metric in REGISTRY:
        unit = REGISTRY[metric].unit
    return fmt_value(value, unit, lang)


def alert_text(alert: Any, lang: Lang = "zh") -> str:
    """One alert in words: the alerts' own wording when :mod:`liveops_nb.render.alerts` has it, else a plain line."""
    try:  # the alerts' own words (liveops_nb.render.alerts), when that module is there
        text = getattr(importlib.import_module(f"{__package__}.alerts"), "alert_text", None)
        if text is not None:
            return str(text(alert, lang))
    except ImportError:
        pass
    op = getattr(alert, "params", {}).get("comparison", "") if hasattr(alert, "params") else ""
    if alert.threshold is None or is_missing(alert.threshold):
        return t("live_alert_text_no_limit", lang, metric=metric_label(alert.metric, lang),
                 value=_num(alert.value, alert.metric, lang), rule=alert.rule_id)
    return t("live_alert_text", lang, metric=metric_label(alert.metric, lang), value=_num(alert.value, alert.metric, lang),
             op=op, threshold=_num(alert.threshold, alert.metric, lang), rule=alert.rule_id)


def alerts_html(alerts: list[Any], new: set[str], lang: Lang = "zh", problem: str | None = None) -> str:
    """Alerts so far, newest first; those in ``new`` (alert ids) flash (CSS class ``lo-alert-new``)."""
    if problem:
        return note(t("live_alerts_off", lang, reason=problem), "warn")
    if not alerts:
        return note(t("live_no_alerts", lang), "good")
    items = []
    for a in sorted(alerts, key=lambda a: (a.fired_at, a.start), reverse=True):
        fresh = a.id in new
        end = t("live_alert_open", lang) if a.end is None else _hm(a.end)
        when = t("live_alert_when", lang, start=_hm(a.start), end=end)
        tag = f'<span class="tag">{esc(t("live_alert_new", lang))}</span>' if fresh else ""
        cls = f"lo-alert sev-{esc(a.severity)}" + (" lo-alert-new" if fresh else "")
        items.append(f'<div class="{cls}" data-alert="{esc(a.id)}">{tag}<span class="sev">'
                     f'{esc(t(f"live_sev_{a.severity}", lang))}</span>{esc(when)} · {esc(alert_text(a, lang))}</div>')
    return f'{STYLE}<div class="lo lo-alerts">{"".join(items)}</div>'


def option_label(session: pd.Series, done: bool, lang: Lang = "zh") -> str:
    """A live session in the picker: start, room and LIVE / ENDED."""
    state = t("live_status_ended" if done else "live_status_live", lang)
    return t("live_option", lang, start=f"{pd.Timestamp(session.start_time):%m-%d %H:%M}",
             room=session.get("room_name") or session.room_id, state=state)
