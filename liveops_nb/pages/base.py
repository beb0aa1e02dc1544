"""The skeleton every page controller shares (:class:`Page`).

A page controller sits behind the thin cells of one notebook::

    page = SomePage(..., data_dir=data_dir, lang=lang, mode=mode)   # opens the dataset, reads the URL query
    page.controls()                                                # language toggle and header (pickers), or one line when static
    page.section("name")                                           # one cell per section

Two modes. ``interactive`` (JupyterLab, Voila): every section lives in an
``ipywidgets.Output`` area (CSS class ``<area_class><name>``) whose content is
*set* as widget state (:mod:`liveops_nb.pages.outputs` says why); picker
callbacks change the page's state and call :meth:`Page._rerender`, which
refreshes the header and re-renders the areas one per turn of the kernel's
event loop (:class:`~liveops_nb.pages.outputs.Turns`). ``static`` (papermill,
batch): sections are displayed directly, charts become SVG, and any failure to
open the page raises (a batch run must fail loudly) instead of showing a
friendly message.

Language: ``lang`` is the notebook's parameter; a ``?lang=en`` (or ``zh``) in the URL wins. In
interactive mode :meth:`Page.controls` shows a 中文 / English toggle above the header; switching
(:meth:`Page.set_lang`) re-renders the header and every section in place and keeps the
selection (session, experiment, filters, options), since the selection is the page's state and
only the words change.

Opening, in order: the language is checked, the chart renderer chosen, the
dataset opened (:func:`~liveops_nb.pages.app.load_dataset`, then the
``_opened`` hook). In a pre-heated Voila kernel (the notebook runs before anyone
asks for the page) the ``_warm_up`` hook runs until the request arrives; then
the URL query is read (:func:`~liveops_nb.pages.app.page_query`, ``?<query_key>=`` and ``?lang=``),
the dataset re-opened if its files changed meanwhile, and ``_choose`` picks
what to show.

Subclasses set ``query_key``, ``area_class`` and the chart and dataset flags, and fill in
``_controls`` (the header's displayable items) and ``_build`` (a section's displayable items); the
other hooks have working defaults (``_relabel`` rebuilds widgets shown outside the header and the
section areas when the language changes). A page that reads no dataset (the A/B
archive: files of its own in the data folder) sets ``opens_dataset = False``;
``ds`` then stays None and ``_opened`` is still called.
"""
from __future__ import annotations

import functools
import time
from typing import Any, ClassVar

from IPython.display import HTML, display

from ..render.html import note, page_style
from ..render.i18n import Lang, check_lang, lang_of, t
from .app import friendly_error, listen_for_request, load_dataset, log, page_query, preheating, share_chart_module
from .outputs import Turns, outputs_of, show


