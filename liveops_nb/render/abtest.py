"""A/B results in words and HTML (中文 / English): verdict sentences, reasons, the page's tables.

The analyses (:mod:`liveops_nb.abtest`) return values, reason codes and findings; this module
is the only place they become text. The archive's words are in :mod:`liveops_nb.render.abtest_archive`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from liveops_nb.abtest.adjustment import TERMS
from liveops_nb.abtest.analysis import Analysis, Comparison
from liveops_nb.abtest.experiments import Experiment
from liveops_nb.abtest.multiple import AdjustMethod
from liveops_nb.abtest.srm import SrmCheck
from liveops_nb.abtest.verdict import Finding, Tone, comparison_finding, findings, srm_finding
from liveops_nb.metrics import REGISTRY
from liveops_nb.render.abtest_text import REASON_CODES
from liveops_nb.render.fmt import fmt_value
from liveops_nb.render.html import esc, note, table
from liveops_nb.render.i18n import Lang, t

if TYPE_CHECKING:
    from liveops_nb.abtest.planner import Plan

VARIABLES = ("script", "scene", "lineup", "creative", "coupon")
STATUSES = ("planned", "running", "finished")


@dataclass(frozen=True)
class Verdict:
    """One verdict line in words: ``kind`` picks the note colour, ``metric``/``treatment`` say what it is about."""

    kind: Tone
    text: str
    metric: str | None = None
    treatment: str | None = None


# ---------------------------------------------------------------- small formats
def variant_label(variable: str, variant: str, lang: Lang = "zh") -> str:
    """``"话术B"`` / ``"script B"``: the experiment variable's word plus the variant name."""
    key = f"abtest_var_{variable}" if variable in VARIABLES else "abtest_var_other"
    return f"{t(key, lang)}{variant}"


def variable_text(variable: str, lang: Lang = "zh") -> str:
    """The experiment variable in words (``"script"`` -> "话术" / "script"); an unknown code -> "方案" / "variant"."""
    return t(f"abtest_var_{variable if variable in VARIABLES else 'other'}", lang).strip()


def experiment_title(experiment_id: object, name: object) -> str:
    """What a manager calls an experiment: its name (the id only when it has none)."""
    text = "" if name is None or (isinstance(name, float) and math.isnan(name)) else str(name).strip()
    return text or str(experiment_id)


def room_text(room_ids: Sequence[str], room_names: Mapping[str, str], lang: Lang = "zh") -> str:
    """Rooms by name ("、" / ", " between them); an id stands in only for a room without a name."""
    return ("、" if lang == "zh" else ", ").join(room_names.get(r) or r for r in room_ids)


def interval_text(low: float | None, high: float | None, lang: Lang = "zh") -> str:
    """A relative interval "-1.8% ～ +30.0%" (English: "-1.8% to +30.0%")."""
    return f"{pct(low, True)} {'～' if lang == 'zh' else 'to'} {pct(high, True)}"


def metric_label(key: str, lang: Lang = "zh") -> str:
    """The registry label of ``key`` (the key itself when it is not registered)."""
    return REGISTRY[key].label(lang) if key in REGISTRY else str(key)


def pct(x: float | None, signed: bool = False) -> str:
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


def split_text(counts: Mapping[str, int], weights: Mapping[str, float]) -> tuple[str, str]:
    """(observed "A 3,100 / B 2,900", planned "A 50% / B 50%")."""
    obs = " / ".join(f"{v} {n:,}" for v, n in counts.items())
    plan = " / ".join(f"{v} {w * 100:.0f}%" for v, w in weights.items() if w > 0)
    return obs, plan


# ---------------------------------------------------------------- reasons
def _reason_parts(err: Any) -> tuple[str | None, Mapping[str, Any], str]:
    if isinstance(err, Mapping):  # an archived reason (liveops_nb.abtest.archive.reason_record)
        return err.get("code"), err.get("params") or {}, str(err.get("message") or "")
    return getattr(err, "code", None), getattr(err, "params", {}) or {}, str(err)


