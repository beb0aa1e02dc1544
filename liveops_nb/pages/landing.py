"""The landing page: every session of the dataset with its key KPIs, filterable by room."""
from __future__ import annotations

import html
from urllib.parse import urlencode

import pandas as pd

from ..errors import UnknownSectionError
from ..metrics import REGISTRY
from ..render.fmt import fmt_value
from ..render.html import note
from ..render.i18n import Lang, register, t
from .base import Page

register({
    "landing_open": ("打开复盘", "open review"),
    "landing_count": ("共 {n} 场，当前显示 {m} 场。点击“打开复盘”查看单场复盘。",
                      "{n} sessions, {m} shown. Click “open review” for a session's review."),
})

COLUMNS = ("gmv", "uv", "pcu", "avg_watch_seconds", "gpm", "click_to_order_rate", "refund_rate")
REVIEW_NOTEBOOK = "01-session-review.ipynb"
SECTIONS = ("sessions",)


def sessions_table_html(sessions: pd.DataFrame, lang: Lang = "zh", link_to: str = REVIEW_NOTEBOOK) -> str:
    """HTML table of sessions (newest first) with registry-formatted KPIs and a link to each review.

    The link opens the review in the same language (``?session=<id>&lang=en`` on the English page).
    """
    head = [t("date", lang), t("room", lang), t("host", lang)] + [REGISTRY[k].label(lang) for k in COLUMNS] + [""]
    rows = []
    for _, r in sessions.sort_values("start_time", ascending=False).iterrows():
        cells = [f"{r.start_time:%Y-%m-%d %H:%M}", html.escape(str(r.room_name)), html.escape(str(r.host))]
        cells += [fmt_value(r[k], REGISTRY[k].unit, lang) for k in COLUMNS]
        query = {"session": str(r.session_id), **({"lang": lang} if lang != "zh" else {})}
        href = html.escape(f"{link_to}?{urlencode(query)}")
        cells.append(f'<a href="{href}" target="_blank">{t("landing_open", lang)}</a>')
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    thead = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(rows)
    return f'<table class="lo lo-table lo-sessions"><thead><tr>{thead}</tr></thead><tbody>{body}</tbody></table>'


class LandingPage(Page):
    """Controller of the landing notebook (``notebooks/00-sessions.ipynb``, the start page of ``make run``).

    One section, ``sessions``: the session table, filtered by the room picker of :meth:`controls`.

    Parameters
    ----------
    data_dir : data folder ("" = ``$LIVEOPS_DATA`` or ``data/demo``).
    lang : "zh" or "en".
    mode : "interactive" (room picker) or "static" (every session, no picker).
    """

    area_class = "lo-landing-"
    makes_charts = False

    def __init__(self, data_dir: str = "", lang: Lang = "zh", mode: str = "interactive") -> None:
        self.room = ""  # room id shown ("" = every room)
        self.sessions = pd.DataFrame()
        super().__init__(data_dir=data_dir, lang=lang, mode=mode)

    def set_room(self, room: str) -> None:
        """Show the sessions of ``room`` ("" = every room); re-renders the table."""
        self.room = room or ""
        self._rerender(["sessions"])

    def _opened(self) -> None:
        self.sessions = self.ds.sessions()

    def _controls(self) -> list:
        if self.static:
            return []
        import ipywidgets as w

        rooms = self.sessions.drop_duplicates("room_id")
        rooms_shown = list(zip(rooms.room_name, rooms.room_id, strict=True))
        picker = w.Dropdown(options=[(t("all", self.lang), ""), *rooms_shown], value=self.room,
                            description=t("room", self.lang))
        picker.observe(lambda change: self.set_room(change["new"]), names="value")
        return [picker]

    def _build(self, name: str) -> list:
        if name not in SECTIONS:
            raise UnknownSectionError(name, SECTIONS)
        shown = self.sessions if not self.room else self.sessions[self.sessions.room_id == self.room]
        return [note(t("landing_count", self.lang, n=len(self.sessions), m=len(shown)), "info")
                + sessions_table_html(shown, self.lang)]

