"""The session review page (下播复盘): one controller behind the notebook's thin cells.

In ``interactive`` mode (JupyterLab, Voila) every section lives in an
``ipywidgets.Output`` that is re-rendered in place when the session or
comparison picker changes — no kernel restart; its content is set as widget
state, never captured (:mod:`liveops_nb.pages.outputs` says why). In ``static`` mode (papermill
batch) sections are displayed directly and charts become SVG, so the exported
HTML opens with no network.

Speed: the page asks the dataset through a :class:`~liveops_nb.pages.app.DatasetMemo`
(a session's minute table, KPIs, ... are computed once per page, whichever
sections ask) and keeps every built section per session, so switching back is
instant. In Voila the charts' JavaScript is loaded once per page
(:func:`~liveops_nb.pages.app.share_chart_module`). Voila pre-heats a kernel for
this page (``voila.json``: the notebook runs before anyone asks); the constructor then does the heavy
work before the request arrives — imports, the keyword dictionary, every
session's KPIs, the minute table of all sessions and the latest session's nine
sections, stopping as soon as the request is in — and only then reads
``?session=`` (``voila.utils.get_query_string``). JupyterLab and papermill never wait.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

if "jsonschema" not in sys.modules:
    # jsonschema imports rfc3987_syntax, when installed, for the "iri" formats — which the
    # Vega-Lite schema never uses; building that module's grammar costs 1.5-3.5 s in every kernel.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

from .. import charts  # noqa: E402
from ..render.i18n import Lang, check_lang, register, t  # noqa: E402
from ..review import SECTIONS, build, section  # noqa: E402
from .app import (DatasetMemo, friendly_error, listen_for_request, load_dataset, log, page_query,  # noqa: E402
                  preheating, share_chart_module)
from ..render.html import esc, note, page_style  # noqa: E402
from .outputs import Turns, outputs_of, show  # noqa: E402

register({
    "review_title": ("下播复盘", "Session review"),
    "review_pick": ("请选择一个场次。", "Pick a session."),
    "review_loading": ("加载中…", "Loading…"),
    "review_header": ("{room} · {host} · {start} – {end} · {title}", "{room} · {host} · {start} – {end} · {title}"),
    "review_level_aggregate": ("数据源只有平台汇总表：依赖观众明细的指标将标注为“此数据源无法提供”。",
                               "This dataset has platform aggregates only: metrics that need viewer-level data say so."),
})


class ReviewPage:
    """Controller of the session review notebook.

    Parameters
    ----------
    session_id : session to show ("" = the URL's ``?session=`` or the latest session).
    data_dir : data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en".
    basis : comparison basis of the KPI cards: previous | median | benchmark | target.
    mode : "interactive" (widgets) or "static" (batch; SVG charts).
    history_n : number of earlier sessions of the room for the median.
    validate : run the data checks when opening the dataset (the batch driver ran them once and passes False).
    """

    def __init__(self, session_id: str = "", data_dir: str = "", lang: Lang = "zh", basis: str = "median",
                 mode: str = "interactive", history_n: int = 10, validate: bool = True) -> None:
        self.lang = check_lang(lang)
        self.mode = mode
        self.basis = basis
        self.history_n = history_n
        self.error: BaseException | None = None
        self.message: str | None = None
        self.data: dict[str, Any] = {}
        self.timings: dict[str, float] = {}
        self.section_errors: list[str] = []
        self.outputs: dict[str, Any] = {}
        self._header = None
        self._built: dict[tuple, tuple[Any, list]] = {}
        self._shown: dict[tuple, tuple] = {}  # the outputs of each shown (section, session, ...): reused
        self._turns = Turns()
        self.session_id: str | None = None
        static = mode == "static"
        charts.enable("static" if static else "interactive")
        if not static:
            share_chart_module()  # in Voila: the charts' JavaScript once per page, not once per chart
        try:
            self._open(data_dir, validate)
            heated = preheating()
            if heated:  # nobody is waiting yet: do now what the request would otherwise wait for
                listen_for_request()  # ... and stop warming up as soon as somebody is
                try:
                    self._warm_up()
                except Exception as err:  # noqa: BLE001 - warming is an optimisation; the page still works
                    log.warning("warm-up failed: %r", err)
            query = page_query()  # pre-heated Voila kernel: waits here for the request
            if heated and load_dataset(data_dir, validate) is not self.ds.dataset:  # the data changed meanwhile
                self._open(data_dir, validate)
        except Exception as err:
            if static:  # a batch run must fail loudly
                raise
            self.error, self.ds, self.sessions = err, None, None  # shown as a friendly message by controls()
            return
        requested = query.get("session", "") or session_id
        info = self.ds.session_info
        if requested and requested not in set(info.session_id):
            if static:
                self.ds.session(requested)  # raises UnknownSessionError with known ids
            self.message = t("unknown_session", self.lang, sid=requested)
        else:
            self.session_id = requested or info.session_id.iloc[-1]

    def _open(self, data_dir: str, validate: bool) -> None:
        self.ds = DatasetMemo(load_dataset(data_dir, validate))
        self._built.clear()
        self._shown.clear()
        # the picker shows GMV; a batch run (static) has no picker and skips that work
        self.sessions = None if self.mode == "static" else self.ds.sessions(lang=self.lang)

    def _warm_up(self) -> None:
        """Work done before the request in a pre-heated kernel, most useful first; stops once the request is in."""
        from .. import comments

        latest = self.ds.session_info.session_id.iloc[-1]
        steps = [self._import_all,
                 lambda: comments.top_keywords(["直播间"], n=1),  # loads the keyword dictionary
                 self.ds.dataset.kpis,  # every KPI of every session: later session_kpis() read no data
                 lambda: self.ds.preload("minute_stats")]  # any session's minute rows without a query
        steps += [lambda name=name: self._built_items(name, latest) for name in SECTIONS]  # the likely first page
        for step in steps:
            if not preheating():
                return
            step()

    @staticmethod
    def _import_all() -> None:
        import ipywidgets  # noqa: F401

        from . import pickers  # noqa: F401

        for name in SECTIONS:
            section(name)
            if importlib.util.find_spec(f"liveops_nb.charts.{name}") is not None:
                importlib.import_module(f"liveops_nb.charts.{name}")

    # ------------------------------------------------------------------ cells
    def controls(self) -> None:
        """Display the page header: pickers (interactive) or the session line (static)."""
        display(HTML(page_style()))
        if self.error is not None:
            display(HTML(friendly_error(self.error, self.lang)))
            return
        if self.message:
            display(HTML(note(self.message, "warn")))
        if self.mode == "static":
            display(HTML(self._header_html()))
            return
        import ipywidgets as w

        from .pickers import SessionPicker, basis_picker

        self.picker = SessionPicker(self.sessions, self.lang, self.session_id, on_change=self.select)
        self.basis_widget = basis_picker(self.basis, self.lang)
        self.basis_widget.observe(lambda c: self.set_basis(c["new"]), names="value")
        self._header = w.HTML(self._header_html())
        if self.ds.level == "aggregate":
            display(HTML(note(t("review_level_aggregate", self.lang), "info")))
        display(w.VBox([self.picker.widget, self.basis_widget, self._header]))

    def section(self, name: str) -> None:
        """Display one review section (re-rendered in place on picker changes in interactive mode)."""
        if self.error is not None:
            return
        if self.mode == "static":
            show(self._items(name))
            return
        import ipywidgets as w

        out = w.Output()
        out.add_class(f"lo-section-{name}")
        self.outputs[name] = out
        display(out)
        self._render(name)

    def save_key_figures(self, path: str = "") -> dict[str, Any]:
        """Key figures of every rendered section (and write them as JSON to ``path`` if given)."""
        figures: dict[str, Any] = {"session_id": self.session_id, "lang": self.lang,
                                   "section_errors": list(self.section_errors)}
        if self.session_id:
            kpis = self.ds.session_kpis(self.session_id, self.lang)
            figures["kpis"] = {k: (None if v != v else v) for k, v in zip(kpis.key, kpis.value)}
        for name, data in self.data.items():
            if data is None:
                continue
            mod = section(name)
            if hasattr(mod, "key_figures"):
                figures[name] = mod.key_figures(data)
        if path:
            Path(path).write_text(json.dumps(figures, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return figures

    # ------------------------------------------------------------------ events
    def select(self, session_id: str) -> None:
        """Show another session (picker callback); re-renders every displayed section."""
        self.session_id = session_id
        self.message = None
        self._rerender()

    def set_basis(self, basis: str) -> None:
        self.basis = basis
        self._rerender(["results", "next_steps"])

    def _rerender(self, names: list[str] | None = None) -> None:
        if self._header is not None:
            self._header.value = self._header_html()
        todo = [name for name in names or list(self.outputs) if name in self.outputs]
        self._turns.run([lambda name=name: self._render(name) for name in todo])

    # ------------------------------------------------------------------ internals
    def _header_html(self) -> str:
        if not self.session_id:
            return note(t("review_pick", self.lang), "info")
        s = self.ds.session(self.session_id)
        line = t("review_header", self.lang, room=s.room_name, host=s.host, start=f"{s.start_time:%Y-%m-%d %H:%M}",
                 end=f"{s.end_time:%H:%M}", title=s.get("title") or "")
        return f'<div class="lo" style="font-size:15px;font-weight:600;margin:6px 0">{esc(line)}</div>'

    def _items(self, name: str) -> list:
        if not self.session_id:
            return [note(t("review_pick", self.lang), "info")]
        started = time.perf_counter()
        data, items = self._built_items(name, self.session_id)
        self.data[name] = data
        if data is None:
            if name not in self.section_errors:
                self.section_errors.append(name)
        elif name in self.section_errors:
            self.section_errors.remove(name)
        self.timings[name] = time.perf_counter() - started
        return items

    def _key(self, name: str, session_id: str | None) -> tuple:
        return (name, session_id, self.lang, self.basis, self.history_n)

    def _built_items(self, name: str, session_id: str) -> tuple[Any, list]:
        """Section data and displayable items for one session, built once per page and comparison basis."""
        key = self._key(name, session_id)
        if key not in self._built:
            try:
                data = build(name, self.ds, session_id, lang=self.lang, basis=self.basis, history_n=self.history_n)
                self._built[key] = (data, section(name).render(data, self.lang))
            except Exception as err:
                self._built[key] = (None, [friendly_error(err, self.lang)])
        return self._built[key]

    def _render(self, name: str) -> None:
        """Show section ``name`` of the current session; its outputs (and chart widgets) are made once."""
        items = self._items(name)
        key = self._key(name, self.session_id)
        if key not in self._shown:
            self._shown[key] = outputs_of(items)
        self.outputs[name].outputs = self._shown[key]


