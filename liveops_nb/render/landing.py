"""The landing page's words and HTML: the per-room trend table with sparklines, and the session
table grouped by week or room (or paged) with a totals row.

Numbers arrive computed (:mod:`liveops_nb.pages.landing_data`); this module only formats them.
Rooms and hosts are shown by name; every link opens a session's review in the same language.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd

from ..metrics import REGISTRY
from .fmt import fmt_delta, fmt_value, is_missing
from .html import esc
from .i18n import Lang, register, t

register({
    "landing_open": ("打开复盘", "open review"), "landing_week": ("{year}年第{week}周", "{year}-W{week:02d}"),
    "landing_count": ("共 {n} 场，筛选后 {m} 场。点击“打开复盘”查看单场复盘。",
                      "{n} sessions, {m} match the filters. Click “open review” for a session's review."),
    "landing_trend_title": ("各直播间最近一周（{week}）与上周对比", "Each room's latest week ({week}) against the week before"),
    "landing_trend_note": ("周环比 = 本周 ÷ 上周 − 1；走势线为每周成交金额（{first} 至 {last}，共 {n} 周）。",
                           "Week over week = this week ÷ the week before − 1; the sparkline is GMV per week "
                           "({first} to {last}, {n} weeks)."),
    "landing_sessions_week": ("本周场次", "Sessions this week"), "landing_wow": ("周环比", "WoW"),
    "landing_trend": ("每周成交走势", "GMV per week"), "landing_total": ("合计", "Total"),
    "landing_total_of": ("合计（{n} 场）", "Total ({n} sessions)"),
    "landing_group_week": ("{week}（{first} 至 {last}）· {n} 场 · 成交金额 {gmv}（周环比 {wow}）",
                           "{week} ({first} to {last}) · {n} sessions · GMV {gmv} (week over week {wow})"),
    "landing_group_room": ("{room} · {n} 场 · 成交金额 {gmv}", "{room} · {n} sessions · GMV {gmv}"),
    "landing_page_of": ("第 {page} / {pages} 页（每页 {size} 场）", "Page {page} of {pages} ({size} per page)"),
    "landing_nothing": ("没有符合筛选条件的场次。", "No session matches the filters."),
    "landing_sort": ("排序", "Sort by"), "landing_group": ("分组", "Group"),
    "landing_group_by_week": ("按周", "by week"), "landing_group_by_room": ("按直播间", "by room"),
    "landing_group_by_none": ("不分组（分页）", "none (pages)"),
    "landing_desc": ("从高到低", "high to low"), "landing_asc": ("从低到高", "low to high"),
    "landing_since": ("开始日期", "From"), "landing_until": ("结束日期", "To"),
    "landing_start": ("开播时间", "Start"), "landing_prev": ("上一页", "Previous"), "landing_next": ("下一页", "Next"),
})

REVIEW_NOTEBOOK = "01-session-review.ipynb"
SPARK_W, SPARK_H = 120, 28


def week_label(monday: pd.Timestamp, lang: Lang = "zh") -> str:
    """ISO week name of a Monday: ``2026年第41周`` / ``2026-W41``."""
    m = pd.Timestamp(monday)
    return t("landing_week", lang, year=f"{m:%G}", week=int(f"{m:%V}"))


def sparkline_svg(values: Sequence[float], title: str = "") -> str:
    """A small inline SVG line of ``values`` (oldest first), the last point marked; no axes, no script.

    An empty or all-missing series gives an empty ``<svg>`` of the same size (the table keeps its shape).
    """
    head = (f'<svg class="lo-spark" width="{SPARK_W}" height="{SPARK_H}" viewBox="0 0 {SPARK_W} {SPARK_H}" '
            f'role="img" aria-label="{esc(title)}">') + (f"<title>{esc(title)}</title>" if title else "")
    vals = [float(v) for v in values if not is_missing(v) and math.isfinite(float(v))]
    if not vals or len(vals) != len(values):
        return head + "</svg>"
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or 1.0
    step = (SPARK_W - 6) / max(len(vals) - 1, 1)
    pts = [(3 + i * step, SPARK_H - 3 - (v - lo) / span * (SPARK_H - 6)) for i, v in enumerate(vals)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    x, y = pts[-1]
    return (head + f'<polyline fill="none" stroke="#2F6BFF" stroke-width="1.5" points="{line}"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#2F6BFF"/></svg>')


def wow_html(rel: float, key: str, lang: Lang) -> str:
    """A week-over-week change, green when better for ``key``, red when worse ("—" when not known)."""
    if is_missing(rel):
        return '<span class="lo-flat">—</span>'
    direction = REGISTRY[key].direction
    css = "lo-flat" if direction == "neutral" or rel == 0 else (
        "lo-up" if (rel > 0) == (direction != "lower") else "lo-down")
    return f'<span class="{css}">{fmt_delta(rel, lang)}</span>'


def _num(value: object, key: str, lang: Lang) -> str:
    return f'<td class="num">{fmt_value(value, REGISTRY[key].unit, lang)}</td>'


def trend_html(rooms: pd.DataFrame, weeks: list, week_rows: pd.DataFrame, lang: Lang) -> str:
    """The per-room table: latest week's sessions and KPIs with their week-over-week change and a
    sparkline of weekly GMV; the last row is the total over every shown room (same week)."""
    if rooms.empty:
        return ""
    latest = week_rows.iloc[0]
    keys = [k for k in rooms.columns if f"{k}_wow" in rooms.columns]
    head = [t("room", lang), t("host", lang), t("landing_sessions_week", lang)]
    for k in keys:
        head += [REGISTRY[k].label(lang), t("landing_wow", lang)]
    head.append(t("landing_trend", lang))
    body = []
    for r in rooms.to_dict("records"):
        cells = [f"<td>{esc(r['room_name'])}</td>", f"<td>{esc(r['hosts'])}</td>", f'<td class="num">{r["sessions"]}</td>']
        for k in keys:
            cells += [_num(r[k], k, lang), f'<td class="num">{wow_html(r[f"{k}_wow"], k, lang)}</td>']
        spark: list[float] = list(r["spark"])
        title = " · ".join(fmt_value(v, "CNY", lang) for v in spark)
        cells.append(f"<td>{sparkline_svg(spark, title)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    by_week = week_rows.set_index("week")["gmv"].reindex(weeks).fillna(0.0).tolist()
    total = [f'<td colspan="2">{esc(t("landing_total", lang))}</td>', f'<td class="num">{int(latest.sessions)}</td>']
    for k in keys:
        total += [_num(latest[k], k, lang), f'<td class="num">{wow_html(latest[f"{k}_wow"], k, lang)}</td>']
    total.append(f"<td>{sparkline_svg(by_week, ' · '.join(fmt_value(v, 'CNY', lang) for v in by_week))}</td>")
    thead = "".join(f"<th>{esc(h)}</th>" for h in head)
    title = t("landing_trend_title", lang, week=week_label(latest.week, lang))
    return (f'<div class="lo" style="font-weight:600;margin:6px 0">{esc(title)}</div>'
            f'<table class="lo lo-table lo-trend"><thead><tr>{thead}</tr></thead><tbody>{"".join(body)}</tbody>'
            f'<tfoot><tr class="lo-total" style="font-weight:600">{"".join(total)}</tr></tfoot></table>'
            f'<div class="lo" style="font-size:12px;color:#8C8C8C">'
            f'{esc(t("landing_trend_note", lang, first=week_label(weeks[0], lang), last=week_label(weeks[-1], lang), n=len(weeks)))}'
            f"</div>")


def _head(keys: Sequence[str], sort: str, descending: bool, lang: Lang) -> str:
    names = [("start_time", t("landing_start", lang)), ("", t("room", lang)), ("", t("host", lang))]
    names += [(k, REGISTRY[k].label(lang)) for k in keys] + [("", "")]
    arrow = " ▼" if descending else " ▲"
    cells = []
    for key, name in names:
        sorted_ = bool(key) and key == sort
        cells.append(('<th class="lo-sorted">' if sorted_ else "<th>") + esc(name) + (arrow if sorted_ else "") + "</th>")
    return "".join(cells)


def session_rows(rows: pd.DataFrame, keys: Sequence[str], lang: Lang, link_to: str = REVIEW_NOTEBOOK) -> str:
    """One ``<tr>`` per session: start, room and host by name, ``keys`` formatted, the link to its review."""
    out = []
    for _, r in rows.iterrows():
        query = {"session": str(r.session_id), **({"lang": lang} if lang != "zh" else {})}
        href = esc(f"{link_to}?{urlencode(query)}")
        cells = [f"<td>{pd.Timestamp(r.start_time):%Y-%m-%d %H:%M}</td>", f"<td>{esc(r.room_name)}</td>",
                 f"<td>{esc(r.host)}</td>", *(_num(r[k], k, lang) for k in keys),
                 f'<td><a href="{href}" target="_blank">{esc(t("landing_open", lang))}</a></td>']
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out)


def sessions_table(rows: pd.DataFrame, keys: Sequence[str], sort: str, descending: bool, lang: Lang,
                   total: pd.Series | None = None, total_label: str = "") -> str:
    """A session table (``lo-sessions``); with ``total``, a totals row (``lo-total``) below the sessions."""
    foot = ""
    if total is not None:
        foot = (f'<tfoot><tr class="lo-total" style="font-weight:600"><td colspan="3">{esc(total_label)}</td>'
                + "".join(_num(total[k], k, lang) for k in keys) + "<td></td></tr></tfoot>")
    return (f'<table class="lo lo-table lo-sessions"><thead><tr>{_head(keys, sort, descending, lang)}</tr></thead>'
            f"<tbody>{session_rows(rows, keys, lang)}</tbody>{foot}</table>")


def week_summary(week: pd.Timestamp, row: pd.Series, lang: Lang) -> str:
    """The one-line summary of a week group: ISO week, its days, sessions, GMV and its week-over-week change."""
    monday = pd.Timestamp(week)
    return t("landing_group_week", lang, week=week_label(monday, lang), first=f"{monday:%m-%d}",
             last=f"{monday + pd.Timedelta(days=6):%m-%d}", n=int(row["sessions"]),
             gmv=fmt_value(row["gmv"], "CNY", lang), wow=fmt_delta(row["gmv_wow"], lang))


def group_block(summary: str, table: str, open_: bool) -> str:
    """A collapsible group (``<details>``): the summary line, the group's table inside."""
    return (f'<details class="lo lo-group"{" open" if open_ else ""} style="margin:4px 0">'
            f'<summary style="cursor:pointer;font-weight:600;padding:4px 0">{esc(summary)}</summary>{table}</details>')
