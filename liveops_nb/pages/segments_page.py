"""The user-segment board page (用户分层看板, ``notebooks/06-segments.ipynb``): one controller behind thin cells.

A :class:`~liveops_nb.pages.base.Page` whose sections are :data:`liveops_nb.segments.SECTIONS`; each is
built by :func:`liveops_nb.segments.build` for the page's selection (as-of day, week or month, room)
and rendered by :mod:`liveops_nb.render.segments`. Interactive mode (JupyterLab, Voila): a date picker,
a week / month picker and a room picker re-render every section in place; static mode (papermill): the
sections are displayed directly with SVG charts. URL: ``?asof=2026-10-25&period=month&room=R01&lang=en``.
On aggregate-only data the sections that need viewer-level tables say "not available from this source".
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .. import segments
from ..errors import LiveOpsError, UnknownSectionError
from ..render.html import esc
from ..render.i18n import Lang, t
from ..render.segments import header_line, not_available, render, title
from ..segments import board, data
from .app import page_query
from .base import Page


class SegmentsPage(Page):
    """Controller of the segment board notebook.

    Parameters
    ----------
    as_of : the last day counted, e.g. ``"2026-10-25"`` ("" = the URL's ``?asof=`` or the last day with a session).
    granularity : ``"week"`` or ``"month"`` (the URL's ``?period=`` wins).
    room : a room id ("" = every room; the URL's ``?room=`` wins).
    data_dir : data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en" (the URL's ``?lang=`` wins).
    mode : "interactive" (widgets) or "static" (papermill; SVG charts).
    validate : run the data checks when opening the dataset.

    Attributes
    ----------
    sel : the board's :class:`~liveops_nb.segments.Selection` (None if the page could not open).
    """

    query_key = "asof"
    area_class = "lo-seg-"
    shares_chart_module = True

    def __init__(self, as_of: str = "", granularity: str = "week", room: str = "", data_dir: str = "",
                 lang: Lang = "zh", mode: str = "interactive", validate: bool = True) -> None:
        self.granularity = granularity
        self.room = room
        self.sel: board.Selection | None = None
        self.room_names: dict[str, str] = {}
        self._header: Any = None
        self._built: dict[tuple, list] = {}
        super().__init__(as_of, data_dir=data_dir, lang=lang, mode=mode, validate=validate)

    # ------------------------------------------------------------------ page hooks
    def _opened(self) -> None:
        self._built.clear()
        info = self.ds.session_info.drop_duplicates("room_id")
        self.room_names = dict(zip(info["room_id"].astype(str), info["room_name"].astype(str), strict=True))

    def _choose(self, requested: str) -> None:
        query = page_query()
        granularity = query.get("period") or self.granularity
        room = query.get("room", self.room)
        try:
            self.sel = segments.selection(self.ds, requested or None, granularity, room)
        except LiveOpsError as err:
            if self.static:
                raise
            self._warn("seg_bad_selection", msg=str(err))
            self.sel = segments.selection(self.ds)

    def _controls(self) -> list:
        """Pickers (interactive) or the header line (static); a language change builds them anew."""
        if self.static:
            return [self._header_html()]
        import ipywidgets as w

        assert self.sel is not None
        lang = self.lang
        as_of = w.DatePicker(value=self.sel.win.as_of.date(), description=t("seg_pick_as_of", lang))
        as_of.add_class("lo-seg-pick-asof")
        period = w.Dropdown(options=[(t(f"seg_period_{g}", lang).capitalize(), g) for g in ("week", "month")],
                            value=self.sel.win.granularity, description=t("seg_pick_period", lang))
        period.add_class("lo-seg-pick-period")
        rooms = [(t("seg_all_rooms", lang), "")] + [(name, rid) for rid, name in sorted(self.room_names.items())]
        room = w.Dropdown(options=rooms, value=self.sel.room, description=t("seg_pick_room", lang))
        room.add_class("lo-seg-pick-room")
        as_of.observe(lambda c: self.select(as_of=c["new"]), names="value")
        period.observe(lambda c: self.select(granularity=c["new"]), names="value")
        room.observe(lambda c: self.select(room=c["new"]), names="value")
        self._header = w.HTML(self._header_html())
        return [w.VBox([w.HBox([as_of, period, room]), self._header])]

    def _refresh_header(self) -> None:
        if self._header is not None:
            self._header.value = self._header_html()

    def _failed(self, name: str, err: Exception) -> list:
        if self.static and not isinstance(err, LiveOpsError):
            raise err  # a batch run fails loudly on a bug
        return super()._failed(name, err)

    def _build(self, name: str) -> list:
        if name not in board.SECTIONS:
            raise UnknownSectionError(name, board.SECTIONS)
        assert self.sel is not None
        key = (name, self.sel.key(), self.lang)
        if key not in self._built:
            reason = data.missing(self.ds) if name in board.VIEWER_LEVEL else None
            if reason is not None:
                self._built[key] = [not_available(name, reason.table, title(name, self.lang), self.lang)]
            else:
                self._built[key] = render(name, board.build(self.ds, name, self.sel), self.sel, self.lang)
        return self._built[key]

    # ------------------------------------------------------------------ events and cells
    def select(self, as_of: dt.date | str | None = None, granularity: str | None = None,
               room: str | None = None) -> None:
        """Show another as-of day, period or room (picker callbacks); re-renders every section."""
        assert self.sel is not None
        self.sel = segments.selection(
            self.ds, as_of if as_of is not None else self.sel.win.as_of,
            granularity or self.sel.win.granularity, self.sel.room if room is None else room, self.sel.rules)
        self._warn(None)
        self._rerender()

    def export_layer(self, layer: str, path: str | Path) -> Path:
        """Write layer ``layer``'s user ids (and RFM) for the page's selection to the CSV file ``path``."""
        assert self.sel is not None
        w = self.sel.win
        return segments.export_layer(self.ds, layer, path, as_of=w.as_of, granularity=w.granularity,
                                     room=self.sel.room, rules=self.sel.rules)

    # ------------------------------------------------------------------ internals
    def _header_html(self) -> str:
        assert self.sel is not None
        line = header_line(self.sel, self.room_names.get(self.sel.room, self.sel.room), self.lang)
        return (f'<div class="lo lo-seg-header" style="font-size:15px;font-weight:600;margin:6px 0">'
                f'{esc(t("seg_title", self.lang))} · {esc(line)}</div>')