def _engine_reason(reason: Any, lang: Lang) -> str:
    from liveops_nb.engine.reasons import Reason
    from liveops_nb.render.metrics import reason_text as engine_reason_text

    if isinstance(reason, Mapping):
        reason = Reason(**reason)
    return (engine_reason_text(reason, lang) or "") if isinstance(reason, Reason) else str(reason or "")


def reason_text(err: Any, lang: Lang = "zh") -> str:
    """Why a metric or comparison cannot be computed, in ``lang``.

    ``err`` is an A/B error (code and params) or its archived dict; a reason without words in
    the table is given as the error's message.
    """
    if err is None:
        return ""
    code, params, message = _reason_parts(err)
    if code not in REASON_CODES:
        return message
    p = {**params, "message": message}
    if "metric" in p:
        p["label"] = metric_label(p["metric"], lang)
    if "unit" in p:
        p["unit_word"] = t(f"abtest_unit_word_{p['unit']}", lang)
    for k in ("inputs", "bases", "variants"):
        if isinstance(p.get(k), (list, tuple)):
            p[k] = ", ".join(map(str, p[k]))
    if code == "missing_inputs":
        p["reason"] = _engine_reason(p.get("reason"), lang)
    return t(f"abtest_reason_{code}", lang, **p)


# ---------------------------------------------------------------- findings in words
def srm_text(srm: SrmCheck, lang: Lang = "zh") -> str:
    """The SRM line: a block message when it fails, a short confirmation otherwise."""
    return finding_text(srm_finding(srm), "", lang)


def _srm_words(p: Mapping[str, Any], ok: bool, lang: Lang) -> str:
    obs, plan = split_text(p["counts"], p["weights"])
    pv = p["p_value"]
    pv_text = f"{pv:.2g}" if pv < 0.001 else f"{pv:.3f}"
    return t("abtest_srm_ok" if ok else "abtest_srm_block", lang, p=pv_text, thr=f"{p['threshold']:g}", obs=obs,
             plan=plan)


def terms_text(terms: Sequence[str], lang: Lang = "zh") -> str:
    """Adjustment term codes in words, e.g. ``("room_id", "slot")`` -> "直播间×时段" / "room × time slot"."""
    return ("×" if lang == "zh" else " × ").join(t(f"abtest_term_{c}", lang) for c in terms)


def adjustment_note(terms: Sequence[str] | None, lang: Lang = "zh") -> str:
    """The verdict's note naming the terms the session regression used (records without them: room × slot)."""
    terms = TERMS if terms is None else terms
    return t("abtest_adjusted_note", lang, terms=terms_text(terms, lang)) if terms else \
        t("abtest_adjusted_note_none", lang)


def finding_text(f: Finding, variable: str, lang: Lang = "zh") -> str:
    """One finding (:mod:`liveops_nb.abtest.verdict`) as a sentence; ``variable`` names the variants."""
    p = f.params
    if f.code in ("srm_ok", "srm_mismatch"):
        return _srm_words(p, f.code == "srm_ok", lang)
    if f.code == "no_units":
        return t("abtest_nothing_yet", lang)
    metric = metric_label(f.metric or "", lang)
    if f.code == "metric_unavailable":
        why = reason_text(p.get("reason"), lang)
        return f"{metric}: {t('not_available', lang)}（{why}）" if lang == "zh" else \
            f"{metric}: {t('not_available', lang)} ({why})"
    treat = variant_label(variable, f.treatment or "", lang)
    if f.code == "test_failed":
        return t("abtest_verdict_error", lang, treat=treat, metric=metric, msg=reason_text(p.get("reason"), lang))
    rel, lo, hi, pv = p["effect"], p["ci_low"], p["ci_high"], p["p_value"]
    suffix = adjustment_note(p.get("adjustment_terms", TERMS), lang) if p.get("adjusted") else ""
    if p.get("correction"):
        suffix += t("abtest_corrected_note", lang, method="Holm" if p["correction"] == "holm" else "BH")
    level = level_text(p["alpha"])
    if f.code == "significant":
        verb = t("abtest_up" if rel > 0 else "abtest_down", lang)
        text = t("abtest_sig", lang, treat=treat, metric=metric, verb=verb, rel=pct(abs(rel)), level=level,
                 lo=pct(lo), hi=pct(hi), p=fmt_p(pv))
        if p.get("direction") == "lower":
            suffix += t("abtest_direction_lower", lang)
        return text + suffix
    args = dict(treat=treat, metric=metric, rel=pct(rel, signed=True), level=level, lo=pct(lo), hi=pct(hi),
                p=fmt_p(pv))
    if f.code == "not_significant_no_mde":
        return t("abtest_nonsig_nomde", lang, **args) + suffix
    return t("abtest_nonsig", lang, mde=pct(p["mde"]), power=f"{p['power'] * 100:.0f}%", **args) + suffix


