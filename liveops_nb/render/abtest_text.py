"""The A/B package's words (中文 / English), registered in the one bilingual table of :mod:`liveops_nb.render.i18n`.

``abtest_reason_<code>`` entries say why a metric or a comparison cannot be computed, for the
reason codes of :mod:`liveops_nb.abtest.errors` (``{label}``: the metric's label, ``{key}``/``{metric}``:
its key, ``{unit_word}``: viewer/session in words, ``{message}``: the error's English message).
"""
from __future__ import annotations

from liveops_nb.render.i18n import register

REASONS: dict[str, tuple[str, str]] = {
    "abtest_reason_unknown_metric": ("“{key}” 不是已注册的指标", "'{key}' is not a registered metric"),
    "abtest_reason_not_per_unit": ("{label} 无法按{unit_word}计算", "{label} cannot be measured per {unit_word}"),
    "abtest_reason_not_per_viewer": ("无法按观众计算：{bases}", "not measurable per viewer: {bases}"),
    "abtest_reason_needs_viewer_level": ("按观众分流的实验需要观众级明细（行为事件、订单表）",
                                         "viewer-level tests need the viewer-level tables (viewer events, orders)"),
    "abtest_reason_history_needs_viewer_level": ("按观众的历史基线需要观众级明细（行为事件表）",
                                                 "per-viewer history needs the viewer-level viewer events table"),
    "abtest_reason_missing_inputs": ("{label} 缺少所需数据：{reason}", "{label} lacks the data it needs: {reason}"),
    "abtest_reason_no_segment_split": ("{label} 无法按新老观众拆分", "{label} cannot be split by viewer segment"),
    "abtest_reason_segments_need_viewer_level": ("新老观众拆分需要观众级明细（行为事件表）",
                                                 "new vs returning viewers needs the viewer-level viewer events table"),
    "abtest_reason_insufficient_data": ("样本太少，无法估计（每组至少需要 2 个单位）", "{message}"),
    "abtest_reason_zero_variance": ("两组数值都没有波动（方差为 0），无法计算标准误", "{message}"),
    "abtest_reason_zero_baseline": ("对照组数值为 0，无法计算相对变化", "the control value is 0, so a relative change is undefined"),
    "abtest_reason_unknown_variant": ("“{variant}” 不是本实验的组别（组别：{variants}）",
                                      "variant '{variant}' is not one of this experiment's variants ({variants})"),
}
REASON_CODES = frozenset(k.removeprefix("abtest_reason_") for k in REASONS)
register(REASONS)

