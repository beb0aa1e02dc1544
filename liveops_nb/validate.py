"""Validation of a dataset against the data model.

Column-level rules (presence, types, non-negative amounts and counts, finite
numbers, integers within 64 bits, closed vocabularies, missing values) are
counted in one aggregate query per table, so they run inside the engine at any
size; the offending rows are fetched only for a rule that fails. Cross-table
rules (timestamps inside their session, duplicate keys, references to unknown
sessions/products/users, end before start, refunds larger than the amount) are
Ibis queries. An empty table is reported as empty and nothing else. A Parquet
table whose data disagrees with its own footer (row count, missing values,
value ranges; checked in the same aggregate query, see
:mod:`liveops_nb.io.integrity`) is reported as a corrupt file. Every problem
names the file, the table, the column, up to five offending rows and the fix;
nothing is dropped. Reading never writes anything.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import ibis
import pandas as pd

from .errors import DataProblem
from .io import integrity
from .schema import TABLES, Column, Table

SAMPLE_ROWS = 5
# Tables whose key identifies a row. Events may legitimately repeat (two likes in one instant).
_NON_UNIQUE_KEYS = {"events"}
INT64_MAX = 2**63 - 1
_NONFINITE = ["nan", "-nan", "NaN", "inf", "-inf", "Infinity", "-Infinity"]
# a live session lasts at most this long; times outside these years are errors (and beyond what pandas holds)
MAX_SESSION_HOURS = 48
_ERA = ("1900-01-01T00:00:00+00:00", "2200-01-01T00:00:00+00:00")
# (start, end) columns of the tables whose rows are time spans
_SPANS = {"sessions": ("start_time", "end_time"), "pitches": ("start", "end"), "incidents": ("start", "end"),
          "experiments": ("start", "end")}


def _count(value) -> int:
    """A count from an aggregate row: a SUM over no rows is NULL (None on DuckDB, NaN from Spark) — 0."""
    return 0 if value is None or pd.isna(value) else int(value)


def _is_null_type(dtype) -> bool:
    """An all-missing column: Ibis ``null``, or DuckDB's NULL type that Ibis shows as unknown."""
    return bool(dtype.is_null() or (dtype.is_unknown() and "NULL" in str(dtype)))


def _type_ok(col: Column, dtype) -> bool:
    if col.dtype == "string":
        return dtype.is_string()
    if col.dtype == "int":
        return dtype.is_integer()
    if col.dtype == "float":
        return dtype.is_numeric() and not dtype.is_boolean()
    if col.dtype == "timestamp":
        return dtype.is_timestamp()
    if col.dtype == "bool":
        return dtype.is_boolean()
    return True  # pragma: no cover


def _sample(t, predicate, cols: list[str]) -> tuple[int, list[dict[str, Any]]]:
    """How many rows of ``t`` match ``predicate`` and up to five of them (one query when none match)."""
    bad = t.filter(predicate)
    rows = bad.select(*[c for c in dict.fromkeys(cols) if c in t.columns]).limit(SAMPLE_ROWS).execute()
    if not len(rows):
        return 0, []
    n = len(rows) if len(rows) < SAMPLE_ROWS else int(bad.count().execute())
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


def _rules(table: Table, t, present: list[str]) -> list[tuple[str, str, Any]]:
    """Element-wise rules of one table: (column, rule, predicate selecting the rows that break it)."""
    rules: list[tuple[str, str, Any]] = []
    for c in table.columns:
        if c.name not in present:
            continue
        x = t[c.name]
        dtype = x.type()
        if dtype.is_timestamp():
            rules.append((c.name, "era", (x < ibis.timestamp(_ERA[0])) | (x > ibis.timestamp(_ERA[1]))))
        if dtype.is_unsigned_integer() and dtype.nbytes == 8:
            rules.append((c.name, "overflow", x > INT64_MAX))
        if dtype.is_floating():
            # DuckDB folds isnan() to false from Parquet statistics (which leave NaN out); the text form is exact
            rules.append((c.name, "nonfinite", x.cast("string").isin(_NONFINITE)))
        if c.nonnegative and not dtype.is_unsigned_integer():
            rules.append((c.name, "nonnegative", x < 0))
        if c.allowed:
            rules.append((c.name, "allowed", x.notnull() & ~x.isin(list(c.allowed))))
        if not c.nullable:
            rules.append((c.name, "missing", x.isnull()))
    if table.name == "orders" and {"amount", "refund_amount"} <= set(present):
        # a negative amount is its own problem, not also a refund larger than it
        rules.append(("refund_amount", "refund", (t.refund_amount > t.amount) & (t.amount >= 0)))
    span = _SPANS.get(table.name)
    if span and set(span) <= set(present):
        rules.append((span[1], "order", t[span[1]] < t[span[0]]))
        if table.name == "sessions":  # a per-minute timeline of a session lasting years would never finish
            in_era = (t[span[1]] <= ibis.timestamp(_ERA[1])) & (t[span[0]] >= ibis.timestamp(_ERA[0]))
            too_long = t[span[1]] > t[span[0]] + ibis.interval(hours=MAX_SESSION_HOURS)
            rules.append((span[1], "length", in_era & too_long))
    return rules


