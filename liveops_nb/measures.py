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


def share_of(part: float | None, whole: float | None) -> float:
    """part / whole: the share of a whole that a part makes up (e.g. returning viewers of all viewers,
    slow refunds of all refunds); NaN when either is missing or the whole is not positive."""
    if part is None or whole is None or pd.isna(part) or pd.isna(whole) or whole <= 0:
        return float("nan")
    return float(part) / float(whole)


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
