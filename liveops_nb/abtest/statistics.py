"""Sufficient statistics of one arm, raw and typed (in the style of GrowthBook's gbstats).

:class:`ArmStats` is what a database aggregate gives per arm -- counts, sums and sums of
squares/products -- for any metric. :func:`arm_statistic` reads it as one small frozen
statistic per kind of metric, each knowing its mean and per-unit variance:

* :class:`ProportionStatistic` -- 0/1 outcomes, variance ``p (1 - p)``;
* :class:`SampleMeanStatistic` -- a mean per unit, sample variance (``n - 1`` divisor);
* :class:`RatioStatistic` -- ``R = sum / denominator_sum`` with the per-unit delta-method
  variance ``(s_Y^2 - 2 R s_YD + R^2 s_D^2) / D_bar^2``;
* :class:`RegressionAdjustedStatistic` -- CUPED on a mean or proportion: ``theta = Sxy / Sxx``
  from both arms pooled (:func:`regression_adjusted`), adjusted value
  ``Y_bar - theta (X_bar - X_bar_pooled)``, per-unit variance ``s_Y^2 + theta^2 s_X^2 - 2 theta s_XY``.
  As in gbstats, a proportion metric with a 0/1 covariate reads the covariate as a proportion too,
  and their covariance then uses the ``n`` divisor like ``p (1 - p)``.

The tests on these statistics: :mod:`~liveops_nb.abtest.frequentist`,
:mod:`~liveops_nb.abtest.sequential`, :mod:`~liveops_nb.abtest.bayesian`. Derivations:
``docs/abtest-statistics.md``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Literal

import numpy as np

from liveops_nb.abtest.errors import InsufficientDataError, StatsError, ZeroBaselineError

Metric = Literal["mean", "proportion", "ratio"]
METRICS: tuple[Metric, ...] = ("mean", "proportion", "ratio")

_DENOMINATOR = ("denominator_sum", "denominator_sum_squares", "main_denominator_sum_product")
_COVARIATE = ("covariate_sum", "covariate_sum_squares", "main_covariate_sum_product")


def finite(name: str, value: object) -> float:
    """``value`` as a finite float; :class:`StatsError` naming ``name`` otherwise."""
    try:
        if isinstance(value, (str, bytes)):
            raise TypeError(name)
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise StatsError(f"{name} must be a finite number, got {value!r}") from None
    if not math.isfinite(v):
        raise StatsError(f"{name} must be a finite number, got {value!r}")
    return v


def sample_covariance(n: int, sum_a: float, sum_b: float, sum_ab: float) -> float:
    """Sample covariance (``n - 1`` divisor) from sums."""
    return (sum_ab - sum_a * sum_b / n) / (n - 1)


def _whole(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, float, np.integer, np.floating)) or int(n) != n or n < 0:
        raise StatsError(f"n must be a non-negative whole number of units, got {n!r}")
    return int(n)


@dataclass(frozen=True)
class ArmStats:
    """Sufficient statistics of one arm, as a database aggregate gives them.

    Parameters
    ----------
    n : int
        Number of randomisation units (users, sessions, ...).
    sum, sum_squares : float
        Sum over units of the main value ``y`` and of ``y**2``. For a
        proportion, ``sum`` is the number of successes and ``sum_squares = sum``.
    denominator_sum, denominator_sum_squares, main_denominator_sum_product : float, optional
        Ratio metrics: sums of the per-unit denominator ``d``, of ``d**2`` and of
        ``y * d``. All three or none.
    covariate_sum, covariate_sum_squares, main_covariate_sum_product : float, optional
        CUPED: sums of the pre-period covariate ``x``, of ``x**2`` and of
        ``y * x``. All three or none.
    """

    n: int
    sum: float
    sum_squares: float
    _: KW_ONLY
    denominator_sum: float | None = None
    denominator_sum_squares: float | None = None
    main_denominator_sum_product: float | None = None
    covariate_sum: float | None = None
    covariate_sum_squares: float | None = None
    main_covariate_sum_product: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "n", _whole(self.n))
        for name in ("sum", "sum_squares"):
            object.__setattr__(self, name, finite(name, getattr(self, name)))
        for group in (_DENOMINATOR, _COVARIATE):
            given = [getattr(self, f) is not None for f in group]
            if any(given) and not all(given):
                raise StatsError(f"give all of {', '.join(group)} or none of them")
            for f in group:
                if getattr(self, f) is not None:
                    object.__setattr__(self, f, finite(f, getattr(self, f)))
        for s, ss in (("sum", "sum_squares"), ("denominator_sum", "denominator_sum_squares"),
                      ("covariate_sum", "covariate_sum_squares")):
            s_v, ss_v = getattr(self, s), getattr(self, ss)
            if s_v is not None and self.n > 0 and ss_v < s_v**2 / self.n - 1e-9 * max(1.0, abs(ss_v)):
                raise StatsError(f"{ss}={ss_v} is smaller than {s}^2/n={s_v**2 / self.n}: "
                                 "not a sum of squares (negative variance)")

    @classmethod
    def from_values(cls, values: Sequence[float], *, denominators: Sequence[float] | None = None,
                    covariates: Sequence[float] | None = None) -> ArmStats:
        """Build the sufficient statistics from unit-level arrays (one entry per unit)."""
        y = _array("values", values)
        kw: dict[str, float] = {}
        for name, arr in (("denominator", denominators), ("covariate", covariates)):
            if arr is not None:
                a = _array(f"{name}s", arr)
                if a.shape != y.shape:
                    raise StatsError(f"{name}s must have one entry per unit like values")
                prod = "main_denominator_sum_product" if name == "denominator" else "main_covariate_sum_product"
                kw.update({f"{name}_sum": float(a.sum()), f"{name}_sum_squares": float((a * a).sum()),
                           prod: float((y * a).sum())})
        return cls(int(y.size), float(y.sum()), float((y * y).sum()), **kw)

    def _need(self, k: int, what: str) -> None:
        if self.n < k:
            raise InsufficientDataError(f"{what} needs n >= {k} units in the arm, got n={self.n}", n=self.n)

    @property
    def mean(self) -> float:
        """Mean of the main value per unit, ``sum / n``."""
        self._need(1, "a mean")
        return self.sum / self.n

    @property
    def variance(self) -> float:
        """Per-unit sample variance of the main value (n - 1 divisor)."""
        self._need(2, "a variance")
        return max(0.0, sample_covariance(self.n, self.sum, self.sum, self.sum_squares))

    @property
    def has_denominator(self) -> bool:
        return self.denominator_sum is not None

    @property
    def has_covariate(self) -> bool:
        return self.covariate_sum is not None

    @property
    def ratio_mean(self) -> float:
        """Ratio estimate ``R = sum / denominator_sum`` (see :class:`RatioStatistic`)."""
        return ratio_statistic(self).mean

    @property
    def ratio_variance(self) -> float:
        """Per-unit delta-method variance of the ratio (see :class:`RatioStatistic`).

        The squared standard error of :attr:`ratio_mean` is ``ratio_variance / n``.
        """
        stat = ratio_statistic(self)
        self._need(2, "a ratio variance")
        return stat.variance


def _array(name: str, values: Sequence[float]) -> np.ndarray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise StatsError(f"{name} must be numbers, one per unit") from None


# ---------------------------------------------------------------- typed statistics
@dataclass(frozen=True)
class ProportionStatistic:
    """0/1 outcomes: ``sum`` successes out of ``n`` units."""

    n: int
    sum: float

    @property
    def sum_squares(self) -> float:
        return self.sum

    @property
    def mean(self) -> float:
        return self.sum / self.n

    @property
    def variance(self) -> float:
        """``p (1 - p)``."""
        p = self.mean
        return p * (1 - p)


@dataclass(frozen=True)
class SampleMeanStatistic:
    """A value per unit: ``n``, its sum and sum of squares."""

    n: int
    sum: float
    sum_squares: float

    @property
    def mean(self) -> float:
        return self.sum / self.n

    @property
    def variance(self) -> float:
        """Sample variance (``n - 1`` divisor), never below 0."""
        return max(0.0, sample_covariance(self.n, self.sum, self.sum, self.sum_squares))


@dataclass(frozen=True)
class RatioStatistic:
    """``numerator`` per unit over ``denominator`` per unit (e.g. GMV per viewer, sessions as units).

    ``numerator_denominator_sum_product`` is the sum over units of ``y * d``.
    """

    n: int
    numerator: SampleMeanStatistic
    denominator: SampleMeanStatistic
    numerator_denominator_sum_product: float

    @property
    def mean(self) -> float:
        """``R = sum / denominator_sum`` (= mean numerator / mean denominator)."""
        return self.numerator.sum / self.denominator.sum

    @property
    def variance(self) -> float:
        """Per-unit delta-method variance ``(s_Y^2 - 2 R s_YD + R^2 s_D^2) / D_bar^2`` (never below 0)."""
        d_bar = self.denominator.sum / self.n
        r = self.mean
        s_d = sample_covariance(self.n, self.denominator.sum, self.denominator.sum, self.denominator.sum_squares)
        s_yd = sample_covariance(self.n, self.numerator.sum, self.denominator.sum,
                                 self.numerator_denominator_sum_product)
        return max(0.0, (self.numerator.variance - 2 * r * s_yd + r * r * s_d) / d_bar**2)


@dataclass(frozen=True)
class RegressionAdjustedStatistic:
    """CUPED: the ``post`` value adjusted by the pre-period covariate ``pre`` with a pooled ``theta``.

    ``pooled_pre_mean`` is the covariate mean of both arms together; ``post_pre_sum_product`` the
    sum over units of ``y * x``.
    """

    n: int
    post: ProportionStatistic | SampleMeanStatistic
    pre: ProportionStatistic | SampleMeanStatistic
    post_pre_sum_product: float
    theta: float
    pooled_pre_mean: float

    @property
    def unadjusted_mean(self) -> float:
        return self.post.mean

    @property
    def mean(self) -> float:
        """``Y_bar - theta (X_bar - X_bar_pooled)``."""
        return self.post.mean - self.theta * (self.pre.sum / self.n - self.pooled_pre_mean)

    @property
    def covariance(self) -> float:
        """Covariance of ``y`` and ``x``: ``n`` divisor when both are proportions (gbstats), else ``n - 1``."""
        if isinstance(self.post, ProportionStatistic) and isinstance(self.pre, ProportionStatistic):
            return self.post_pre_sum_product / self.n - self.post.sum * self.pre.sum / self.n**2
        return sample_covariance(self.n, self.post.sum, self.pre.sum, self.post_pre_sum_product)

    @property
    def pre_variance(self) -> float:
        """Variance of ``x`` (``p (1 - p)`` for a 0/1 covariate of a proportion, else the sample variance)."""
        if isinstance(self.pre, ProportionStatistic):
            return self.pre.variance
        return sample_covariance(self.n, self.pre.sum, self.pre.sum, self.pre.sum_squares)

    @property
    def variance(self) -> float:
        """``s_Y^2 + theta^2 s_X^2 - 2 theta s_XY`` (theta treated as known; never below 0)."""
        th = self.theta
        return max(0.0, self.post.variance + th * th * self.pre_variance - 2 * th * self.covariance)


Statistic = ProportionStatistic | SampleMeanStatistic | RatioStatistic | RegressionAdjustedStatistic
"""Any typed statistic of one arm."""


def proportion_statistic(arm: ArmStats) -> ProportionStatistic:
    """``arm`` as 0/1 outcomes; :class:`StatsError` unless ``0 <= sum <= n`` and ``sum_squares == sum``."""
    if not 0 <= arm.sum <= arm.n:
        raise StatsError(f"proportion needs 0 <= sum (successes) <= n, got sum={arm.sum}, n={arm.n}")
    if abs(arm.sum_squares - arm.sum) > 1e-9 * max(1.0, arm.sum):
        raise StatsError("proportion arms must have sum_squares == sum (0/1 outcomes)")
    arm._need(1, "a mean")
    return ProportionStatistic(arm.n, arm.sum)


def mean_statistic(arm: ArmStats) -> SampleMeanStatistic:
    """``arm`` as a mean per unit (``n >= 2`` for its variance)."""
    arm._need(2, "a variance")
    return SampleMeanStatistic(arm.n, arm.sum, arm.sum_squares)


def ratio_statistic(arm: ArmStats) -> RatioStatistic:
    """``arm`` as a ratio; :class:`StatsError` without the denominator sums, :class:`ZeroBaselineError` at 0."""
    if not arm.has_denominator:
        raise StatsError("ratio metric needs denominator_sum, denominator_sum_squares and "
                         "main_denominator_sum_product on every arm")
    if arm.denominator_sum == 0:
        raise ZeroBaselineError("denominator_sum is 0: the ratio is undefined")
    assert arm.denominator_sum is not None and arm.denominator_sum_squares is not None
    assert arm.main_denominator_sum_product is not None
    return RatioStatistic(arm.n, SampleMeanStatistic(arm.n, arm.sum, arm.sum_squares),
                          SampleMeanStatistic(arm.n, arm.denominator_sum, arm.denominator_sum_squares),
                          arm.main_denominator_sum_product)


def arm_statistic(arm: ArmStats, metric: Metric) -> ProportionStatistic | SampleMeanStatistic | RatioStatistic:
    """The typed statistic of ``arm`` read as ``metric`` ("mean", "proportion" or "ratio")."""
    if metric == "ratio":
        return ratio_statistic(arm)
    if metric == "proportion":
        return proportion_statistic(arm)
    if metric == "mean":
        return mean_statistic(arm)
    raise StatsError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")


def regression_adjusted(control: ArmStats, treatment: ArmStats, metric: Metric
                        ) -> tuple[RegressionAdjustedStatistic, RegressionAdjustedStatistic]:
    """CUPED statistics of both arms with ``theta = Sxy / Sxx`` from both arms pooled into one sample.

    ``Sxy = sum(xy) - sum(x) sum(y) / N`` and ``Sxx = sum(x^2) - sum(x)^2 / N``; ``theta = 0`` when
    the pooled covariate has (numerically) no variance. Mean and proportion metrics only.
    """
    if metric == "ratio":
        raise StatsError("CUPED is implemented for mean and proportion metrics, not ratio")
    if not (control.has_covariate and treatment.has_covariate):
        raise StatsError("cuped=True needs covariate_sum, covariate_sum_squares and "
                         "main_covariate_sum_product on both arms")
    posts = [arm_statistic(control, metric), arm_statistic(treatment, metric)]
    arms = (control, treatment)
    xs = [(a.covariate_sum, a.covariate_sum_squares, a.main_covariate_sum_product) for a in arms]
    n = control.n + treatment.n
    sx = xs[0][0] + xs[1][0]  # type: ignore[operator]
    sy = control.sum + treatment.sum
    sxx = xs[0][1] + xs[1][1]  # type: ignore[operator]
    sxy = xs[0][2] + xs[1][2]  # type: ignore[operator]
    cxx = sxx - sx * sx / n
    theta = (sxy - sx * sy / n) / cxx if cxx > 1e-12 * max(1.0, abs(sxx)) else 0.0
    binary = metric == "proportion" and all(_is_binary(a.n, x[0], x[1]) for a, x in zip(arms, xs, strict=True))
    out = [RegressionAdjustedStatistic(a.n, post, (ProportionStatistic(a.n, x[0]) if binary  # type: ignore[arg-type]
                                                   else SampleMeanStatistic(a.n, x[0], x[1])),  # type: ignore[arg-type]
                                       x[2], theta, sx / n)  # type: ignore[arg-type]
           for a, post, x in zip(arms, posts, xs, strict=True)]
    return out[0], out[1]


def _is_binary(n: int, total: float | None, squares: float | None) -> bool:
    """Sums that can come from 0/1 values: ``0 <= sum <= n`` and ``sum_squares == sum``."""
    if total is None or squares is None:
        return False
    return 0 <= total <= n and abs(squares - total) <= 1e-9 * max(1.0, total)
