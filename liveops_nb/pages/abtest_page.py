"""The A/B test page: one controller behind the thin cells of ``notebooks/02-ab-test.ipynb``.

``interactive`` mode (JupyterLab, Voila): pickers for experiment, control,
treatments, metrics, α and test type; every section lives in an
``ipywidgets.Output`` re-rendered in place when a picker changes. ``static``
mode (papermill): the sections are displayed directly, charts as SVG.
Session-level tests are decided on the room × time-slot adjusted regression
(WLS, HC1) and also show the unadjusted delta-method result.
"""
from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from typing import Any

import pandas as pd
from IPython.display import HTML, display

from liveops_nb import charts
from liveops_nb.abtest import analysis as an
from liveops_nb.abtest import experiments as data
from liveops_nb.abtest.archive import DECISIONS, build_record, save_record
from liveops_nb.abtest.breakdowns import breakdown, over_time
from liveops_nb.abtest.errors import MetricNotAvailableError
from liveops_nb.abtest.planner import plan
from liveops_nb.abtest.units import measurable
from liveops_nb.charts import abtest as abcharts
from liveops_nb.errors import LiveOpsError
from liveops_nb.metrics import REGISTRY
from liveops_nb.pages.app import friendly_error, load_dataset, page_query
from liveops_nb.pages.outputs import Turns, show, show_in
from liveops_nb.render import abtest as vd
from liveops_nb.render.abtest import breakdown_table, forest_frame
from liveops_nb.render.abtest_archive import record_texts
from liveops_nb.render.html import esc, note, page_style
from liveops_nb.render.i18n import Lang, check_lang, register, t

SECTIONS = ("card", "srm", "results", "forest", "time", "breakdown", "planner", "verdict", "archive")

register({
    "abtest_unknown_experiment": ("找不到实验 “{eid}”，请在下方重新选择（已有：{known}）。",
                                  "Experiment '{eid}' was not found; pick one below (known: {known})."),
    "abtest_no_experiments": ("此数据集没有实验表（experiments），无法分析 A/B 实验。",
                              "This dataset has no experiments table, so there is no A/B test to analyse."),
    "abtest_aggregate_only": ("数据源只有平台汇总表：按观众分流的实验无法分析，按场次分流的实验可以。",
                              "Platform aggregates only: viewer-level tests are not available, session-level ones are."),
    "abtest_archive_interactive": ("在交互页面中可把结论归档到知识库。", "Archive the verdict from the interactive page."),
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
    "abtest_archive_saved": ("已归档：{name}", "Archived: {name}"),
    "abtest_selection": ("{eid} · 对照 {control} · 实验组 {treatments} · 指标 {metrics} · α={alpha} · {test}",
                         "{eid} · control {control} · treatments {treatments} · metrics {metrics} · α={alpha} · {test}"),
    "abtest_time_note": ("截至每天结束的累计效果（{metric}）；阴影为 {level} {kind}。",
                         "Cumulative effect up to the end of each day ({metric}); the band is the {level} {kind}."),
    "abtest_kind_ci": ("置信区间", "confidence interval"), "abtest_kind_cs": ("置信序列", "confidence sequence"),
})


def pick_metrics(exp: data.Experiment, requested: str | Sequence[str]) -> tuple[str, ...]:
    """The metrics to analyse: ``"primary"`` -> the experiment's primary metric; unknown keys are dropped."""
    keys = [exp.primary_metric] if requested in ("primary", "", None) else list(requested)
    keys = [k for k in dict.fromkeys(keys) if k in REGISTRY]
    return tuple(keys) or (exp.primary_metric,)


def metric_options(unit: str, lang: Lang) -> list[tuple[str, str]]:
    """(label, key) of every registry metric measurable with ``unit`` as the unit."""
    return [(REGISTRY[k].label(lang), k) for k in measurable(unit)]  # type: ignore[arg-type]


