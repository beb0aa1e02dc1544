"""Plain-language verdict of an experiment, in 中文 or English.

Rules: a failed SRM check (p < 0.001) withholds every verdict; a significant
result names the direction, the relative effect, its interval and p; a
non-significant one says which changes the test could have detected (the MDE
at the achieved sample size) -- never that the change does nothing.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Optional

from liveops_nb.abtest.analysis import Analysis, Comparison, SrmCheck
from liveops_nb.abtest.data import Experiment
from liveops_nb.render.i18n import Lang, register, t
from liveops_nb.metrics import REGISTRY

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
    "abtest_adjusted_note": ("（已按直播间×时段调整）", " (adjusted for room × time slot)"),
    "abtest_corrected_note": ("（{method} 多重比较校正后）", " ({method}-corrected for multiple arms)"),
    "abtest_nothing_yet": ("还没有可分析的样本（实验尚未开始或没有分组记录）。",
                           "Nothing to analyse yet (the experiment has not started or has no assignments)."),
    "abtest_good": ("利好", "good"), "abtest_bad": ("不利", "bad"),
    "abtest_direction_lower": ("（该指标越低越好）", " (lower is better for this metric)"),
})

Kind = Literal["good", "bad", "info", "warn", "na"]


@dataclass(frozen=True)
class Verdict:
    """One verdict line: ``kind`` picks the note colour, ``metric``/``treatment`` say what it is about."""

    kind: Kind
    text: str
    metric: Optional[str] = None
    treatment: Optional[str] = None


def variant_label(exp: Experiment, variant: str, lang: Lang = "zh") -> str:
    """``"话术B"`` / ``"script B"``: the experiment variable's word plus the variant name."""
    key = f"abtest_var_{exp.variable}" if exp.variable in ("script", "scene", "lineup", "creative", "coupon") \
        else "abtest_var_other"
    return f"{t(key, lang)}{variant}"


