"""Base quantities per experiment unit: the one place the A/B package gets the registry's counts and sums.

Everything else in the package (:mod:`liveops_nb.abtest.units`) builds per-unit metric values
from :func:`unit_bases` with the registry's definitions (numerator, denominator, scale).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import ibis
import pandas as pd

from liveops_nb import derive
from liveops_nb.abtest.errors import MetricNotAvailableError
from liveops_nb.abtest.experiments import session_span

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

UnitColumn = Literal["user_id", "session_id"]

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
"""Base quantities that can be had per viewer."""


def unit_bases(ds: Dataset, by: UnitColumn, session_ids: Sequence[str], bases: Iterable[str], *,
               per_day: bool = False, viewers: Any = None, metric: str = "") -> Any:
    """The registry's base quantities per unit over ``session_ids``, as an Ibis table.

    Parameters
    ----------
    ds : Dataset
    by : {"user_id", "session_id"}
        ``"user_id"``: one row per viewer (``user_id``; with ``per_day`` one per viewer and local
        start day ``day`` of the sessions, ``"%Y-%m-%d"``). People quantities count the *sessions*
        in which the viewer did it (``uv`` = sessions entered, ``buyers`` = sessions with an
        order), counts and money are sums, ``watch_seconds`` sums the viewer's visits. Summed over
        viewers this is the per-session quantities summed over sessions. Needs viewer-level data.
        ``"session_id"``: one row per session; with ``viewers`` (an Ibis table of ``user_id``)
        only those viewers' events and orders count (by the rules of :mod:`liveops_nb.derive`).
    session_ids : the sessions the quantities are taken over.
    bases : base-quantity names (:data:`liveops_nb.metrics.BASES`).
    metric : the metric asking (for messages only).

    Notes
    -----
    This is the single replacement point for the engine's one door: these numbers will come from
    ``ds.kpis(keys, by=["user_id"] / ["session_id"], where=...)`` -- its base quantities
    (``ds.bases``) with ``by=["user_id", "session_id"]`` summed per viewer (per day: grouped by
    the session's ``day`` too), ``by=["session_id"]`` and ``where={"session_id": session_ids}``
    (plus ``"user_id": viewers`` for a segment). Today the session rows come from ``ds.bases``
    and the viewer rows and the segment's session rows are derived here from the raw events and
    orders, mirroring :func:`liveops_nb.derive.session_totals`.

    Raises
    ------
    MetricNotAvailableError
        A quantity the unit or the data source cannot give (``not_per_viewer``,
        ``needs_viewer_level``, ``missing_inputs``).
    """
    names = list(dict.fromkeys(bases))
    if by == "user_id" or viewers is not None:
        if ds.level != "viewer":
            raise MetricNotAvailableError("viewer-level tests need the viewer-level events and orders tables",
                                          code="needs_viewer_level")
        unknown = sorted(set(names) - VIEWER_BASES)
        if unknown:
            raise MetricNotAvailableError(f"not measurable per viewer: {', '.join(unknown)}",
                                          code="not_per_viewer", bases=unknown)
    if by == "session_id":
        return _segment_session_bases(ds, session_ids, viewers) if viewers is not None \
            else _session_bases(ds, session_ids, names, metric)
    info = ds.session_info
    session_day = None
    if per_day:
        meta = info[info.session_id.isin(list(session_ids))]
        session_day = ibis.memtable(pd.DataFrame({"sid": meta.session_id.astype(str),
                                                  "day": meta.start_time.dt.strftime("%Y-%m-%d")}))
    return _viewer_bases(ds.raw["events"], ds.raw["orders"], ds.raw["sessions"], session_ids, names,
                         session_day, session_span(info, session_ids))


def _session_bases(ds: Dataset, session_ids: Sequence[str], names: list[str], metric: str) -> Any:
    """Per-session quantities from the engine (``ds.bases``); a quantity the source lacks raises."""
    frame = ds.bases(names, by="session_id", where={"session_id": list(session_ids)})
    missing = frame.attrs.get("missing", {})
    gone = [n for n in names if n in missing]
    if gone:
        raise MetricNotAvailableError(f"{metric or 'the metric'} needs {', '.join(gone)}: {missing[gone[0]]}",
                                      code="missing_inputs", metric=metric, inputs=gone, reason=missing[gone[0]])
    frame = frame.assign(session_id=frame.session_id.astype(str))
    return ibis.memtable(frame[["session_id", *[n for n in names if n in frame.columns]]])


def _segment_session_bases(ds: Dataset, session_ids: Sequence[str], viewers: Any) -> Any:
    """Per-session quantities recomputed from the events and orders of ``viewers`` only."""
    ids = list(session_ids)
    ev, od = ds.raw["events"], ds.raw["orders"]
    ev = ev.filter(ev.session_id.isin(ids)).semi_join(viewers, "user_id")
    od = od.filter(od.session_id.isin(ids)).semi_join(viewers, "user_id")
    ss = ds.raw["sessions"].filter(ds.raw["sessions"].session_id.isin(ids))
    info = ds.session_info[ds.session_info.session_id.isin(ids)]
    minute = derive.minute_stats(ev, od, ss, derive.minute_grid(info), ds.channel_groups, None)
    return derive.session_totals(ev, od, ss, minute)


def _in_sessions(t: Any, ids: list[str], span: tuple[pd.Timestamp, pd.Timestamp] | None) -> Any:
    """Rows of sessions ``ids``; the time bound lets the engine skip whole row groups of time-ordered files."""
    cond = t.session_id.isin(ids)
    if span is not None:
        cond &= (t.ts >= ibis.literal(span[0].tz_convert("UTC"))) & (t.ts <= ibis.literal(span[1].tz_convert("UTC")))
    return t.filter(cond)


def _viewer_bases(events: Any, orders: Any, sessions: Any, session_ids: Sequence[str], bases: list[str],
                  session_day: Any = None, span: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> Any:
    """Per-viewer (``session_day``: per viewer and day) quantities from the raw events and orders."""
    ids = list(session_ids) or ["\0"]
    parts = []

    def per(t: Any) -> tuple[Any, list[str]]:
        if session_day is None:
            return t.mutate(uid=t.user_id), ["uid"]
        t = t.inner_join(session_day, t.session_id == session_day.sid)
        return t.mutate(uid=t.user_id), ["uid", "day"]

    keys = ["uid"] if session_day is None else ["uid", "day"]
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
    out = parts[0]
    for p in parts[1:]:
        out = out.outer_join(p, [out[c] == p[c] for c in keys])
        out = out.select(**{c: ibis.coalesce(out[c], out[f"{c}_right"]) for c in keys},
                         **{c: out[c] for c in out.columns if c not in keys and not c.endswith("_right")})
    return out.rename(user_id="uid")