class AbTestPage:
    """Controller of the experiment page.

    Parameters
    ----------
    experiment_id : experiment to show ("" = the URL's ``?experiment=`` or the first one with units).
    metrics : "primary" or a list of registry keys (the first decides the verdict).
    lang, data_dir, alpha : language, data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``), test level.
    mode : "interactive" (widgets) or "static" (papermill; SVG charts; a broken page raises).
    """

    def __init__(self, experiment_id: str = "", metrics: str | Sequence[str] = "primary", lang: Lang = "zh",
                 data_dir: str = "", alpha: float = 0.05, mode: str = "interactive") -> None:
        self.lang, self.mode, self.static = check_lang(lang), mode, mode == "static"
        charts.enable("static" if self.static else "interactive")
        self.error: BaseException | None = None
        self.message: str | None = None
        self.outputs: dict[str, Any] = {}
        self._turns = Turns()  # picker changes re-render section by section, newest first
        self.timings: dict[str, float] = {}
        self.analysis: an.Analysis | None = None
        self.options = an.Options(alpha=float(alpha))
        self.plan_metric, self.plan_effect, self.plan_power = "uv_value", 0.10, 0.8
        self.requested_metrics = metrics
        self._muted = False
        try:
            self.ds = load_dataset(data_dir)
            self.experiments = data.experiments_frame(self.ds)
            requested = page_query().get("experiment", "") or experiment_id
            known = self.experiments.experiment_id.tolist()
            if requested and requested not in known:
                if self.static:
                    data.load_experiment(self.ds, requested)  # raises UnknownExperimentError
                self.message = t("abtest_unknown_experiment", self.lang, eid=requested, known=", ".join(known))
                requested = ""
            if known:
                self._select(requested or self._default_experiment())
        except Exception as err:
            if self.static:
                raise
            self.error = err

    # ------------------------------------------------------------------ cells
    def controls(self) -> None:
        """Display the header: pickers (interactive) or the chosen experiment line (static)."""
        display(HTML(page_style()))
        if self.error is not None:
            display(HTML(friendly_error(self.error, self.lang)))
            return
        if self.message:
            display(HTML(note(self.message, "warn")))
        if self.experiments.empty:
            display(HTML(note(t("abtest_no_experiments", self.lang), "na")))
            return
        if self.ds.level == "aggregate":
            display(HTML(note(t("abtest_aggregate_only", self.lang), "info")))
        display(HTML(self._selection_html()) if self.static else self._pickers())

    def section(self, name: str) -> None:
        """Display one section; interactive sections are re-rendered in place on picker changes."""
        if self.error is not None or self.experiments.empty:
            return
        if self.static:
            show(self._items(name))
            return
        import ipywidgets as w

        out = w.Output()
        out.add_class(f"lo-abtest-{name}")
        self.outputs[name] = out
        extra = {"planner": self._planner_controls, "archive": self._archive_controls}.get(name)
        display(w.VBox([extra(), out]) if extra else out)
        self._render(name)

    # ------------------------------------------------------------------ state
    def set(self, **changes: Any) -> None:
        """Change experiment_id, control, treatments, metrics or any :class:`Options` field; re-render."""
        stale = [n for n in SECTIONS if n not in ("card", "planner", "archive")]
        if "experiment_id" in changes:  # a new experiment starts from its own primary metric
            self.requested_metrics = "primary"
            self._select(changes.pop("experiment_id"))
            stale = list(SECTIONS)
        elif "alpha" in changes:
            stale.append("planner")
        if "control" in changes:
            self.control = changes.pop("control")
        if "treatments" in changes:
            self.treatments = tuple(changes.pop("treatments"))
        if "metrics" in changes:
            keys = list(changes.pop("metrics")) or [self.exp.primary_metric]
            self.metrics = tuple(sorted(keys, key=lambda k: k != self.exp.primary_metric))
        self.treatments = tuple(v for v in self.treatments if v != self.control and v in self.exp.variants) \
            or tuple(v for v in self.exp.variants if v != self.control)
        if changes:
            self.options = an.Options(**{**self.options.__dict__, **changes})
        self.analysis = None
        self._rerender(stale)

    def set_plan(self, **changes: Any) -> None:
        """Change the planner's ``metric`` / ``effect`` / ``power``; re-renders the planner only."""
        for k, v in changes.items():
            setattr(self, f"plan_{k}", v)
        self._rerender(["planner"])

    def archive(self, decision: str, notes: str = "", author: str = "") -> str:
        """Archive the current verdict in the data folder's knowledge base; returns the record's file name."""
        record = build_record(self.result(), decision=decision, notes=notes, author=author)
        return save_record(self.ds.path, record_texts(record, self.lang)).name

    def result(self) -> an.Analysis:
        """The analysis of the current selection (computed once per change)."""
        if self.analysis is None:
            self.analysis = an.analyze(self.ds, self.exp.experiment_id, control=self.control,
                                       treatments=self.treatments, metrics=self.metrics, options=self.options)
        return self.analysis

    def _default_experiment(self) -> str:
        for eid in self.experiments.experiment_id:
            if sum(data.assignment_counts(self.ds, data.load_experiment(self.ds, eid)).values()):
                return eid
        return self.experiments.experiment_id.iloc[0]

    def _select(self, experiment_id: str) -> None:
        self.exp = data.load_experiment(self.ds, experiment_id)
        self.control, self.treatments = self.exp.control, self.exp.treatments
        self.metrics = pick_metrics(self.exp, self.requested_metrics)
        self.analysis = None

    # ------------------------------------------------------------------ sections
    def _build(self, name: str) -> list:
        lang, exp = self.lang, self.exp
        if name == "card":
            names = dict(zip(self.ds.session_info.room_id, self.ds.session_info.room_name, strict=True))
            return [vd.card_html(exp, names, lang)]
        if name == "planner":
            return [vd.planner_html(plan(self.ds, exp, self.plan_metric, effect=self.plan_effect,
                                            alpha=self.options.alpha, power=self.plan_power), lang)]
        if name == "archive":
            return [note(t("abtest_archive_interactive", lang), "info")] if self.static else []
        a = self.result()
        if name == "srm":
            return [note(vd.srm_text(a.srm, lang), "good" if a.srm.ok else "bad")]
        if name == "results" and not sum(a.srm.counts.values()):
            return [note(t("abtest_nothing_yet", lang), "na")]
        unavailable = [note(f"{REGISTRY[k].label(lang)}: {t('not_available', lang)} — {vd.reason_text(e, lang)}", "na")
                       for k, e in a.errors.items()]  # metrics that cannot be tested, and why
        if name == "results":
            return unavailable + [x for k in a.metrics if k not in a.errors for x in vd.results_html(a, k, lang)]
        if name == "verdict":
            return [note(v.text, v.kind) for v in vd.verdicts(a, lang)]
        ok = [c for c in a.comparisons if c.rel is not None]
        if not ok and unavailable:
            return unavailable
        if not ok:
            return [note(t("abtest_nothing_yet", lang), "na")]
        if name == "forest":
            return [abcharts.forest(forest_frame(a, lang), lang)]
        key = ok[0].metric
        if name == "time":
            df = over_time(self.ds, exp, key, self.control, self.treatments, self.options)
            kind = t("abtest_kind_cs" if self.options.sequential else "abtest_kind_ci", lang)
            return [abcharts.over_time(vd.time_frame(df, exp, lang), lang),
                    note(t("abtest_time_note", lang, metric=REGISTRY[key].label(lang),
                           level=vd.level_text(self.options.alpha), kind=kind), "info")]
        if name == "breakdown":
            items = []
            for by, title in (("room", "abtest_by_room"), ("segment", "abtest_by_segment")):
                items.append(f'<div class="lo" style="font-weight:600;margin-top:6px">{esc(t(title, lang))}</div>')
                try:
                    df = pd.concat([breakdown(self.ds, exp, key, self.control, tr, by, self.options)  # type: ignore
                                    .assign(treatment=tr) for tr in self.treatments])
                    items.append(breakdown_table(df, exp, key, by, lang, self.options.alpha))
                except MetricNotAvailableError as err:
                    items.append(note(f"{t('not_available', lang)}: {vd.reason_text(err, lang)}", "na"))
            return items
        raise KeyError(f"unknown section '{name}'; sections are: {', '.join(SECTIONS)}")

    def _items(self, name: str) -> list:
        started = time.perf_counter()
        try:
            items = self._build(name)
        except MetricNotAvailableError as err:
            items = [note(f"{t('not_available', self.lang)}: {vd.reason_text(err, self.lang)}", "na")]
        except Exception as err:
            if self.static and not isinstance(err, LiveOpsError):
                raise
            items = [friendly_error(err, self.lang)]
        self.timings[name] = time.perf_counter() - started
        return items

    def _render(self, name: str) -> None:
        show_in(self.outputs[name], self._items(name))

    def _rerender(self, names: list[str] | None = None) -> None:
        todo = [name for name in names or list(self.outputs) if name in self.outputs]
        self._turns.run([functools.partial(self._render, name) for name in todo])

    # ------------------------------------------------------------------ widgets
    def _selection_html(self) -> str:
        o = self.options
        test = " · ".join([t("abtest_sequential" if o.sequential else "abtest_fixed", self.lang),
                           t("abtest_two_sided" if o.alternative == "two-sided" else "abtest_one_sided", self.lang)]
                          + (["CUPED"] if o.cuped else []))
        line = t("abtest_selection", self.lang, eid=self.exp.experiment_id, control=self.control,
                 treatments=", ".join(self.treatments), metrics=", ".join(REGISTRY[k].label(self.lang) for k in self.metrics),
                 alpha=f"{o.alpha:g}", test=test)
        return f'<div class="lo" style="font-size:14px;font-weight:600;margin:6px 0">{esc(line)}</div>'

    def _pickers(self):
        import ipywidgets as w

        lang, o = self.lang, self.options
        st, lay = {"description_width": "110px"}, w.Layout(width="460px")
        self.w_exp = w.Dropdown(options=[(f"{r.experiment_id} · {r.name}", r.experiment_id)
                                         for r in self.experiments.itertuples()], value=self.exp.experiment_id,
                                description=t("abtest_pick_experiment", lang), style=st, layout=w.Layout(width="640px"))
        self.w_control = w.Dropdown(description=t("abtest_pick_control", lang), style=st, layout=lay)
        self.w_treat = w.SelectMultiple(description=t("abtest_pick_treatments", lang), rows=3, style=st, layout=lay)
        self.w_metrics = w.SelectMultiple(description=t("abtest_pick_metrics", lang), rows=6, style=st, layout=lay)
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
        return w.VBox([self.w_exp, w.HBox([w.VBox([self.w_control, self.w_treat, self.w_metrics]),
                                           w.VBox([alpha, corr, seq, sides, cuped])])])

    def _picked(self, field: str, value: Any) -> None:
        if field in ("experiment_id", "control"):
            if field == "experiment_id":
                self.requested_metrics = "primary"
                self._select(value)
            else:
                self.control = value
                self.treatments = tuple(v for v in self.treatments if v != value) \
                    or tuple(v for v in self.exp.variants if v != value)
            self._sync_pickers()  # new variants / metrics first, then one re-render
            self.set(**({"experiment_id": value} if field == "experiment_id" else {}))
        else:
            self.set(**{field: value})

    def _sync_pickers(self) -> None:
        self._muted = True
        try:
            self.w_control.options = list(self.exp.variants)
            self.w_control.value = self.control
            self.w_treat.options = [v for v in self.exp.variants if v != self.control]
            self.w_treat.value = tuple(self.treatments)
            opts = metric_options(self.exp.unit, self.lang)
            self.w_metrics.options = opts
            self.w_metrics.value = tuple(k for _, k in opts if k in self.metrics)
            if getattr(self, "w_plan_metric", None) is not None:
                keys = [k for _, k in opts]
                self.plan_metric = self.plan_metric if self.plan_metric in keys else "uv_value"
                self.w_plan_metric.options, self.w_plan_metric.value = opts, self.plan_metric
        finally:
            self._muted = False

    def _planner_controls(self):
        import ipywidgets as w

        lang, st = self.lang, {"description_width": "110px"}
        opts = metric_options(self.exp.unit, lang)
        metric = w.Dropdown(options=opts, value=self.plan_metric if self.plan_metric in dict(opts).values()
                            else self.exp.primary_metric, description=t("abtest_plan_metric", lang), style=st)
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

        lang = self.lang
        decision = w.Dropdown(options=[(t(f"abtest_decision_{d}", lang), d) for d in DECISIONS],
                              description=t("abtest_archive_decision", lang))
        notes = w.Textarea(description=t("abtest_archive_notes", lang), layout=w.Layout(width="640px"))
        author = w.Text(description=t("abtest_archive_author", lang))
        button = w.Button(description=t("abtest_archive_button", lang), button_style="primary", icon="")
        status = w.HTML()

        def click(_):
            try:
                status.value = note(t("abtest_archive_saved", lang, name=self.archive(decision.value, notes.value,
                                                                                       author.value)), "good")
            except Exception as err:  # shown, never a traceback
                status.value = friendly_error(err, lang)

        button.on_click(click)
        return w.VBox([w.HBox([decision, author]), notes, button, status])

