"""Reading one CSV file (typically a platform export) into typed columns — exactly, or refusing.

* Bytes to text: :mod:`liveops_nb.io.encoding` (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16; a guess is
  a warning naming the file and the encoding; undecodable, empty, truncated or non-CSV files are refused).
* Structure: the delimiter is the one named by an Excel ``sep=;`` first line, else the one of ``,`` /
  tab / ``;`` that splits the header into the most column names of the table (ties: comma). Quoted
  cells may hold delimiters, line breaks, control characters and text of any length; they are read
  as they are. An unclosed quote, a stray quote, a
  record with more or fewer fields than the header and a column named twice are refused with the
  file and the line numbers (a :class:`~liveops_nb.errors.DataFileError`). Blank lines are skipped.
  Row numbers in messages (``row``) are the line where the record starts in the file.
* Numbers: :mod:`liveops_nb.io.numbers` (decimal comma vs thousands separator decided per column,
  non-finite values and overflow refused). Times: :mod:`liveops_nb.io.times` (offsets converted to
  the dataset zone, naive times read in it with a warning).
* Text cells: the missing tokens of :data:`TEXT_MISSING_TOKENS` are missing; everything else is kept
  (surrounding spaces removed).

Every value that cannot be read is reported with its rows (file, table, column, up to five rows,
how many in all, and the fix) in ``raw.problems``; nothing is dropped or guessed.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..errors import DataFileError, DataProblem
from ..schema import Column, Table
from .encoding import load_text
from .numbers import MISSING_TOKENS, NumberColumn, parse_number_column
from .tables import RawTables
from .times import parse_time_column

# Text columns also treat what pandas / Python write for a missing value as missing.
TEXT_MISSING_TOKENS = MISSING_TOKENS | {"nan", "NaN", "NaT"}
_FIELD_LIMIT = 2**31 - 1  # cells of any length (the csv module's default limit is 128 KiB)
_NUMBER_HINT = "plain numbers; ¥1,234 / 15.3% / 1.2万 / 1分5秒 / - are also understood"
_SAMPLE = 5
_TRUE = frozenset({"1", "true", "yes", "y", "是", "t"})
_FALSE = frozenset({"0", "false", "no", "n", "否", "f"})


def read_csv(path: Path, table: Table, raw: RawTables, tz: str) -> pd.DataFrame:
    """Read one table's CSV file into typed columns; problems go to ``raw.problems`` / ``raw.warnings``.

    Parameters
    ----------
    path : Path
        The file (``.csv`` or ``.csv.gz``).
    table : Table
        Its table in the data model (column types, units, key columns for the sample rows).
    raw : RawTables
        Collects the problems and warnings.
    tz : str
        The dataset's time zone (naive times are read in it).

    Returns
    -------
    pandas.DataFrame
        One column per header name; data-model columns typed (string, Int64, Float64, bool,
        ``datetime64[us, tz]``), other columns as text. A header-only file gives zero rows.

    Raises
    ------
    DataFileError
        The file cannot be read at all (empty, undecodable, malformed CSV), naming file and line.
    """
    path = Path(path)
    decoded = load_text(path, table.name)
    if not decoded.sure:
        raw.warnings.append(DataProblem(
            table.name, None, f"{path.name}: text encoding is not certain; read as {decoded.encoding}",
            "check that Chinese text (hosts, titles, comments) reads right; save the file as UTF-8 "
            "(Excel: 'CSV UTF-8') to silence this warning"))
    header, records, lines = _records(decoded.text, path, table)
    df = pd.DataFrame({name: pd.Series([r[j] for r in records], dtype="str") for j, name in enumerate(header)},
                      index=range(len(records)))
    reader = _Columns(df, lines, path, table, raw, tz)
    return pd.DataFrame({col: reader.column(col) for col in header}, index=df.index)


def _records(text: str, path: Path, table: Table) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, records and the line where each record starts; refuses malformed structure."""
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    first, _, rest = text.partition("\n")
    sep = re.fullmatch(r"\s*sep=(.)\s*", first)
    if sep:  # Excel's "sep=;" line names the delimiter
        delimiter, text = sep.group(1), "\n" + rest  # keep the line count
    else:
        delimiter = max((",", "\t", ";"), key=lambda d: sum(c.strip().strip('"') in table.column_names
                                                            for c in first.split(d)))
    try:  # fast: one record per physical line, so a record's line is its position
        recs = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error:
        recs = []
    if recs and len(recs) == _physical_lines(text) and all(recs):
        lines = list(range(1, len(recs) + 1))
        if 1 in set(map(len, recs)):  # a line of spaces is blank: skip it
            keep = [i for i, rec in enumerate(recs) if len(rec) > 1 or rec[0].strip()]
            recs, lines = [recs[i] for i in keep], [lines[i] for i in keep]
    else:  # quoted line breaks, blank lines or a malformed file: follow the reader's line count
        recs, lines = _numbered_records(text, delimiter, path, table)
    if not recs:
        raise DataFileError(path, table.name, "file has no header line", f"export {table.name} again")
    header = [h.strip() or f"unnamed_{j + 1}" for j, h in enumerate(recs[0])]
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        if h in seen:
            raise DataFileError(path, table.name, f"column '{h}' appears twice in the header "
                                f"(columns {seen[h] + 1} and {j + 1}); either could be meant",
                                "keep one of the two columns", line=lines[0])
        seen[h] = j
    body, body_lines = recs[1:], lines[1:]
    if set(map(len, body)) - {len(header)}:
        wrong = [(no, len(rec)) for no, rec in zip(body_lines, body, strict=True) if len(rec) != len(header)]
        raise DataFileError(path, table.name, f"{len(wrong)} line(s) do not have the header's {len(header)} fields",
                            "give every line one value per column (quote values that contain "
                            f"'{delimiter}'); a line break inside a cell needs quotes too", line=wrong[0][0],
                            rows=[{"line": no, "fields": k} for no, k in wrong[:_SAMPLE]], n_rows=len(wrong))
    return header, body, body_lines


