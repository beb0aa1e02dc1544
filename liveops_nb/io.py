"""Reading a dataset: a folder of Parquet/CSV files, or an existing Ibis connection.

Parquet files are attached to an in-memory DuckDB through Ibis (nothing is
copied, nothing in the folder is written). CSV files — typically platform
exports — are parsed with the tolerant parsers below ("15.28%", "1分5秒",
"¥236,552", "-" for missing) and every value that cannot be parsed is reported
with its rows instead of being dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataProblem, LiveOpsError, NumberFormatError
from .schema import DEFAULT_TZ, TABLES, Column, Table

MISSING_TOKENS = {"", "-", "--", "—", "nan", "NaN", "null", "NULL", "None", "N/A", "n/a"}
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)\s*(?:小时|时|h))?"
                       r"\s*(?:(\d+(?:\.\d+)?)\s*(?:分钟|分|min|m))?"
                       r"\s*(?:(\d+(?:\.\d+)?)\s*(?:秒|s))?$")
_WAN = re.compile(r"^([-+]?\d+(?:\.\d+)?)\s*(万|w|W|亿)$")


def parse_number(value: Any) -> float | None:
    """Parse a platform-export number: ``"¥236,552"``, ``"15.28%"``, ``"1.2万"``, ``"1分5秒"``, ``"-"``.

    Returns ``None`` for the missing-value tokens and raises ``ValueError`` for
    anything else that is not a number. Percentages become fractions, 万 = 10 000,
    亿 = 10^8, durations become seconds.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    s = str(value).strip()
    if s in MISSING_TOKENS:
        return None
    s = s.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").replace("元", "").strip()
    if s.endswith("%"):
        return float(s[:-1]) / 100.0
    m = _WAN.match(s)
    if m:
        return float(m.group(1)) * {"万": 1e4, "w": 1e4, "W": 1e4, "亿": 1e8}[m.group(2)]
    try:
        return float(s)
    except ValueError:
        pass
    m = _DURATION.match(s)
    if m and any(m.groups()):
        h, mi, se = (float(g) if g else 0.0 for g in m.groups())
        return h * 3600 + mi * 60 + se
    raise NumberFormatError(value)


@dataclass
class RawTables:
    """Tables as read, before validation: Ibis tables plus what reading noticed."""

    con: Any
    tables: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[DataProblem] = field(default_factory=list)
    warnings: list[DataProblem] = field(default_factory=list)


def find_files(folder: Path) -> dict[str, Path]:
    """Map table name -> file for every ``<table>.parquet`` / ``<table>.csv`` in ``folder``."""
    found: dict[str, Path] = {}
    for name in TABLES:
        for ext in (".parquet", ".csv", ".csv.gz"):
            p = folder / f"{name}{ext}"
            if p.exists():
                found[name] = p
                break
    return found


def read_folder(folder: str | Path, *, tz: str = DEFAULT_TZ) -> RawTables:
    """Attach every table file in ``folder`` to a fresh in-memory DuckDB via Ibis."""
    import ibis

    folder = Path(folder)
    if not folder.is_dir():
        raise LiveOpsError(
            f"data folder '{folder}' does not exist; create it with `liveops demo --out {folder}` "
            "or point LIVEOPS_DATA / the data_dir parameter at your dataset."
        )
    con = ibis.duckdb.connect()
    raw = RawTables(con=con, tables={}, files=find_files(folder))
    for name, path in raw.files.items():
        table = TABLES[name]
        if path.suffix == ".parquet":
            t = con.read_parquet(str(path), table_name=f"src_{name}")
            t = _fix_parquet_timestamps(t, table, raw, tz)
        else:
            df = _read_csv(path, table, raw, tz)
            t = ibis.memtable(df)
        raw.tables[name] = t
    files = {p.stem.split(".")[0] for p in folder.glob("*.parquet")}
    files |= {p.name.split(".")[0] for p in folder.glob("*.csv*")}
    for name in sorted(files):
        if name not in TABLES:
            raw.warnings.append(DataProblem(name, None, "file is not a table of the data model and was ignored",
                                            "rename it to one of: " + ", ".join(TABLES)))
    return raw


