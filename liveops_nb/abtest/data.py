"""Per-arm sufficient statistics of an experiment, computed with Ibis expressions.

The statistics engine (:mod:`liveops_nb.abtest.stats`) needs, per arm, the
count, sum and sum of squares of the per-unit value ``y`` -- plus, for ratio
metrics, the per-unit denominator ``d`` (Σd, Σd², Σyd) and, for CUPED, the
pre-period covariate ``x`` (Σx, Σx², Σyx). Everything here is an Ibis
expression (no backend SQL): it runs on the embedded DuckDB and on any Ibis
backend the dataset was opened on.

Units
-----
* ``unit = "viewer"``: per assigned viewer, the registry's base quantities
  restricted to that viewer and summed over the experiment's sessions (its
  rooms, start within [start, end]): people quantities count *sessions*
  (``uv`` = sessions the viewer entered, ``buyers`` = sessions with an order),
  money and counts are sums. Summed over an arm this is exactly the registry's
  per-session quantities summed over sessions, so a metric ``num/den`` is the
  registry's ratio for the arm; it is analysed as a ratio metric with viewers
  as units (delta method, Deng et al. 2018), on the viewers with ``den > 0``
  (``impression_to_view_rate``: impressed viewers, y = sessions entered,
  d = sessions impressed). Counts are means over every assigned viewer (GMV
  per assigned viewer) and accept CUPED: the covariate is the same quantity
  over ``pre_days`` before the start in the same rooms.
* ``unit = "session"``: per assigned session, the base quantities of
  :meth:`Dataset.base`; a ``num/den`` metric is a ratio of sums
  (delta method), a count a mean per session.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable, Literal, Optional, Sequence

import ibis
import pandas as pd

from liveops_nb import derive
from liveops_nb.abtest.stats import ArmStats
from liveops_nb.errors import LiveOpsError, MissingTableError
from liveops_nb.metrics import REGISTRY

Unit = Literal["viewer", "session"]
MetricType = Literal["mean", "proportion", "ratio"]

# registry key -> (type with viewers as units, type with sessions as units); None = not available.
METRIC_TYPES: dict[str, tuple[Optional[MetricType], Optional[MetricType]]] = {
    "impressions": ("mean", "mean"), "views": ("mean", "mean"), "uv": ("mean", "mean"),
    "pcu": (None, "mean"), "acu": (None, "mean"), "avg_watch_seconds": ("ratio", "ratio"),
    "gmv": ("mean", "mean"), "orders": ("mean", "mean"), "buyers": ("mean", "mean"),
    "units": ("mean", "mean"), "aov": ("ratio", "ratio"), "uv_value": ("ratio", "ratio"),
    "gpm": ("ratio", "ratio"), "impression_to_view_rate": ("ratio", "ratio"),
    "product_impression_rate": ("ratio", "ratio"), "product_click_rate": ("ratio", "ratio"),
    "click_to_order_rate": ("ratio", "ratio"), "view_to_order_rate": ("ratio", "ratio"),
    "interaction_rate": ("ratio", "ratio"), "new_followers": ("mean", "mean"),
    "follow_rate": ("ratio", "ratio"), "valid_comment_ratio": (None, "ratio"), "questions": (None, "mean"),
    "answer_coverage": (None, "ratio"), "refund_rate": ("ratio", "ratio"), "paid_spend": (None, "mean"),
    "paid_roi": (None, "ratio"), "next_day_return_rate": (None, "ratio"), "repurchase_rate": (None, "ratio"),
}

# Per-viewer base quantities, mirroring derive.session_totals: (event types, "people" = sessions in
# which the viewer did it, or "count" = events).
_EVENT_BASES: dict[str, tuple[tuple[str, ...], str]] = {
    "impressions": (("impression",), "people"), "uv": (("enter",), "people"), "views": (("enter",), "count"),
    "product_impression_uv": (("product_impression",), "people"),
    "product_click_uv": (("product_click",), "people"),
    "interaction_uv": (("like", "comment", "share"), "people"), "new_followers": (("follow",), "count"),
}
_ORDER_BASES = {"gmv": "amount", "units": "quantity", "refund_amount": "refund_amount", "orders": None,
                "buyers": None}
VIEWER_BASES = frozenset([*_EVENT_BASES, *_ORDER_BASES, "watch_seconds"])
_EXTRA_SUMS = ("denominator_sum", "denominator_sum_squares", "main_denominator_sum_product",
               "covariate_sum", "covariate_sum_squares", "main_covariate_sum_product")


class ExperimentError(LiveOpsError):
    """An experiment cannot be analysed as asked (the message says why and what to do)."""


class UnknownExperimentError(ExperimentError, KeyError):
    """An experiment id that is not in the dataset."""

    def __init__(self, experiment_id: str, known: Sequence[str] = ()) -> None:
        self.experiment_id, self.known = experiment_id, list(known)
        hint = f" Known experiments: {', '.join(self.known)}." if self.known else ""
        super().__init__(f"experiment '{experiment_id}' is not in this dataset.{hint}")

    def __str__(self) -> str:
        return self.args[0]


class MetricNotAvailableError(ExperimentError):
    """The metric cannot be computed for this unit or data source (``zh``: the reason in Chinese)."""

    def __init__(self, message: str, zh: Optional[str] = None) -> None:
        super().__init__(message)
        self.zh = zh

    def text(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" and self.zh else str(self)


@dataclass(frozen=True)
class Experiment:
    """One row of the ``experiments`` table, parsed (``split`` keeps the planned order of variants)."""

    experiment_id: str
    name: str
    hypothesis: str
    unit: Unit
    variable: str
    start: pd.Timestamp
    end: pd.Timestamp
    primary_metric: str
    status: str
    control: str
    split: tuple[tuple[str, float], ...]
    room_ids: tuple[str, ...]

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.split)

    @property
    def treatments(self) -> tuple[str, ...]:
        return tuple(v for v in self.variants if v != self.control)

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.split)


def parse_split(text: str) -> tuple[tuple[str, float], ...]:
    """``"A:0.5,B:0.5"`` -> ``(("A", 0.5), ("B", 0.5))`` (weights normalised to sum to 1)."""
    pairs = []
    for part in str(text).replace("，", ",").replace(";", ",").split(","):
        if part.strip():
            name, _, w = part.rpartition(":")
            try:
                pairs.append((name.strip(), float(w)))
            except ValueError:
                raise ExperimentError(f"planned_split '{text}' is not like 'A:0.5,B:0.5'") from None
    total = sum(w for _, w in pairs)
    if len(pairs) < 2 or total <= 0 or any(not n or w < 0 for n, w in pairs):
        raise ExperimentError(f"planned_split '{text}' needs two or more 'variant:share' parts")
    return tuple((n, w / total) for n, w in pairs)


def experiments_frame(ds) -> pd.DataFrame:
    """The ``experiments`` table (empty frame when the dataset has none)."""
    if not ds.has("experiments"):
        return pd.DataFrame(columns=["experiment_id", "name", "unit", "variable", "start", "end"])
    return ds.frame("experiments").sort_values("start").reset_index(drop=True)


def experiment_from_row(row: pd.Series) -> Experiment:
    """Parse one experiments row into an :class:`Experiment`."""
    rooms = row.get("room_ids")
    room_ids = () if rooms is None or pd.isna(rooms) else tuple(
        r.strip() for r in str(rooms).replace(";", ",").replace("，", ",").split(",") if r.strip())
    split = parse_split(row["planned_split"])
    if row["control_variant"] not in dict(split):
        raise ExperimentError(f"control_variant '{row['control_variant']}' is not in planned_split "
                              f"'{row['planned_split']}' of {row['experiment_id']}")
    return Experiment(str(row["experiment_id"]), str(row["name"]), str(row["hypothesis"]), row["unit"],
                      str(row["variable"]), pd.Timestamp(row["start"]), pd.Timestamp(row["end"]),
                      str(row["primary_metric"]), str(row["status"]), str(row["control_variant"]), split, room_ids)


def load_experiment(ds, experiment_id: str) -> Experiment:
    """The experiment ``experiment_id``; :class:`UnknownExperimentError` lists the known ids."""
    df = experiments_frame(ds)
    hit = df[df.experiment_id == experiment_id]
    if hit.empty:
        raise UnknownExperimentError(experiment_id, df.experiment_id.tolist())
    return experiment_from_row(hit.iloc[0])


def metric_type(key: str, unit: Unit) -> MetricType:
    """How metric ``key`` is analysed with ``unit`` as the randomisation unit (see :data:`METRIC_TYPES`)."""
    if key not in REGISTRY:
        raise MetricNotAvailableError(f"'{key}' is not a registered metric", f"“{key}” 不是已注册的指标")
    kind = METRIC_TYPES.get(key, (None, None))[0 if unit == "viewer" else 1]
    if kind is None:
        raise MetricNotAvailableError(f"{key} cannot be measured per {unit}",
                                      f"{REGISTRY[key].zh} 无法按{'观众' if unit == 'viewer' else '场次'}计算")
    return kind


def window_session_ids(info: pd.DataFrame, exp: Experiment, *, start: Optional[pd.Timestamp] = None,
                       end: Optional[pd.Timestamp] = None, rooms: Optional[Iterable[str]] = None) -> list[str]:
    """Sessions in the experiment's rooms (or ``rooms``) starting in [start, end] (default: the experiment's)."""
    lo, hi = start if start is not None else exp.start, end if end is not None else exp.end
    keep = (info.start_time >= lo) & (info.start_time <= hi)
    room_list = list(rooms) if rooms is not None else list(exp.room_ids)
    if room_list:
        keep &= info.room_id.isin(room_list)
    return info.loc[keep, "session_id"].astype(str).tolist()


def assignments(ds, exp: Experiment):
    """The experiment's assignment rows (``unit_id``, ``variant``) as an Ibis table."""
    if not ds.has("assignments"):
        raise MissingTableError("assignments", f"experiment {exp.experiment_id}")
    a = ds.table("assignments")
    return a.filter(a.experiment_id == exp.experiment_id).select("unit_id", "variant")