def _footer(path: Path | None, table: Table, t, typed_ok: list[str]) -> tuple[int | None, dict[str, Any]]:
    """Row count and column statistics recorded in a Parquet file's footer (none for other sources)."""
    if path is None or not path.name.lower().endswith(".parquet"):
        return None, {}
    comparable = {c.name for c in table.columns if c.name in typed_ok and c.dtype in ("int", "float", "timestamp", "string")}
    return integrity.footer_stats(path, [c for c in t.columns if c in table.column_names], comparable)


def _count_expr(t, col: str, rule: str, pred):
    """The aggregate that tells whether a rule fails: a count of breaking rows, or for non-finite
    numbers the column's sum (NaN or infinite exactly when some value is; no per-row text cast)."""
    if rule == "nonfinite":
        return t[col].sum()
    return pred.ifelse(1, 0).sum()


def _failed(rule: str, value: Any) -> bool:
    """Whether the aggregate of :func:`_count_expr` says the rule may fail (then its rows are fetched)."""
    if rule == "nonfinite":  # an all-missing column also sums to missing: the row query decides
        return value is None or not math.isfinite(float(value))
    return value is not None and not pd.isna(value) and int(value) > 0


def _rule_problem(table: Table, t, column: str, rule: str, n: int, rows: list[dict[str, Any]]) -> DataProblem:
    spec = table.column(column)
    if rule == "overflow":
        return DataProblem(table.name, column, "has values too large for a 64-bit integer (overflow)",
                           f"{spec.en} must be below 9,223,372,036,854,775,808; correct these values at the source "
                           "(often a wrong unit or a corrupted export)", rows, n)
    if rule == "nonfinite":
        return DataProblem(table.name, column, "has infinite or NaN (not-a-number) values",
                           f"{spec.en} must be a finite number; store a missing value as empty (null), "
                           "correct the others at the source", rows, n)
    if rule == "refund":
        return DataProblem(table.name, column, "refund is larger than the amount paid",
                           "correct the refund or the amount", rows, n)
    if rule == "order":
        start, end = _SPANS[table.name]
        return DataProblem(table.name, end, f"{end} is before {start}", "swap or correct the times", rows, n)
    if rule == "length":
        return DataProblem(table.name, column, f"session lasts more than {MAX_SESSION_HOURS} hours",
                           "correct the end time (a wrong date or year?)", rows, n)
    if rule == "era":
        return DataProblem(table.name, column, f"has times outside the years {_ERA[0][:4]}–{_ERA[1][:4]}",
                           "correct these times (a wrong unit, e.g. seconds read as milliseconds, or a placeholder "
                           "date?)", rows, n)
    if rule == "nonnegative":
        return DataProblem(table.name, column, "has negative values",
                           f"{spec.en} cannot be negative; correct or remove these rows at the source", rows, n)
    if rule == "allowed":
        return DataProblem(table.name, column, "has values outside the allowed list",
                           "use one of: " + ", ".join(spec.allowed), rows, n)
    return DataProblem(table.name, column, "has missing values", "fill them in; this column cannot be empty", rows, n)


