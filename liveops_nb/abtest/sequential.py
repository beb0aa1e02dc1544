"""Sequential tests: asymptotic confidence sequences (Waudby-Smith et al. 2023), safe to peek at.

gbstats' parametrisation: ``N = n_c + n_t``, ``s2 = se^2 N``,
``rho = sqrt((-2 ln a + ln(1 - 2 ln a)) / N*)`` with ``a = alpha`` (two-sided) or ``2 alpha``
(one-sided) and ``N* = sequential_tuning``, the total size where the sequence is tightest.
Half-width ``sqrt(s2) sqrt(2 (N rho^2 + 1) / (N^2 rho^2) ln(sqrt(N rho^2 + 1) / alpha))``
(one-sided: ``ln(1 + sqrt(N rho^2 + 1) / (2 alpha))``). The p-value is the smallest alpha at
which the sequence (rho held fixed) excludes 0, in closed form: two-sided
``min(1, sqrt(N rho^2 + 1) exp(-L))`` with ``L = rho^2 N effect^2 / (2 se^2 (N rho^2 + 1))``;
one-sided ``sqrt(N rho^2 + 1) / (2 (e^L - 1))`` in the tested direction, 1 in the other.
"""
from __future__ import annotations

import math

from liveops_nb.abtest.moments import Alternative, EffectMoments, EffectTest


def sequential_rho(alpha: float, tuning: float, two_sided: bool) -> float:
    """``rho`` of the confidence sequence tuned to be tightest at total size ``tuning``."""
    la = math.log(alpha if two_sided else 2 * alpha)
    return math.sqrt((-2 * la + math.log(-2 * la + 1)) / tuning)


def sequential_halfwidth(se: float, n: int, alpha: float, rho: float, two_sided: bool) -> float:
    """Half-width of the confidence sequence at total size ``n`` (module docstring)."""
    s2, u = se * se * n, n * rho * rho + 1
    log_term = math.log(math.sqrt(u) / alpha) if two_sided else math.log(1 + math.sqrt(u) / (2 * alpha))
    return math.sqrt(s2 * 2 * u / (n * rho) ** 2 * log_term)


class SequentialTest(EffectTest):
    """Base of the sequential tests: ``rho`` and the half-width at ``N = n_c + n_t``."""

    two_sided = True

    def __init__(self, moments: EffectMoments, alpha: float, tuning: float) -> None:
        super().__init__(moments, alpha)
        self.tuning = tuning
        self.n = moments.n_control + moments.n_treatment
        self.rho = sequential_rho(alpha, tuning, self.two_sided)
        self.halfwidth = sequential_halfwidth(moments.se, self.n, alpha, self.rho, self.two_sided)

    def _big_l(self) -> tuple[float, float]:
        m, rho, n = self.moments, self.rho, self.n
        u = n * rho * rho + 1
        return u, rho * rho * n * m.effect * m.effect / (2 * m.se * m.se * u)

    def _one_sided_p(self, greater: bool) -> float:
        u, big_l = self._big_l()
        if (self.moments.effect > 0) != greater or big_l == 0:
            return 1.0
        return min(1.0, math.sqrt(u) / (2 * math.expm1(big_l)))

    def describe(self) -> str:
        return f"asymptotic confidence sequence (Waudby-Smith et al. 2023, N*={self.tuning:g}, rho={self.rho:.4g})"


class SequentialTwoSidedTest(SequentialTest):
    alternative: Alternative = "two-sided"

    def p_value(self) -> float:
        u, big_l = self._big_l()
        return min(1.0, math.sqrt(u) * math.exp(-big_l))

    def interval(self) -> tuple[float, float]:
        est = self.moments.effect
        return est - self.halfwidth, est + self.halfwidth


class SequentialGreaterTest(SequentialTest):
    alternative: Alternative = "greater"
    two_sided = False

    def p_value(self) -> float:
        return self._one_sided_p(greater=True)

    def interval(self) -> tuple[float, float]:
        return self.moments.effect - self.halfwidth, math.inf


class SequentialLessTest(SequentialTest):
    alternative: Alternative = "less"
    two_sided = False

    def p_value(self) -> float:
        return self._one_sided_p(greater=False)

    def interval(self) -> tuple[float, float]:
        return -math.inf, self.moments.effect + self.halfwidth


SEQUENTIAL_TESTS: dict[Alternative, type[SequentialTest]] = {
    "two-sided": SequentialTwoSidedTest, "greater": SequentialGreaterTest, "less": SequentialLessTest}