# verdict sentences
register({
    "abtest_var_script": ("话术", "script "), "abtest_var_scene": ("场景", "scene "),
    "abtest_var_lineup": ("排品", "line-up "), "abtest_var_creative": ("素材", "creative "),
    "abtest_var_coupon": ("优惠券", "coupon "), "abtest_var_other": ("方案", "variant "),
    "abtest_up": ("提升", "raised"), "abtest_down": ("降低", "lowered"),
    "abtest_sig": ("{treat} 使{metric}{verb} {rel}（{level} 区间 {lo}～{hi}，{p}）",
                   "{treat} {verb} {metric} by {rel} ({level} interval {lo} to {hi}, {p})"),
    "abtest_nonsig": ("不显著：本次实验只能检测出大于 {mde} 的变化（{power} 把握度）。{treat} 对{metric}的估计影响为 "
                      "{rel}（{level} 区间 {lo}～{hi}，{p}），更小的变化仍可能存在",
                      "not significant: this test could only have detected changes above {mde} (with {power} "
                      "power). Estimated effect of {treat} on {metric}: {rel} ({level} interval {lo} to {hi}, {p}); "
                      "smaller changes may still exist"),
    "abtest_nonsig_nomde": ("不显著：数据太少，无法估计本次实验能检测出的最小变化。{treat} 对{metric}的估计影响为 "
                            "{rel}（{level} 区间 {lo}～{hi}，{p}）",
                            "not significant: too little data to say which changes this test could detect. "
                            "Estimated effect of {treat} on {metric}: {rel} ({level} interval {lo} to {hi}, {p})"),
    "abtest_srm_block": ("样本比例失衡（SRM 检验 p={p} < {thr}）：实际分流 {obs}，计划 {plan}。"
                         "分流或埋点可能有问题，结论暂不给出，请先排查。",
                         "Sample ratio mismatch (SRM p={p} < {thr}): assigned {obs}, planned {plan}. "
                         "The assignment or tracking may be broken, so no verdict is given until it is fixed."),
    "abtest_srm_ok": ("分流比例正常（SRM 检验 p={p}）：实际 {obs}，计划 {plan}。",
                      "Split as planned (SRM p={p}): assigned {obs}, planned {plan}."),
    "abtest_verdict_error": ("{treat} 的{metric}无法检验：{msg}", "{treat}: {metric} cannot be tested: {msg}"),
    "abtest_adjusted_note": ("（已按{terms}调整）", " (adjusted for {terms})"),
    "abtest_adjusted_note_none": ("（场次回归：只有一个直播间、一个时段，无需调整）",
                                  " (session regression: one room and one time slot, nothing to adjust for)"),
    "abtest_term_room_id": ("直播间", "room"), "abtest_term_slot": ("时段", "time slot"),
    "abtest_corrected_note": ("（{method} 多重比较校正后）", " ({method}-corrected for multiple arms)"),
    "abtest_nothing_yet": ("暂无数据：实验尚未开始或还没有分组记录，暂不下结论。",
                           "No data yet: the experiment has not started or no unit is assigned, so there is no verdict."),
    "abtest_direction_lower": ("（该指标越低越好）", " (lower is better for this metric)"),
})

