"""Room × time-slot adjusted effect of a session-level test (weighted regression, HC1 robust errors).

Only this needs per-session rows (a few hundred at most): a weighted least-squares regression
``y/d ~ C(variant) + C(room_id) + C(slot)`` with HC1 robust standard errors (weights = the
ratio's denominator, so the variant coefficient of a model without covariates is exactly the
ratio difference; plain OLS of ``y`` for a mean metric). Its relative effect divides by the
control's pooled value, treated as fixed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from liveops_nb.abtest.errors import StatsError
from liveops_nb.abtest.moments import Alternative


@dataclass(frozen=True)
class Adjusted:
    """Room × slot adjusted effect (WLS, HC1): absolute and relative (÷ control value) with interval."""

    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    rel: float
    rel_low: float
    rel_high: float
    n: int
    terms: tuple[str, ...]


def adjusted_effect(values: pd.DataFrame, control: str, treatment: str, alpha: float = 0.05,
                    alternative: Alternative = "two-sided") -> Adjusted | None:
    """WLS ``y/d ~ C(variant) + C(room_id) + C(slot)`` with HC1 SEs (plain OLS of ``y`` without ``d``).

    Parameters
    ----------
    values : DataFrame
        Per-session ``variant, room_id, slot, y`` (+ ``d``), as
        :func:`~liveops_nb.abtest.units.session_values` gives them.
    control, treatment : the two variants compared.
    alpha, alternative : level and sides of the interval and p-value (normal reference).

    Returns
    -------
    Adjusted or None
        ``None`` when too few sessions remain (terms with a single level are dropped) or the
        control value is 0.
    """
    import statsmodels.formula.api as smf
    from scipy import stats as st

    missing = {"variant", "room_id", "slot", "y"} - set(values.columns)
    if missing:
        raise StatsError(f"values need the columns variant, room_id, slot and y; missing {', '.join(sorted(missing))}")
    df = values[values.variant.isin([control, treatment])].copy()
    ratio = "d" in df.columns
    if ratio:
        df = df[df.d > 0]
        df["rate"], w = df.y / df.d, df.d
    else:
        df["rate"], w = df.y, pd.Series(1.0, index=df.index)
    terms = tuple(c for c in ("room_id", "slot") if df[c].nunique() > 1)
    if df.variant.nunique() < 2 or len(df) < 3 + sum(df[c].nunique() for c in terms):
        return None
    formula = f'rate ~ C(variant, Treatment(reference="{control}"))' + "".join(f" + C({c})" for c in terms)
    fit = smf.wls(formula, data=df, weights=w).fit(cov_type="HC1")
    name = fit.params.index[1]
    est, se = float(fit.params[name]), float(fit.bse[name])
    ctl = df[df.variant == control]
    base = float((ctl.y.sum() / ctl.d.sum()) if ratio else ctl.y.mean())
    if base == 0 or not (se > 0 and math.isfinite(se)):
        return None
    z = est / se
    if alternative == "two-sided":
        q, p = st.norm.ppf(1 - alpha / 2), 2 * st.norm.sf(abs(z))
        lo, hi = est - q * se, est + q * se
    else:
        q = st.norm.ppf(1 - alpha)
        p = st.norm.sf(z) if alternative == "greater" else st.norm.cdf(z)
        lo, hi = (est - q * se, math.inf) if alternative == "greater" else (-math.inf, est + q * se)
    return Adjusted(est, lo, hi, float(p), est / abs(base), lo / abs(base), hi / abs(base), int(len(df)), terms)
