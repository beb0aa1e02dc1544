"""The segment board's words (中文 / English): layer names, actions, headings, definitions."""
from __future__ import annotations

from ..i18n import Lang, register, t

register({
    # layers and their suggested actions
    "seg_layer_new": ("新客", "New"),
    "seg_layer_active": ("活跃", "Active"),
    "seg_layer_high_value": ("高价值", "High-value"),
    "seg_layer_at_risk": ("流失预警", "At risk"),
    "seg_layer_dormant": ("沉睡", "Dormant"),
    "seg_action_new_customer_gift": ("新客礼：首单后 7 天内送复购券或小样", "New-customer gift: a repeat coupon or sample within 7 days"),
    "seg_action_member_points": ("会员积分：入会、积分加倍、直播间专属价", "Member points: join, double points, room-only prices"),
    "seg_action_vip_perks": ("专属权益：优先购、专属客服、新品试用", "VIP perks: early access, personal service, new-product trials"),
    "seg_action_reminder_coupon": ("召回提醒：开播提醒 + 限时券", "Reminder: broadcast alerts plus a time-limited coupon"),
    "seg_action_win_back_coupon": ("唤醒券：大额回归券 + 私域触达", "Win-back coupon: a generous return coupon via private domain"),
    # the header
    "seg_title": ("用户分层看板", "User-segment board"),
    "seg_header": ("{room} · 截至 {as_of} · 本{period} {start} – {as_of}（对比上{period} {prev_start} – {prev_end}）",
                   "{room} · as of {as_of} · this {period} {start} – {as_of} (vs the previous {period} "
                   "{prev_start} – {prev_end})"),
    "seg_period_week": ("周", "week"),
    "seg_period_month": ("月", "month"),
    "seg_all_rooms": ("全部直播间", "All rooms"),
    "seg_pick_as_of": ("截至日期", "As of"),
    "seg_pick_period": ("周期", "Period"),
    "seg_pick_room": ("直播间", "Room"),
    "seg_rules": ("分层规则：新客 = 首购不足 {new} 天；流失预警 = {risk} 天以上未购；沉睡 = {dormant} 天以上未购；"
                  "高价值 = 复购 ≥ {freq} 天且每个复购日平均 ≥ {money}；其余为活跃。",
                  "Layer rules: new = first purchase less than {new} days ago; at risk = no purchase for "
                  "{risk}+ days; dormant = none for {dormant}+ days; high-value = ≥ {freq} repeat purchase days "
                  "averaging ≥ {money}; everybody else is active."),
    "seg_not_available": ("{what}：此数据源无法提供（需要明细表“{table}”）",
                          "{what}: not available from this source (needs the viewer-level table “{table}”)"),
    "seg_bad_selection": ("无法按所选条件展示：{msg}", "Cannot show this selection: {msg}"),
    # layers section
    "seg_col_layer": ("分层", "Layer"),
    "seg_col_buyers": ("买家数", "Buyers"),
    "seg_col_buyer_share": ("买家占比", "Share of buyers"),
    "seg_col_gmv": ("累计成交金额", "GMV to date"),
    "seg_col_gmv_share": ("GMV 占比", "GMV share"),
    "seg_col_before": ("上期末买家数", "Buyers at previous period end"),
    "seg_col_change": ("变化", "Change"),
    "seg_col_action": ("建议动作", "Suggested action"),
    "seg_col_export": ("导出", "Export"),
    "seg_download": ("下载用户ID（CSV）", "Download user ids (CSV)"),
    "seg_layers_note": ("{n} 位买家，按截至 {as_of} 的 RFM（以天计）分层；“上期末”为 {prev_end}。",
                        "{n} buyers, layered by their RFM (in days) as of {as_of}; “previous period end” is {prev_end}."),
    "seg_layers_empty": ("截至所选日期还没有买家。", "No buyers up to the chosen day."),
    # cohorts
    "seg_cohort_note": ("按首购月份分组：每格 = 该月新买家中在其后某月又有购买的比例（首购当月为 100%）；截至月份统计到截至日期。",
                        "Cohorts by first-purchase month: each cell = share of that month's new buyers who buy again so many "
                        "months later (the first month is 100%); the as-of month counts up to the as-of day."),
    "seg_cohort_title": ("首购月份留存（复购）", "Retention by first-purchase month"),
    "seg_cohort": ("首购月份", "First-purchase month"),
    "seg_cohort_offset": ("首购后月数", "Months since first purchase"),
    "seg_cohort_size": ("首购人数", "New buyers"),
    "seg_retention": ("留存率", "Retention"),
    # new vs returning
    "seg_nr_note": ("老观众/老买家 = 在该{period}开始前看过/买过（所选直播间）；每{period}每人只计一次。",
                    "Returning viewer/buyer = watched/bought before the {period} began (in the chosen rooms); "
                    "people counted once per {period}."),
    "seg_nr_title": ("老客占比趋势", "Returning share over time"),
    "seg_bucket": ("周期", "Period"),
    "seg_viewers": ("观众", "Viewers"),
    "seg_buyers": ("买家", "Buyers"),
    "seg_new_viewers": ("新观众", "New viewers"),
    "seg_returning_viewers": ("老观众", "Returning viewers"),
    "seg_returning_viewer_share": ("老观众占比", "Returning viewer share"),
    "seg_new_buyers": ("新买家", "New buyers"),
    "seg_returning_buyers": ("老买家", "Returning buyers"),
    "seg_returning_buyer_share": ("老买家占比", "Returning buyer share"),
    "seg_share": ("占比", "Share"),
    "seg_group": ("人群", "Group"),
    # spending tiers
    "seg_spend_note": ("本{period}（{start} – {as_of}）买家按本{period}支付金额分档（档位可在分层配置中修改）。",
                       "This {period}'s buyers ({start} – {as_of}) by what they paid in it (the tiers are configurable)."),
    "seg_tier": ("消费档位", "Spending tier"),
    "seg_tier_title": ("消费档位", "Spending tiers"),
    "seg_tier_under": ("< {hi}", "< {hi}"),
    "seg_tier_between": ("{lo} – {hi}", "{lo} – {hi}"),
    "seg_tier_over": ("≥ {lo}", "≥ {lo}"),
    "seg_period_gmv": ("本期成交金额", "GMV in the period"),
    # groups
    "seg_groups_note": ("本{period}（{start} – {as_of}）的观众与买家；指标均来自指标注册表（同一口径）。",
                        "This {period}'s viewers and buyers ({start} – {as_of}); every number comes from the metric registry."),
    "seg_regions": ("地域（观众 Top {n}）", "Regions (top {n} by viewers)"),
    "seg_tiers": ("会员等级", "Member tiers"),
    "seg_private": ("私域会员 vs 其他", "Private-domain members vs others"),
    "seg_region": ("地域", "Region"),
    "seg_member_tier": ("会员等级", "Member tier"),
    "seg_other": ("其他", "Other"),
    "seg_unknown": ("未知", "Unknown"),
    "seg_private_yes": ("私域会员", "Private-domain members"),
    "seg_private_no": ("其他观众", "Others"),
    "seg_private_gap": ("私域会员的观看-成交转化率是其他观众的 {x} 倍。",
                        "Private-domain members convert at {x}× the rate of the others."),
    # retention
    "seg_ret_title": ("次日回访率与复购率", "Next-day return and repurchase rates"),
    "seg_ret_current": ("本{period}", "This {period}"),
    "seg_ret_previous": ("上{period}", "Previous {period}"),
    "seg_metric": ("指标", "Metric"),
    "seg_value": ("数值", "Value"),
})


def layer_name(layer: str, lang: Lang) -> str:
    """A layer (``new``, ``at_risk`` …) in words."""
    return t(f"seg_layer_{layer}", lang)


def action_text(action: str, lang: Lang) -> str:
    """A suggested action code in words."""
    return t(f"seg_action_{action}", lang)


def period_word(granularity: str, lang: Lang) -> str:
    """"周" / "week" or "月" / "month"."""
    return t(f"seg_period_{granularity}", lang)


TITLES: dict[str, tuple[str, str]] = {
    "layers": ("RFM 分层", "RFM layers"),
    "cohorts": ("首购月份留存", "Cohort retention"),
    "new_returning": ("新老客趋势", "New vs returning"),
    "spending": ("消费档位", "Spending tiers"),
    "groups": ("地域、会员与私域", "Regions, member tiers and private domain"),
    "retention": ("次日回访与复购", "Next-day return and repurchase"),
}
"""Each section's heading (中文, English): the notebook's headings and the not-available notes."""


def title(name: str, lang: Lang) -> str:
    """Section ``name``'s heading in ``lang``."""
    zh, en = TITLES[name]
    return zh if lang == "zh" else en
