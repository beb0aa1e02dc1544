"""A/B-test statistics for live-commerce experiments (see docs/abtest-statistics.md)."""
from liveops_nb.abtest.planning import minimum_detectable_effect, power, sample_size_for_effect
from liveops_nb.abtest.stats import (
    ArmStats,
    BayesResult,
    InsufficientDataError,
    StatsError,
    TestResult,
    ZeroBaselineError,
    adjust_p_values,
    chance_to_win,
    compare,
    srm_p_value,
)

__all__ = [
    "ArmStats",
    "BayesResult",
    "InsufficientDataError",
    "StatsError",
    "TestResult",
    "ZeroBaselineError",
    "adjust_p_values",
    "chance_to_win",
    "compare",
    "minimum_detectable_effect",
    "power",
    "sample_size_for_effect",
    "srm_p_value",
]
