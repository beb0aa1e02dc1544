"""Analysis of a live-commerce experiment: SRM, treatment-vs-control tests, MDE, multiple-testing correction.

Every number comes from :func:`liveops_nb.abtest.sums.sufficient_stats` (per-arm sums computed
by Ibis) and the statistics engine; session-level fixed-horizon tests are decided on the room ×
time-slot adjusted regression (:mod:`liveops_nb.abtest.adjustment`). Results are language-neutral
values; :mod:`liveops_nb.abtest.verdict` turns them into findings and
:mod:`liveops_nb.render.abtest` into words.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from liveops_nb.abtest.adjustment import Adjusted, adjusted_effect
from liveops_nb.abtest.bayesian import BayesResult, chance_to_win
from liveops_nb.abtest.errors import ExperimentError, StatsError
from liveops_nb.abtest.experiments import Experiment, assignment_counts, load_experiment
from liveops_nb.abtest.frequentist import TestResult, compare
from liveops_nb.abtest.moments import ALTERNATIVES, Alternative
from liveops_nb.abtest.multiple import METHODS, AdjustMethod, adjust_p_values
from liveops_nb.abtest.planning import minimum_detectable_effect
from liveops_nb.abtest.srm import SrmCheck, check_srm
from liveops_nb.abtest.statistics import ArmStats, Metric, finite
from liveops_nb.abtest.sums import arm_sums, sufficient_stats, to_arm_stats
from liveops_nb.abtest.units import metric_type, session_values
from liveops_nb.errors import LiveOpsError, MissingTableError
from liveops_nb.metrics import get as get_metric

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset


@dataclass(frozen=True)
class Options:
    """How to test: level ``1 - alpha``; ``alternative`` "two-sided" or "greater"/"less" (one-sided);
    always-valid ``sequential`` intervals; ``cuped`` with ``pre_days`` of history; Holm/BH ``correction``
    across the treatments; ``power`` for the minimum detectable effect."""

    alpha: float = 0.05
    alternative: Alternative = "two-sided"
    sequential: bool = False
    cuped: bool = False
    correction: AdjustMethod = "holm"
    pre_days: int = 28
    power: float = 0.8

    def __post_init__(self) -> None:
        if not 0 < finite("alpha", self.alpha) < 1:
            raise StatsError(f"alpha must be in (0, 1), got {self.alpha}")
        if self.alternative not in ALTERNATIVES:
            raise StatsError(f"unknown alternative {self.alternative!r}; use one of {', '.join(ALTERNATIVES)}")
        if self.correction not in METHODS:
            raise StatsError(f"unknown correction {self.correction!r}; use 'holm' or 'bh'")
        if isinstance(self.pre_days, bool) or not isinstance(self.pre_days, int) or self.pre_days < 1:
            raise StatsError(f"pre_days must be a positive whole number of days, got {self.pre_days!r}")
        if not 0 < finite("power", self.power) < 1:
            raise StatsError(f"power must be in (0, 1), got {self.power}")


@dataclass(frozen=True)
class Comparison:
    """One treatment against control on one metric.

    ``rel``/``abs`` are the relative and absolute tests, ``bayes`` the chance to win (for the
    metric's better direction), ``p_adjusted`` the corrected p of the decision test (the session
    regression's relative test when ``adjusted``: the same fit gives :attr:`decision`'s interval),
    ``p_unadjusted_corrected`` the corrected p of ``rel``, ``mde`` the relative change detectable
    at the achieved sample size, ``error`` why it could not be tested.
    """

    metric: str
    kind: str
    control: str
    treatment: str
    rel: TestResult | None = None
    abs: TestResult | None = None
    bayes: BayesResult | None = None
    p_adjusted: float = math.nan
    p_unadjusted_corrected: float = math.nan
    mde: float | None = None
    adjusted: Adjusted | None = None
    error: StatsError | None = None

    @property
    def significant(self) -> bool:
        """Corrected p (of the decision test) below alpha."""
        return self.rel is not None and self.p_adjusted < self.rel.alpha

    @property
    def decision(self) -> tuple[float, float, float]:
        """(relative effect, low, high) the verdict uses: room × slot adjusted when that decided."""
        if self.adjusted is not None:
            return self.adjusted.rel, self.adjusted.rel_low, self.adjusted.rel_high
        return (self.rel.effect, self.rel.ci_low, self.rel.ci_high) if self.rel else (math.nan,) * 3


Status = Literal["ok", "no_units"]
"""What an :class:`Analysis` could do: ``ok`` (units were assigned: tests ran) or ``no_units``
(nothing assigned yet — a planned experiment, or a dataset without an assignments table: no test,
no split check, no verdict; the page says "no data yet")."""


@dataclass(frozen=True)
class Analysis:
    """Everything :func:`analyze` found: the SRM check, one :class:`Comparison` per metric and
    treatment, the arms' sums per metric, and per metric that cannot be tested the error saying why.

    ``status`` is ``"no_units"`` when no unit is assigned yet: then ``comparisons`` and ``arms`` are
    empty and the SRM check's counts are all 0 (its p-value means nothing; :attr:`has_units` is False).
    """

    experiment: Experiment
    control: str
    treatments: tuple[str, ...]
    metrics: tuple[str, ...]
    options: Options
    srm: SrmCheck
    comparisons: tuple[Comparison, ...]
    arms: dict[str, dict[str, ArmStats]] = field(default_factory=dict)
    errors: dict[str, LiveOpsError] = field(default_factory=dict)  # metric -> why it cannot be tested
    status: Status = "ok"

    @property
    def has_units(self) -> bool:
        """Whether any unit is assigned (False: nothing to test yet)."""
        return self.status != "no_units"

    def to_frame(self) -> pd.DataFrame:
        """The per-arm table of the A/B page as a DataFrame: one row per metric and arm.

        Columns and the three kinds of "adjusted" are described in :mod:`liveops_nb.abtest.frames`.

        >>> a = analyze(ds, "EXP-T", metrics=["gmv"])      # GMV per assigned viewer, A vs B
        >>> a.to_frame()[["variant", "role", "n", "value", "abs_effect", "rel_effect"]]
          variant       role  n       value  abs_effect  rel_effect
        0       A    control  3   66.666667         NaN         NaN
        1       B  treatment  3  133.333333   66.666667         1.0
        """
        from liveops_nb.abtest.frames import analysis_frame

        return analysis_frame(self)


DEFAULT_OPTIONS = Options()
"""Two-sided fixed-horizon tests at α = 0.05, Holm across treatments, 80 % power for the MDE."""


def mde_at(c: ArmStats, t: ArmStats, kind: str, res_abs: TestResult, opts: Options) -> float | None:
    """Relative effect this test could detect with ``opts.power`` at its achieved sample size."""
    n_c, n_t = c.n, t.n
    base = res_abs.control_value_unadjusted
    alt = opts.alternative
    try:
        if kind == "proportion" and 0 < base < 1:
            m = minimum_detectable_effect(baseline_mean=base, metric="proportion", n_total=n_c + n_t,
                                          split=n_t / (n_c + n_t), alpha=opts.alpha, power=opts.power, alternative=alt)
        else:  # the per-unit sd implied by the achieved standard error (covers ratios and CUPED)
            sd = res_abs.se / math.sqrt(1 / n_c + 1 / n_t)
            m = minimum_detectable_effect(baseline_mean=base, baseline_sd=sd, n_total=n_c + n_t,
                                          split=n_t / (n_c + n_t), alpha=opts.alpha, power=opts.power, alternative=alt)
    except StatsError:
        return None
    return abs(m)


def compare_arms(metric: str, kind: Metric, control: str, treatment: str, arms: dict[str, ArmStats],
                 opts: Options) -> Comparison:
    """Relative and absolute tests, chance to win and MDE of ``treatment`` vs ``control``.

    A comparison that cannot be computed (too few units, zero control, ...) carries the
    :class:`StatsError` in ``error``.
    """
    direction = get_metric(metric).direction
    missing = [v for v in (control, treatment) if v not in arms]
    if missing:
        raise ExperimentError(f"no sums for variant '{missing[0]}'; arms are {', '.join(arms)}",
                              code="unknown_variant", variant=missing[0], variants=list(arms))
    c, t = arms[control], arms[treatment]
    cuped = opts.cuped and kind != "ratio" and c.has_covariate
    kw: dict[str, Any] = dict(metric=kind, alpha=opts.alpha, alternative=opts.alternative, cuped=cuped,
                              sequential=opts.sequential, sequential_tuning=max(c.n + t.n, 2))
    try:
        rel, ab = compare(c, t, relative=True, **kw), compare(c, t, relative=False, **kw)
        b = chance_to_win(c, t, metric=kind, alpha=opts.alpha, cuped=cuped)
    except StatsError as err:
        return Comparison(metric, kind, control, treatment, error=err)
    if direction == "lower":
        b = replace(b, chance_to_win=1 - b.chance_to_win, expected_loss=b.expected_loss_control,
                    expected_loss_control=b.expected_loss)
    return Comparison(metric, kind, control, treatment, rel, ab, b, p_adjusted=rel.p_value,
                      p_unadjusted_corrected=rel.p_value, mde=mde_at(c, t, kind, ab, opts))


def _corrected(row: list[Comparison], method: AdjustMethod) -> list[Comparison]:
    """``p_adjusted`` (decision test) and ``p_unadjusted_corrected`` across the treatments of one metric."""
    ok = [i for i, c in enumerate(row) if c.rel is not None]
    if not ok:
        return row
    decide = adjust_p_values([row[i].adjusted.p_value if row[i].adjusted else row[i].rel.p_value  # type: ignore
                              for i in ok], method)
    plain = adjust_p_values([row[i].rel.p_value for i in ok], method)  # type: ignore[union-attr]
    out = list(row)
    for i, p, q in zip(ok, decide, plain, strict=True):
        out[i] = replace(row[i], p_adjusted=float(p), p_unadjusted_corrected=float(q))
    return out


def analyze(ds: Dataset, experiment_id: str, *, control: str | None = None, treatments: Sequence[str] | None = None,
            metrics: Sequence[str] | None = None, options: Options = DEFAULT_OPTIONS) -> Analysis:
    """Test every treatment against control on each metric (primary metric first by default).

    p-values are adjusted across the treatments of each metric with ``options.correction``.
    A metric that cannot be measured is listed in ``errors`` with the reason.

    An experiment without assigned units (planned, or no ``assignments`` table in the data) is
    no error: the result has ``status == "no_units"`` and no comparisons.

    Raises
    ------
    UnknownExperimentError, ExperimentError
        Unknown experiment id, or a control/treatment that is not one of its variants.
    """
    exp = load_experiment(ds, experiment_id)
    control = control or exp.control
    treatments = tuple(treatments) if treatments else tuple(v for v in exp.variants if v != control)
    exp.check_variants(control, treatments)
    metrics = tuple(metrics) if metrics else (exp.primary_metric,)
    try:
        counts = assignment_counts(ds, exp)
    except MissingTableError:  # no assignments table: nothing is assigned yet
        counts = dict.fromkeys(exp.variants, 0)
    srm = check_srm(counts, exp.weights)
    if not sum(counts.values()):
        return Analysis(exp, control, treatments, metrics, options, srm, (), status="no_units")
    comps: list[Comparison] = []
    arms_by_metric: dict[str, dict[str, ArmStats]] = {}
    errors: dict[str, LiveOpsError] = {}
    for key in metrics:
        values: pd.DataFrame | None = None
        try:
            kind = metric_type(key, exp.unit)
            if exp.unit == "session":
                values = session_values(ds, exp, key).execute()
                arms = to_arm_stats(arm_sums(_memtable(values)).execute(), exp.variants)
            else:
                arms = sufficient_stats(ds, exp, key, cuped=options.cuped, pre_days=options.pre_days)
        except LiveOpsError as err:
            errors[key] = err
            continue
        arms_by_metric[key] = arms
        row = [compare_arms(key, kind, control, t, arms, options) for t in treatments]
        if values is not None and not options.sequential:  # fixed-horizon session tests decide adjusted
            row = [replace(c, adjusted=adjusted_effect(values, control, c.treatment, options.alpha,
                                                       options.alternative)) if c.rel else c for c in row]
        comps += _corrected(row, options.correction)
    return Analysis(exp, control, treatments, metrics, options, srm, tuple(comps), arms_by_metric, errors)


def _memtable(df: pd.DataFrame) -> Any:
    import ibis

    return ibis.memtable(df)
