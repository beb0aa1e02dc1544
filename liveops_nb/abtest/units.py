"""Per-unit metric values of an experiment: one row per randomisation unit with ``y`` (and ``d``, ``x``).

A registry metric ``num/den × scale`` gives each unit ``y = num × scale`` and ``d = den``; a
count gives ``y`` only. The base quantities come from :func:`liveops_nb.abtest.bases.unit_bases`.

* ``unit = "viewer"``: per assigned viewer, the base quantities over the experiment's sessions
  (its rooms, start within [start, end]). Summed over an arm they are the registry's
  per-session quantities summed over sessions, so a metric ``num/den`` is the registry's ratio
  for the arm; it is analysed as a ratio metric with viewers as units (delta method, Deng et
  al. 2018) on the viewers with ``den > 0`` (``impression_to_view_rate``: impressed viewers,
  y = sessions entered, d = sessions impressed). Counts are means over every assigned viewer
  (GMV per assigned viewer) and accept CUPED: the covariate ``x`` is the same quantity over
  ``pre_days`` before the start in the same rooms.
* ``unit = "session"``: per assigned session, the session's base quantities; a ``num/den``
  metric is a ratio of sums (delta method), a count a mean per session.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import ibis
import pandas as pd

from liveops_nb.abtest.bases import VIEWER_BASES, unit_bases
from liveops_nb.abtest.errors import MetricNotAvailableError
from liveops_nb.abtest.experiments import (
    UNITS,
    Experiment,
    Unit,
    assigned_ids,
    assignments,
    pre_period_ids,
    time_slot,
    viewer_segments,
    window_session_ids,
)
from liveops_nb.metrics import REGISTRY

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

MetricType = Literal["mean", "proportion", "ratio"]

def metric_type(key: str, unit: Unit) -> MetricType:
    """How metric ``key`` is analysed with ``unit`` as the randomisation unit.

    A ratio metric of the registry is a ``"ratio"``, a count a ``"mean"`` per unit; with viewers
    as units only metrics whose inputs can be had per viewer (:data:`~liveops_nb.abtest.bases.VIEWER_BASES`).
    :class:`MetricNotAvailableError` for an unknown key or a metric the unit cannot give.
    """
    if unit not in UNITS:
        raise MetricNotAvailableError(f"unit must be 'viewer' or 'session', not {unit!r}", code="unknown_unit",
                                      unit=unit)
    if key not in REGISTRY:
        raise MetricNotAvailableError(f"'{key}' is not a registered metric", code="unknown_metric", key=key)
    m = REGISTRY[key]
    if unit == "viewer" and not set(m.inputs) <= VIEWER_BASES:
        raise MetricNotAvailableError(f"{key} cannot be measured per {unit}", code="not_per_unit", metric=key,
                                      unit=unit)
    return "ratio" if m.is_ratio else "mean"


def measurable(unit: Unit) -> list[str]:
    """Registry keys measurable with ``unit`` as the unit, in registry order."""
    out = []
    for k in REGISTRY:
        try:
            metric_type(k, unit)
        except MetricNotAvailableError:
            continue
        out.append(k)
    return out


# ---------------------------------------------------------------- viewers as units
def _attach(units: Any, per_user: Any, fill: Sequence[str]) -> Any:
    j = units.left_join(per_user, units.unit_id == per_user.user_id)
    keep = [c for c in j.columns if c not in ("user_id",) and not c.endswith("_right")]
    return j.select(*keep).fill_null({c: 0 for c in fill})


def _metric_values(ds: Dataset, u: Any, key: str, covariate_session_ids: Sequence[str] | None, **extra: str) -> Any:
    """``y`` (and ``d``) from a table of per-unit base quantities; ``x`` from the covariate sessions."""
    m, kind = REGISTRY[key], metric_type(key, "viewer")
    cols = {"unit_id": u.unit_id, "variant": u.variant, **{k: u[v] for k, v in extra.items()},
            "y": u[m.numerator].cast("float64") * m.scale}
    if m.is_ratio:
        cols["d"] = u[m.denominator_base].cast("float64")
    vals = u.select(**cols)
    if m.is_ratio:
        vals = vals.filter(vals.d > 0)
    if covariate_session_ids is not None and kind != "ratio":
        pre = unit_bases(ds, "user_id", covariate_session_ids, [m.numerator], metric=key)
        pre = pre.select(user_id=pre.user_id, x=pre[m.numerator].cast("float64") * m.scale)
        vals = _attach(vals, pre, ["x"])
    return vals


def values_for_viewers(ds: Dataset, units: Any, key: str, session_ids: Sequence[str],
                       covariate_session_ids: Sequence[str] | None = None) -> Any:
    """Per viewer of ``units`` (an Ibis table ``unit_id, variant``): ``unit_id, variant, y`` (+ ``d``, ``x``).

    ``y`` is the metric's numerator (× registry scale) over ``session_ids``, ``d`` its
    denominator; ratio metrics keep the viewers with ``d > 0``. ``x`` is ``y`` over
    ``covariate_session_ids`` (CUPED pre-period; mean metrics).
    """
    metric_type(key, "viewer")
    m = REGISTRY[key]
    units = _attach(units, unit_bases(ds, "user_id", session_ids, m.inputs, metric=key), m.inputs)
    return _metric_values(ds, units, key, covariate_session_ids)


def viewer_values(ds: Dataset, exp: Experiment, key: str, *, session_ids: Sequence[str] | None = None,
                  covariate_session_ids: Sequence[str] | None = None) -> Any:
    """:func:`values_for_viewers` for the experiment's assigned viewers (default: its whole window)."""
    ids = session_ids if session_ids is not None else window_session_ids(ds.session_info, exp)
    return values_for_viewers(ds, assignments(ds, exp), key, ids, covariate_session_ids)


