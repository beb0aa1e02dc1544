"""The registry of A/B test page sections: the same declared type as the review's, looked up by name.

Every section of the experiment page (``notebooks/02-ab-test.ipynb``) is a
:class:`~liveops_nb.pages.sections.Section` built with one :class:`AbOptions`
object: ``build(ds, experiment_id, options)`` returns data (the analysis, frames,
a plan, reasons; no words, no HTML) and ``render(data, lang)`` the displayable
items. :func:`get` finds a section (an unknown name raises
:class:`~liveops_nb.errors.UnknownSectionError`), :data:`ABTEST` is the page's
order, and :meth:`~liveops_nb.pages.sections.Registry.reading` says which
sections a change of options touches.

The sections that show test results share one analysis per selection:
:func:`analysis` computes it once in the dataset's cache.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

import pandas as pd

from ..abtest import analysis as an
from ..abtest.breakdowns import By, breakdown, over_time
from ..abtest.errors import MetricNotAvailableError
from ..abtest.experiments import Experiment, load_experiment
from ..abtest.planner import Plan, plan
from ..charts import abtest as abcharts
from ..metrics import REGISTRY
from ..render import abtest as vd
from ..render import i18n
from ..render.abtest import breakdown_table, forest_frame
from ..render.html import esc, note
from ..render.i18n import Lang, t
from .sections import Registry, Section

if TYPE_CHECKING:
    from ..dataset import Dataset

i18n.register({
    "abtest_archive_interactive": ("在交互页面中可把结论归档到知识库。", "Archive the verdict from the interactive page."),
    "abtest_time_note": ("截至每天结束的累计效果（{metric}）；阴影为 {level} {kind}。",
                         "Cumulative effect up to the end of each day ({metric}); the band is the {level} {kind}."),
    "abtest_kind_ci": ("置信区间", "confidence interval"), "abtest_kind_cs": ("置信序列", "confidence sequence"),
    "abtest_srm_no_units": ("暂无数据：还没有分组记录，无法检查分流。",
                            "No data yet: no unit is assigned, so there is no split to check."),
})


@dataclass(frozen=True)
class AbOptions:
    """What the experiment page's sections may be asked to vary: one frozen (hashable) object.

    Attributes
    ----------
    control, treatments : the arms compared ("" / () = the experiment's control and its other variants).
    metrics : registry keys tested (the first decides the verdict; () = the primary metric).
    test : how to test — level, sides, sequential, CUPED, correction (:class:`liveops_nb.abtest.analysis.Options`).
    plan_metric, plan_effect, plan_power : the sample-size planner's metric ("" = the experiment's primary
        metric), target relative lift and power.
    static : a batch (papermill) page: the archive section points to the interactive page.
    """

    control: str = ""
    treatments: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    test: an.Options = an.DEFAULT_OPTIONS
    plan_metric: str = ""
    plan_effect: float = 0.10
    plan_power: float = 0.8
    static: bool = False


TEST_FIELDS = frozenset(f.name for f in fields(an.Options))
"""The names of the :class:`~liveops_nb.abtest.analysis.Options` fields (``alpha``, ``sequential``, ...)."""
READABLE = frozenset(f.name for f in fields(AbOptions) if f.name != "test") | TEST_FIELDS
"""What a section may read: the :class:`AbOptions` fields, with ``test`` as its own fields."""
SELECTION = frozenset({"control", "treatments", "metrics"})
"""The options that change what is analysed (besides the experiment)."""

_REGISTRY: Registry[AbOptions] = Registry(AbOptions, READABLE)


def get(name: str) -> Section[AbOptions]:
    """The registered A/B section ``name``.

    Raises
    ------
    UnknownSectionError
        ``name`` is not registered (the message lists the registered names).
    """
    return _REGISTRY.get(name)


def names() -> tuple[str, ...]:
    """Every registered A/B section name, in registration order."""
    return _REGISTRY.names()


def reading(changed: frozenset[str] | set[str]) -> list[str]:
    """The sections (in :data:`ABTEST` order) whose build reads any option named in ``changed``."""
    return _REGISTRY.reading(changed, ABTEST)


def analysis(ds: Dataset, experiment_id: str, o: AbOptions) -> an.Analysis:
    """The analysis of ``o``'s selection of experiment ``experiment_id``, computed once per selection.

    Raises
    ------
    UnknownExperimentError, ExperimentError
        As :func:`liveops_nb.abtest.analysis.analyze`.
    """
    def make() -> an.Analysis:
        return an.analyze(ds, experiment_id, control=o.control, treatments=o.treatments, metrics=o.metrics,
                          options=o.test)

    return ds.remember(("abtest_page.analysis", experiment_id, o.control, o.treatments, o.metrics, o.test), make)


# ------------------------------------------------------------------ section data
@dataclass(frozen=True, eq=False)
class Card:
    """The experiment and the names of the rooms (room id -> name) its card shows."""

    experiment: Experiment
    room_names: dict[str, str]


@dataclass(frozen=True, eq=False)
class OverTime:
    """The cumulative effect by day of ``metric`` (the first tested metric; None when none could be tested)."""

    analysis: an.Analysis
    metric: str | None = None
    frame: pd.DataFrame | None = None


@dataclass(frozen=True, eq=False)
class Breakdowns:
    """The effect of ``metric`` per room and per viewer segment: a frame, or why it is not available."""

    analysis: an.Analysis
    metric: str | None = None
    parts: tuple[tuple[By, pd.DataFrame | MetricNotAvailableError], ...] = ()
    room_names: dict[str, str] = field(default_factory=dict)
    """Room id -> name (the room breakdown shows names)."""


def followed_metric(a: an.Analysis) -> str | None:
    """The metric the time and breakdown sections follow: the first one that could be tested, else None."""
    return next((c.metric for c in a.comparisons if c.rel is not None), None)


# ------------------------------------------------------------------ builds: data in, results out
def _card(ds: Dataset, experiment_id: str, o: AbOptions) -> Card:
    info = ds.session_info
    return Card(load_experiment(ds, experiment_id), dict(zip(info.room_id, info.room_name, strict=True)))


def _plan(ds: Dataset, experiment_id: str, o: AbOptions) -> Plan:
    exp = load_experiment(ds, experiment_id)
    return plan(ds, exp, o.plan_metric or exp.primary_metric, effect=o.plan_effect, alpha=o.test.alpha,
                power=o.plan_power)


def _static(ds: Dataset, experiment_id: str, o: AbOptions) -> bool:
    return o.static


def _over_time(ds: Dataset, experiment_id: str, o: AbOptions) -> OverTime:
    a = analysis(ds, experiment_id, o)
    key = followed_metric(a)
    if key is None:
        return OverTime(a)
    return OverTime(a, key, over_time(ds, a.experiment, key, o.control, o.treatments, o.test))


def _breakdowns(ds: Dataset, experiment_id: str, o: AbOptions) -> Breakdowns:
    a = analysis(ds, experiment_id, o)
    key = followed_metric(a)
    if key is None:
        return Breakdowns(a)
    parts: list[tuple[By, pd.DataFrame | MetricNotAvailableError]] = []
    for by in ("room", "segment"):
        try:
            parts.append((by, pd.concat([breakdown(ds, a.experiment, key, o.control, tr, by, o.test).assign(treatment=tr)
                                         for tr in o.treatments])))
        except MetricNotAvailableError as err:
            parts.append((by, err))
    info = ds.session_info
    return Breakdowns(a, key, tuple(parts), dict(zip(info.room_id, info.room_name, strict=True)))


# ------------------------------------------------------------------ renders: words and charts
def not_available(err: MetricNotAvailableError, lang: Lang) -> str:
    """The note shown where a section (or a part of it) cannot be computed from this data, and why."""
    return note(f"{t('not_available', lang)}: {vd.reason_text(err, lang)}", "na")


def _untestable(a: an.Analysis, lang: Lang) -> list[str]:
    """One note per metric that cannot be tested, and why."""
    return [note(f"{REGISTRY[k].label(lang)}: {t('not_available', lang)} — {vd.reason_text(e, lang)}", "na")
            for k, e in a.errors.items()]


def _no_effect(a: an.Analysis, lang: Lang) -> list[str]:
    """What the effect sections show when no metric could be tested (else [])."""
    if followed_metric(a) is not None:
        return []
    return _untestable(a, lang) or [note(t("abtest_nothing_yet", lang), "na")]


def _render_card(data: Card, lang: Lang) -> list:
    return [vd.card_html(data.experiment, data.room_names, lang)]


def _render_srm(a: an.Analysis, lang: Lang) -> list:
    if not a.has_units:  # no split to check: no green "split OK, p = 1.000"
        return [note(t("abtest_srm_no_units", lang), "na")]
    return [note(vd.srm_text(a.srm, lang), "good" if a.srm.ok else "bad")]


def _render_results(a: an.Analysis, lang: Lang) -> list:
    if not a.has_units:
        return [note(t("abtest_nothing_yet", lang), "na")]
    return _untestable(a, lang) + [x for k in a.metrics if k not in a.errors for x in vd.results_html(a, k, lang)]


def _render_forest(a: an.Analysis, lang: Lang) -> list:
    return _no_effect(a, lang) or [abcharts.forest(forest_frame(a, lang), lang)]


def _render_over_time(data: OverTime, lang: Lang) -> list:
    a = data.analysis
    if data.metric is None or data.frame is None:
        return _no_effect(a, lang)
    kind = t("abtest_kind_cs" if a.options.sequential else "abtest_kind_ci", lang)
    return [abcharts.over_time(vd.time_frame(data.frame, a.experiment, lang), lang),
            note(t("abtest_time_note", lang, metric=REGISTRY[data.metric].label(lang),
                   level=vd.level_text(a.options.alpha), kind=kind), "info")]


_BY_TITLE = {"room": "abtest_by_room", "segment": "abtest_by_segment"}


def _render_breakdowns(data: Breakdowns, lang: Lang) -> list:
    a = data.analysis
    if data.metric is None:
        return _no_effect(a, lang)
    items: list = []
    for by, part in data.parts:
        items.append(f'<div class="lo" style="font-weight:600;margin-top:6px">{esc(t(_BY_TITLE[by], lang))}</div>')
        items.append(not_available(part, lang) if isinstance(part, MetricNotAvailableError)
                     else breakdown_table(part, a.experiment, data.metric, by, lang, a.options.alpha, data.room_names))
    return items


def _render_plan(p: Plan, lang: Lang) -> list:
    return [vd.planner_html(p, lang)]


def _render_verdict(a: an.Analysis, lang: Lang) -> list:
    return [note(v.text, v.kind) for v in vd.verdicts(a, lang)]


def _render_archive(static: bool, lang: Lang) -> list:
    return [note(t("abtest_archive_interactive", lang), "info")] if static else []  # interactive: the form only


_ANALYSED = SELECTION | TEST_FIELDS  # what the analysis reads
_PLANNED = frozenset({"alpha", "plan_metric", "plan_effect", "plan_power"})

ABTEST: tuple[str, ...] = tuple(_REGISTRY.register(s).name for s in (
    Section("card", ("实验卡片", "Experiment card"), _card, _render_card),
    Section("srm", ("分流检查（SRM）", "Sample-ratio check"), analysis, _render_srm, reads=_ANALYSED),
    Section("results", ("结果", "Results"), analysis, _render_results, reads=_ANALYSED),
    Section("forest", ("相对效果与区间", "Relative effects with intervals"), analysis, _render_forest, reads=_ANALYSED),
    Section("time", ("效果随时间", "Effect over time"), _over_time, _render_over_time, reads=_ANALYSED),
    Section("breakdown", ("分群：直播间、新老观众", "Breakdowns: room, new vs returning"), _breakdowns,
            _render_breakdowns, reads=_ANALYSED),
    Section("planner", ("样本量规划", "Power and sample-size planner"), _plan, _render_plan, reads=_PLANNED),
    Section("verdict", ("结论", "Verdict"), analysis, _render_verdict, reads=_ANALYSED),
    Section("archive", ("归档到知识库", "Archive to the knowledge base"), _static, _render_archive,
            reads=frozenset({"static"})),
))
"""The A/B page's sections, in the order of the notebook: the experiment, the split check, results,
effects, breakdowns, the planner, the verdict and the archive form."""
