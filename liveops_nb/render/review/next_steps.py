"""Rendering of section 9 — 下一步 Next steps: one action per diagnosis finding and the next session's targets.

Turns :class:`liveops_nb.review.next_steps.NextStepsData` into displayable items: the action table
(problem in the diagnosis' rank, its figures labelled by scope, the target, the lever, the action),
the GMV factor table (traffic × conversion × order value: this session, the room median, the trend,
the target and why) and the schedule's planned GMV explained. The actions' words are here:
:data:`METRIC_ACTIONS` per metric key, :data:`FINDING_ACTIONS` per diagnosis rule code (templates
over the finding's evidence).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ...metrics import REGISTRY
from ...review.next_steps import NextStepsData
from ..fmt import fmt_value, is_missing
from ..html import note, table
from ..i18n import Lang, register, t
from .diagnosis import finding_title, impact_text
from .scopes import figure_name, lever_text, scope_text

# metric key -> action (zh, en); keys not listed use "default"
METRIC_ACTIONS: Mapping[str, tuple[str, str]] = {
    "avg_watch_seconds": ("开场福利 + 留人话术，每 5 分钟预告下一个福利",
                          "Opening giveaway + retention script; tease the next perk every 5 minutes"),
    "impression_to_view_rate": ("优化封面、标题和开场画面，提升进房率", "Improve cover, title and opening shot to lift entries"),
    "product_click_rate": ("讲解时弹出商品卡并口播引导点击", "Pop the product card during pitches and ask viewers to tap it"),
    "click_to_order_rate": ("讲清使用场景和痛点，配合限时优惠与库存提醒",
                            "Show use scenarios and pain points; add time-limited offers and stock alerts"),
    "view_to_order_rate": ("增加逼单节点：限时价、倒计时、福袋", "Add closing moments: limited-time price, countdown, lucky bags"),
    "aov": ("组合套装与满减，提高客单价", "Bundles and spend-more discounts to raise order value"),
    "uv_value": ("高峰时段讲利润款，组合套装提高客单", "Pitch profit items at peaks; bundles to raise order value"),
    "gpm": ("高峰时段讲利润款，组合套装提高客单", "Pitch profit items at peaks; bundles to raise order value"),
    "interaction_rate": ("分层互动奖励：提问抽奖、点赞解锁福利", "Tiered interaction rewards: question draws, like-to-unlock perks"),
    "follow_rate": ("关注/加粉丝团福利，主播定时口播", "Follower / fan-club perks with regular host call-outs"),
    "new_followers": ("关注/加粉丝团福利，主播定时口播", "Follower / fan-club perks with regular host call-outs"),
    "refund_rate": ("讲清尺码与质检，售后 48 小时内处理", "Explain sizes and quality checks; resolve after-sales within 48 h"),
    "paid_roi": ("更新投放人群包，按时段 A/B 测试 15/30/60 秒素材",
                 "Refresh paid audience packs; A/B test 15/30/60 s creatives by time slot"),
    "default": ("预热短视频 + 私域预告，保证开场流量", "Warm-up short videos and private-domain notices for opening traffic"),
}
FINDING_ACTIONS: Mapping[str, tuple[str, str]] = {
    "short_stay": METRIC_ACTIONS["avg_watch_seconds"],
    "single_channel": ("拓展短视频引流、搜索和私域预告，把“{channel}”占比降到 50% 以下",
                       "Add short-video, search and private-domain traffic; bring '{channel}' under 50 %"),
    "rhythm_off": ("把利润款“{product}”移到第 {peak_minute} 分钟（{peak_clock}）前后的在线高峰讲解，低谷安排福利/引流款",
                   "Move profit item '{product}' to the peak slot around minute {peak_minute} ({peak_clock}); "
                   "use giveaways / traffic drivers in troughs"),
    "incident": ("推流备用线路 checklist：开播前测速、备用推流码与第二台设备、断流 1 分钟内切换并记录事故",
                 "Backup-stream checklist: speed test before going live, spare stream key and second device, "
                 "switch within 1 minute and log the incident"),
    "cart_drop": ("缩短下单路径：自动领券、库存/限时提醒、客服跟进加购未付",
                  "Shorten checkout: auto-applied coupons, stock/time reminders, service follow-up on unpaid carts"),
    "refunds": ("核查近两周退款原因（尺码/质量/描述），售后 48 小时内处理",
                "Review refund reasons of the last two weeks (size / quality / description); resolve within 48 h"),
}

register({
    "next_steps_rank": ("#", "#"),
    "next_steps_item": ("问题（见现存问题）", "Problem (see Problems found)"),
    "next_steps_now": ("本场", "This session"),
    "next_steps_compare": ("对比（范围）", "Compared with (scope)"),
    "next_steps_target": ("下场目标", "Next-session target"),
    "next_steps_lever": ("杠杆", "Lever"),
    "next_steps_impact": ("估算影响", "Estimated impact"),
    "next_steps_action": ("行动", "Action"),
    "next_steps_none": ("现存问题中没有需要处理的问题；下场按下方目标推进", "No problem to act on; aim for the targets below"),
    "next_steps_order": ("每条行动对应「现存问题」中的一个问题，按估算 GMV 影响排序。",
                         "Each action answers one problem of 'Problems found', ranked by estimated GMV impact."),
    "next_steps_gmv_title": ("下场 GMV 目标 = 流量 × 转化 × 客单（目标来自本房间的历史与趋势，而非照搬本场）",
                             "Next GMV target = traffic × conversion × order value (targets from the room's history and "
                             "trend, not copied from this session)"),
    "next_steps_gmv_na": ("GMV 拆解：此数据源无法提供（需要观看人数、成交人数和成交金额）",
                          "GMV decomposition: not available from this source (needs viewers, buyers and GMV)"),
    "next_steps_factor": ("因子", "Factor"),
    "next_steps_median": ("房间近{n}场中位数", "Room median, last {n}"),
    "next_steps_trend": ("趋势（每场）", "Trend (per session)"),
    "next_steps_why": ("依据", "Why"),
    "next_steps_why_trend": ("近{n}场趋势向好，按趋势推算下场", "the room's last {n} sessions trend up: the trend's next value"),
    "next_steps_why_median": ("回到房间近{n}场中位数", "back to the room median of the last {n} sessions"),
    "next_steps_why_hold": ("本场高于房间常态与趋势，目标取二者中较高者（本场可能有偶然因素）",
                            "this session was above the room's usual level and trend: the target is the higher of the two "
                            "(this session may have had one-off help)"),
    "next_steps_why_no_history": ("本房间暂无更早场次，无法给出目标", "no earlier session of the room: no target yet"),
    "next_steps_why_product": ("三个因子目标相乘", "the product of the three factor targets"),
    "next_steps_why_findings": ("；相关问题：{items}", "; related problems: {items}"),
    "next_steps_plan": ("排期表中本房间下一场的计划 GMV 为 {plan}（sessions.gmv_target，由运营填写，未参与上面的推算）；"
                        "按上面的转化与客单目标，需要约 {viewers} 观看人数。",
                        "The schedule's planned GMV for the room's next session is {plan} (sessions.gmv_target, set by the "
                        "team, not used above); at the conversion and order-value targets above it needs about {viewers} "
                        "viewers."),
})


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def action_text(source: str, key: str, params: Mapping[str, Any] | None = None, lang: Lang = "zh") -> str:
    """The action for a worse metric (``source="metric"``, ``key`` a metric key) or a diagnosis finding
    (``source="finding"``, ``key`` a rule code; ``params`` its evidence fill the template, "—" if absent)."""
    if source == "metric":
        pair = METRIC_ACTIONS.get(key, METRIC_ACTIONS["default"])
    else:
        pair = FINDING_ACTIONS[key]
    text = pair[0] if lang == "zh" else pair[1]
    return text.format_map(_Safe(params or {}))


def row_action(row: Mapping[str, Any], lang: Lang = "zh") -> str:
    """The action of one action row: a worse metric's action, or the rule's."""
    if row["code"] == "metric_worse":
        return action_text("metric", str(row["metric"]), row["params"], lang)
    return action_text("finding", str(row["code"]), row["params"], lang)


def item_label(row: Mapping[str, Any], lang: Lang = "zh") -> str:
    """The problem's name, as the diagnosis titles it."""
    from ...review.diagnosis import Finding

    f = Finding(str(row["code"]), "low", row["params"], metric=row["metric"] if isinstance(row["metric"], str) else None)
    return finding_title(f, lang)


