"""Numbers pages show that are *not* registry metrics: shares, gaps, attainment, step conversions, intensity.

Every KPI comes from :meth:`liveops_nb.Dataset.kpis`; these helpers only relate numbers that came
from there (a channel's share of viewers, a value's gap to a reference, a target's attainment).
They never rebuild a registry formula from base quantities. Each returns NaN where it is undefined.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def share(part: pd.Series) -> pd.Series:
    """Each value's share of the column total (NaN everywhere when the total is not positive)."""
    part = part.astype(float)
    total = part.sum()
    return part / total if total > 0 else pd.Series(np.nan, index=part.index)


def hhi(shares: pd.Series) -> float:
    """Herfindahl–Hirschman index Σ share² on a 0–1 scale (1 = everything from one source); NaN if empty."""
    s = shares.dropna().astype(float)
    return float((s ** 2).sum()) if len(s) else float("nan")


def relative_gap(value: float | None, reference: float | None) -> float:
    """(value − reference) / |reference|; NaN when either is missing or the reference is 0."""
    if value is None or reference is None or pd.isna(value) or pd.isna(reference) or reference == 0:
        return float("nan")
    return (float(value) - float(reference)) / abs(float(reference))


def attainment(value: float | None, target: float | None) -> float:
    """value / target (1.0 = target met); NaN when either is missing or the target is not positive."""
    if value is None or target is None or pd.isna(value) or pd.isna(target) or target <= 0:
        return float("nan")
    return float(value) / float(target)


def step_conversion(later: float | None, earlier: float | None) -> float:
    """People at a funnel step / people at the step before (NaN when the earlier step is empty or missing)."""
    if later is None or earlier is None or pd.isna(later) or pd.isna(earlier) or earlier <= 0:
        return float("nan")
    return float(later) / float(earlier)


def interaction_intensity(comments: pd.Series, likes: pd.Series, shares: pd.Series, online: pd.Series) -> pd.Series:
    """Per-minute 互动强度 / interaction intensity: (comments + likes + shares) / online viewers.

    Not the registry's 互动率 (interaction_rate = interacting people / UV): a count of actions per
    viewer online in that minute, NaN where nobody is online.
    """
    actions = comments.astype(float) + likes.astype(float) + shares.astype(float)
    return actions / online.astype(float).where(online > 0)


def per_viewer(count: pd.Series, viewers: pd.Series) -> pd.Series:
    """Actions per viewer: ``count / viewers``, NaN where there is no viewer.

    For counts of actions (likes, comments, shares, follows) that the registry does not hold,
    e.g. a time bucket's actions per average online viewer, or a viewer group's interactions per
    person. Never for registry base quantities (those ratios come from ``ds.kpis``).
    """
    return count.astype(float) / viewers.astype(float).where(viewers > 0)


def weighted_mean(values: list[float | None], weights: list[float | None], over: float | None = None) -> float:
    """Σ value × weight / Σ weight (or / ``over``): pooling per-part averages into one, e.g. two sessions'
    average concurrent viewers weighted by their minutes; NaN when any value or weight is missing or the
    divisor is not positive."""
    if any(v is None or w is None or pd.isna(v) or pd.isna(w) for v, w in zip(values, weights, strict=True)):
        return float("nan")
    pairs = [(float(v), float(w)) for v, w in zip(values, weights, strict=True)]  # type: ignore[arg-type]
    total = math.fsum(w for _, w in pairs) if over is None else float(over)
    if total <= 0:
        return float("nan")
    return math.fsum(v * w for v, w in pairs) / total


def share_of(part: float | None, whole: float | None) -> float:
    """part / whole: the share of a whole that a part makes up (e.g. returning viewers of all viewers,
    slow refunds of all refunds); NaN when either is missing or the whole is not positive."""
    if part is None or whole is None or pd.isna(part) or pd.isna(whole) or whole <= 0:
        return float("nan")
    return float(part) / float(whole)


SMALL_SAMPLE_PEOPLE = 30
"""The small-sample rule: a rate or share resting on fewer people than this is flagged "few data" (样本少)
wherever it is shown — one viewer more or less moves it by several points (at 30 people, by 3.3 points)."""


def few_people(people: float | None, minimum: int = SMALL_SAMPLE_PEOPLE) -> bool:
    """True when ``people`` (the people a rate rests on: its denominator) is known and below ``minimum``.

    Unknown counts are not flagged (their rate is missing anyway); 0 people is flagged.
    """
    return people is not None and not pd.isna(people) and float(people) < minimum


def few_people_flags(people: pd.Series, minimum: int = SMALL_SAMPLE_PEOPLE) -> pd.Series:
    """:func:`few_people` for every value of ``people`` (a boolean Series on the same index)."""
    p = pd.to_numeric(people, errors="coerce").astype(float)
    return p.notna() & (p < minimum)


def multiple(value: float | None, reference: float | None) -> float:
    """value / reference: how many times the reference the value is (2.0 = twice); NaN when either is
    missing or the reference is not positive."""
    if value is None or reference is None or pd.isna(value) or pd.isna(reference) or reference <= 0:
        return float("nan")
    return float(value) / float(reference)


def gmv_plan(viewers: float, conversion: float, order_value: float) -> float:
    """Traffic × conversion × order value: the GMV that ``viewers`` buying at the view→order
    ``conversion`` with the average order value ``order_value`` give (a planning figure)."""
    return float(viewers) * float(conversion) * float(order_value)


