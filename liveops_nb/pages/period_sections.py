"""The period review's sections: one :class:`~liveops_nb.pages.sections.Registry` of
:class:`~liveops_nb.pages.sections.Section` objects built with one :class:`PeriodOptions`.

Each section's ``build(ds, period_label, options)`` returns the analysis result of :mod:`liveops_nb.period`
(remembered in the dataset's cache per period, rooms and options, so sections that share a result — the
plan reads the results and the recurring problems — compute it once); ``render`` is in
:mod:`liveops_nb.render.period`, ``sheet(data, lang)`` gives the section's table for the workbook export.

Recurring problems are counted from the sources in :data:`PROBLEM_SOURCES` — each a function
``(ds, session_ids) -> {session_id: [codes]}``. The session diagnosis is the first;

ALERTS HOOK — the alerts package adds its fired alerts with one line (here, below the diagnosis source)::

    PROBLEM_SOURCES["alerts"] = alerts.codes_by_session   # (ds, session_ids) -> {session_id: [rule codes]}

and registers the words of its codes as ``alerts_code_<code>`` (the page shows the code itself otherwise).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import alerts
from ..period import bridge, cases, compare, goals, plan, slots, structure
from ..period.frames import Scope, room_names, sessions_in
from ..period.periods import parse
from ..period.structure import SUB_GRAIN
from ..render import alerts as _alert_words  # noqa: F401 - registers the alerts' words (alerts_code_<rule id>)
from ..render.i18n import Lang
from ..render.period import details, overview
from ..render.period.text import TITLES
from .sections import Registry, Section

if TYPE_CHECKING:
    from ..dataset import Dataset


@dataclass(frozen=True)
class PeriodOptions:
    """What the period review's sections vary with.

    Attributes
    ----------
    granularity : day | week | month | quarter.
    rooms : room ids (empty: every room).
    history_n : earlier periods in the room's history median.
    """

    granularity: str = "week"
    rooms: tuple[str, ...] = ()
    history_n: int = 6

    def only(self, names: frozenset[str]) -> tuple[Any, ...]:
        """The values of the fields in ``names`` (a cache key part)."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.name in names)


def scope_of(label: str, o: PeriodOptions) -> Scope:
    """The scope of period ``label`` with the options' rooms."""
    return Scope(parse(label, o.granularity), tuple(o.rooms))


def diagnosis_codes(ds: Dataset, session_ids: list[str]) -> dict[str, list[str]]:
    """The session diagnosis' finding codes of each session (each diagnosis is remembered per session)."""
    from ..review import diagnosis

    return {sid: [f.code for f in diagnosis.build(ds, sid).findings] for sid in session_ids}


ProblemSource = Callable[["Dataset", list[str]], Mapping[str, Iterable[str]]]
PROBLEM_SOURCES: dict[str, ProblemSource] = {"diagnosis": diagnosis_codes}
"""Source name -> problem codes per session, counted by the recurring-problems section."""
PROBLEM_SOURCES["alerts"] = alerts.codes_by_session  # ALERTS HOOK (words: render/alerts registers alerts_code_<rule>)


def _remember(ds: Dataset, name: str, label: str, o: PeriodOptions, make: Callable[[], Any]) -> Any:
    return ds.remember(("period", name, label, o.granularity, tuple(o.rooms), o.history_n), make)


def _goals(ds: Dataset, label: str, o: PeriodOptions) -> goals.GoalsData:
    return _remember(ds, "goals", label, o, lambda: goals.build(ds, scope_of(label, o), history_n=o.history_n))


def _bridge(ds: Dataset, label: str, o: PeriodOptions) -> bridge.BridgeData:
    return _remember(ds, "bridge", label, o, lambda: bridge.build(ds, scope_of(label, o), history_n=o.history_n))


def _cases(ds: Dataset, label: str, o: PeriodOptions) -> cases.CasesData:
    def make() -> cases.CasesData:
        data = cases.build(ds, scope_of(label, o))
        if data.table.empty:
            return data
        found = problem_codes(ds, data.table["session_id"].tolist())
        codes: list[Any] = [tuple(sorted(set(found.get(s, ())))) for s in data.table["session_id"]]
        table = data.table.assign(problems=codes)
        return replace(data, table=table)
    return _remember(ds, "cases", label, o, make)


