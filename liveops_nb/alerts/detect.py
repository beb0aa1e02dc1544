"""Detection beyond fixed thresholds: a robust rolling baseline (median / MAD) and change points in the mean.

* :func:`robust_z` — each minute against the median of the minutes before it, in units of their median
  absolute deviation (MAD, scaled to a normal standard deviation by 1.4826, as ``scipy.stats.median_abs_deviation``),
  with a floor on the scale so a flat stretch does not turn every small wobble into an anomaly.
  The rolling median / MAD is the Hampel identifier (Hampel 1974; Pearson et al. 2016, "Generalized Hampel
  filters", EURASIP J. Adv. Signal Process.).
* :func:`change_points` — binary segmentation for changes in the mean (Scott & Knott 1974, Biometrics 30;
  Vostrikova 1981, Soviet Math. Dokl. 24): the split that most reduces the sum of squared deviations is
  taken while the reduction exceeds a penalty. The penalty is the modified BIC of Zhang & Siegmund (2007,
  Biometrics 63), ``3 · log(n) · σ²``, with the noise σ estimated from the MAD of first differences divided
  by √2 (robust to the level shifts themselves; Fryzlewicz 2014, Ann. Statist. 42).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import LiveOpsError

NORMAL_MAD = 1.482602218505602
"""1 / Φ⁻¹(3/4): the MAD of a normal sample times this estimates its standard deviation (scipy's ``scale="normal"``)."""
REL_FLOOR = 0.1
"""The scale of :func:`robust_z` is at least this share of the rolling median (10 %)."""


class DetectionInputError(LiveOpsError, ValueError):
    """A series or parameter a detector cannot use (not one-dimensional, a negative break count …)."""


def _as_array(series: Any) -> np.ndarray:
    if isinstance(series, pd.Series):
        arr = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        try:
            arr = np.asarray(series, dtype=float)
        except (TypeError, ValueError) as err:
            raise DetectionInputError(f"the series must hold numbers: {err}") from None
    if arr.ndim != 1:
        raise DetectionInputError(f"the series must be one-dimensional, not of shape {arr.shape}")
    return arr


def robust_z(series: Any, history: int = 15, min_history: int = 5, rel_floor: float = REL_FLOOR,
             min_level: float = 0.0) -> np.ndarray:
    """Each value's robust z-score against the ``history`` values before it (Hampel identifier).

    Parameters
    ----------
    series : pandas Series or 1-D array (NaN values are skipped in the history).
    history : how many previous values make the baseline.
    min_history : the fewest non-missing previous values needed; earlier positions get NaN.
    rel_floor : the scale is at least ``rel_floor`` × |median| (and never 0: a value equal to a flat
        baseline scores 0, any other value against a zero baseline scores ±inf).

    min_level : positions whose baseline median is below this (in absolute value) get NaN (too little to judge).

    Returns
    -------
    ndarray of z = (x − median) / max(1.4826 · MAD, rel_floor · |median|), NaN where not computable.
    """
    x = _as_array(series)
    n = len(x)
    z = np.full(n, np.nan)
    if n <= min_history:
        return z
    padded = np.concatenate([np.full(history, np.nan), x])
    windows = np.lib.stride_tricks.sliding_window_view(padded, history)[:n]  # windows[t] = x[t-history:t]
    enough = np.sum(~np.isnan(windows), axis=1) >= min_history
    if not enough.any():
        return z
    w = windows[enough]
    median = np.nanmedian if np.isnan(w).any() else np.median  # the plain one is much faster
    med = median(w, axis=1)
    mad = NORMAL_MAD * median(np.abs(w - med[:, None]), axis=1)
    scale = np.maximum(mad, rel_floor * np.abs(med))
    dev = x[enough] - med
    with np.errstate(divide="ignore", invalid="ignore"):
        zz = np.where(scale > 0, dev / np.where(scale > 0, scale, 1.0), np.where(dev == 0, 0.0, np.sign(dev) * np.inf))
    z[enough] = np.where(np.abs(med) >= min_level, zz, np.nan)
    return z


def noise_sd(x: np.ndarray) -> float:
    """Robust noise standard deviation: MAD of first differences / √2 (0 for fewer than 3 values)."""
    x = x[~np.isnan(x)]
    if len(x) < 3:
        return 0.0
    d = np.diff(x)
    return float(NORMAL_MAD * np.median(np.abs(d - np.median(d))) / np.sqrt(2.0))


def _best_split(cs: np.ndarray, lo: int, hi: int, min_size: int) -> tuple[float, int]:
    """(reduction of the sum of squares, split position) of the best split of x[lo:hi]; (0, -1) if none."""
    n = hi - lo
    if n < 2 * min_size:
        return 0.0, -1
    k = np.arange(lo + min_size, hi - min_size + 1)
    s_all = cs[hi] - cs[lo]
    left_n, right_n = k - lo, hi - k
    left_s, right_s = cs[k] - cs[lo], s_all - (cs[k] - cs[lo])
    # SSE(whole) - SSE(left) - SSE(right) = left_s²/left_n + right_s²/right_n - s_all²/n
    gain = left_s ** 2 / left_n + right_s ** 2 / right_n - s_all ** 2 / n
    i = int(np.argmax(gain))
    return float(gain[i]), int(k[i])


def change_points(series: Any, max_breaks: int | None = 1, *, min_size: int = 2, penalty: float | None = None,
                  sd: float | None = None) -> list[int]:
    """Where the level (mean) of a series changes, by binary segmentation.

    Parameters
    ----------
    series : pandas Series or 1-D array of numbers (missing values are filled from the previous value).
    max_breaks : the most breaks returned (None: no limit; 0: none).
    min_size : the fewest observations in a segment.
    penalty : the reduction in the sum of squares a split must exceed; default the modified BIC
        ``3 · log(n) · σ²`` with ``σ`` = ``sd`` or :func:`noise_sd` of the series.
    sd : the noise standard deviation, when known.

    Returns
    -------
    list of int — sorted 0-based positions of the first observation of each new level (empty when none).

    Examples
    --------
    >>> change_points([5, 5, 5, 5, 5, 9, 9, 9, 9, 9])
    [5]
    """
    if max_breaks is not None and (isinstance(max_breaks, bool) or max_breaks < 0):
        raise DetectionInputError(f"max_breaks must be a whole number ≥ 0 or None, not {max_breaks!r}")
    if min_size < 1:
        raise DetectionInputError(f"min_size must be ≥ 1, not {min_size!r}")
    x = pd.Series(_as_array(series)).ffill().bfill().to_numpy()
    n = len(x)
    if n < 2 * min_size or max_breaks == 0 or np.isnan(x).all():
        return []
    if penalty is None:
        sigma = noise_sd(x) if sd is None else float(sd)
        if sigma == 0.0:  # noiseless steps: any real reduction counts
            sigma = max(1e-9 * float(np.max(np.abs(x))), 1e-12)
        penalty = 3.0 * np.log(n) * sigma ** 2
    cs = np.concatenate([[0.0], np.cumsum(x)])
    segments = [(0, n)]
    found: list[int] = []
    candidates = {seg: _best_split(cs, *seg, min_size) for seg in segments}
    while max_breaks is None or len(found) < max_breaks:
        seg, (gain, k) = max(candidates.items(), key=lambda kv: kv[1][0])
        if k < 0 or gain <= penalty:
            break
        found.append(k)
        del candidates[seg]
        for part in ((seg[0], k), (k, seg[1])):
            candidates[part] = _best_split(cs, *part, min_size)
        if not candidates:
            break
    return sorted(found)


def segment_levels(series: Any, breaks: list[int]) -> list[float]:
    """The median of each segment between ``breaks`` (NaN-skipping)."""
    x = _as_array(series)
    edges = [0, *breaks, len(x)]
    return [float(np.nanmedian(x[a:b])) if b > a and not np.isnan(x[a:b]).all() else float("nan")
            for a, b in zip(edges[:-1], edges[1:], strict=True)]
