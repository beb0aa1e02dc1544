"""The batch index: ``index.html`` linking every report in the output folder, and ``batch.json``.

Both files describe the whole output folder, not only the last run: under a file lock
(``.batch.lock``, :mod:`filelock`) the previous ``batch.json`` is read, this run's outcomes
replace the rows of their sessions, and both files are written atomically
(:func:`liveops_nb.io.atomic.write_atomic`). Two runs writing into one folder at once therefore
lose none of each other's rows, and a reader never sees half an index.

``batch.json`` is a list of rows: ``session_id``, ``status`` (``ok``, ``skipped``, ``failed``,
``interrupted``, ``not_run``; ``pending`` while a run goes on), ``seconds``, ``error``, ``section_errors`` and ``report`` (the
relative link to the session's ``review.html``, or null when no complete report exists).
"""
from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from filelock import FileLock, Timeout

from ..errors import LiveOpsError
from ..io.atomic import write_atomic
from ..render.fmt import fmt_value
from .folders import report_complete, report_dir_name
from .outcomes import BatchSummary

LOCK_NAME = ".batch.lock"
LOCK_TIMEOUT = 120.0

STATUS_TEXT = {"ok": ("完成", "done"), "skipped": ("已存在", "already done"), "failed": ("失败", "failed"),
               "interrupted": ("已中断（重新运行以继续）", "interrupted (rerun to resume)"),
               "not_run": ("未运行（重新运行以继续）", "not run (rerun to resume)"),
               "pending": ("未完成（运行中；如运行已终止，重新运行以继续）", "pending (running; if the run was killed, rerun to resume)")}


def report_link(out: Path, session_id: str) -> str | None:
    """``<folder>/review.html`` (URL-quoted) when the session's report under ``out`` is complete, else None."""
    if not report_complete(out, session_id):
        return None
    return f"{quote(report_dir_name(session_id))}/review.html"


def merged_rows(summary: BatchSummary) -> list[dict[str, Any]]:
    """This run's rows (in run order), then the rows of earlier runs for other sessions (from ``batch.json``)."""
    out = summary.out
    rows = []
    for o in summary.outcomes:
        if o.status in ("ok", "skipped"):  # this run wrote or checked the report: no need to read it again
            link: str | None = f"{quote(report_dir_name(o.session_id))}/review.html"
        elif o.status == "pending":  # written during the run: not finished yet
            link = None
        else:  # failed / stopped: an earlier report may still be there
            link = report_link(out, o.session_id)
        rows.append({**asdict(o), "report": link})
    ran = {o.session_id for o in summary.outcomes}
    for old in _read_rows(out / "batch.json"):
        sid = old.get("session_id")
        if isinstance(sid, str) and sid not in ran:
            ran.add(sid)
            rows.append({"session_id": sid, "status": str(old.get("status", "ok")),
                         "seconds": float(old.get("seconds") or 0.0), "error": str(old.get("error") or ""),
                         "section_errors": list(old.get("section_errors") or []),
                         "report": report_link(out, sid)})
    return rows


def write_index(summary: BatchSummary, sessions: pd.DataFrame, lang: str = "zh") -> Path:
    """``index.html`` linking every report of ``summary.out`` (and listing failures) plus ``batch.json``.

    Parameters
    ----------
    summary : this run's outcomes.
    sessions : ``ds.sessions()`` (room, start and GMV per session for the table).
    lang : "zh" or "en".

    Returns
    -------
    Path
        The index page.

    Raises
    ------
    LiveOpsError
        Another run held the folder's index lock for more than two minutes.
    """
    out = summary.out
    try:
        with FileLock(str(out / LOCK_NAME), timeout=LOCK_TIMEOUT):
            rows = merged_rows(summary)
            write_atomic(out / "index.html", _page(rows, summary, sessions, lang))
            write_atomic(out / "batch.json", json.dumps(rows, ensure_ascii=False, indent=1))
    except Timeout:
        raise LiveOpsError(f"another batch run holds {out / LOCK_NAME}; wait for it to finish, then rerun") from None
    return out / "index.html"


def _read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of an earlier ``batch.json`` (none if absent or unreadable: the reports themselves stay)."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _page(rows: list[dict[str, Any]], summary: BatchSummary, sessions: pd.DataFrame, lang: str) -> str:
    info = sessions.set_index("session_id")
    zh = lang == "zh"
    head = (["场次", "直播间", "开播", "成交金额", "状态", "报告"] if zh
            else ["Session", "Room", "Start", "GMV", "Status", "Report"])
    body = []
    for row in rows:
        sid, status_key = row["session_id"], row["status"]
        r = info.loc[sid] if sid in info.index else None
        link = f'<a href="{html.escape(row["report"])}">review.html</a>' if row["report"] else ""
        zh_text, en_text = STATUS_TEXT.get(status_key, (status_key, status_key))
        status = zh_text if zh else en_text
        if status_key == "failed":
            status += f": {html.escape(row['error'])}"
        elif row["section_errors"]:
            status += (" (" + ("部分章节出错: " if zh else "sections with errors: ")
                       + ", ".join(html.escape(_section_title(name, lang)) for name in row["section_errors"]) + ")")
        cells = [html.escape(sid),
                 html.escape(str(r.room_name)) if r is not None else "",
                 f"{r.start_time:%Y-%m-%d %H:%M}" if r is not None else "",
                 fmt_value(r.gmv, "CNY", "zh" if zh else "en") if r is not None else "", status, link]
        cls = f' class="{status_key}"' if status_key in ("failed", "interrupted", "not_run", "pending") else ""
        body.append(f"<tr{cls}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    title = "下播复盘报告" if zh else "Session review reports"
    run_line = html.escape(summary.counts_line("zh" if zh else "en"))
    heads = "".join(f"<th>{h}</th>" for h in head)
    return f"""<!doctype html><html lang="{'zh-CN' if zh else 'en'}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:24px;color:#262626}}
table{{border-collapse:collapse;font-size:13px}}td,th{{padding:5px 10px;border-bottom:1px solid #eee;text-align:left}}
th{{background:#fafafa}}tr.failed td{{background:#fff1f0}}tr.interrupted td,tr.not_run td,tr.pending td{{background:#fffbe6}}</style>
</head><body>
<h1>{title}</h1><p>{run_line} · {dt.datetime.now():%Y-%m-%d %H:%M}</p>
<table><thead><tr>{heads}</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>"""


def _section_title(name: str, lang: str) -> str:
    """The heading of review section ``name`` from the registry of sections (the name itself if unknown)."""
    from ..errors import UnknownSectionError
    from ..pages import sections  # the review's sections: imported only when a report lists failed ones

    try:
        return sections.get(name).heading("zh" if lang == "zh" else "en")
    except UnknownSectionError:
        return name
