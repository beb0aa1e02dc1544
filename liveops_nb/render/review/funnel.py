"""Rendering of section 4 — 转化漏斗 Funnel: notes, funnel charts and tables in 中文 or English.

Turns :class:`liveops_nb.review.funnel.FunnelData` (tables, engine reasons, finding codes) into
displayable items.
"""
from __future__ import annotations

import pandas as pd

from ...charts import funnel as ch
from ...metrics import REGISTRY
from ...review.findings import Finding
from ...review.funnel import FunnelData
from ..fmt import fmt_value, is_missing
from ..html import note, table
from ..i18n import Lang, register, t
from ..metrics import reason_text
from . import sample

register({
    "funnel_step_impressions": ("曝光", "Impressions"),
    "funnel_step_uv": ("进入", "Entered"),
    "funnel_step_product_impression_uv": ("商品曝光", "Product impressions"),
    "funnel_step_product_click_uv": ("商品点击", "Product clicks"),
    "funnel_step_buyers": ("成交", "Bought"),
    "funnel_step_stayers": ("停留", "Stayed"),
    "funnel_step_interaction_uv": ("互动", "Interacted"),
    "funnel_step_buyers_template": ("下单", "Ordered"),
    "funnel_platform_title": ("平台漏斗（人数）：曝光 → 进入 → 商品曝光 → 商品点击 → 成交",
                              "Platform funnel (people): impressions → entered → product impressions → clicks → bought"),
    "funnel_template_title": ("复盘模板漏斗（人数）：曝光 → 进入 → 停留 → 互动 → 下单",
                              "Template funnel (people): impressions → entered → stayed → interacted → ordered"),
    "funnel_template_na": ("复盘模板漏斗（曝光 → 进入 → 停留 → 互动 → 下单）：{na}——“停留”需要观众级行为数据（每人累计观看时长）。",
                           "Template funnel (impressions → entered → stayed → interacted → ordered): {na} — "
                           "“stayed” needs viewer-level events (watch time per viewer)."),
    "funnel_stay_def": ("停留 = 本场累计观看 ≥ {s} 秒的观众；互动 = 点赞、评论或分享的人；两步不嵌套，转化可超过 100%。",
                        "Stayed = viewers with ≥ {s} s of total watch time; interacted = people who liked, commented "
                        "or shared; the steps are not nested, so a step can exceed 100%."),
    "funnel_biggest_loss": ("转化最低的一步：{frm} → {to}，转化 {conv}（流失 {loss} 人）。",
                            "Weakest step: {frm} → {to}, conversion {conv} (lost: {loss})."),
    "funnel_below_bench": ("低于同品类 P50：{steps}。", "Below the category P50: {steps}."),
    "funnel_bench_illustrative": ("同品类 P50 为示例值（请替换为自己的同行数据）",
                                  "Category P50 values are illustrative — replace them with your own peer numbers"),
    "funnel_prev_zero": ("上一环节人数为 0", "the previous step has 0 people"),
    "funnel_col_step": ("环节", "Step"),
    "funnel_col_count": ("人数", "People"),
    "funnel_col_conversion": ("环节转化", "Step conversion"),
    "funnel_col_loss": ("流失人数", "Lost"),
    "funnel_col_bench": ("同品类 P50", "Category P50"),
    "funnel_col_note": ("说明", "Note"),
})


def step_label(step: str, lang: Lang = "zh", template: bool = False) -> str:
    """Display name of a funnel step (下单 for buyers in the template funnel)."""
    return t("funnel_step_buyers_template" if template and step == "buyers" else f"funnel_step_{step}", lang)


def finding_note(f: Finding, lang: Lang = "zh") -> str:
    """One finding of the funnel section as an HTML note."""
    p = f.params
    if f.code == "funnel_biggest_loss":
        return note(t(f.code, lang, frm=step_label(p["from"], lang), to=step_label(p["to"], lang),
                      conv=fmt_value(p["conversion"], "ratio", lang), loss=fmt_value(p["loss"], "people", lang)),
                    "warn")
    names = [REGISTRY[k].label(lang) for k in p["rate_keys"]]
    return note(t(f.code, lang, steps=("、" if lang == "zh" else ", ").join(names)), "bad")


def display_table(df: pd.DataFrame, data: FunnelData, lang: Lang = "zh", template: bool = False) -> pd.DataFrame:
    """A funnel table as formatted text, with why a count or conversion is missing."""
    rows = []
    for i, r in enumerate(df.to_dict("records")):
        why = ""
        if is_missing(r["count"]) or (i > 0 and is_missing(r["conversion"])):
            rate_key = r.get("rate_key")
            key = rate_key if isinstance(rate_key, str) else str(r["step"])
            prev_zero = i > 0 and df["count"].iloc[i - 1] == 0
            why = reason_text(data.reasons.get(key), lang) or \
                (t("funnel_prev_zero", lang) if prev_zero else t("not_available", lang))
        out = {t("funnel_col_step", lang): step_label(r["step"], lang, template),
               t("funnel_col_count", lang): fmt_value(r["count"], "people", lang),
               t("funnel_col_conversion", lang): (sample.rate(r["conversion"], df["count"].iloc[i - 1], lang)
                                                   if i > 0 else ""),
               t("funnel_col_loss", lang): fmt_value(r["loss"], "people", lang) if i > 0 else ""}
        if not template:
            out[t("funnel_col_bench", lang)] = fmt_value(r["bench_p50"], "ratio", lang)
        out[t("funnel_col_note", lang)] = why
        rows.append(out)
    return pd.DataFrame(rows)


def render(data: FunnelData, lang: Lang = "zh") -> list:
    """Platform funnel (notes, chart, table), then the template funnel or its one-line 'not available'."""
    items: list = [finding_note(f, lang) for f in data.findings]
    if data.illustrative and data.platform["bench_p50"].notna().any():
        items.append(note(t("funnel_bench_illustrative", lang), "warn"))
    # a step conversion rests on the people at the step before it
    items += sample.explain([*data.platform["count"].iloc[:-1],
                             *([] if data.template is None else data.template["count"].iloc[:-1])], lang)
    labels = [step_label(s, lang) for s in data.platform.step]
    items.append(ch.funnel_chart(data.platform, labels, lang, t("funnel_platform_title", lang)))
    num = [t("funnel_col_count", lang), t("funnel_col_conversion", lang), t("funnel_col_loss", lang),
           t("funnel_col_bench", lang)]
    items.append(table(display_table(data.platform, data, lang, False), numeric=num))
    if data.template is None:
        items.append(note(t("funnel_template_na", lang, na=t("not_available", lang)), "na"))
        return items
    items.append(note(t("funnel_stay_def", lang, s=data.stay_seconds), "info"))
    labels = [step_label(s, lang, True) for s in data.template.step]
    items.append(ch.funnel_chart(data.template, labels, lang, t("funnel_template_title", lang)))
    items.append(table(display_table(data.template, data, lang, True), numeric=num))
    return items
