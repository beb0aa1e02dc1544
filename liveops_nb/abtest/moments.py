"""The effect of treatment over control and its standard error, and the base of every frequentist test.

``effect = treatment - control``; the relative effect is ``(treatment - control) / |control|``
with the *unadjusted* control value below (CUPED included). Its delta-method variance
(``theta = 0`` without CUPED) is GrowthBook gbstats' ``frequentist_variance_relative_cuped``
(``gbstats/models/tests.py``), which keeps the covariance between the adjusted difference and
the unadjusted control mean ``c_bar``::

    r   = (t_adj - c_adj) / |c_bar|,   k = t_bar / c_bar   (unadjusted means)
    se2 = v_t_adj / (n_t c_bar^2)
        + (k^2 s_Yc^2 - 2 k theta s_XYc + theta^2 s_Xc^2) / (n_c c_bar^2)

Without CUPED this is ``v_t/(n_t c^2) + t^2 v_c/(n_c c^4)``. The Welch-Satterthwaite degrees of
freedom ``df = (v_t/n_t + v_c/n_c)^2 / ((v_t/n_t)^2/(n_t-1) + (v_c/n_c)^2/(n_c-1))`` always come
from the absolute per-unit (adjusted) variances. A test (:class:`EffectTest`) turns these moments
into a p-value and an interval; its one- and two-sided variants differ only in those two.
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Literal

from liveops_nb.abtest.errors import InsufficientDataError, StatsError, ZeroBaselineError
from liveops_nb.abtest.statistics import (
    METRICS,
    ArmStats,
    Metric,
    RegressionAdjustedStatistic,
    Statistic,
    arm_statistic,
    finite,
    regression_adjusted,
)

Alternative = Literal["two-sided", "greater", "less"]
ALTERNATIVES: tuple[Alternative, ...] = ("two-sided", "greater", "less")


def check_options(metric: object, alpha: object, alternative: object = "two-sided") -> float:
    """Validate the options shared by every test; returns ``alpha`` as a float."""
    if metric not in METRICS:
        raise StatsError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    if alternative not in ALTERNATIVES:
        raise StatsError(f"unknown alternative {alternative!r}; use one of {', '.join(ALTERNATIVES)}")
    a = finite("alpha", alpha)
    if not 0 < a < 1:
        raise StatsError(f"alpha must be in (0, 1), got {alpha}")
    return a


def arm_statistics(control: ArmStats, treatment: ArmStats, metric: Metric, cuped: bool
                   ) -> tuple[Statistic, Statistic]:
    """Both arms' typed statistics (CUPED-adjusted with ``cuped``); each arm needs ``n >= 2``."""
    for label, arm in (("control", control), ("treatment", treatment)):
        if not isinstance(arm, ArmStats):
            raise StatsError(f"{label} must be an ArmStats, got {type(arm).__name__}")
        if arm.n < 2:
            raise InsufficientDataError(f"{label} arm has n={arm.n} units; need n >= 2 to estimate a variance",
                                        arm=label, n=arm.n)
    pair: tuple[Statistic, Statistic] = (arm_statistic(control, metric), arm_statistic(treatment, metric))
    return regression_adjusted(control, treatment, metric) if cuped else pair


@dataclass(frozen=True)
class EffectMoments:
    """Point estimate and standard error of the effect, with what they came from.

    Attributes
    ----------
    effect, se : float
        Absolute ``t - c`` or relative ``(t - c)/|c|`` effect and its standard error.
    df : float
        Welch-Satterthwaite degrees of freedom (the caller decides whether to use them).
    control, treatment : float
        Arm values (CUPED-adjusted when ``theta`` is not None).
    control_unadjusted : float
        Control value without CUPED (the relative effect's denominator).
    theta : float or None
        CUPED coefficient, ``None`` without CUPED.
    n_control, n_treatment : int
        Units per arm.
    relative : bool
        Which scale ``effect`` is on.
    """

    effect: float
    se: float
    df: float
    control: float
    treatment: float
    control_unadjusted: float
    theta: float | None
    n_control: int
    n_treatment: int
    relative: bool

    @property
    def statistic(self) -> float:
        """``effect / se``."""
        return self.effect / self.se


def effect_moments(control: Statistic, treatment: Statistic, relative: bool) -> EffectMoments:
    """Effect, standard error and Welch df of ``treatment`` against ``control`` (module docstring)."""
    c, t = control.mean, treatment.mean
    c_unadj = control.unadjusted_mean if isinstance(control, RegressionAdjustedStatistic) else c
    t_unadj = treatment.unadjusted_mean if isinstance(treatment, RegressionAdjustedStatistic) else t
    theta = control.theta if isinstance(control, RegressionAdjustedStatistic) else None
    vc_adj, vt = control.variance, treatment.variance
    a_c, a_t = vc_adj / control.n, vt / treatment.n
    if a_c + a_t <= 0:
        raise InsufficientDataError("both arms have zero variance; the standard error is 0", code="zero_variance")
    df = (a_c + a_t) ** 2 / (a_c**2 / (control.n - 1) + a_t**2 / (treatment.n - 1))
    head = dict(df=df, control=c, treatment=t, control_unadjusted=c_unadj, theta=theta,
                n_control=control.n, n_treatment=treatment.n, relative=relative)
    if not relative:
        return EffectMoments(effect=t - c, se=math.sqrt(a_c + a_t), **head)  # type: ignore[arg-type]
    if c_unadj == 0:
        raise ZeroBaselineError("control value is 0, so the relative effect (t - c)/|c| is undefined; "
                                "use relative=False")
    if isinstance(control, RegressionAdjustedStatistic):
        vc, th, cov_c, var_xc = control.post.variance, control.theta, control.covariance, control.pre_variance
    else:
        vc, th, cov_c, var_xc = vc_adj, 0.0, 0.0, 0.0
    r = (t - c) / abs(c_unadj)
    k = t_unadj / c_unadj  # gbstats; equals 1 + r sign(c) without CUPED
    var_c_term = (k * k * vc - 2 * k * th * cov_c + th * th * var_xc) / (control.n * c_unadj**2)
    se2 = vt / (treatment.n * c_unadj**2) + max(0.0, var_c_term)
    return EffectMoments(effect=r, se=math.sqrt(se2), **head)  # type: ignore[arg-type]


class EffectTest(ABC):
    """A frequentist test of the effect: a p-value and an interval at level ``1 - alpha``.

    Subclasses for the two-sided test and the two one-sided ones differ only in
    :meth:`p_value` and :meth:`interval` (``-inf``/``inf`` on the open side).
    """

    alternative: Alternative = "two-sided"

    def __init__(self, moments: EffectMoments, alpha: float) -> None:
        self.moments, self.alpha = moments, alpha

    @property
    def df(self) -> float | None:
        """Degrees of freedom of the reference distribution (``None`` for normal-based tests)."""
        return None

    @abstractmethod
    def p_value(self) -> float:
        """p-value for :attr:`alternative` (before capping at 1)."""

    @abstractmethod
    def interval(self) -> tuple[float, float]:
        """(low, high) at level ``1 - alpha``."""

    @abstractmethod
    def describe(self) -> str:
        """The method in one technical line (for logs and the result's ``method``)."""
