"""Is a Parquet file's data what its footer says it is? Catching damaged pages that still decode.

Parquet files written without page checksums (the usual case) can be damaged so that a page
still decodes — into other values. The footer records, per column chunk, the row count, the
number of missing values and the smallest and largest value; data that disagrees with its own
footer is corrupt. :func:`footer_stats` reads those records (footer only, no data) and
:func:`disagreements` compares them with what the engine read, so validation can check them in
the aggregate query it runs anyway. :func:`decode_error` fully decodes a file with pyarrow (used
only once a table already looks wrong, to tell damage from bad data).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class ColumnStats:
    """What a Parquet footer records for one column over all row groups (``None``: not recorded)."""

    nulls: int | None
    low: Any = None
    high: Any = None


def footer_stats(path: Path, columns: list[str], comparable: set[str]) -> tuple[int, dict[str, ColumnStats]]:
    """Row count and per-column statistics from the footer of ``path``.

    Parameters
    ----------
    path : a Parquet file whose footer is readable.
    columns : the columns to report.
    comparable : columns whose smallest and largest values are compared (numbers, instants, text);
        only missing-value counts are reported for the others.

    Returns
    -------
    tuple
        The number of rows and column name → :class:`ColumnStats`.
    """
    import pyarrow.parquet as pq

    md = pq.ParquetFile(path).metadata
    index = {md.schema.column(j).path: j for j in range(md.num_columns)}
    out: dict[str, ColumnStats] = {}
    for name in columns:
        j = index.get(name)
        if j is None:
            continue
        stats = [md.row_group(g).column(j).statistics for g in range(md.num_row_groups)]
        nulls: int | None = None
        if stats and all(s is not None and s.has_null_count for s in stats):
            nulls = sum(int(s.null_count) for s in stats)
        low = high = None
        if name in comparable and stats and all(s is not None and s.has_min_max for s in stats):
            try:
                low, high = min(s.min for s in stats), max(s.max for s in stats)
            except TypeError:  # values of a type that do not compare (never for numbers or instants)
                low = high = None
        out[name] = ColumnStats(nulls, low, high)
    return md.num_rows, out


def disagreements(stats: dict[str, ColumnStats], observed: dict[str, tuple[Any, Any, int]]) -> list[str]:
    """Columns whose data disagrees with the footer: ``"amount (smallest 0.0, footer says 31.92)"``.

    ``observed`` maps a column to the (smallest, largest, missing count) the engine read.
    """
    out: list[str] = []
    for name, st in stats.items():
        if name not in observed:
            continue
        low, high, nulls = observed[name]
        if st.nulls is not None and nulls is not None and int(nulls) != st.nulls:
            out.append(f"{name} ({int(nulls)} missing values, the file's footer says {st.nulls})")
            continue
        if st.low is None or _missing(low) or _missing(high):
            continue
        lo, hi, slo, shi = (_plain(v) for v in (low, high, st.low, st.high))
        if any(v is None for v in (lo, hi, slo, shi)):
            continue
        if lo < slo or hi > shi:
            out.append(f"{name} (values {_show(low)} … {_show(high)}, "
                       f"the file's footer says {_show(st.low)} … {_show(st.high)})")
    return out


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT


def _plain(v: Any) -> Any:
    """Numbers as float, instants as UTC microseconds (the engine's unit), text as UTF-8 bytes; else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)) or hasattr(v, "dtype") and getattr(v.dtype, "kind", "") in "iuf":
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, str):
        return v.encode("utf-8")  # Parquet orders text by its UTF-8 bytes
    try:
        ts = pd.Timestamp(v)
    except (TypeError, ValueError):
        return None
    if pd.isna(ts) or ts.tzinfo is None:
        return None
    return int(ts.as_unit("us").asm8.view("i8"))  # microseconds: exact for any year (no ns overflow)


def decode_error(path: Path | None) -> BaseException | None:
    """The error a full decode of a Parquet file raises (a damaged page an engine may read as garbage), or None."""
    if path is None or not path.name.lower().endswith(".parquet"):
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        for _ in pq.ParquetFile(path).iter_batches(batch_size=1 << 16):
            pass
    except (pa.ArrowException, OSError, ValueError) as err:
        return err
    return None


def _show(v: Any) -> str:
    """A value for a message: text quoted with control characters escaped (garbage can hold any byte)."""
    return repr(v) if isinstance(v, str) else str(v)
