"""The landing page: every session of the dataset with its key KPIs, filterable by room."""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, display

from ..render.fmt import fmt_value
from ..render.i18n import Lang, check_lang, register, t
from ..metrics import REGISTRY
from .app import friendly_error, load_dataset
from ..render.html import note, page_style

register({
    "landing_title": ("场次总览", "Sessions"),
    "landing_open": ("打开复盘", "open review"),
    "landing_count": ("共 {n} 场，当前显示 {m} 场。点击“打开复盘”查看单场复盘。",
                      "{n} sessions, {m} shown. Click “open review” for a session's review."),
    "landing_level": ("数据粒度：{level}", "Data level: {level}"),
})

COLUMNS = ("gmv", "uv", "pcu", "avg_watch_seconds", "gpm", "click_to_order_rate", "refund_rate")
REVIEW_NOTEBOOK = "01-session-review.ipynb"


def sessions_table_html(sessions: pd.DataFrame, lang: Lang = "zh", link_to: str = REVIEW_NOTEBOOK) -> str:
    """HTML table of sessions (newest first) with registry-formatted KPIs and a link to each review."""
    head = [t("date", lang), t("room", lang), t("host", lang)] + [REGISTRY[k].label(lang) for k in COLUMNS] + [""]
    rows = []
    for _, r in sessions.sort_values("start_time", ascending=False).iterrows():
        cells = [f"{r.start_time:%Y-%m-%d %H:%M}", html.escape(str(r.room_name)), html.escape(str(r.host))]
        cells += [fmt_value(r[k], REGISTRY[k].unit, lang) for k in COLUMNS]
        href = f"{link_to}?session={html.escape(str(r.session_id))}"
        cells.append(f'<a href="{href}" target="_blank">{t("landing_open", lang)}</a>')
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    thead = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return f'<table class="lo lo-table lo-sessions"><thead><tr>{thead}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def show_sessions(data_dir: str = "", lang: Lang = "zh") -> None:
    """Display the session list with a room filter (a widget) — the landing page of ``make run``."""
    import ipywidgets as w

    lang = check_lang(lang)
    display(HTML(page_style()))
    try:
        ds = load_dataset(data_dir)
        sessions = ds.sessions(lang=lang)
    except Exception as err:
        display(HTML(friendly_error(err, lang)))
        return
    rooms = sessions.drop_duplicates("room_id")
    picker = w.Dropdown(options=[(t("all", lang), "")] + list(zip(rooms.room_name, rooms.room_id)),
                        description=t("room", lang))
    body = w.HTML()

    def refresh(_change=None) -> None:
        shown = sessions if not picker.value else sessions[sessions.room_id == picker.value]
        body.value = (note(t("landing_count", lang, n=len(sessions), m=len(shown)), "info")
                      + sessions_table_html(shown, lang))

    picker.observe(refresh, names="value")
    refresh()
    display(w.VBox([picker, body]))
