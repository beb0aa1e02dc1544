"""The A/B test page: one controller behind the thin cells of ``notebooks/02-ab-test.ipynb``.

``interactive`` mode (JupyterLab, Voila): pickers for experiment, control,
treatments, metrics, α and test type; every section lives in an
``ipywidgets.Output`` re-rendered in place when a picker changes. ``static``
mode (papermill): the sections are displayed directly, charts as SVG.
Session-level tests are decided on the room × time-slot adjusted regression
(WLS, HC1) and also show the unadjusted delta-method result.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from liveops_nb.abtest import analysis as an
from liveops_nb.abtest import experiments as data
from liveops_nb.abtest.archive import DECISIONS, build_record, save_record
from liveops_nb.abtest.errors import MetricNotAvailableError
from liveops_nb.abtest.units import measurable
from liveops_nb.errors import LiveOpsError, UnknownOptionError
from liveops_nb.metrics import REGISTRY
from liveops_nb.pages import abtest_sections
from liveops_nb.pages.abtest_sections import AbOptions
from liveops_nb.pages.app import friendly_error
from liveops_nb.pages.base import Page
from liveops_nb.render.abtest import experiment_title, variant_label
from liveops_nb.render.abtest_archive import decision_text, record_texts
from liveops_nb.render.html import esc, note
from liveops_nb.render.i18n import Lang, register, t

SECTIONS = abtest_sections.ABTEST
"""The page's sections, in the notebook's order (the registry's :data:`~liveops_nb.pages.abtest_sections.ABTEST`)."""
PLAN_FIELDS = ("metric", "effect", "power")
"""What :meth:`AbTestPage.set_plan` changes."""
SETTABLE = frozenset({"experiment_id"}) | abtest_sections.SELECTION | abtest_sections.TEST_FIELDS
"""What :meth:`AbTestPage.set` changes."""

register({
    "abtest_unknown_experiment": ("找不到实验 “{eid}”，请在下方重新选择（已有：{known}）。",
                                  "Experiment '{eid}' was not found; pick one below (known: {known})."),
    "abtest_no_experiments": ("此数据集没有实验表（experiments），无法分析 A/B 实验。",
                              "This dataset has no experiments table, so there is no A/B test to analyse."),
    "abtest_aggregate_only": ("数据源只有平台汇总表：按观众分流的实验无法分析，按场次分流的实验可以。",
                              "Platform aggregates only: viewer-level tests are not available, session-level ones are."),
    "abtest_pick_experiment": ("实验", "Experiment"), "abtest_pick_control": ("对照组", "Control"),
    "abtest_pick_treatments": ("实验组", "Treatments"), "abtest_pick_metrics": ("指标", "Metrics"),
    "abtest_pick_alpha": ("显著性水平 α", "Significance α"), "abtest_pick_test": ("检验方式", "Test"),
    "abtest_fixed": ("固定样本", "fixed horizon"), "abtest_sequential": ("序贯（可随时查看）", "sequential (peek-safe)"),
    "abtest_two_sided": ("双侧", "two-sided"), "abtest_one_sided": ("单侧（实验组更高）", "one-sided (treatment higher)"),
    "abtest_pick_cuped": ("CUPED（用实验前数据降方差）", "CUPED (pre-period variance reduction)"),
    "abtest_pick_correction": ("多组校正", "Multi-arm correction"),
    "abtest_plan_metric": ("规划指标", "Plan metric"), "abtest_plan_effect": ("目标提升 %", "Target lift %"),
    "abtest_plan_power": ("把握度", "Power"),
    "abtest_archive_decision": ("决定", "Decision"), "abtest_archive_notes": ("备注", "Notes"),
    "abtest_archive_author": ("归档人", "Author"), "abtest_archive_button": ("归档到知识库", "Archive the verdict"),
    "abtest_archive_saved": ("已归档：{name} · {decision}", "Archived: {name} · {decision}"),
    "abtest_selection": ("{eid} · 对照 {control} · 实验组 {treatments} · 指标 {metrics} · α={alpha} · {test}",
                         "{eid} · control {control} · treatments {treatments} · metrics {metrics} · α={alpha} · {test}"),
})


def pick_metrics(exp: data.Experiment, requested: str | Sequence[str]) -> tuple[str, ...]:
    """The metrics to analyse: ``"primary"`` -> the experiment's primary metric; unknown keys are dropped."""
    keys = [exp.primary_metric] if requested in ("primary", "", None) else list(requested)
    keys = [k for k in dict.fromkeys(keys) if k in REGISTRY]
    return tuple(keys) or (exp.primary_metric,)


def plan_default(exp: data.Experiment) -> str:
    """The planner's metric for ``exp``: its primary metric (the verdict's), else the first measurable one."""
    keys = measurable(exp.unit)
    return exp.primary_metric if exp.primary_metric in keys or not keys else keys[0]


def metric_options(unit: str, lang: Lang) -> list[tuple[str, str]]:
    """(label, key) of every registry metric measurable with ``unit`` as the unit."""
    return [(REGISTRY[k].label(lang), k) for k in measurable(unit)]  # type: ignore[arg-type]


class AbTestPage(Page):
    """Controller of the experiment page.

    A :class:`~liveops_nb.pages.base.Page`; its sections are the registry's
    (:data:`liveops_nb.pages.abtest_sections.ABTEST`), each built with one
    :class:`~liveops_nb.pages.abtest_sections.AbOptions` object (:attr:`options`).

    Parameters
    ----------
    experiment_id : experiment to show ("" = the URL's ``?experiment=`` or the first one with units).
    metrics : "primary" or a list of registry keys (the first decides the verdict).
    lang, data_dir, alpha : language, data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``), test level.
    mode : "interactive" (widgets) or "static" (papermill; SVG charts; a broken page raises).
    """

    query_key = "experiment"
    area_class = "lo-abtest-"
    exp: data.Experiment
    """The experiment shown (set once the page opened on a dataset with experiments)."""

    def __init__(self, experiment_id: str = "", metrics: str | Sequence[str] = "primary", lang: Lang = "zh",
                 data_dir: str = "", alpha: float = 0.05, mode: str = "interactive") -> None:
        self.options = AbOptions(test=an.Options(alpha=float(alpha)), static=mode == "static")
        self.requested_metrics = metrics
        self._muted = False
        self._forms: dict[str, Any] = {}  # section name -> the box holding its form and its area (interactive)
        self.experiments = pd.DataFrame()
        super().__init__(experiment_id, data_dir=data_dir, lang=lang, mode=mode)

    # ------------------------------------------------------------------ the selection
    @property
    def control(self) -> str:
        return self.options.control

    @property
    def treatments(self) -> tuple[str, ...]:
        return self.options.treatments

    @property
    def metrics(self) -> tuple[str, ...]:
        return self.options.metrics

    @property
    def plan_metric(self) -> str:
        return self.options.plan_metric

    @property
    def plan_effect(self) -> float:
        return self.options.plan_effect

    @property
    def plan_power(self) -> float:
        return self.options.plan_power

    # ------------------------------------------------------------------ page hooks
    def _opened(self) -> None:
        self.experiments = data.experiments_frame(self.ds)

    def _choose(self, requested: str) -> None:
        known = self.experiments.experiment_id.tolist()
        if requested and requested not in known:
            if self.static:
                data.load_experiment(self.ds, requested)  # raises UnknownExperimentError
            self._warn("abtest_unknown_experiment", eid=requested, known=", ".join(known))
            requested = ""
        if known:
            self._select(requested or self._default_experiment())

    def _controls(self) -> list:
        """The pickers (interactive) or the chosen experiment line (static)."""
        if self.experiments.empty:
            return [note(t("abtest_no_experiments", self.lang), "na")]
        level = [note(t("abtest_aggregate_only", self.lang), "info")] if self.ds.level == "aggregate" else []
        return [*level, self._selection_html() if self.static else self._pickers()]

    def _ready(self) -> bool:
        return self.error is None and not self.experiments.empty

    def _area(self, name: str, out: Any) -> Any:
        """The planner and the archive show their form above the area."""
        extra = {"planner": self._planner_controls, "archive": self._archive_controls}.get(name)
        if extra is None:
            return out
        import ipywidgets as w

        self._forms[name] = box = w.VBox([extra(), out])
        return box

    def _relabel(self) -> None:
        """The planner's and the archive's forms in the new language (their values kept)."""
        for name, box in self._forms.items():
            extra = self._planner_controls if name == "planner" else self._archive_controls
            box.children = (extra(), box.children[-1])

    def _build(self, name: str) -> list:
        section = abtest_sections.get(name)  # UnknownSectionError for a name that is not registered
        return section.render(section.build(self.ds, self.exp.experiment_id, self.options), self.lang)

    def _failed(self, name: str, err: Exception) -> list:
        if isinstance(err, MetricNotAvailableError):
            return [abtest_sections.not_available(err, self.lang)]
        if self.static and not isinstance(err, LiveOpsError):
            raise err  # a batch run fails loudly on a bug
        return [friendly_error(err, self.lang)]

    # ------------------------------------------------------------------ state
    def set(self, **changes: Any) -> None:
        """Change experiment_id, control, treatments, metrics or any :class:`Options` field; re-render.

        Only the sections that read a changed option are re-rendered (all of them for another experiment).

        Raises
        ------
        UnknownOptionError
            A name that is none of these.
        """
        stale = self._apply(**changes)
        if getattr(self, "w_exp", None) is not None and {"experiment_id", "control"} & set(changes):
            self._sync_pickers()  # the pickers show what was set from code
        self._rerender(stale)

    def set_plan(self, **changes: Any) -> None:
        """Change the planner's ``metric`` / ``effect`` / ``power``; re-renders the planner only."""
        unknown = [k for k in changes if k not in PLAN_FIELDS]
        if unknown:
            raise UnknownOptionError("the planner's option", unknown[0], PLAN_FIELDS)
        self.options = replace(self.options, **{f"plan_{k}": v for k, v in changes.items()})
        self._rerender(abtest_sections.reading({f"plan_{k}" for k in changes}))

    def archive(self, decision: str, notes: str = "", author: str = "") -> str:
        """Archive the current verdict in the data folder's knowledge base; returns the record's file name."""
        record = build_record(self.result(), decision=decision, notes=notes, author=author)
        names = dict(zip(self.ds.session_info.room_id, self.ds.session_info.room_name, strict=True))
        record["room_names"] = {r: names[r] for r in record.get("room_ids") or [] if r in names}  # shown, not ids
        return save_record(self.ds.path, record_texts(record, self.lang)).name

    def result(self) -> an.Analysis:
        """The analysis of the current selection (computed once per selection)."""
        return abtest_sections.analysis(self.ds, self.exp.experiment_id, self.options)

    def _apply(self, **changes: Any) -> list[str] | None:
        """Change the selection (see :meth:`set`); returns the sections to re-render (None = all)."""
        unknown = [k for k in changes if k not in SETTABLE]
        if unknown:
            raise UnknownOptionError("AbTestPage.set", unknown[0], sorted(SETTABLE))
        stale = None if "experiment_id" in changes else abtest_sections.reading(set(changes))
        if "experiment_id" in changes:  # a new experiment starts from its own primary metric
            self.requested_metrics = "primary"
            self._select(changes.pop("experiment_id"))
        o, exp = self.options, self.exp
        control = changes.pop("control", o.control)
        treatments = tuple(changes.pop("treatments", o.treatments))
        metrics = o.metrics
        if "metrics" in changes:
            keys = list(changes.pop("metrics")) or [exp.primary_metric]
            metrics = tuple(sorted(keys, key=lambda k: k != exp.primary_metric))
        treatments = tuple(v for v in treatments if v != control and v in exp.variants) \
            or tuple(v for v in exp.variants if v != control)
        self.options = replace(o, control=control, treatments=treatments, metrics=metrics,
                               test=replace(o.test, **changes) if changes else o.test)
        return stale

    def _default_experiment(self) -> str:
        if not self.ds.has("assignments"):  # nothing assigned anywhere: the first experiment ("no data yet")
            return self.experiments.experiment_id.iloc[0]
        for eid in self.experiments.experiment_id:
            if sum(data.assignment_counts(self.ds, data.load_experiment(self.ds, eid)).values()):
                return eid
        return self.experiments.experiment_id.iloc[0]

    def _select(self, experiment_id: str) -> None:
        self.exp = data.load_experiment(self.ds, experiment_id)
        self.options = replace(self.options, control=self.exp.control, treatments=self.exp.treatments,
                               metrics=pick_metrics(self.exp, self.requested_metrics),
                               plan_metric=plan_default(self.exp))

    # ------------------------------------------------------------------ widgets
    def _selection_html(self) -> str:
        o = self.options.test
        test = " · ".join([t("abtest_sequential" if o.sequential else "abtest_fixed", self.lang),
                           t("abtest_two_sided" if o.alternative == "two-sided" else "abtest_one_sided", self.lang)]
                          + (["CUPED"] if o.cuped else []))
        line = t("abtest_selection", self.lang, eid=self.exp.experiment_id,
                 control=variant_label(self.exp.variable, self.control, self.lang),
                 treatments=", ".join(variant_label(self.exp.variable, v, self.lang) for v in self.treatments),
                 metrics=", ".join(REGISTRY[k].label(self.lang) for k in self.metrics),
                 alpha=f"{o.alpha:g}", test=test)
        return f'<div class="lo" style="font-size:14px;font-weight:600;margin:6px 0">{esc(line)}</div>'

    def _pickers(self):
        import ipywidgets as w

        from liveops_nb.pages.metric_picker import CheckPicker

        lang, o = self.lang, self.options.test
        st, lay = {"description_width": "110px"}, w.Layout(width="460px")
        self.w_exp = w.Dropdown(options=[(f"{r.experiment_id} · {r.name}", r.experiment_id)
                                         for r in self.experiments.itertuples()], value=self.exp.experiment_id,
                                description=t("abtest_pick_experiment", lang), style=st, layout=w.Layout(width="640px"))
        self.w_control = w.Dropdown(description=t("abtest_pick_control", lang), style=st, layout=lay)
        self.w_treat = w.SelectMultiple(description=t("abtest_pick_treatments", lang), rows=3, style=st, layout=lay)
        self.w_metrics = CheckPicker(t("abtest_pick_metrics", lang), lang=lang)
        for widget, cls in ((self.w_exp, "experiment"), (self.w_control, "control"), (self.w_treat, "treatments"),
                            (self.w_metrics, "metrics")):
            widget.add_class(f"lo-abtest-pick-{cls}")
        self._sync_pickers()
        alpha = w.Dropdown(options=[("0.01", 0.01), ("0.05", 0.05), ("0.10", 0.10)],
                           value=min((0.01, 0.05, 0.10), key=lambda x: abs(x - o.alpha)),
                           description=t("abtest_pick_alpha", lang), style=st, layout=lay)
        seq = w.ToggleButtons(options=[(t("abtest_fixed", lang), False), (t("abtest_sequential", lang), True)],
                              value=o.sequential, description=t("abtest_pick_test", lang), style=st)
        sides = w.ToggleButtons(options=[(t("abtest_two_sided", lang), "two-sided"),
                                         (t("abtest_one_sided", lang), "greater")], value=o.alternative, style=st)
        cuped = w.Checkbox(value=o.cuped, description=t("abtest_pick_cuped", lang), indent=False)
        corr = w.Dropdown(options=[("Holm", "holm"), ("Benjamini–Hochberg", "bh")], value=o.correction,
                          description=t("abtest_pick_correction", lang), style=st, layout=lay)

        def on(widget, field):
            widget.observe(lambda c: None if self._muted else self._picked(field, c["new"]), names="value")

        for widget, field in ((self.w_exp, "experiment_id"), (self.w_control, "control"), (self.w_treat, "treatments"),
                              (self.w_metrics, "metrics"), (alpha, "alpha"), (seq, "sequential"),
                              (sides, "alternative"), (cuped, "cuped"), (corr, "correction")):
            on(widget, field)
        return w.VBox([self.w_exp, w.HBox([w.VBox([self.w_control, self.w_treat]),
                                           w.VBox([alpha, corr, seq, sides, cuped])]), self.w_metrics])

    def _picked(self, field: str, value: Any) -> None:
        stale = self._apply(**{field: value})
        if field in ("experiment_id", "control"):
            self._sync_pickers()  # new variants / metrics first, then one re-render
        self._rerender(stale)

    def _sync_pickers(self) -> None:
        self._muted = True
        try:
            self.w_exp.value = self.exp.experiment_id
            arms = [(variant_label(self.exp.variable, v, self.lang), v) for v in self.exp.variants]
            self.w_control.options = arms
            self.w_control.value = self.control
            self.w_treat.options = [(label, v) for label, v in arms if v != self.control]
            self.w_treat.value = tuple(self.treatments)
            opts = metric_options(self.exp.unit, self.lang)
            self.w_metrics.options = opts
            self.w_metrics.value = tuple(k for _, k in opts if k in self.metrics)
            if getattr(self, "w_plan_metric", None) is not None:
                keys = [k for _, k in opts]
                if self.plan_metric not in keys:
                    self.options = replace(self.options, plan_metric=plan_default(self.exp))
                self.w_plan_metric.options, self.w_plan_metric.value = opts, self.plan_metric
        finally:
            self._muted = False

    def _planner_controls(self):
        import ipywidgets as w

        lang, st = self.lang, {"description_width": "110px"}
        opts = metric_options(self.exp.unit, lang)
        metric = w.Dropdown(options=opts, value=self.plan_metric if self.plan_metric in dict(opts).values()
                            else plan_default(self.exp), description=t("abtest_plan_metric", lang), style=st)
        metric.add_class("lo-abtest-plan-metric")
        effect = w.BoundedFloatText(value=self.plan_effect * 100, min=0.5, max=500, step=0.5,
                                    description=t("abtest_plan_effect", lang), style=st)
        power = w.Dropdown(options=[("80%", 0.8), ("90%", 0.9)], value=self.plan_power,
                           description=t("abtest_plan_power", lang), style=st)
        self.w_plan_metric = metric
        metric.observe(lambda c: None if self._muted else self.set_plan(metric=c["new"]), names="value")
        effect.observe(lambda c: self.set_plan(effect=c["new"] / 100), names="value")
        power.observe(lambda c: self.set_plan(power=c["new"]), names="value")
        return w.HBox([metric, effect, power])

    def _archive_controls(self):
        import ipywidgets as w

        lang, before = self.lang, getattr(self, "_archive_form", None)
        decision = w.Dropdown(options=[(t(f"abtest_decision_{d}", lang), d) for d in DECISIONS],
                              description=t("abtest_archive_decision", lang))
        notes = w.Textarea(description=t("abtest_archive_notes", lang), layout=w.Layout(width="640px"))
        author = w.Text(description=t("abtest_archive_author", lang))
        if before is not None:  # the same form in another language: what was typed stays
            decision.value, notes.value, author.value = (x.value for x in before)
        self._archive_form = (decision, notes, author)
        button = w.Button(description=t("abtest_archive_button", lang), button_style="primary", icon="")
        status = w.HTML()

        def click(_):
            try:
                self.archive(decision.value, notes.value, author.value)
                name = experiment_title(self.exp.experiment_id, self.exp.name)  # what a manager calls it, not a file
                status.value = note(t("abtest_archive_saved", lang, name=name,
                                      decision=decision_text(decision.value, lang)), "good")
            except Exception as err:  # shown, never a traceback
                status.value = friendly_error(err, lang)

        button.on_click(click)
        return w.VBox([w.HBox([decision, author]), notes, button, status])

