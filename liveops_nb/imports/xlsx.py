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
import html
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
    if raw.isdigit() and len(raw) <= 15:  # most cells: a plain count
        return raw
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


_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_ATTR = re.compile(r'\b([rst])="([^"]*)"')
_VALUE = re.compile(r"<v>(.*?)</v>", re.S)
_TEXT = re.compile(r"<t\b[^>]*>(.*?)</t>", re.S)
_MERGE = re.compile(r'<mergeCell\b[^>]*\bref="([^"]+)"')


class _Fallback(Exception):
    pass


def _unescape(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def _cell_text(kind: str, style: str, v: str | None, inline: str | None, strings: list[str], dates: set[int],
               epoch: dt.datetime) -> str | None:
    if kind == "inlineStr":
        return inline
    if v is None:
        return None
    if kind == "s":
        return strings[int(v)]
    if kind in ("str", "e"):
        return v
    if kind == "b":
        return "TRUE" if v == "1" else "FALSE"
    if int(style or "0") in dates:
        return _date_text(v, epoch)
    return _number_text(v)


def _fast_cells(data: bytes, strings: list[str], dates: set[int], epoch: dt.datetime) -> dict[int, dict[int, str]]:
    """Cells by regular expressions over the sheet XML (the common, unprefixed form with cell references)."""
    text = data.decode("utf-8")
    head = text[:1000]
    if "<worksheet" not in head or ":worksheet" in head:
        raise _Fallback
    cells: dict[int, dict[int, str]] = {}
    for m in _CELL.finditer(text):
        attrs = dict(_ATTR.findall(m.group(1)))
        ref = _REF.match(attrs.get("r", ""))
        if ref is None:
            raise _Fallback
        body = m.group(2) or ""
        v = _VALUE.search(body)
        raw = None if v is None else _unescape(v.group(1))
        inline = _unescape("".join(_TEXT.findall(body))) if attrs.get("t") == "inlineStr" else None
        value = _cell_text(attrs.get("t", "n"), attrs.get("s", "0"), raw, inline, strings, dates, epoch)
        if value is None:
            continue
        cells.setdefault(int(ref.group(2)), {})[_col_index(ref.group(1))] = value
    for ref in _MERGE.findall(text):
        _merge(cells, ref)
    return cells


def _merge(cells: dict[int, dict[int, str]], ref: str) -> None:
    """Give a merged range's top-left value to every cell of the range."""
    a, _, b = ref.partition(":")
    ma, mb = _REF.match(a), _REF.match(b or a)
    if not (ma and mb):
        return
    c0, r0, c1, r1 = _col_index(ma.group(1)), int(ma.group(2)), _col_index(mb.group(1)), int(mb.group(2))
    value = cells.get(r0, {}).get(c0)
    if value is None:
        return
    for r in range(r0, r1 + 1):
        row_cells = cells.setdefault(r, {})
        for col in range(c0, c1 + 1):
            row_cells.setdefault(col, value)


def _read_sheet(name: str, data: bytes, strings: list[str], dates: set[int], epoch: dt.datetime) -> Sheet:
    try:
        cells = _fast_cells(data, strings, dates, epoch)
    except (_Fallback, UnicodeDecodeError):
        cells = _tree_cells(data, strings, dates, epoch)
    numbers = sorted(r for r, v in cells.items() if v)
    width = max((max(cells[r]) + 1 for r in numbers), default=0)
    rows = [[cells[r].get(j) for j in range(width)] for r in numbers]
    return Sheet(name, rows, numbers)


def _tree_cells(data: bytes, strings: list[str], dates: set[int], epoch: dt.datetime) -> dict[int, dict[int, str]]:
    """Cells through ElementTree: any namespace prefix, cells without references."""
    root = ET.fromstring(data)
    cells: dict[int, dict[int, str]] = {}
    for row in root.iter(f"{_NS}row"):
        r = int(row.get("r", "0")) or (max(cells, default=0) + 1)
        out = cells.setdefault(r, {})
        col = -1
        for c in row.iter(f"{_NS}c"):
            ref = c.get("r")
            col = _col_index(_REF.match(ref).group(1)) if ref else col + 1  # type: ignore[union-attr]
            v = c.find(f"{_NS}v")
            inline = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
            text = _cell_text(c.get("t", "n"), c.get("s", "0"), None if v is None else v.text, inline, strings,
                              dates, epoch)
            if text is not None:
                out[col] = text
    for m in root.iter(f"{_NS}mergeCell"):
        _merge(cells, m.get("ref", ""))
    return cells
