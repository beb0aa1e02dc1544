"""Plan and build the base-quantity table of one request: which source gives which quantity at this grain.

:func:`base_table` is what :meth:`liveops_nb.Dataset.kpis` runs: it picks the sources for the
wanted base quantities (viewer-level tables when the dataset has them, platform aggregates
otherwise), groups each by the requested dimensions (:mod:`.rollup`) and joins them on the group
keys. A quantity that no source can give at this grain is left out with a :class:`~.reasons.Reason`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import ibis
import pandas as pd

from .. import derive
from ..errors import GrainNotAvailableError
from . import aggregate as agg
from . import retention
from . import viewer as vw
from .grains import ROW_DIMS, USER_DIMS
from .reasons import Reason, needs, not_at_grain
from .rollup import Source, group_keys, join_groups, rollup

_EVENT_Q = ("impressions", "views", "uv", "product_impression_uv", "product_click_uv", "interaction_uv",
            "new_followers")
_ONLINE_Q = ("pcu", "online_minutes", "broadcast_minutes")
_ORDER_Q = ("gmv", "orders", "buyers", "units", "refund_amount", "paid_gmv")
_COMMENT_Q = ("viewer_comments", "valid_comments", "questions", "answered_questions")
_RETENTION_Q = ("next_day_returners", "repeat_buyers")


class Tables(Protocol):
    """What the engine reads from a dataset (:class:`liveops_nb.Dataset` is one)."""

    raw: dict[str, Any]

    @property
    def level(self) -> str: ...

    @property
    def session_info(self) -> pd.DataFrame: ...

    @property
    def channel_groups(self) -> dict[str, str]: ...

    def comment_flags(self, session_ids: list[str] | None = None) -> pd.DataFrame: ...

    def spans(self, session_ids: list[str] | None = None) -> pd.DataFrame: ...


@dataclass
class Plan:
    """The sources of one request and what could not be had."""

    sources: list[Source] = field(default_factory=list)
    missing: dict[str, Reason] = field(default_factory=dict)
    people_summed: bool = False


def _want(names: set[str], group: tuple[str, ...]) -> list[str]:
    return [n for n in group if n in names]


def viewer_plan(ds: Tables, by: tuple[str, ...], where: Mapping[str, tuple], names: set[str],
                session_ids: list[str] | None) -> Plan:
    plan = Plan()
    rows = {d for d in by if d in ROW_DIMS} | {d for d in where if d in ROW_DIMS}
    attrs = [d for d in USER_DIMS if d in rows]  # viewer attributes: available wherever per-viewer rows are
    ok = set()
    for n in names:
        bad = sorted(d for d in rows if ("user_id" if d in USER_DIMS else d) not in vw.ROW_SUPPORT[n])
        if bad:
            plan.missing[n] = not_at_grain(n, bad[0])
        elif attrs and "users" not in ds.raw:
            plan.missing[n] = Reason("needs_table", n, table="users", column=attrs[0])
        else:
            ok.add(n)
    rdims = tuple(dict.fromkeys("user_id" if d in USER_DIMS else d for d in by if d in ROW_DIMS))
    if attrs and "user_id" not in rdims:
        rdims += ("user_id",)
    rwhere = {k: v for k, v in where.items() if k in ROW_DIMS and k not in USER_DIMS}
    raw = ds.raw
    ev, od, sessions = raw["events"], raw["orders"], raw["sessions"]
    if session_ids is not None:
        ev, od, sessions = (derive.only_sessions(t, session_ids) for t in (ev, od, sessions))
        ev, od = (_within_span(t, ds.session_info, session_ids) for t in (ev, od))
    groups = None
    if "channel_group" in rows:
        named = ds.channel_groups
        groups = ibis.memtable(pd.DataFrame({"channel": list(named), "channel_group": list(named.values())}))
    if q := _want(ok, _EVENT_Q):
        plan.sources.append(vw.events_source(ev, rdims, rwhere, q, groups))
    if "watch_seconds" in ok or _want(ok, _ONLINE_Q):
        visits = derive.visits(ev, sessions)
        if "watch_seconds" in ok:
            plan.sources.append(vw.watch_source(visits, rdims, rwhere, groups))
        if _want(ok, _ONLINE_Q):
            info = ds.session_info if session_ids is None else ds.session_info[ds.session_info.session_id.isin(session_ids)]
            src = vw.online_source(visits, derive.minute_grid(info), rdims, rwhere)
            src.kinds = {k: v for k, v in src.kinds.items() if k in ok}
            src.table = src.table.select(*[c for c in src.table.columns if c not in _ONLINE_Q or c in ok])
            plan.sources.append(src)
    if q := _want(ok, _ORDER_Q):
        paid = [c for c, g in ds.channel_groups.items() if g == "paid"]
        plan.sources.append(vw.orders_source(od, rdims, rwhere, q, paid, groups))
    if "paid_spend" in ok:
        ch = raw.get("channels")
        if ch is None or "spend" not in ch.columns:
            plan.missing["paid_spend"] = needs("paid_spend")
        else:
            ch = ch if session_ids is None else derive.only_sessions(ch, session_ids)
            plan.sources.append(vw.spend_source(ch, rdims, rwhere))
    _comments(ds, plan, ok, rdims, rwhere, session_ids)
    if q := _want(ok, _RETENTION_Q):
        info = ds.session_info
        late = info.loc[info.date >= info.date.max(), "session_id"].tolist()
        pairs_r = retention.returners(raw["events"], info, session_ids)
        pairs_b = retention.repeat_buyers(raw["sessions"], raw["orders"], info, session_ids)
        seen = retention.viewers(raw["events"], info, session_ids)
        src = vw.retention_source(pairs_r, pairs_b, seen, late, rdims)
        plan.sources.append(src)
    if attrs and plan.sources:
        for src in plan.sources:
            src.table = vw.with_user_attributes(src.table, raw["users"], attrs, where)
    return plan


def _within_span(t: Any, info: pd.DataFrame, session_ids: list[str]) -> Any:
    """Rows of these sessions' time span too: the data model keeps events and orders inside their session's
    start–end window (validation refuses others), and the bound lets the engine skip whole row groups of
    time-ordered files."""
    mine = info[info.session_id.isin(session_ids)]
    if mine.empty:
        return t
    lo = pd.Timestamp(mine.start_time.min()).tz_convert("UTC")
    hi = pd.Timestamp(mine.end_time.max()).tz_convert("UTC")
    return t.filter((t.ts >= ibis.literal(lo)) & (t.ts <= ibis.literal(hi)))


def _comments(ds: Tables, plan: Plan, ok: set[str], rdims, rwhere, session_ids) -> None:
    if q := _want(ok, _COMMENT_Q):
        if "comments" not in ds.raw:
            for n in q:
                plan.missing[n] = needs(n)
            return
        flags = ds.comment_flags(session_ids)
        plan.sources.append(vw.comments_source(ibis.memtable(flags), rdims, rwhere))


def aggregate_plan(ds: Tables, by: tuple[str, ...], where: Mapping[str, tuple], names: set[str],
                   session_ids: list[str] | None) -> Plan:
    plan = Plan(people_summed="session_id" not in by or any(d in ROW_DIMS for d in by))
    rows = [d for d in by if d in ROW_DIMS] + [d for d in where if d in ROW_DIMS and d not in by]
    if "user_id" in rows:
        raise GrainNotAvailableError("user_id", "the viewer-level tables events and orders")
    if attrs := [d for d in rows if d in USER_DIMS]:
        raise GrainNotAvailableError(attrs[0], "the viewer-level tables events, orders and users")
    raw = ds.raw
    rwhere = {k: v for k, v in where.items() if k in ROW_DIMS}

    def restrict(t):
        return t if session_ids is None else derive.only_sessions(t, session_ids)

    if len(rows) > 1:
        plan.missing.update({n: not_at_grain(n, rows[1]) for n in names})
        return plan
    if rows:
        rdim = rows[0]
        table, cols = agg.ROW_TABLES[rdim]
        have = [n for n in names if n in cols and table in raw and cols[n] in raw[table].columns]
        for n in names:
            if n not in have:
                plan.missing[n] = needs(n) if n in cols else not_at_grain(n, rdim)
        if have:
            src = agg.row_source(restrict(raw[table]), rdim, rwhere, have)
            if rdim not in by:  # filtered by the row dimension, grouped by session attributes only
                src.table = src.table.drop(rdim)
            plan.sources.append(src)
        return plan
    spans = ibis.memtable(ds.spans(session_ids))
    minute = restrict(raw["minute_stats"]) if "minute_stats" in raw else None
    sess = [n for n in names if n not in ("paid_spend", "paid_gmv", *_COMMENT_Q, *_RETENTION_Q)]
    if sess:
        src, missing = agg.session_source(restrict(raw["sessions"]), minute, spans, sess)
        plan.sources.append(src)
        plan.missing.update({n: needs(n) for n in missing})
    paid = [n for n in ("paid_spend", "paid_gmv") if n in names]
    if paid:
        ch = raw.get("channels")
        if ch is None:
            plan.missing.update({n: needs(n) for n in paid})
        else:
            src = agg.paid_source(restrict(ch), paid)
            src.fill = {n: 0.0 for n in src.kinds}
            plan.missing.update({n: needs(n) for n in paid if n not in src.kinds})
            plan.sources.append(src)
    _comments(ds, plan, names, (), {}, session_ids)
    for n in _want(names, _RETENTION_Q):
        plan.missing[n] = needs(n)
    return plan


def base_table(ds: Tables, by: tuple[str, ...], where: Mapping[str, tuple], names: set[str],
               session_dims_mem, session_ids: list[str] | None) -> tuple[Any, Plan]:
    """The Ibis table of base quantities ``names`` grouped by ``by``, and its plan (missing reasons).

    The table is None when the grain has row dimensions and no input has rows at it.
    """
    make = viewer_plan if ds.level == "viewer" else aggregate_plan
    plan = make(ds, by, where, names, session_ids)
    parts = [rollup(s, by, session_dims_mem) for s in plan.sources]
    # a source's exact sums are filled only where the source has no row for the group
    parts = [p.mutate(**{f"_in{i}": ibis.literal(1)}) if s.exact else p
             for i, (s, p) in enumerate(zip(plan.sources, parts, strict=True))]
    if not parts and any(d in ROW_DIMS for d in by):
        return None, plan  # no input has rows at this grain
    keys = group_keys(by, session_dims_mem)
    t = join_groups(keys, parts, by)
    fill: dict[str, Any] = {}
    absent: dict[str, Any] = {}
    for i, s in enumerate(plan.sources):
        if s.per_user or s.fill:
            fill.update({c: s.fill.get(c, 0) for c in s.kinds
                         if c != "_late" and c not in s.exact and (s.per_user or c in s.fill)})
        absent.update({c: ibis.ifelse(t[f"_in{i}"].isnull(), s.fill.get(c, 0), t[c]) for c in s.exact})
    if fill or absent:
        t = t.mutate(**{c: t[c].fill_null(v) for c, v in fill.items()}, **absent)
    t = t.drop(*[c for c in t.columns if c.startswith("_in") and c[3:].isdigit()])
    if "_late" in t.columns:
        t = t.mutate(next_day_returners=ibis.cases((t._late.fill_null(0) == 1, ibis.null("int64")),
                                                   else_=t.next_day_returners)).drop("_late")
    return t, plan
