"""Analysis of a live-commerce experiment: SRM, treatment-vs-control tests, adjustment, time, breakdowns.

Every number comes from :func:`liveops_nb.abtest.data.sufficient_stats` (per-arm
sums computed by Ibis) and the statistics engine; only the session-level
room × time-slot adjustment needs per-session rows (a few hundred at most):
a weighted least-squares regression ``y ~ C(variant) + C(room_id) + C(slot)``
with HC1 robust standard errors (weights = the ratio's denominator, so the
variant coefficient of a model without covariates is exactly the ratio
difference). Its relative effect divides by the control's pooled value,
treated as fixed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal, Optional, Sequence

import numpy as np
import pandas as pd

from liveops_nb.abtest import data
from liveops_nb.abtest.planning import minimum_detectable_effect
from liveops_nb.abtest.stats import (Alternative, AdjustMethod, ArmStats, BayesResult, StatsError, TestResult,
                                     adjust_p_values, chance_to_win, compare, srm_p_value)
from liveops_nb.errors import LiveOpsError
from liveops_nb.metrics import REGISTRY

SRM_THRESHOLD = 0.001


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


@dataclass(frozen=True)
class SrmCheck:
    """Sample-ratio-mismatch check of assigned units against the planned split."""

    counts: dict[str, int]
    weights: dict[str, float]
    p_value: float
    threshold: float = SRM_THRESHOLD

    @property
    def ok(self) -> bool:
        return self.p_value >= self.threshold


@dataclass(frozen=True)
class Adjusted:
    """Room × slot adjusted effect (WLS, HC1): absolute and relative (÷ control value) with interval."""

    effect: float
    ci_low: float
    ci_high: float
    p_value: float
    rel: float
    rel_low: float
    rel_high: float
    n: int
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    """One treatment against control on one metric."""

    metric: str
    kind: str
    control: str
    treatment: str
    rel: Optional[TestResult] = None
    abs: Optional[TestResult] = None
    bayes: Optional[BayesResult] = None
    p_adjusted: float = math.nan
    p_unadjusted_corrected: float = math.nan
    mde: Optional[float] = None
    adjusted: Optional[Adjusted] = None
    error: Optional[str] = None

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


@dataclass(frozen=True)
class Analysis:
    experiment: data.Experiment
    control: str
    treatments: tuple[str, ...]
    metrics: tuple[str, ...]
    options: Options
    srm: SrmCheck
    comparisons: tuple[Comparison, ...]
    arms: dict[str, dict[str, ArmStats]] = field(default_factory=dict)
    errors: dict[str, LiveOpsError] = field(default_factory=dict)  # metric -> why it cannot be tested


def check_srm(counts: dict[str, int], weights: dict[str, float]) -> SrmCheck:
    """SRM check: chi-square p of assigned counts against planned weights (blocks below 0.001)."""
    w = {v: weights.get(v, 0.0) for v in counts}
    return SrmCheck(counts, w, srm_p_value(list(counts.values()), list(w.values())))


def mde_at(c: ArmStats, t: ArmStats, kind: str, res_abs: TestResult, opts: Options) -> Optional[float]:
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


def compare_arms(metric: str, kind: str, control: str, treatment: str, arms: dict[str, ArmStats],
                 opts: Options) -> Comparison:
    """Relative and absolute tests, chance to win and MDE of ``treatment`` vs ``control``."""
    c, t = arms[control], arms[treatment]
    cuped = opts.cuped and kind != "ratio" and c.has_covariate
    kw = dict(metric=kind, alpha=opts.alpha, alternative=opts.alternative, cuped=cuped,
              sequential=opts.sequential, sequential_tuning=max(c.n + t.n, 2))
    try:
        rel, ab = compare(c, t, relative=True, **kw), compare(c, t, relative=False, **kw)
        b = chance_to_win(c, t, metric=kind, alpha=opts.alpha, cuped=cuped)
    except StatsError as err:
        return Comparison(metric, kind, control, treatment, error=str(err))
    if REGISTRY[metric].direction == "lower":
        b = replace(b, chance_to_win=1 - b.chance_to_win, expected_loss=b.expected_loss_control,
                    expected_loss_control=b.expected_loss)
    return Comparison(metric, kind, control, treatment, rel, ab, b, p_adjusted=rel.p_value,
                      p_unadjusted_corrected=rel.p_value, mde=mde_at(c, t, kind, ab, opts))


def adjusted_effect(values: pd.DataFrame, control: str, treatment: str, alpha: float = 0.05,
                    alternative: Alternative = "two-sided") -> Optional[Adjusted]:
    """WLS ``y/d ~ C(variant) + C(room_id) + C(slot)`` with HC1 SEs (plain OLS of ``y`` without ``d``).

    Terms with a single level are dropped; ``None`` when too few sessions remain.
    """
    import statsmodels.formula.api as smf
    from scipy import stats as st

    df = values[values.variant.isin([control, treatment])].copy()
    ratio = "d" in df.columns
    if ratio:
        df = df[df.d > 0]
        df["rate"], w = df.y / df.d, df.d
    else:
        df["rate"], w = df.y, pd.Series(1.0, index=df.index)
    terms = tuple(c for c in ("room_id", "slot") if df[c].nunique() > 1)
    if df.variant.nunique() < 2 or len(df) < 3 + sum(df[c].nunique() for c in terms):
        return None
    formula = f'rate ~ C(variant, Treatment(reference="{control}"))' + "".join(f" + C({c})" for c in terms)
    fit = smf.wls(formula, data=df, weights=w).fit(cov_type="HC1")
    name = fit.params.index[1]
    est, se = float(fit.params[name]), float(fit.bse[name])
    ctl = df[df.variant == control]
    base = float((ctl.y.sum() / ctl.d.sum()) if ratio else ctl.y.mean())
    if base == 0 or not (se > 0 and math.isfinite(se)):
        return None
    z = est / se
    if alternative == "two-sided":
        q, p = st.norm.ppf(1 - alpha / 2), 2 * st.norm.sf(abs(z))
        lo, hi = est - q * se, est + q * se
    else:
        q = st.norm.ppf(1 - alpha)
        p = st.norm.sf(z) if alternative == "greater" else st.norm.cdf(z)
        lo, hi = (est - q * se, math.inf) if alternative == "greater" else (-math.inf, est + q * se)
    return Adjusted(est, lo, hi, float(p), est / abs(base), lo / abs(base), hi / abs(base), int(len(df)), terms)


def analyze(ds, experiment_id: str, *, control: Optional[str] = None, treatments: Optional[Sequence[str]] = None,
            metrics: Optional[Sequence[str]] = None, options: Options = Options()) -> Analysis:
    """Test every treatment against control on each metric (primary metric first by default).

    p-values are adjusted across the treatments of each metric with ``options.correction``.
    A metric that cannot be measured is listed in ``errors`` with the reason.
    """
    exp = data.load_experiment(ds, experiment_id)
    control = control or exp.control
    treatments = tuple(treatments) if treatments else tuple(v for v in exp.variants if v != control)
    metrics = tuple(metrics) if metrics else (exp.primary_metric,)
    srm = check_srm(data.assignment_counts(ds, exp), exp.weights)
    comps: list[Comparison] = []
    arms_by_metric: dict[str, dict[str, ArmStats]] = {}
    errors: dict[str, LiveOpsError] = {}
    values: Optional[pd.DataFrame] = None
    for key in metrics:
        try:
            kind = data.metric_type(key, exp.unit)
            if exp.unit == "session":
                values = data.session_values(ds, exp, key).execute()
                arms = data.to_arm_stats(data.arm_sums(_memtable(values)).execute(), exp.variants)
            else:
                arms = data.sufficient_stats(ds, exp, key, cuped=options.cuped, pre_days=options.pre_days)
        except LiveOpsError as err:
            errors[key] = err
            continue
        arms_by_metric[key] = arms
        row = [compare_arms(key, kind, control, t, arms, options) for t in treatments]
        if exp.unit == "session" and not options.sequential:  # fixed-horizon session tests decide adjusted
            row = [replace(c, adjusted=adjusted_effect(values, control, c.treatment, options.alpha,
                                                       options.alternative)) if c.rel else c for c in row]
        ok = [i for i, c in enumerate(row) if c.rel is not None]
        if ok:
            decide = adjust_p_values([row[i].adjusted.p_value if row[i].adjusted else row[i].rel.p_value
                                      for i in ok], options.correction)
            plain = adjust_p_values([row[i].rel.p_value for i in ok], options.correction)
            for i, p, q in zip(ok, decide, plain):
                row[i] = replace(row[i], p_adjusted=float(p), p_unadjusted_corrected=float(q))
        comps += row
    return Analysis(exp, control, treatments, metrics, options, srm, tuple(comps), arms_by_metric, errors)


def _memtable(df: pd.DataFrame):
    import ibis

    return ibis.memtable(df)


def over_time(ds, exp: data.Experiment, key: str, control: str, treatments: Sequence[str],
              options: Options = Options()) -> pd.DataFrame:
    """Cumulative relative effect by day, one row per (day, treatment):
    ``day, treatment, effect, ci_low, ci_high, n_control, n_treatment`` (NaN while an arm has < 2 units).

    Session tests add up per-day sums (a session falls on one day); viewer tests
    recompute each viewer's value from the sessions up to the end of each day.
    ``options.sequential`` gives the confidence sequence tuned at the final size.
    """
    kind = data.metric_type(key, exp.unit)
    arms_needed = [control, *treatments]
    if exp.unit == "session":
        daily = data.arm_sums(data.session_values(ds, exp, key), by=["day"]).execute()
        sums = [c for c in daily.columns if c not in ("variant", "day")]
        days = sorted(daily.day.unique())
        grid = pd.MultiIndex.from_product([arms_needed, days], names=["variant", "day"])
        cum = daily.set_index(["variant", "day"]).reindex(grid, fill_value=0)[sums].groupby(level=0).cumsum()
    else:
        vals = data.viewer_values_by_day(ds, exp, key, pre_days=options.pre_days if options.cuped else None)
        cum = data.arm_sums(vals, by=["day"]).execute().set_index(["variant", "day"])
        days = sorted(cum.index.get_level_values("day").unique())
    steps = [(d, data.to_arm_stats(cum.xs(d, level=1).reset_index(), arms_needed)) for d in days]
    rows = []
    for t in treatments:
        final = steps[-1][1] if steps else {}
        tuning = max(final[control].n + final[t].n, 2) if final else 2
        for day, arms in steps:
            c, tr = arms[control], arms[t]
            try:
                r = compare(c, tr, metric=kind, alpha=options.alpha, alternative=options.alternative,
                            cuped=options.cuped and kind != "ratio" and c.has_covariate,
                            sequential=options.sequential, sequential_tuning=tuning)
                rows.append((day, t, r.effect, r.ci_low, r.ci_high, c.n, tr.n))
            except StatsError:
                rows.append((day, t, np.nan, np.nan, np.nan, c.n, tr.n))
    return pd.DataFrame(rows, columns=["day", "treatment", "effect", "ci_low", "ci_high", "n_control",
                                       "n_treatment"])


def breakdown(ds, exp: data.Experiment, key: str, control: str, treatment: str, by: Literal["room", "segment"],
              options: Options = Options()) -> pd.DataFrame:
    """Relative effect per room or per viewer segment (new / returning):
    ``group, n_control, n_treatment, control_value, treatment_value, effect, ci_low, ci_high, p_value``."""
    kind = data.metric_type(key, exp.unit)
    groups: list[tuple[str, dict[str, ArmStats]]] = []
    if by == "room":
        if exp.unit == "session":
            s = data.arm_sums(data.session_values(ds, exp, key), by=["room_id"]).execute()
            groups = [(r, data.to_arm_stats(g, exp.variants)) for r, g in s.groupby("room_id")]
        else:
            info = ds.session_info
            rooms = sorted(info[info.session_id.isin(data.window_session_ids(info, exp))].room_id.unique())
            groups = [(r, data.sufficient_stats(ds, exp, key, rooms=[r])) for r in rooms]
    else:
        groups = segment_arms(ds, exp, key)
    rows = []
    for g, arms in groups:
        c, t = arms[control], arms[treatment]
        try:
            r = compare(c, t, metric=kind, alpha=options.alpha, alternative=options.alternative)
            rows.append((g, c.n, t.n, r.control_value, r.treatment_value, r.effect, r.ci_low, r.ci_high, r.p_value))
        except StatsError:
            rows.append((g, c.n, t.n, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan))
    return pd.DataFrame(rows, columns=["group", "n_control", "n_treatment", "control_value", "treatment_value",
                                       "effect", "ci_low", "ci_high", "p_value"])


def segment_arms(ds, exp: data.Experiment, key: str) -> list[tuple[str, dict[str, ArmStats]]]:
    """Per-arm sums for new and for returning viewers (viewer tests: by unit; session tests: each
    session's base quantities recomputed from that segment's events and orders)."""
    if ds.level != "viewer":
        raise data.MetricNotAvailableError("new vs returning viewers needs the viewer-level events table",
                                          "新老观众拆分需要观众级明细（events 表）")
    if exp.unit == "viewer":
        seg = data.viewer_segments(ds, exp)
        v = data.unit_values(ds, exp, key)
        j = v.inner_join(seg, v.unit_id == seg.user_id)
        s = data.arm_sums(j, by=["segment"]).execute()
        return [(g, data.to_arm_stats(s[s.segment == g], exp.variants)) for g in ("new", "returning")]
    return [(g, data.to_arm_stats(data.arm_sums(data.segment_session_values(ds, exp, key, g)).execute(),
                                  exp.variants)) for g in ("new", "returning")]


@dataclass(frozen=True)
class Plan:
    """Sample size to detect ``effect`` (relative) on ``metric``, from the rooms' own history."""

    metric: str
    unit: str
    kind: str
    effect: float
    alpha: float
    power: float
    history_start: pd.Timestamp
    history_end: pd.Timestamp
    baseline_units: int
    baseline_mean: float = math.nan
    baseline_sd: Optional[float] = None
    n_per_arm: Optional[int] = None
    arms: int = 2
    weeks_needed: Optional[float] = None
    error: Optional[str] = None
    error_zh: Optional[str] = None


