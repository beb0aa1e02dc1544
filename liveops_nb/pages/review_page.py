"""The session review page (下播复盘): one controller behind the notebook's thin cells.

A :class:`~liveops_nb.pages.base.Page`; its sections are the registry's
(:data:`liveops_nb.pages.sections.REVIEW`), each built with one
:class:`~liveops_nb.pages.sections.ReviewOptions` object.

In ``interactive`` mode (JupyterLab, Voila) every section lives in an
``ipywidgets.Output`` that is re-rendered in place when the session or
comparison picker changes — no kernel restart; its content is set as widget
state, never captured (:mod:`liveops_nb.pages.outputs` says why). In ``static`` mode (papermill
batch) sections are displayed directly and charts become SVG, so the exported
HTML opens with no network.

Speed: the dataset remembers what it computed (a session's minute table, KPIs, ... are
computed once, whichever sections ask; :class:`~liveops_nb.engine.cache.ResultCache`) and
the page keeps every built section per session, so switching back is
instant. In Voila the charts' JavaScript is loaded once per page
(:func:`~liveops_nb.pages.app.share_chart_module`). Voila pre-heats a kernel for
this page (``voila.json``: the notebook runs before anyone asks); the constructor then does the heavy
work before the request arrives — imports, the keyword dictionary, every
session's KPIs, the minute table of all sessions and the latest session's nine
sections, stopping as soon as the request is in — and only then reads
``?session=`` (``voila.utils.get_query_string``). JupyterLab and papermill never wait.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

if "jsonschema" not in sys.modules:
    # jsonschema imports rfc3987_syntax, when installed, for the "iri" formats — which the
    # Vega-Lite schema never uses; building that module's grammar costs 1.5-3.5 s in every kernel.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from ..render.html import esc, note  # noqa: E402
from ..render.i18n import Lang, register, t  # noqa: E402
from ..render.metrics import kpi_table  # noqa: E402
from . import sections  # noqa: E402
from .app import friendly_error, preheating  # noqa: E402
from .base import Page  # noqa: E402
from .outputs import outputs_of  # noqa: E402
from .sections import ReviewOptions  # noqa: E402

register({
    "review_pick": ("请选择一个场次。", "Pick a session."),
    "review_header": ("{room} · {host} · {start} – {end} · {title}", "{room} · {host} · {start} – {end} · {title}"),
    "review_level_aggregate": ("数据源只有平台汇总表：依赖观众明细的指标将标注为“此数据源无法提供”。",
                               "This dataset has platform aggregates only: metrics that need viewer-level data "
                               "say so."),
})


class ReviewPage(Page):
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

    query_key = "session"
    area_class = "lo-section-"
    shares_chart_module = True

    def __init__(self, session_id: str = "", data_dir: str = "", lang: Lang = "zh", basis: str = "median",
                 mode: str = "interactive", history_n: int = 10, validate: bool = True) -> None:
        self.options = ReviewOptions(basis=basis, history_n=history_n)  # type: ignore[arg-type]
        self.data: dict[str, Any] = {}
        self.section_errors: list[str] = []
        self.session_id: str | None = None
        self.sessions: pd.DataFrame | None = None  # the picker's sessions (interactive pages only)
        self._header = None
        self._built: dict[tuple, tuple[Any, list]] = {}
        self._shown: dict[tuple, tuple] = {}  # the outputs of each shown (section, session, options): reused
        super().__init__(session_id, data_dir=data_dir, lang=lang, mode=mode, validate=validate)

    @property
    def basis(self) -> str:
        return self.options.basis

    @property
    def history_n(self) -> int:
        return self.options.history_n

    # ------------------------------------------------------------------ page hooks
    def _opened(self) -> None:
        self._built.clear()
        self._shown.clear()
        # the picker shows GMV; a batch run (static) has no picker and skips that work
        self.sessions = None if self.static else self.ds.sessions()

    def _choose(self, requested: str) -> None:
        info = self.ds.session_info
        if requested and requested not in set(info.session_id):
            if self.static:
                self.ds.session(requested)  # raises UnknownSessionError with known ids
            self._warn("unknown_session", sid=requested)
        else:
            self.session_id = requested or info.session_id.iloc[-1]

    def _warm_up(self) -> None:
        """Work done before the request in a pre-heated kernel, most useful first; stops once the request is in."""
        from .. import comments
        from ..review import products, timeline, traffic

        latest = self.ds.session_info.session_id.iloc[-1]
        steps = [self._import_all,
                 lambda: comments.top_phrases(["直播间"], n=1),  # loads the keyword dictionary and tagger
                 self.ds.kpis,  # every KPI of every session: later session_kpis() read no data
                 lambda: self.ds.preload("minute_stats"),  # any session's minute rows without a query
                 # every session's per-minute registry numbers: the timeline of any session reads no data
                 lambda: self.ds.kpis(list(timeline.MINUTE_KPIS), by=["session_id", "minute"])]
        # the likely first page: the latest session's sections
        steps += [lambda name=name: self._built_items(name, latest) for name in sections.REVIEW]
        # then every session's numbers at the sections' grains: a page opened with ?session= reads no data
        steps += [lambda: self.ds.kpis(list(traffic.CHANNEL_KEYS), by=["session_id", "channel"]),
                  lambda: self.ds.kpis(list(traffic.CHANNEL_KEYS), by=["session_id", "channel_group"]),
                  lambda: self.ds.kpis(list(products.KPI_KEYS), by=["session_id", "product_id"]),
                  lambda: self.ds.bases(list(products.BASE_COLUMNS), by=["session_id", "product_id"])]
        for step in steps:
            if not preheating():
                return
            step()

    @staticmethod
    def _import_all() -> None:
        """Import what rendering the review needs (widgets, pickers, the sections' chart modules)."""
        import ipywidgets  # noqa: F401

        from ..charts import audience, funnel, interaction, products, results, timeline, traffic  # noqa: F401
        from . import pickers  # noqa: F401

    def _controls(self) -> list:
        """The pickers (interactive) or the session line (static); a language change builds them anew."""
        if self.static:
            return [self._header_html()]
        import ipywidgets as w

        from .pickers import SessionPicker, basis_picker

        assert self.sessions is not None  # loaded on opening in interactive mode
        before = getattr(self, "picker", None)
        self.picker = SessionPicker(self.sessions, self.lang, self.session_id, on_change=self.select)
        if before is not None:  # the same page in another language: the filters stay as they were
            self.picker.keep_filters(before)
        self.basis_widget = basis_picker(self.basis, self.lang)
        self.basis_widget.observe(lambda c: self.set_basis(c["new"]), names="value")
        self._header = w.HTML(self._header_html())
        level = [note(t("review_level_aggregate", self.lang), "info")] if self.ds.level == "aggregate" else []
        return [*level, w.VBox([self.picker.widget, self.basis_widget, self._header])]

    def _refresh_header(self) -> None:
        self._reset_export()
        if self._header is not None:
            self._header.value = self._header_html()

    def _build(self, name: str) -> list:
        if not self.session_id:
            return [note(t("review_pick", self.lang), "info")]
        data, items = self._built_items(name, self.session_id)
        self.data[name] = data
        if data is None:
            if name not in self.section_errors:
                self.section_errors.append(name)
        elif name in self.section_errors:
            self.section_errors.remove(name)
        return items

    def _outputs(self, name: str) -> tuple[dict[str, Any], ...]:
        """Section ``name`` of the current session; its outputs (and chart widgets) are made once."""
        items = self._items(name)
        key = self._key(name, self.session_id)
        if key not in self._shown:
            self._shown[key] = outputs_of(items)
        return self._shown[key]

    # ------------------------------------------------------------------ cells
    def save_key_figures(self, path: str = "") -> dict[str, Any]:
        """Key figures of every rendered section (and write them as JSON to ``path`` if given)."""
        figures: dict[str, Any] = {"session_id": self.session_id, "lang": self.lang,
                                   "section_errors": list(self.section_errors)}
        if self.session_id:
            kpis = kpi_table(self.ds.session_kpis(self.session_id), self.lang)
            figures["kpis"] = {k: (None if v != v else v) for k, v in zip(kpis.key, kpis.value, strict=True)}
        for name, data in self.data.items():
            if data is None:
                continue
            key_figures = sections.get(name).key_figures
            if key_figures is not None:
                figures[name] = key_figures(data)
        if path:
            Path(path).write_text(json.dumps(figures, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return figures

    def workbook_bytes(self) -> bytes:
        """The current session's review as an Excel workbook (复盘表): one sheet per section, in the page's language."""
        from ..render.review.workbook import workbook_bytes

        assert self.session_id  # callers check
        built = {name: self._built_items(name, self.session_id)[0] for name in sections.REVIEW}
        return workbook_bytes(built, self.lang, self._workbook_title())

    def save_workbook(self, path: str | Path) -> Path:
        """Write the current session's workbook (:meth:`workbook_bytes`) at ``path`` atomically; returns the path."""
        from ..io.atomic import write_atomic

        return write_atomic(Path(path), self.workbook_bytes())

    def export(self, path: str = "") -> None:
        """Cell: the review as an Excel workbook (复盘表).

        Static (batch): written to ``path`` when given, with a link to it (the file sits beside the HTML).
        Interactive (Voila, JupyterLab): a button that builds the workbook of the session shown and offers it
        as a download.
        """
        from IPython.display import HTML, display

        from ..render.review import workbook  # noqa: F401  (registers the export's words)

        if not self._ready() or not self.session_id:
            return
        if self.static:
            if path:
                written = self.save_workbook(path)
                display(HTML(self._workbook_link(written.name)))
            return
        import ipywidgets as w

        self._export_button = w.Button(description=t("wb_build", self.lang), icon="file-excel-o",
                                       layout=w.Layout(width="auto"))
        self._export_link = w.HTML("")
        self._export_button.on_click(lambda _b: self._offer_workbook())
        box = w.VBox([self._export_button, self._export_link])
        box.add_class("lo-export")
        display(box)

    def _offer_workbook(self) -> None:
        """Build the workbook of the session shown and put a download link (a data: URL) under the button."""
        import base64

        from ..render.review.workbook import MIME

        data = base64.b64encode(self.workbook_bytes()).decode("ascii")
        self._export_link.value = self._workbook_link(f"data:{MIME};base64,{data}", self._workbook_file_name())

    def _workbook_link(self, href: str, download: str = "") -> str:
        name = esc(download or href)
        return (f'<div class="lo" style="margin:8px 0"><a href="{esc(href)}" download="{name}" '
                f'style="font-weight:600">⬇ {esc(t("wb_download", self.lang))}</a> '
                f'<span style="color:#8c8c8c">{esc(download or href)}</span></div>')

    def _workbook_title(self) -> str:
        s = self.ds.session(self.session_id)
        return t("wb_title", self.lang, room=s.room_name, start=f"{s.start_time:%Y-%m-%d %H:%M}")

    def _workbook_file_name(self) -> str:
        s = self.ds.session(self.session_id)
        stem = "复盘表" if self.lang == "zh" else "review"
        return f"{stem}-{s.room_name}-{s.start_time:%Y%m%d-%H%M}.xlsx"

    def _reset_export(self) -> None:
        """The session or language changed: an earlier download link no longer fits."""
        if getattr(self, "_export_link", None) is not None:
            self._export_link.value = ""
            self._export_button.description = t("wb_build", self.lang)

    # ------------------------------------------------------------------ events
    def select(self, session_id: str) -> None:
        """Show another session (picker callback); re-renders every displayed section."""
        self._reset_export()
        self.session_id = session_id
        self._warn(None)
        self._rerender()

    def set_basis(self, basis: str) -> None:
        """Compare with another basis (picker callback); re-renders the sections that read it."""
        self.options = replace(self.options, basis=basis)  # type: ignore[arg-type]
        self._rerender([name for name in sections.REVIEW if "basis" in sections.get(name).reads])

    # ------------------------------------------------------------------ internals
    def _header_html(self) -> str:
        if not self.session_id:
            return note(t("review_pick", self.lang), "info")
        s = self.ds.session(self.session_id)
        line = t("review_header", self.lang, room=s.room_name, host=s.host, start=f"{s.start_time:%Y-%m-%d %H:%M}",
                 end=f"{s.end_time:%H:%M}", title=s.get("title") or "")
        return f'<div class="lo" style="font-size:15px;font-weight:600;margin:6px 0">{esc(line)}</div>'

    def _key(self, name: str, session_id: str | None) -> tuple:
        """Cache key of a built section: its name, the session and the options its build reads."""
        reads = sections.get(name).reads if name in sections.names() else frozenset()
        return (name, session_id, self.lang, self.options.only(reads))

    def _built_items(self, name: str, session_id: str) -> tuple[Any, list]:
        """Section data and displayable items for one session, built once per page and options it reads."""
        key = self._key(name, session_id)
        if key not in self._built:
            try:
                section = sections.get(name)
                data = section.build(self.ds, session_id, self.options)
                self._built[key] = (data, section.render(data, self.lang))
            except Exception as err:  # noqa: BLE001 - shown in the section's place, listed in section_errors
                self._built[key] = (None, [friendly_error(err, self.lang)])
        return self._built[key]
