"""Rendering of section 9 — 下一步 Next steps: the action table and the GMV target, in 中文 or English.

Turns :class:`liveops_nb.review.next_steps.NextStepsData` into displayable items. The actions'
words are here: :data:`METRIC_ACTIONS` per metric key, :data:`FINDING_ACTIONS` per diagnosis rule
code (templates over the finding's evidence).
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
from .diagnosis import RULES

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
    "next_steps_item": ("问题 / 指标", "Gap"),
    "next_steps_now": ("本场", "This session"),
    "next_steps_target": ("下场目标", "Next target"),
    "next_steps_action": ("行动", "Action"),
    "next_steps_none": ("本场没有明显短板，保持当前打法", "No clear gaps this session; keep the current plan"),
    "next_steps_gmv_title": ("下场 GMV 目标拆解：流量 × 转化 × 客单", "Next GMV target: traffic × conversion × order value"),
    "next_steps_gmv_na": ("GMV 拆解：此数据源无法提供（需要观看人数、成交人数和成交金额）",
                          "GMV decomposition: not available from this source (needs viewers, buyers and GMV)"),
    "next_steps_factor": ("因子", "Factor"),
    "next_steps_plan": ("按下场计划目标", "To reach the next session's plan"),
    "next_steps_keep": ("保持", "keep"),
    "next_steps_target_rule": ("目标 = 房间近10场中位数与同品类 P50 中，比本场更好且更接近的一个",
                               "Target = whichever of the room's last-10 median and the category P50 is better than this "
                               "session and nearer to it"),
})


class _Safe(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def action_text(source: str, key: str, params: Mapping[str, Any] | None = None, lang: Lang = "zh") -> str:
    """The action for a weak metric (``source="metric"``, ``key`` a metric key) or a diagnosis finding
    (``source="finding"``, ``key`` a rule code; ``params`` its evidence fill the template, "—" if absent)."""
    if source == "metric":
        pair = METRIC_ACTIONS.get(key, METRIC_ACTIONS["default"])
    else:
        pair = FINDING_ACTIONS[key]
    text = pair[0] if lang == "zh" else pair[1]
    return text.format_map(_Safe(params or {}))


def item_label(source: str, key: str, lang: Lang = "zh") -> str:
    """The gap's name: the metric label or the diagnosis rule's title."""
    if source == "metric":
        return REGISTRY[key].label(lang)
    title = RULES[key].title
    return title[0] if lang == "zh" else title[1]


def _fmt(v: Any, unit: str, lang: Lang, keep: bool = False) -> str:
    if is_missing(v):
        return t("next_steps_keep", lang) if keep else "—"
    return fmt_value(v, unit or "count", lang)


def actions_table(actions: pd.DataFrame, lang: Lang = "zh") -> str:
    """The action rows (gap, now, target, action) as an HTML table."""
    rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in actions.to_dict("records")]
    return table(pd.DataFrame({
        t("next_steps_item", lang): [item_label(r["source"], r["key"], lang) for r in rows],
        t("next_steps_now", lang): [_fmt(r["current"], r["unit"], lang) for r in rows],
        t("next_steps_target", lang): [_fmt(r["target"], r["unit"], lang, keep=r["source"] == "metric") for r in rows],
        t("next_steps_action", lang): [action_text(r["source"], r["key"], r["params"], lang) for r in rows]}))


def gmv_table(gmv: pd.DataFrame, lang: Lang = "zh") -> str:
    """The GMV decomposition (factor, now, target[, plan]) as an HTML table."""
    def col(values: pd.Series) -> list[str]:
        return [fmt_value(v, REGISTRY[k].unit, lang) for k, v in zip(gmv["factor"], values, strict=True)]

    shown = pd.DataFrame({t("next_steps_factor", lang): [REGISTRY[k].label(lang) for k in gmv["factor"]],
                          t("next_steps_now", lang): col(gmv["current"]),
                          t("next_steps_target", lang): col(gmv["target"])})
    if gmv["plan"].notna().any():
        shown[t("next_steps_plan", lang)] = col(gmv["plan"])
    return table(shown, numeric=list(shown.columns[1:]))


def render(data: NextStepsData, lang: Lang = "zh") -> list:
    """Action table (gap, now, target, action) and the GMV target decomposition."""
    items: list = []
    if data.actions.empty:
        items.append(note(t("next_steps_none", lang), "good"))
    else:
        items += [note(t("next_steps_target_rule", lang), "info"), actions_table(data.actions, lang)]
    if data.gmv.empty:
        items.append(note(t("next_steps_gmv_na", lang), "na"))
    else:
        items += [note(t("next_steps_gmv_title", lang), "info"), gmv_table(data.gmv, lang)]
    return items
