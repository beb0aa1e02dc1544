"""Base quantities per experiment unit: the one place the A/B package gets the registry's counts and sums.

Everything else in the package (:mod:`liveops_nb.abtest.units`) builds per-unit metric values
from :func:`unit_bases` with the registry's definitions (numerator, denominator, scale).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import ibis
import pandas as pd

from liveops_nb.abtest.errors import MetricNotAvailableError

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

UnitColumn = Literal["user_id", "session_id"]

VIEWER_BASES = frozenset({"impressions", "uv", "views", "product_impression_uv", "product_click_uv",
                          "interaction_uv", "new_followers", "gmv", "units", "refund_amount", "orders", "buyers",
                          "watch_seconds"})
"""Base quantities an A/B test can take per viewer (the engine gives each per viewer × session)."""


def unit_bases(ds: Dataset, by: UnitColumn, session_ids: Sequence[str], bases: Iterable[str], *,
               per_day: bool = False, viewers: Any = None, metric: str = "") -> Any:
    """The registry's base quantities per unit over ``session_ids``, as an Ibis table — from the engine.

    Parameters
    ----------
    ds : Dataset
    by : {"user_id", "session_id"}
        ``"user_id"``: one row per viewer (``user_id``; with ``per_day`` one per viewer and local
        start day ``day`` of the sessions, ``"%Y-%m-%d"``): the engine's base quantities per viewer ×
        session (``ds.bases(by=["user_id", "session_id"])``) summed over the viewer's sessions, so
        people quantities count the *sessions* in which the viewer did it (``uv`` = sessions entered,
        ``buyers`` = sessions with an order) and summed over viewers give the per-session quantities
        summed over sessions. Needs viewer-level data.
        ``"session_id"``: one row per session (``ds.bases(by="session_id")``); with ``viewers`` (an
        Ibis table of ``user_id``) only those viewers' rows count (``where={"user_id": …}``).
    session_ids : the sessions the quantities are taken over.
    bases : base-quantity names (:data:`liveops_nb.metrics.BASES`).
    metric : the metric asking (for messages only).

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
    where: dict[str, Any] = {"session_id": list(session_ids) or ["\0"]}
    if by == "session_id":
        if viewers is not None:
            where["user_id"] = viewers.execute()["user_id"].dropna().astype(str).tolist() or ["\0"]
        frame = _engine_bases(ds, names, ["session_id"], where, metric)
        return ibis.memtable(frame[["session_id", *names]])
    # per viewer: the engine's viewer × session quantities, summed per viewer (and day) on the backend
    t, missing = ds.bases_table(names, by=["user_id", "session_id"], where=where)
    _raise_missing(names, missing, metric)
    t = t.filter(t.user_id.notnull())
    keys = ["user_id"]
    if per_day:
        meta = ds.session_info[ds.session_info.session_id.isin(list(session_ids))]
        days = ibis.memtable(pd.DataFrame({"session_id": meta.session_id.astype(str),
                                           "day": meta.start_time.dt.strftime("%Y-%m-%d")}))
        t = t.inner_join(days, "session_id")
        keys = ["user_id", "day"]
    return t.group_by(keys).agg(**{n: t[n].sum() for n in names})


def _raise_missing(names: list[str], missing: dict[str, Any], metric: str) -> None:
    gone = [n for n in names if n in missing]
    if gone:
        raise MetricNotAvailableError(f"{metric or 'the metric'} needs {', '.join(gone)}: {missing[gone[0]]}",
                                      code="missing_inputs", metric=metric, inputs=gone, reason=missing[gone[0]])


def _engine_bases(ds: Dataset, names: list[str], by: list[str], where: dict[str, Any], metric: str) -> pd.DataFrame:
    """``ds.bases`` for the A/B package; a quantity the source or grain lacks raises ``missing_inputs``."""
    frame = ds.bases(names, by=by, where=where)
    _raise_missing(names, frame.attrs.get("missing", {}), metric)
    return frame.assign(session_id=frame["session_id"].astype(str))