def session_span(info: pd.DataFrame, session_ids: Sequence[str]) -> Optional[tuple[pd.Timestamp, pd.Timestamp]]:
    """(first start, last end) of ``session_ids``: every event and order of them lies inside it."""
    hit = info[info.session_id.isin(list(session_ids))]
    return (hit.start_time.min(), hit.end_time.max()) if len(hit) else None


def _in_sessions(t, ids: list[str], span):
    """Rows of sessions ``ids``; the time bound lets the engine skip whole row groups of time-ordered files."""
    cond = t.session_id.isin(ids)
    if span is not None:
        cond &= (t.ts >= ibis.literal(span[0].tz_convert("UTC"))) & (t.ts <= ibis.literal(span[1].tz_convert("UTC")))
    return t.filter(cond)


def viewer_bases(events, orders, sessions, session_ids: Sequence[str], bases: Iterable[str], session_day=None,
                 span: Optional[tuple[pd.Timestamp, pd.Timestamp]] = None):
    """Per-viewer base quantities over ``session_ids``: ``user_id`` plus one column per base.

    People quantities count the sessions in which the viewer did it (entered,
    bought, ...: distinct viewer × session), counts and money are sums,
    ``watch_seconds`` sums the viewer's visits (:func:`derive.visits`). With
    ``session_day`` (an Ibis table ``sid, day``) the rows are per viewer and
    day. ``span`` (:func:`session_span`) only speeds the scan up.
    """
    bases = [b for b in dict.fromkeys(bases)]
    unknown = set(bases) - VIEWER_BASES
    if unknown:
        raise MetricNotAvailableError(f"not measurable per viewer: {', '.join(sorted(unknown))}")
    ids = list(session_ids) or ["\0"]
    parts = []

    def per(t):
        if session_day is None:
            return t.mutate(uid=t.user_id), ["uid"]
        t = t.inner_join(session_day, t.session_id == session_day.sid)
        return t.mutate(uid=t.user_id), ["uid", "day"]

    people = [b for b in bases if b in _EVENT_BASES and _EVENT_BASES[b][1] == "people"]
    counts = [b for b in bases if b in _EVENT_BASES and _EVENT_BASES[b][1] == "count"]
    if people:  # each event type belongs to at most one people quantity
        e, keys = per(_in_sessions(events, ids, span))
        e = e.filter(e.event_type.isin([t for b in people for t in _EVENT_BASES[b][0]]))
        label = ibis.cases(*[(e.event_type.isin(list(_EVENT_BASES[b][0])), b) for b in people])
        d = e.select(*keys, e.session_id, base=label).distinct()
        parts.append(d.group_by(keys).agg(**{b: (d.base == b).cast("int64").sum() for b in people}))
    if counts:
        e, keys = per(_in_sessions(events, ids, span))
        e = e.filter(e.event_type.isin([t for b in counts for t in _EVENT_BASES[b][0]]))
        parts.append(e.group_by(keys).agg(**{b: e.event_type.isin(list(_EVENT_BASES[b][0])).cast("int64").sum()
                                              for b in counts}))
    od_bases = [b for b in bases if b in _ORDER_BASES]
    if "buyers" in od_bases:
        o, keys = per(_in_sessions(orders, ids, span))
        d = o.select(*keys, o.session_id).distinct()
        parts.append(d.group_by(keys).agg(buyers=d.count()))
    if set(od_bases) - {"buyers"}:
        o, keys = per(_in_sessions(orders, ids, span))
        parts.append(o.group_by(keys).agg(**{b: (o[_ORDER_BASES[b]].sum() if _ORDER_BASES[b] else o.count())
                                            for b in od_bases if b != "buyers"}))
    if "watch_seconds" in bases:
        v, keys = per(derive.visits(_in_sessions(events, ids, span), sessions))
        parts.append(v.group_by(keys).agg(watch_seconds=v.watch_seconds.sum()))
    k = keys
    out = parts[0]
    for p in parts[1:]:
        out = out.outer_join(p, [out[c] == p[c] for c in k])
        out = out.select(**{c: ibis.coalesce(out[c], out[f"{c}_right"]) for c in k},
                         **{c: out[c] for c in out.columns if c not in k and not c.endswith("_right")})
    return out.rename(user_id="uid")


