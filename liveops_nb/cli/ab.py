"""``liveops ab list`` and ``liveops ab show ID``: the dataset's experiments and one experiment's per-arm table."""
from __future__ import annotations

import argparse
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..abtest import Analysis, Options, analyze
from ..abtest.experiments import experiments_frame
from ..metrics import REGISTRY
from ..render.abtest import fmt_abs, fmt_p, interval_text, level_text, metric_label, pct, srm_text, variant_label
from ..render.fmt import fmt_value
from ..render.i18n import Lang, register, t
from .common import HelpFormatter, data_options, lang_of, open_data, split_list
from .output import emit, output_options

if TYPE_CHECKING:
    from ..dataset import Dataset

LIST_COLUMNS = ("experiment_id", "name", "unit", "variable", "start", "end", "status", "primary_metric",
                "control_variant", "planned_split", "room_ids")

register({
    "cli_col_experiment_id": ("实验ID", "Experiment"), "cli_col_name": ("名称", "Name"),
    "cli_col_unit": ("随机单位", "Unit"), "cli_col_variable": ("变量", "Variable"),
    "cli_col_start": ("开始", "Start"), "cli_col_end": ("结束", "End"), "cli_col_status": ("状态", "Status"),
    "cli_col_primary_metric": ("主指标", "Primary metric"), "cli_col_control_variant": ("对照组", "Control"),
    "cli_col_planned_split": ("计划分流", "Planned split"), "cli_col_room_ids": ("直播间", "Rooms"),
    "cli_col_metric": ("指标", "Metric"),
    "cli_col_regression": ("回归调整（相对）", "Regression-adjusted (relative)"),
    "cli_col_regression_p": ("回归p值", "Regression p"),
    "cli_col_decision_p": ("决策p值（多重校正）", "Decision p (corrected)"),
})


class _Row:
    """One row of ``Analysis.to_frame()`` with typed access (floats as floats, NaN for missing)."""

    def __init__(self, rec: Mapping[Any, Any]) -> None:
        self._rec = rec

    def __getattr__(self, name: str) -> Any:
        value = self._rec[name]
        if name in ("metric", "variant", "role", "error", "n"):
            return value
        return math.nan if value is None or pd.isna(value) else float(value)


def experiment_list(ds: Dataset) -> pd.DataFrame:
    """The experiments table's main columns, by start."""
    df = experiments_frame(ds)
    return df[[c for c in LIST_COLUMNS if c in df.columns]].reset_index(drop=True)


def screen_frame(a: Analysis, lang: Lang) -> pd.DataFrame:
    """The per-arm table in words, as the A/B page shows it (values by unit, effects in %, p-values)."""
    frame = a.to_frame()
    level = level_text(a.options.alpha)
    regression = a.experiment.unit == "session" and frame["regression_rel_effect"].notna().any()
    rows = []
    for rec in frame.to_dict("records"):
        r = _Row(rec)
        treated = r.role == "treatment"
        unit = REGISTRY[r.metric].unit
        row = {
            "cli_col_metric": metric_label(r.metric, lang),
            "abtest_col_variant": "—" if not isinstance(r.variant, str) else
            variant_label(a.experiment.variable, r.variant, lang) + ("" if treated else t("abtest_control_tag", lang)),
            "abtest_col_n": "—" if pd.isna(r.n) else f"{int(r.n):,}",
            "abtest_col_value": fmt_value(None if math.isnan(r.value) else r.value, unit, lang),
            "abtest_col_abs": fmt_abs(r.metric, r.abs_effect, lang) if treated else "",
            "abtest_col_rel": pct(r.rel_effect, True) if treated and not math.isnan(r.rel_effect) else "",
            "abtest_col_ci": interval_text(r.ci_low, r.ci_high, lang) if treated and not math.isnan(r.ci_low) else "",
            "abtest_col_p": fmt_p(r.p_value)[2:] if treated and not math.isnan(r.p_value) else "",
            "abtest_col_padj": fmt_p(r.p_value_corrected)[2:] if treated and not math.isnan(r.p_value_corrected) else "",
            "abtest_col_ctw": f"{r.chance_to_win * 100:.0f}%" if treated and not math.isnan(r.chance_to_win)
            else (str(r.error) if isinstance(r.error, str) else ""),
        }
        if regression:
            row["cli_col_regression"] = "" if math.isnan(r.regression_rel_effect) else \
                f"{pct(r.regression_rel_effect, True)} {interval_text(r.regression_ci_low, r.regression_ci_high, lang)}"
            row["cli_col_regression_p"] = "" if math.isnan(r.regression_p_value) else fmt_p(r.regression_p_value)[2:]
            row["cli_col_decision_p"] = "" if not treated or math.isnan(r.decision_p_value_corrected) else \
                fmt_p(r.decision_p_value_corrected)[2:]
        rows.append(row)
    out = pd.DataFrame(rows)
    out.columns = [t(c, lang, level=level) for c in out.columns]
    return out


def _list(args: argparse.Namespace) -> int:
    message = emit(experiment_list(open_data(args)), args.fmt, args.out, lang_of(args), sheet="experiments")
    if message:
        print(message)
    return 0


def _show(args: argparse.Namespace) -> int:
    ds = open_data(args)
    lang = lang_of(args)
    a = analyze(ds, args.experiment_id, metrics=split_list(args.metrics) or None,
                options=Options(alpha=args.alpha, correction=args.correction))
    if args.fmt == "table":
        table = screen_frame(a, lang)
        text = f"{a.experiment.experiment_id} · {a.experiment.name}\n{srm_text(a.srm, lang)}\n" + \
            table.to_string(index=False)
        if args.out is None:
            print(text)
            return 0
        return _write_text(args.out, text)
    message = emit(a.to_frame(), args.fmt, args.out, lang, sheet=args.experiment_id)
    if message:
        print(message)
    return 0


def _write_text(path: str, text: str) -> int:
    from .output import OutputError

    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    print(f"wrote {path}")
    return 0


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``ab list`` and ``ab show``."""
    ab = sub.add_parser("ab", help="A/B experiments: list them, or show one's per-arm results",
                        formatter_class=HelpFormatter)
    ab_sub = ab.add_subparsers(dest="ab_command", required=True)
    lst = ab_sub.add_parser("list", help="the dataset's experiments",
                            parents=[data_options(), lang, output_options()], formatter_class=HelpFormatter)
    lst.set_defaults(func=_list)
    show = ab_sub.add_parser("show", help="one experiment's per-arm table (the A/B page's numbers)",
                             parents=[data_options(), lang, output_options()], formatter_class=HelpFormatter,
                             description="csv/xlsx hold the exact numbers with the columns of "
                                         "liveops_nb.abtest.frames (Analysis.to_frame()).")
    show.add_argument("experiment_id", metavar="ID", help="experiment id (see `liveops ab list`)")
    show.add_argument("--metrics", default=None,
                      help="comma-separated metric keys (default: the experiment's primary metric)")
    show.add_argument("--alpha", type=float, default=0.05, help="test level: intervals at 1 - alpha")
    show.add_argument("--correction", choices=["holm", "bh"], default="holm",
                      help="multiple-testing correction across treatments")
    show.set_defaults(func=_show)