def viewer_values_by_day(ds: Dataset, exp: Experiment, key: str, *, pre_days: int | None = None) -> Any:
    """:func:`viewer_values` cumulated up to the end of each day of the experiment, in one query:
    ``unit_id, variant, day, y`` (+ ``d``, ``x``). Viewer quantities add up over sessions, so the
    value up to day D is the sum of the per-day values of the days <= D."""
    metric_type(key, "viewer")
    m = REGISTRY[key]
    info = ds.session_info
    ids = window_session_ids(info, exp)
    meta = info[info.session_id.isin(ids)]
    days = ibis.memtable(pd.DataFrame({"upto": sorted(meta.start_time.dt.strftime("%Y-%m-%d").unique())}))
    daily = unit_bases(ds, "user_id", ids, m.inputs, per_day=True, metric=key)
    j = daily.inner_join(days, daily.day <= days.upto)
    cum = j.group_by(["user_id", "upto"]).agg(**{b: j[b].sum() for b in m.inputs})
    units = assignments(ds, exp).cross_join(days)
    u = units.left_join(cum, (units.unit_id == cum.user_id) & (units.upto == cum.upto))
    u = u.select("unit_id", "variant", "upto", *m.inputs).fill_null({b: 0 for b in m.inputs})
    pre = pre_period_ids(info, exp, pre_days) if pre_days is not None else None
    return _metric_values(ds, u, key, pre, day="upto")


