"""The period review's words (中文 / English) and the small formatting helpers its views share."""
from __future__ import annotations

from typing import Any

import pandas as pd

from ...metrics import REGISTRY
from ..fmt import fmt_delta, fmt_value, is_missing
from ..i18n import STRINGS, Lang, register, t
from ..review import diagnosis as diagnosis_words  # noqa: F401  (registers the rules' titles)
from ..review import traffic as traffic_words  # noqa: F401  (registers the channel group names)

TITLES: dict[str, tuple[str, str]] = {
    "results": ("成果与目标", "Results vs goals"),
    "bridge": ("GMV 增长来源", "GMV bridge"),
    "cases": ("案例复盘", "Case reviews"),
    "problems": ("反复出现的问题", "Recurring problems"),
    "slots": ("时段", "Time slots"),
    "compare": ("主播与直播间", "Hosts and rooms"),
    "products": ("商品结构", "Product structure"),
    "channels": ("渠道结构", "Channel mix"),
    "plan": ("下期计划", "Next-period plan"),
}
"""Section name -> heading."""

register({
    "period_total": ("合计", "Total"),
    "period_metric": ("指标", "Metric"),
    "period_value": ("本期", "This period"),
    "period_previous": ("上期 {label}", "Previous {label}"),
    "period_cycle": ("上一周期 {label}", "One cycle earlier {label}"),
    "period_history": ("近{n}期中位数", "Median of last {n}"),
    "period_history_none": ("往期中位数（无往期）", "Median of earlier periods (none)"),
    "period_bench": ("同品类 P50 / P75", "Category P50 / P75"),
    "period_target": ("目标", "Target"),
    "period_attainment": ("达成率", "Attained"),
    "period_forecast": ("预计期末", "Forecast"),
    "period_gap": ("缺口", "Gap"),
    "period_scope": ("范围", "Scope"),
    "period_sessions": ("场次", "Sessions"),
    "period_unknown": ("找不到周期 “{period}” 的场次，已显示最近的周期。", "No session in period '{period}'; showing the latest period."),
    "period_doc_title": ("周期复盘 · 工作总结与计划", "Period review · summary and plan"),
    "period_source_alerts": ("告警", "Alerts"),
    "period_pick": ("请选择周期。", "Pick a period."),
    "period_header": ("{period}（{first} – {last}）· {rooms} · {n} 场", "{period} ({first} – {last}) · {rooms} · {n} sessions"),
    "period_all_rooms": ("全部直播间", "All rooms"),
    "period_granularity": ("粒度", "Granularity"),
    "period_period": ("周期", "Period"),
    "period_rooms": ("直播间", "Rooms"),
    "period_grain_day": ("日", "Day"),
    "period_grain_week": ("周", "Week"),
    "period_grain_month": ("月", "Month"),
    "period_grain_quarter": ("季度", "Quarter"),
    "period_export": ("导出", "Export"),
    "period_exported": ("已导出：{files}", "Exported: {files}"),
    "period_summary": ("本期 GMV {gmv}，较上期 {prev}，较上一周期 {cycle}；共 {n} 场。",
                       "GMV {gmv} this period, {prev} against the previous period and {cycle} one cycle earlier; "
                       "{n} sessions."),
    "period_target_line": ("GMV 目标 {target}，已达成 {att}；已过 {elapsed}/{days} 天，按当前进度预计 {fc}，缺口 {gap}。",
                           "GMV target {target}, {att} attained; {elapsed} of {days} days elapsed, forecast {fc} at "
                           "this pace, gap {gap}."),
    "period_no_target": ("目标表中没有本期的 GMV 目标（可在数据目录的目标表中添加）。",
                         "No GMV target is set for this period (add one to the data folder's targets table)."),
    "period_bench_illustrative": ("行业基准为示例值（仅比率指标可比；请替换为自己的同行数据）",
                                  "Category benchmarks are illustrative (ratio metrics only) — replace them with your "
                                  "own peer numbers"),
    "period_bench_source": ("行业基准来源：{src}（仅比率指标）", "Benchmarks from {src} (ratio metrics only)"),
    "period_bridge_line": ("GMV 从 {before} 到 {after}（{change}）：流量 {traffic}，转化 {conversion}，客单价 {order_value}。",
                           "GMV went from {before} to {after} ({change}): traffic {traffic}, conversion {conversion}, "
                           "order value {order_value}."),
    "period_bridge_method": ("分解方法：Shapley 值（三项相加严格等于 GMV 变化；某一项为零也适用）。",
                             "Method: Shapley decomposition (the three effects add up exactly to the GMV change, "
                             "zero factors included)."),
    "period_bridge_none": ("缺少观看人数，无法分解 GMV 变化。", "Viewers are not available: no GMV bridge."),
    "period_effect_traffic": ("流量", "Traffic"),
    "period_effect_conversion": ("转化", "Conversion"),
    "period_effect_order_value": ("客单价", "Order value"),
    "period_change": ("变化", "Change"),
    "period_case_best": ("最佳", "Best"),
    "period_case_worst": ("最差", "Worst"),
    "period_case_line": ("{room} · {host} · {title} · {slot} · {minutes} 分钟", "{room} · {host} · {title} · {slot} · {minutes} min"),
    "period_case_vs": ("对比本期场次中位数：{parts}", "Against the period's session median: {parts}"),
    "period_case_driver": ("差异最大的因素：{driver}", "Furthest from the median: {driver}"),
    "period_case_mix": ("主要流量来源 {group}（{share}）；售出 {n} 款商品，第一名 {product}（{pshare}）",
                        "Main source {group} ({share}); {n} products sold, top {product} ({pshare})"),
    "period_case_problems": ("问题：{codes}", "Problems: {codes}"),
    "period_case_open": ("打开单场复盘 →", "Open the session review →"),
    "period_cases_none": ("本期场次少于 2 场，无法比较最佳与最差。", "Fewer than two sessions: no best or worst."),
    "period_slot_col": ("时段", "Slot"),
    "period_title": ("标题", "Title"),
    "period_slot": ("{day} {hour}点", "{day} {hour}:00"),
    "period_problem_line": ("{title}：{n} / {total} 场（{rooms}）", "{title}: {n} of {total} sessions ({rooms})"),
    "period_problems_none": ("本期场次未发现问题。", "No problem found in this period's sessions."),
    "period_source_diagnosis": ("单场诊断", "Session diagnosis"),
    "period_problem": ("问题", "Problem"),
    "period_source": ("来源", "Source"),
    "period_slots_rule": ("规则：某时段至少 {n} 场才参与最佳/最差排名；统计 {first} – {last} 的场次。",
                          "Rule: a slot needs at least {n} sessions to be ranked best or worst; sessions of {first} – "
                          "{last}."),
    "period_slots_best": ("最佳时段 {best}，最差时段 {worst}（按千次观看成交金额）。",
                          "Best slot {best}, worst {worst} (by GPM)."),
    "period_slots_none": ("没有足够场次支撑的时段（需至少 2 个时段各有 {n} 场）。",
                          "No slot has enough sessions (at least two slots with {n} sessions each are needed)."),
    "period_small": ("样本少", "few sessions"),
    "period_interval": ("90% 区间", "90% interval"),
    "period_compare_note": ("区间为各场数值均值的 90% 置信区间；少于 {n} 场标注“样本少”。",
                            "Intervals: 90% t-interval of the mean of the sessions' values; fewer than {n} sessions "
                            "are marked “few sessions”."),
    "period_hosts": ("主播", "Hosts"),
    "period_name": ("名称", "Name"),
    "period_role_profit": ("利润款", "Profit items"),
    "period_role_traffic_driver": ("引流款", "Traffic drivers"),
    "period_role_other": ("其他", "Other"),
    "period_products_line": ("GMV 构成：{roles}；高客单商品（标价 ≥ {cut}）占 {high}。",
                             "GMV by role: {roles}; high-order-value items (list price ≥ {cut}) {high}."),
    "period_category": ("品类", "Category"),
    "period_products_n": ("商品数", "Products"),
    "period_share": ("GMV 占比", "GMV share"),
    "period_conversion_median": ("点击-成交转化（商品中位数）", "Click→order conversion (median product)"),
    "period_product": ("商品", "Product"),
    "period_channels_line": ("流量集中度 HHI {hhi}，最大渠道 {top} 占 {share}。",
                             "Viewer concentration HHI {hhi}; top channel {top} at {share}."),
    "period_channels_flag": ("单一渠道依赖：HHI ≥ {hhi} 或某渠道 > {top}。",
                             "Single-channel dependence: HHI ≥ {hhi} or one channel > {top}."),
    "period_channel_group": ("渠道", "Channel group"),
    "period_plan_line": ("{label} GMV 目标 {target}（{source}）：需要观看人数 {uv}、转化率 {conv}、客单价 {aov}。",
                         "{label} GMV target {target} ({source}): needs {uv} viewers, conversion {conv} and order "
                         "value {aov}."),
    "period_plan_file": ("来自目标表", "from the targets table"),
    "period_plan_growth": ("未设目标：按本期 +{pct}", "no target set: this period +{pct}"),
    "period_plan_rule": ("拆解规则：转化率、客单价低于本直播间历史中位数时先恢复到中位数（不超过目标所需），其余增长由流量承担。",
                         "Rule: conversion, then order value, is lifted back to the room's history median when below "
                         "it (no more than the target needs); traffic carries the rest."),
    "period_lever": ("杠杆", "Lever"),
    "period_now": ("本期", "Now"),
    "period_plan": ("计划", "Plan"),
    "period_tests": ("建议的 A/B 测试：", "Suggested A/B tests:"),
    "period_test_lever": ("{lever} 是计划中缺口最大的杠杆：为它设计一个测试。",
                          "{lever} is the plan's largest lever: test a change to it."),
    "period_test_problem": ("针对反复出现的“{title}”（{n} 场）设计测试。", "Test a fix for the recurring “{title}” ({n} sessions)."),
    "period_weekdays": ("周一,周二,周三,周四,周五,周六,周日", "Mon,Tue,Wed,Thu,Fri,Sat,Sun"),
    "period_layers": ("分层用户行动见用户分层看板（06-segments）。", "Actions per user layer: see the user-segment board (06-segments)."),
})


