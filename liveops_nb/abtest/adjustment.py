"""Room × time-slot adjusted effect of a session-level test (weighted regression, HC1 robust errors).

Only this needs per-session rows (a few hundred at most): a weighted least-squares regression
``y/d ~ C(variant) + C(room_id) + C(slot)`` with HC1 robust standard errors (weights = the
ratio's denominator, so the variant coefficient of a model without covariates is exactly the
ratio difference; plain OLS of ``y`` for a mean metric). A term with a single level among the
compared sessions is left out, and :attr:`Adjusted.terms` lists the terms actually used.

The relative effect comes from the same fit: ``r = beta / |b|`` where ``beta`` is the variant
coefficient and ``b = x_c' params`` the control value the model implies (``x_c`` the
weight-averaged design row of the control sessions; the normal equations make ``b`` equal to the
control's pooled value ``sum y / sum d``, or its mean). Its standard error is the delta method on
the fit's HC1 covariance ``V``: ``se_r^2 = g' V g`` with ``g = e_variant / |b| - beta sign(b) x_c / b^2``,
so the covariance of ``beta`` and ``b`` is kept. The relative interval and its p-value are both
Wald on ``(r, se_r)``; the absolute ones on ``(beta, se_beta)`` (normal reference, as HC1 is
asymptotic).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from liveops_nb.abtest.errors import StatsError
from liveops_nb.abtest.moments import Alternative

TERMS: tuple[str, ...] = ("room_id", "slot")
"""The adjustment terms a session regression can use, as codes (the columns of the per-session rows)."""


@dataclass(frozen=True)
class Adjusted:
    """Room × slot adjusted effect (WLS, HC1) of one treatment against control.

    Attributes
    ----------
    effect, ci_low, ci_high, p_value_abs : float
        Absolute effect (variant coefficient), its interval and p-value.
    rel, rel_se, rel_low, rel_high, p_value : float
        Relative effect ``effect / |control value|`` from the same fit, its delta-method standard
        error, interval and p-value (the decision test: the interval and p-value shown together).
    control_value : float
        The control value the fit implies (the relative effect's denominator).
    n : int
        Sessions in the regression.
    terms : tuple of str
        Adjustment terms in the model (codes from :data:`TERMS`; empty: variant only).
    """

    effect: float
    ci_low: float
    ci_high: float
    p_value_abs: float
    rel: float
    rel_se: float
    rel_low: float
    rel_high: float
    p_value: float
    control_value: float
    n: int
    terms: tuple[str, ...]


def _wald(est: float, se: float, alpha: float, alternative: Alternative) -> tuple[float, float, float]:
    """(low, high, p) of a normal Wald test of ``est`` with standard error ``se``."""
    from scipy import stats as st

    z = est / se
    if alternative == "two-sided":
        q = float(st.norm.ppf(1 - alpha / 2))
        return est - q * se, est + q * se, float(2 * st.norm.sf(abs(z)))
    q = float(st.norm.ppf(1 - alpha))
    if alternative == "greater":
        return est - q * se, math.inf, float(st.norm.sf(z))
    return -math.inf, est + q * se, float(st.norm.cdf(z))


def adjusted_effect(values: pd.DataFrame, control: str, treatment: str, alpha: float = 0.05,
                    alternative: Alternative = "two-sided") -> Adjusted | None:
    """WLS ``y/d ~ C(variant) + C(room_id) + C(slot)`` with HC1 SEs (plain OLS of ``y`` without ``d``).

    Parameters
    ----------
    values : DataFrame
        Per-session ``variant, room_id, slot, y`` (+ ``d``), as
        :func:`~liveops_nb.abtest.units.session_values` gives them.
    control, treatment : the two variants compared.
    alpha, alternative : level and sides of the intervals and p-values (normal reference).

    Returns
    -------
    Adjusted or None
        ``None`` when too few sessions remain (terms with a single level are dropped), the
        control value is 0 or the standard error is not positive.
    """
    import statsmodels.formula.api as smf

    missing = {"variant", "room_id", "slot", "y"} - set(values.columns)
    if missing:
        raise StatsError(f"values need the columns variant, room_id, slot and y; missing {', '.join(sorted(missing))}")
    df = values[values.variant.isin([control, treatment])].copy()
    ratio = "d" in df.columns
    if ratio:
        df = df[df.d > 0]
        df["rate"], df["w"] = df.y / df.d, df.d
    else:
        df["rate"], df["w"] = df.y, 1.0
    terms = tuple(c for c in TERMS if df[c].nunique() > 1)
    if df.variant.nunique() < 2 or len(df) < 3 + sum(df[c].nunique() for c in terms):
        return None
    formula = f'rate ~ C(variant, Treatment(reference="{control}"))' + "".join(f" + C({c})" for c in terms)
    fit = smf.wls(formula, data=df, weights=df.w).fit(cov_type="HC1")
    params, cov = np.asarray(fit.params, dtype=float), np.asarray(fit.cov_params(), dtype=float)
    est, se = float(params[1]), float(math.sqrt(cov[1, 1])) if cov[1, 1] > 0 else math.nan
    used = df.loc[fit.model.data.row_labels]
    is_ctl = (used.variant == control).to_numpy()
    w_c = used.w.to_numpy(dtype=float)[is_ctl]
    x_c = (fit.model.exog[is_ctl] * w_c[:, None]).sum(axis=0) / w_c.sum()
    base = float(x_c @ params)
    if base == 0 or not (se > 0 and math.isfinite(se)):
        return None
    grad = -est * math.copysign(1.0, base) / base**2 * x_c
    grad[1] += 1 / abs(base)
    rel, rel_se = est / abs(base), float(math.sqrt(max(0.0, float(grad @ cov @ grad))))
    if not (rel_se > 0 and math.isfinite(rel_se)):
        return None
    lo, hi, p_abs = _wald(est, se, alpha, alternative)
    rlo, rhi, p_rel = _wald(rel, rel_se, alpha, alternative)
    return Adjusted(est, lo, hi, p_abs, rel, rel_se, rlo, rhi, p_rel, base, int(len(used)), terms)
