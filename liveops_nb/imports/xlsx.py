"""A small, fast reader of ``.xlsx`` workbooks: every sheet as rows of text cells, merged cells filled.

Platform exports are plain workbooks (text, numbers, dates; no formulas worth evaluating), and an
import reads hundreds of them, so the sheet XML is parsed directly (about ten times faster than
openpyxl for these files). Rules:

* a cell's text is its shared or inline string, or its number written back without float noise
  (``12`` not ``12.0``); a cached formula result is read like a value;
* a number whose cell style is a date or time format (Excel's built-in ids 14–22 and 45–47, or a
  custom format with ``y``/``d``/``h``/``s``) becomes ``YYYY-MM-DD HH:MM:SS`` (1900 date system;
  a workbook in the 1904 system is honoured);
* a merged range gives its top-left value to every cell of the range (what the user sees);
* a number that Excel cannot hold exactly (more than 15 significant digits, e.g. a product ID typed
  as a number) is kept with a marker so the caller can refuse it: :data:`LOST_DIGITS` prefix.

Old ``.xls`` files, password-protected or corrupt workbooks are refused by the caller with the file name.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_REF = re.compile(r"([A-Z]+)(\d+)")
LOST_DIGITS = "\x00lost-digits:"


@dataclass
class Sheet:
    """One worksheet: its name and its rows (lists of text cells, ``None`` for empty; 1-based row numbers)."""

    name: str
    rows: list[list[str | None]]
    row_numbers: list[int]


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _shared_strings(z: zipfile.ZipFile) -> list[str]:
    try:
        data = z.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    out = []
    for si in ET.fromstring(data).iter(f"{_NS}si"):
        out.append("".join(t.text or "" for t in si.iter(f"{_NS}t")))
    return out


def _date_styles(z: zipfile.ZipFile) -> set[int]:
    """Indexes of cell styles (``s=``) whose number format is a date or time."""
    try:
        root = ET.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return set()
    custom = {}
    for nf in root.iter(f"{_NS}numFmt"):
        code = re.sub(r'"[^"]*"|\[[^]]*\]|\\.', "", nf.get("formatCode", "")).lower()
        custom[int(nf.get("numFmtId", "0"))] = any(ch in code for ch in "ydhs")
    xfs = root.find(f"{_NS}cellXfs")
    out = set()
    for i, xf in enumerate(xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", "0"))
        if fid in _DATE_IDS or custom.get(fid, False):
            out.add(i)
    return out


def _number_text(raw: str) -> str:
    try:
        f = float(raw)
    except ValueError:
        return raw
    digits = re.sub(r"[^0-9]", "", raw.split("E")[0].split("e")[0]).lstrip("0")
    if f.is_integer() and abs(f) >= 1e15 and ("E" in raw.upper() or len(digits) > 15):
        return LOST_DIGITS + raw
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def _date_text(raw: str, epoch: dt.datetime) -> str:
    try:
        value = float(raw)
    except ValueError:
        return raw
    stamp = epoch + dt.timedelta(days=value)
    stamp = (stamp + dt.timedelta(microseconds=500_000)).replace(microsecond=0)  # Excel stores fractions of days
    return stamp.strftime("%Y-%m-%d %H:%M:%S")


def _sheet_paths(z: zipfile.ZipFile) -> tuple[list[tuple[str, str]], bool]:
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    date1904 = any(p.get("date1904") in ("1", "true") for p in wb.iter(f"{_NS}workbookPr"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = []
    for s in wb.iter(f"{_NS}sheet"):
        target = targets.get(s.get(f"{_REL}id"), "")
        target = target.lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        out.append((s.get("name", ""), path))
    return out, date1904


def read_workbook(path: str) -> list[Sheet]:
    """Every worksheet of the ``.xlsx`` file at ``path``, in workbook order.

    Raises
    ------
    zipfile.BadZipFile, KeyError, ET.ParseError
        The file is not a readable workbook (the caller turns this into an import error).
    """
    with zipfile.ZipFile(path) as z:
        strings = _shared_strings(z)
        dates = _date_styles(z)
        sheets, date1904 = _sheet_paths(z)
        epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
        return [_read_sheet(name, z.read(p), strings, dates, epoch) for name, p in sheets]


def _read_sheet(name: str, data: bytes, strings: list[str], dates: set[int], epoch: dt.datetime) -> Sheet:
    root = ET.fromstring(data)
    cells: dict[int, dict[int, str]] = {}
    for row in root.iter(f"{_NS}row"):
        r = int(row.get("r", "0")) or (max(cells, default=0) + 1)
        out = cells.setdefault(r, {})
        col = -1
        for c in row.iter(f"{_NS}c"):
            ref = c.get("r")
            col = _col_index(_REF.match(ref).group(1)) if ref else col + 1  # type: ignore[union-attr]
            kind = c.get("t", "n")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            else:
                v = c.find(f"{_NS}v")
                if v is None or v.text is None:
                    continue
                if kind == "s":
                    text = strings[int(v.text)]
                elif kind in ("str", "e"):
                    text = v.text
                elif kind == "b":
                    text = "TRUE" if v.text == "1" else "FALSE"
                elif int(c.get("s", "0")) in dates:
                    text = _date_text(v.text, epoch)
                else:
                    text = _number_text(v.text)
            out[col] = text
    for m in root.iter(f"{_NS}mergeCell"):
        a, _, b = m.get("ref", "").partition(":")
        ma, mb = _REF.match(a), _REF.match(b or a)
        if not (ma and mb):
            continue
        c0, r0, c1, r1 = _col_index(ma.group(1)), int(ma.group(2)), _col_index(mb.group(1)), int(mb.group(2))
        value = cells.get(r0, {}).get(c0)
        if value is None:
            continue
        for r in range(r0, r1 + 1):
            row_cells = cells.setdefault(r, {})
            for col in range(c0, c1 + 1):
                row_cells.setdefault(col, value)
    numbers = sorted(r for r, v in cells.items() if v)
    width = max((max(cells[r]) + 1 for r in numbers), default=0)
    rows = [[cells[r].get(j) for j in range(width)] for r in numbers]
    return Sheet(name, rows, numbers)