def pct(x: float, signed: bool = False) -> str:
    """A relative effect as a percentage: ``0.1234 -> "12.3%"`` (``+12.3%`` when ``signed``); ±inf as ∞."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if math.isinf(x):
        return "+∞" if x > 0 else "−∞"
    return f"{x * 100:+.1f}%" if signed else f"{x * 100:.1f}%"


def fmt_p(p: float) -> str:
    """``p=0.003``; ``p<0.001`` below one in a thousand."""
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"


def level_text(alpha: float) -> str:
    """``0.05 -> "95%"``."""
    lv = (1 - alpha) * 100
    return f"{lv:.0f}%" if abs(lv - round(lv)) < 1e-9 else f"{lv:.1f}%"


def split_text(counts: dict[str, int], weights: dict[str, float]) -> tuple[str, str]:
    """(observed "A 3,100 / B 2,900", planned "A 50% / B 50%")."""
    obs = " / ".join(f"{v} {n:,}" for v, n in counts.items())
    plan = " / ".join(f"{v} {w * 100:.0f}%" for v, w in weights.items() if w > 0)
    return obs, plan


def srm_text(srm: SrmCheck, lang: Lang = "zh") -> str:
    """The SRM line: a block message when it fails, a short confirmation otherwise."""
    obs, plan = split_text(srm.counts, srm.weights)
    p = f"{srm.p_value:.2g}" if srm.p_value < 0.001 else f"{srm.p_value:.3f}"
    key = "abtest_srm_ok" if srm.ok else "abtest_srm_block"
    return t(key, lang, p=p, thr=f"{srm.threshold:g}", obs=obs, plan=plan)


def comparison_text(c: Comparison, exp: Experiment, lang: Lang = "zh", method: str = "holm",
                    n_treatments: int = 1, power: float = 0.8) -> Verdict:
    """The sentence for one treatment-vs-control comparison (see module docstring)."""
    treat = variant_label(exp, c.treatment, lang)
    metric = REGISTRY[c.metric].label(lang)
    if c.rel is None:
        return Verdict("na", t("abtest_verdict_error", lang, treat=treat, metric=metric, msg=c.error or ""),
                       c.metric, c.treatment)
    rel, lo, hi = c.decision
    p = c.p_adjusted
    suffix = t("abtest_adjusted_note", lang) if c.adjusted is not None else ""
    if n_treatments > 1:
        suffix += t("abtest_corrected_note", lang, method="Holm" if method == "holm" else "BH")
    level = level_text(c.rel.alpha)
    if c.significant:
        verb = t("abtest_up" if rel > 0 else "abtest_down", lang)
        text = t("abtest_sig", lang, treat=treat, metric=metric, verb=verb, rel=pct(abs(rel)), level=level,
                 lo=pct(lo), hi=pct(hi), p=fmt_p(p))
        better = (rel > 0) == (REGISTRY[c.metric].direction != "lower")
        kind: Kind = "info" if REGISTRY[c.metric].direction == "neutral" else ("good" if better else "bad")
        if REGISTRY[c.metric].direction == "lower":
            suffix += t("abtest_direction_lower", lang)
        return Verdict(kind, text + suffix, c.metric, c.treatment)
    args = dict(treat=treat, metric=metric, rel=pct(rel, signed=True), level=level, lo=pct(lo), hi=pct(hi),
                p=fmt_p(p))
    if c.mde is None or not math.isfinite(c.mde):
        return Verdict("warn", t("abtest_nonsig_nomde", lang, **args) + suffix, c.metric, c.treatment)
    text = t("abtest_nonsig", lang, mde=pct(c.mde), power=f"{power * 100:.0f}%", **args)
    return Verdict("warn", text + suffix, c.metric, c.treatment)


def reason(err: BaseException, lang: Lang = "zh") -> str:
    """Why a metric cannot be tested, in ``lang`` when the error carries a translation."""
    return err.text(lang) if hasattr(err, "text") else str(err)


def verdicts(a: Analysis, lang: Lang = "zh", metric: Optional[str] = None) -> list[Verdict]:
    """Verdict lines for ``metric`` (default: the first analysed metric); only the SRM block if SRM fails."""
    if not a.srm.ok:
        return [Verdict("bad", srm_text(a.srm, lang))]
    if not sum(a.srm.counts.values()):
        return [Verdict("na", t("abtest_nothing_yet", lang))]
    key = metric or (a.metrics[0] if a.metrics else None)
    if key in a.errors:
        return [Verdict("na", f"{REGISTRY[key].label(lang)}: {t('not_available', lang)}（{reason(a.errors[key], lang)}）"
                        if lang == "zh" else
                        f"{REGISTRY[key].label(lang)}: {t('not_available', lang)} ({reason(a.errors[key], lang)})", key)]
    return [comparison_text(c, a.experiment, lang, a.options.correction, len(a.treatments), a.options.power)
            for c in a.comparisons if c.metric == key]


# ---------------------------------------------------------------- HTML blocks of the page (pure: data in, HTML out)
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
    "abtest_adjusted_title": ("按直播间×时段调整后（WLS 回归 y ~ 组别 + 直播间 + 时段，HC1 稳健标准误；结论依据此结果）",
                              "Adjusted for room × time slot (WLS y ~ variant + room + slot, HC1 robust SEs; "
                              "the verdict uses this)"),
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
    "abtest_type_proportion": ("比例指标，Wald z 检验", "proportion metric, Wald z-test"),
    "abtest_plan_text": ("以实验直播间开始前 {start}～{end} 的历史为基线（{n} 个{unit}，{metric} {mean}{sd}），"
                         "要以 {power} 把握度（α={alpha}）检测出 {effect} 的变化，每组需要 {need} 个{unit}。",
                         "With the experiment rooms' history from {start} to {end} as the baseline ({n} {unit}s, "
                         "{metric} {mean}{sd}), detecting a {effect} change with {power} power (α={alpha}) needs "
                         "{need} {unit}s per arm."),
    "abtest_plan_weeks": ("按历史每周场次，{arms} 组共需约 {weeks} 周。", "At the historical pace, {arms} arms need about {weeks} weeks."),
    "abtest_plan_short": ("注意：实验前只有 {weeks} 周历史（计划用 8 周）。", "Note: only {weeks} weeks of history before the start (8 planned)."),
    "abtest_plan_error": ("无法估算样本量：{msg}", "Cannot plan the sample size: {msg}"),
    "abtest_unit_word_viewer": ("观众", "viewer"), "abtest_unit_word_session": ("场次", "session"),
    "abtest_seg_new": ("新观众", "new viewers"), "abtest_seg_returning": ("老观众", "returning viewers"),
    "abtest_by_room": ("按直播间", "By room"), "abtest_by_segment": ("新老观众（新 = 实验开始后首次出现且此前未进过该直播间）",
                                                              "New vs returning (new = first seen after the start, no earlier visit to the room)"),
})


def _unit_word(unit: str, lang: Lang) -> str:
    return t(f"abtest_unit_word_{unit}", lang)


def card_html(exp: Experiment, room_names: dict[str, str], lang: Lang = "zh") -> str:
    """The experiment card: hypothesis, unit, variable, dates, planned split, rooms, primary metric, status."""
    from liveops_nb.render.html import esc

    rooms = "、".join(f"{room_names.get(r, r)}（{r}）" if lang == "zh" else f"{room_names.get(r, r)} ({r})"
                     for r in exp.room_ids) or t("abtest_all_rooms", lang)
    metric = REGISTRY[exp.primary_metric].label(lang) if exp.primary_metric in REGISTRY else exp.primary_metric
    cells = [("abtest_card_unit", t(f"abtest_unit_{exp.unit}", lang)),
             ("abtest_card_variable", t(f"abtest_var_{exp.variable}" if exp.variable != "other" else "abtest_var_other",
                                        lang).strip()),
             ("abtest_card_dates", f"{exp.start:%Y-%m-%d} ～ {exp.end:%Y-%m-%d}"),
             ("abtest_card_split", " / ".join(f"{v} {w * 100:.0f}%" for v, w in exp.split)),
             ("abtest_card_rooms", rooms), ("abtest_card_primary", metric),
             ("abtest_card_status", t(f"abtest_status_{exp.status}", lang))]
    cards = "".join(f'<div class="lo-card"><div class="lbl">{esc(t(k, lang))}</div>'
                    f'<div class="cmp" style="font-size:14px;color:#262626">{esc(v)}</div></div>' for k, v in cells)
    return (f'<div class="lo"><div style="font-size:16px;font-weight:700">{esc(exp.experiment_id)} · {esc(exp.name)}</div>'
            f'<div class="lo-note lo-info">{esc(t("abtest_card_hypothesis", lang))}：{esc(exp.hypothesis)}</div>'
            f'<div class="lo-cards">{cards}</div></div>')


def fmt_abs(key: str, v: float, lang: Lang = "zh") -> str:
    """An absolute difference in the metric's unit: rates in percentage points, money with ¥."""
    from liveops_nb.render.fmt import fmt_value

    if v is None or not math.isfinite(v):
        return "—"
    unit = REGISTRY[key].unit
    if unit == "ratio":
        return f"{v * 100:+.2f}{t('abtest_pp', lang)}"
    sign = "+" if v >= 0 else "−"
    if unit in ("CNY", "seconds"):
        return sign + fmt_value(abs(v), unit, lang)
    return f"{v:+,.3g}" if abs(v) < 10 else f"{v:+,.1f}"


