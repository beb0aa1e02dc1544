"""The session review page (下播复盘): one controller behind the notebook's thin cells.

In ``interactive`` mode (JupyterLab, Voila) every section lives in an
``ipywidgets.Output`` that is re-rendered in place when the session or
comparison picker changes — no kernel restart. In ``static`` mode (papermill
batch) sections are displayed directly and charts become SVG, so the exported
HTML opens with no network.
"""
from __future__ import annotations

import json

import time
from pathlib import Path
from typing import Any

from IPython.display import HTML, display

from .. import charts
from ..config import query_params
from ..i18n import Lang, check_lang, register, t
from ..review import build, section
from .app import friendly_error, load_dataset
from .html import esc, note, page_style

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
    """

    def __init__(self, session_id: str = "", data_dir: str = "", lang: Lang = "zh", basis: str = "median",
                 mode: str = "interactive", history_n: int = 10) -> None:
        self.lang = check_lang(lang)
        self.mode = mode
        self.basis = basis
        self.history_n = history_n
        self.error: BaseException | None = None
        self.message: str | None = None
        self.data: dict[str, Any] = {}
        self.timings: dict[str, float] = {}
        self.section_errors: list[str] = []
        static = mode == "static"
        charts.enable("static" if static else "interactive")
        try:
            self.ds = load_dataset(data_dir)
            info = self.ds.session_info
            # the picker shows GMV; a batch run (static) has no picker and skips that work
            self.sessions = None if static else self.ds.sessions(lang=self.lang)
        except Exception as err:
            if static:  # a batch run must fail loudly
                raise
            self.error, self.ds, self.sessions = err, None, None  # shown as a friendly message by controls()
            return
        requested = query_params().get("session", "") or session_id
        if requested and requested not in set(info.session_id):
            if static:
                self.ds.session(requested)  # raises UnknownSessionError with known ids
            self.message = t("unknown_session", self.lang, sid=requested)
            self.session_id = None
        else:
            self.session_id = requested or info.session_id.iloc[-1]
        self.outputs: dict[str, Any] = {}
        self._header = None

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
            for item in self._items(name):
                _show(item)
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
        for name in names or list(self.outputs):
            if name in self.outputs:
                self._render(name)

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
        try:
            mod = section(name)
            data = build(name, self.ds, self.session_id, lang=self.lang, basis=self.basis, history_n=self.history_n)
            self.data[name] = data
            items = mod.render(data, self.lang)
        except Exception as err:
            self.data[name] = None
            self.section_errors.append(name)
            items = [friendly_error(err, self.lang)]
        self.timings[name] = time.perf_counter() - started
        return items

    def _render(self, name: str) -> None:
        out = self.outputs[name]
        items = self._items(name)
        out.clear_output(wait=True)
        with out:
            for item in items:
                _show(item)


def _show(item: Any) -> None:
    if isinstance(item, str):
        display(HTML(item))
    else:
        display(item)