def _fmt(v: Any, unit: str, lang: Lang) -> str:
    return "—" if is_missing(v) else fmt_value(v, unit or "count", lang)


def actions_table(actions: pd.DataFrame, lang: Lang = "zh") -> str:
    """The action rows (rank, problem, this session, compared with, target, lever, impact, action) as an HTML table."""
    from ...review.diagnosis import Finding

    rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in actions.to_dict("records")]

    def compared(r: dict[str, Any]) -> str:
        if is_missing(r["reference"]):
            return "—"
        n = None if is_missing(r["reference_n"]) else int(r["reference_n"])
        return f"{scope_text(r['reference_scope'], n, lang)} {_fmt(r['reference'], r['unit'], lang)}"

    def now(r: dict[str, Any]) -> str:
        value = _fmt(r["current"], r["unit"], lang)
        name = r.get("name")
        return value if not isinstance(name, str) or name == r["metric"] else f"{figure_name(name, lang)} {value}"

    def impact(r: dict[str, Any]) -> str:
        return "—" if is_missing(r["impact"]) else impact_text(Finding("x", "low", impact=float(r["impact"])), lang)

    return table(pd.DataFrame({
        t("next_steps_rank", lang): [str(i) for i in range(1, len(rows) + 1)],
        t("next_steps_item", lang): [item_label(r, lang) for r in rows],
        t("next_steps_now", lang): [now(r) for r in rows],
        t("next_steps_compare", lang): [compared(r) for r in rows],
        t("next_steps_target", lang): [_fmt(r["target"], r["unit"], lang) for r in rows],
        t("next_steps_lever", lang): [lever_text(r["lever"], lang) for r in rows],
        t("next_steps_impact", lang): [impact(r) for r in rows],
        t("next_steps_action", lang): [row_action(r, lang) for r in rows]}))