def viewers_needed(gmv: float | None, conversion: float, order_value: float) -> float:
    """Viewers needed for ``gmv`` at ``conversion`` and ``order_value``, rounded up; NaN when the GMV is
    missing or conversion × order value is not positive."""
    per_viewer = float(conversion) * float(order_value)
    if gmv is None or pd.isna(gmv) or not per_viewer > 0:
        return float("nan")
    return float(math.ceil(float(gmv) / per_viewer))


def robust_spread(values: pd.Series | list[float]) -> float:
    """The relative robust spread of a series: 1.4826 × median absolute deviation / |median|.

    For normally distributed values 1.4826 × MAD estimates the standard deviation, so this is a
    coefficient of variation that one unusual session does not inflate. NaN with fewer than two
    values or a median of 0.
    """
    s = pd.Series(values, dtype=float).dropna()
    if len(s) < 2:
        return float("nan")
    med = float(s.median())
    if med == 0:
        return float("nan")
    return 1.4826 * float((s - med).abs().median()) / abs(med)


def theil_sen(values: pd.Series | list[float]) -> tuple[float, float]:
    """Theil–Sen line through ``values`` at positions 0, 1, 2, …: ``(slope per step, intercept)``.

    The slope is the median of the slopes between every pair of points, the intercept the median
    of ``value − slope × position``: a trend that one unusual session does not tilt. NaN, NaN with
    fewer than two values (missing values are dropped, positions kept).
    """
    s = pd.Series(values, dtype=float).reset_index(drop=True).dropna()
    if len(s) < 2:
        return float("nan"), float("nan")
    x, y = s.index.to_numpy(dtype=float), s.to_numpy()
    i, j = np.triu_indices(len(s), k=1)
    slope = float(np.median((y[j] - y[i]) / (x[j] - x[i])))
    return slope, float(np.median(y - slope * x))


def factor_impact(total: float | None, value: float | None, reference: float | None) -> float:
    """What ``total`` would change by if one factor it is proportional to moved from ``value`` to ``reference``.

    ``total × (reference / value − 1)`` — e.g. GMV = UV × conversion × order value, so UV at its
    reference with conversion and order value unchanged changes GMV by this amount. NaN when an
    input is missing or ``value`` is not positive.
    """
    if any(v is None or pd.isna(v) for v in (total, value, reference)) or not float(value) > 0:  # type: ignore[arg-type]
        return float("nan")
    return float(total) * (float(reference) / float(value) - 1.0)  # type: ignore[arg-type]


def excess_amount(rate: float | None, reference_rate: float | None, base: float | None) -> float:
    """``(rate − reference_rate) × base``: the amount a rate above its reference costs on ``base``
    (e.g. refund rate above the room median × GMV = refunds above usual). NaN when an input is missing."""
    if any(v is None or pd.isna(v) for v in (rate, reference_rate, base)):
        return float("nan")
    return (float(rate) - float(reference_rate)) * float(base)  # type: ignore[arg-type]


def pro_rata(total: float | None, part: float | None, whole: float | None) -> float:
    """``total × part / whole``: the share of ``total`` that falls on ``part`` of ``whole`` (e.g. the GMV of
    outage minutes at the session's average GMV per minute). NaN when an input is missing or ``whole`` ≤ 0."""
    if any(v is None or pd.isna(v) for v in (total, part, whole)) or not float(whole) > 0:  # type: ignore[arg-type]
        return float("nan")
    return float(total) * float(part) / float(whole)  # type: ignore[arg-type]


def shapley_product(before: tuple[float, float, float], after: tuple[float, float, float]) -> tuple[float, float, float]:
    """Shapley split of the change of a product ``a × b × c`` into one effect per factor; the effects add up
    exactly to ``a1·b1·c1 − a0·b0·c0``.

    Each factor's effect is its change times the average of the other two factors' product over the
    orderings in which it moves (Shapley value of the three-player game): for ``a``,
    ``Δa × [(b0·c0 + b1·c1) / 3 + (b0·c1 + b1·c0) / 6]``, and likewise for ``b`` and ``c``. Zero
    factors need no special case (no logarithms). NaN effects when an input is missing.
    """
    vals = [*before, *after]
    if any(v is None or pd.isna(v) for v in vals):
        return (float("nan"),) * 3
    a0, b0, c0 = (float(v) for v in before)
    a1, b1, c1 = (float(v) for v in after)

    def effect(d: float, p0: float, p1: float, q0: float, q1: float) -> float:
        return d * ((p0 * q0 + p1 * q1) / 3.0 + (p0 * q1 + p1 * q0) / 6.0)

    return (effect(a1 - a0, b0, b1, c0, c1), effect(b1 - b0, a0, a1, c0, c1), effect(c1 - c0, a0, a1, b0, b1))


def run_rate(value: float | None, elapsed_days: float, period_days: float) -> float:
    """``value × period_days / elapsed_days``: a period total forecast at the pace so far; NaN when the value is
    missing or no day has elapsed."""
    if value is None or pd.isna(value) or not elapsed_days > 0:
        return float("nan")
    return float(value) * float(period_days) / float(elapsed_days)


def mean_interval(values: pd.Series | list[float], level: float = 0.90) -> tuple[float, float]:
    """Student-t interval of the mean of ``values`` (missing values dropped) at ``level``; NaNs with fewer than
    two values."""
    from scipy import stats

    v = pd.Series(values, dtype=float).dropna().to_numpy()
    if len(v) < 2:
        return float("nan"), float("nan")
    mean, se = float(v.mean()), float(v.std(ddof=1) / math.sqrt(len(v)))
    half = float(stats.t.ppf(0.5 + level / 2.0, len(v) - 1)) * se
    return mean - half, mean + half