def finding_from_record(d: Mapping[str, Any]) -> Finding:
    """A finding read back from an archive record."""
    return Finding(d.get("kind", "na"), d.get("code", "no_units"), d.get("metric"), d.get("treatment"),
                   dict(d.get("params") or {}))


def comparison_text(c: Comparison, exp: Experiment, lang: Lang = "zh", method: AdjustMethod = "holm",
                    n_treatments: int = 1, power: float = 0.8) -> Verdict:
    """The sentence for one treatment-vs-control comparison."""
    f = comparison_finding(c, method, n_treatments, power)
    return Verdict(f.kind, finding_text(f, exp.variable, lang), f.metric, f.treatment)


def verdicts(a: Analysis, lang: Lang = "zh", metric: str | None = None) -> list[Verdict]:
    """Verdict lines for ``metric`` (default: the first analysed metric); only the SRM block if SRM fails."""
    return [Verdict(f.kind, finding_text(f, a.experiment.variable, lang), f.metric, f.treatment)
            for f in findings(a, metric)]


# ---------------------------------------------------------------- HTML blocks of the page (pure: data in, HTML out)
def card_html(exp: Experiment, room_names: Mapping[str, str], lang: Lang = "zh") -> str:
    """The experiment card: hypothesis, unit, variable, dates, planned split, rooms, primary metric, status."""
    rooms = room_text(exp.room_ids, room_names, lang) or t("abtest_all_rooms", lang)
    metric = metric_label(exp.primary_metric, lang)
    cells = [("abtest_card_unit", t(f"abtest_unit_{exp.unit}", lang)),
             ("abtest_card_variable", variable_text(exp.variable, lang)),
             ("abtest_card_dates", f"{exp.start:%Y-%m-%d} {'～' if lang == 'zh' else '–'} {exp.end:%Y-%m-%d}"),
             ("abtest_card_split", " / ".join(f"{v} {w * 100:.0f}%" for v, w in exp.split)),
             ("abtest_card_rooms", rooms), ("abtest_card_primary", metric),
             ("abtest_card_status", t(f"abtest_status_{exp.status}", lang) if exp.status in STATUSES else exp.status)]
    cards = "".join(f'<div class="lo-card"><div class="lbl">{esc(t(k, lang))}</div>'
                    f'<div class="cmp" style="font-size:14px;color:#262626">{esc(v)}</div></div>' for k, v in cells)
    colon = "：" if lang == "zh" else ": "
    return (f'<div class="lo"><div style="font-size:16px;font-weight:700">{esc(exp.experiment_id)} · {esc(exp.name)}</div>'
            f'<div class="lo-note lo-info">{esc(t("abtest_card_hypothesis", lang))}{colon}{esc(exp.hypothesis)}</div>'
            f'<div class="lo-cards">{cards}</div></div>')


def fmt_abs(key: str, v: float | None, lang: Lang = "zh") -> str:
    """An absolute difference in the metric's unit: rates in percentage points, money with ¥."""
    if v is None or not math.isfinite(v):
        return "—"
    unit = REGISTRY[key].unit
    if unit == "ratio":
        return f"{v * 100:+.2f}{t('abtest_pp', lang)}"
    sign = "+" if v >= 0 else "−"
    if unit in ("CNY", "seconds"):
        return sign + fmt_value(abs(v), unit, lang)
    return f"{v:+,.3g}" if abs(v) < 10 else f"{v:+,.1f}"