def label(key: str, lang: Lang) -> str:
    """A registry metric's label."""
    return REGISTRY[key].label(lang)


def value(v: Any, key: str, lang: Lang) -> str:
    """A registry metric's value formatted by its unit."""
    return fmt_value(v, REGISTRY[key].unit, lang)


def money(v: Any, lang: Lang, signed: bool = False) -> str:
    """An amount in CNY ("+¥1,200" when ``signed``)."""
    if is_missing(v):
        return "—"
    text = fmt_value(abs(float(v)) if signed else v, "CNY", lang)
    return (("+" if float(v) >= 0 else "−") + text) if signed else text


def delta(v: Any) -> str:
    """A relative change (+12.3%)."""
    return fmt_delta(None if is_missing(v) else float(v))


def ratio(v: Any, lang: Lang) -> str:
    return fmt_value(v, "ratio", lang)


def scope_name(scope: str, name: str, lang: Lang) -> str:
    """A row's scope in words: the room's name, or the total."""
    return t("period_total", lang) if scope == "__total__" else (name or scope)


def group_name(group: str, lang: Lang) -> str:
    """A channel group (organic / paid / private) in words."""
    key = f"traffic_group_{group}"
    return t(key, lang) if key in STRINGS else str(group)


def problem_title(source: str, code: str, lang: Lang) -> str:
    """A problem code's title: the diagnosis rule's title, a registered ``<source>_code_<code>`` text, or the code."""
    if source == "diagnosis":
        rule = diagnosis_words.RULES.get(code)
        if rule is not None:
            return rule.title[0] if lang == "zh" else rule.title[1]
    key = f"{source}_code_{code}"
    return t(key, lang) if key in STRINGS else code


def source_name(source: str, lang: Lang) -> str:
    key = f"period_source_{source}"
    return t(key, lang) if key in STRINGS else source


def weekday_names(lang: Lang = "zh") -> list[str]:
    """Monday … Sunday in ``lang``."""
    return t("period_weekdays", lang).split(",")


def weekday_slot(weekday: int, hour: int, lang: Lang) -> str:
    """A slot in words ("周一 20点")."""
    return t("period_slot", lang, day=weekday_names(lang)[int(weekday)], hour=int(hour))


def is_na(v: Any) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v))
