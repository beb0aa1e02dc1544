"""Registry KPIs of groups of people (regions, member tiers, private-domain members vs others).

A group here is a set of viewers, not a grain of the engine: the engine gives the base quantities
per person — ``ds.bases(..., by=["user_id"], where=...)`` — each group adds up its people's counts
and sums (a person belongs to one group, so people are still counted once), and the registry's
formulas are applied to the group totals by the engine (:func:`liveops_nb.engine.formulas.apply`):
a group's conversion is the registry's ``view_to_order_rate``, never a ratio written here.
Only metrics whose inputs add up over people (kinds ``sum`` and ``people``) can be grouped this way.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..engine import formulas
from ..metrics import BASES
from ..metrics import get as get_metric
from .errors import SegmentInputError

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

GROUP_KEYS: tuple[str, ...] = ("uv", "buyers", "gmv", "view_to_order_rate", "uv_value", "aov")
"""What the board shows per group: viewers, buyers, GMV, conversion, UV value, order value per buyer."""
TOP_REGIONS = 10
OTHER = "__other__"
UNKNOWN = "__unknown__"


def kpis_for_groups(ds: Dataset, membership: pd.Series, keys: tuple[str, ...] = GROUP_KEYS,
                    where: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Registry metrics ``keys`` of each group of people.

    Parameters
    ----------
    ds : a viewer-level dataset.
    membership : group of each person, indexed by ``user_id`` (people absent from it are left out).
    keys : registry metric keys whose inputs add up over people.
    where : the engine's filters (e.g. the period's sessions).

    Returns
    -------
    DataFrame
        ``group`` and one column per key, one row per group with a non-zero input (e.g. a viewer or a buyer).

    Raises
    ------
    SegmentInputError
        A metric needs a base quantity that does not add up over people (a peak).
    """
    metrics = [get_metric(k) for k in keys]
    inputs = sorted({i for m in metrics for i in m.inputs})
    bad = [i for i in inputs if BASES[i].kind not in ("sum", "people")]
    if bad:
        raise SegmentInputError(f"{bad[0]!r} does not add up over people, so it cannot be given per group")
    per_person = ds.bases(inputs, by=["user_id"], where=where)
    group = per_person["user_id"].astype(str).map(membership)
    frame = per_person.assign(group=group.to_numpy()).dropna(subset=["group"])
    totals = frame.groupby("group", as_index=False)[inputs].sum(min_count=1)
    totals = totals[(totals[inputs].fillna(0) != 0).any(axis=1)]  # people who were only shown the room do not count
    return formulas.apply(ds.con, totals, ("group",), metrics)


def attribute_membership(users: pd.DataFrame, column: str, top: int | None = None,
                         rank_by: pd.Series | None = None) -> pd.Series:
    """Each person's value of ``users[column]`` (missing: :data:`UNKNOWN`), indexed by ``user_id``.

    With ``top``, only the ``top`` values ranked first by ``rank_by`` (a count per value) keep their name;
    the rest become :data:`OTHER`.
    """
    values = users[column].astype(object).where(users[column].notna(), UNKNOWN)
    out = pd.Series(values.to_numpy(), index=users["user_id"].astype(str).to_numpy())
    if top is not None and rank_by is not None:
        kept = [v for v in rank_by.sort_values(ascending=False, kind="stable").index if v != UNKNOWN][:top]
        out = out.where(out.isin(kept) | (out == UNKNOWN), OTHER)
    return out


def flag_membership(users: pd.DataFrame, column: str) -> pd.Series:
    """``"yes"`` / ``"no"`` for each person by the boolean ``users[column]`` (e.g. ``in_private_domain``)."""
    flags = users[column].fillna(False).astype(bool)
    return pd.Series(flags.map({True: "yes", False: "no"}).to_numpy(), index=users["user_id"].astype(str).to_numpy())
