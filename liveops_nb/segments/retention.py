"""Next-day return and repurchase rates (the registry's) per week or month, and for the two periods.

``next_day_return_rate`` and ``repurchase_rate`` come from ``ds.kpis`` as they are defined in the
registry (docs/metrics.md); over a week or month they are ratios of the summed base quantities. On
aggregate-only data both are missing, with the registry's reason.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..engine import formulas
from ..engine.reasons import Reason
from ..metrics import get as get_metric
from .data import session_ids
from .window import Window

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

KEYS: tuple[str, ...] = ("next_day_return_rate", "repurchase_rate")
TREND_BUCKETS = 12


@dataclass(frozen=True)
class RetentionData:
    """The two rates per bucket (``bucket`` + one column per key), in the period and the previous one.

    ``missing`` maps a key the dataset cannot give at all to the registry's reason; ``reasons`` says
    why a value of ``current`` / ``previous`` is None (keys ``("current", key)`` and ``("previous", key)``).
    """

    trend: pd.DataFrame
    current: dict[str, float | None]
    previous: dict[str, float | None]
    missing: dict[str, Reason] = field(default_factory=dict)
    reasons: dict[tuple[str, str], Reason] = field(default_factory=dict)


def _values(ds: Dataset, ids: list[str]) -> tuple[dict[str, float | None], dict[str, Reason]]:
    """The rates over sessions ``ids`` and, for each that has no value, the registry's reason."""
    if not ids:
        return dict.fromkeys(KEYS), {}
    where = {"session_id": ids}
    wide = ds.kpis(list(KEYS), by=[], where=where)
    row = wide.iloc[0]
    values = {k: (None if pd.isna(row[k]) else float(row[k])) for k in KEYS}
    empty = [k for k in KEYS if values[k] is None]
    reasons: dict[str, Reason] = {}
    if empty:
        inputs = sorted({i for k in empty for i in get_metric(k).inputs})
        bases = ds.bases(inputs, by=[], where=where)
        base_row = bases.iloc[0] if len(bases) else pd.Series(dtype="float64")
        known = {**bases.attrs.get("missing", {}), **wide.attrs.get("missing", {})}
        for k in empty:
            reasons[k] = formulas.why_missing(get_metric(k), base_row, known.get(k))
    return values, reasons


def retention(ds: Dataset, win: Window, room: str = "", buckets: int = TREND_BUCKETS) -> RetentionData:
    """The rates per week or month up to the as-of day, and over the current and the previous period."""
    where = {"room_id": room} if room else None
    trend = ds.kpis(list(KEYS), by=[win.granularity], where=where)
    missing = dict(trend.attrs.get("missing", {}))
    trend = trend.rename(columns={win.granularity: "bucket"})
    trend = trend[pd.to_datetime(trend["bucket"]) <= win.as_of].tail(buckets).reset_index(drop=True)
    current, now_why = _values(ds, session_ids(ds, win.start, win.as_of, room))
    previous, before_why = _values(ds, session_ids(ds, win.prev_start, win.prev_end, room))
    reasons = {**{("current", k): r for k, r in now_why.items()}, **{("previous", k): r for k, r in before_why.items()}}
    return RetentionData(trend, current, previous, missing, reasons)
