"""The page's sample-size planner: the baseline from the experiment rooms' own history, then
:func:`~liveops_nb.abtest.planning.sample_size_for_effect`."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis
import pandas as pd

from liveops_nb.abtest.experiments import Experiment, active_viewers, window_session_ids
from liveops_nb.abtest.moments import Alternative
from liveops_nb.abtest.planning import sample_size_for_effect
from liveops_nb.abtest.sums import arm_sums, to_arm_stats
from liveops_nb.abtest.units import metric_type, values_for_sessions, values_for_viewers
from liveops_nb.errors import LiveOpsError

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset


@dataclass(frozen=True)
class Plan:
    """Sample size to detect ``effect`` (relative) on ``metric``, from the rooms' own history.

    ``error`` says why no plan could be made (a :class:`~liveops_nb.errors.LiveOpsError` with a
    reason code); ``weeks_needed`` (session tests) is all arms' sessions / sessions per week.
    """

    metric: str
    unit: str
    kind: str
    effect: float
    alpha: float
    power: float
    history_start: pd.Timestamp
    history_end: pd.Timestamp
    baseline_units: int
    baseline_mean: float = math.nan
    baseline_sd: float | None = None
    n_per_arm: int | None = None
    arms: int = 2
    weeks_needed: float | None = None
    error: LiveOpsError | None = None


def plan(ds: Dataset, exp: Experiment, metric: str | None = None, *, effect: float = 0.10, alpha: float = 0.05,
         power: float = 0.8, weeks: int = 8, alternative: Alternative = "two-sided") -> Plan:
    """Units per arm (sessions or viewers, by the experiment's unit) to detect a relative ``effect`` on ``metric``.

    ``metric`` defaults to the experiment's primary metric (the one its verdict is decided on).

    The baseline mean and per-unit sd come from the experiment's rooms over the
    ``weeks`` before its start (a ratio metric uses its delta-method sd);
    ``weeks_needed`` (session tests) = all arms' sessions / sessions per week.
    A plan that cannot be made carries the reason in ``error`` (never raises for bad data).
    """
    metric = metric or exp.primary_metric
    start, end = exp.start - pd.Timedelta(weeks=weeks), exp.start - pd.Timedelta(microseconds=1)
    ids = window_session_ids(ds.session_info, exp, start=start, end=end)
    head: dict[str, Any] = dict(metric=metric, unit=exp.unit, effect=effect, alpha=alpha, power=power, history_start=start,
                history_end=end, arms=len(exp.variants))
    try:
        kind = metric_type(metric, exp.unit)
        if exp.unit == "session":
            units = ibis.memtable(pd.DataFrame({"unit_id": ids, "variant": "all"}))
            vals = values_for_sessions(ds, units, metric)
        else:
            vals = values_for_viewers(ds, active_viewers(ds, ids), metric, ids)
        a = to_arm_stats(arm_sums(vals).execute(), ["all"])["all"]
        if kind == "proportion":
            mean, sd, pm = a.mean, None, "proportion"
        elif kind == "ratio":
            mean, sd, pm = a.ratio_mean, math.sqrt(a.ratio_variance), "mean"
        else:
            mean, sd, pm = a.mean, math.sqrt(a.variance), "mean"
        n = sample_size_for_effect(effect, baseline_mean=mean, baseline_sd=sd, metric=pm, alpha=alpha,  # type: ignore
                                   power=power, alternative=alternative)
    except LiveOpsError as err:
        return Plan(kind="", baseline_units=0, error=err, **head)
    first = ds.session_info.set_index("session_id").loc[ids, "start_time"].min() if ids else end
    span = max((end - first) / pd.Timedelta(weeks=1), 1 / 7)
    need = head["arms"] * n / (a.n / span) if exp.unit == "session" and a.n else None
    head["history_start"] = max(start, first)
    return Plan(kind=kind, baseline_units=a.n, baseline_mean=mean, baseline_sd=sd, n_per_arm=n,
                weeks_needed=need, **head)
