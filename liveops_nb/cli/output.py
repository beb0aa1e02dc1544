"""Writing a frame where the user asked: a readable table on the screen, CSV (opens in Excel) or xlsx.

* ``table`` -- headers in the chosen language, values formatted by their unit (``¥500``, ``12.5%``).
* ``csv`` -- the exact numbers with the column names as headers; a file gets the UTF-8 byte order mark so
  Excel reads Chinese text correctly (printed to the screen it has none).
* ``xlsx`` -- the exact numbers in one sheet (openpyxl); needs ``--out``.

Date-times are written in the dataset's time zone without the zone suffix (Excel has no time zones).
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from ..errors import LiveOpsError
from ..metrics import REGISTRY
from ..render.fmt import fmt_value
from ..render.i18n import STRINGS, Lang, register, t

Format = Literal["table", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("table", "csv", "xlsx")
BOM = "\ufeff"

register({
    "cli_col_session_id": ("场次", "Session"), "cli_col_room_id": ("直播间ID", "Room ID"),
    "cli_col_room_name": ("直播间", "Room"), "cli_col_category": ("类目", "Category"),
    "cli_col_host": ("主播", "Host"), "cli_col_title": ("标题", "Title"),
    "cli_col_start_time": ("开播时间", "Start"), "cli_col_end_time": ("下播时间", "End"),
    "cli_col_date": ("日期", "Date"), "cli_col_gmv_target": ("GMV目标", "GMV target"),
    "cli_col_day": ("日期", "Day"), "cli_col_week": ("周（周一）", "Week (Monday)"),
    "cli_col_month": ("月份", "Month"), "cli_col_weekday": ("星期（0=周一）", "Weekday (0 = Monday)"),
    "cli_col_hour": ("开播小时", "Hour"), "cli_col_channel": ("渠道", "Channel"),
    "cli_col_channel_group": ("渠道类型", "Channel group"), "cli_col_product_id": ("商品ID", "Product ID"),
    "cli_col_minute": ("分钟", "Minute"), "cli_col_user_id": ("用户ID", "Viewer ID"),
})


class OutputError(LiveOpsError):
    """The result cannot be written where asked (no ``--out`` for xlsx, an unwritable file, ...)."""


def output_options(default: Format = "table") -> argparse.ArgumentParser:
    """``--format`` and ``--out``, shared by every command that prints a frame."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--format", choices=FORMATS, default=default, dest="fmt",
                   help="table: readable on the screen; csv: UTF-8 (with BOM in a file, for Excel); xlsx: Excel")
    p.add_argument("--out", default=None, metavar="FILE", help="write to FILE instead of the screen (xlsx needs it)")
    return p


def column_label(name: str, lang: Lang) -> str:
    """A column's header in ``lang``: metric label, data-model label, or the name itself."""
    if name in REGISTRY:
        return REGISTRY[name].label(lang)
    if f"cli_col_{name}" in STRINGS:
        return t(f"cli_col_{name}", lang)
    return name


def _cell(value: object, unit: str | None, lang: Lang) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "—"
    if unit is not None:
        return fmt_value(value, unit, lang)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"
    return str(value)


def screen_table(df: pd.DataFrame, lang: Lang, *, label: Callable[[str], str] | None = None,
                 units: Mapping[str, str] | None = None) -> str:
    """``df`` as aligned text: headers in ``lang``, metric values formatted by their unit."""
    label = label or (lambda c: column_label(c, lang))
    units = dict(units or {})
    units.update({c: REGISTRY[c].unit for c in df.columns if c in REGISTRY and c not in units})
    shown = pd.DataFrame({label(c): [_cell(v, units.get(c), lang) for v in df[c]] for c in df.columns})
    if shown.empty:
        return " | ".join(shown.columns) + "\n(" + ("无数据" if lang == "zh" else "no rows") + ")"
    return shown.to_string(index=False)


def excel_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Time-zone-aware date-times as local wall-clock times (Excel and CSV readers have no zones)."""
    out = df.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.DatetimeTZDtype):
            out[c] = out[c].dt.tz_localize(None)
    return out


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """``df`` as CSV in UTF-8 with a byte order mark (so Excel shows Chinese text), the exact numbers."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        excel_ready(df).to_csv(path, index=False, encoding="utf-8-sig")
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    return path


def write_xlsx(df: pd.DataFrame, path: Path, sheet: str = "data") -> Path:
    """``df`` as an Excel workbook with one sheet (openpyxl), the exact numbers."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with pd.ExcelWriter(path, engine="openpyxl") as xl:
            excel_ready(df).to_excel(xl, sheet_name=sheet[:31], index=False)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}") from None
    return path


def format_from_suffix(path: str | Path) -> Format:
    """``csv`` or ``xlsx`` from a file name's ending; :class:`OutputError` for any other."""
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return "csv" if suffix == ".csv" else "xlsx"
    raise OutputError(f"cannot tell the format of {path}: name it .csv or .xlsx, or pass --format csv|xlsx")


def emit(df: pd.DataFrame, fmt: Format, out: str | None, lang: Lang, *, sheet: str = "data",
         label: Callable[[str], str] | None = None, units: Mapping[str, str] | None = None) -> str | None:
    """Show or write ``df`` as asked; returns the line to print about a written file (None when printed)."""
    if fmt == "table":
        text = screen_table(df, lang, label=label, units=units) + "\n"
        if out is None:
            sys.stdout.write(text)
            return None
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as err:
            raise OutputError(f"cannot write {out}: {err.strerror or err}") from None
        return f"wrote {out}"
    if fmt == "csv":
        if out is None:
            buf = io.StringIO()
            excel_ready(df).to_csv(buf, index=False)
            sys.stdout.write(buf.getvalue())
            return None
        return f"wrote {write_csv(df, Path(out))} ({len(df)} rows)"
    if out is None:
        raise OutputError("--format xlsx writes a file: add --out FILE.xlsx")
    return f"wrote {write_xlsx(df, Path(out), sheet)} ({len(df)} rows)"