def problem_codes(ds: Dataset, session_ids: list[str], source: str = "diagnosis") -> Mapping[str, Iterable[str]]:
    """Codes per session from one source of :data:`PROBLEM_SOURCES`."""
    return PROBLEM_SOURCES[source](ds, session_ids)


@dataclass(frozen=True)
class ProblemsData:
    """The recurring problems and the rooms' names (for rendering)."""

    recurring: cases.RecurringData
    names: dict[str, str]


def _problems(ds: Dataset, label: str, o: PeriodOptions) -> ProblemsData:
    def make() -> ProblemsData:
        scope = scope_of(label, o)
        sessions = sessions_in(ds, scope)
        ids = sessions["session_id"].tolist()
        found = {name: source(ds, ids) for name, source in PROBLEM_SOURCES.items()}
        step = SUB_GRAIN[scope.period.grain]
        return ProblemsData(cases.recurring(found, sessions, step=step), room_names(ds))
    return _remember(ds, "problems", label, o, make)


def _slots(ds: Dataset, label: str, o: PeriodOptions) -> slots.SlotsData:
    return _remember(ds, "slots", label, o, lambda: slots.build(ds, scope_of(label, o)))


def _compare(ds: Dataset, label: str, o: PeriodOptions) -> compare.CompareData:
    return _remember(ds, "compare", label, o, lambda: compare.build(ds, scope_of(label, o)))


def _products(ds: Dataset, label: str, o: PeriodOptions) -> structure.ProductsData:
    return _remember(ds, "products", label, o, lambda: structure.products(ds, scope_of(label, o)))


def _channels(ds: Dataset, label: str, o: PeriodOptions) -> structure.ChannelsData:
    return _remember(ds, "channels", label, o, lambda: structure.channels(ds, scope_of(label, o)))


@dataclass(frozen=True)
class PlanSection:
    """The plan and the recurring problems its suggested tests draw on."""

    plan: plan.PlanData
    recurring: pd.DataFrame


def _plan(ds: Dataset, label: str, o: PeriodOptions) -> PlanSection:
    def make() -> PlanSection:
        p = plan.build(ds, scope_of(label, o), _goals(ds, label, o))
        return PlanSection(p, _problems(ds, label, o).recurring.table)
    return _remember(ds, "plan", label, o, make)


def _render_problems(data: ProblemsData, lang: Lang) -> list:
    return details.render_problems(data.recurring, lang, data.names)


def _render_plan(data: PlanSection, lang: Lang) -> list:
    return overview.render_plan(data.plan, overview.suggested_tests(data.plan, data.recurring, lang), lang)


SHEETS: dict[str, Callable[[Any, Lang], pd.DataFrame]] = {
    "results": overview.results_sheet, "bridge": overview.bridge_sheet, "cases": details.cases_sheet,
    "problems": lambda d, lang: details.problems_sheet(d.recurring, lang, d.names), "slots": details.slots_sheet,
    "compare": details.compare_sheet, "products": details.products_sheet, "channels": details.channels_sheet,
    "plan": lambda d, lang: overview.plan_sheet(d.plan, lang)}
"""Section name -> its table for the workbook (one sheet per section)."""

PERIOD_SECTIONS: Registry[PeriodOptions] = Registry(PeriodOptions)
_ALL = frozenset({"granularity", "rooms", "history_n"})
PERIOD: tuple[str, ...] = tuple(PERIOD_SECTIONS.register(s).name for s in (
    Section("results", TITLES["results"], _goals, overview.render_results, goals.key_figures, _ALL),
    Section("bridge", TITLES["bridge"], _bridge, overview.render_bridge, bridge.key_figures, _ALL),
    Section("cases", TITLES["cases"], _cases, details.render_cases, cases.key_figures, _ALL),
    Section("problems", TITLES["problems"], _problems, _render_problems,
            lambda d: cases.recurring_key_figures(d.recurring), _ALL),
    Section("slots", TITLES["slots"], _slots, details.render_slots, slots.key_figures, _ALL),
    Section("compare", TITLES["compare"], _compare, details.render_compare, compare.key_figures, _ALL),
    Section("products", TITLES["products"], _products, details.render_products, structure.products_key_figures, _ALL),
    Section("channels", TITLES["channels"], _channels, details.render_channels, structure.channels_key_figures, _ALL),
    Section("plan", TITLES["plan"], _plan, _render_plan, lambda d: plan.key_figures(d.plan), _ALL),
))
"""The period review's sections, in the notebook's order."""
