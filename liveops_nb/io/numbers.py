"""Platform-export numbers, read exactly, with the decimal separator decided per column.

Cells
-----
A cell is a plain number (``42``, ``-3.5``, ``1e3``) or a platform format: a currency sign
(``¥236,552``, ``￥1,234.5``, ``12元``, ``1.2万元``), a percentage (``15.28%`` → 0.1528, ``5‰`` → 0.005),
a 万 / w / 亿 multiple (``1.2万`` → 12 000, ``3亿`` → 3×10⁸) or a duration (``1分5秒`` → 65 s,
``2小时3分`` → 7 380 s; durations always use a decimal point). Full-width characters are read as
their ASCII forms (``１２３``, ``，``, ``％``) and ``−`` as a minus sign. Digits are read with
:class:`decimal.Decimal`, so counts are exact at any size and other numbers are the correctly
rounded float of the written decimal.

Missing and non-finite values
-----------------------------
The :data:`MISSING_TOKENS` (``""``, ``-``, ``--``, ``—``, ``null``, ``NULL``, ``None``, ``N/A``,
``n/a``) are missing values. A literal ``NaN`` / ``nan``, ``inf`` / ``Infinity`` (either sign) or ``∞``
in a number column is **refused**: it is what a failed computation upstream writes, not a blank cell,
and reading it as missing would turn a session's GMV into "not available" without an error.
A written number beyond the float range (``1e400``) or one that would underflow to zero
(``1e-400``) is refused as overflow; in a count column (int) a value beyond int64 is refused as
overflow (never wrapped to a negative number).

Decimal comma or thousands separator: decided per column
--------------------------------------------------------
Each non-missing cell is read both ways — *point* convention (``,`` groups thousands, ``.`` is the
decimal point: ``1,234,567.5``) and *comma* convention (``.`` groups thousands, ``,`` is the decimal
comma: ``1.234.567,5``). Grouping must be regular (first group 1–3 digits not starting with 0, then
groups of exactly three) or that reading is invalid. So ``2607,79``, ``0,153`` and ``1.234,5`` can
only be comma-convention; ``1,234,567``, ``1,234.5`` and ``3.5`` only point-convention; ``1234`` reads
the same both ways; ``1,234`` and ``1.234`` are ambiguous (1234 or 1.234). The column then decides:

1. cells that can only be comma-convention **and** cells that can only be point-convention in one
   column → the column is refused (it mixes the two, so no reading is safe);
2. any comma-only cell → the whole column is comma-convention (``2607,79`` → 2607.79, and an
   ambiguous ``1,234`` in that column → 1.234 — except in money and headcounts (see 4), where a
   decimal comma is not followed by three digits, so ``1,234`` next to ``2607,79`` refuses the column);
3. any point-only cell → the whole column is point-convention (``1,234`` → 1234);
4. only ambiguous cells (and plain ones): ``1.234`` alone is a decimal point (dot grouping is only
   accepted next to a decimal comma); ``1,234`` alone is a thousands separator in counts (int
   columns: 1.234 orders is impossible), money (CNY: a decimal comma would give amounts finer than
   a fen) and headcounts (unit people, e.g. average concurrent viewers: platforms group them, and
   do not write them to three decimals), and is refused as ambiguous in any other column (e.g.
   seconds); a column with both ``1,234`` and ``1.234`` is refused.

A cell is never read one way while its column is read the other way.

Units
-----
A percentage is a number only in a ratio column and a duration only in a seconds column: ``15%`` in
an amount or ``5m`` (5 minutes) in GMV is refused as written in the wrong unit, never read as 0.15 or
300. ``万`` / ``亿`` multiples are accepted in every number column.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation
from typing import Any, Literal

import numpy as np

from ..errors import NumberFormatError

MISSING_TOKENS = frozenset({"", "-", "--", "—", "null", "NULL", "None", "N/A", "n/a"})
NON_FINITE_TOKENS = frozenset({"nan", "inf", "infinity", "∞"})  # compared lower-cased, sign removed
INT64_MAX = 2**63 - 1
# Units in which a lone 1,234 is a thousands separator: money (a decimal comma would be finer than a fen)
# and headcounts (platforms write them grouped; an average headcount is not written to three decimals).
_THOUSANDS_UNITS = frozenset({"CNY", "people"})
# Scaling by % / 万 / a sign never rounds or overflows: 80 digits, the widest exponent range.
_CTX = Context(prec=80, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation])

Convention = Literal["point", "comma"]
Kind = Literal["plain", "point", "comma", "ambiguous_comma", "ambiguous_point"]
Form = Literal["number", "percent", "duration"]
# Which units accept a percentage or a duration; "" = a column of no known unit accepts every form.
_FORM_UNITS: dict[str, frozenset[str]] = {"percent": frozenset({"ratio", ""}), "duration": frozenset({"seconds", ""})}

_CELL = re.compile(r"^(?P<s1>[-+])?\s*(?P<cur>¥)?\s*(?P<s2>[-+])?\s*"
                   r"(?P<body>[0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*"
                   r"(?P<suffix>%|‰|万元|万|w|W|亿元|亿|元)?$")
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|时|h))?"
                       r"\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min|m))?"
                       r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s))?$")
_POINT = re.compile(r"^(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d*)?$|^\.\d+$")
_COMMA = re.compile(r"^(?:\d+|[1-9]\d{0,2}(?:\.\d{3})+)(?:,\d+)?$")
_EXPONENT = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)[eE][-+]?\d+$")
_PLAIN = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_SCALE = {"%": Decimal("0.01"), "‰": Decimal("0.001"), "万": Decimal(10_000), "万元": Decimal(10_000),
          "w": Decimal(10_000), "W": Decimal(10_000), "亿": Decimal(100_000_000), "亿元": Decimal(100_000_000),
          "元": Decimal(1), None: Decimal(1)}


@dataclass(frozen=True)
class Cell:
    """One cell read both ways: its kind and its value under each convention (``None`` = invalid)."""

    kind: Kind
    point: Decimal | None
    comma: Decimal | None
    form: Form = "number"


class _NonFinite(Exception):
    pass


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("−", "-").strip()


def read_cell(text: str) -> Cell | None:
    """Read one non-missing cell both ways; ``None`` if it is not a number in any accepted format.

    Raises ``_NonFinite`` (module-private) for NaN / inf tokens.
    """
    s = _normalise(text)
    if s.lstrip("+-").strip().lower() in NON_FINITE_TOKENS:
        raise _NonFinite(text)
    m = _CELL.match(s)
    if m is None:
        d = _DURATION.match(s)
        if d and any(d.groups()):
            h, mi, se = (Decimal(g) if g else Decimal(0) for g in d.groups())
            seconds = h * 3600 + mi * 60 + se
            return Cell("plain", seconds, seconds, "duration")
        return None
    if m.group("s1") and m.group("s2"):
        return None
    negative = (m.group("s1") or m.group("s2")) == "-"
    body, scale = m.group("body"), _SCALE[m.group("suffix")]
    point = comma = None
    if _EXPONENT.match(body):
        point = Decimal(body)
        comma = point if "." not in body else None
    else:
        if _POINT.match(body):
            point = Decimal(body.replace(",", ""))
        if _COMMA.match(body):
            comma = Decimal(body.replace(".", "").replace(",", "."))
    if point is None and comma is None:
        return None
    if point is not None and comma is not None:
        kind: Kind = "plain" if point == comma else ("ambiguous_comma" if "," in body else "ambiguous_point")
    else:
        kind = "point" if point is not None else "comma"
    sign = Decimal(-1) if negative else Decimal(1)
    form: Form = "percent" if m.group("suffix") in ("%", "‰") else "number"
    return Cell(kind, None if point is None else _CTX.multiply(_CTX.multiply(sign, point), scale),
                None if comma is None else _CTX.multiply(_CTX.multiply(sign, comma), scale), form)


def parse_number(value: Any) -> float | None:
    """Parse one platform-export number on its own: ``"¥236,552"``, ``"15.28%"``, ``"1.2万"``, ``"1分5秒"``.

    Parameters
    ----------
    value : str or number
        The cell. ``None`` / a float NaN (pandas' missing value) and the :data:`MISSING_TOKENS`
        give ``None``.

    Returns
    -------
    float or None
        Percentages become fractions, 万 = 10 000, 亿 = 10⁸, durations become seconds.

    Raises
    ------
    NumberFormatError
        For text that is not a number, a NaN / inf text, an infinite float, a number beyond the
        float range, and a decimal comma (``2607,79``): alone a cell cannot say which separator
        is meant, so ``,`` is read as the platforms' thousands separator only where that is the
        sole valid reading (``1,234`` → 1234). Whole columns go through :func:`parse_number_column`.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        if not np.isfinite(value):
            raise NumberFormatError(value)
        return float(value)
    if str(value).strip() in MISSING_TOKENS:
        return None
    try:
        cell = read_cell(str(value))
    except _NonFinite:
        raise NumberFormatError(value) from None
    if cell is None or cell.point is None:
        raise NumberFormatError(value)
    out = float(cell.point)
    if not np.isfinite(out) or (out == 0.0 and cell.point != 0):
        raise NumberFormatError(value)
    return out


IssueKind = Literal["unparseable", "non_finite", "overflow", "not_whole", "mixed_separators", "ambiguous_comma",
                    "wrong_unit"]


@dataclass
class Issue:
    """Cells of one column that cannot be read, by reason; ``rows`` are 0-based positions in the column."""

    kind: IssueKind
    rows: list[int]


@dataclass
class NumberColumn:
    """A column read under one convention: values (``None`` = missing or refused) and the issues."""

    values: list[float | int | None]
    convention: Convention = "point"
    issues: list[Issue] = field(default_factory=list)

    def issue(self, kind: IssueKind) -> Issue | None:
        """The issue of this kind, if any."""
        return next((i for i in self.issues if i.kind == kind), None)


def parse_number_column(cells: Sequence[str | None], *, dtype: Literal["int", "float"] = "float",
                        unit: str = "") -> NumberColumn:
    """Read a column of platform-export numbers under one decimal convention (see the module docstring).

    Parameters
    ----------
    cells : sequence of str or None
        The column's text cells, in file order (``None`` or a missing token = missing).
    dtype : {"int", "float"}
        ``"int"`` for counts: values must be whole and within int64, and are returned exactly.
    unit : str
        The column's unit from the data model: money (``"CNY"``) and headcounts (``"people"``) read a
        lone ``1,234`` as 1234; a percentage is accepted only in ``"ratio"`` columns and a duration
        (``1分5秒``) only in ``"seconds"`` columns (``""``: any form).

    Returns
    -------
    NumberColumn
        ``values`` has one entry per cell; a refused cell is ``None`` and listed in ``issues``.
        When the column is refused as a whole (mixed or ambiguous separators) every value is ``None``.
    """
    n = len(cells)
    values: list[float | int | None] = [None] * n
    texts = [None if c is None or c.strip() in MISSING_TOKENS else c for c in cells]
    fast = _fast_path(texts, dtype)
    if fast is not None:
        return NumberColumn(fast)
    issues: dict[IssueKind, list[int]] = {}
    read: list[Cell | None] = [None] * n
    for i, t in enumerate(texts):
        if t is None:
            continue
        try:
            read[i] = read_cell(t)
        except _NonFinite:
            issues.setdefault("non_finite", []).append(i)
            continue
        cell = read[i]
        if cell is None:
            issues.setdefault("unparseable", []).append(i)
        elif cell.form != "number" and unit not in _FORM_UNITS[cell.form]:
            issues.setdefault("wrong_unit", []).append(i)
            read[i] = None
    by_kind: dict[Kind, list[int]] = {}
    for i, c in enumerate(read):
        if c is not None:
            by_kind.setdefault(c.kind, []).append(i)
    convention, refusal = _decide(by_kind, dtype, unit)
    if refusal is not None:
        issues[refusal[0]] = refusal[1]
        return NumberColumn(values, convention, [Issue(k, v) for k, v in issues.items()])
    for i, c in enumerate(read):
        if c is None:
            continue
        dec = c.point if convention == "point" else c.comma
        assert dec is not None  # guaranteed by _decide
        v, problem = _convert(dec, dtype)
        if problem:
            issues.setdefault(problem, []).append(i)
        else:
            values[i] = v
    return NumberColumn(values, convention, [Issue(k, v) for k, v in issues.items()])


def _decide(by_kind: dict[Kind, list[int]], dtype: str,
            unit: str) -> tuple[Convention, tuple[IssueKind, list[int]] | None]:
    comma_only, point_only = by_kind.get("comma", []), by_kind.get("point", [])
    amb_comma, amb_point = by_kind.get("ambiguous_comma", []), by_kind.get("ambiguous_point", [])
    if comma_only and point_only:
        return "point", ("mixed_separators", _interleave(comma_only, point_only))
    if comma_only and amb_comma and unit in _THOUSANDS_UNITS:  # 1,234 cannot be a decimal comma there
        return "comma", ("mixed_separators", _interleave(comma_only, amb_comma))
    if comma_only:
        return "comma", None
    if point_only:
        return "point", None
    if amb_comma and amb_point:
        return "point", ("mixed_separators", _interleave(amb_point, amb_comma))
    if amb_comma and not (dtype == "int" or unit in _THOUSANDS_UNITS):
        return "point", ("ambiguous_comma", amb_comma)
    return "point", None


def _interleave(a: list[int], b: list[int]) -> list[int]:
    """Both kinds of cell, the first three of ``a`` and two of ``b`` first (so the sample shows both)."""
    head = a[:3] + b[:2]
    return head + sorted((set(a) | set(b)) - set(head))


def _convert(dec: Decimal, dtype: str) -> tuple[float | int | None, IssueKind | None]:
    if dtype == "int":
        try:
            whole = dec == dec.to_integral_value()
        except InvalidOperation:  # exponent too large for the context: certainly beyond int64
            return None, "overflow"
        if not whole:
            return None, "not_whole"
        if dec.copy_abs() > INT64_MAX:
            return None, "overflow"
        return int(dec), None
    f = float(dec)
    if not np.isfinite(f) or (f == 0.0 and dec != 0):
        return None, "overflow"
    return f, None


def _fast_path(texts: list[str | None], dtype: str) -> list[float | int | None] | None:
    """Plain numbers only (``-12``, ``3.25``): no separator to decide, read directly."""
    out: list[float | int | None] = []
    for t in texts:
        if t is None:
            out.append(None)
            continue
        s = t.strip()
        if len(s) > 300 or not _PLAIN.match(s):  # 300 digits could pass the float range
            return None
        if dtype == "int":
            if "." in s or len(s) > 18:
                return None
            out.append(int(s))
        else:
            out.append(float(s))
    return out
