"""Validation of a dataset against the data model.

Column-level rules (presence, types, non-negative amounts and counts, closed
vocabularies, missing values) are expressed as pandera schemas over the Ibis
tables, so they run inside the engine at any size. Cross-table rules
(timestamps inside their session, duplicate keys, references to unknown
sessions/products/users, empty tables, refunds larger than the amount) are Ibis
queries. Every problem names the table, the column, up to five offending rows
and the fix; nothing is dropped. Reading never writes anything.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import pandas as pd

from .errors import DataProblem
from .schema import TABLES, Column, Table

SAMPLE_ROWS = 5
# Tables whose key identifies a row. Events may legitimately repeat (two likes in one instant).
_NON_UNIQUE_KEYS = {"events"}


def _type_ok(col: Column, dtype) -> bool:
    if col.dtype == "string":
        return dtype.is_string()
    if col.dtype == "int":
        return dtype.is_integer()
    if col.dtype == "float":
        return dtype.is_numeric()
    if col.dtype == "timestamp":
        return dtype.is_timestamp()
    if col.dtype == "bool":
        return dtype.is_boolean()
    return True  # pragma: no cover


def _sample(t, predicate, cols: list[str]) -> tuple[int, list[dict[str, Any]]]:
    bad = t.filter(predicate)
    n = int(bad.count().execute())
    if not n:
        return 0, []
    rows = bad.select(*[c for c in dict.fromkeys(cols) if c in t.columns]).limit(SAMPLE_ROWS).execute()
    return n, [_plain(r) for r in rows.to_dict("records")]


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if isinstance(v, pd.Timestamp):
            v = v.isoformat()
        elif hasattr(v, "item"):
            v = v.item()
        out[k] = v
    return out


def _pandera_schema(table: Table, present: list[str]) -> tuple[Any, dict[tuple[str, int], str]]:
    """Element-wise rules of one table as a pandera (Ibis backend) schema, and (column, check index) -> rule."""
    import pandera.ibis as pa

    cols: dict[str, Any] = {}
    rules: dict[tuple[str, int], str] = {}
    for c in table.columns:
        if c.name not in present:
            continue
        checks: list[Any] = []
        if c.nonnegative:
            rules[(c.name, len(checks))] = "nonnegative"
            checks.append(pa.Check.ge(0))
        if c.allowed:
            rules[(c.name, len(checks))] = "allowed"
            checks.append(pa.Check.isin(list(c.allowed)))
        cols[c.name] = pa.Column(checks=checks, nullable=True, required=True)
    return pa.DataFrameSchema(cols, name=table.name), rules


def check_columns(name: str, t) -> tuple[list[DataProblem], list[DataProblem]]:
    """Presence, types, values and missing values of one table."""
    table = TABLES[name]
    problems: list[DataProblem] = []
    warnings: list[DataProblem] = []
    present = list(t.columns)
    key_cols = list(table.key)
    missing = [c.name for c in table.columns if c.required and c.name not in present]
    for cname in missing:
        spec = table.column(cname)
        problems.append(DataProblem(name, cname, "required column is missing",
                                    f"add a '{cname}' column ({spec.zh} / {spec.en}); see docs/data-model.md"))
    unknown = [c for c in present if c not in table.column_names]
    for cname in unknown:
        warnings.append(DataProblem(name, cname, "column is not in the data model and is ignored",
                                    "rename it if it is a known column under another name (see docs/data-model.md)"))
    typed_ok = []
    for c in table.columns:
        if c.name not in present:
            continue
        dtype = t[c.name].type()
        if dtype.is_null():
            typed_ok.append(c.name)  # an all-missing column
            continue
        if not _type_ok(c, dtype):
            n, rows = _sample(t, t[c.name].notnull(), key_cols + [c.name])
            problems.append(DataProblem(name, c.name, f"has type {dtype} but the data model expects {c.dtype}",
                                        f"store {c.name} as {c.dtype} ({c.unit or 'no unit'})", rows, n))
        else:
            typed_ok.append(c.name)
    # element rules via pandera
    import pandera.errors as pe

    schema, rules = _pandera_schema(table, typed_ok)
    try:
        schema.validate(t, lazy=True)
    except pe.SchemaErrors as err:
        failed: set[tuple[str, str]] = set()
        for e in err.schema_errors:
            col, idx = getattr(e.schema, "name", None), getattr(e, "check_index", None)
            if isinstance(col, str) and idx is not None and (col, idx) in rules:
                failed.add((col, rules[(col, idx)]))
        for col_name, check in sorted(failed):
            spec = table.column(col_name)
            if check == "nonnegative":
                n, rows = _sample(t, t[col_name] < 0, key_cols + [col_name])
                problems.append(DataProblem(name, col_name, "has negative values",
                                            f"{spec.en} cannot be negative; correct or remove these rows at the source",
                                            rows, n))
            else:
                outside = t[col_name].notnull() & ~t[col_name].isin(list(spec.allowed))
                n, rows = _sample(t, outside, key_cols + [col_name])
                problems.append(DataProblem(name, col_name, "has values outside the allowed list",
                                            "use one of: " + ", ".join(spec.allowed), rows, n))
    for c in table.columns:
        if c.name in typed_ok and not c.nullable:
            n, rows = _sample(t, t[c.name].isnull(), key_cols + [c.name])
            if n:
                problems.append(DataProblem(name, c.name, "has missing values",
                                            "fill them in; this column cannot be empty", rows, n))
    return problems, warnings


def check_rows(name: str, t, tables: dict[str, Any]) -> list[DataProblem]:
    """Row and cross-table rules for a table whose columns are sound; ``tables`` holds only sound tables."""
    table = TABLES[name]
    if int(t.count().execute()) == 0:
        return [DataProblem(name, None, "table is empty", f"remove {name} from the folder or fill it")]
    problems = _duplicate_keys(table, t)
    problems += _references(table, t, tables)
    problems += _session_window(table, t, tables)
    if name == "orders":
        n, rows = _sample(t, t.refund_amount > t.amount, ["order_id", "amount", "refund_amount"])
        if n:
            problems.append(DataProblem(name, "refund_amount", "refund is larger than the amount paid",
                                        "correct the refund or the amount", rows, n))
    if name in ("sessions", "pitches", "incidents"):
        start, end = ("start_time", "end_time") if name == "sessions" else ("start", "end")
        n, rows = _sample(t, t[end] < t[start], list(table.key) + [start, end])
        if n:
            problems.append(DataProblem(name, end, f"{end} is before {start}", "swap or correct the times", rows, n))
    return problems


def _duplicate_keys(table: Table, t) -> list[DataProblem]:
    if table.name in _NON_UNIQUE_KEYS:
        return []
    key = list(table.key)
    dup = t.group_by(key).agg(n_copies=ibis._.count()).filter(ibis._.n_copies > 1)
    n = int(dup.count().execute())
    if not n:
        return []
    rows = [_plain(r) for r in dup.limit(SAMPLE_ROWS).execute().to_dict("records")]
    return [DataProblem(table.name, ", ".join(key), "key is not unique",
                        "keep one row per key (remove the duplicates at the source)", rows, n)]


def _references(table: Table, t, tables: dict[str, Any]) -> list[DataProblem]:
    problems = []
    for col, target in table.refs.items():
        ref_table, ref_col = target.split(".")
        if col not in t.columns or ref_table not in tables or ref_col not in tables[ref_table].columns:
            continue
        ref = tables[ref_table].select(ref_col).distinct()
        cand = t.filter(t[col].notnull())
        orphans = cand.anti_join(ref, cand[col] == ref[ref_col])
        n, rows = _sample(orphans, ibis.literal(True), list(table.key) + [col])
        if n:
            problems.append(DataProblem(table.name, col, f"refers to {ref_table} that do not exist",
                                        f"add them to {ref_table} or remove these rows", rows, n))
    return problems


def _session_window(table: Table, t, tables: dict[str, Any]) -> list[DataProblem]:
    if not table.in_session_window or "sessions" not in tables:
        return []
    s = tables["sessions"].select("session_id", s_start="start_time", s_end="end_time")
    j = t.inner_join(s, "session_id")
    problems = []
    for col in table.in_session_window:
        ts = j[col]
        # minute rows are floored to the minute, so the first minute may start before the session
        lo = j.s_start.truncate("m") if table.name == "minute_stats" else j.s_start
        n, rows = _sample(j, ts.notnull() & ((ts < lo) | (ts > j.s_end)),
                          list(table.key) + [col, "s_start", "s_end"])
        if n:
            problems.append(DataProblem(table.name, col, "timestamps fall outside their session (start_time–end_time)",
                                        "check the time zone of the export (Asia/Shanghai is assumed for naive times) "
                                        "or the session times",
                                        rows, n))
    return problems


def validate_tables(tables: dict[str, Any],
                    progress: Callable[[str], None] | None = None) -> tuple[list[DataProblem], list[DataProblem]]:
    """Validate every table present; also report required tables that are absent.

    Column rules run on every table; row and cross-table rules only on tables
    whose columns are sound (and only against sound tables), so one broken
    column gives one clear error instead of a cascade.
    """
    problems: list[DataProblem] = []
    warnings: list[DataProblem] = []
    sound: dict[str, Any] = {}
    for name, table in TABLES.items():
        if name not in tables:
            if table.required:
                columns = ", ".join(table.column_names)
                problems.append(DataProblem(name, None, "required table is missing",
                                            f"add {name}.parquet or {name}.csv (columns: {columns})"))
            continue
        if progress:
            progress(name)
        p, w = check_columns(name, tables[name])
        problems += p
        warnings += w
        if not p:
            sound[name] = tables[name]
    for name, t in sound.items():
        problems += check_rows(name, t, sound)
    return problems, warnings
