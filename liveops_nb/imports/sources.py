"""An export file as sheets of text cells: CSV (any encoding :mod:`liveops_nb.io.encoding` reads) or ``.xlsx``.

A CSV file is one sheet (named ``None``); its delimiter is the one of ``,`` / tab / ``;`` that splits the
most lines into the same number of fields (an Excel ``sep=;`` first line names it). Row numbers are the
file's line numbers (CSV) or the sheet's row numbers (Excel), as the user sees them. Blank rows are
skipped. Nothing here writes anything.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from ..errors import DataFileError, ImportFileError
from ..io.encoding import load_text
from .xlsx import read_workbook

_EXCEL = (".xlsx", ".xlsm")
_SAVE_XLSX = "open it in Excel and save it as .xlsx (Excel Workbook) or as CSV UTF-8"


@dataclass
class Source:
    """One sheet of an export: rows of text cells (``None`` = empty) and the row number of each."""

    path: Path
    sheet: str | None
    rows: list[list[str | None]]
    row_numbers: list[int]
    encoding: str | None = None
    encoding_sure: bool = True


def read_sources(path: Path) -> list[Source]:
    """Every sheet of ``path`` (one for a CSV file).

    Raises
    ------
    ImportFileError
        The file is missing, empty, an old ``.xls`` or corrupt workbook, or text that cannot be decoded.
    """
    if not path.is_file():
        raise ImportFileError(path, "file does not exist (or is not a file)", "check the path")
    suffix = path.suffix.lower()
    with open(path, "rb") as fh:
        head = fh.read(8)
    if suffix == ".xls" or head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(path, "is an old-format Excel file (.xls), which cannot be read", _SAVE_XLSX)
    if suffix in _EXCEL or head[:4] == b"PK\x03\x04":
        return _excel(path)
    return [_csv(path)]


def _excel(path: Path) -> list[Source]:
    try:
        sheets = read_workbook(str(path))
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, OSError) as err:
        raise ImportFileError(path, f"is not a readable Excel workbook (truncated, corrupt or password-protected: "
                              f"{type(err).__name__})", "download the export again; " + _SAVE_XLSX) from None
    return [Source(path, s.name, s.rows, s.row_numbers) for s in sheets]


def _csv(path: Path) -> Source:
    try:
        decoded = load_text(path, "import")
    except DataFileError as err:
        problem = err.problems[0]
        raise ImportFileError(path, problem.problem.split(": ", 1)[-1], problem.fix, row=err.line) from None
    text = decoded.text
    first, _, rest = text.partition("\n")
    sep = re.fullmatch(r"\s*sep=(.)\s*", first)
    if sep:
        delimiter, text = sep.group(1), "\n" + rest
    else:
        delimiter = _delimiter(text)
    rows: list[list[str | None]] = []
    numbers: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    try:
        for rec in reader:
            if any(c.strip() for c in rec):
                rows.append([c if c.strip() else None for c in rec])
                numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        raise ImportFileError(path, f"is not well-formed CSV ({err})",
                              'quote cells that contain quotes or line breaks, and double the quotes inside ("")',
                              row=start) from None
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    return Source(path, None, rows, numbers, decoded.encoding, decoded.sure)


def _delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]

    def score(d: str) -> tuple[int, int]:
        counts = [ln.count(d) for ln in lines]
        common = max(set(counts), key=counts.count) if counts else 0
        return (counts.count(common) if common else 0, common)

    return max((",", "\t", ";"), key=score)
