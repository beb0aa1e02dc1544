"""The period review page (日/周/月复盘 · 工作总结与计划): one controller behind ``notebooks/04-period-review.ipynb``.

A :class:`~liveops_nb.pages.base.Page` whose sections are :data:`liveops_nb.pages.period_sections.PERIOD`.
Parameters (notebook cells, or the URL): granularity (day / week / month / quarter), period
(``2026-10-12``, ``2026-W41``, ``2026-10``, ``2026-Q4``; empty: the latest with sessions), rooms
(comma-separated ids; empty: all) and language. In Voila ``?period=2026-W41&rooms=R01,R02&lang=en`` opens
that view (the period's label sets the granularity). Interactive pages have the pickers (CSS classes
``lo-period-grain``, ``lo-period-pick``, ``lo-period-rooms``) and an export button; static pages (papermill,
``liveops batch --period``) show one header line. :meth:`PeriodPage.export` writes the self-contained HTML and
the workbook.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..period.frames import Scope, room_names, sessions_in
from ..period.periods import GRAINS, check_rooms, parse, periods_with_sessions, resolve
from ..render.html import esc, note
from ..render.i18n import Lang, t
from ..render.period import export
from . import period_sections as ps
from .app import friendly_error, page_query
from .base import Page
from .outputs import outputs_of

GRAIN_CHOICES: tuple[str, ...] = ("day", "week", "month", "quarter")


class PeriodPage(Page):
    """Controller of the period review notebook.

    Parameters
    ----------
    period : the period's label ("" = the URL's ``?period=`` or the latest period with sessions).
    granularity : day | week | month | quarter (a period label of another grain wins).
    rooms : comma-separated room ids ("" = all; the URL's ``?rooms=`` wins).
    data_dir, lang, mode, validate : as every page (:class:`~liveops_nb.pages.base.Page`).
    history_n : earlier periods in the room's history median.
    """

    query_key = "period"
    area_class = "lo-period-"
    shares_chart_module = True

    def __init__(self, period: str = "", granularity: str = "week", rooms: str = "", data_dir: str = "",
                 lang: Lang = "zh", mode: str = "interactive", history_n: int = 6, validate: bool = True) -> None:
        self.options = ps.PeriodOptions(granularity=granularity, history_n=int(history_n))
        self._rooms_text = rooms
        self.period: str | None = None
        self.data: dict[str, Any] = {}
        self.section_errors: list[str] = []
        self._built: dict[tuple, tuple[Any, list]] = {}
        self._header: Any = None
        self._muted = False
        super().__init__(period, data_dir=data_dir, lang=lang, mode=mode, validate=validate)

    # ------------------------------------------------------------------ page hooks
    def _opened(self) -> None:
        self._built.clear()

    def _choose(self, requested: str) -> None:
        query = page_query()
        rooms = check_rooms(self.ds, query.get("rooms") or self._rooms_text)
        grain = self.options.granularity
        if grain not in GRAINS:
            parse("2000-01-01", grain)  # raises PeriodError naming the granularities
        try:
            if requested:
                grain = parse(requested).grain
            self.options = replace(self.options, granularity=grain, rooms=rooms)
            self.period = resolve(self.ds, requested, grain, rooms).label
        except Exception:
            if self.static:
                raise
            self.options = replace(self.options, rooms=rooms)
            self.period = resolve(self.ds, "", self.options.granularity, rooms).label
            self._warn("period_unknown", period=requested)

    def _controls(self) -> list:
        if self.static:
            return [self._header_html()]
        import ipywidgets as w

        style = {"description_width": "initial"}
        self.grain_picker = w.Dropdown(options=[(t(f"period_grain_{g}", self.lang), g) for g in GRAIN_CHOICES],
                                       value=self.options.granularity, description=t("period_granularity", self.lang),
                                       style=style)
        self.grain_picker.add_class("lo-period-grain")
        self.period_picker = w.Dropdown(options=self._period_options(), value=self.period,
                                        description=t("period_period", self.lang), style=style)
        self.period_picker.add_class("lo-period-pick")
        names = room_names(self.ds)
        self.rooms_picker = w.SelectMultiple(options=[(names.get(r, r), r) for r in sorted(names)],
                                             value=tuple(self.options.rooms), rows=min(6, max(2, len(names))),
                                             description=t("period_rooms", self.lang), style=style)
        self.rooms_picker.add_class("lo-period-rooms")
        self.export_button = w.Button(description=t("period_export", self.lang), icon="download")
        self.export_button.add_class("lo-period-export")
        self.export_note = w.HTML("")
        self.grain_picker.observe(lambda c: self.set_granularity(c["new"]), names="value")
        self.period_picker.observe(lambda c: self.select(c["new"]), names="value")
        self.rooms_picker.observe(lambda c: self.set_rooms(c["new"]), names="value")
        self.export_button.on_click(lambda _: self._export_clicked())
        self._header = w.HTML(self._header_html())
        return [w.VBox([w.HBox([self.grain_picker, self.period_picker]), self.rooms_picker,
                        w.HBox([self.export_button, self.export_note]), self._header])]

    def _refresh_header(self) -> None:
        if self._header is not None:
            self._header.value = self._header_html()

    def _build(self, name: str) -> list:
        if not self.period:
            return [note(t("period_pick", self.lang), "info")]
        data, items = self._built_items(name)
        self.data[name] = data
        if data is None and name not in self.section_errors:
            self.section_errors.append(name)
        elif data is not None and name in self.section_errors:
            self.section_errors.remove(name)
        return items

    # ------------------------------------------------------------------ events
    def select(self, period: str) -> None:
        """Show another period of the same granularity (picker callback)."""
        if self._muted or not period or period == self.period:
            return
        self.period = period
        self._warn(None)
        self._rerender()

    def set_granularity(self, grain: str) -> None:
        """Switch to day / week / month / quarter: the latest period of that grain with sessions."""
        if self._muted or grain == self.options.granularity:
            return
        self.options = replace(self.options, granularity=grain)
        self.period = resolve(self.ds, "", grain, self.options.rooms).label
        self._sync_period_picker()
        self._rerender()

    def set_rooms(self, rooms: tuple[str, ...] | list[str]) -> None:
        """Look at other rooms (empty: all); the period is kept when those rooms have sessions in it."""
        rooms = check_rooms(self.ds, list(rooms))
        if rooms == self.options.rooms:
            return
        self.options = replace(self.options, rooms=rooms)
        known = [p.label for p in periods_with_sessions(self.ds, self.options.granularity, rooms)]
        if self.period not in known and known:
            self.period = known[-1]
        self._sync_period_picker()
        self._rerender()

    # ------------------------------------------------------------------ outputs
    def scope(self) -> Scope:
        """The period and rooms shown."""
        assert self.period is not None
        return ps.scope_of(self.period, self.options)

    def items(self, name: str) -> list:
        """Section ``name``'s displayable items (built once per period, options and language; its data kept)."""
        return self._build(name)

    def export(self, folder: str | Path = "", *, html: bool = True, xlsx: bool = True) -> list[Path]:
        """Write ``period-<label>.html`` (self-contained, SVG charts) and ``period-<label>.xlsx`` (one sheet per
        section) into ``folder`` ("" = nothing is written); returns the files written."""
        if not folder or not self.period:
            return []
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        stem = f"period-{self.period}" + (f"-{'_'.join(self.options.rooms)}" if self.options.rooms else "")
        written = []
        if html:
            sections = [(ps.PERIOD_SECTIONS.get(n).heading(self.lang), self.items(n)) for n in ps.PERIOD]
            text = export.to_html(t("period_doc_title", self.lang), self._header_line(), sections, self.lang)
            (out / f"{stem}.html").write_text(text, encoding="utf-8")
            written.append(out / f"{stem}.html")
        if xlsx:
            sheets = {}
            for n in ps.PERIOD:
                data = self._built_items(n)[0]
                if data is not None:
                    sheets[ps.PERIOD_SECTIONS.get(n).heading(self.lang)] = ps.SHEETS[n](data, self.lang)
            written.append(export.to_xlsx(out / f"{stem}.xlsx", sheets))
        return written

    def save_key_figures(self, path: str = "") -> dict[str, Any]:
        """Key figures of every built section (and write them as JSON to ``path`` if given)."""
        figures: dict[str, Any] = {"period": self.period, "granularity": self.options.granularity,
                                   "rooms": list(self.options.rooms), "lang": self.lang,
                                   "section_errors": list(self.section_errors)}
        for name, data in self.data.items():
            kf = ps.PERIOD_SECTIONS.get(name).key_figures
            if data is not None and kf is not None:
                figures[name] = kf(data)
        if path:
            Path(path).write_text(json.dumps(figures, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        return figures

    # ------------------------------------------------------------------ internals
    def _period_options(self) -> list[str]:
        labels = [p.label for p in periods_with_sessions(self.ds, self.options.granularity, self.options.rooms)]
        return labels[::-1]

    def _sync_period_picker(self) -> None:
        picker = getattr(self, "period_picker", None)
        if picker is None:
            return
        self._muted = True
        try:
            picker.options = self._period_options()
            picker.value = self.period
        finally:
            self._muted = False

    def _export_clicked(self) -> None:
        try:
            files = self.export(Path(getattr(self.ds, "path", None) or ".") / "exports")
            self.export_note.value = esc(t("period_exported", self.lang, files=", ".join(str(f) for f in files)))
        except Exception as err:  # noqa: BLE001 - shown next to the button
            self.export_note.value = friendly_error(err, self.lang)

    def _header_line(self) -> str:
        scope = self.scope()
        names = room_names(self.ds)
        rooms = (", ".join(names.get(r, r) for r in scope.rooms) if scope.rooms else t("period_all_rooms", self.lang))
        p = scope.period
        return t("period_header", self.lang, period=p.label, first=f"{p.start:%Y-%m-%d}", last=f"{p.end:%Y-%m-%d}",
                 rooms=rooms, n=len(sessions_in(self.ds, scope)))

    def _header_html(self) -> str:
        if not self.period:
            return note(t("period_pick", self.lang), "info")
        return f'<div class="lo lo-period-header" style="font-size:15px;font-weight:600;margin:6px 0">{esc(self._header_line())}</div>'

    def _built_items(self, name: str) -> tuple[Any, list]:
        key = (name, self.period, self.options, self.lang)
        if key not in self._built:
            try:
                section = ps.PERIOD_SECTIONS.get(name)
                data = section.build(self.ds, str(self.period), self.options)
                self._built[key] = (data, section.render(data, self.lang))
            except Exception as err:  # noqa: BLE001 - shown in the section's place, listed in section_errors
                self._built[key] = (None, [friendly_error(err, self.lang)])
        return self._built[key]

    def _outputs(self, name: str) -> tuple[dict[str, Any], ...]:
        return outputs_of(self._items(name))
