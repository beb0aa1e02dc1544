"""Timestamp cells of a CSV column to tz-aware times in the dataset's zone.

Rules:

* A cell with an offset or ``Z`` (``2026-09-07T11:30:00Z``, ``2026-09-07 19:30:00+08:00``, ``+0800``)
  is an exact instant and is converted to the dataset's zone. One column may mix offsets.
* A cell without one (``2026-09-07 19:30:00``) is read as wall-clock time in the dataset's zone, and
  the column gets a warning (all cells naive: "timestamps have no time zone"; some naive, some with an
  offset: the naive ones are listed, the others converted).
* A naive time that does not exist or is ambiguous in the zone (a daylight-saving change) is refused
  with its rows: only an offset says which instant is meant.
* Anything pandas cannot read as a time (or outside the years it can hold) is refused.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

_AWARE = re.compile(r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$")
UNIT = "us"


@dataclass
class TimeColumn:
    """Parsed times (``datetime64[us, tz]``) and the positions of cells needing a message."""

    values: pd.Series
    unparseable: list[int] = field(default_factory=list)
    nonexistent: list[int] = field(default_factory=list)
    naive: list[int] = field(default_factory=list)
    aware: list[int] = field(default_factory=list)


def parse_time_column(cells: Sequence[str | None], tz: str) -> TimeColumn:
    """Read a column of timestamp texts (``None`` = missing) in the dataset zone ``tz``.

    Parameters
    ----------
    cells : sequence of str or None
        The column's cells, stripped, missing ones as ``None``.
    tz : str
        The dataset's IANA time zone (e.g. ``"Asia/Shanghai"``).

    Returns
    -------
    TimeColumn
        One value per cell (``NaT`` for missing or refused cells) and the positions to report.
    """
    n = len(cells)
    out = pd.Series(pd.NaT, index=range(n), dtype=f"datetime64[{UNIT}, {tz}]")
    present = [i for i, c in enumerate(cells) if c is not None]
    aware = [i for i in present if _AWARE.search(cells[i] or "")]
    aware_set = set(aware)
    naive = [i for i in present if i not in aware_set]
    col = TimeColumn(out, aware=aware, naive=naive)
    if aware:
        got = _parse([cells[i] for i in aware], utc=True)
        ok = got.notna().to_numpy()
        out.iloc[np.asarray(aware)[ok]] = got[ok].dt.tz_convert(tz).to_numpy()
        col.unparseable += [i for i, good in zip(aware, ok, strict=True) if not good]
    if naive:
        got = _parse([cells[i] for i in naive], utc=False)
        ok = got.notna().to_numpy()
        local = got.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        placed = local.notna().to_numpy()
        out.iloc[np.asarray(naive)[placed]] = local[placed].to_numpy()
        col.unparseable += [i for i, good in zip(naive, ok, strict=True) if not good]
        col.nonexistent = [i for i, good, p in zip(naive, ok, placed, strict=True) if good and not p]
        col.naive = [i for i, good in zip(naive, ok, strict=True) if good]
    col.unparseable.sort()
    return col


def _parse(texts: list[str | None], *, utc: bool) -> pd.Series:
    """ISO 8601 first (fast, exact), then pandas' mixed-format parser for the cells it did not read."""
    s = pd.Series(texts, dtype=object)
    got = _to_datetime(s, "ISO8601", utc)
    retry = got.isna()
    if retry.any():
        again = _to_datetime(s[retry], "mixed", utc)
        if again.notna().any():
            got = got.copy()
            got[retry] = again
    return got


def _to_datetime(s: pd.Series, fmt: str, utc: bool) -> pd.Series:
    empty = pd.Series(pd.NaT, index=s.index, dtype=f"datetime64[{UNIT}, UTC]" if utc else f"datetime64[{UNIT}]")
    try:
        got = pd.to_datetime(s, format=fmt, utc=utc, errors="coerce")
    except (ValueError, TypeError, OverflowError):  # e.g. a tz name the parser half-understands
        return _one_by_one(s, utc, empty)
    if getattr(got.dtype, "tz", None) is not None and not utc:  # a naive-looking cell that carried a zone
        return _one_by_one(s, utc, empty)
    if not pd.api.types.is_datetime64_any_dtype(got.dtype):
        return _one_by_one(s, utc, empty)
    return got.astype(empty.dtype)


def _one_by_one(s: pd.Series, utc: bool, empty: pd.Series) -> pd.Series:
    values: list[pd.Timestamp | None] = []
    for text in s.tolist():
        try:
            ts = pd.Timestamp(text)
        except (ValueError, TypeError, OverflowError):
            values.append(None)
            continue
        if pd.isna(ts) or (ts.tzinfo is None) == utc:
            values.append(None)  # an offset where none was seen, or none where one was: refuse rather than guess
            continue
        values.append(ts.tz_convert("UTC") if utc else ts)
    return pd.Series(values, index=s.index, dtype=object).astype(empty.dtype)