def check_columns(name: str, t, path: Path | None = None) -> tuple[list[DataProblem], list[DataProblem]]:
    """Presence, types, values and missing values of one table; an empty table is reported as empty only.

    Parameters
    ----------
    name : table name in :data:`liveops_nb.schema.TABLES`.
    t : the Ibis table as read.
    path : the Parquet file it was read from, if any: its data must agree with the row count,
        missing-value counts and value ranges its footer records (else it is reported as corrupt).

    Returns
    -------
    tuple
        Problems (errors) and warnings.
    """
    table = TABLES[name]
    problems: list[DataProblem] = []
    warnings: list[DataProblem] = []
    present = list(t.columns)
    key_cols = list(table.key)
    for cname in [c.name for c in table.columns if c.required and c.name not in present]:
        spec = table.column(cname)
        problems.append(DataProblem(name, cname, "required column is missing",
                                    f"add a '{cname}' column ({spec.zh} / {spec.en}); see docs/data-model.md"))
    for cname in [c for c in present if c not in table.column_names]:
        warnings.append(DataProblem(name, cname, "column is not in the data model and is ignored",
                                    "rename it if it is a known column under another name (see docs/data-model.md)"))
    typed_ok: list[str] = []
    all_missing: list[str] = []
    mistyped: list[Column] = []
    for c in table.columns:
        if c.name not in present:
            continue
        dtype = t[c.name].type()
        if _is_null_type(dtype):
            all_missing.append(c.name)
        elif _type_ok(c, dtype):
            typed_ok.append(c.name)
        else:
            mistyped.append(c)
    rules = _rules(table, t, typed_ok)
    aggs = {f"r{i}": _count_expr(t, col, rule, pred) for i, (col, rule, pred) in enumerate(rules)}
    n_file, stats = _footer(path, table, t, typed_ok)
    for j, (col, st) in enumerate(stats.items()):
        aggs[f"nul{j}"] = t[col].isnull().sum()
        if st.low is not None:
            aggs.update({f"lo{j}": t[col].min(), f"hi{j}": t[col].max()})
    counts = t.aggregate(n_rows=t.count(), **aggs).execute()
    n_rows = int(counts.iloc[0]["n_rows"])
    if stats or n_file is not None:
        row = counts.iloc[0]
        observed = {col: (row.get(f"lo{j}"), row.get(f"hi{j}"), row[f"nul{j}"]) for j, col in enumerate(stats)}
        bad = integrity.disagreements(stats, observed)
        if n_file is not None and n_file != n_rows:
            bad.insert(0, f"{n_rows} rows read, the file's footer says {n_file}")
        if bad and path is not None:
            err = integrity.decode_error(path)
            detail = (str(err).strip().splitlines() or [type(err).__name__])[0] if err else "; ".join(bad[:3])
            return [DataProblem(name, None, f"{path.name}: the file is corrupt (its data disagrees with its own "
                                f"footer: {detail})", f"export {name} again or restore the file from a backup")], []
    if n_rows == 0:
        return [DataProblem(name, None, "table is empty (it has no rows)",
                            f"remove {name} from the folder or export it again with its rows")], []
    for cname in all_missing:
        if not table.column(cname).nullable:
            n, rows = _sample(t, ibis.literal(True), key_cols + [cname])
            problems.append(DataProblem(name, cname, "has missing values (the column is empty)",
                                        "fill them in; this column cannot be empty", rows, n))
    for c in mistyped:
        dtype = t[c.name].type()
        n, rows = _sample(t, t[c.name].notnull(), key_cols + [c.name])
        problems.append(DataProblem(name, c.name, f"has type {dtype} but the data model expects {c.dtype}",
                                    f"store {c.name} as {c.dtype} ({c.unit or 'no unit'})", rows, n))
    for i, (col, rule, pred) in enumerate(rules):
        if _failed(rule, counts.iloc[0][f"r{i}"]):
            extra = {"refund": ["amount"], "order": list(_SPANS.get(name, ())),
                     "length": list(_SPANS.get(name, ()))}.get(rule, [])
            n, rows = _sample(t, pred, key_cols + extra + [col])
            if n:
                problems.append(_rule_problem(table, t, col, rule, n, rows))
    return problems, warnings


def check_rows(name: str, t, tables: dict[str, Any]) -> list[DataProblem]:
    """Row and cross-table rules for a table whose columns are sound; ``tables`` holds only sound tables."""
    table = TABLES[name]
    problems = _duplicate_keys(table, t)
    problems += _references(table, t, tables)
    problems += _session_window(table, t, tables)
    return problems


def _duplicate_keys(table: Table, t) -> list[DataProblem]:
    if table.name in _NON_UNIQUE_KEYS:
        return []
    key = list(table.key)
    dup = t.group_by(key).agg(n_copies=ibis._.count()).filter(ibis._.n_copies > 1)
    n, rows = _sample(dup, ibis.literal(True), key + ["n_copies"])
    if not n:
        return []
    return [DataProblem(table.name, ", ".join(key), "key is not unique",
                        "keep one row per key (remove the duplicates at the source)", rows, n)]


