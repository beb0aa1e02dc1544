"""Bayesian summary of an effect: a normal posterior, chance to win and expected loss (as gbstats does)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as _st

from liveops_nb.abtest.errors import StatsError
from liveops_nb.abtest.moments import arm_statistics, check_options, effect_moments
from liveops_nb.abtest.statistics import ArmStats, Metric, finite


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
    prior_sd: float | None


def chance_to_win(control: ArmStats, treatment: ArmStats, *, metric: Metric, relative: bool = True,
                  alpha: float = 0.05, cuped: bool = False, prior_mean: float = 0.0,
                  prior_sd: float | None = None) -> BayesResult:
    """Bayesian summary with a normal approximation on the effect.

    The likelihood of the effect is ``N(effect_hat, se^2)`` with ``effect_hat``
    and ``se`` exactly as in :func:`~liveops_nb.abtest.frequentist.compare` (same scale,
    delta method, CUPED). With ``prior_sd=None`` the prior is flat, so the posterior is
    ``N(effect_hat, se^2)``; otherwise a ``N(prior_mean, prior_sd^2)`` prior on
    the effect gives posterior precision ``1/se^2 + 1/prior_sd^2`` and mean
    ``(effect_hat/se^2 + prior_mean/prior_sd^2) / precision``. With posterior
    ``N(mu, s^2)``::

        chance_to_win         = P(effect > 0) = Phi(mu / s)
        expected_loss         = E[max(0, -effect)] = s phi(mu/s) - mu Phi(-mu/s)
        expected_loss_control = E[max(0,  effect)] = s phi(mu/s) + mu Phi(mu/s)

    Higher is assumed better; for "lower is better" metrics use
    ``1 - chance_to_win`` and swap the two losses.

    Raises
    ------
    StatsError
        As :func:`~liveops_nb.abtest.frequentist.compare`; a non-positive ``prior_sd``.
    """
    alpha = check_options(metric, alpha)
    prior_mean = finite("prior_mean", prior_mean)
    if prior_sd is not None:
        prior_sd = finite("prior_sd", prior_sd)
        if not prior_sd > 0:
            raise StatsError(f"prior_sd must be positive or None (flat prior), got {prior_sd}")
    m = effect_moments(*arm_statistics(control, treatment, metric, cuped), relative=relative)
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
