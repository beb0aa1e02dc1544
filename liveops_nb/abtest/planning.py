"""Power, minimum detectable effect and sample size for planned two-arm tests.

All three functions use the normal approximation to the test that
:func:`liveops_nb.abtest.frequentist.compare` runs (Welch statistic
``effect / se``), with the standard error *under the alternative*:

* ``metric="mean"``: common per-unit sd ``sigma`` in both arms,
  ``se = sigma sqrt(1/n_c + 1/n_t)``. For a ratio metric pass the ratio as
  ``baseline_mean`` and ``sqrt(ArmStats.ratio_variance)`` (the per-unit
  delta-method sd) as ``baseline_sd``.
* ``metric="proportion"``: ``p_c = baseline_mean``, ``p_t = p_c + delta``,
  ``se = sqrt(p_c (1-p_c)/n_c + p_t (1-p_t)/n_t)`` (unpooled, like the test).

With ``delta`` the absolute effect (``effect * |baseline_mean|`` when
``relative``) and ``z_q`` the standard normal quantile::

    two-sided: power = Phi(delta/se - z_{1-alpha/2}) + Phi(-delta/se - z_{1-alpha/2})
    greater:   power = Phi(delta/se - z_{1-alpha})
    less:      power = Phi(-delta/se - z_{1-alpha})

The minimum detectable effect and the sample size solve ``power = target``
numerically (so they include the small far-tail term of the two-sided test;
the textbook ``(z_{1-alpha/2} + z_{power}) se`` drops it).
"""
from __future__ import annotations

import math
from typing import Literal

from scipy import optimize as _opt
from scipy import stats as _st

from liveops_nb.abtest.errors import StatsError, ZeroBaselineError
from liveops_nb.abtest.moments import Alternative
from liveops_nb.abtest.statistics import finite

PlanMetric = Literal["mean", "proportion"]


def _numbers(optional: tuple[str, ...] = (), **values: object) -> None:
    """Raise :class:`StatsError` unless every given value is a finite number (``None`` allowed for ``optional``)."""
    for name, v in values.items():
        if v is not None or name not in optional:
            finite(name, v)


def _check(metric: str, alpha: float, alternative: str, baseline_mean: float,
           baseline_sd: float | None, relative: bool) -> None:
    _numbers(("baseline_sd",), alpha=alpha, baseline_mean=baseline_mean, baseline_sd=baseline_sd)
    if metric not in ("mean", "proportion"):
        raise StatsError(f"unknown metric {metric!r} for planning; use 'mean' or 'proportion' "
                         "(plan ratio metrics as 'mean' with the delta-method sd)")
    if alternative not in ("two-sided", "greater", "less"):
        raise StatsError(f"unknown alternative {alternative!r}; use 'two-sided', 'greater' or 'less'")
    if not 0 < alpha < 1:
        raise StatsError(f"alpha must be in (0, 1), got {alpha}")
    if metric == "mean":
        if baseline_sd is None or not baseline_sd > 0 or not math.isfinite(baseline_sd):
            raise StatsError("metric='mean' needs a positive baseline_sd (per-unit standard deviation)")
    else:
        if baseline_sd is not None:
            raise StatsError("metric='proportion' derives the sd from baseline_mean; leave baseline_sd=None")
        if not 0 < baseline_mean < 1:
            raise StatsError(f"a baseline proportion must be in (0, 1), got {baseline_mean}")
    if relative and baseline_mean == 0:
        raise ZeroBaselineError("baseline_mean is 0, so a relative effect is undefined; use relative=False")


def _arms(n_per_arm: float | None, n_total: float | None, split: float) -> tuple[float, float]:
    """(n_control, n_treatment) from n_per_arm, or from n_total with a treatment share ``split``."""
    _numbers(("n_per_arm", "n_total"), n_per_arm=n_per_arm, n_total=n_total, split=split)
    if (n_per_arm is None) == (n_total is None):
        raise StatsError("give exactly one of n_per_arm or n_total")
    if n_per_arm is not None:
        n_c = n_t = float(n_per_arm)
    else:
        if not 0 < split < 1:
            raise StatsError(f"split (treatment share of n_total) must be in (0, 1), got {split}")
        n_c, n_t = (1 - split) * float(n_total), split * float(n_total)  # type: ignore[arg-type]
    if not (n_c >= 2 and n_t >= 2):
        raise StatsError(f"each arm needs at least 2 units, got control={n_c:g}, treatment={n_t:g}")
    return n_c, n_t


def _power(delta: float, base: float, sd: float | None, metric: str, n_c: float, n_t: float,
           alpha: float, alternative: str) -> float:
    if metric == "proportion":
        p_t = base + delta
        if not 0 <= p_t <= 1:
            raise StatsError(f"treatment proportion {p_t:.4g} = baseline + effect is outside [0, 1]")
        se = math.sqrt(base * (1 - base) / n_c + p_t * (1 - p_t) / n_t)
    else:
        se = sd * math.sqrt(1 / n_c + 1 / n_t)  # type: ignore[operator]
    if se == 0:
        return 1.0
    d = delta / se
    if alternative == "two-sided":
        z = _st.norm.ppf(1 - alpha / 2)
        return float(_st.norm.cdf(d - z) + _st.norm.cdf(-d - z))
    z = _st.norm.ppf(1 - alpha)
    return float(_st.norm.cdf((d if alternative == "greater" else -d) - z))


