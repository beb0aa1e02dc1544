"""The conclusions archive page (``notebooks/03-ab-archive.ipynb``): browse, filter and export the archive.

``interactive`` mode: filter widgets (variable, room, metric, decision) and a table re-rendered
in place; ``static`` mode (papermill): the whole table. Records come from
:mod:`liveops_nb.abtest.archive`, their words from :mod:`liveops_nb.render.abtest_archive`.
"""
from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import HTML, display

from liveops_nb.abtest.archive import DECISIONS, filter_archive, read_records
from liveops_nb.config import resolve_data_dir
from liveops_nb.render.abtest import metric_label
from liveops_nb.render.abtest_archive import archive_frame, decision_text, display_frame, download_link, header
from liveops_nb.render.html import note, page_style, table
from liveops_nb.render.i18n import Lang, check_lang, t


class ArchiveBrowser:
    """Browse and filter the archive, and export it (interactive: filter widgets; static: the whole table).

    Parameters
    ----------
    data_dir : data folder whose ``archive/`` is shown ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en".
    mode : "interactive" (widgets) or "static" (papermill).
    """

    def __init__(self, data_dir: str = "", lang: Lang = "zh", mode: str = "interactive") -> None:
        self.lang, self.static = check_lang(lang), mode == "static"
        self.path = resolve_data_dir(data_dir)
        self.filters: dict[str, str] = {}
        self.out: Any = None

    def archive(self) -> pd.DataFrame:
        """The whole archive with its words in the page's language."""
        return archive_frame(read_records(self.path), self.lang)

    def frame(self) -> pd.DataFrame:
        """The filtered archive."""
        return filter_archive(self.archive(), **self.filters)

    def controls(self) -> None:
        """Display the filters (interactive) -- variable, room, metric, decision."""
        display(HTML(page_style()))
        if self.static:
            return
        import ipywidgets as w

        df, lang = self.archive(), self.lang
        any_ = [(t("abtest_arch_any", lang), "")]
        rooms = sorted({r for s in df.room_ids.dropna() for r in s.split(",") if r})
        spec = {"variable": sorted(df.variable.dropna().unique()), "room": rooms,
                "metric": sorted(df.metric.dropna().unique()), "decision": list(DECISIONS)}
        column = {"variable": "variable", "room": "room_ids", "metric": "metric_label", "decision": "decision"}
        boxes = []
        for key, values in spec.items():
            names = {"metric": lambda k: metric_label(k, lang),
                     "decision": lambda d: decision_text(d, lang)}.get(key, str)
            dd = w.Dropdown(options=any_ + [(names(v), v) for v in values], description=header(column[key], lang))
            dd.observe(lambda c, k=key: self._filter(k, c["new"]), names="value")
            boxes.append(dd)
        refresh = w.Button(description=t("abtest_arch_refresh", lang))
        refresh.on_click(lambda _: self._show())
        display(w.VBox([w.HBox(boxes[:2]), w.HBox(boxes[2:]), refresh]))

    def table(self) -> None:
        """Display the (filtered) archive table and the CSV download link; re-rendered when a filter changes."""
        if self.static:
            for item in self._items():
                display(item)
            return
        import ipywidgets as w

        self.out = w.Output()
        display(self.out)
        self._show()

    def _filter(self, key: str, value: str) -> None:
        self.filters[key] = value
        self._show()

    def _items(self) -> list:
        df = self.frame()
        if df.empty:
            return [HTML(note(t("abtest_arch_empty", self.lang), "na"))]
        shown = display_frame(df, self.lang)
        return [HTML(note(t("abtest_arch_count", self.lang, n=len(df), k=df.experiment_id.nunique()), "info")),
                HTML(table(shown)), HTML(download_link(df, self.lang))]

    def _show(self) -> None:
        from liveops_nb.pages.outputs import show_in

        show_in(self.out, self._items())
