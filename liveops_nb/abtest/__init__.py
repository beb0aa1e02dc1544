"""A/B tests of live-commerce experiments: data in, language-neutral results out.

Layout (docs/abtest.md, docs/abtest-statistics.md):

* statistics -- ``statistics`` (sufficient statistics per arm, one typed statistic per metric
  kind), ``moments`` (effect and standard error), ``frequentist`` (fixed-horizon tests,
  :func:`compare`), ``sequential`` (confidence sequences), ``bayesian`` (:func:`chance_to_win`),
  ``multiple`` (Holm, BH), ``srm`` (sample-ratio mismatch), ``planning`` (power, MDE, sample size);
* experiments and units -- ``experiments`` (definitions, assignments, exposure, segments),
  ``bases`` (the registry's base quantities per unit), ``units`` (per-unit values), ``sums``
  (per-arm sums, :func:`sufficient_stats`);
* analyses -- ``analysis`` (:func:`analyze`), ``adjustment`` (room × slot regression),
  ``breakdowns`` (over time, per room / segment), ``planner`` (baseline from history),
  ``verdict`` (findings), ``archive`` (the knowledge base);
* ``errors`` -- the A/B branch of the package's exception tree.

Words, HTML and charts are in :mod:`liveops_nb.render.abtest` and :mod:`liveops_nb.charts.abtest`.
"""
from liveops_nb.abtest.analysis import Analysis, Comparison, Options, analyze
from liveops_nb.abtest.archive import archive_verdict, build_record, filter_archive, load_archive, save_record
from liveops_nb.abtest.bayesian import BayesResult, chance_to_win
from liveops_nb.abtest.breakdowns import breakdown, over_time
from liveops_nb.abtest.errors import (
    AbTestError,
    ArchiveError,
    ExperimentError,
    InsufficientDataError,
    MetricNotAvailableError,
    StatsError,
    UnknownExperimentError,
    ZeroBaselineError,
)
from liveops_nb.abtest.experiments import Experiment, load_experiment
from liveops_nb.abtest.frequentist import TestResult, compare
from liveops_nb.abtest.multiple import adjust_p_values
from liveops_nb.abtest.planner import Plan, plan
from liveops_nb.abtest.planning import minimum_detectable_effect, power, sample_size_for_effect
from liveops_nb.abtest.srm import SrmCheck, check_srm, srm_p_value
from liveops_nb.abtest.statistics import (
    ArmStats,
    ProportionStatistic,
    RatioStatistic,
    RegressionAdjustedStatistic,
    SampleMeanStatistic,
)
from liveops_nb.abtest.sums import sufficient_stats
from liveops_nb.abtest.units import unit_values
from liveops_nb.abtest.verdict import Finding, findings

__all__ = [
    "AbTestError", "Analysis", "ArchiveError", "ArmStats", "BayesResult", "Comparison", "Experiment",
    "ExperimentError", "Finding", "InsufficientDataError", "MetricNotAvailableError", "Options", "Plan",
    "ProportionStatistic", "RatioStatistic", "RegressionAdjustedStatistic", "SampleMeanStatistic", "SrmCheck",
    "StatsError", "TestResult", "UnknownExperimentError", "ZeroBaselineError", "adjust_p_values", "analyze",
    "archive_verdict", "breakdown", "build_record", "chance_to_win", "check_srm", "compare", "filter_archive",
    "findings", "load_archive", "load_experiment", "minimum_detectable_effect", "over_time", "plan", "power",
    "sample_size_for_effect", "save_record", "srm_p_value", "sufficient_stats", "unit_values",
]
