"""Change points and the robust baseline on crafted series with known answers."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from liveops_nb.alerts import DetectionInputError, change_points, robust_z
from liveops_nb.errors import LiveOpsError


def _steps(levels: list[tuple[int, float]], sd: float = 0.0, seed: int = 0) -> np.ndarray:
    x = np.concatenate([np.full(n, v) for n, v in levels])
    return x + np.random.default_rng(seed).normal(0.0, sd, len(x)) if sd else x


def _brute_force_split(x: np.ndarray, min_size: int = 2) -> int:
    """The single split with the least sum of squared deviations, by trying every position."""
    best, where = np.inf, -1
    for k in range(min_size, len(x) - min_size + 1):
        sse = ((x[:k] - x[:k].mean()) ** 2).sum() + ((x[k:] - x[k:].mean()) ** 2).sum()
        if sse < best:
            best, where = sse, k
    return where


def test_one_break_is_found_where_the_new_level_starts() -> None:
    x = _steps([(50, 0.0), (50, 5.0)], sd=1.0, seed=1)
    assert change_points(x) == [50]
    assert change_points(pd.Series(x, index=range(100, 200))) == [50]  # positions, not index labels


def test_a_noiseless_step() -> None:
    assert change_points([5, 5, 5, 5, 5, 9, 9, 9, 9, 9]) == [5]


@pytest.mark.parametrize("seed", range(20))
def test_no_break_in_pure_noise(seed: int) -> None:
    assert change_points(np.random.default_rng(seed).normal(10.0, 2.0, 200), max_breaks=None) == []


def test_constant_and_too_short_series_have_no_break() -> None:
    assert change_points(np.full(30, 7.0)) == []
    assert change_points([1.0, 5.0, 9.0]) == []  # fewer than 2 × min_size observations
    assert change_points([1.0, 2.0, 9.0, 9.0], max_breaks=0) == []


@pytest.mark.parametrize("at", [2, 3, 57, 58])
def test_a_break_near_either_end(at: int) -> None:
    x = _steps([(at, 0.0), (60 - at, 10.0)], sd=1.0, seed=at)
    assert change_points(x) == [at]


def test_a_noisy_break_lands_close() -> None:
    x = _steps([(100, 0.0), (100, 2.0)], sd=1.0, seed=3)
    (b,) = change_points(x)
    assert abs(b - 100) <= 5


def test_one_break_is_the_least_squares_split() -> None:
    for seed in range(5):
        x = _steps([(37, 3.0), (41, 6.0)], sd=1.5, seed=seed)
        assert change_points(x, max_breaks=1) == [_brute_force_split(x)]


def test_two_breaks_and_the_limit() -> None:
    x = _steps([(40, 0.0), (40, 10.0), (40, 4.0)], sd=1.0, seed=4)
    assert change_points(x, max_breaks=2) == [40, 80]
    assert change_points(x, max_breaks=None) == [40, 80]
    assert change_points(x, max_breaks=1) == [40]  # the larger change (0 → 10 splits off best) comes first


def test_missing_values_are_carried_forward() -> None:
    x = _steps([(20, 1.0), (20, 8.0)])
    x[[5, 25]] = np.nan
    assert change_points(x) == [20]


def test_bad_input_is_a_package_error() -> None:
    with pytest.raises(DetectionInputError):
        change_points(np.zeros((3, 3)))
    with pytest.raises(LiveOpsError):
        change_points([1.0, 2.0], max_breaks=-1)
    with pytest.raises(ValueError):
        change_points(["a", "b"])


def test_robust_z_against_the_previous_minutes() -> None:
    # history [10, 11, 12] × 5: median 11, MAD 1 → scale 1.4826 (above the 10 % floor of 1.1)
    x = np.array([10.0, 11.0, 12.0] * 6 + [2.0])
    z = robust_z(x, history=15)
    assert np.isnan(z[:5]).all()  # fewer than 5 previous minutes
    assert z[-1] == pytest.approx((2.0 - 11.0) / 1.4826, rel=1e-4)


def test_robust_z_floor_on_a_flat_stretch() -> None:
    # flat 20 → MAD 0, scale = 10 % of 20 = 2: a value of 17 is 1.5 scales below
    z = robust_z(np.array([20.0] * 10 + [17.0]), history=10)
    assert z[-1] == pytest.approx(-1.5)
    assert robust_z(np.array([0.0] * 10 + [0.0]))[-1] == 0.0
    assert np.isnan(robust_z(np.array([3.0] * 10 + [0.0]), min_level=5)[-1])  # too little to judge


def test_robust_z_matches_scipy_mad() -> None:
    """The scale is scipy's normal-consistent MAD of the previous values (the reference implementation)."""
    from scipy.stats import median_abs_deviation

    x = np.random.default_rng(5).poisson(30, 80).astype(float)
    z = robust_z(x, history=15, rel_floor=0.0)
    for t in (20, 47, 79):
        hist = x[t - 15:t]
        assert z[t] == pytest.approx((x[t] - np.median(hist)) / median_abs_deviation(hist, scale="normal"))
