"""The registry of review sections: one declared type, looked up by name.

Every section of a page is a :class:`Section` — a title, a ``build``
callable with one signature for all sections of the page, ``build(ds, key, options)``
(the key names what the page shows: a session id, an experiment id; ``options``
is the page's one frozen options object), a ``render(data, lang) -> list``
callable and optional ``key_figures(data) -> dict``. Each page keeps its
sections in a :class:`Registry` (an unknown name raises
:class:`~liveops_nb.errors.UnknownSectionError`); the A/B page's is in
:mod:`liveops_nb.pages.abtest_sections`.

The review's sections, built with :class:`ReviewOptions`, are registered here
with :func:`register` and found with :func:`get`; :data:`REVIEW` is the
review's order. The review page, the batch index and the tests of
``notebooks/01-session-review.ipynb`` read this registry.

The analyses in :mod:`liveops_nb.review` keep their own keyword signatures for
now; the thin adapters below (``_results``, ``_session_only``, ...) map the one
:class:`ReviewOptions` object onto them, passing exactly the options each
section declares in :attr:`Section.reads`.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from .. import alerts
from ..errors import LiveOpsError, UnknownSectionError
from ..render.i18n import Lang
from ..render.review import audience as audience_view
from ..render.review import diagnosis as diagnosis_view
from ..render.review import funnel as funnel_view
from ..render.review import interaction as interaction_view
from ..render.review import next_steps as next_steps_view
from ..render.review import products as products_view
from ..render.review import results as results_view
from ..render.review import timeline as timeline_view
from ..render.review import traffic as traffic_view
from ..review import audience, diagnosis, funnel, interaction, next_steps, products, results, timeline, traffic
from ..review.results import Basis

if TYPE_CHECKING:
    from ..dataset import Dataset


@dataclass(frozen=True)
class ReviewOptions:
    """What a review section may be asked to vary: one frozen (hashable) object for every section.

    Attributes
    ----------
    basis : comparison basis of the KPI cards and the weakest metrics: previous | median | benchmark | target.
    history_n : earlier sessions of the room in the median (and in the diagnosis' room history).

    Builds are language-neutral: the page's language is applied by each section's ``render``.
    """

    basis: Basis = "median"
    history_n: int = 10

    def only(self, names: frozenset[str]) -> tuple[Any, ...]:
        """The values of the fields in ``names`` (in declaration order): a cache key part."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.name in names)


OptionsT = TypeVar("OptionsT")
"""The options type of one page's sections (:class:`ReviewOptions`, the A/B page's ``AbOptions``)."""

Render = Callable[[Any, Lang], list]
KeyFigures = Callable[[Any], Mapping[str, Any]]


@dataclass(frozen=True)
class Section(Generic[OptionsT]):
    """One section of a page.

    Attributes
    ----------
    name : registry key, also the CSS class suffix of its page area (``lo-section-<name>``).
    title : ``(中文, English)`` heading.
    build : ``build(ds, key, options) -> data`` (an analysis result; no widgets, no HTML); ``key`` is what the
        page shows (the review's session id), ``options`` the page's options object.
    render : ``render(data, lang) -> list`` of displayable items (HTML strings, charts, DataFrames).
    key_figures : ``key_figures(data) -> dict`` of numbers for the batch JSON, or None.
    reads : the options fields ``build`` reads (a change of another
        field neither rebuilds nor re-renders the section).
    """

    name: str
    title: tuple[str, str]
    build: Callable[[Any, str, OptionsT], Any]
    render: Render
    key_figures: KeyFigures | None = None
    reads: frozenset[str] = frozenset()

    def heading(self, lang: Lang = "zh") -> str:
        """The title in ``lang``."""
        return self.title[0] if lang == "zh" else self.title[1]


class Registry(Generic[OptionsT]):
    """The sections of one page, by name, in registration order.

    Parameters
    ----------
    options : the page's options type (named in errors).
    reads : the names a section may list in :attr:`Section.reads` (default: the fields of ``options``).
    """

    def __init__(self, options: type, reads: Iterable[str] | None = None) -> None:
        self.options = options
        self.readable = frozenset(reads if reads is not None else (f.name for f in fields(options)))
        self.sections: dict[str, Section[OptionsT]] = {}

    def register(self, section: Section[OptionsT]) -> Section[OptionsT]:
        """Add ``section`` (a name registered again is replaced); returns it.

        Raises
        ------
        LiveOpsError
            The section reads an option the page's options do not have.
        """
        unknown = section.reads - self.readable
        if unknown:
            raise LiveOpsError(f"section '{section.name}' reads {sorted(unknown)}, "
                               f"which {self.options.__name__} does not have")
        self.sections[section.name] = section
        return section

    def get(self, name: str) -> Section[OptionsT]:
        """The registered section ``name``.

        Raises
        ------
        UnknownSectionError
            ``name`` is not registered (the message lists the registered names).
        """
        try:
            return self.sections[name]
        except KeyError:
            raise UnknownSectionError(name, list(self.sections)) from None

    def names(self) -> tuple[str, ...]:
        """Every registered section name, in registration order."""
        return tuple(self.sections)

    def reading(self, changed: Iterable[str], among: Iterable[str] | None = None) -> list[str]:
        """The sections (of ``among``, default all; in that order) whose build reads any of the ``changed`` options."""
        changed = frozenset(changed)
        return [name for name in (self.names() if among is None else among) if self.get(name).reads & changed]


_REVIEW_SECTIONS: Registry[ReviewOptions] = Registry(ReviewOptions)
_SECTIONS = _REVIEW_SECTIONS.sections


def register(section: Section[ReviewOptions]) -> Section[ReviewOptions]:
    """Add a review ``section`` to the registry (a name registered again is replaced); returns it."""
    return _REVIEW_SECTIONS.register(section)


def get(name: str) -> Section[ReviewOptions]:
    """The registered review section ``name``.

    Raises
    ------
    UnknownSectionError
        ``name`` is not registered (the message lists the registered names).
    """
    return _REVIEW_SECTIONS.get(name)


def names() -> tuple[str, ...]:
    """Every registered review section name, in registration order."""
    return _REVIEW_SECTIONS.names()


# ------------------------------------------------------------------ adapters onto today's analysis signatures
def _results(ds: Dataset, session_id: str, o: ReviewOptions) -> Any:
    return results.build(ds, session_id, basis=o.basis, history_n=o.history_n)


def _session_only(build: Callable[[Dataset, str], Any]) -> Callable[[Dataset, str, ReviewOptions], Any]:
    """Adapter for a section whose build reads no option: ``build(ds, session_id)``."""
    def adapted(ds: Dataset, session_id: str, o: ReviewOptions) -> Any:
        return build(ds, session_id)
    return adapted


def _timeline(ds: Dataset, session_id: str, o: ReviewOptions) -> Any:
    """The timeline with the session's post-hoc alerts (rules: the data folder's alert_rules.yaml or the defaults)."""
    data = timeline.build(ds, session_id)
    return dataclasses.replace(data, alerts=alerts.session_alerts(ds, session_id)) if data.minute is not None else data


def _diagnosis(ds: Dataset, session_id: str, o: ReviewOptions) -> Any:
    return diagnosis.build(ds, session_id, basis=o.basis, history_n=o.history_n)


def _next_steps(ds: Dataset, session_id: str, o: ReviewOptions) -> Any:
    return next_steps.build(ds, session_id, basis=o.basis, history_n=o.history_n)


_BASIS = frozenset({"basis", "history_n"})

REVIEW: tuple[str, ...] = tuple(register(s).name for s in (
    Section("results", results.TITLE, _results, results_view.render, results.key_figures, _BASIS),
    Section("timeline", timeline.TITLE, _timeline, timeline_view.render, timeline.key_figures),
    Section("traffic", traffic.TITLE, _session_only(traffic.build), traffic_view.render, traffic.key_figures),
    Section("funnel", funnel.TITLE, _session_only(funnel.build), funnel_view.render, funnel.key_figures),
    Section("products", products.TITLE, _session_only(products.build), products_view.render, products.key_figures),
    Section("interaction", interaction.TITLE, _session_only(interaction.build), interaction_view.render, interaction.key_figures),
    Section("audience", audience.TITLE, _session_only(audience.build), audience_view.render, audience.key_figures),
    Section("diagnosis", diagnosis.TITLE, _diagnosis, diagnosis_view.render, diagnosis.key_figures, _BASIS),
    Section("next_steps", next_steps.TITLE, _next_steps, next_steps_view.render, next_steps.key_figures, _BASIS),
))
"""The session review's sections, in the order of the review template (and of the notebook)."""