def power(effect: float, *, baseline_mean: float, baseline_sd: float | None = None,
          metric: PlanMetric = "mean", n_per_arm: float | None = None, n_total: float | None = None,
          split: float = 0.5, relative: bool = True, alpha: float = 0.05,
          alternative: Alternative = "two-sided") -> float:
    """Power to detect ``effect`` (treatment - control) in a planned two-arm test.

    Parameters
    ----------
    effect : float
        True effect, relative to ``|baseline_mean|`` if ``relative`` else absolute.
    baseline_mean : float
        Control mean (or control proportion for ``metric="proportion"``).
    baseline_sd : float, optional
        Per-unit standard deviation (``metric="mean"`` only).
    metric : {"mean", "proportion"}
    n_per_arm, n_total : float
        Units per arm, or total units split with ``split`` going to treatment.
    relative, alpha, alternative
        As in :func:`~liveops_nb.abtest.frequentist.compare`.

    Returns
    -------
    float
        Probability that the test rejects (formula in the module docstring).
    """
    _numbers(effect=effect)
    _check(metric, alpha, alternative, baseline_mean, baseline_sd, relative)
    n_c, n_t = _arms(n_per_arm, n_total, split)
    delta = effect * abs(baseline_mean) if relative else effect
    return _power(delta, baseline_mean, baseline_sd, metric, n_c, n_t, alpha, alternative)


def _check_target(target: float, alpha: float, alternative: str) -> None:
    _numbers(power=target)
    if not alpha < target < 1:  # at zero effect every variant rejects with probability alpha
        raise StatsError(f"power target must be in (alpha={alpha:g}, 1), got {target}")


def minimum_detectable_effect(*, baseline_mean: float, baseline_sd: float | None = None,
                              metric: PlanMetric = "mean", n_per_arm: float | None = None,
                              n_total: float | None = None, split: float = 0.5, relative: bool = True,
                              alpha: float = 0.05, power: float = 0.8,
                              alternative: Alternative = "two-sided") -> float:
    """Smallest effect detected with probability ``power`` (same parameters as :func:`power`).

    Returns the effect on the requested scale (relative to ``|baseline_mean|``
    or absolute): positive for ``"two-sided"`` (the upward MDE; for
    proportions the downward one differs slightly) and ``"greater"``,
    negative for ``"less"``.
    """
    _check(metric, alpha, alternative, baseline_mean, baseline_sd, relative)
    _check_target(power, alpha, alternative)
    n_c, n_t = _arms(n_per_arm, n_total, split)
    sign = -1.0 if alternative == "less" else 1.0

    def gap(mag: float) -> float:
        return _power(sign * mag, baseline_mean, baseline_sd, metric, n_c, n_t, alpha, alternative) - power

    if metric == "proportion":
        hi = (baseline_mean if sign < 0 else 1 - baseline_mean)
        if gap(hi) < 0:
            raise StatsError("no effect within the proportion range [0, 1] reaches the power target; "
                             "increase the sample size")
    else:
        hi = 10 * baseline_sd * math.sqrt(1 / n_c + 1 / n_t)  # type: ignore[operator]
        while gap(hi) < 0:
            hi *= 2
    mag = _opt.brentq(gap, 0.0, hi, xtol=1e-14, rtol=1e-12)
    return sign * mag / abs(baseline_mean) if relative else sign * mag


def sample_size_for_effect(effect: float, *, baseline_mean: float, baseline_sd: float | None = None,
                           metric: PlanMetric = "mean", relative: bool = True, alpha: float = 0.05,
                           power: float = 0.8, alternative: Alternative = "two-sided") -> int:
    """Units per arm (equal allocation) needed to detect ``effect`` with probability ``power``.

    Example: sessions per arm to detect +10 % GMV per viewer with 80 % power,
    ``sample_size_for_effect(0.10, baseline_mean=gpv, baseline_sd=sd_gpv)``.
    Returns the smallest whole ``n`` with ``power(n) >= power``.
    """
    _numbers(effect=effect)
    _check(metric, alpha, alternative, baseline_mean, baseline_sd, relative)
    _check_target(power, alpha, alternative)
    delta = effect * abs(baseline_mean) if relative else effect
    if delta == 0 or (alternative == "greater" and delta < 0) or (alternative == "less" and delta > 0):
        raise StatsError(f"effect {effect} cannot be detected by a '{alternative}' test "
                         "(zero, or in the opposite direction)")

    def pw(n: float) -> float:
        return _power(delta, baseline_mean, baseline_sd, metric, n, n, alpha, alternative)

    hi = 4.0
    while pw(hi) < power:
        hi *= 2
        if hi > 1e15:
            raise StatsError("required sample size exceeds 1e15 units per arm")
    n = math.ceil(_opt.brentq(lambda x: pw(x) - power, 2.0, hi, xtol=1e-9) - 1e-9) if pw(2.0) < power else 2
    while pw(n) < power:  # guard against root-finder tolerance
        n += 1
    while n > 2 and pw(n - 1) >= power:
        n -= 1
    return int(n)