def _adjusted_block(a: Analysis, key: str, comps: list[Comparison], level: str, lang: Lang) -> list[str]:
    adj = [c for c in comps if c.adjusted is not None]
    if not adj:
        return [note(t("abtest_adjusted_none", lang), "warn")]
    acols = [t(k, lang, level=level) for k in ("abtest_col_treatment", "abtest_col_abs", "abtest_col_rel",
                                               "abtest_col_ci", "abtest_col_p", "abtest_col_padj")]
    arows = [[variant_label(a.experiment.variable, c.treatment, lang), fmt_abs(key, c.adjusted.effect, lang),
              pct(c.adjusted.rel, True), interval_text(c.adjusted.rel_low, c.adjusted.rel_high, lang),
              fmt_p(c.adjusted.p_value)[2:], fmt_p(c.p_adjusted)[2:]] for c in adj if c.adjusted is not None]
    used = tuple(x for x in TERMS if any(x in c.adjusted.terms for c in adj if c.adjusted is not None))
    formula = "".join(f" + {t(f'abtest_term_{x}', lang)}" for x in used)
    title = t("abtest_adjusted_title", lang, terms=terms_text(used, lang), formula=formula) if used else \
        t("abtest_adjusted_title_none", lang)
    return [note(t("abtest_unadjusted_note", lang), "info"),
            f'<div class="lo" style="font-weight:600">{esc(title)}</div>',
            table(pd.DataFrame(arows, columns=acols), numeric=acols[1:])]


def results_html(a: Analysis, key: str, lang: Lang = "zh") -> list[str]:
    """Results of one metric: a table with the control row and one row per treatment, plus method notes."""
    m = REGISTRY[key]
    comps = [c for c in a.comparisons if c.metric == key]
    ctl = next((c.rel for c in comps if c.rel is not None), None)
    level = level_text(a.options.alpha)
    cols = [t(k, lang, level=level) for k in ("abtest_col_variant", "abtest_col_n", "abtest_col_value", "abtest_col_abs",
                                              "abtest_col_rel", "abtest_col_ci", "abtest_col_p", "abtest_col_padj",
                                              "abtest_col_ctw")]
    arms = a.arms.get(key, {})
    var = a.experiment.variable
    rows = [[variant_label(var, a.control, lang) + t("abtest_control_tag", lang),
             f"{arms[a.control].n:,}" if a.control in arms else "—",
             fmt_value(ctl.control_value if ctl else None, m.unit, lang), "", "", "", "", "", ""]]
    for c in comps:
        r = c.rel
        rows.append([variant_label(var, c.treatment, lang), f"{arms[c.treatment].n:,}" if c.treatment in arms else "—",
                     fmt_value(r.treatment_value if r else None, m.unit, lang),
                     fmt_abs(key, c.abs.effect if c.abs else None, lang),
                     pct(r.effect, True) if r else "—", interval_text(r.ci_low, r.ci_high, lang) if r else "—",
                     fmt_p(r.p_value)[2:] if r else "—", fmt_p(c.p_unadjusted_corrected)[2:] if r else "—",
                     f"{c.bayes.chance_to_win * 100:.0f}%" if c.bayes else (reason_text(c.error, lang) or "—")])
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
        out += _adjusted_block(a, key, comps, level, lang)
    return out


