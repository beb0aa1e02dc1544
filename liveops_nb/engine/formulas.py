"""The registry's formulas, applied once: a metric is a base quantity, or a ratio of two times a scale."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import ibis
import pandas as pd

from ..metrics import Metric
from .reasons import Reason


def metric_expr(m: Metric, base: Any) -> Any:
    """The Ibis expression for metric ``m`` over a base-quantity table (null when inputs are missing or den = 0)."""
    num = base[m.numerator].cast("float64")
    if not m.is_ratio:
        return num
    den = base[m.denominator_base].cast("float64")
    return ibis.cases((den > 0, num / den * m.scale), else_=ibis.null("float64"))


def apply(con: Any, frame: pd.DataFrame, by: tuple[str, ...], metrics: Iterable[Metric]) -> pd.DataFrame:
    """Metrics over an executed base-quantity frame (absent quantities count as missing)."""
    metrics = list(metrics)
    inputs = sorted({i for m in metrics for i in m.inputs})
    frame = frame.copy()
    for i in inputs:
        if i not in frame.columns:
            frame[i] = float("nan")
    if frame.empty:
        return pd.DataFrame({**{c: frame[c] for c in by}, **{m.key: pd.Series(dtype="float64") for m in metrics}})
    base = ibis.memtable(frame[[*by, *inputs]].assign(_row=range(len(frame))))
    out = con.execute(base.select(base._row, **{m.key: metric_expr(m, base) for m in metrics}))
    out = out.sort_values("_row").reset_index(drop=True)
    result = frame[list(by)].reset_index(drop=True).copy()
    for m in metrics:
        result[m.key] = out[m.key].astype("float64").to_numpy()
    return result


def missing_keys(metrics: Iterable[Metric], missing: Mapping[str, Reason]) -> dict[str, Reason]:
    """For each metric with an input the source or grain cannot give, the reason."""
    out = {}
    for m in metrics:
        for i in m.inputs:
            if i in missing:
                out[m.key] = missing[i]
                break
    return out


def why_missing(m: Metric, base_row: pd.Series, reason: Reason | None) -> Reason:
    """Why metric ``m`` has no value in one row of base quantities."""
    if reason is not None:
        return reason
    for i in m.inputs:
        if pd.isna(base_row.get(i)):
            return Reason("next_day_pending" if i == "next_day_returners" else "not_reported", i)
    return Reason("zero_denominator", m.denominator_base or m.numerator)
