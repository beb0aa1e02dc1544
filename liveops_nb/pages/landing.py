"""The landing page: each room's latest week with its trend, and every session — filtered, sorted,
grouped by week or room (or paged), with totals.

Numbers come from :mod:`liveops_nb.pages.landing_data` (every KPI through ``ds.kpis``), words
and HTML from :mod:`liveops_nb.render.landing`.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd

from ..errors import UnknownOptionError, UnknownSectionError
from ..metrics import REGISTRY
from ..render import landing as view
from ..render.fmt import fmt_value
from ..render.html import note
from ..render.i18n import Lang, t
from . import landing_data as data
from .base import Page

COLUMNS = data.KEYS
"""The KPIs of the session table (registry keys)."""
REVIEW_NOTEBOOK = view.REVIEW_NOTEBOOK
SECTIONS = ("trend", "sessions")
"""The page's sections: the per-room trend table, the session table."""
FILTERS = ("room", "host", "since", "until")
ORDER = ("by", "descending", "group", "page")


def sessions_table_html(sessions: pd.DataFrame, lang: Lang = "zh", link_to: str = REVIEW_NOTEBOOK) -> str:
    """HTML table of ``sessions`` (newest first) with registry-formatted KPIs and a link to each review.

    The link opens the review in the same language (``?session=<id>&lang=en`` on the English page).
    """
    rows = sessions.sort_values("start_time", ascending=False)
    body = view.session_rows(rows, COLUMNS, lang, link_to)
    return view.sessions_table(rows.iloc[:0], COLUMNS, "start_time", True, lang).replace(
        "<tbody></tbody>", f"<tbody>{body}</tbody>")


