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


def _agg(t, kinds: dict[str, str], people_as: str):
    out = {}
    for c, k in kinds.items():
        if k == "max":
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
    if src.per_user and people and "session_id" not in keys:
        # one row per person in the group first, so a person seen in two sessions counts once
        t = t.group_by(list(dict.fromkeys([*keys, "user_id"]))).agg(**_agg(t, src.kinds, people_as="max"))
    return t.group_by(keys).agg(**_agg(t, src.kinds, people_as="sum"))


def group_keys(by: tuple[str, ...], session_dims, parts: list) -> Any:
    """The groups of a request: every session group, or (with row dimensions) every group any source has."""
    if not by:
        return ibis.memtable({ALL: [1]})
    if not any(d in ROW_DIMS for d in by):
        return session_dims.select(*by).distinct()
    tables = [p.select(*by) for p in parts]
    return ibis.union(*tables, distinct=True) if len(tables) > 1 else tables[0].distinct()


def join_groups(keys, parts: list, on: tuple[str, ...]) -> Any:
    """Left-join every part onto the group keys in one multi-way join (one flat query)."""
    on = on or (ALL,)
    j = keys
    for p in parts:
        j = j.left_join(p, list(on))
    cols = [keys[c] for c in on]
    for p in parts:
        cols += [p[c] for c in p.columns if c not in on]
    return j.select(*cols)
