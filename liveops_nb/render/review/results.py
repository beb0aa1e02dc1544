"""Rendering of section 1 — 阶段成果 Results: summary line, KPI cards, comparison chart, benchmark note.

Turns :class:`liveops_nb.review.results.ResultsData` into displayable items in 中文 or English.
Cards are coloured by whether the value is better or worse than the basis; the weakest metrics
get the CSS class ``weak``; a missing value shows "—" with the reason in the card's title.
"""
from __future__ import annotations

import html

import pandas as pd

from ... import measures
from ...metrics import REGISTRY
from ...review.results import ResultsData, is_better
from ..fmt import fmt_delta, fmt_value, is_missing
from ..html import esc, note
from ..i18n import Lang, register, t
from ..metrics import reason_text

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
    "results_bench_illustrative": ("行业基准为示例值（请替换为自己的同行数据）",
                                   "Category benchmarks are illustrative — replace them with your own peer numbers"),
    "results_bench_source": ("行业基准来源：{src}", "Benchmarks from {src}"),
    "results_summary": ("对比{basis}：{better} 项更好，{worse} 项更差；最需关注：{weak}。",
                        "Against {basis}: {better} better, {worse} worse; weakest: {weak}."),
    "results_summary_none": ("对比{basis}：暂无可比较的数据（例如本直播间的第一场）。",
                             "Against {basis}: nothing to compare with yet (e.g. the room's first session)."),
    "results_weak_none": ("无", "none"),
})


def basis_text(data: ResultsData, lang: Lang = "zh") -> str:
    """The basis in words ("the median of the last 10 sessions")."""
    return t(f"results_basis_{data.basis}", lang, n=data.shown_history)


def _css(better: bool | None) -> str:
    return "lo-flat" if better is None else ("lo-up" if better else "lo-down")


def _delta_span(value: float, ref: float, direction: str, lang: Lang) -> str:
    """A change as " ▲+12.3%", coloured by whether it is good for the metric ("" when not comparable)."""
    rel = measures.relative_gap(value, ref)
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
             _line(ref(t("results_median", lang, n=data.shown_history), row["median"]), data.basis == "median")]
    if not (is_missing(row["bench_p50"]) and is_missing(row["bench_p75"])):
        bench = (f"{esc(t('results_bench', lang))} {esc(fmt_value(row['bench_p50'], m.unit, lang))} / "
                 f"{esc(fmt_value(row['bench_p75'], m.unit, lang))}{_delta_span(v, row['bench_p50'], m.direction, lang)}")
        lines.append(_line(bench, data.basis == "benchmark"))
    if not is_missing(row["target"]):
        pct = "—" if is_missing(v) else fmt_value(measures.attainment(v, row["target"]), "ratio", lang)
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
        title = reason_text(data.reasons.get(row["key"]), lang) or t("not_available", lang)
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
    if data.n_better + data.n_worse == 0:
        return t("results_summary_none", lang, basis=basis_text(data, lang))
    sep = "、" if lang == "zh" else ", "
    weak = sep.join(REGISTRY[k].label(lang) for k in data.weakest)
    return t("results_summary", lang, basis=basis_text(data, lang), better=data.n_better, worse=data.n_worse,
             weak=weak or t("results_weak_none", lang))


def render(data: ResultsData, lang: Lang = "zh") -> list:
    """Summary line, KPI cards, the relative-difference chart (when anything is comparable), benchmark note."""
    items: list = [note(summary_text(data, lang), "info"), cards_html(data, lang)]
    if data.comparison["rel_vs_basis"].notna().any():
        from ...charts.results import comparison_chart  # altair: imported when a chart is drawn

        items.append(comparison_chart(data.comparison, basis_text(data, lang), lang, data.weakest))
    if data.illustrative:
        items.append(note(t("results_bench_illustrative", lang), "warn"))
    else:
        items.append(note(t("results_bench_source", lang, src=data.bench_source), "info"))
    return items
