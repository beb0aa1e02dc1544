"""Multiple testing: p-values adjusted across several comparisons (Holm, Benjamini-Hochberg)."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from liveops_nb.abtest.errors import StatsError

AdjustMethod = Literal["holm", "bh"]
METHODS: tuple[AdjustMethod, ...] = ("holm", "bh")


def adjust_p_values(p_values: Sequence[float], method: AdjustMethod) -> np.ndarray:
    """Multiple-testing adjusted p-values, in the input order.

    Parameters
    ----------
    p_values : sequence of float
        One p-value per comparison, each in [0, 1].
    method : {"holm", "bh"}
        ``"holm"`` (family-wise error): with sorted ``p_(1) <= ... <= p_(m)``,
        ``adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))``.
        ``"bh"`` (Benjamini-Hochberg false discovery rate):
        ``adj_(i) = min_{j >= i} min(1, m p_(j) / j)``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, capped at 1.
    """
    try:
        p = np.asarray(p_values, dtype=float)
    except (TypeError, ValueError):
        raise StatsError("p_values must be numbers in [0, 1]") from None
    if p.ndim != 1:
        raise StatsError("p_values must be one-dimensional")
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise StatsError("p_values must all be in [0, 1] (no NaN)")
    if method not in METHODS:
        raise StatsError(f"unknown method {method!r}; use 'holm' or 'bh'")
    m = p.size
    order = np.argsort(p, kind="stable")
    ps = p[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ps)
    else:
        adj = np.minimum.accumulate((ps * m / np.arange(1, m + 1))[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out