def _attach(units, per_user, fill: Sequence[str]):
    j = units.left_join(per_user, units.unit_id == per_user.user_id)
    keep = [c for c in j.columns if c not in ("user_id",) and not c.endswith("_right")]
    return j.select(*keep).fill_null({c: 0 for c in fill})


def viewer_values(ds, exp: Experiment, key: str, *, session_ids: Optional[Sequence[str]] = None,
                  covariate_session_ids: Optional[Sequence[str]] = None):
    """Per assigned viewer: ``unit_id, variant, y`` (+ ``d`` for ratios, ``x`` with a covariate window).

    ``y`` is the metric's numerator (× registry scale), ``d`` its denominator;
    ratio metrics keep the viewers with ``d > 0``. ``x`` is ``y`` over
    ``covariate_session_ids`` (CUPED pre-period; mean metrics).
    """
    ids = session_ids if session_ids is not None else window_session_ids(ds.session_info, exp)
    return values_for_viewers(ds, assignments(ds, exp), key, ids, covariate_session_ids)


def _viewer_tables(ds, key: str):
    metric_type(key, "viewer")
    if ds.level != "viewer":
        raise MetricNotAvailableError("viewer-level tests need the viewer-level events and orders tables",
                                      "按观众分流的实验需要观众级明细（events、orders 表）")
    return REGISTRY[key], ds.raw["events"], ds.raw["orders"], ds.raw["sessions"]