def _physical_lines(text: str) -> int:
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (0 if text.endswith(("\n", "\r")) else 1)


def _numbered_records(text: str, delimiter: str, path: Path, table: Table) -> tuple[list[list[str]], list[int]]:
    """Non-blank records and the line where each starts; malformed CSV is refused naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    recs: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for rec in reader:
            if rec and (len(rec) > 1 or rec[0].strip()):  # blank lines are skipped
                recs.append(rec)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        if "unexpected end of data" in str(err):
            raise DataFileError(path, table.name, "a quoted cell is never closed (its quote opens on this line)",
                                'close the quote, or write a literal quote inside a quoted cell as two quotes ("")',
                                line=start) from None
        raise DataFileError(path, table.name, f"is not well-formed CSV ({err})",
                            'quote cells that contain quotes, and double the quotes inside them ("")',
                            line=reader.line_num) from None
    return recs, lines


class _Columns:
    """Types the columns of one file and reports what cannot be read."""

    def __init__(self, df: pd.DataFrame, lines: list[int], path: Path, table: Table, raw: RawTables,
                 tz: str) -> None:
        self.df, self.lines, self.path, self.table, self.raw, self.tz = df, lines, path, table, raw, tz

    def column(self, col: str) -> pd.Series:
        if col not in self.table.column_names:
            return self.df[col].astype("string")
        spec = self.table.column(col)
        stripped = self.df[col].str.strip()
        if spec.dtype == "string":
            s = stripped.astype("string")
            return s.where(~s.isin(TEXT_MISSING_TOKENS), None)
        cells = stripped.tolist()
        if spec.dtype == "bool":
            return self._bools(col, cells)
        if spec.dtype == "timestamp":
            return self._times(col, cells)
        return self._numbers(col, spec, cells)

    def _bools(self, col: str, cells: list[str]) -> pd.Series:
        values: list[bool | None] = []
        bad = []
        for i, c in enumerate(cells):
            low = c.lower()
            if low in _TRUE:
                values.append(True)
            elif low in _FALSE:
                values.append(False)
            else:
                values.append(None)
                if c not in TEXT_MISSING_TOKENS:
                    bad.append(i)
        self._problem(col, bad, "values cannot be parsed as true/false", "fix these cells; expected "
                      "true/false, 是/否 or 1/0")
        return pd.Series(pd.array(values, dtype="boolean"), index=self.df.index)

    def _times(self, col: str, cells: list[str]) -> pd.Series:
        parsed = parse_time_column([None if c in TEXT_MISSING_TOKENS else c for c in cells], self.tz)
        self._problem(col, parsed.unparseable, "values cannot be parsed as times",
                      "fix these cells; expected timestamps with the year first, such as 2026-09-07 19:30:00+08:00")
        self._problem(col, parsed.nonexistent, f"times without an offset do not exist or are ambiguous in {self.tz} "
                      "(a daylight-saving change)", "add the UTC offset to these cells (e.g. +08:00)")
        if parsed.naive and not parsed.aware:
            self._problem(col, [], f"timestamps have no time zone; read as {self.tz}",
                          "add +08:00 (or your zone) to silence this warning", warning=True)
        elif parsed.naive:
            self._problem(col, parsed.naive, f"some timestamps have no time zone and were read as {self.tz}; "
                          "the others carry an offset and were converted to it",
                          "add the offset to these cells (e.g. +08:00) to silence this warning", warning=True)
        return parsed.values.set_axis(self.df.index)

    def _numbers(self, col: str, spec: Column, cells: list[str]) -> pd.Series:
        dtype: Literal["int", "float"] = "int" if spec.dtype == "int" else "float"
        parsed = parse_number_column(cells, dtype=dtype, unit=spec.unit)
        self._number_issues(col, parsed, dtype)
        return pd.Series(pd.array(parsed.values, dtype="Int64" if dtype == "int" else "Float64"),
                         index=self.df.index)

    def _number_issues(self, col: str, parsed: NumberColumn, dtype: str) -> None:
        messages = {
            "unparseable": ("values cannot be parsed as numbers",
                            f"fix these cells (row = line in the CSV file); expected {_NUMBER_HINT}"),
            "non_finite": ("values are not finite numbers (NaN / inf)",
                           "write the actual number, or leave the cell empty (or '-') if it is not known"),
            "overflow": (("values overflow: beyond the largest count that can be stored (9,223,372,036,854,775,807)"
                          if dtype == "int" else "values overflow: too large (or too small) to be a number"),
                         "correct these cells at the source; the numbers are not plausible"),
            "not_whole": ("values cannot be parsed as whole numbers; this column is a count",
                          "fix these cells (row = line in the CSV file); expected whole numbers (this is a count)"),
            "mixed_separators": ("column mixes a decimal comma (2607,79) with a decimal point or thousands "
                                 "separators (1,234.5); no reading of it is safe, so the column is refused",
                                 "write every number of this column the same way, best without thousands "
                                 "separators and with a decimal point (2607.79, 1234.5)"),
            "wrong_unit": ("values are written in a unit this column does not have (a percentage or a duration "
                           f"where {self.table.column(col).unit or 'a plain number'} is expected)",
                           "write the plain number in the column's unit (see docs/data-model.md)"),
            "ambiguous_comma": ("'1,234' could be 1234 (thousands separator) or 1.234 (decimal comma) and no "
                                "cell of the column tells which, so the column is refused",
                                "write these numbers without thousands separators (1234) or with a decimal "
                                "point (1.234)"),
        }
        for issue in parsed.issues:
            problem, fix = messages[issue.kind]
            self._problem(col, issue.rows, problem, fix)

    def _problem(self, col: str, positions: list[int], problem: str, fix: str, *, warning: bool = False) -> None:
        if not positions and not warning:
            return
        keys = [k for k in self.table.key if k in self.df.columns and k != col]
        rows: list[dict[str, Any]] = [
            {"row": self.lines[i], **{k: self.df[k].iat[i] for k in keys}, col: self.df[col].iat[i]}
            for i in positions[:_SAMPLE]]
        where = f"{self.path.name}: {problem}"
        target = self.raw.warnings if warning else self.raw.problems
        target.append(DataProblem(self.table.name, col, where, fix, rows, len(positions)))
