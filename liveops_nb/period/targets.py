"""Targets per room and period from the data folder's ``targets.csv``, with attainment, run-rate forecast and gap.

The file (optional; written by the team, or by the demo) has one row per room, period and metric::

    room_id,period,metric,target
    R01,2026-W41,gmv,1200000
    R01,2026-10,gmv,5000000
    R01,2026-10,view_to_order_rate,0.08

* ``period`` is a day (``2026-10-12``), an ISO week (``2026-W41``) or a month (``2026-10``), as
  :func:`liveops_nb.period.periods.parse` reads them;
* ``metric`` is a registry key (``gmv``, ``uv``, ``buyers``, ``gpm`` …);
* ``target`` is a finite number ≥ 0 (a volume for the whole period, or the ratio to reach).

A malformed file is refused as a whole (:class:`~liveops_nb.errors.TargetsFileError`, naming the
rows), never read in part: unknown column, room, metric or period label, a target that is not a
number, or the same room, period and metric twice.

Forecast to the period's end (:func:`forecast`): a *volume* (GMV, orders, viewers …: no denominator)
at the pace so far, ``value × days in period / days elapsed`` (:func:`liveops_nb.measures.run_rate`);
a *ratio* (conversion, GPM …) is forecast at its value so far. The gap is forecast − target.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import measures
from ..errors import PeriodError, TargetsFileError, did_you_mean
from ..metrics import REGISTRY
from .periods import Period, parse

if TYPE_CHECKING:
    from ..dataset import Dataset

FILE_NAME = "targets.csv"
COLUMNS: tuple[str, ...] = ("room_id", "period", "metric", "target")


def read_targets(folder: str | Path | None, rooms: list[str] | None = None) -> pd.DataFrame:
    """The targets of ``folder/targets.csv`` (empty frame with :data:`COLUMNS` when there is no file).

    Parameters
    ----------
    folder : the data folder (None: no file).
    rooms : the dataset's room ids (a target for another room is refused); None: not checked.

    Returns
    -------
    DataFrame ``room_id``, ``period`` (canonical label), ``grain``, ``metric``, ``target`` (float).

    Raises
    ------
    TargetsFileError
        The file is malformed (see the module docstring).
    """
    empty = pd.DataFrame({"room_id": pd.Series(dtype=str), "period": pd.Series(dtype=str),
                          "grain": pd.Series(dtype=str), "metric": pd.Series(dtype=str),
                          "target": pd.Series(dtype=float)})
    if folder is None or not (Path(folder) / FILE_NAME).is_file():
        return empty
    path = Path(folder) / FILE_NAME
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise TargetsFileError(f"{path}: cannot be read as CSV ({err})") from None
    raw.columns = [c.strip() for c in raw.columns]
    if list(raw.columns) != list(COLUMNS):
        raise TargetsFileError(f"{path}: columns must be {','.join(COLUMNS)}, found {','.join(raw.columns)}")
    problems: list[str] = []
    rows = []
    for i, r in enumerate(raw.itertuples(index=False), start=2):  # line 1 is the header
        room, label, metric, value = (str(v).strip() for v in r)
        if rooms is not None and room not in rooms:
            problems.append(f"line {i}: unknown room '{room}'.{did_you_mean(room, rooms)}")
            continue
        if metric not in REGISTRY:
            problems.append(f"line {i}: unknown metric '{metric}'.{did_you_mean(metric, REGISTRY)}")
            continue
        try:
            period = parse(label)
        except PeriodError as err:
            problems.append(f"line {i}: {err}")
            continue
        try:
            target = float(value)
        except ValueError:
            target = float("nan")
        if not np.isfinite(target) or target < 0:
            problems.append(f"line {i}: target must be a number ≥ 0, not {value!r}")
            continue
        rows.append((room, period.label, period.grain, metric, target))
    if problems:
        raise TargetsFileError(f"{path}: " + "; ".join(problems[:10]))
    out = pd.DataFrame(rows, columns=["room_id", "period", "grain", "metric", "target"])
    dup = out.duplicated(["room_id", "period", "metric"], keep=False)
    if dup.any():
        first = out[dup].iloc[0]
        raise TargetsFileError(f"{path}: room {first.room_id}, period {first.period}, metric {first.metric} "
                               "has more than one target")
    return out if len(out) else empty


def dataset_targets(ds: Dataset) -> pd.DataFrame:
    """The dataset's targets (:func:`read_targets` of its folder), read once per dataset."""
    folder = getattr(ds, "path", None)
    rooms = sorted(ds.session_dims["room_id"].unique().tolist())
    return ds.remember(("period_targets", str(folder)), lambda: read_targets(folder, rooms))


def targets_for(targets: pd.DataFrame, period: Period, rooms: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Rows of ``targets`` for ``period`` and ``rooms``: ``room_id``, ``metric``, ``target``."""
    hit = targets[(targets["period"] == period.label) & targets["room_id"].isin(list(rooms))]
    return hit[["room_id", "metric", "target"]].reset_index(drop=True)


def total_target(targets: pd.DataFrame, metric: str, rooms: list[str] | tuple[str, ...]) -> float:
    """The selection's target of a volume metric: the sum of its rooms' targets when *every* room has one; NaN
    otherwise (and for ratio metrics, whose room targets do not add up)."""
    if REGISTRY[metric].is_ratio or not rooms:
        return float("nan")
    hit = targets[targets["metric"] == metric].set_index("room_id")["target"]
    if not all(r in hit.index for r in rooms):
        return float("nan")
    return float(sum(float(hit[r]) for r in rooms))


def is_volume(metric: str) -> bool:
    """A metric that accumulates over the period (no denominator; not the peak ``pcu``)."""
    m = REGISTRY[metric]
    return not m.is_ratio and m.denominator == "none" and metric != "pcu"


def forecast(metric: str, value: float, elapsed: int, days: int) -> float:
    """The metric's forecast at the period's end: a volume at the pace so far, a ratio at its value so far."""
    if elapsed >= days:
        return float(value)
    if is_volume(metric):
        return measures.run_rate(value, elapsed, days)
    return float(value)
