"""Sample-ratio mismatch: are the assigned units split as planned? (A failed check withholds every verdict.)"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as _st

from liveops_nb.abtest.errors import StatsError

SRM_THRESHOLD = 0.001


def srm_p_value(observed_counts: Sequence[float], weights: Sequence[float]) -> float:
    """Sample-ratio-mismatch p-value (chi-square goodness of fit).

    Arms with zero weight are left out entirely (their counts are not part of
    the total). The remaining weights are normalised to sum to 1, expected
    counts are ``w_i * total`` and ``chi2 = sum((o - e)^2 / e)`` on
    ``k - 1`` degrees of freedom (``k`` = arms with positive weight).
    Returns 1.0 when no units were observed.

    Raises
    ------
    StatsError
        Lengths differ, negative or non-finite entries, fewer than two arms with positive weight.
    """
    try:
        o = np.asarray(observed_counts, dtype=float)
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise StatsError("observed_counts and weights must be numbers") from None
    if o.ndim != 1 or o.shape != w.shape:
        raise StatsError(f"observed_counts and weights need the same length, got {o.shape} and {w.shape}")
    if not (np.all(np.isfinite(o)) and np.all(np.isfinite(w))) or np.any(o < 0) or np.any(w < 0):
        raise StatsError("observed_counts and weights must be finite and non-negative")
    keep = w > 0
    if keep.sum() < 2:
        raise StatsError("weights need at least two arms with positive weight")
    o, w = o[keep], w[keep] / w[keep].sum()
    total = o.sum()
    if total == 0:
        return 1.0
    e = w * total
    return float(_st.chi2.sf(float(((o - e) ** 2 / e).sum()), o.size - 1))


@dataclass(frozen=True)
class SrmCheck:
    """Sample-ratio-mismatch check of assigned units against the planned split (``ok``: p >= threshold)."""

    counts: dict[str, int]
    weights: dict[str, float]
    p_value: float
    threshold: float = SRM_THRESHOLD

    @property
    def ok(self) -> bool:
        return self.p_value >= self.threshold


def check_srm(counts: Mapping[str, int], weights: Mapping[str, float]) -> SrmCheck:
    """SRM check: chi-square p of assigned ``counts`` against planned ``weights`` (blocks below 0.001).

    Variants assigned but not planned get weight 0 (left out of the test).
    """
    w = {v: weights.get(v, 0.0) for v in counts}
    return SrmCheck(dict(counts), w, srm_p_value(list(counts.values()), list(w.values())))
