"""A/B-test statistics from per-arm sufficient statistics (gbstats style).

Every function works on :class:`ArmStats` -- counts, sums and sums of
squares/products per arm -- so results can be computed from a SQL aggregate
without the unit-level rows. Full derivations: ``docs/abtest-statistics.md``.

Conventions
-----------
* ``effect = treatment - control``. The relative effect is
  ``(treatment - control) / |control|``; its standard error comes from the
  delta method and its interval is on the same (relative) scale.
* Per-unit variances use the ``n - 1`` divisor (``variance``,
  covariances), except proportions, whose variance is ``p (1 - p)``
  (a proportion arm has ``sum`` = successes and ``sum_squares = sum``).
* Fixed-horizon tests of ``"mean"`` and ``"ratio"`` metrics use the Welch
  statistic ``effect / se`` with Welch-Satterthwaite degrees of freedom
  ``df = (v_t/n_t + v_c/n_c)^2 / ((v_t/n_t)^2/(n_t-1) + (v_c/n_c)^2/(n_c-1))``
  and Student-t quantiles. Relative effects use the same df (computed from
  the absolute per-unit variances). ``"proportion"`` uses the unpooled Wald
  z-test (normal quantiles, ``df=None``).
* Ratio metrics (numerator per unit / denominator per unit, e.g. GMV per
  viewer with sessions as units) estimate ``R = sum / denominator_sum`` with
  per-unit delta-method variance
  ``(s_Y^2 - 2 R s_YD + R^2 s_D^2) / D_bar^2``; ``se^2 = that / n``.
* CUPED (mean/proportion metrics): ``theta = Sxy / Sxx`` from both arms
  pooled into one sample (``Sxy = sum(xy) - sum(x) sum(y) / N``), the
  adjusted arm value is ``Y_bar - theta (X_bar - X_bar_pooled)``, the per-unit
  variance ``s_Y^2 + theta^2 s_X^2 - 2 theta s_XY`` (theta treated as known),
  and the relative effect is divided by the *unadjusted* control mean.
* Relative delta-method variance (covers CUPED; ``theta = 0`` without it)::

      r   = (t_adj - c_adj) / |c_bar|,   k = 1 + r * sign(c_bar)
      se2 = v_t_adj / (n_t c_bar^2)
          + (k^2 s_Yc^2 - 2 k theta s_XYc + theta^2 s_Xc^2) / (n_c c_bar^2)

  Without CUPED this is ``v_t/(n_t c^2) + t^2 v_c/(n_c c^4)``.
* Sequential tests are asymptotic confidence sequences (Waudby-Smith et al.
  2023) with gbstats' parametrisation: ``N = n_c + n_t``,
  ``s2 = se^2 N``, ``rho = sqrt((-2 ln a + ln(1 - 2 ln a)) / N*)`` with
  ``a = alpha`` (two-sided) or ``2 alpha`` (one-sided) and
  ``N* = sequential_tuning``; half-width
  ``sqrt(s2) sqrt(2 (N rho^2 + 1) / (N^2 rho^2) ln(sqrt(N rho^2 + 1) / alpha))``
  (one-sided: ``ln(1 + sqrt(N rho^2 + 1) / (2 alpha))``). The p-value is the
  smallest alpha at which the sequence (rho held fixed) excludes 0, in closed
  form (two-sided: ``min(1, sqrt(N rho^2 + 1) exp(-L))`` with
  ``L = rho^2 N effect^2 / (2 se^2 (N rho^2 + 1))``).
* :func:`chance_to_win` puts a normal posterior on the effect (flat prior by
  default, optional normal prior) -- see its docstring.
"""
from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass
from typing import Literal, Optional, Sequence

import numpy as np
from scipy import stats as _st

from liveops_nb.errors import LiveOpsError

Metric = Literal["mean", "proportion", "ratio"]
Alternative = Literal["two-sided", "greater", "less"]
AdjustMethod = Literal["holm", "bh"]

_METRICS = ("mean", "proportion", "ratio")
_ALTERNATIVES = ("two-sided", "greater", "less")


class StatsError(LiveOpsError, ValueError):
    """Invalid input to the statistics engine (a ``ValueError``)."""