class Page:
    """Base of the page controllers: dataset, language, URL query, friendly errors, section areas.

    Parameters
    ----------
    requested : what to show when the URL query names nothing (a session id, an experiment id, "").
    data_dir : data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en" (the URL's ``?lang=`` wins).
    mode : "interactive" (widgets) or "static" (papermill / batch: displayed directly, SVG charts).
    validate : run the data checks when opening the dataset (a batch driver that ran them once passes False).

    Attributes
    ----------
    ds : the opened dataset as the sections see it (``_opened`` may wrap it), None if opening failed.
    dataset : the opened :class:`liveops_nb.Dataset` itself (shared by every page of the kernel).
    lang : the language shown ("zh" or "en"; :meth:`set_lang` changes it).
    error : why the page could not open (interactive mode; shown by :meth:`controls`), else None.
    message : a warning shown above the header (e.g. an unknown id in the URL), else None.
    outputs : the Output area of each displayed section (interactive mode).
    header_area : the Output area of the header (interactive mode, once :meth:`controls` ran), else None.
    toggle : the 中文 / English toggle (interactive mode, once :meth:`controls` ran), else None.
    timings : seconds spent building each section's items, last time.
    """

    query_key: ClassVar[str] = ""
    """URL query parameter that names what to show (``session``, ``experiment``); "" = none."""
    area_class: ClassVar[str] = "lo-section-"
    """CSS class prefix of the section areas (the browser tests find sections by it)."""
    makes_charts: ClassVar[bool] = True
    """Choose the chart renderer (SVG when static, widgets when interactive) on opening."""
    shares_chart_module: ClassVar[bool] = False
    """In Voila, load the chart widgets' JavaScript once per page (:func:`~liveops_nb.pages.app.share_chart_module`)."""
    opens_dataset: ClassVar[bool] = True
    """Open the data folder's dataset (False: the page reads other files of the folder itself)."""

    def __init__(self, requested: str = "", *, data_dir: str = "", lang: Lang = "zh", mode: str = "interactive",
                 validate: bool = True) -> None:
        self.lang: Lang = check_lang(lang)
        self.mode = mode
        self.static = mode == "static"
        self.error: BaseException | None = None
        self._message: tuple[str, dict[str, Any]] | None = None  # text key and values: shown in the page's language
        self.header_area: Any = None  # re-rendered on a language change
        self.toggle: Any = None
        self.outputs: dict[str, Any] = {}
        self.timings: dict[str, float] = {}
        self.ds: Any = None
        self.dataset: Any = None
        self._turns = Turns()  # picker changes re-render area by area, the newest change first
        if self.makes_charts:
            from .. import charts

            charts.enable("static" if self.static else "interactive")
            if self.shares_chart_module and not self.static:
                share_chart_module()  # in Voila: the charts' JavaScript once per page, not once per chart
        try:
            self._open(data_dir, validate)
            query = self._await_request(data_dir, validate)
            self.lang = lang_of(query.get("lang"), self.lang)  # ?lang=en wins over the notebook's parameter
            self._choose((query.get(self.query_key, "") if self.query_key else "") or requested)
        except Exception as err:
            if self.static:  # a batch run must fail loudly
                raise
            self.error = err  # shown as a friendly message by controls()

    # ------------------------------------------------------------------ the message
    @property
    def message(self) -> str | None:
        """A warning shown above the header (e.g. an unknown id in the URL) in the page's language, else None."""
        if self._message is None:
            return None
        key, values = self._message
        return t(key, self.lang, **values)

    def _warn(self, key: str | None, **values: Any) -> None:
        """Set the warning above the header to text ``key`` with ``values`` (None: no warning)."""
        self._message = None if key is None else (key, values)

    # ------------------------------------------------------------------ cells
    def controls(self) -> None:
        """Display the page style, the language toggle (interactive) and the header.

        The header is a friendly error, or the warning message and the page's own header (pickers
        when interactive, one line when static). Interactive pages keep it in an Output area
        (CSS class ``lo-header``) re-rendered when the language changes.
        """
        display(HTML(page_style()))
        if self.static:
            show(self._header_items())
            return
        import ipywidgets as w

        from .pickers import language_toggle

        self.toggle = language_toggle(self.lang, self.set_lang)
        self.header_area = w.Output()
        self.header_area.add_class("lo-header")
        display(w.VBox([self.toggle, self.header_area]))
        self.header_area.outputs = outputs_of(self._header_items())

    def set_lang(self, lang: str) -> None:
        """Show the page in ``lang`` (the toggle's callback); the selection and options are kept.

        Re-renders the header and every displayed section in place.

        Raises
        ------
        UnknownOptionError
            ``lang`` is not "zh" or "en".
        """
        lang = check_lang(lang)
        if lang == self.lang:
            return
        self.lang = lang
        if self.toggle is not None and self.toggle.value != lang:
            self.toggle.value = lang  # called from code: the toggle shows it (its callback then returns at once)
        if self.error is None:
            self._relabel()
        if self.header_area is not None:
            self.header_area.outputs = outputs_of(self._header_items())
        self._rerender()

    def section(self, name: str) -> None:
        """Display section ``name``: directly when static, else in an Output area re-rendered in place."""
        if not self._ready():
            return
        if self.static:
            show(self._items(name))
            return
        import ipywidgets as w

        out = w.Output()
        out.add_class(f"{self.area_class}{name}")
        self.outputs[name] = out
        display(self._area(name, out))
        self._render(name)

    # ------------------------------------------------------------------ hooks
    def _opened(self) -> None:
        """Called after the dataset was (re-)opened: derive what the page needs from ``self.ds``."""

    def _warm_up(self) -> None:
        """Pre-heated Voila kernel only: work before the request arrives (stop once :func:`preheating` is False)."""

    def _choose(self, requested: str) -> None:
        """Pick what to show: ``requested`` is the URL query's value, else the constructor's (maybe "")."""

    def _controls(self) -> list:
        """The page's header items (pickers when interactive); the error and message are shown above them."""
        return []

    def _relabel(self) -> None:
        """The language changed: rebuild widgets shown outside the header and the section areas (default: none)."""

    def _ready(self) -> bool:
        """False when sections have nothing to show (the page could not open)."""
        return self.error is None

    def _area(self, name: str, out: Any) -> Any:
        """What :meth:`section` displays for ``name`` in interactive mode: the Output area, or a box around it."""
        return out

    def _build(self, name: str) -> list:
        """Displayable items of section ``name`` (HTML strings, charts, widgets, DataFrames)."""
        raise NotImplementedError

    def _failed(self, name: str, err: Exception) -> list:
        """Items shown instead of section ``name`` when building it raised ``err`` (default: a friendly error)."""
        return [friendly_error(err, self.lang)]

    def _outputs(self, name: str) -> tuple[dict[str, Any], ...]:
        """The output dicts of section ``name`` for its area (a subclass may reuse earlier ones)."""
        return outputs_of(self._items(name))

    def _refresh_header(self) -> None:
        """Bring the header up to date before the areas re-render (default: nothing to do)."""

    # ------------------------------------------------------------------ internals
    def _header_items(self) -> list:
        """A friendly error, or the warning message and :meth:`_controls`' items, in the page's language."""
        if self.error is not None:
            return [friendly_error(self.error, self.lang)]
        return ([note(self.message, "warn")] if self.message else []) + list(self._controls())

    def _open(self, data_dir: str, validate: bool) -> None:
        if self.opens_dataset:
            self.dataset = load_dataset(data_dir, validate)
            self.ds = self.dataset
        self._opened()

    def _await_request(self, data_dir: str, validate: bool) -> dict[str, str]:
        """The URL query; in a pre-heated kernel warm up first, and re-open data that changed meanwhile."""
        heated = preheating()
        if heated:  # nobody is waiting yet: do now what the request would otherwise wait for
            listen_for_request()  # ... and stop warming up as soon as somebody is
            try:
                self._warm_up()
            except Exception as err:  # noqa: BLE001 - warming is an optimisation; the page still works
                log.warning("warm-up failed: %r", err)
        query = page_query()  # pre-heated Voila kernel: waits here for the request
        if heated and self.opens_dataset and load_dataset(data_dir, validate) is not self.dataset:  # data changed
            self._open(data_dir, validate)
        return query

    def _items(self, name: str) -> list:
        started = time.perf_counter()
        try:
            items = self._build(name)
        except Exception as err:  # noqa: BLE001 - one failing section must not break the page
            items = self._failed(name, err)
        self.timings[name] = time.perf_counter() - started
        return items

    def _render(self, name: str) -> None:
        """Set the content of section ``name``'s area (one widget state update)."""
        self.outputs[name].outputs = self._outputs(name)

    def _rerender(self, names: list[str] | None = None) -> None:
        """Refresh the header, then re-render the displayed sections ``names`` (None = all) one per turn."""
        self._refresh_header()
        todo = [name for name in (list(self.outputs) if names is None else names) if name in self.outputs]
        self._turns.run([functools.partial(self._render, name) for name in todo])
