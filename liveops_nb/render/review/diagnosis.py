"""Rendering of section 8 — 现存问题 Diagnosis: one card per finding, in 中文 or English.

Turns :class:`liveops_nb.review.diagnosis.DiagnosisData` into notes: the findings in their rank
(largest estimated GMV impact first), each with its figures labelled by scope (本场 / 房间近10场中位数
/ 近14天), its evidence, the worse metrics it explains and the section to look at; then the metrics
worse than the basis but within normal variation, with the rule. Each rule's words are a
:class:`RuleText`: a title and sentence parts over the evidence; a part is shown only when none of
its fields is missing.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...metrics import REGISTRY
from ...review import funnel, products, results, timeline, traffic
from ...review.diagnosis import THRESHOLDS, DiagnosisData, Finding, th
from ..fmt import fmt_delta, fmt_value, is_missing
from ..html import note
from ..i18n import Lang, register, t
from . import results as _results_view  # noqa: F401  (registers the basis words, results_basis_*)
from .scopes import figures_line

__all__ = ["RULES", "THRESHOLD_TEXT", "card_text", "figures_line", "finding_text", "finding_title", "impact_text",
           "normal_text", "render", "rules_table", "section_title"]


@dataclass(frozen=True)
class RuleText:
    """A rule's words: ``title`` and sentence ``parts`` as (中文, English) templates over the evidence;
    ``units`` maps evidence keys to :func:`~liveops_nb.render.fmt.fmt_value` units (``"price"``: a whole-yuan
    number with thousands separators, after a "¥" in the template)."""

    title: tuple[str, str]
    parts: tuple[tuple[str, str], ...]
    units: Mapping[str, str] = field(default_factory=dict)


RULES: Mapping[str, RuleText] = {
    "short_stay": RuleText(
        ("停留时长偏短", "Short stay"),
        (("人均观看时长 {value}", "Average watch time {value}"), ("同品类 P50 {bench_p50}", "category P50 {bench_p50}"),
         ("近期房间中位数 {room_median}（低 {gap}）", "room median {room_median} ({gap} below)")),
        {"value": "seconds", "bench_p50": "seconds", "room_median": "seconds", "gap": "ratio"}),
    "single_channel": RuleText(
        ("流量依赖单一渠道", "Traffic depends on one channel"),
        (("“{channel}” 带来 {share} 的观看人数（上限 {limit}）", "'{channel}' brought {share} of viewers (limit {limit})"),),
        {"share": "ratio", "limit": "ratio"}),
    "rhythm_off": RuleText(
        ("节奏错位：高价值商品在流量低谷讲解", "Rhythm off: high-value product pitched in a trough"),
        (("“{product}”（¥{price}）在开播第 {pitch_minute} 分钟（{pitch_clock}）讲解，平均在线 {avg_online}，"
          "仅为全场中位数 {median_online} 的 {ratio}",
          "'{product}' (¥{price}) was pitched at minute {pitch_minute} ({pitch_clock}) with {avg_online} online on "
          "average, {ratio} of the session median {median_online}"),
         ("在线高峰在第 {peak_minute} 分钟（{peak_clock}）", "online peaked at minute {peak_minute} ({peak_clock})")),
        {"price": "price", "avg_online": "people", "median_online": "people", "ratio": "ratio"}),
    "incident": RuleText(
        ("技术故障", "Technical incident"),
        (("检测到断流 {outages} 次，共 {outage_minutes} 分钟", "{outages} outage(s) detected, {outage_minutes} minutes in total"),
         ("事故记录 {logged} 条", "{logged} incident(s) logged"), ("首次发生于 {first}", "first at {first}")),
        {"outages": "count", "outage_minutes": "count", "logged": "count"}),
    "cart_drop": RuleText(
        ("加购后流失严重", "Drop between cart and pay"),
        (("加购 {cart_people} 人中 {cart_buyers} 人成交（{ratio}），不足房间中位数 {room_median} 的一半",
          "{cart_buyers} of {cart_people} people who carted bought ({ratio}), under half the room median {room_median}"),),
        {"cart_people": "people", "cart_buyers": "people", "ratio": "ratio", "room_median": "ratio"}),
    "refunds": RuleText(
        ("退款上升或处理慢", "Refunds rising or slow"),
        (("近 {days} 天退款率 {recent_rate}，此前 {earlier_rate}（{factor} 倍）",
          "refund rate {recent_rate} in the last {days} days vs {earlier_rate} before ({factor}×)"),
         ("近期退款 {refunds} 笔中 {slow_share} 超过 {hours} 小时才处理",
          "{slow_share} of {refunds} recent refunds took more than {hours} h")),
        {"recent_rate": "ratio", "earlier_rate": "ratio", "factor": "x", "refunds": "count", "slow_share": "ratio"}),
    "metric_worse": RuleText(
        ("指标明显变差", "Metric materially worse"),
        (("比{basis}差 {gap}，超出正常波动（阈值 {threshold}）", "{gap} worse than {basis}, beyond normal variation "
          "(threshold {threshold})"),),
        {"gap": "ratio", "threshold": "ratio"}),
}

REFUND_TITLES: Mapping[tuple[bool, bool], tuple[str, str]] = {
    (True, True): ("退款率上升且处理慢", "Refunds rising and slow"),
    (True, False): ("退款率上升", "Refund rate rising"),
    (False, True): ("退款处理慢", "Refunds handled slowly"),
}
"""The refund finding's title by which condition fired: (rising, slow)."""