class InsufficientDataError(StatsError):
    """Too few units, or zero variance, to estimate an effect."""


class ZeroBaselineError(StatsError):
    """A relative effect was requested but the control value is zero."""


def _finite(name: str, value: float) -> float:
    v = float(value)
    if not math.isfinite(v):
        raise StatsError(f"{name} must be a finite number, got {value!r}")
    return v


def _cov(n: int, sum_a: float, sum_b: float, sum_ab: float) -> float:
    """Sample covariance (n - 1 divisor) from sums."""
    return (sum_ab - sum_a * sum_b / n) / (n - 1)


@dataclass(frozen=True)
class ArmStats:
    """Sufficient statistics of one arm.

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
    denominator_sum: Optional[float] = None
    denominator_sum_squares: Optional[float] = None
    main_denominator_sum_product: Optional[float] = None
    covariate_sum: Optional[float] = None
    covariate_sum_squares: Optional[float] = None
    main_covariate_sum_product: Optional[float] = None

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or int(self.n) != self.n or self.n < 0:
            raise StatsError(f"n must be a non-negative whole number of units, got {self.n!r}")
        object.__setattr__(self, "n", int(self.n))
        for name in ("sum", "sum_squares"):
            object.__setattr__(self, name, _finite(name, getattr(self, name)))
        for group in (("denominator_sum", "denominator_sum_squares", "main_denominator_sum_product"),
                      ("covariate_sum", "covariate_sum_squares", "main_covariate_sum_product")):
            given = [getattr(self, f) is not None for f in group]
            if any(given) and not all(given):
                raise StatsError(f"give all of {', '.join(group)} or none of them")
            for f in group:
                if getattr(self, f) is not None:
                    object.__setattr__(self, f, _finite(f, getattr(self, f)))
        for s, ss in (("sum", "sum_squares"), ("denominator_sum", "denominator_sum_squares"),
                      ("covariate_sum", "covariate_sum_squares")):
            s_v, ss_v = getattr(self, s), getattr(self, ss)
            if s_v is not None and self.n > 0 and ss_v < s_v**2 / self.n - 1e-9 * max(1.0, abs(ss_v)):
                raise StatsError(f"{ss}={ss_v} is smaller than {s}^2/n={s_v**2 / self.n}: "
                                 "not a sum of squares (negative variance)")

    @classmethod
    def from_values(cls, values: Sequence[float], *, denominators: Optional[Sequence[float]] = None,
                    covariates: Optional[Sequence[float]] = None) -> "ArmStats":
        """Build the sufficient statistics from unit-level arrays (one entry per unit)."""
        y = np.asarray(values, dtype=float)
        kw: dict[str, float] = {}
        for name, arr in (("denominator", denominators), ("covariate", covariates)):
            if arr is not None:
                a = np.asarray(arr, dtype=float)
                if a.shape != y.shape:
                    raise StatsError(f"{name}s must have one entry per unit like values")
                prod = "main_denominator_sum_product" if name == "denominator" else "main_covariate_sum_product"
                kw.update({f"{name}_sum": float(a.sum()), f"{name}_sum_squares": float((a * a).sum()),
                           prod: float((y * a).sum())})
        return cls(int(y.size), float(y.sum()), float((y * y).sum()), **kw)

    def _need(self, k: int, what: str) -> None:
        if self.n < k:
            raise InsufficientDataError(f"{what} needs n >= {k} units in the arm, got n={self.n}")

    @property
    def mean(self) -> float:
        """Mean of the main value per unit, ``sum / n``."""
        self._need(1, "a mean")
        return self.sum / self.n

    @property
    def variance(self) -> float:
        """Per-unit sample variance of the main value (n - 1 divisor)."""
        self._need(2, "a variance")
        return max(0.0, _cov(self.n, self.sum, self.sum, self.sum_squares))

    @property
    def has_denominator(self) -> bool:
        return self.denominator_sum is not None

    @property
    def has_covariate(self) -> bool:
        return self.covariate_sum is not None

    def _require_denominator(self) -> None:
        if not self.has_denominator:
            raise StatsError("ratio metric needs denominator_sum, denominator_sum_squares and "
                             "main_denominator_sum_product on every arm")
        if self.denominator_sum == 0:
            raise ZeroBaselineError("denominator_sum is 0: the ratio is undefined")

    @property
    def ratio_mean(self) -> float:
        """Ratio estimate ``R = sum / denominator_sum`` (= mean numerator / mean denominator)."""
        self._require_denominator()
        return self.sum / self.denominator_sum  # type: ignore[operator]

    @property
    def ratio_variance(self) -> float:
        """Per-unit delta-method variance of the ratio: ``(s_Y^2 - 2 R s_YD + R^2 s_D^2) / D_bar^2``.

        The squared standard error of :attr:`ratio_mean` is ``ratio_variance / n``.
        """
        self._require_denominator()
        self._need(2, "a ratio variance")
        d_bar = self.denominator_sum / self.n  # type: ignore[operator]
        r = self.ratio_mean
        s_d = _cov(self.n, self.denominator_sum, self.denominator_sum, self.denominator_sum_squares)  # type: ignore[arg-type]
        s_yd = _cov(self.n, self.sum, self.denominator_sum, self.main_denominator_sum_product)  # type: ignore[arg-type]
        return max(0.0, (self.variance - 2 * r * s_yd + r * r * s_d) / d_bar**2)


@dataclass(frozen=True)
class TestResult:
    """Result of :func:`compare` (all effect quantities on the effect's scale).

    Attributes
    ----------
    effect, se : float
        Point estimate (absolute or relative) and its standard error.
    ci_low, ci_high : float
        Confidence interval at level ``1 - alpha`` (``-inf``/``inf`` on the open
        side of a one-sided test); a confidence sequence if ``sequential``.
    p_value, statistic : float
        p-value for ``alternative`` and ``effect / se``.
    control_value, treatment_value : float
        Arm estimates (CUPED-adjusted when ``theta`` is not None).
    control_value_unadjusted : float
        Control estimate without CUPED (the relative-effect denominator).
    df : float or None
        Welch-Satterthwaite df; ``None`` for normal-based tests.
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
    df: Optional[float]
    method: str
    alpha: float
    alternative: Alternative
    metric: Metric
    n_control: int
    n_treatment: int
    sequential: bool
    theta: Optional[float]

    @property
    def significant(self) -> bool:
        """``p_value < alpha``."""
        return self.p_value < self.alpha


@dataclass(frozen=True)
class BayesResult:
    """Result of :func:`chance_to_win`: normal posterior of the effect.

    ``effect``/``sd`` are the posterior mean/sd, ``ci_low``/``ci_high`` the
    equal-tailed ``1 - alpha`` credible interval, ``chance_to_win`` is
    ``P(effect > 0)``, ``expected_loss`` is ``E[max(0, -effect)]`` (cost of
    shipping treatment) and ``expected_loss_control`` is ``E[max(0, effect)]``.
    """

    effect: float
    sd: float
    ci_low: float
    ci_high: float
    chance_to_win: float
    expected_loss: float
    expected_loss_control: float
    control_value: float
    treatment_value: float
    relative: bool
    alpha: float
    metric: Metric
    prior_mean: float
    prior_sd: Optional[float]


@dataclass(frozen=True)
class _Moments:
    effect: float
    se: float
    df: float  # Welch df (always computed; the caller decides whether to use it)
    control: float
    treatment: float
    control_unadjusted: float
    theta: Optional[float]


def _arm_value_var(arm: ArmStats, metric: Metric) -> tuple[float, float]:
    if metric == "ratio":
        return arm.ratio_mean, arm.ratio_variance
    if metric == "proportion":
        if not 0 <= arm.sum <= arm.n:
            raise StatsError(f"proportion needs 0 <= sum (successes) <= n, got sum={arm.sum}, n={arm.n}")
        if abs(arm.sum_squares - arm.sum) > 1e-9 * max(1.0, arm.sum):
            raise StatsError("proportion arms must have sum_squares == sum (0/1 outcomes)")
        p = arm.mean
        return p, p * (1 - p)
    return arm.mean, arm.variance


def _check_options(metric: str, alpha: float, alternative: str = "two-sided") -> None:
    if metric not in _METRICS:
        raise StatsError(f"unknown metric {metric!r}; use one of {', '.join(_METRICS)}")
    if alternative not in _ALTERNATIVES:
        raise StatsError(f"unknown alternative {alternative!r}; use one of {', '.join(_ALTERNATIVES)}")
    if not 0 < alpha < 1:
        raise StatsError(f"alpha must be in (0, 1), got {alpha}")


def _moments(control: ArmStats, treatment: ArmStats, metric: Metric, relative: bool, cuped: bool) -> _Moments:
    for label, arm in (("control", control), ("treatment", treatment)):
        if arm.n < 2:
            raise InsufficientDataError(f"{label} arm has n={arm.n} units; need n >= 2 to estimate a variance")
    (c, vc), (t, vt) = _arm_value_var(control, metric), _arm_value_var(treatment, metric)
    c_unadj, theta = c, None
    cov_c = var_xc = 0.0
    th = 0.0
    if cuped:
        if metric == "ratio":
            raise StatsError("CUPED is implemented for mean and proportion metrics, not ratio")
        if not (control.has_covariate and treatment.has_covariate):
            raise StatsError("cuped=True needs covariate_sum, covariate_sum_squares and "
                             "main_covariate_sum_product on both arms")
        n = control.n + treatment.n
        sx = control.covariate_sum + treatment.covariate_sum  # type: ignore[operator]
        sy = control.sum + treatment.sum
        sxx = control.covariate_sum_squares + treatment.covariate_sum_squares  # type: ignore[operator]
        sxy = control.main_covariate_sum_product + treatment.main_covariate_sum_product  # type: ignore[operator]
        cxx = sxx - sx * sx / n
        th = (sxy - sx * sy / n) / cxx if cxx > 1e-12 * max(1.0, abs(sxx)) else 0.0
        x_pool = sx / n
        adj = []
        for arm, value, var in ((control, c, vc), (treatment, t, vt)):
            cov = _cov(arm.n, arm.sum, arm.covariate_sum, arm.main_covariate_sum_product)  # type: ignore[arg-type]
            var_x = _cov(arm.n, arm.covariate_sum, arm.covariate_sum, arm.covariate_sum_squares)  # type: ignore[arg-type]
            adj.append((value - th * (arm.covariate_sum / arm.n - x_pool),  # type: ignore[operator]
                        max(0.0, var + th * th * var_x - 2 * th * cov), cov, var_x))
        (c, vc_adj, cov_c, var_xc), (t, vt, _, _) = adj
        theta = th
    else:
        vc_adj = vc
    a_c, a_t = vc_adj / control.n, vt / treatment.n
    if a_c + a_t <= 0:
        raise InsufficientDataError("both arms have zero variance; the standard error is 0")
    df = (a_c + a_t) ** 2 / (a_c**2 / (control.n - 1) + a_t**2 / (treatment.n - 1))
    if not relative:
        return _Moments(t - c, math.sqrt(a_c + a_t), df, c, t, c_unadj, theta)
    if c_unadj == 0:
        raise ZeroBaselineError("control value is 0, so the relative effect (t - c)/|c| is undefined; "
                                "use relative=False")
    r = (t - c) / abs(c_unadj)
    k = 1 + r * math.copysign(1.0, c_unadj)
    var_c_term = (k * k * vc - 2 * k * th * cov_c + th * th * var_xc) / (control.n * c_unadj**2)
    se2 = vt / (treatment.n * c_unadj**2) + max(0.0, var_c_term)
    return _Moments(r, math.sqrt(se2), df, c, t, c_unadj, theta)


def _seq_rho(alpha: float, tuning: float, two_sided: bool) -> float:
    la = math.log(alpha if two_sided else 2 * alpha)
    return math.sqrt((-2 * la + math.log(-2 * la + 1)) / tuning)


def _seq_halfwidth(se: float, n: int, alpha: float, rho: float, two_sided: bool) -> float:
    s2, u = se * se * n, n * rho * rho + 1
    log_term = math.log(math.sqrt(u) / alpha) if two_sided else math.log(1 + math.sqrt(u) / (2 * alpha))
    return math.sqrt(s2 * 2 * u / (n * rho) ** 2 * log_term)


def _seq_p_value(effect: float, se: float, n: int, rho: float, alternative: Alternative) -> float:
    u = n * rho * rho + 1
    big_l = rho * rho * n * effect * effect / (2 * se * se * u)
    if alternative == "two-sided":
        return min(1.0, math.sqrt(u) * math.exp(-big_l))
    if (effect > 0) != (alternative == "greater") or big_l == 0:
        return 1.0
    return min(1.0, math.sqrt(u) / (2 * math.expm1(big_l)))


def compare(control: ArmStats, treatment: ArmStats, *, metric: Metric, relative: bool = True,
            alpha: float = 0.05, alternative: Alternative = "two-sided", cuped: bool = False,
            sequential: bool = False, sequential_tuning: float = 5000) -> TestResult:
    """Frequentist comparison of treatment against control.

    Parameters
    ----------
    control, treatment : ArmStats
        Sufficient statistics of each arm (``n >= 2``).
    metric : {"mean", "proportion", "ratio"}
        How to read the arm statistics (see the module docstring).
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
    _check_options(metric, alpha, alternative)
    if sequential and not sequential_tuning > 0:
        raise StatsError(f"sequential_tuning must be positive, got {sequential_tuning}")
    if sequential and alternative != "two-sided" and alpha >= 0.5:
        raise StatsError("one-sided sequential tests need alpha < 0.5")
    m = _moments(control, treatment, metric, relative, cuped)
    est, se, stat = m.effect, m.se, m.effect / m.se
    scale = "relative effect (t-c)/|c|" if relative else "absolute difference t-c"
    extra = f", CUPED theta={m.theta:.4g}" if m.theta is not None else ""
    df: Optional[float] = None
    if sequential:
        n = control.n + treatment.n
        two = alternative == "two-sided"
        rho = _seq_rho(alpha, sequential_tuning, two)
        hw = _seq_halfwidth(se, n, alpha, rho, two)
        p = _seq_p_value(est, se, n, rho, alternative)
        method = (f"asymptotic confidence sequence (Waudby-Smith et al. 2023, N*={sequential_tuning:g}, "
                  f"rho={rho:.4g}), {metric} {scale}{extra}")
    else:
        if metric == "proportion":
            dist, method = _st.norm, f"Wald z-test (unpooled), proportion {scale}{extra}"
        else:
            df = m.df
            dist = _st.t(df)
            method = f"Welch t-test (df={df:.4g}), {metric} {scale}{extra}"
        hw = float(dist.ppf(1 - alpha / 2 if alternative == "two-sided" else 1 - alpha)) * se
        if alternative == "two-sided":
            p = 2 * float(dist.sf(abs(stat)))
        else:
            p = float(dist.sf(stat) if alternative == "greater" else dist.cdf(stat))
    lo = -math.inf if alternative == "less" else est - hw
    hi = math.inf if alternative == "greater" else est + hw
    return TestResult(effect=est, se=se, ci_low=lo, ci_high=hi, p_value=min(1.0, p), statistic=stat,
                      control_value=m.control, treatment_value=m.treatment,
                      control_value_unadjusted=m.control_unadjusted, relative=relative, df=df,
                      method=method, alpha=alpha, alternative=alternative, metric=metric,
                      n_control=control.n, n_treatment=treatment.n, sequential=sequential, theta=m.theta)


def chance_to_win(control: ArmStats, treatment: ArmStats, *, metric: Metric, relative: bool = True,
                  alpha: float = 0.05, cuped: bool = False, prior_mean: float = 0.0,
                  prior_sd: Optional[float] = None) -> BayesResult:
    """Bayesian summary with a normal approximation on the effect, as gbstats does.

    The likelihood of the effect is ``N(effect_hat, se^2)`` with ``effect_hat``
    and ``se`` exactly as in :func:`compare` (same scale, delta method, CUPED).
    With ``prior_sd=None`` the prior is flat, so the posterior is
    ``N(effect_hat, se^2)``; otherwise a ``N(prior_mean, prior_sd^2)`` prior on
    the effect gives posterior precision ``1/se^2 + 1/prior_sd^2`` and mean
    ``(effect_hat/se^2 + prior_mean/prior_sd^2) / precision``. With posterior
    ``N(mu, s^2)``::

        chance_to_win         = P(effect > 0) = Phi(mu / s)
        expected_loss         = E[max(0, -effect)] = s phi(mu/s) - mu Phi(-mu/s)
        expected_loss_control = E[max(0,  effect)] = s phi(mu/s) + mu Phi(mu/s)

    Higher is assumed better; for "lower is better" metrics use
    ``1 - chance_to_win`` and swap the two losses.
    """
    _check_options(metric, alpha)
    if prior_sd is not None and not prior_sd > 0:
        raise StatsError(f"prior_sd must be positive or None (flat prior), got {prior_sd}")
    m = _moments(control, treatment, metric, relative, cuped)
    mu, s = m.effect, m.se
    if prior_sd is not None:
        prec = 1 / s**2 + 1 / prior_sd**2
        mu, s = (m.effect / s**2 + prior_mean / prior_sd**2) / prec, math.sqrt(1 / prec)
    z = mu / s
    lo, hi = _st.norm.ppf([alpha / 2, 1 - alpha / 2], loc=mu, scale=s)
    return BayesResult(effect=mu, sd=s, ci_low=float(lo), ci_high=float(hi),
                       chance_to_win=float(_st.norm.cdf(z)),
                       expected_loss=float(s * _st.norm.pdf(z) - mu * _st.norm.cdf(-z)),
                       expected_loss_control=float(s * _st.norm.pdf(z) + mu * _st.norm.cdf(z)),
                       control_value=m.control, treatment_value=m.treatment, relative=relative,
                       alpha=alpha, metric=metric, prior_mean=prior_mean, prior_sd=prior_sd)


def srm_p_value(observed_counts: Sequence[float], weights: Sequence[float]) -> float:
    """Sample-ratio-mismatch p-value (chi-square goodness of fit).

    Arms with zero weight are left out entirely (their counts are not part of
    the total). The remaining weights are normalised to sum to 1, expected
    counts are ``w_i * total`` and ``chi2 = sum((o - e)^2 / e)`` on
    ``k - 1`` degrees of freedom (``k`` = arms with positive weight).
    Returns 1.0 when no units were observed.
    """
    o = np.asarray(observed_counts, dtype=float)
    w = np.asarray(weights, dtype=float)
    if o.ndim != 1 or o.shape != w.shape:
        raise StatsError(f"observed_counts and weights need the same length, got {o.shape} and {w.shape}")
    if not (np.all(np.isfinite(o)) and np.all(np.isfinite(w))) or np.any(o < 0) or np.any(w < 0):
        raise StatsError("observed_counts and weights must be finite and non-negative")
    keep = w > 0
    if keep.sum() < 2:
        raise StatsError("weights need at least two arms with positive weight")
    o, w = o[keep], w[keep] / w[keep].sum()
    total = o.sum()
    if total == 0:
        return 1.0
    e = w * total
    return float(_st.chi2.sf(float(((o - e) ** 2 / e).sum()), o.size - 1))


def adjust_p_values(p_values: Sequence[float], method: AdjustMethod) -> np.ndarray:
    """Multiple-testing adjusted p-values, in the input order.

    ``"holm"`` (family-wise error): with sorted ``p_(1) <= ... <= p_(m)``,
    ``adj_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))``.
    ``"bh"`` (Benjamini-Hochberg false discovery rate):
    ``adj_(i) = min_{j >= i} min(1, m p_(j) / j)``.
    """
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1:
        raise StatsError("p_values must be one-dimensional")
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise StatsError("p_values must all be in [0, 1] (no NaN)")
    m = p.size
    order = np.argsort(p, kind="stable")
    ps = p[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * ps)
    elif method == "bh":
        adj = np.minimum.accumulate((ps * m / np.arange(1, m + 1))[::-1])[::-1]
    else:
        raise StatsError(f"unknown method {method!r}; use 'holm' or 'bh'")
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out
