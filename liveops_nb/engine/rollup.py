"""From source rows to one row per group: the one place where base quantities are aggregated.

A :class:`Source` is an Ibis table of rows at ``(session_id[, user_id], row dimensions…)`` with
quantity columns, each of a kind (:data:`liveops_nb.metrics.BASES`):

* ``sum`` — summed over the group;
* ``people`` — a 0/1 flag per (session, viewer): with viewer-level rows each person is counted
  once per group (first the maximum per person in the group, then the sum over people);
* ``max`` — the largest value in the group (peaks).

:func:`rollup` groups a source by the requested dimensions, joining the session attributes
(room, host, day, week, …) where needed; :func:`join_groups` puts the sources of one request
side by side on the group keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ibis

from .grains import ROW_DIMS, SESSION_DIMS

ALL = "_all"  # constant key column used when a request groups everything into one row
EXACT_SUMS = frozenset({"paid_spend"})  # sums unknown when one of their rows is (Source.exact)


@dataclass
class Source:
    """Rows of one input, ready to be grouped.

    Attributes
    ----------
    table : Ibis table with ``session_id``, ``user_id`` when ``per_user``, the row dimensions it is
        grouped by, and the quantity columns.
    kinds : quantity column -> ``"sum"`` / ``"people"`` / ``"max"``.
    per_user : rows are one per (session, viewer[, row dimensions]) and people flags are 0/1.
    """

    table: Any
    kinds: dict[str, str]
    per_user: bool = False
    fill: dict[str, Any] = field(default_factory=dict)
    exact: frozenset[str] = frozenset()
    """Sums that are unknown (null) when any of their rows is unknown (paid spend with a missing
    value); ``fill`` then applies only to groups the source has no row for."""


def exact_sum(col, where=None):
    """The sum of ``col`` (over rows passing ``where``): null if any of those values is null, 0 over no rows."""
    unknown = col.isnull() if where is None else (col.isnull() & where)
    total = col.sum() if where is None else col.sum(where=where)
    return ibis.ifelse(unknown.any(), ibis.null(col.type()), total.fill_null(0))


def _agg(t, kinds: dict[str, str], people_as: str, exact: frozenset[str] = frozenset()):
    out = {}
    for c, k in kinds.items():
        if c in exact:
            out[c] = exact_sum(t[c])
        elif k == "max":
            out[c] = t[c].max()
        elif k == "people" and people_as == "max":
            out[c] = t[c].max()
        elif k == "people" and "user_id" in t.columns:
            out[c] = t[c].sum(where=t.user_id.notnull())  # a row without a viewer is nobody
        else:
            out[c] = t[c].sum()
    return out


def rollup(src: Source, by: tuple[str, ...], session_dims) -> Any:
    """``src`` grouped by ``by`` (session attributes joined from the ``session_dims`` memtable)."""
    t = src.table
    extra = [d for d in by if d in SESSION_DIMS and d != "session_id"]
    if extra:
        t = t.inner_join(session_dims.select("session_id", *extra), "session_id")
    keys = list(by)
    if not keys:
        t = t.mutate(**{ALL: ibis.literal(1)})
        keys = [ALL]
    people = [c for c, k in src.kinds.items() if k == "people"]
    own = {c for c in src.table.columns if c not in src.kinds}  # session_id, user_id, row dimensions
    if src.per_user and set(keys) == own:
        # already one row per group: grouping again would only cost a hash aggregate
        return t.select(*keys, **{c: (ibis.ifelse(t.user_id.notnull(), t[c], ibis.null(t[c].type()))
                                      if c in people else t[c]) for c in src.kinds})
    if src.per_user and people and "session_id" not in keys:
        # one row per person in the group first, so a person seen in two sessions counts once
        t = t.group_by(list(dict.fromkeys([*keys, "user_id"]))).agg(**_agg(t, src.kinds, people_as="max"))
    return t.group_by(keys).agg(**_agg(t, src.kinds, people_as="sum", exact=src.exact))


def group_keys(by: tuple[str, ...], session_dims) -> Any:
    """The groups every request has: one total row, or every session group.

    None with row dimensions: then the groups are those the sources have (:func:`join_groups`).
    """
    if not by:
        return ibis.memtable({ALL: [1]})
    if not any(d in ROW_DIMS for d in by):
        return session_dims.select(*by).distinct()
    return None


def join_groups(keys, parts: list, on: tuple[str, ...]) -> Any:
    """Every part side by side on the group keys, in one flat query.

    Each part has one row per group, so the parts are stacked (``UNION ALL``, each part's columns
    null in the other parts' rows) and grouped once by the keys; a group a part lacks gets null,
    as a left join would give. One hash aggregate instead of a distinct union of the keys and a
    join per part (A/B sums per viewer group millions of viewer × session rows).
    """
    on = on or (ALL,)
    if not parts:
        return keys.select(*on)
    schemas = [p.schema() for p in parts]
    cols = [c for sch in schemas for c in sch.names if c not in on]
    types = {c: sch[c] for sch in schemas for c in sch.names if c not in on}
    key_types = keys.schema() if keys is not None else schemas[0]
    rows = [] if keys is None else [keys.select(*on, **{c: ibis.null(types[c]) for c in cols})]
    for p, sch in zip(parts, schemas, strict=True):
        rows.append(p.select(*[p[c].cast(key_types[c]).name(c) for c in on],
                             **{c: (p[c] if c in sch.names else ibis.null(types[c])) for c in cols}))
    stacked = ibis.union(*rows, distinct=False)
    return stacked.group_by(list(on)).agg(**{c: stacked[c].max() for c in cols})