def planner_html(p: Plan, lang: Lang = "zh") -> str:
    """The power/MDE planner's sentence (a :class:`~liveops_nb.abtest.planner.Plan`)."""
    if p.error:
        return note(t("abtest_plan_error", lang, msg=reason_text(p.error, lang)), "na")
    m = REGISTRY[p.metric]
    sd = "" if p.baseline_sd is None else (f"，单位标准差 {fmt_value(p.baseline_sd, m.unit, lang)}" if lang == "zh"
                                           else f", per-unit sd {fmt_value(p.baseline_sd, m.unit, lang)}")
    text = t("abtest_plan_text", lang, start=f"{p.history_start:%Y-%m-%d}", end=f"{p.history_end:%Y-%m-%d}",
             n=f"{p.baseline_units:,}", unit=t(f"abtest_unit_word_{p.unit}", lang), metric=m.label(lang),
             mean=fmt_value(p.baseline_mean, m.unit, lang), sd=sd, power=f"{p.power * 100:.0f}%", alpha=f"{p.alpha:g}",
             effect=pct(p.effect, True), need=f"{p.n_per_arm:,}")
    if p.weeks_needed is not None:
        text += " " + t("abtest_plan_weeks", lang, arms=p.arms, weeks=f"{p.weeks_needed:.1f}")
    weeks = (p.history_end - p.history_start).total_seconds() / (7 * 86400)
    if weeks < 7.9:
        text += " " + t("abtest_plan_short", lang, weeks=f"{weeks:.1f}")
    return note(text, "info")


def forest_frame(a: Analysis, lang: Lang = "zh") -> pd.DataFrame:
    """Forest-plot rows: ``label, effect, ci_low, ci_high, p_value, outcome`` (infinite ends clipped)."""
    rows = []
    for c in a.comparisons:
        if c.rel is None:
            continue
        rel, lo, hi = c.decision
        better = (rel > 0) == (REGISTRY[c.metric].direction != "lower")
        outcome = "neutral" if not c.significant or REGISTRY[c.metric].direction == "neutral" else \
            ("good" if better else "bad")
        rows.append({"label": f"{REGISTRY[c.metric].label(lang)} · {variant_label(a.experiment.variable, c.treatment, lang)}",
                     "effect": rel, "ci_low": lo, "ci_high": hi, "p_value": c.p_adjusted, "outcome": outcome})
    df = pd.DataFrame(rows, columns=["label", "effect", "ci_low", "ci_high", "p_value", "outcome"])
    finite = pd.concat([df.ci_low, df.ci_high, df.effect]).replace([math.inf, -math.inf], float("nan")).abs()
    bound = float(finite.max() * 1.5) if finite.notna().any() else 1.0
    return df.assign(ci_low=df.ci_low.clip(lower=-bound), ci_high=df.ci_high.clip(upper=bound))


def breakdown_table(df: pd.DataFrame, exp: Experiment, key: str, by: str, lang: Lang = "zh",
                    alpha: float = 0.05, room_names: Mapping[str, str] | None = None) -> str:
    """HTML table of :func:`liveops_nb.abtest.breakdowns.breakdown` rows (several treatments stacked).

    Rooms are shown by name (``room_names``: room id -> name), segments in words.
    """
    names = room_names or {}
    unit = REGISTRY[key].unit
    cols = [t(k, lang, level=level_text(alpha)) for k in ("abtest_col_group", "abtest_col_treatment", "abtest_col_n",
                                                          "abtest_col_value", "abtest_col_rel", "abtest_col_ci",
                                                          "abtest_col_p")]
    rows = [[t(f"abtest_seg_{r.group}", lang) if by == "segment" else names.get(str(r.group)) or r.group,
             variant_label(exp.variable, str(r.treatment), lang),
             f"{r.n_control:,} / {r.n_treatment:,}",
             f"{fmt_value(r.control_value, unit, lang)} → {fmt_value(r.treatment_value, unit, lang)}",
             pct(r.effect, True), interval_text(r.ci_low, r.ci_high, lang),  # type: ignore[arg-type]
             "—" if pd.isna(r.p_value) else fmt_p(r.p_value)[2:]] for r in df.itertuples()]  # type: ignore[arg-type]
    return table(pd.DataFrame(rows, columns=cols), numeric=cols[2:])


def time_frame(df: pd.DataFrame, exp: Experiment, lang: Lang = "zh") -> pd.DataFrame:
    """:func:`liveops_nb.abtest.breakdowns.over_time` rows with the treatments named for the chart."""
    return df.assign(treatment=[variant_label(exp.variable, v, lang) for v in df.treatment])