def results_html(a: Analysis, key: str, lang: Lang = "zh") -> list[str]:
    """Results of one metric: a table with the control row and one row per treatment, plus method notes."""
    import pandas as pd

    from liveops_nb.render.fmt import fmt_value
    from liveops_nb.render.html import esc, note, table

    m = REGISTRY[key]
    comps = [c for c in a.comparisons if c.metric == key]
    ctl = next((c.rel for c in comps if c.rel is not None), None)
    level = level_text(a.options.alpha)
    cols = [t(k, lang, level=level) for k in ("abtest_col_variant", "abtest_col_n", "abtest_col_value", "abtest_col_abs",
                                              "abtest_col_rel", "abtest_col_ci", "abtest_col_p", "abtest_col_padj",
                                              "abtest_col_ctw")]
    arms = a.arms.get(key, {})
    rows = [[variant_label(a.experiment, a.control, lang) + t("abtest_control_tag", lang),
             f"{arms[a.control].n:,}" if a.control in arms else "—",
             fmt_value(ctl.control_value if ctl else None, m.unit, lang), "", "", "", "", "", ""]]
    for c in comps:
        r = c.rel
        rows.append([variant_label(a.experiment, c.treatment, lang), f"{arms[c.treatment].n:,}" if c.treatment in arms else "—",
                     fmt_value(r.treatment_value if r else None, m.unit, lang), fmt_abs(key, c.abs.effect if c.abs else None, lang),
                     pct(r.effect, True) if r else "—", f"{pct(r.ci_low, True)} ～ {pct(r.ci_high, True)}" if r else "—",
                     fmt_p(r.p_value)[2:] if r else "—", fmt_p(c.p_unadjusted_corrected)[2:] if r else "—",
                     f"{c.bayes.chance_to_win * 100:.0f}%" if c.bayes else (c.error or "—")])
    kind = comps[0].kind if comps else "mean"
    head = f'<div class="lo" style="font-weight:600;margin-top:8px">{esc(m.label(lang))} · {esc(t(f"abtest_type_{kind}", lang))}</div>'
    out = [head, table(pd.DataFrame(rows, columns=cols), numeric=cols[1:])]
    if a.options.sequential:
        out.append(note(t("abtest_sequential_note", lang), "info"))
    if a.options.cuped:
        theta = next((c.rel.theta for c in comps if c.rel is not None and c.rel.theta is not None), None)
        out.append(note(t("abtest_cuped_used", lang, days=a.options.pre_days, theta=f"{theta:.3g}") if theta is not None
                        else t("abtest_cuped_ratio", lang), "info"))
    if a.experiment.unit == "session" and not a.options.sequential and comps:
        adj = [c for c in comps if c.adjusted is not None]
        if not adj:
            out.append(note(t("abtest_adjusted_none", lang), "warn"))
        else:
            acols = [t(k, lang, level=level) for k in ("abtest_col_treatment", "abtest_col_abs", "abtest_col_rel",
                                                       "abtest_col_ci", "abtest_col_p", "abtest_col_padj")]
            arows = [[variant_label(a.experiment, c.treatment, lang), fmt_abs(key, c.adjusted.effect, lang),
                      pct(c.adjusted.rel, True), f"{pct(c.adjusted.rel_low, True)} ～ {pct(c.adjusted.rel_high, True)}",
                      fmt_p(c.adjusted.p_value)[2:], fmt_p(c.p_adjusted)[2:]] for c in adj]
            out += [note(t("abtest_unadjusted_note", lang), "info"),
                    f'<div class="lo" style="font-weight:600">{esc(t("abtest_adjusted_title", lang))}</div>',
                    table(pd.DataFrame(arows, columns=acols), numeric=acols[1:])]
    return out


