"""Per-arm sufficient statistics of per-unit values: one Ibis aggregate, then :class:`ArmStats`.

Per arm (and per any ``by`` column): the count, sum and sum of squares of ``y``; with a
denominator ``d`` the sums of ``d``, ``d²`` and ``y·d``; with a covariate ``x`` those of ``x``,
``x²`` and ``y·x``. Everything is an Ibis expression (no backend SQL): it runs on the embedded
DuckDB and on any Ibis backend the dataset was opened on.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from liveops_nb.abtest.experiments import Experiment
from liveops_nb.abtest.statistics import ArmStats
from liveops_nb.abtest.units import unit_values

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

_EXTRA_SUMS = ("denominator_sum", "denominator_sum_squares", "main_denominator_sum_product",
               "covariate_sum", "covariate_sum_squares", "main_covariate_sum_product")


def arm_sums(values: Any, by: Sequence[str] = ()) -> Any:
    """Sufficient statistics per ``variant`` (and ``by`` columns) of a unit-value table (Ibis in, Ibis out)."""
    y = values.y
    aggs = {"n": values.count(), "sum": y.sum(), "sum_squares": (y * y).sum()}
    if "d" in values.columns:
        d = values.d
        aggs.update(denominator_sum=d.sum(), denominator_sum_squares=(d * d).sum(),
                    main_denominator_sum_product=(y * d).sum())
    if "x" in values.columns:
        x = values.x
        aggs.update(covariate_sum=x.sum(), covariate_sum_squares=(x * x).sum(),
                    main_covariate_sum_product=(y * x).sum())
    return values.group_by(["variant", *by]).agg(**aggs)


def to_arm_stats(sums: pd.DataFrame, variants: Sequence[str]) -> dict[str, ArmStats]:
    """One :class:`ArmStats` per variant from an executed :func:`arm_sums` frame (absent arms: n = 0)."""
    fields = [c for c in _EXTRA_SUMS if c in sums.columns]
    out: dict[str, ArmStats] = {}
    for v in variants:
        row = sums[sums.variant == v]
        if row.empty:
            out[v] = ArmStats(0, 0.0, 0.0, **{f: 0.0 for f in fields})
        else:
            r = row.iloc[0]
            out[v] = ArmStats(int(r["n"]), float(r["sum"]), float(r["sum_squares"]),
                              **{f: float(r[f]) for f in fields})
    return out


def sufficient_stats(ds: Dataset, exp: Experiment, key: str, *, cuped: bool = False, pre_days: int = 28,
                     until: pd.Timestamp | None = None, rooms: Iterable[str] | None = None
                     ) -> dict[str, ArmStats]:
    """Per-variant :class:`ArmStats` of metric ``key`` (one Ibis aggregate).

    Parameters
    ----------
    ds : Dataset
    exp : Experiment
    key : registry metric key
    cuped : add the pre-period covariate (viewer-level tests; ``pre_days`` before the start)
    until : only sessions starting up to this instant (cumulative results)
    rooms : restrict to these rooms (breakdowns)

    Raises
    ------
    MetricNotAvailableError
        The metric cannot be measured with the experiment's unit or from this data source.
    """
    vals = unit_values(ds, exp, key, cuped=cuped, pre_days=pre_days, until=until, rooms=rooms)
    if exp.unit == "session" and rooms is not None:
        vals = vals.filter(vals.room_id.isin(list(rooms)))
    return to_arm_stats(arm_sums(vals).execute(), exp.variants)