# ---------------------------------------------------------------- sessions as units
def values_for_sessions(ds: Dataset, units: Any, key: str, base: Any = None) -> Any:
    """Per session of ``units`` (Ibis ``unit_id, variant``): ``unit_id, variant, room_id, day, slot, y`` (+ ``d``).

    ``base`` replaces the sessions' base quantities (:func:`~liveops_nb.abtest.bases.unit_bases`);
    sessions whose inputs are missing (null) are left out. ``slot`` is the time slot of the
    start (:func:`~liveops_nb.abtest.experiments.time_slot`).
    """
    kind = metric_type(key, "session")
    m = REGISTRY[key]
    a = units
    ids = a.unit_id.execute().astype(str).tolist()
    if not ids:  # nothing assigned yet
        cols = {"unit_id": "string", "variant": "string", "room_id": "string", "day": "string", "slot": "string",
                "y": "float64", **({"d": "float64"} if kind == "ratio" else {})}
        return ibis.memtable(pd.DataFrame({c: pd.Series([], dtype=object if t == "string" else t)
                                           for c, t in cols.items()}), schema=cols)
    if base is None:
        base = unit_bases(ds, "session_id", ids, m.inputs, metric=key)
    info = ds.session_info
    meta = info[info.session_id.isin(ids)]
    meta = ibis.memtable(pd.DataFrame({
        "sid": meta.session_id.astype(str), "room_id": meta.room_id.astype(str),
        "day": meta.start_time.dt.strftime("%Y-%m-%d"), "slot": meta.start_time.map(time_slot)}))
    j = a.inner_join(base, a.unit_id == base.session_id).inner_join(meta, a.unit_id == meta.sid)
    cols = {"unit_id": j.unit_id, "variant": j.variant, "room_id": j.room_id, "day": j.day, "slot": j.slot,
            "y": j[m.numerator].cast("float64") * m.scale}
    ok = j[m.numerator].notnull()
    if kind == "ratio":
        cols["d"] = j[m.denominator_base].cast("float64")
        ok &= j[m.denominator_base].notnull()
    return j.filter(ok).select(**cols)


def _session_frame(ds: Dataset, exp: Experiment, key: str, segment: str | None) -> pd.DataFrame:
    """Per-session values (small: one row per assigned session), remembered in the dataset's cache."""
    return ds.remember(("abtest.session_values", exp, key, segment),
                       lambda: _make_session_frame(ds, exp, key, segment))


def _make_session_frame(ds: Dataset, exp: Experiment, key: str, segment: str | None) -> pd.DataFrame:
    a = assignments(ds, exp)
    if segment is None:
        return values_for_sessions(ds, a, key).execute()
    m = REGISTRY[key]
    who = viewer_segments(ds, exp)
    if not set(m.inputs) <= VIEWER_BASES:
        raise MetricNotAvailableError(f"{key} cannot be split by viewer segment", code="no_segment_split",
                                      metric=key)
    ids = assigned_ids(ds, exp)
    base = unit_bases(ds, "session_id", ids, m.inputs, viewers=who.filter(who.segment == segment).select("user_id"),
                      metric=key)
    return values_for_sessions(ds, a, key, base=base).execute()


def session_values(ds: Dataset, exp: Experiment, key: str) -> Any:
    """:func:`values_for_sessions` of the experiment's assigned sessions (Ibis)."""
    return ibis.memtable(_session_frame(ds, exp, key, None))


def segment_session_values(ds: Dataset, exp: Experiment, key: str, segment: str) -> Any:
    """:func:`session_values` with each session's base quantities recomputed from the events and
    orders of the viewers in ``segment`` ("new" or "returning") only."""
    return ibis.memtable(_session_frame(ds, exp, key, segment))


# ---------------------------------------------------------------- either unit
def unit_values(ds: Dataset, exp: Experiment, key: str, *, cuped: bool = False, pre_days: int = 28,
                until: pd.Timestamp | None = None, rooms: Iterable[str] | None = None) -> Any:
    """The per-unit value table of ``key`` for the experiment's unit kind (module docstring).

    ``cuped``, ``pre_days``, ``until`` and ``rooms`` apply to viewer tests: the covariate window,
    sessions starting up to ``until``, the experiment's sessions in ``rooms`` only.
    """
    if exp.unit == "session":
        return session_values(ds, exp, key)
    info = ds.session_info
    ids = window_session_ids(info, exp, end=until, rooms=rooms)
    pre = pre_period_ids(info, exp, pre_days, rooms) if cuped else None
    return viewer_values(ds, exp, key, session_ids=ids, covariate_session_ids=pre)
