"""Results vs goals: the period's registry KPIs per room and in total against five references.

* the **previous period** and the **same period one cycle earlier** (:mod:`.periods`);
* the room's **history**: the median of the up to ``history_n`` periods of the same grain before this one
  (periods without sessions are skipped);
* the **category benchmarks** (``benchmarks.yaml``, :func:`liveops_nb.config.load_benchmarks`) — for ratio
  metrics only, since a benchmark of one session's GMV says nothing about a week's; the total row has
  them when every room chosen shares one category;
* the **targets** of ``targets.csv`` (:mod:`.targets`) with attainment (value / target), the forecast to the
  period's end (run rate for volumes) and the gap (forecast − target). The total row's target of a volume
  is the sum of the rooms' targets when every room has one.

Every value comes from ``ds.kpis`` (:func:`.frames.period_kpis`, one query for all periods); gaps and
attainment from :mod:`liveops_nb.measures`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .. import measures
from ..config import load_benchmarks
from ..metrics import REGISTRY
from . import targets as tg
from .frames import Scope, periods_frame, room_categories, room_names, sessions_in
from .periods import CYCLE, elapsed_days

if TYPE_CHECKING:
    from ..dataset import Dataset

KEYS: tuple[str, ...] = ("gmv", "uv", "buyers", "view_to_order_rate", "aov", "uv_value", "gpm",
                         "avg_watch_seconds", "refund_rate")
HISTORY_N = 6
"""Earlier periods in the room's history median (default)."""


def lookback(grain: str, history_n: int = HISTORY_N) -> int:
    """Periods before this one the results read: the history and the period one cycle earlier."""
    return max(history_n, CYCLE[grain][1])
"""The registry metrics of the results section (and of the hosts/rooms comparison)."""
TOTAL = "__total__"
"""``scope`` value of the rows of all rooms chosen together."""
COLUMNS: tuple[str, ...] = ("scope", "name", "key", "value", "previous", "cycle", "history", "n_history",
                            "bench_p50", "bench_p75", "target", "attainment", "forecast", "gap",
                            "rel_previous", "rel_cycle", "rel_history")


@dataclass(frozen=True)
class GoalsData:
    """The results section's table.

    Attributes
    ----------
    period, previous, cycle : labels of the period and its two comparison periods.
    table : one row per scope (room id, or :data:`TOTAL`) and metric; columns :data:`COLUMNS`.
    elapsed, days : days of the period covered by the data so far, and its length.
    n_sessions : sessions per scope in the period.
    illustrative, bench_source : whether the benchmarks are the shipped illustrative ones, and their file.
    """

    period: str
    previous: str
    cycle: str
    table: pd.DataFrame
    elapsed: int
    days: int
    n_sessions: dict[str, int]
    illustrative: bool
    bench_source: str

    def row(self, scope: str, key: str) -> pd.Series:
        """The row of one scope and metric."""
        hit = self.table[(self.table["scope"] == scope) & (self.table["key"] == key)]
        return hit.iloc[0]

    def wide(self, column: str = "value") -> pd.DataFrame:
        """``column`` as a scope × metric table (index: scope)."""
        return self.table.pivot(index="scope", columns="key", values=column)[list(KEYS)]


def build(ds: Dataset, scope: Scope, *, history_n: int = HISTORY_N, as_of: pd.Timestamp | None = None) -> GoalsData:
    """Results vs goals of ``scope`` (see the module docstring).

    Parameters
    ----------
    ds : the dataset.
    scope : the period and the rooms.
    history_n : earlier periods in the room's history median.
    as_of : the day the data run to (default: the last session day); sets the days elapsed.
    """
    p = scope.period
    back = lookback(p.grain, history_n)
    periods = [p.shift(-i) for i in range(back + 1)]
    frame = periods_frame(ds, scope, KEYS, back)
    by_room = frame[frame["room_id"] != TOTAL]
    history = {x.label for x in periods[1:history_n + 1]}
    names = room_names(ds)
    cats = room_categories(ds)
    bench = load_benchmarks(getattr(ds, "path", None))
    rooms = scope.room_ids(ds)
    targets = tg.targets_for(tg.dataset_targets(ds), p, rooms)
    elapsed = elapsed_days(ds, p, as_of)
    sessions = sessions_in(ds, scope)
    counts = sessions.groupby("room_id").size().to_dict()
    n_sessions = {r: int(counts.get(r, 0)) for r in rooms} | {TOTAL: len(sessions)}
    shown = [r for r in rooms if r in set(by_room["room_id"])] + [TOTAL]
    rows = []
    for scope_id in shown:
        own = frame[frame["room_id"] == scope_id].set_index("period")
        category = cats.get(scope_id) if scope_id != TOTAL else _one({cats.get(r) for r in rooms})
        room_targets = targets[targets["room_id"] == scope_id].set_index("metric")["target"]
        for key in KEYS:
            value = _at(own, p.label, key)
            hist = [v for lbl in own.index if lbl in history and pd.notna(v := _at(own, str(lbl), key))]
            ratio = REGISTRY[key].is_ratio
            b50 = bench.value(category, key, "p50") if (category and ratio) else None
            b75 = bench.value(category, key, "p75") if (category and ratio) else None
            if scope_id == TOTAL:
                target = tg.total_target(targets, key, rooms)
            else:
                target = float(room_targets[key]) if key in room_targets.index else float("nan")
            fc = tg.forecast(key, value, elapsed, p.days) if pd.notna(target) else float("nan")
            previous, cycle = _at(own, p.previous.label, key), _at(own, p.cycle_earlier.label, key)
            median = float(pd.Series(hist, dtype=float).median()) if hist else float("nan")
            rows.append({
                "scope": scope_id, "name": names.get(scope_id, scope_id) if scope_id != TOTAL else "",
                "key": key, "value": value, "previous": previous, "cycle": cycle, "history": median,
                "n_history": len(hist), "bench_p50": _num(b50), "bench_p75": _num(b75), "target": target,
                "attainment": measures.attainment(value, target),
                "forecast": fc, "gap": fc - target if pd.notna(fc) and pd.notna(target) else float("nan"),
                "rel_previous": measures.relative_gap(value, previous),
                "rel_cycle": measures.relative_gap(value, cycle),
                "rel_history": measures.relative_gap(value, median)})
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return GoalsData(p.label, p.previous.label, p.cycle_earlier.label, table, elapsed, p.days, n_sessions,
                     bench.illustrative, bench.source)


def key_figures(data: GoalsData) -> dict[str, float | str | None]:
    """The total's value, previous, attainment, forecast and gap of every metric; days elapsed."""
    out: dict[str, float | str | None] = {"period": data.period, "elapsed_days": float(data.elapsed),
                                          "period_days": float(data.days),
                                          "n_sessions": float(data.n_sessions.get(TOTAL, 0))}
    for _, r in data.table[data.table["scope"] == TOTAL].iterrows():
        for col in ("value", "previous", "cycle", "history", "target", "attainment", "forecast", "gap"):
            v = r[col]
            out[f"{r['key']}_{col}"] = None if pd.isna(v) else float(v)
    return out


def _at(frame: pd.DataFrame, label: str, key: str) -> float:
    if label not in frame.index:
        return float("nan")
    v = pd.to_numeric(pd.Series([frame.at[label, key]]), errors="coerce").iloc[0]
    return float(v) if pd.notna(v) else float("nan")


def _num(v: float | None) -> float:
    return float("nan") if v is None else float(v)


def _one(values: set) -> str | None:
    values = {v for v in values if v}
    return next(iter(values)) if len(values) == 1 else None