def _references(table: Table, t, tables: dict[str, Any]) -> list[DataProblem]:
    """Rows whose reference column names a row that does not exist (one query when every reference holds)."""
    orphans: dict[str, Any] = {}
    for col, target in table.refs.items():
        ref_table, ref_col = target.split(".")
        if col not in t.columns or ref_table not in tables or ref_col not in tables[ref_table].columns:
            continue
        orphans[col] = t[col].notnull() & ~t[col].isin(tables[ref_table][ref_col])
    if not orphans:
        return []
    counts = t.aggregate(**{f"r{i}": pred.ifelse(1, 0).sum() for i, pred in enumerate(orphans.values())}).execute()
    problems = []
    for i, (col, pred) in enumerate(orphans.items()):
        if not _count(counts.iloc[0][f"r{i}"]):
            continue
        ref_table = table.refs[col].split(".")[0]
        n, rows = _sample(t, pred, list(table.key) + [col])
        problems.append(DataProblem(table.name, col, f"refers to {ref_table} that do not exist",
                                    f"add them to {ref_table} or remove these rows", rows, n))
    return problems


def _session_window(table: Table, t, tables: dict[str, Any]) -> list[DataProblem]:
    if not table.in_session_window or "sessions" not in tables:
        return []
    s = tables["sessions"].select("session_id", s_start="start_time", s_end="end_time")
    j = t.inner_join(s, "session_id")
    lo = j.s_start.truncate("m") if table.name == "minute_stats" else j.s_start
    # minute rows are floored to the minute, so the first minute may start before the session
    outside = {col: j[col].notnull() & ((j[col] < lo) | (j[col] > j.s_end)) for col in table.in_session_window}
    counts = j.aggregate(**{f"r{i}": pred.ifelse(1, 0).sum() for i, pred in enumerate(outside.values())}).execute()
    problems = []
    for i, (col, pred) in enumerate(outside.items()):
        if not _count(counts.iloc[0][f"r{i}"]):
            continue
        n, rows = _sample(j, pred, list(table.key) + [col, "s_start", "s_end"])
        problems.append(DataProblem(table.name, col, "timestamps fall outside their session (start_time–end_time)",
                                    "check the time zone of the export (Asia/Shanghai is assumed for naive times) "
                                    "or the session times",
                                    rows, n))
    return problems


def validate_tables(tables: dict[str, Any], progress: Callable[[str], None] | None = None, *,
                    files: Mapping[str, Path] | None = None) -> tuple[list[DataProblem], list[DataProblem]]:
    """Validate every table present; also report required tables that are absent.

    Column rules run on every table; row and cross-table rules only on tables
    whose columns are sound (and only against sound tables), so one broken
    column gives one clear error instead of a cascade. A table whose data the
    engine cannot decode (a corrupt file) is reported as unreadable.

    Parameters
    ----------
    tables : table name -> Ibis table, as read.
    progress : called with each table name before it is checked.
    files : table name -> the file it was read from (named when its data cannot be decoded).

    Returns
    -------
    tuple
        Problems (errors) and warnings, each a :class:`~liveops_nb.errors.DataProblem`.
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
        try:
            p, w = check_columns(name, tables[name], (files or {}).get(name))
        except _backend_errors() as err:
            problems.append(_unreadable(name, err, (files or {}).get(name)))
            continue
        corrupt = integrity.decode_error(files.get(name)) if p and files else None
        if corrupt is not None:  # garbage decoded from a damaged page is not a data problem
            problems.append(_unreadable(name, corrupt, files.get(name) if files else None))
            continue
        problems += p
        warnings += w
        if not p:
            sound[name] = tables[name]
    for name, t in sound.items():
        try:
            problems += check_rows(name, t, sound)
        except _backend_errors() as err:
            problems.append(_unreadable(name, err, (files or {}).get(name)))
    return [_in_file(p, files) for p in problems], [_in_file(w, files) for w in warnings]


def _in_file(problem: DataProblem, files: Mapping[str, Path] | None) -> DataProblem:
    """The problem with the name of the file its table was read from (``orders.csv: has negative values``)."""
    path = (files or {}).get(problem.table)
    if path is None or problem.problem.startswith(f"{path.name}:"):
        return problem
    return replace(problem, problem=f"{path.name}: {problem.problem}")


def _backend_errors() -> tuple[type[BaseException], ...]:
    """Errors an engine raises when the bytes of a table cannot be decoded (a corrupt file)."""
    import duckdb
    import pyarrow as pa

    return (duckdb.Error, pa.ArrowException, OSError)


def _unreadable(name: str, err: BaseException, path: Path | None) -> DataProblem:
    detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    what = f"{path.name}: the file" if path is not None else "the file"
    return DataProblem(name, None, f"{what} cannot be read (corrupt or truncated): {detail}",
                       f"export {name} again or restore the file from a backup")