def _metric_values(ds, u, key: str, covariate_session_ids: Optional[Sequence[str]], **extra):
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
        _, ev, od, ss = _viewer_tables(ds, key)
        pre = viewer_bases(ev, od, ss, covariate_session_ids, [m.numerator],
                           span=session_span(ds.session_info, covariate_session_ids))
        pre = pre.select(user_id=pre.user_id, x=pre[m.numerator].cast("float64") * m.scale)
        vals = _attach(vals, pre, ["x"])
    return vals


def values_for_viewers(ds, units, key: str, session_ids: Sequence[str],
                       covariate_session_ids: Optional[Sequence[str]] = None):
    """:func:`viewer_values` for any ``units`` table (``unit_id``, ``variant``) of viewers."""
    m, ev, od, ss = _viewer_tables(ds, key)
    span = session_span(ds.session_info, session_ids)
    units = _attach(units, viewer_bases(ev, od, ss, session_ids, m.inputs, span=span), m.inputs)
    return _metric_values(ds, units, key, covariate_session_ids)


def pre_period_ids(info: pd.DataFrame, exp: Experiment, days: int, rooms: Optional[Iterable[str]] = None) -> list[str]:
    """Sessions of the experiment's rooms in the ``days`` before its start (the CUPED pre-period)."""
    return window_session_ids(info, exp, start=exp.start - pd.Timedelta(days=days),
                              end=exp.start - pd.Timedelta(microseconds=1), rooms=rooms)


