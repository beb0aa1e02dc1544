"""Exports of the period review: one self-contained HTML file (charts as inline SVG, no script, no network) and
an Excel workbook with one sheet per section — what the team pastes into its weekly report."""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..html import esc, page_style, table
from ..i18n import Lang

SHEET_CHARS = re.compile(r"[\[\]\*\?/\\:]")


def item_html(item: Any) -> str:
    """One displayable item as HTML: strings as they are, charts as inline SVG, DataFrames as tables."""
    if isinstance(item, str):
        return item
    if isinstance(item, pd.DataFrame):
        return table(item.astype(str))
    if type(item).__module__.startswith("altair"):  # a chart
        from ...charts.theme import to_svg

        return f'<div class="lo-chart">{to_svg(item)}</div>'
    return esc(item)


def to_html(title: str, header: str, sections: Sequence[tuple[str, Sequence[Any]]], lang: Lang = "zh") -> str:
    """The whole review as one HTML document.

    Parameters
    ----------
    title : the document's title.
    header : one line under the title (period, rooms, sessions).
    sections : ``(heading, items)`` in page order (items as the page shows them).
    lang : the language (the document's ``lang`` attribute).
    """
    body = "".join(f"<h2>{esc(h)}</h2>" + "".join(item_html(i) for i in items) for h, items in sections)
    return (f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{esc(title)}</title>{page_style()}"
            "<style>body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;margin:24px;"
            "color:#262626}h2{margin-top:28px;border-bottom:1px solid #eee}</style></head><body>"
            f"<h1>{esc(title)}</h1><p>{esc(header)}</p>{body}</body></html>")


def sheet_name(heading: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]*?/\\:``)."""
    base = SHEET_CHARS.sub(" ", heading).strip()[:31] or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f" ({i})"
        name, i = base[:31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


def to_xlsx(path: str | Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write ``{heading: table}`` to ``path`` as a workbook, one sheet per section (in order)."""
    path = Path(path)
    used: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for heading, frame in sheets.items():
            frame.to_excel(xl, sheet_name=sheet_name(heading, used), index=False)
    return path
