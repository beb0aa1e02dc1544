"""Small numeric helpers of the generator: money rounding and seeded sampling."""
from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np


def cents(x: Any) -> np.ndarray:
    """Round money to 0.01 like SQL ``ROUND(x, 2)`` (DuckDB): the exact binary value, ties away from zero.

    NumPy's ``round`` is half-to-even on a scaled value (8.295 → 8.3 but 4.625 → 4.62); this
    matches DuckDB (8.295 → 8.29, 4.625 → 4.63) so independently derived tables agree.
    """
    x = np.asarray(x, dtype=float)
    y = np.abs(x) * 100.0
    out = np.copysign(np.floor(y + 0.5), x) / 100.0
    near = np.flatnonzero(np.abs(y - np.floor(y) - 0.5) < 1e-6)  # (near) ties: decide exactly
    if near.size:
        out = out.copy()
        flat = out.reshape(-1)
        for i in near:  # rare: a handful of values per table
            v = float(x.reshape(-1)[i])
            flat[i] = float(Decimal(v).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return out


def weighted_choice(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    """``size`` indices drawn with replacement with probabilities proportional to ``weights``."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def top_k(rng: np.random.Generator, w: np.ndarray, k: int) -> np.ndarray:
    """Weighted sample of k distinct indices (Gumbel top-k). Weight 0 is never drawn."""
    with np.errstate(divide="ignore"):
        keys = np.log(w) + rng.gumbel(size=w.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    sel = np.argpartition(-keys, k - 1)[:k]
    return np.sort(sel)


def window(t: np.ndarray, a: float, b: float, edge: float = 2.0) -> np.ndarray:
    """Smooth 0..1 window over [a, b] (minutes) with linear edges."""
    up = np.clip((t - a + edge / 2) / edge, 0.0, 1.0)
    down = np.clip((b - t + edge / 2) / edge, 0.0, 1.0)
    return up * down