def viewer_values_by_day(ds, exp: Experiment, key: str, *, pre_days: Optional[int] = None):
    """:func:`viewer_values` cumulated up to the end of each day of the experiment, in one query:
    ``unit_id, variant, day, y`` (+ ``d``, ``x``). Viewer quantities add up over sessions, so the
    value up to day D is the sum of the per-day values of the days <= D."""
    m, ev, od, ss = _viewer_tables(ds, key)
    info = ds.session_info
    ids = window_session_ids(info, exp)
    meta = info[info.session_id.isin(ids)]
    day_of = ibis.memtable(pd.DataFrame({"sid": meta.session_id.astype(str),
                                         "day": meta.start_time.dt.strftime("%Y-%m-%d")}))
    days = ibis.memtable(pd.DataFrame({"upto": sorted(meta.start_time.dt.strftime("%Y-%m-%d").unique())}))
    daily = viewer_bases(ev, od, ss, ids, m.inputs, session_day=day_of, span=session_span(info, ids))
    j = daily.inner_join(days, daily.day <= days.upto)
    cum = j.group_by(["user_id", "upto"]).agg(**{b: j[b].sum() for b in m.inputs})
    units = assignments(ds, exp).cross_join(days)
    u = units.left_join(cum, (units.unit_id == cum.user_id) & (units.upto == cum.upto))
    u = u.select("unit_id", "variant", "upto", *m.inputs).fill_null({b: 0 for b in m.inputs})
    pre = pre_period_ids(info, exp, pre_days) if pre_days is not None else None
    return _metric_values(ds, u, key, pre, day="upto")


def active_viewers(ds, session_ids: Sequence[str]):
    """Every viewer with an event in ``session_ids``, as a units table (``unit_id``, ``variant = "all"``)."""
    if ds.level != "viewer":
        raise MetricNotAvailableError("per-viewer history needs the viewer-level events table",
                                      "按观众的历史基线需要观众级明细（events 表）")
    e = ds.raw["events"]
    e = e.filter(e.session_id.isin(list(session_ids) or ["\0"]))
    return e.select(unit_id=e.user_id).distinct().mutate(variant=ibis.literal("all"))


def session_values(ds, exp: Experiment, key: str):
    """Per assigned session: ``unit_id, variant, room_id, day, slot, y`` (+ ``d`` for ratio metrics).

    Base quantities come from :meth:`Dataset.base`; sessions whose inputs are
    missing (null) are left out. ``slot`` is the time slot of the start (see :func:`time_slot`).
    """
    return ibis.memtable(_session_frame(ds, exp, key, None))


@functools.lru_cache(maxsize=64)
def _session_frame(ds, exp: Experiment, key: str, segment: Optional[str]) -> pd.DataFrame:
    """Per-session values (small: one row per assigned session), cached per dataset/experiment/metric."""
    if segment is None:
        return values_for_sessions(ds, assignments(ds, exp), key).execute()
    return _segment_session_values(ds, exp, key, segment).execute()


def values_for_sessions(ds, units, key: str, base=None):
    """:func:`session_values` for any ``units`` table (``unit_id``, ``variant``) of sessions;
    ``base`` replaces :meth:`Dataset.base` (per-session base quantities)."""
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
        base, missing = ds.base(ids, needs=m.inputs)
        gone = [i for i in m.inputs if i in missing]
        if gone:
            raise MetricNotAvailableError(f"{key} needs {', '.join(gone)}: {missing[gone[0]]}",
                                          f"{m.zh} 缺少输入 {', '.join(gone)}")
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


def segment_session_values(ds, exp: Experiment, key: str, segment: str):
    """:func:`session_values` with each session's base quantities recomputed (by the rules of
    :mod:`liveops_nb.derive`) from the events and orders of the viewers in ``segment`` only."""
    return ibis.memtable(_session_frame(ds, exp, key, segment))


