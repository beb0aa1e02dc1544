"""Timestamp cells of a CSV column to tz-aware times in the dataset's zone.

Rules:

* A cell with an offset or ``Z`` (``2026-09-07T11:30:00Z``, ``2026-09-07 19:30:00+08:00``, ``+0800``)
  is an exact instant and is converted to the dataset's zone. One column may mix offsets.
* A cell without one (``2026-09-07 19:30:00``) is read as wall-clock time in the dataset's zone, and
  the column gets a warning (all cells naive: "timestamps have no time zone"; some naive, some with an
  offset: the naive ones are listed, the others converted).
* A naive time that does not exist or is ambiguous in the zone (a daylight-saving change) is refused
  with its rows: only an offset says which instant is meant.
* Dates must be written year first (``2026-09-07``, ``2026/9/7``, ``2026.09.07``, ``2026年9月7日``):
  ``07/09/2026`` could be 7 September or 9 July, and a time alone (``19:30``) has no date, so both
  are refused rather than guessed per cell. Anything else pandas cannot read as a time is refused.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

_AWARE = re.compile(r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$")
_YEAR_FIRST = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:$|[T\s])")
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
    utc_us = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    text = pd.Series(np.asarray(cells, dtype=object), dtype="str")
    if text.str.contains("年", regex=False).any():
        text = pd.Series([c if pd.isna(c) else _chinese_date(c) for c in text], dtype="str")
    given = text.notna().to_numpy()
    year_first = text.str.match(_YEAR_FIRST.pattern).to_numpy(dtype=bool)
    has_offset = text.str.contains(_AWARE.pattern).to_numpy(dtype=bool)
    aware = np.flatnonzero(year_first & has_offset)
    naive = np.flatnonzero(year_first & ~has_offset)
    col = TimeColumn(pd.Series(dtype=f"datetime64[{UNIT}, {tz}]"),
                     unparseable=np.flatnonzero(given & ~year_first).tolist(), aware=aware.tolist())
    if len(aware):
        got = _parse(text.iloc[aware], utc=True)
        ok = got.notna().to_numpy()
        utc_us[aware[ok]] = _utc_micros(got[ok])
        col.unparseable += aware[~ok].tolist()
    if len(naive):
        got = _parse(text.iloc[naive], utc=False)
        ok = got.notna().to_numpy()
        local = got.dt.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
        placed = local.notna().to_numpy()
        utc_us[naive[placed]] = _utc_micros(local[placed])
        col.unparseable += naive[~ok].tolist()
        col.nonexistent = naive[ok & ~placed].tolist()
        col.naive = naive[ok].tolist()
    col.unparseable.sort()
    col.values = pd.Series(utc_us.view(f"datetime64[{UNIT}]")).dt.tz_localize("UTC").dt.tz_convert(tz)
    return col


def _utc_micros(s: pd.Series) -> np.ndarray:
    """Tz-aware times as int64 microseconds since the epoch (UTC)."""
    return s.dt.tz_convert("UTC").dt.tz_localize(None).astype(f"datetime64[{UNIT}]").to_numpy().view(np.int64)


def _chinese_date(text: str) -> str:
    """``2026年9月7日 19:30`` → ``2026-9-7 19:30``."""
    if "年" not in text:
        return text
    return re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*", lambda m: f"{m[1]}-{m[2]}-{m[3]} ", text).strip()


def _parse(texts: pd.Series, *, utc: bool) -> pd.Series:
    """ISO 8601 first (fast, exact), then pandas' mixed-format parser for the cells it did not read."""
    s = texts.reset_index(drop=True)
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
