"""The conclusions archive page (``notebooks/03-ab-archive.ipynb``): browse, filter and export the archive.

A :class:`~liveops_nb.pages.base.Page` with one section, ``table``, like the landing page.
``interactive`` mode: filter widgets (variable, room, metric, decision) and a table re-rendered
in place; ``static`` mode (papermill): the whole table. The page opens no dataset: records come
from the data folder's ``archive/`` through :mod:`liveops_nb.abtest.archive`, their words from
:mod:`liveops_nb.render.abtest_archive`.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from liveops_nb.abtest.archive import DECISIONS, filter_archive, read_records
from liveops_nb.config import resolve_data_dir
from liveops_nb.errors import LiveOpsError, UnknownSectionError
from liveops_nb.pages.base import Page
from liveops_nb.render.abtest import metric_label, variable_text
from liveops_nb.render.abtest_archive import (
    archive_frame,
    decision_text,
    display_frame,
    download_link,
    header,
    room_names_of,
)
from liveops_nb.render.html import note, table
from liveops_nb.render.i18n import Lang, t

SECTIONS = ("table",)


class ArchiveBrowser(Page):
    """Browse and filter the archive, and export it (interactive: filter widgets; static: the whole table).

    Cells: :meth:`controls` (the filters), then ``section("table")`` (the table and the CSV link).

    Parameters
    ----------
    data_dir : data folder whose ``archive/`` is shown ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en".
    mode : "interactive" (widgets) or "static" (papermill).
    """

    area_class = "lo-archive-"
    makes_charts = False
    opens_dataset = False  # the archive is files of its own; the folder need not hold a dataset

    def __init__(self, data_dir: str = "", lang: Lang = "zh", mode: str = "interactive") -> None:
        self.path = resolve_data_dir(data_dir)
        self.filters: dict[str, str] = {}
        super().__init__(data_dir=data_dir, lang=lang, mode=mode)

    def archive(self) -> pd.DataFrame:
        """The whole archive with its words in the page's language."""
        return archive_frame(self._records(), self.lang)

    def room_names(self) -> dict[str, str]:
        """Room id -> name, from the records (rooms are shown by name)."""
        return room_names_of(self._records())

    def _records(self) -> list[dict[str, Any]]:
        return list(read_records(self.path))

    def frame(self) -> pd.DataFrame:
        """The filtered archive."""
        return filter_archive(self.archive(), **self.filters)

    def set_filter(self, key: str, value: str) -> None:
        """Show only records whose ``key`` (variable, room, metric, decision) is ``value`` ("" = any); re-renders."""
        self.filters[key] = value
        self._rerender(["table"])

    def _controls(self) -> list:
        """The filters (interactive) -- variable, room, metric, decision -- and a refresh button."""
        if self.static:
            return []
        import ipywidgets as w

        df, lang, rooms_named = self.archive(), self.lang, self.room_names()
        any_ = [(t("abtest_arch_any", lang), "")]
        rooms = sorted({r for s in df.room_ids.dropna() for r in s.split(",") if r})
        spec = {"variable": sorted(df.variable.dropna().unique()), "room": rooms,
                "metric": sorted(df.metric.dropna().unique()), "decision": list(DECISIONS)}
        column = {"variable": "variable", "room": "room_ids", "metric": "metric_label", "decision": "decision"}
        boxes = []
        for key, values in spec.items():
            names = {"metric": lambda k: metric_label(k, lang), "decision": lambda d: decision_text(d, lang),
                     "variable": lambda v: variable_text(v, lang), "room": lambda r: rooms_named.get(r) or r}[key]
            options = any_ + [(names(v), v) for v in values]
            value = self.filters.get(key, "")  # the same filters in another language
            dd = w.Dropdown(options=options, value=value if value in {v for _, v in options} else "",
                            description=header(column[key], lang))
            dd.observe(lambda c, k=key: self.set_filter(k, c["new"]), names="value")
            boxes.append(dd)
        refresh = w.Button(description=t("abtest_arch_refresh", lang))
        refresh.on_click(lambda _: self._rerender(["table"]))
        return [w.VBox([w.HBox(boxes[:2]), w.HBox(boxes[2:]), refresh])]

    def _failed(self, name: str, err: Exception) -> list:
        if self.static and not isinstance(err, LiveOpsError):
            raise err  # a batch run fails loudly on a bug
        return super()._failed(name, err)

    def _build(self, name: str) -> list:
        if name not in SECTIONS:
            raise UnknownSectionError(name, SECTIONS)
        df = self.frame()
        if df.empty:
            return [note(t("abtest_arch_empty", self.lang), "na")]
        shown = display_frame(df, self.lang, self.room_names())
        return [note(t("abtest_arch_count", self.lang, n=len(df), k=df.experiment_id.nunique()), "info"),
                table(shown), download_link(df, self.lang)]