def _segment_session_values(ds, exp: Experiment, key: str, segment: str):
    m = REGISTRY[key]
    segments = viewer_segments(ds, exp)
    if not set(m.inputs) <= VIEWER_BASES:
        raise MetricNotAvailableError(f"{key} cannot be split by viewer segment", f"{m.zh} 无法按新老观众拆分")
    a = assignments(ds, exp)
    ids = a.unit_id.execute().astype(str).tolist()
    who = segments.filter(segments.segment == segment).select("user_id")
    ev, od = ds.raw["events"], ds.raw["orders"]
    ev = ev.filter(ev.session_id.isin(ids)).semi_join(who, "user_id")
    od = od.filter(od.session_id.isin(ids)).semi_join(who, "user_id")
    ss = ds.raw["sessions"].filter(ds.raw["sessions"].session_id.isin(ids))
    info = ds.session_info[ds.session_info.session_id.isin(ids)]
    minute = derive.minute_stats(ev, od, ss, derive.minute_grid(info), ds.channel_groups, None)
    return values_for_sessions(ds, a, key, base=derive.session_totals(ev, od, ss, minute))


def time_slot(ts: pd.Timestamp) -> str:
    """Broadcast time slot of a local start time: morning 6–12, afternoon 12–18, evening 18–22, night."""
    h = ts.hour
    return "morning" if 6 <= h < 12 else "afternoon" if 12 <= h < 18 else "evening" if 18 <= h < 22 else "night"


def arm_sums(values, by: Sequence[str] = ()):
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


def unit_values(ds, exp: Experiment, key: str, *, cuped: bool = False, pre_days: int = 28,
                until: Optional[pd.Timestamp] = None, rooms: Optional[Iterable[str]] = None):
    """The per-unit value table of ``key`` for the experiment's unit kind (see module docstring)."""
    if exp.unit == "session":
        return session_values(ds, exp, key)
    info = ds.session_info
    ids = window_session_ids(info, exp, end=until, rooms=rooms)
    pre = pre_period_ids(info, exp, pre_days, rooms) if cuped else None
    return viewer_values(ds, exp, key, session_ids=ids, covariate_session_ids=pre)


def sufficient_stats(ds, exp: Experiment, key: str, *, cuped: bool = False, pre_days: int = 28,
                     until: Optional[pd.Timestamp] = None, rooms: Optional[Iterable[str]] = None
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
    """
    vals = unit_values(ds, exp, key, cuped=cuped, pre_days=pre_days, until=until, rooms=rooms)
    if exp.unit == "session" and rooms is not None:
        vals = vals.filter(vals.room_id.isin(list(rooms)))
    return to_arm_stats(arm_sums(vals).execute(), exp.variants)


def assignment_counts(ds, exp: Experiment) -> dict[str, int]:
    """Assigned units per variant (the SRM check's observed counts), in planned order."""
    a = assignments(ds, exp)
    df = a.group_by("variant").agg(n=a.count()).execute()
    got = dict(zip(df.variant.astype(str), df.n.astype(int)))
    return {**{v: got.pop(v, 0) for v in exp.variants}, **got}


def viewer_segments(ds, exp: Experiment, users=None):
    """``user_id, segment`` for ``users`` (default: the assigned viewers; for session tests every viewer of
    the assigned sessions): ``"new"`` when first seen at or after the start and with no earlier visit
    to the experiment's rooms, else ``"returning"``."""
    e = ds.raw["events"]
    if users is None:
        a = assignments(ds, exp)
        if exp.unit == "session":
            ids = a.unit_id.execute().astype(str).tolist()
            users = e.filter(e.session_id.isin(ids or ["\0"])).select(user_id=e.user_id).distinct()
        else:
            users = a.select(user_id=a.unit_id)
    before = window_session_ids(ds.session_info, exp, start=pd.Timestamp.min.tz_localize("UTC"),
                                end=exp.start - pd.Timedelta(microseconds=1))
    old = e.filter(e.session_id.isin(before or ["\0"]) & (e.event_type == "enter")).select(uid=e.user_id)
    if ds.has("users"):
        u = ds.raw["users"]
        old = old.union(u.filter(u.first_seen < ibis.literal(exp.start.tz_convert("UTC"))).select(uid=u.user_id))
    old = old.distinct()
    j = users.left_join(old, users.user_id == old.uid)
    return j.select(user_id=j.user_id, segment=ibis.cases((j.uid.notnull(), "returning"), else_="new"))
