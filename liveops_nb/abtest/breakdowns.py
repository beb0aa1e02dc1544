"""The effect sliced: cumulative by day, per room, per viewer segment (new / returning)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from liveops_nb.abtest.analysis import DEFAULT_OPTIONS, Options
from liveops_nb.abtest.errors import ExperimentError, MetricNotAvailableError, StatsError
from liveops_nb.abtest.experiments import SEGMENTS, Experiment, viewer_segments, window_session_ids
from liveops_nb.abtest.frequentist import compare
from liveops_nb.abtest.statistics import ArmStats
from liveops_nb.abtest.sums import arm_sums, sufficient_stats, to_arm_stats
from liveops_nb.abtest.units import (
    metric_type,
    segment_session_values,
    session_values,
    unit_values,
    viewer_values_by_day,
)

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

By = Literal["room", "segment"]
TIME_COLUMNS = ["day", "treatment", "effect", "ci_low", "ci_high", "n_control", "n_treatment"]
BREAKDOWN_COLUMNS = ["group", "n_control", "n_treatment", "control_value", "treatment_value", "effect", "ci_low",
                     "ci_high", "p_value"]


def over_time(ds: Dataset, exp: Experiment, key: str, control: str, treatments: Sequence[str],
              options: Options = DEFAULT_OPTIONS) -> pd.DataFrame:
    """Cumulative relative effect by day, one row per (day, treatment):
    ``day, treatment, effect, ci_low, ci_high, n_control, n_treatment`` (NaN while an arm has < 2 units).

    Session tests add up per-day sums (a session falls on one day); viewer tests
    recompute each viewer's value from the sessions up to the end of each day.
    ``options.sequential`` gives the confidence sequence tuned at the final size.
    """
    kind = metric_type(key, exp.unit)
    exp.check_variants(control, treatments)
    arms_needed = [control, *treatments]
    if exp.unit == "session":
        daily = arm_sums(session_values(ds, exp, key), by=["day"]).execute()
        sums = [c for c in daily.columns if c not in ("variant", "day")]
        days = sorted(daily.day.unique())
        grid = pd.MultiIndex.from_product([arms_needed, days], names=["variant", "day"])
        cum = daily.set_index(["variant", "day"]).reindex(grid, fill_value=0)[sums].groupby(level=0).cumsum()
    else:
        vals = viewer_values_by_day(ds, exp, key, pre_days=options.pre_days if options.cuped else None)
        cum = arm_sums(vals, by=["day"]).execute().set_index(["variant", "day"])
        days = sorted(cum.index.get_level_values("day").unique())
    steps = [(d, to_arm_stats(cum.xs(d, level=1).reset_index(), arms_needed)) for d in days]
    rows = []
    for t in treatments:
        final = steps[-1][1] if steps else {}
        tuning = max(final[control].n + final[t].n, 2) if final else 2
        for day, arms in steps:
            c, tr = arms[control], arms[t]
            try:
                r = compare(c, tr, metric=kind, alpha=options.alpha, alternative=options.alternative,
                            cuped=options.cuped and kind != "ratio" and c.has_covariate,
                            sequential=options.sequential, sequential_tuning=tuning)
                rows.append((day, t, r.effect, r.ci_low, r.ci_high, c.n, tr.n))
            except StatsError:
                rows.append((day, t, np.nan, np.nan, np.nan, c.n, tr.n))
    return pd.DataFrame(rows, columns=TIME_COLUMNS)


def breakdown(ds: Dataset, exp: Experiment, key: str, control: str, treatment: str, by: By,
              options: Options = DEFAULT_OPTIONS) -> pd.DataFrame:
    """Relative effect per room or per viewer segment (new / returning):
    ``group, n_control, n_treatment, control_value, treatment_value, effect, ci_low, ci_high, p_value``."""
    if by not in ("room", "segment"):
        raise ExperimentError(f"breakdown by must be 'room' or 'segment', not {by!r}", code="unknown_breakdown", by=by)
    kind = metric_type(key, exp.unit)
    exp.check_variants(control, [treatment])
    groups: list[tuple[str, dict[str, ArmStats]]] = []
    if by == "room":
        if exp.unit == "session":
            s = arm_sums(session_values(ds, exp, key), by=["room_id"]).execute()
            groups = [(r, to_arm_stats(g, exp.variants)) for r, g in s.groupby("room_id")]
        else:
            info = ds.session_info
            rooms = sorted(info[info.session_id.isin(window_session_ids(info, exp))].room_id.unique())
            groups = [(r, sufficient_stats(ds, exp, key, rooms=[r])) for r in rooms]
    else:
        groups = segment_arms(ds, exp, key)
    rows = []
    for g, arms in groups:
        c, t = arms[control], arms[treatment]
        try:
            r = compare(c, t, metric=kind, alpha=options.alpha, alternative=options.alternative)
            rows.append((g, c.n, t.n, r.control_value, r.treatment_value, r.effect, r.ci_low, r.ci_high, r.p_value))
        except StatsError:
            rows.append((g, c.n, t.n, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan))
    return pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)


def segment_arms(ds: Dataset, exp: Experiment, key: str) -> list[tuple[str, dict[str, ArmStats]]]:
    """Per-arm sums for new and for returning viewers (viewer tests: by unit; session tests: each
    session's base quantities recomputed from that segment's events and orders)."""
    if ds.level != "viewer":
        raise MetricNotAvailableError("new vs returning viewers needs the viewer-level events table",
                                      code="segments_need_viewer_level")
    if exp.unit == "viewer":
        seg = viewer_segments(ds, exp)
        v = unit_values(ds, exp, key)
        j = v.inner_join(seg, v.unit_id == seg.user_id)
        s = arm_sums(j, by=["segment"]).execute()
        return [(g, to_arm_stats(s[s.segment == g], exp.variants)) for g in SEGMENTS]
    return [(g, to_arm_stats(arm_sums(segment_session_values(ds, exp, key, g)).execute(), exp.variants))
            for g in SEGMENTS]