class LandingPage(Page):
    """Controller of the landing notebook (``notebooks/00-sessions.ipynb``, the start page of ``make run``).

    Sections: ``trend`` (each room's latest week against the week before, with a sparkline of
    weekly GMV and a totals row) and ``sessions`` (the sessions that pass the filters, sorted,
    grouped by ISO week — the newest week open, the others folded — or by room, or in pages, with
    a totals row). Both follow the filters of :meth:`controls`.

    Parameters
    ----------
    data_dir : data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en".
    mode : "interactive" (filters, sorting and grouping pickers) or "static" (every session, by week).
    """

    area_class = "lo-landing-"
    makes_charts = False

    def __init__(self, data_dir: str = "", lang: Lang = "zh", mode: str = "interactive") -> None:
        self.filters = data.Filters()
        self.order = data.Order()
        self.sessions = pd.DataFrame()
        self._muted = False
        super().__init__(data_dir=data_dir, lang=lang, mode=mode)

    @property
    def room(self) -> str:
        """The room id shown ("" = every room)."""
        return self.filters.room

    # ------------------------------------------------------------------ state
    def set_room(self, room: str) -> None:
        """Show the sessions of ``room`` ("" = every room); re-renders both sections."""
        self.set(room=room or "")

    def set(self, **changes: Any) -> None:
        """Change filters (``room``, ``host``, ``since``, ``until``) or the order (``by``, ``descending``,
        ``group``, ``page``); re-renders the sections that show them.

        Raises
        ------
        UnknownOptionError
            A name that is none of these, an unknown sort column or grouping.
        """
        unknown = [k for k in changes if k not in FILTERS + ORDER]
        if unknown:
            raise UnknownOptionError("LandingPage.set", unknown[0], FILTERS + ORDER)
        filters = {k: v for k, v in changes.items() if k in FILTERS}
        for k in ("since", "until"):
            if filters.get(k) is not None:
                filters[k] = pd.Timestamp(filters[k]).date()
        order = {k: v for k, v in changes.items() if k in ORDER}
        if filters or "by" in order or "group" in order or "descending" in order:
            order.setdefault("page", 0)  # another selection starts on the first page
        self.filters = replace(self.filters, **filters)
        self.order = replace(self.order, **order)
        self._rerender(list(SECTIONS) if filters else ["sessions"])

    def kept(self) -> pd.DataFrame:
        """The sessions that pass the filters (rows of ``ds.sessions()``)."""
        return data.keep(self.sessions, self.filters)

    # ------------------------------------------------------------------ page hooks
    def _opened(self) -> None:
        self.sessions = self.ds.sessions(COLUMNS)

    def _warm_up(self) -> None:
        kept = self.kept()
        data.weekly(self.ds, self.sessions, kept)
        data.room_trends(self.ds, self.sessions, kept)
        data.totals(self.ds, self.sessions, kept)

    def _controls(self) -> list:
        if self.static:
            return []
        import ipywidgets as w

        lang, st = self.lang, {"description_width": "70px"}
        rooms = self.sessions.drop_duplicates("room_id").sort_values("room_name")
        hosts = sorted(self.sessions.host.dropna().astype(str).unique())
        room = w.Dropdown(options=[(t("all", lang), ""), *zip(rooms.room_name, rooms.room_id, strict=True)],
                          value=self.filters.room, description=t("room", lang), style=st)
        host = w.Dropdown(options=[(t("all", lang), ""), *((h, h) for h in hosts)], value=self.filters.host,
                          description=t("host", lang), style=st)
        first, last = pd.to_datetime(self.sessions.date).min(), pd.to_datetime(self.sessions.date).max()
        since = w.DatePicker(value=self.filters.since, description=t("landing_since", lang), style=st)
        until = w.DatePicker(value=self.filters.until, description=t("landing_until", lang), style=st)
        if pd.notna(first):
            for p in (since, until):
                p.min, p.max = first.date(), last.date()
        sort = w.Dropdown(options=[(t("landing_start", lang), "start_time"),
                                   *((REGISTRY[k].label(lang), k) for k in COLUMNS)],
                          value=self.order.by, description=t("landing_sort", lang), style=st)
        direction = w.ToggleButtons(options=[(t("landing_desc", lang), True), (t("landing_asc", lang), False)],
                                    value=self.order.descending, style={"button_width": "90px"})
        group = w.ToggleButtons(options=[(t(f"landing_group_by_{g}", lang), g) for g in data.GROUPS],
                                value=self.order.group, description=t("landing_group", lang),
                                style={"description_width": "70px", "button_width": "120px"})
        for widget, name in ((room, "room"), (host, "host"), (since, "since"), (until, "until"), (sort, "sort"),
                             (direction, "direction"), (group, "group")):
            widget.add_class(f"lo-landing-pick-{name}")
        for widget, field in ((room, "room"), (host, "host"), (since, "since"), (until, "until"), (sort, "by"),
                              (direction, "descending"), (group, "group")):
            widget.observe(lambda c, f=field: None if self._muted else self.set(**{f: c["new"]}), names="value")
        return [w.VBox([w.HBox([room, host, since, until]), w.HBox([sort, direction]), group])]

    def _build(self, name: str) -> list:
        if name not in SECTIONS:
            raise UnknownSectionError(name, SECTIONS)
        kept = self.kept()
        if name == "trend":
            rooms, weeks = data.room_trends(self.ds, self.sessions, kept)
            if rooms.empty:
                return [note(t("landing_nothing", self.lang), "na")]
            return [view.trend_html(rooms, weeks, data.weekly(self.ds, self.sessions, kept), self.lang)]
        return self._session_items(kept)

    # ------------------------------------------------------------------ the session table
    def _session_items(self, kept: pd.DataFrame) -> list:
        lang, o = self.lang, self.order
        head = note(t("landing_count", lang, n=len(self.sessions), m=len(kept)), "info")
        if kept.empty:
            return [head, note(t("landing_nothing", lang), "na")]
        total = data.totals(self.ds, self.sessions, kept)
        label = t("landing_total_of", lang, n=len(kept))
        parts = data.groups(kept, o)
        if o.group == "none":
            page, rows = parts[0]
            pages = data.pages(kept, o)
            table = view.sessions_table(rows, COLUMNS, o.by, o.descending, lang, total, label)
            line = note(t("landing_page_of", lang, page=page + 1, pages=pages, size=o.page_size), "info")
            return [head, table, line, *self._pager(page, pages)]
        if o.group == "week":
            weeks = data.weekly(self.ds, self.sessions, kept).set_index("week")
            blocks = [view.group_block(view.week_summary(w, weeks.loc[w], lang),
                                       view.sessions_table(rows, COLUMNS, o.by, o.descending, lang), i == 0)
                      for i, (w, rows) in enumerate(parts)]
        else:
            per_room = data.by_room(self.ds, self.sessions, kept)
            blocks = [view.group_block(
                t("landing_group_room", lang, room=rows.room_name.iloc[0], n=len(rows),
                  gmv=fmt_value(per_room.at[r, "gmv"], "CNY", lang)),
                view.sessions_table(rows, COLUMNS, o.by, o.descending, lang, per_room.loc[r],
                                    t("landing_total_of", lang, n=len(rows))), len(parts) == 1)
                for r, rows in parts]
        overall = view.sessions_table(kept.iloc[:0], COLUMNS, o.by, o.descending, lang, total, label)
        return [head, "".join(blocks) + overall]

    def _pager(self, page: int, pages: int) -> list:
        if self.static or pages <= 1:
            return []
        import ipywidgets as w

        prev = w.Button(description=t("landing_prev", self.lang), disabled=page == 0)
        nxt = w.Button(description=t("landing_next", self.lang), disabled=page >= pages - 1)
        prev.add_class("lo-landing-prev")
        nxt.add_class("lo-landing-next")
        prev.on_click(lambda _: self.set(page=page - 1))
        nxt.on_click(lambda _: self.set(page=page + 1))
        return [w.HBox([prev, nxt])]