def factor_why(row: Mapping[str, Any], n: int, titles: Mapping[str, str], lang: Lang = "zh") -> str:
    """Why a factor's target is what it is (trend / median / hold / no history), and the problems on its lever."""
    rule = str(row["rule"])
    if rule in ("trend", "median") and not is_missing(row["current"]) and not is_missing(row["target"]):
        direction = REGISTRY[str(row["factor"])].direction if row["factor"] in REGISTRY else "higher"
        ahead = row["current"] >= row["target"] if direction == "higher" else row["current"] <= row["target"]
        if ahead and row["factor"] != "gmv":
            rule = "hold"
    text = t(f"next_steps_why_{rule}", lang, n=n)
    found = [titles.get(fid, fid) for fid in (row["findings"] or ())]
    if found:
        text += t("next_steps_why_findings", lang, items=("、" if lang == "zh" else ", ").join(found))
    return text


def factors_table(data: NextStepsData, titles: Mapping[str, str] | None = None, lang: Lang = "zh") -> str:
    """The GMV factors (factor, lever, this session, room median, trend, target, why) as an HTML table."""
    f = data.factors
    titles = titles or {}
    n = data.n_history

    def col(values: pd.Series) -> list[str]:
        return [fmt_value(v, REGISTRY[k].unit, lang) for k, v in zip(f["factor"], values, strict=True)]

    def trend(k: str, slope: Any) -> str:
        return "—" if is_missing(slope) else ("+" if slope >= 0 else "−") + fmt_value(abs(slope), REGISTRY[k].unit, lang)

    rows = [{str(k): v for k, v in r.items()} for r in f.to_dict("records")]
    shown = pd.DataFrame({t("next_steps_factor", lang): [REGISTRY[k].label(lang) for k in f["factor"]],
                          t("next_steps_lever", lang): [lever_text(x or None, lang) for x in f["lever"]],
                          t("next_steps_now", lang): col(f["current"]),
                          t("next_steps_median", lang, n=n): col(f["median"]),
                          t("next_steps_trend", lang): [trend(k, s) for k, s in zip(f["factor"], f["slope"], strict=True)],
                          t("next_steps_target", lang): col(f["target"]),
                          t("next_steps_why", lang): [factor_why(r, n, titles, lang) for r in rows]})
    return table(shown, numeric=list(shown.columns[2:6]))


def render(data: NextStepsData, lang: Lang = "zh") -> list:
    """The action table (one row per finding), the GMV factor targets with their reasons, the schedule's plan."""
    items: list = []
    if data.actions.empty:
        items.append(note(t("next_steps_none", lang), "good"))
    else:
        items += [note(t("next_steps_order", lang), "info"), actions_table(data.actions, lang)]
    if data.factors.empty:
        items.append(note(t("next_steps_gmv_na", lang), "na"))
    else:
        titles = {str(r["finding"]): item_label({str(k): v for k, v in r.items()}, lang)
                  for r in data.actions.to_dict("records")}
        items += [note(t("next_steps_gmv_title", lang), "info"), factors_table(data, titles, lang)]
    if data.planned_gmv is not None:
        items.append(note(t("next_steps_plan", lang, plan=fmt_value(data.planned_gmv, "CNY", lang),
                            viewers=fmt_value(data.planned_viewers, "people", lang)), "info"))
    return items
