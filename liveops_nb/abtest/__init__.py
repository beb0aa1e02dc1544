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
from liveops_nb.abtest.analysis import Analysis, Comparison, Options, analyze, breakdown, over_time, plan  # noqa: E402
from liveops_nb.abtest.archive import archive_verdict, export_csv, filter_archive, load_archive  # noqa: E402
from liveops_nb.abtest.data import Experiment, load_experiment, sufficient_stats  # noqa: E402
from liveops_nb.abtest.verdict import verdicts  # noqa: E402

__all__ += ["Analysis", "Comparison", "Experiment", "Options", "analyze", "archive_verdict", "breakdown",
            "export_csv", "filter_archive", "load_archive", "load_experiment", "over_time", "plan",
            "sufficient_stats", "verdicts"]