def from_connection(con: Any) -> RawTables:
    """Use tables already in an Ibis backend (DuckDB file, Spark, Postgres...) by their model names."""
    names = set(con.list_tables())
    return RawTables(con=con, tables={n: con.table(n) for n in TABLES if n in names})


def _fix_parquet_timestamps(t, table: Table, raw: RawTables, tz: str):
    """Naive timestamps are read as local time in ``tz`` (with a warning)."""
    naive = [c.name for c in table.columns if c.dtype == "timestamp" and c.name in t.columns
             and t[c.name].type().is_timestamp() and t[c.name].type().timezone is None]
    if not naive:
        return t
    import ibis

    for c in naive:
        raw.warnings.append(DataProblem(table.name, c, f"timestamps have no time zone; read as {tz}",
                                        "store tz-aware timestamps to silence this warning"))
    df = t.execute()
    for c in naive:
        df[c] = pd.to_datetime(df[c]).dt.tz_localize(tz)
    return ibis.memtable(df)


def _read_csv(path: Path, table: Table, raw: RawTables, tz: str) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df.columns = [c.strip() for c in df.columns]
    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        try:
            spec = table.column(col)
        except KeyError:
            out[col] = df[col]
            continue
        out[col] = _coerce(df, col, spec, table, raw, tz)
    return out


def _coerce(df: pd.DataFrame, col: str, spec: Column, table: Table, raw: RawTables, tz: str) -> pd.Series:
    s = df[col].str.strip()
    missing = s.isin(MISSING_TOKENS)
    if spec.dtype == "string":
        return s.where(~missing, None).astype("string")
    if spec.dtype == "bool":
        lowered = s.str.lower()
        truthy = lowered.isin({"1", "true", "yes", "y", "是", "t"})
        falsy = lowered.isin({"0", "false", "no", "n", "否", "f"})
        bad = ~(truthy | falsy | missing)
        _report_unparseable(df, col, bad, table, raw, "true/false, 是/否 or 1/0")
        flags = pd.Series(pd.NA, index=df.index, dtype="boolean")
        flags[truthy] = True
        flags[falsy] = False
        return flags
    if spec.dtype == "timestamp":
        parsed = pd.to_datetime(s.where(~missing, None), errors="coerce", format="mixed")
        bad = parsed.isna() & ~missing
        _report_unparseable(df, col, bad, table, raw, "ISO timestamps such as 2026-09-07 19:30:00+08:00")
        if getattr(parsed.dt, "tz", None) is None:
            if (~missing).any():
                raw.warnings.append(DataProblem(table.name, col, f"timestamps have no time zone; read as {tz}",
                                                "add +08:00 (or your zone) to silence this warning"))
            parsed = parsed.dt.tz_localize(tz)
        else:
            parsed = parsed.dt.tz_convert(tz)
        return parsed
    values: list[float | None] = []
    bad_mask = np.zeros(len(s), dtype=bool)
    for i, v in enumerate(s.tolist()):
        try:
            values.append(parse_number(v))
        except ValueError:
            values.append(None)
            bad_mask[i] = True
    _report_unparseable(df, col, pd.Series(bad_mask, index=df.index), table, raw,
                        "plain numbers; ¥1,234 / 15.3% / 1.2万 / 1分5秒 / - are also understood")
    num = pd.Series(values, index=df.index, dtype="Float64")
    if spec.dtype == "int":
        frac = num.notna() & (num.round() != num)
        _report_unparseable(df, col, frac, table, raw, "whole numbers (this is a count)")
        return num.round().astype("Int64")
    return num


def _report_unparseable(df: pd.DataFrame, col: str, bad: pd.Series, table: Table, raw: RawTables,
                        expected: str) -> None:
    n = int(bad.sum())
    if not n:
        return
    keys = [k for k in table.key if k in df.columns and k != col]
    rows = [{"row": int(i) + 2, **{k: df.at[i, k] for k in keys}, col: df.at[i, col]}
            for i in df.index[bad.to_numpy()][:5]]
    raw.problems.append(DataProblem(
        table.name, col, "values cannot be parsed",
        f"fix these cells (row = line in the CSV file); expected {expected}",
        rows=rows, n_rows=n))