# the page's tables, card and planner
register({
    "abtest_card_hypothesis": ("假设", "Hypothesis"), "abtest_card_unit": ("随机化单位", "Unit"),
    "abtest_card_dates": ("实验时间", "Dates"), "abtest_card_split": ("计划分流", "Planned split"),
    "abtest_card_rooms": ("直播间", "Rooms"), "abtest_card_primary": ("主指标", "Primary metric"),
    "abtest_card_status": ("状态", "Status"), "abtest_card_variable": ("实验变量", "Variable"),
    "abtest_unit_viewer": ("观众（按人分流）", "viewer (people are randomised)"),
    "abtest_unit_session": ("场次（按场分流）", "session (broadcasts are randomised)"),
    "abtest_status_planned": ("计划中", "planned"), "abtest_status_running": ("进行中", "running"),
    "abtest_status_finished": ("已结束", "finished"), "abtest_all_rooms": ("全部直播间", "all rooms"),
    "abtest_col_variant": ("组别", "Variant"), "abtest_col_n": ("样本量", "Units"),
    "abtest_col_value": ("数值", "Value"), "abtest_col_abs": ("绝对差", "Absolute effect"),
    "abtest_col_rel": ("相对差", "Relative effect"), "abtest_col_ci": ("{level} 区间（相对）", "{level} interval (relative)"),
    "abtest_col_p": ("p 值", "p-value"), "abtest_col_padj": ("校正后 p", "Corrected p"),
    "abtest_col_ctw": ("胜出概率", "Chance to win"), "abtest_control_tag": ("（对照）", " (control)"),
    "abtest_col_group": ("分组", "Group"), "abtest_col_treatment": ("实验组", "Treatment"),
    "abtest_pp": (" 个百分点", " pp"),
    "abtest_adjusted_title": ("按{terms}调整后（WLS 回归 y ~ 组别{formula}，HC1 稳健标准误；相对差的区间与 p 值"
                              "出自同一回归；结论依据此结果）",
                              "Adjusted for {terms} (WLS y ~ variant{formula}, HC1 robust SEs; the relative "
                              "interval and p-value come from this regression; the verdict uses this)"),
    "abtest_adjusted_title_none": ("场次回归（WLS 回归 y ~ 组别，HC1 稳健标准误；只有一个直播间、一个时段，无需调整；"
                                   "相对差的区间与 p 值出自同一回归；结论依据此结果）",
                                   "Session regression (WLS y ~ variant, HC1 robust SEs; one room and one time "
                                   "slot, nothing to adjust for; the relative interval and p-value come from this "
                                   "regression; the verdict uses this)"),
    "abtest_adjusted_none": ("场次太少，无法做直播间×时段调整，结论依据未调整结果。",
                             "Too few sessions for the room × slot adjustment; the verdict uses the unadjusted result."),
    "abtest_unadjusted_note": ("上表为未调整结果（delta 方法）。", "The table above is unadjusted (delta method)."),
    "abtest_cuped_used": ("已用 CUPED（实验前 {days} 天同一指标作协变量，θ={theta}）。",
                          "CUPED applied (same metric over the {days} days before the start, θ={theta})."),
    "abtest_cuped_ratio": ("比率指标不做 CUPED（使用 delta 方法）。", "CUPED is not applied to ratio metrics (delta method)."),
    "abtest_sequential_note": ("序贯检验：区间为随时有效的置信序列（可随时查看而不增加误判）。",
                               "Sequential test: intervals are always-valid confidence sequences (safe to peek)."),
    "abtest_type_ratio": ("比率指标，delta 方法", "ratio metric, delta method"),
    "abtest_type_mean": ("均值指标，Welch t 检验", "mean metric, Welch t-test"),
    "abtest_type_proportion": ("比例指标，Welch t 检验", "proportion metric, Welch t-test"),
    "abtest_plan_text": ("以实验直播间开始前 {start}～{end} 的历史为基线（{n} 个{unit}，{metric} {mean}{sd}），"
                         "要以 {power} 把握度（α={alpha}）检测出 {effect} 的变化，每组需要 {need} 个{unit}。",
                         "With the experiment rooms' history from {start} to {end} as the baseline ({n} {unit}s, "
                         "{metric} {mean}{sd}), detecting a {effect} change with {power} power (α={alpha}) needs "
                         "{need} {unit}s per arm."),
    "abtest_plan_weeks": ("按历史每周场次，{arms} 组共需约 {weeks} 周。",
                          "At the historical pace, {arms} arms need about {weeks} weeks."),
    "abtest_plan_short": ("注意：实验前只有 {weeks} 周历史（计划用 8 周）。",
                          "Note: only {weeks} weeks of history before the start (8 planned)."),
    "abtest_plan_error": ("无法估算样本量：{msg}", "Cannot plan the sample size: {msg}"),
    "abtest_unit_word_viewer": ("观众", "viewer"), "abtest_unit_word_session": ("场次", "session"),
    "abtest_seg_new": ("新观众", "new viewers"), "abtest_seg_returning": ("老观众", "returning viewers"),
    "abtest_by_room": ("按直播间", "By room"),
    "abtest_by_segment": ("新老观众（新 = 实验开始后首次出现且此前未进过该直播间）",
                          "New vs returning (new = first seen after the start, no earlier visit to the room)"),
})

# the conclusions archive
register({
    "abtest_decision_ship": ("上线实验组", "Ship the treatment"),
    "abtest_decision_keep_control": ("保留对照组", "Keep control"),
    "abtest_decision_iterate": ("继续迭代", "Iterate"),
    "abtest_arch_empty": ("知识库里还没有归档的实验结论。", "The knowledge base has no archived verdicts yet."),
    "abtest_arch_count": ("共 {n} 条结论（{k} 个实验）。", "{n} results from {k} experiments."),
    "abtest_arch_any": ("全部", "any"), "abtest_arch_download": ("下载 CSV（Excel 可直接打开）", "Download CSV (opens in Excel)"),
    "abtest_arch_refresh": ("刷新", "Refresh"),
})
