"""Column types of the frames handed to people: dates as dates, counts as integers.

The engine computes every quantity as a float (a sum over no rows is NaN, a mean is
fractional). What a person reads — :meth:`liveops_nb.Dataset.sessions` — shows the local
broadcast day as ``datetime64`` and the registry's counts (viewers, views, orders, peak
online …) as integers, nullable ``Int64`` where a value is missing.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..metrics import REGISTRY

COUNT_UNITS = frozenset({"people", "times", "orders", "units"})
"""Units of the registry's counting metrics (a ratio metric in one of these units, such as the
average concurrent viewers, is an average and stays a float)."""


def is_count(key: str) -> bool:
    """Whether registry metric ``key`` counts something (people, times, orders, units) rather than a ratio.

    >>> is_count("uv"), is_count("acu"), is_count("gmv")
    (True, False, False)
    """
    m = REGISTRY.get(key)
    return m is not None and not m.is_ratio and m.unit in COUNT_UNITS


def as_count(values: pd.Series) -> pd.Series:
    """``values`` as nullable integers (``Int64``) when every present value is whole, else unchanged.

    A fractional value is never rounded: a count that is not whole is a different quantity
    (a scaled or averaged one) and keeps its float type.
    """
    v = pd.to_numeric(values, errors="coerce")
    present = v.dropna()
    if not np.isfinite(present).all() or not (present == present.round()).all():
        return values
    return v.round().astype("Int64")


def typed_sessions(frame: pd.DataFrame) -> pd.DataFrame:
    """The session list's types: ``date`` as ``datetime64`` (day), registry counts as ``Int64``."""
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    if "date" in out:
        out["date"] = pd.to_datetime(out["date"])
    for c in out.columns:
        if is_count(str(c)):
            out[c] = as_count(out[c])
    return out
