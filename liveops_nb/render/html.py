"""Small HTML building blocks with one consistent look (no external CSS or fonts)."""
from __future__ import annotations

import html as _html
from collections.abc import Iterable
from typing import Literal

import pandas as pd

FONT = "'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
STYLE = f"""
<style>
.lo {{ font-family: {FONT}; color: #262626; }}
.lo-note {{ padding: 6px 10px; border-radius: 6px; margin: 4px 0; font-size: 13px; }}
.lo-info {{ background: #F0F5FF; border-left: 3px solid #2F6BFF; }}
.lo-warn {{ background: #FFF7E6; border-left: 3px solid #FA8C16; }}
.lo-bad {{ background: #FFF1F0; border-left: 3px solid #E5484D; }}
.lo-good {{ background: #F6FFED; border-left: 3px solid #2BA471; }}
.lo-na {{ background: #FAFAFA; border-left: 3px solid #BFBFBF; color: #8C8C8C; }}
.lo-table {{ border-collapse: collapse; font-size: 12.5px; margin: 6px 0; }}
.lo-table th {{ background: #FAFAFA; text-align: left; padding: 5px 10px; border-bottom: 1px solid #E8E8E8;
  font-weight: 600; }}
.lo-table td {{ padding: 4px 10px; border-bottom: 1px solid #F0F0F0; }}
.lo-table td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.lo-cards {{ display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }}
.lo-card {{ width: 200px; border: 1px solid #E8E8E8; border-radius: 8px; padding: 10px 12px; background: #fff; }}
.lo-card.weak {{ border: 2px solid #E5484D; }}
.lo-card .lbl {{ font-size: 12px; color: #595959; }}
.lo-card .val {{ font-size: 22px; font-weight: 700; margin: 2px 0; font-variant-numeric: tabular-nums; }}
.lo-card .cmp {{ font-size: 11.5px; color: #595959; line-height: 1.5; }}
.lo-up {{ color: #2BA471; }} .lo-down {{ color: #E5484D; }} .lo-flat {{ color: #8C8C8C; }}
</style>
"""

NoteKind = Literal["info", "warn", "bad", "good", "na"]


def esc(text: object) -> str:
    return _html.escape(str(text))


def note(text: str, kind: NoteKind = "info") -> str:
    """One line of explanation, warning or "not available" (HTML string)."""
    return f'<div class="lo lo-note lo-{kind}">{esc(text)}</div>'


def table(df: pd.DataFrame, *, numeric: Iterable[str] = ()) -> str:
    """A plain styled HTML table of already-formatted values."""
    numeric = set(numeric)
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"num" if c in numeric else ""}">{esc(v)}</td>'
                  for c, v in zip(df.columns, row, strict=True))
        + "</tr>"
        for row in df.itertuples(index=False))
    return f'<table class="lo lo-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def page_style() -> str:
    return STYLE
