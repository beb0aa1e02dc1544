"""A/B results as DataFrames: the A/B page's per-arm table, one row per metric and arm, with plain names.

Three different things are "adjusted" in an analysis; the frame names each for what it is:

* ``p_value_corrected`` -- the relative test's p corrected for **multiple testing** across treatments
  (Holm or BH; ``Comparison.p_unadjusted_corrected``);
* ``regression_*`` -- the **room × time-slot regression** of a session experiment
  (``Comparison.adjusted``: effect, interval and p from the same fit);
* ``decision_p_value_corrected`` -- the multiple-testing corrected p of the test the verdict is decided on
  (the regression's when there is one; ``Comparison.p_adjusted``).

CUPED (pre-period adjustment), when asked for, is already inside ``value`` and the tests.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from liveops_nb.abtest.analysis import Analysis, Comparison

COLUMNS: tuple[str, ...] = (
    "metric", "kind", "variant", "role", "n", "value", "abs_effect", "rel_effect", "ci_low", "ci_high",
    "p_value", "p_value_corrected", "chance_to_win", "regression_abs_effect", "regression_rel_effect",
    "regression_ci_low", "regression_ci_high", "regression_p_value", "decision_p_value_corrected",
    "significant", "error",
)
"""Columns of :func:`analysis_frame` (``ci_*`` bound the relative effect, at level ``1 - alpha``)."""


def _nan(x: float | None) -> float:
    return math.nan if x is None else float(x)


def _treatment_row(c: Comparison, n: int | None) -> dict[str, Any]:
    r, adj = c.rel, c.adjusted
    return {
        "metric": c.metric, "kind": c.kind, "variant": c.treatment, "role": "treatment", "n": n,
        "value": _nan(r.treatment_value) if r else math.nan,
        "abs_effect": _nan(c.abs.effect) if c.abs else math.nan,
        "rel_effect": _nan(r.effect) if r else math.nan,
        "ci_low": _nan(r.ci_low) if r else math.nan, "ci_high": _nan(r.ci_high) if r else math.nan,
        "p_value": _nan(r.p_value) if r else math.nan,
        "p_value_corrected": float(c.p_unadjusted_corrected),
        "chance_to_win": _nan(c.bayes.chance_to_win) if c.bayes else math.nan,
        "regression_abs_effect": adj.effect if adj else math.nan,
        "regression_rel_effect": adj.rel if adj else math.nan,
        "regression_ci_low": adj.rel_low if adj else math.nan,
        "regression_ci_high": adj.rel_high if adj else math.nan,
        "regression_p_value": adj.p_value if adj else math.nan,
        "decision_p_value_corrected": float(c.p_adjusted),
        "significant": bool(c.significant), "error": None if c.error is None else str(c.error),
    }


def analysis_frame(a: Analysis) -> pd.DataFrame:
    """One row per metric and arm: the control first, then each treatment against it.

    Parameters
    ----------
    a : the result of :func:`liveops_nb.abtest.analyze`.

    Returns
    -------
    DataFrame with :data:`COLUMNS`. ``n`` is the arm's units (int), ``value`` the arm's estimate
    (mean per unit, rate or ratio of sums); effects, intervals and p-values are on the treatment
    rows only (NaN on the control row). A metric that could not be measured has one row whose
    ``error`` says why.
    """
    rows: list[dict[str, Any]] = []
    for key in a.metrics:
        if not a.has_units:
            rows.append({"metric": key, "error": "no units assigned yet"})
            continue
        if key in a.errors:
            rows.append({"metric": key, "error": str(a.errors[key])})
            continue
        arms = a.arms.get(key, {})
        comps = [c for c in a.comparisons if c.metric == key]
        ctl = next((c.rel for c in comps if c.rel is not None), None)
        rows.append({"metric": key, "kind": comps[0].kind if comps else None, "variant": a.control,
                     "role": "control", "n": arms[a.control].n if a.control in arms else None,
                     "value": _nan(ctl.control_value) if ctl else math.nan, "significant": False})
        rows += [_treatment_row(c, arms[c.treatment].n if c.treatment in arms else None) for c in comps]
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    out["n"] = out["n"].astype("Int64")
    out["significant"] = out["significant"].astype("boolean")
    floats = [c for c in COLUMNS if c not in ("metric", "kind", "variant", "role", "n", "significant", "error")]
    out[floats] = out[floats].astype("float64")
    return out