def planner_html(p, lang: Lang = "zh") -> str:
    """The power/MDE planner's sentence (an :class:`~liveops_nb.abtest.analysis.Plan`)."""
    from liveops_nb.render.fmt import fmt_value
    from liveops_nb.render.html import note

    if p.error:
        return note(t("abtest_plan_error", lang, msg=p.error_zh if lang == "zh" and p.error_zh else p.error), "na")
    m = REGISTRY[p.metric]
    sd = "" if p.baseline_sd is None else (f"，单位标准差 {fmt_value(p.baseline_sd, m.unit, lang)}" if lang == "zh"
                                           else f", per-unit sd {fmt_value(p.baseline_sd, m.unit, lang)}")
    text = t("abtest_plan_text", lang, start=f"{p.history_start:%Y-%m-%d}", end=f"{p.history_end:%Y-%m-%d}",
             n=f"{p.baseline_units:,}", unit=_unit_word(p.unit, lang), metric=m.label(lang),
             mean=fmt_value(p.baseline_mean, m.unit, lang), sd=sd, power=f"{p.power * 100:.0f}%", alpha=f"{p.alpha:g}",
             effect=pct(p.effect, True), need=f"{p.n_per_arm:,}")
    if p.weeks_needed is not None:
        text += " " + t("abtest_plan_weeks", lang, arms=p.arms, weeks=f"{p.weeks_needed:.1f}")
    weeks = (p.history_end - p.history_start).total_seconds() / (7 * 86400)
    if weeks < 7.9:
        text += " " + t("abtest_plan_short", lang, weeks=f"{weeks:.1f}")
    return note(text, "info")