THRESHOLD_TEXT: Mapping[str, tuple[str, str]] = {
    "history_n": ("房间历史 = 本场之前最近 N 场", "room history = the last N sessions before this one"),
    "short_stay_gap": ("低于房间中位数的幅度", "shortfall vs the room median"),
    "single_channel_share": ("单一渠道观看人数占比上限", "max UV share of one channel"),
    "trough_ratio": ("讲解期平均在线 / 全场在线中位数 下限", "pitch avg online / session median online"),
    "high_price_quantile": ("高价商品 = 标价不低于该分位数", "high-price = list price at/above this quantile"),
    "rhythm_min_pitches": ("条件 B 需要的最少讲解段数", "minimum pitches for condition B"),
    "outage_drop": ("断流：在线跌幅（timeline.detect_outages）", "outage: online drop (timeline.detect_outages)"),
    "outage_min_minutes": ("断流：最短持续分钟", "outage: minimum minutes"),
    "cart_vs_median": ("加购→成交转化 / 房间中位数 下限", "cart→buyer conversion / room median"),
    "cart_min_people": ("最少加购人数", "minimum people who carted"),
    "refund_recent_days": ("退款：近期窗口（天）", "refunds: recent window (days)"),
    "refund_earlier_days": ("退款：对比窗口（天）", "refunds: earlier window (days)"),
    "refund_rise_factor": ("退款率上升倍数", "refund rate rise factor"),
    "refund_rise_min_diff": ("退款率至少上升（绝对值）", "minimum absolute rise of the refund rate"),
    "refund_slow_hours": ("慢退款：下单后小时数", "slow refund: hours after the order"),
    "refund_slow_share": ("慢退款占比上限", "max share of slow refunds"),
    "refund_min_refunds": ("判断慢退款的最少退款笔数", "minimum refunds to judge speed"),
    "material_gap": ("明显变差：差距至少（下限）", "materially worse: gap at least (floor)"),
    "material_max_gap": ("明显变差：差距超过该值一定算（上限）", "materially worse: a gap above this always counts (ceiling)"),
    "variation_k": ("明显变差：超过房间波动的倍数", "materially worse: multiple of the room's variation"),
    "variation_min_sessions": ("计算房间波动所需最少场次", "minimum sessions for the room's variation"),
    "metric_medium_gap": ("指标变差达到该幅度记为“中”", "a metric this much worse is rated medium"),
}

_SECTION_TITLES: Mapping[str, tuple[str, str]] = {
    "funnel": funnel.TITLE, "products": products.TITLE, "results": results.TITLE, "timeline": timeline.TITLE,
    "traffic": traffic.TITLE}

