"""ipywidgets pickers: sessions (filter by room, host, date), comparison basis, the page's language."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from ..render.fmt import fmt_value
from ..render.i18n import LANG_NAMES, LANGS, Lang, register, t

register({
    "pick_room": ("直播间", "Room"),
    "pick_host": ("主播", "Host"),
    "pick_from": ("开始日期", "From"),
    "pick_to": ("结束日期", "To"),
    "pick_session": ("场次", "Session"),
    "pick_basis": ("对比基准", "Compare with"),
    "basis_previous": ("上一场", "previous session"),
    "basis_median": ("近N场中位数", "median of last N"),
    "basis_benchmark": ("行业基准P50", "category benchmark P50"),
    "basis_target": ("GMV目标", "GMV target"),
    "pick_none": ("（请选择）", "(pick one)"),
})

BASES = ("previous", "median", "benchmark", "target")


def session_label(row: pd.Series, lang: Lang = "zh") -> str:
    """Option text: date, time, room, host and GMV — what a manager scans for."""
    start = pd.Timestamp(row["start_time"])
    gmv = fmt_value(row.get("gmv"), "CNY", lang)
    return f"{start:%Y-%m-%d %H:%M} · {row['room_name']} · {row['host']} · GMV {gmv}"


def filter_sessions(sessions: pd.DataFrame, room: str | None = None, host: str | None = None,
                    start: dt.date | str | None = None, end: dt.date | str | None = None) -> pd.DataFrame:
    """Sessions matching the filters (None = any), newest first."""
    s = sessions
    if room:
        s = s[s.room_id == room]
    if host:
        s = s[s.host == host]
    if start is not None:
        s = s[pd.to_datetime(s.date) >= pd.Timestamp(start)]
    if end is not None:
        s = s[pd.to_datetime(s.date) <= pd.Timestamp(end)]
    return s.sort_values("start_time", ascending=False)


class SessionPicker:
    """Room / host / date filters and a session dropdown; calls ``on_change(session_id)``."""

    def __init__(self, sessions: pd.DataFrame, lang: Lang = "zh", value: str | None = None,
                 on_change: Callable[[str], None] | None = None) -> None:
        import ipywidgets as w

        self.sessions = sessions
        self.lang = lang
        self.on_change = on_change
        self._muted = False
        any_ = (t("all", lang), "")
        rooms = sessions.drop_duplicates("room_id")
        self.room = w.Dropdown(options=[any_] + list(zip(rooms.room_name, rooms.room_id, strict=True)), description=t("pick_room", lang))
        self.host = w.Dropdown(options=[any_] + [(h, h) for h in sorted(sessions.host.unique())],
                               description=t("pick_host", lang))
        self.start = w.DatePicker(description=t("pick_from", lang))
        self.end = w.DatePicker(description=t("pick_to", lang))
        self.session = w.Dropdown(description=t("pick_session", lang), layout=w.Layout(width="520px"))
        self.session.add_class("lo-session-picker")
        self._refresh_options(value)
        for f in (self.room, self.host, self.start, self.end):
            f.observe(lambda _c: self._refresh_options(self.session.value), names="value")
        self.session.observe(self._changed, names="value")
        self.widget = w.VBox([w.HBox([self.room, self.host]), w.HBox([self.start, self.end]), self.session])

    def keep_filters(self, other: SessionPicker) -> None:
        """Take over the room / host / date filters of ``other`` (the same page's picker in another language)."""
        self._muted = True
        try:
            for mine, theirs in ((self.room, other.room), (self.host, other.host), (self.start, other.start),
                                 (self.end, other.end)):
                mine.value = theirs.value
        finally:
            self._muted = False

    def _refresh_options(self, keep: str | None) -> None:
        s = filter_sessions(self.sessions, self.room.value or None, self.host.value or None,
                            self.start.value, self.end.value)
        options = [(session_label(r, self.lang), r.session_id) for _, r in s.iterrows()]
        ids = [o[1] for o in options]
        if keep and keep not in ids:
            options = [(t("pick_none", self.lang), None)] + options
            keep = None
        if keep is None:
            options = [(t("pick_none", self.lang), None)] + [o for o in options if o[1] is not None]
        self._muted = True
        try:
            self.session.options = options
            self.session.value = keep
        finally:
            self._muted = False

    def _changed(self, change) -> None:
        if change["new"] and self.on_change and not self._muted:
            self.on_change(change["new"])


def basis_picker(value: str, lang: Lang = "zh"):
    import ipywidgets as w

    return w.Dropdown(options=[(t(f"basis_{b}", lang), b) for b in BASES], value=value, description=t("pick_basis", lang),
                      style={"description_width": "initial"})


def language_toggle(lang: Lang, on_change: Callable[[str], None]):
    """The 中文 / English toggle of every page (CSS class ``lo-lang-toggle``); calls ``on_change(lang)``.

    Each language is named in its own words, so the toggle reads the same on both pages.
    """
    import ipywidgets as w

    toggle = w.ToggleButtons(options=[(LANG_NAMES[code], code) for code in LANGS], value=lang,
                             style={"button_width": "76px"})
    toggle.add_class("lo-lang-toggle")
    toggle.observe(lambda change: on_change(change["new"]), names="value")
    return toggle