def plan(ds, exp: data.Experiment, metric: str = "uv_value", *, effect: float = 0.10, alpha: float = 0.05,
         power: float = 0.8, weeks: int = 8, alternative: Alternative = "two-sided") -> Plan:
    """Units per arm (sessions or viewers, by the experiment's unit) to detect a relative ``effect``.

    The baseline mean and per-unit sd come from the experiment's rooms over the
    ``weeks`` before its start (a ratio metric uses its delta-method sd);
    ``weeks_needed`` (session tests) = all arms' sessions / sessions per week.
    """
    from liveops_nb.abtest.planning import sample_size_for_effect

    start, end = exp.start - pd.Timedelta(weeks=weeks), exp.start - pd.Timedelta(microseconds=1)
    ids = data.window_session_ids(ds.session_info, exp, start=start, end=end)
    head = dict(metric=metric, unit=exp.unit, effect=effect, alpha=alpha, power=power, history_start=start,
                history_end=end, arms=len(exp.variants))
    try:
        kind = data.metric_type(metric, exp.unit)
        if exp.unit == "session":
            units = _memtable(pd.DataFrame({"unit_id": ids, "variant": "all"}))
            vals = data.values_for_sessions(ds, units, metric)
        else:
            vals = data.values_for_viewers(ds, data.active_viewers(ds, ids), metric, ids)
        a = data.to_arm_stats(data.arm_sums(vals).execute(), ["all"])["all"]
        if kind == "proportion":
            mean, sd, pm = a.mean, None, "proportion"
        elif kind == "ratio":
            mean, sd, pm = a.ratio_mean, math.sqrt(a.ratio_variance), "mean"
        else:
            mean, sd, pm = a.mean, math.sqrt(a.variance), "mean"
        n = sample_size_for_effect(effect, baseline_mean=mean, baseline_sd=sd, metric=pm, alpha=alpha,
                                   power=power, alternative=alternative)
    except (LiveOpsError, StatsError) as err:
        return Plan(kind="", baseline_units=0, error=str(err), error_zh=getattr(err, "zh", None), **head)
    first = ds.session_info.set_index("session_id").loc[ids, "start_time"].min() if ids else end
    span = max((end - first) / pd.Timedelta(weeks=1), 1 / 7)
    need = head["arms"] * n / (a.n / span) if exp.unit == "session" and a.n else None
    head["history_start"] = max(start, first)
    return Plan(kind=kind, baseline_units=a.n, baseline_mean=mean, baseline_sd=sd, n_per_arm=n,
                weeks_needed=need, **head)