register({
    "diagnosis_none": ("未发现明显问题，且没有指标差于对比基准", "No significant problems found; no metric is worse than the basis"),
    "diagnosis_none_material": ("没有超出正常波动的问题", "No problem beyond normal variation"),
    "diagnosis_rank": ("#{i}", "#{i}"),
    "diagnosis_impact": ("估算 GMV 影响 {amount}", "estimated GMV impact {amount}"),
    "diagnosis_impact_none": ("GMV 影响无法估算", "GMV impact not estimated"),
    "diagnosis_explains": ("解释了：{metrics}", "explains: {metrics}"),
    "diagnosis_ranked_by": ("按估算 GMV 影响排序（对比{basis}）；下一步的行动逐条对应这些问题。",
                            "Ranked by estimated GMV impact (against {basis}); each action in Next steps answers one of them."),
    "diagnosis_normal": ("比{basis}差、但在正常波动内（不列为问题）：{items}",
                         "Worse than {basis} but within normal variation (not a problem): {items}"),
    "diagnosis_normal_item": ("{metric} {gap}（{rule}）", "{metric} {gap} ({rule})"),
    "diagnosis_rule_variation": ("≤ {k} × 房间近{n}场波动 = {threshold}", "≤ {k} × the room's variation over {n} sessions = {threshold}"),
    "diagnosis_rule_material_gap": ("≤ 下限 {threshold}", "≤ the floor {threshold}"),
    "diagnosis_rule_material_max_gap": ("≤ 上限 {threshold}", "≤ the ceiling {threshold}"),
    "diagnosis_severity_high": ("严重", "High"),
    "diagnosis_severity_medium": ("中", "Medium"),
    "diagnosis_severity_low": ("低", "Low"),
    "diagnosis_see": ("查看：{section}", "see: {section}"),
    "diagnosis_not_checked": ("未能检查（此数据源无法提供所需数据）：{rules}", "Not checked (not available from this source): {rules}"),
    "diagnosis_rule": ("规则", "Rule"),
    "diagnosis_threshold": ("阈值", "Threshold"),
    "diagnosis_value": ("取值", "Value"),
})


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _fmt(value: Any, unit: str | None, lang: Lang) -> str:
    if unit is None:
        return str(value)
    if unit == "price":
        return f"{float(value):,.0f}"
    return fmt_value(value, unit, lang)


def basis_words(basis: str, n: int, lang: Lang = "zh") -> str:
    """The basis in words, as the results section says it ("近10场中位数")."""
    return t(f"results_basis_{basis}", lang, n=n)


def finding_title(f: Finding, lang: Lang = "zh") -> str:
    """The finding's title ("Refund rate rising"; a worse metric names the metric)."""
    if f.code == "refunds" and (bool(f.evidence.get("rising")), bool(f.evidence.get("slow"))) in REFUND_TITLES:
        return _pick(REFUND_TITLES[(bool(f.evidence.get("rising")), bool(f.evidence.get("slow")))], lang)
    if f.code == "metric_worse" and f.metric is not None and f.metric in REGISTRY:
        return f"{REGISTRY[f.metric].label(lang)}{'明显变差' if lang == 'zh' else ' materially worse'}"
    return _pick(RULES[f.code].title, lang)


def finding_text(f: Finding, lang: Lang = "zh") -> str:
    """The rule's sentence parts whose evidence is all present, formatted and joined."""
    rule = RULES[f.code]
    shown = {k: _fmt(v, rule.units.get(k), lang) for k, v in f.evidence.items() if not is_missing(v)}
    if f.code == "metric_worse":
        shown["basis"] = basis_words(str(f.evidence.get("basis", "median")), int(f.evidence.get("n") or 0), lang)
    parts = []
    for pair in rule.parts:
        try:
            parts.append(_pick(pair, lang).format(**shown))
        except KeyError:  # a field of this part is missing
            continue
    text = ("；" if lang == "zh" else "; ").join(parts)
    return text if lang == "zh" else text[:1].upper() + text[1:]


