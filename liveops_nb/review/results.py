"""Section 1 — 阶段成果 Results: KPI cards against history, benchmarks and the target.

Every main metric (:data:`liveops_nb.metrics.MAIN_KEYS`) is compared with

* the **previous** session of the same room;
* the **median** of the room's last ``history_n`` sessions (strictly before this one);
* the category **benchmark** P50 / P75 (``benchmarks.yaml``; illustrative defaults are labelled);
* the session's **target** (``sessions.gmv_target``; GMV only, shown as attainment).

One of them is the *basis* (option ``basis``): cards are coloured by whether the value is
better or worse than the basis in the metric's direction, and the three metrics with the
largest relative shortfall against it are highlighted (CSS class ``weak``).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ..config import Benchmarks, load_benchmarks
from ..render.fmt import fmt_delta, fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..metrics import MAIN_KEYS, REGISTRY
from ..render.html import esc, note
from ..render.metrics import kpi_table

TITLE = ("阶段成果", "Results")

Basis = Literal["previous", "median", "benchmark", "target"]
BASES: tuple[str, ...] = ("previous", "median", "benchmark", "target")
BASIS_COLUMN: dict[str, str] = {"previous": "previous", "median": "median", "benchmark": "bench_p50", "target": "target"}
_TOL = 1e-9

register({
    "results_previous": ("上一场", "Previous"),
    "results_median": ("近{n}场中位数", "Median of last {n}"),
    "results_bench": ("同品类 P50 / P75", "Category P50 / P75"),
    "results_target": ("目标", "Target"),
    "results_attainment": ("达成率 {pct}", "attained {pct}"),
    "results_basis_previous": ("上一场", "the previous session"),
    "results_basis_median": ("近{n}场中位数", "the median of the last {n} sessions"),
    "results_basis_benchmark": ("同品类 P50", "the category P50"),
    "results_basis_target": ("目标", "the target"),
    "results_bench_illustrative": ("行业基准为示例值 illustrative（请替换为自己的同行数据）",
                                   "Category benchmarks are illustrative (示例值) — replace them with your own peer numbers"),
    "results_bench_source": ("行业基准来源：{src}", "Benchmarks from {src}"),
    "results_summary": ("对比{basis}：{better} 项更好，{worse} 项更差；最需关注：{weak}。",
                        "Against {basis}: {better} better, {worse} worse; weakest: {weak}."),
    "results_summary_none": ("对比{basis}：暂无可比较的数据（例如本直播间的第一场）。",
                             "Against {basis}: nothing to compare with yet (e.g. the room's first session)."),
    "results_weak_none": ("无", "none"),
    "results_unknown_basis": ("未知的对比基准", "unknown basis"),
})


@dataclass(frozen=True)
class ResultsData:
    """What the results section shows (see :func:`build`)."""

    session_id: str
    basis: str
    history_n: int
    n_history: int  # sessions actually in the median
    previous_session_id: str | None
    comparison: pd.DataFrame
    weakest: tuple[str, ...]
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> key -> why not available
    illustrative: bool = False
    bench_source: str = ""
    category: str = ""


# ----------------------------------------------------------------------------- pure functions
def prior_sessions(session_info: pd.DataFrame, session_id: str) -> pd.DataFrame:
    """Sessions of the same room that started strictly before ``session_id``, oldest first."""
    me = session_info.loc[session_info.session_id == session_id].iloc[0]
    same = session_info[(session_info.room_id == me.room_id) & (session_info.start_time < me.start_time)]
    return same.sort_values(["start_time", "session_id"])


def relative(value: float, ref: float) -> float:
    """``(value - ref) / |ref|``; NaN when either is missing or ``ref`` is 0."""
    if is_missing(value) or is_missing(ref) or abs(float(ref)) < _TOL:
        return float("nan")
    return (float(value) - float(ref)) / abs(float(ref))


def is_better(rel: float, direction: str) -> bool | None:
    """Whether a relative difference is an improvement for a metric of ``direction`` (None: flat/unknown/neutral)."""
    if is_missing(rel) or direction == "neutral" or abs(rel) < _TOL:
        return None
    return bool(rel > 0) if direction == "higher" else bool(rel < 0)


def comparison_table(kpis_wide: pd.DataFrame, session_info: pd.DataFrame, session_id: str, history_n: int = 10, *,
                     basis: Basis = "median", benchmarks: Benchmarks | None = None,
                     keys: tuple[str, ...] = MAIN_KEYS) -> pd.DataFrame:
    """One row per metric: this session against its comparisons.

    Parameters
    ----------
    kpis_wide : ``ds.kpis()`` output — one row per session, one column per metric key (must
        contain this session and the room's earlier sessions wanted for the comparison).
    session_info : ``ds.session_info`` (session_id, room_id, start_time, category, gmv_target).
    session_id : the session under review.
    history_n : how many of the room's sessions before this one make up the median.
    basis : which comparison drives ``rel_vs_basis`` and ``better``.
    benchmarks : category benchmarks (``bench_p50``/``bench_p75`` are NaN without them).
    keys : metric keys, in display order.

    Returns
    -------
    DataFrame with columns key, value, previous, median, bench_p50, bench_p75, target,
    rel_vs_basis (``(value - basis) / |basis|``) and better (bool, or None when flat, unknown
    or the metric is neutral). ``target`` is only set for ``gmv``.
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, not {basis!r}")
    info = session_info.set_index("session_id")
    me = info.loc[session_id]
    wide = kpis_wide.set_index("session_id")
    prior = prior_sessions(session_info, session_id)
    prev_id = prior.session_id.iloc[-1] if len(prior) else None
    hist_ids = list(prior.session_id.iloc[-history_n:]) if history_n > 0 else []
    hist = wide.reindex(hist_ids)
    target = me.get("gmv_target", np.nan) if "gmv_target" in info.columns else np.nan
    rows = []
    for k in keys:
        m = REGISTRY[k]
        value = wide.at[session_id, k] if k in wide.columns else np.nan
        p50 = benchmarks.value(str(me.get("category", "")), k, "p50") if benchmarks else None
        p75 = benchmarks.value(str(me.get("category", "")), k, "p75") if benchmarks else None
        row = {"key": k, "value": float(value),
               "previous": float(wide.at[prev_id, k]) if prev_id is not None and prev_id in wide.index else np.nan,
               "median": float(hist[k].median(skipna=True)) if k in hist and hist[k].notna().any() else np.nan,
               "bench_p50": np.nan if p50 is None else p50, "bench_p75": np.nan if p75 is None else p75,
               "target": float(target) if k == "gmv" and not is_missing(target) else np.nan}
        rel = relative(row["value"], row[BASIS_COLUMN[basis]])
        row["rel_vs_basis"] = rel
        row["better"] = is_better(rel, m.direction)
        rows.append(row)
    out = pd.DataFrame(rows)
    out["better"] = out["better"].astype(object)
    return out


def shortfall(comparison: pd.DataFrame, basis: Basis) -> pd.Series:
    """Relative shortfall against ``basis`` per metric, direction-aware (positive = worse; NaN = not comparable)."""
    ref = comparison[BASIS_COLUMN[basis]]
    rel = pd.Series([relative(v, r) for v, r in zip(comparison["value"], ref)], index=comparison.index)
    sign = comparison["key"].map(lambda k: {"higher": -1.0, "lower": 1.0}.get(REGISTRY[k].direction, np.nan))
    return rel * sign


def weakest(comparison: pd.DataFrame, basis: Basis, k: int = 3) -> list[str]:
    """The ``k`` metrics with the largest relative shortfall against ``basis`` (only those actually worse).

    Ties keep the table order (the order of ``MAIN_KEYS``).
    """
    s = shortfall(comparison, basis)
    worse = comparison.assign(_s=s)[s > _TOL]
    return worse.sort_values("_s", ascending=False, kind="stable").key.head(k).tolist()


# ----------------------------------------------------------------------------- build / render
def build(ds, session_id: str, *, lang: Lang = "zh", basis: Basis = "median", history_n: int = 10,
          weak_k: int = 3) -> ResultsData:
    """Compare the session's main KPIs with the previous session, the room median, benchmarks and target."""
    info = ds.session_info
    ds.session(session_id)
    prior = prior_sessions(info, session_id)
    ids = [*prior.session_id.iloc[-max(history_n, 1):], session_id]
    wide = ds.kpis(MAIN_KEYS, where={"session_id": ids})
    bench = load_benchmarks(ds.path)
    comp = comparison_table(wide, info, session_id, history_n, basis=basis, benchmarks=bench)
    reasons: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
    if comp["value"].isna().any():  # why each missing value is missing, in both languages
        for lg in ("zh", "en"):
            sk = kpi_table(ds.session_kpis(session_id), lg)
            sk = sk[sk.key.isin(MAIN_KEYS) & sk.missing_reason.notna()]
            reasons[lg] = dict(zip(sk.key, sk.missing_reason))
    category = str(ds.session(session_id).get("category", ""))
    return ResultsData(session_id=session_id, basis=basis, history_n=history_n,
                       n_history=min(len(prior), history_n),
                       previous_session_id=prior.session_id.iloc[-1] if len(prior) else None,
                       comparison=comp, weakest=tuple(weakest(comp, basis, weak_k)), reasons=reasons,
                       illustrative=bench.illustrative, bench_source=bench.source, category=category)


def _hist_n(data: ResultsData) -> int:
    """Sessions in the median as shown on the page (the sessions available, up to ``history_n``)."""
    return data.n_history or data.history_n


def _basis_text(data: ResultsData, lang: Lang) -> str:
    return t(f"results_basis_{data.basis}", lang, n=_hist_n(data))


def _css(better: bool | None) -> str:
    return "lo-flat" if better is None else ("lo-up" if better else "lo-down")


def _delta_span(value: float, ref: float, direction: str, lang: Lang) -> str:
    """A change as " ▲+12.3%", coloured by whether it is good for the metric ("" when not comparable)."""
    rel = relative(value, ref)
    if is_missing(rel):
        return ""
    arrow = "▲" if rel > 0 else "▼" if rel < 0 else "="
    return f' <span class="{_css(is_better(rel, direction))}">{arrow}{esc(fmt_delta(rel, lang))}</span>'


def _line(text: str, strong: bool) -> str:
    return f"<b>{text}</b>" if strong else text


def _cmp_lines(row: pd.Series, data: ResultsData, lang: Lang) -> list[str]:
    """The comparison lines of one card; the basis line is bold."""
    m = REGISTRY[row["key"]]
    v = row["value"]

    def ref(label: str, r: float) -> str:
        return f"{esc(label)} {esc(fmt_value(r, m.unit, lang))}{_delta_span(v, r, m.direction, lang)}"

    lines = [_line(ref(t("results_previous", lang), row["previous"]), data.basis == "previous"),
             _line(ref(t("results_median", lang, n=_hist_n(data)), row["median"]), data.basis == "median")]
    if not (is_missing(row["bench_p50"]) and is_missing(row["bench_p75"])):
        bench = (f"{esc(t('results_bench', lang))} {esc(fmt_value(row['bench_p50'], m.unit, lang))} / "
                 f"{esc(fmt_value(row['bench_p75'], m.unit, lang))}{_delta_span(v, row['bench_p50'], m.direction, lang)}")
        lines.append(_line(bench, data.basis == "benchmark"))
    if not is_missing(row["target"]):
        pct = "—" if is_missing(v) else fmt_value(v / row["target"], "ratio", lang)
        tgt = (f"{esc(t('results_target', lang))} {esc(fmt_value(row['target'], m.unit, lang))} · "
               f"{esc(t('results_attainment', lang, pct=pct))}")
        lines.append(_line(tgt, data.basis == "target"))
    return lines


def card_html(row: pd.Series, data: ResultsData, lang: Lang = "zh") -> str:
    """One KPI card (``lo-card``; ``weak`` when among the weakest; NA reason in the title attribute)."""
    m = REGISTRY[row["key"]]
    better = None if is_missing(row["better"]) else row["better"]
    classes = "lo-card weak" if row["key"] in data.weakest else "lo-card"
    title = m.formula(lang)
    if is_missing(row["value"]):
        title = data.reasons.get(lang, {}).get(row["key"]) or t("not_available", lang)
    return (f'<div class="{classes}" title="{html.escape(title, quote=True)}" data-key="{m.key}">'
            f'<div class="lbl">{esc(m.label(lang))}</div>'
            f'<div class="val {_css(better)}">{esc(fmt_value(row["value"], m.unit, lang))}</div>'
            f'<div class="cmp">{"<br>".join(_cmp_lines(row, data, lang))}</div></div>')


def cards_html(data: ResultsData, lang: Lang = "zh") -> str:
    """All KPI cards in a flex grid (``lo-cards``)."""
    cards = "".join(card_html(r, data, lang) for _, r in data.comparison.iterrows())
    return f'<div class="lo lo-cards">{cards}</div>'


def summary_text(data: ResultsData, lang: Lang = "zh") -> str:
    """One line: how many metrics are better / worse than the basis, and the weakest ones."""
    b = data.comparison["better"]
    n_better = int(sum(x is True for x in b))
    n_worse = int(sum(x is False for x in b))
    if n_better + n_worse == 0:
        return t("results_summary_none", lang, basis=_basis_text(data, lang))
    weak = "、".join(REGISTRY[k].label(lang) for k in data.weakest) if lang == "zh" else \
        ", ".join(REGISTRY[k].label(lang) for k in data.weakest)
    return t("results_summary", lang, basis=_basis_text(data, lang), better=n_better, worse=n_worse,
             weak=weak or t("results_weak_none", lang))


def render(data: ResultsData, lang: Lang = "zh") -> list:
    """Summary line, KPI cards, the relative-difference chart (when anything is comparable), benchmark note."""
    items: list = [note(summary_text(data, lang), "info"), cards_html(data, lang)]
    if data.comparison["rel_vs_basis"].notna().any():
        from ..charts.results import comparison_chart

        items.append(comparison_chart(data.comparison, _basis_text(data, lang), lang, data.weakest))
    if data.illustrative:
        items.append(note(t("results_bench_illustrative", lang), "warn"))
    else:
        items.append(note(t("results_bench_source", lang, src=data.bench_source), "info"))
    return items


def key_figures(data: ResultsData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: the basis, counts better/worse, weakest metrics, GMV attainment, rel per metric."""
    comp = data.comparison.set_index("key")
    out: dict[str, float | str | None] = {
        "basis": data.basis,
        "n_better": float(sum(x is True for x in comp["better"])),
        "n_worse": float(sum(x is False for x in comp["better"])),
        "weakest": ",".join(data.weakest),
        "history_sessions": float(data.n_history),
        "previous_session_id": data.previous_session_id,
        "benchmarks_illustrative": float(data.illustrative),
    }
    if "gmv" in comp.index:
        g = comp.loc["gmv"]
        att = g["value"] / g["target"] if not (is_missing(g["value"]) or is_missing(g["target"]) or g["target"] == 0) else None
        out["gmv_target"] = None if is_missing(g["target"]) else float(g["target"])
        out["gmv_attainment"] = None if att is None else float(att)
    for k, r in comp.iterrows():
        out[f"{k}_rel_vs_{data.basis}"] = None if is_missing(r["rel_vs_basis"]) else float(r["rel_vs_basis"])
    return out
