"""Section 4 — 转化漏斗 Funnel: people at each step, step conversion and loss.

Two funnels, both counted in people (人数):

* the platform funnel 曝光 → 进入 → 商品曝光 → 商品点击 → 成交: counts are registered
  metrics (impressions, uv, buyers) and base quantities (product_impression_uv,
  product_click_uv, read from ``ds.base``); step conversions are the registry rates
  impression_to_view_rate, product_impression_rate, product_click_rate, click_to_order_rate,
  compared with the category benchmark P50 where one exists;
* the review template's 曝光 → 进入 → 停留 → 互动 → 下单, where 停留 = viewers whose visits
  add up to ≥ ``stay_seconds`` (default 60 s), 互动 = people who liked, commented or shared
  (base interaction_uv) and 下单 = buyers. It needs viewer-level events (visits); on
  aggregate-only data it says so in one line. Its steps are not nested (someone can
  interact within their first minute), so a step can exceed 100 %.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import derive
from ..config import load_benchmarks
from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..metrics import REGISTRY
from ..render.html import note, table
from ..render.metrics import kpi_table

TITLE = ("转化漏斗", "Conversion funnel")

# (count key, registry rate from the previous step)
PLATFORM_STEPS: tuple[tuple[str, str | None], ...] = (
    ("impressions", None), ("uv", "impression_to_view_rate"), ("product_impression_uv", "product_impression_rate"),
    ("product_click_uv", "product_click_rate"), ("buyers", "click_to_order_rate"))
TEMPLATE_STEPS: tuple[str, ...] = ("impressions", "uv", "stayers", "interaction_uv", "buyers")

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
    "funnel_bench_illustrative": ("同品类 P50 为示例值 illustrative（请替换为自己的同行数据）",
                                  "Category P50 values are illustrative (示例值) — replace them with your own peer numbers"),
    "funnel_prev_zero": ("上一环节人数为 0", "the previous step has 0 people"),
    "funnel_col_step": ("环节", "Step"),
    "funnel_col_count": ("人数", "People"),
    "funnel_col_conversion": ("环节转化", "Step conversion"),
    "funnel_col_loss": ("流失人数", "Lost"),
    "funnel_col_bench": ("同品类 P50", "Category P50"),
    "funnel_col_note": ("说明", "Note"),
})


@dataclass(frozen=True)
class FunnelData:
    """What the funnel section shows (see :func:`build`). ``template`` is None on aggregate-only data."""

    session_id: str
    platform: pd.DataFrame
    template: pd.DataFrame | None
    stay_seconds: int
    illustrative: bool
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> step -> why not available


# ----------------------------------------------------------------------------- pure functions
def funnel_steps(steps: Sequence[str], counts: Sequence[float], conversions: Sequence[float | None]) -> pd.DataFrame:
    """A funnel table: step, count, conversion (from the previous step), loss (people) and loss_rate.

    ``conversions[i]`` is the conversion into step ``i`` (ignored for the first step); pass
    None to use ``count[i] / count[i-1]``. ``loss`` = previous count - count; ``loss_rate``
    = 1 - conversion.
    """
    counts = [np.nan if is_missing(c) else float(c) for c in counts]
    rows = []
    for i, step in enumerate(steps):
        conv = np.nan
        if i > 0:
            given = conversions[i]
            if given is not None:
                conv = np.nan if is_missing(given) else float(given)
            elif counts[i - 1] > 0:
                conv = counts[i] / counts[i - 1]
        loss = counts[i - 1] - counts[i] if i > 0 else np.nan
        rows.append({"step": step, "count": counts[i], "conversion": conv, "loss": loss, "loss_rate": 1.0 - conv})
    return pd.DataFrame(rows)


def platform_funnel(values: Mapping[str, float | None], bench_p50: Mapping[str, float | None] | None = None) -> pd.DataFrame:
    """The platform funnel from registry values and base quantities.

    Parameters
    ----------
    values : counts (impressions, uv, product_impression_uv, product_click_uv, buyers) and the
        registry rates (impression_to_view_rate, product_impression_rate, product_click_rate,
        click_to_order_rate), e.g. from ``ds.session_kpis`` and ``ds.base``.
    bench_p50 : category P50 per rate key (missing keys: no benchmark).

    Returns
    -------
    :func:`funnel_steps` columns plus rate_key, bench_p50 and vs_bench
    (``(conversion - P50) / P50``).
    """
    bench_p50 = bench_p50 or {}
    steps = [s for s, _ in PLATFORM_STEPS]
    rates = [r for _, r in PLATFORM_STEPS]
    df = funnel_steps(steps, [values.get(s) for s in steps],
                      [None if r is None else (np.nan if values.get(r) is None else values.get(r)) for r in rates])
    df["rate_key"] = rates
    df["bench_p50"] = [np.nan if r is None or bench_p50.get(r) is None else float(bench_p50[r]) for r in rates]
    df["vs_bench"] = ((df["conversion"] - df["bench_p50"]) / df["bench_p50"]).where(df["bench_p50"] > 0)
    return df


def stayers(visits_df: pd.DataFrame, stay_seconds: float = 60) -> int:
    """Viewers whose visits add up to at least ``stay_seconds`` of watch time (one session's visits)."""
    if visits_df.empty:
        return 0
    total = visits_df.groupby("user_id")["watch_seconds"].sum()
    return int((total >= stay_seconds).sum())


def template_funnel(values: Mapping[str, float | None], impression_to_view_rate: float | None) -> pd.DataFrame:
    """曝光 → 进入 → 停留 → 互动 → 下单 from counts (impressions, uv, stayers, interaction_uv, buyers).

    The first conversion is the registry's ``impression_to_view_rate``; the others are count
    ratios of consecutive steps.
    """
    first = np.nan if impression_to_view_rate is None else impression_to_view_rate
    return funnel_steps(TEMPLATE_STEPS, [values.get(s) for s in TEMPLATE_STEPS], [None, first, None, None, None])


# ----------------------------------------------------------------------------- build / render
def build(ds, session_id: str, *, lang: Lang = "zh", stay_seconds: int = 60) -> FunnelData:
    """Both funnels for one session (the template funnel only with viewer-level events)."""
    info = ds.session(session_id)
    values: dict[str, float | None] = {}
    reasons: dict[str, dict[str, str]] = {}
    wanted = {s for s, _ in PLATFORM_STEPS} | {r for _, r in PLATFORM_STEPS if r}
    for lg in ("zh", "en"):
        sk = kpi_table(ds.session_kpis(session_id), lg)
        sk = sk[sk.key.isin(wanted)]
        values.update({k: (None if pd.isna(v) else float(v)) for k, v in zip(sk.key, sk.value)})
        reasons[lg] = {k: r for k, r in zip(sk.key, sk.missing_reason) if r}
        if not reasons[lg]:  # nothing missing: the other language has nothing to explain either
            reasons = {"zh": {}, "en": {}}
            break
    row = ds.bases(where={"session_id": session_id}).iloc[0]
    for b in ("product_impression_uv", "product_click_uv", "interaction_uv"):
        values[b] = None if pd.isna(row[b]) else float(row[b])
    bench = load_benchmarks(ds.path)
    p50 = {r: bench.value(str(info.get("category", "")), r, "p50") for _, r in PLATFORM_STEPS if r}
    platform = platform_funnel(values, p50)
    template = None
    if ds.level == "viewer" and "events" in ds.raw:
        ev, ss = ds.raw["events"], ds.raw["sessions"]
        v = derive.visits(ev.filter(ev.session_id == session_id), ss.filter(ss.session_id == session_id)).execute()
        values["stayers"] = float(stayers(v, stay_seconds))
        template = template_funnel(values, values.get("impression_to_view_rate"))
    return FunnelData(session_id=session_id, platform=platform, template=template, stay_seconds=stay_seconds,
                      illustrative=bench.illustrative, reasons=reasons)


def step_label(step: str, lang: Lang, template: bool = False) -> str:
    """Display name of a funnel step (下单 for buyers in the template funnel)."""
    return t("funnel_step_buyers_template" if template and step == "buyers" else f"funnel_step_{step}", lang)


def _loss_note(df: pd.DataFrame, lang: Lang, template: bool) -> str | None:
    steps = df.iloc[1:]
    if steps["conversion"].notna().sum() == 0:
        return None
    i = steps["conversion"].idxmin()
    return t("funnel_biggest_loss", lang, frm=step_label(df.step[i - 1], lang, template), to=step_label(df.step[i], lang, template),
             conv=fmt_value(df.conversion[i], "ratio", lang), loss=fmt_value(df.loss[i], "people", lang))


def _display(df: pd.DataFrame, data: FunnelData, lang: Lang, template: bool) -> pd.DataFrame:
    rows = []
    for _, r in df.iterrows():
        why = ""
        if is_missing(r["count"]) or (r.name > 0 and is_missing(r["conversion"])):
            key = r.get("rate_key") if isinstance(r.get("rate_key"), str) else r["step"]
            prev_zero = r.name > 0 and df["count"].iloc[r.name - 1] == 0
            why = data.reasons.get(lang, {}).get(key) or (t("funnel_prev_zero", lang) if prev_zero else t("not_available", lang))
        out = {t("funnel_col_step", lang): step_label(r["step"], lang, template),
               t("funnel_col_count", lang): fmt_value(r["count"], "people", lang),
               t("funnel_col_conversion", lang): fmt_value(r["conversion"], "ratio", lang) if r.name > 0 else "",
               t("funnel_col_loss", lang): fmt_value(r["loss"], "people", lang) if r.name > 0 else ""}
        if not template:
            out[t("funnel_col_bench", lang)] = fmt_value(r["bench_p50"], "ratio", lang)
        out[t("funnel_col_note", lang)] = why
        rows.append(out)
    return pd.DataFrame(rows)


def render(data: FunnelData, lang: Lang = "zh") -> list:
    """Platform funnel (notes, chart, table), then the template funnel or its one-line 'not available'."""
    from ..charts import funnel as ch

    items: list = []
    loss = _loss_note(data.platform, lang, False)
    if loss:
        items.append(note(loss, "warn"))
    below = data.platform[data.platform["vs_bench"] < 0]
    if len(below):
        names = [REGISTRY[k].label(lang) for k in below["rate_key"]]
        items.append(note(t("funnel_below_bench", lang, steps="、".join(names) if lang == "zh" else ", ".join(names)), "bad"))
    if data.illustrative and data.platform["bench_p50"].notna().any():
        items.append(note(t("funnel_bench_illustrative", lang), "warn"))
    labels = [step_label(s, lang) for s in data.platform.step]
    items.append(ch.funnel_chart(data.platform, labels, lang, t("funnel_platform_title", lang)))
    num = [t("funnel_col_count", lang), t("funnel_col_conversion", lang), t("funnel_col_loss", lang), t("funnel_col_bench", lang)]
    items.append(table(_display(data.platform, data, lang, False), numeric=num))
    if data.template is None:
        items.append(note(t("funnel_template_na", lang, na=t("not_available", lang)), "na"))
        return items
    items.append(note(t("funnel_stay_def", lang, s=data.stay_seconds), "info"))
    labels = [step_label(s, lang, True) for s in data.template.step]
    items.append(ch.funnel_chart(data.template, labels, lang, t("funnel_template_title", lang)))
    items.append(table(_display(data.template, data, lang, True), numeric=num))
    return items


def key_figures(data: FunnelData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: step counts, registry step conversions, weakest step, stayers (viewer-level)."""
    p = data.platform.set_index("step")
    out: dict[str, float | str | None] = {f"count_{s}": None if is_missing(p.at[s, "count"]) else float(p.at[s, "count"])
                                          for s, _ in PLATFORM_STEPS}
    for s, r in PLATFORM_STEPS[1:]:
        out[r] = None if is_missing(p.at[s, "conversion"]) else float(p.at[s, "conversion"])
    conv = data.platform.iloc[1:].dropna(subset=["conversion"])
    out["weakest_step"] = None if conv.empty else str(conv.loc[conv["conversion"].idxmin(), "rate_key"])
    vs = data.platform.dropna(subset=["vs_bench"])
    out["furthest_below_bench"] = None if vs.empty or vs["vs_bench"].min() >= 0 else \
        str(vs.loc[vs["vs_bench"].idxmin(), "rate_key"])
    if data.template is not None:
        tp = data.template.set_index("step")
        out["stay_seconds"] = float(data.stay_seconds)
        out["count_stayers"] = float(tp.at["stayers", "count"])
        out["stay_conversion"] = None if is_missing(tp.at["stayers", "conversion"]) else float(tp.at["stayers", "conversion"])
    else:
        out["stay_seconds"] = float(data.stay_seconds)
        out["count_stayers"] = None
        out["stay_conversion"] = None
    return out