def section_title(name: str, lang: Lang = "zh") -> str:
    """The heading of the review section a finding points to (the name itself if unknown)."""
    pair = _SECTION_TITLES.get(name)
    return name if pair is None else _pick(pair, lang)


def impact_text(f: Finding, lang: Lang = "zh") -> str:
    """"估算 GMV 影响 ¥570" (or that it is not estimated)."""
    if f.impact is None:
        return t("diagnosis_impact_none", lang)
    return t("diagnosis_impact", lang, amount=fmt_value(f.impact, "CNY", lang))


def card_text(f: Finding, lang: Lang = "zh", rank: int | None = None) -> str:
    """One finding as a line: [#rank severity] title · impact: figures; evidence; explains — see: section."""
    sev = t(f"diagnosis_severity_{f.severity}", lang)
    head = sev if rank is None else f"{t('diagnosis_rank', lang, i=rank)} {sev}"
    sep = "：" if lang == "zh" else ": "
    semi = "；" if lang == "zh" else "; "
    body = [x for x in (figures_line(f.figures, lang), finding_text(f, lang)) if x]
    if f.explains:
        names = ("、" if lang == "zh" else ", ").join(REGISTRY[k].label(lang) for k in f.explains)
        body.append(t("diagnosis_explains", lang, metrics=names))
    see = t("diagnosis_see", lang, section=section_title(f.section, lang))
    return f"[{head}] {finding_title(f, lang)} · {impact_text(f, lang)}{sep}{semi.join(body)} — {see}"


def normal_text(data: DiagnosisData, lang: Lang = "zh") -> str | None:
    """The metrics worse than the basis but within normal variation, each with the rule that said so (None if none)."""
    rows = data.status("worse_normal")
    if rows.empty:
        return None
    items = []
    for r in rows.to_dict("records"):
        key, gap_rel = str(r["key"]), float(r["shortfall"])
        threshold = fmt_value(r["threshold"], "ratio", lang)
        rule = t(f"diagnosis_rule_{r['rule']}", lang, k=f"{th('variation_k'):g}", n=int(r["n"]), threshold=threshold)
        gap = fmt_delta(-gap_rel if REGISTRY[key].direction == "higher" else gap_rel, lang)
        items.append(t("diagnosis_normal_item", lang, metric=REGISTRY[key].label(lang), gap=gap, rule=rule))
    return t("diagnosis_normal", lang, basis=basis_words(data.basis, data.n_history, lang),
             items=("、" if lang == "zh" else ", ").join(items))


def render(data: DiagnosisData, lang: Lang = "zh") -> list:
    """Ranked finding cards (bad = high, warn = medium/low); "nothing found" only when nothing is worse than the
    basis; the metrics worse but within normal variation with their rule; what was not checked."""
    items: list = []
    if data.findings:
        items.append(note(t("diagnosis_ranked_by", lang, basis=basis_words(data.basis, data.n_history, lang)), "info"))
    items += [note(card_text(f, lang, i), "bad" if f.severity == "high" else "warn")
              for i, f in enumerate(data.findings, start=1)]
    normal = normal_text(data, lang)
    if not data.findings:
        items.append(note(t("diagnosis_none" if normal is None else "diagnosis_none_material", lang), "good"))
    if normal is not None:
        items.append(note(normal, "info"))
    if data.not_checked:
        names = ("、" if lang == "zh" else ", ").join(_pick(RULES[c].title, lang) for c in data.not_checked)
        items.append(note(t("diagnosis_not_checked", lang, rules=names), "na"))
    return items


def rules_table(lang: Lang = "zh") -> pd.DataFrame:
    """The thresholds of every rule (for documentation pages)."""
    return pd.DataFrame({t("diagnosis_rule", lang): list(THRESHOLDS),
                         t("diagnosis_threshold", lang): [_pick(THRESHOLD_TEXT[k], lang) for k in THRESHOLDS],
                         t("diagnosis_value", lang): [f"{v:g}" for v in THRESHOLDS.values()]})
