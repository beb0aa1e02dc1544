"""A sheet of text cells to typed columns of the data model, by a mapping — or problems naming file, sheet, row, column.

* **Header row**: the row (among the first 30) with the most headers of the mapping; title lines above
  it are skipped. Headers are compared after NFKC and without spaces (``（分钟）`` = ``(分钟)``).
* **Kind**: the mapping's table kind whose ``signature`` headers are all in the header row (most mapped
  headers wins); a workbook whose sheet names are the single-session workbook's is that workbook.
* **Rows**: blank rows are skipped; a totals row (first cell 合计 / 总计 / 汇总 / 整体 / Total, or the
  spec's ``total_row``) is kept apart for cross-checks; SKU rows (``sub_rows``) are skipped; an exact
  duplicate of an earlier row is dropped with a warning.
* **Values**: numbers by :func:`liveops_nb.io.numbers.parse_number_column` (``¥236,552``, ``15.28%``,
  ``1分5秒``, ``-``), times by :func:`liveops_nb.io.times.parse_time_column` (naive times are the dataset's
  zone, Asia/Shanghai: platform back ends export Beijing time), text stripped. A column's type and unit
  are the data model's; a rate column is a fraction; ``scale`` multiplies (minutes → seconds).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ImportFileError
from ..io.numbers import MISSING_TOKENS, parse_number_column
from ..io.times import parse_time_column
from ..schema import TABLES, Column
from .mapping import Mapping, SheetSpec, norm
from .sources import Source
from .xlsx import LOST_DIGITS

TOTAL_WORDS = frozenset({"合计", "总计", "汇总", "整体", "total", "总计:", "合计:"})
_STRING_TARGETS = {"room_account": "string", "room_name": "string", "room_id": "string", "session_id": "string",
                   "name": "string", "role": "string", "category": "string"}
_NUMBER_FIX = "write a number (¥1,234 · 15.28% · 1.2万 · 1分5秒 are understood; '-' or empty for missing)"
_ISSUES = {
    "unparseable": ("values cannot be read as numbers", _NUMBER_FIX),
    "non_finite": ("values are NaN / inf", "write the number, or '-' if it is not known"),
    "overflow": ("values are too large to be plausible", "correct these cells at the source"),
    "not_whole": ("values are not whole numbers, but this column is a count", "write whole numbers"),
    "mixed_separators": ("the column mixes a decimal comma (2607,79) with a decimal point or thousands separators",
                         "write every number of the column the same way (2607.79)"),
    "ambiguous_comma": ("'1,234' could be 1234 or 1.234 and no cell of the column tells which",
                        "write the numbers without thousands separators"),
    "wrong_unit": ("values are in a unit this column does not have (a % or a duration where a plain number "
                   "is expected)", "write the plain number in the column's unit (docs/data-model.md)"),
}


@dataclass
class Parsed:
    """One recognised table of an export: typed columns (data-model names) and what reading noticed."""

    source: Source
    kind: str
    spec: SheetSpec
    frame: pd.DataFrame  # data-model columns (and room_account …) plus ``_row``, the source row number
    totals: pd.DataFrame | None = None  # the totals row, typed like ``frame``
    rates: dict[str, tuple[str, str]] = field(default_factory=dict)  # rate column -> (numerator, denominator)
    headers: dict[str, str] = field(default_factory=dict)  # data-model column -> export header
    unknown: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings, as sentences


def header_row(source: Source, spec: SheetSpec) -> tuple[int, int]:
    """(index of the header row in ``source.rows``, how many of its cells the spec maps); (-1, 0) when none."""
    best = (-1, 0)
    for i, row in enumerate(source.rows[:30]):
        hits = sum(1 for c in row if c is not None and spec.rule(c) is not None)
        if hits > best[1]:
            best = (i, hits)
    return best


def recognise(source: Source, mapping: Mapping) -> tuple[str, SheetSpec, int] | None:
    """The table kind of a sheet (kind name, spec, header row index), or ``None`` when no kind fits."""
    found = []
    for kind, spec in mapping.kinds.items():
        i, hits = header_row(source, spec)
        if i < 0:
            continue
        present = {norm(c) for c in source.rows[i] if c is not None}
        if all(norm(h) in present for h in spec.signature) and hits >= 2:
            found.append((hits, kind, spec, i))
    if not found:
        return None
    hits, kind, spec, i = max(found, key=lambda f: f[0])
    return kind, spec, i


def parse_table(source: Source, kind: str, spec: SheetSpec, head: int, tz: str,
                problems: list[ImportFileError]) -> Parsed:
    """Typed columns of a table sheet whose header is row ``head``; unreadable values go to ``problems``."""
    header = [None if c is None else str(c).strip() for c in source.rows[head]]
    body = source.rows[head + 1:]
    numbers = source.row_numbers[head + 1:]
    cols: dict[str, int] = {}
    unknown: list[str] = []
    seen: dict[str, int] = {}
    for j, h in enumerate(header):
        if h is None:
            continue
        if norm(h) in seen:
            problems.append(ImportFileError(source.path, f"column '{h}' appears twice in the header (columns "
                            f"{seen[norm(h)] + 1} and {j + 1}); either could be meant", "keep one of the two columns",
                            sheet=source.sheet, row=source.row_numbers[head], column=h))
            continue
        seen[norm(h)] = j
        if spec.rule(h) is None:
            unknown.append(h)
        else:
            cols[h] = j
    data, rows, totals, notes = _split_rows(body, numbers, header, spec)
    frame, headers, rates = _typed(source, spec, cols, data, rows, tz, problems)
    total_frame = None
    if totals:
        total_frame, _, _ = _typed(source, spec, cols, [totals[0][0]], [totals[0][1]], tz, problems)
    return Parsed(source, kind, spec, frame, total_frame, rates, headers, unknown, notes)


def parse_record(source: Source, spec: SheetSpec, tz: str, problems: list[ImportFileError]) -> Parsed:
    """A record sheet (基本信息, 整体看板): label/value pairs, or a header row with one row of values."""
    head, hits = header_row(source, spec)
    if head >= 0 and hits >= 2 and head + 1 < len(source.rows):
        row = source.rows[head + 1]
        if sum(1 for c in row if c is not None and spec.rule(c) is not None) == 0:
            return parse_table(source, "record", spec, head, tz, problems)
    header: list[str | None] = []
    values: list[str | None] = []
    where: list[int] = []
    for row, no in zip(source.rows, source.row_numbers, strict=True):
        for j, c in enumerate(row[:-1]):
            if c is not None and spec.rule(c) is not None and norm(c) not in {norm(h) for h in header if h}:
                header.append(str(c).strip())
                values.append(row[j + 1])
                where.append(no)
    cols = {h: j for j, h in enumerate(header) if h is not None}
    frame, headers, rates = _typed(source, spec, cols, [values], [where[0] if where else 1], tz, problems)
    return Parsed(source, "record", spec, frame, None, rates, headers, [], [])


def _split_rows(body: list[list[str | None]], numbers: list[int], header: list[str | None],
                spec: SheetSpec) -> tuple[list[list[str | None]], list[int], list[tuple[list[str | None], int]], list[str]]:
    sub = [j for j, h in enumerate(header) if h is not None and norm(h) in {norm(s) for s in spec.sub_rows}]
    total_words = TOTAL_WORDS | ({norm(spec.total_row)} if spec.total_row else set())
    data, rows, totals, notes = [], [], [], []
    seen: dict[tuple[Any, ...], int] = {}
    n_sub = 0
    for row, no in zip(body, numbers, strict=True):
        first = next((c for c in row if c is not None), None)
        if first is None:
            continue
        if norm(first) in total_words:
            totals.append((row, no))
            continue
        if any((row[j] or "").strip() not in MISSING_TOKENS for j in sub):
            n_sub += 1
            continue
        key = tuple(row)
        if key in seen:
            notes.append(f"row {no} repeats row {seen[key]} exactly; it was read once")
            continue
        seen[key] = no
        data.append(row)
        rows.append(no)
    if n_sub:
        notes.append(f"{n_sub} SKU row(s) skipped (the product rows carry the totals)")
    return data, rows, totals, notes


def _typed(source: Source, spec: SheetSpec, cols: dict[str, int], data: list[list[str | None]], rows: list[int],
           tz: str, problems: list[ImportFileError]) -> tuple[pd.DataFrame, dict[str, str], dict[str, tuple[str, str]]]:
    table = TABLES[spec.table or "sessions"]
    label = source.path.name + (f" [{source.sheet}]" if source.sheet else "")
    out: dict[str, Any] = {"_row": rows, "_src": [label] * len(rows)}
    headers: dict[str, str] = {}
    rates: dict[str, tuple[str, str]] = {}
    for h, j in cols.items():
        rule = spec.rule(h)
        assert rule is not None
        cells = [row[j] if j < len(row) else None for row in data]
        if rule.rate is not None:
            name = f"rate:{norm(h)}"
            out[name] = _numbers(source, h, cells, rows, "float", "ratio", None, problems)
            rates[name] = rule.rate
            headers[name] = h
            continue
        if not rule.targets:
            continue
        target = rule.targets[0]
        col = _column(table.name, target)
        values: Any
        if target in _STRING_TARGETS or col.dtype == "string":
            values = _strings(source, h, cells, rows, problems)
        elif col.dtype == "timestamp":
            values = _times(source, h, cells, rows, tz, problems)
        else:
            dtype = "float" if rule.scale is not None else col.dtype
            values = _numbers(source, h, cells, rows, dtype, col.unit, rule.scale, problems)
        for t in rule.targets:
            out[t] = values
            headers[t] = h
    return pd.DataFrame(out), headers, rates


def _column(table: str, name: str) -> Column:
    """The data-model column ``name`` feeds: in ``table``, or in the table it also fills (products)."""
    if name in TABLES[table].column_names:
        return TABLES[table].column(name)
    if table == "product_stats" and name in TABLES["products"].column_names:
        return TABLES["products"].column(name)
    return Column(name, "string", name, name)


def _problem(source: Source, header: str, rows: list[int], positions: list[int], problem: str, fix: str,
             problems: list[ImportFileError]) -> None:
    if positions:
        at = [rows[i] for i in positions]
        problems.append(ImportFileError(source.path, problem, fix, sheet=source.sheet, row=at[0], column=header,
                                        rows=at))


def _strings(source: Source, header: str, cells: list[str | None], rows: list[int],
             problems: list[ImportFileError]) -> list[str | None]:
    lost = [i for i, c in enumerate(cells) if c is not None and c.startswith(LOST_DIGITS)]
    _problem(source, header, rows, lost, "an ID stored as a number in Excel has lost its last digits",
             "format the column as Text in Excel and paste the IDs again (or export as CSV)", problems)
    return [None if c is None or c.strip() in MISSING_TOKENS or i in lost else c.strip() for i, c in enumerate(cells)]


def _numbers(source: Source, header: str, cells: list[str | None], rows: list[int], dtype: str, unit: str,
             scale: float | None, problems: list[ImportFileError]) -> pd.Series:
    texts = [None if c is None else c.replace(LOST_DIGITS, "") for c in cells]
    parsed = parse_number_column(texts, dtype="int" if dtype == "int" else "float", unit=unit)
    for issue in parsed.issues:
        problem, fix = _ISSUES[issue.kind]
        _problem(source, header, rows, issue.rows, problem, fix, problems)
    s = pd.Series(pd.array(parsed.values, dtype="Int64" if dtype == "int" else "Float64"))
    return s * scale if scale is not None else s


_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?=$|\s)")


def _iso_date(m: re.Match[str]) -> str:
    """``2026/9/7`` → ``2026-09-07``: the platforms' date form, given to the time parser in ISO form (its fast path)."""
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"


def _times(source: Source, header: str, cells: list[str | None], rows: list[int], tz: str,
           problems: list[ImportFileError]) -> pd.Series:
    texts = [None if c is None or c.strip() in MISSING_TOKENS else _SLASHED.sub(_iso_date, c.strip()) for c in cells]
    parsed = parse_time_column(texts, tz)
    _problem(source, header, rows, parsed.unparseable, "values cannot be read as times",
             "write times year first, such as 2026/09/07 08:55:37", problems)
    _problem(source, header, rows, parsed.nonexistent, f"times do not exist in {tz} (a daylight-saving change)",
             "add the UTC offset (+08:00)", problems)
    return parsed.values
