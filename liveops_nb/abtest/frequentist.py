"""Frequentist comparison of treatment against control: fixed-horizon tests and :func:`compare`.

Fixed-horizon tests of every metric (``"mean"``, ``"proportion"``, ``"ratio"``) use the Welch
statistic ``effect / se`` with Welch-Satterthwaite degrees of freedom and Student-t quantiles
(relative effects use the same df; a proportion's per-unit variance is ``p (1 - p)``), as
GrowthBook's gbstats ``TwoSidedTTest`` does. The two-sided test and the one-sided ones
(``"greater"``: treatment higher, ``"less"``) differ only in the p-value and the interval. :func:`compare` also runs the
sequential tests of :mod:`liveops_nb.abtest.sequential`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scipy import stats as _st

from liveops_nb.abtest.errors import StatsError
from liveops_nb.abtest.moments import (
    Alternative,
    EffectMoments,
    EffectTest,
    arm_statistics,
    check_options,
    effect_moments,
)
from liveops_nb.abtest.sequential import SEQUENTIAL_TESTS
from liveops_nb.abtest.statistics import ArmStats, Metric, finite


@dataclass(frozen=True)
class TestResult:
    """Result of :func:`compare` (all effect quantities on the effect's scale).

    Attributes
    ----------
    effect, se : float
        Point estimate (absolute or relative) and its standard error.
    ci_low, ci_high : float
        Confidence interval at level ``1 - alpha`` (``-inf``/``inf`` on the open side of a
        one-sided test); a confidence sequence if ``sequential``.
    p_value, statistic : float
        p-value for ``alternative`` and ``effect / se``.
    control_value, treatment_value : float
        Arm estimates (CUPED-adjusted when ``theta`` is not None).
    control_value_unadjusted : float
        Control estimate without CUPED (the relative-effect denominator).
    df : float or None
        Welch-Satterthwaite df; ``None`` for the (normal-asymptotic) sequential tests.
    method : str
        The test in one technical line.
    theta : float or None
        CUPED coefficient, ``None`` without CUPED.
    """

    __test__ = False  # not a pytest test class

    effect: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    statistic: float
    control_value: float
    treatment_value: float
    control_value_unadjusted: float
    relative: bool
    df: float | None
    method: str
    alpha: float
    alternative: Alternative
    metric: Metric
    n_control: int
    n_treatment: int
    sequential: bool
    theta: float | None

    @property
    def significant(self) -> bool:
        """``p_value < alpha``."""
        return self.p_value < self.alpha


class FixedHorizonTest(EffectTest):
    """Welch t-test on the effect moments (every metric kind; Welch-Satterthwaite df)."""

    def __init__(self, moments: EffectMoments, alpha: float, metric: Metric) -> None:
        super().__init__(moments, alpha)
        self.metric = metric
        self._df = moments.df
        self.dist: Any = _st.t(self._df)

    @property
    def df(self) -> float:
        return self._df

    def halfwidth(self, level: float) -> float:
        """``quantile(level) * se``."""
        return float(self.dist.ppf(level)) * self.moments.se

    def describe(self) -> str:
        return f"Welch t-test (df={self._df:.4g})"


class TwoSidedTest(FixedHorizonTest):
    alternative: Alternative = "two-sided"

    def p_value(self) -> float:
        return 2 * float(self.dist.sf(abs(self.moments.statistic)))

    def interval(self) -> tuple[float, float]:
        hw = self.halfwidth(1 - self.alpha / 2)
        return self.moments.effect - hw, self.moments.effect + hw


class GreaterTest(FixedHorizonTest):
    alternative: Alternative = "greater"

    def p_value(self) -> float:
        return float(self.dist.sf(self.moments.statistic))

    def interval(self) -> tuple[float, float]:
        return self.moments.effect - self.halfwidth(1 - self.alpha), math.inf


class LessTest(FixedHorizonTest):
    alternative: Alternative = "less"

    def p_value(self) -> float:
        return float(self.dist.cdf(self.moments.statistic))

    def interval(self) -> tuple[float, float]:
        return -math.inf, self.moments.effect + self.halfwidth(1 - self.alpha)


FIXED_HORIZON_TESTS: dict[Alternative, type[FixedHorizonTest]] = {
    "two-sided": TwoSidedTest, "greater": GreaterTest, "less": LessTest}


def compare(control: ArmStats, treatment: ArmStats, *, metric: Metric, relative: bool = True,
            alpha: float = 0.05, alternative: Alternative = "two-sided", cuped: bool = False,
            sequential: bool = False, sequential_tuning: float = 5000) -> TestResult:
    """Frequentist comparison of treatment against control.

    Parameters
    ----------
    control, treatment : ArmStats
        Sufficient statistics of each arm (``n >= 2``).
    metric : {"mean", "proportion", "ratio"}
        How to read the arm statistics (:func:`~liveops_nb.abtest.statistics.arm_statistic`).
    relative : bool
        Relative effect ``(t - c)/|c|`` (default) or absolute ``t - c``.
    alpha : float
        The interval has level ``1 - alpha``.
    alternative : {"two-sided", "greater", "less"}
        ``"greater"`` tests treatment higher than control.
    cuped : bool
        CUPED adjustment with the arms' covariate sums (mean/proportion only).
    sequential : bool
        Always-valid asymptotic confidence sequence instead of a fixed-horizon test.
    sequential_tuning : float
        ``N*``, the total sample size (both arms) where the sequence is tuned to be tightest.

    Returns
    -------
    TestResult

    Raises
    ------
    StatsError
        Unknown option, inconsistent sums, ``n < 2`` (:class:`InsufficientDataError`),
        zero control with ``relative=True`` (:class:`ZeroBaselineError`).
    """
    alpha = check_options(metric, alpha, alternative)
    if sequential:
        sequential_tuning = finite("sequential_tuning", sequential_tuning)
        if not sequential_tuning > 0:
            raise StatsError(f"sequential_tuning must be positive, got {sequential_tuning}")
        if alternative != "two-sided" and alpha >= 0.5:
            raise StatsError("one-sided sequential tests need alpha < 0.5")
    m = effect_moments(*arm_statistics(control, treatment, metric, cuped), relative=relative)
    test: EffectTest = (SEQUENTIAL_TESTS[alternative](m, alpha, sequential_tuning) if sequential
                        else FIXED_HORIZON_TESTS[alternative](m, alpha, metric))
    p = test.p_value()
    lo, hi = test.interval()
    scale = "relative effect (t-c)/|c|" if relative else "absolute difference t-c"
    extra = f", CUPED theta={m.theta:.4g}" if m.theta is not None else ""
    method = f"{test.describe()}, {metric} {scale}{extra}"
    return TestResult(effect=m.effect, se=m.se, ci_low=lo, ci_high=hi, p_value=min(1.0, p), statistic=m.statistic,
                      control_value=m.control, treatment_value=m.treatment,
                      control_value_unadjusted=m.control_unadjusted, relative=relative, df=test.df,
                      method=method, alpha=alpha, alternative=alternative, metric=metric,
                      n_control=m.n_control, n_treatment=m.n_treatment, sequential=sequential, theta=m.theta)
