"""Reading one CSV file (typically a platform export) into typed columns.

Every value that cannot be parsed is reported with its rows instead of being dropped.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataProblem
from ..schema import Column, Table
from .numbers import MISSING_TOKENS, parse_number
from .tables import RawTables


def read_csv(path: Path, table: Table, raw: RawTables, tz: str) -> pd.DataFrame:
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
