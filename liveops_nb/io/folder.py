"""Reading a dataset: a folder of Parquet/CSV files, or an existing Ibis connection.

Before anything is read, every file of the folder is checked: one file per
table (``sessions.parquet`` next to ``sessions.csv`` is refused naming both),
no dangling or looping symbolic links, no folders or special files (a FIFO
would block) under a table's name, no zero-byte or unreadable files, and a
Parquet file must have a readable footer (truncated and corrupt files are
refused here, not later at query time). Every such fault is reported together
as a :class:`~liveops_nb.errors.DataFileError` (one fault) or
:class:`~liveops_nb.errors.DataValidationError` (several), naming each file.

Parquet files are then attached to an in-memory DuckDB through Ibis (nothing is
copied, nothing in the folder is written); an all-missing column is given its
data-model type. CSV files — typically platform exports — are parsed by
:mod:`liveops_nb.io.csv`.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataFileError, DataProblem, DataValidationError, LiveOpsError
from ..schema import DEFAULT_TZ, TABLES, Table
from .csv import read_csv
from .tables import RawTables

SUFFIXES = (".parquet", ".csv", ".csv.gz")
# files that look like a table export but are not read (warned about when not named for a table)
_TABLE_LIKE = (".parquet", ".csv", ".csv.gz", ".xlsx", ".xls")
# data-folder files that are not tables (each read by its own reader, e.g. targets.csv by period/)
DATA_FILES = ("targets.csv",)
_IBIS_TYPES = {"string": "string", "int": "int64", "float": "float64", "timestamp": "timestamp('UTC')",
               "bool": "boolean"}


@dataclass
class FolderScan:
    """What a data folder holds: one file per table, the faults found, and files that are not tables."""

    files: dict[str, Path] = field(default_factory=dict)
    faults: list[tuple[Path, str, str, str]] = field(default_factory=list)  # (path, table, problem, fix)
    ignored: list[Path] = field(default_factory=list)


def _table_name(filename: str) -> tuple[str, str] | None:
    """(table, suffix) when ``filename`` is ``<table><suffix>`` for a table of the data model (any letter case:
    ``Orders.CSV`` as Windows tools write it is the orders table)."""
    lowered = filename.lower()
    for suffix in SUFFIXES:
        if lowered.endswith(suffix) and lowered[: -len(suffix)] in TABLES:
            return lowered[: -len(suffix)], suffix
    return None


def scan_folder(folder: Path) -> FolderScan:
    """List the table files of ``folder`` and check each one can be read (nothing is parsed yet).

    Parameters
    ----------
    folder : an existing, listable folder.

    Returns
    -------
    FolderScan
        The table files, the faults (two files for a table, dangling or looping links,
        folders or special files, zero-byte, unreadable, truncated or corrupt Parquet
        files) and the files that look like tables but are not in the data model.
    """
    scan = FolderScan()
    candidates: dict[str, list[Path]] = {}
    for name in sorted(os.listdir(folder)):
        if name.startswith(".") or name.lower() in DATA_FILES:  # hidden files, macOS "._x.parquet", editor locks
            continue
        hit = _table_name(name)
        if hit is None:
            if name.lower().endswith(_TABLE_LIKE):
                scan.ignored.append(folder / name)
            continue
        candidates.setdefault(hit[0], []).append(folder / name)
    for table, paths in candidates.items():
        if len(paths) > 1:
            names = " and ".join(p.name for p in paths)
            scan.faults.append((paths[0], table, f"two files for table {table}: {names}; either could be meant",
                                "keep one of them and move the other out of the folder"))
            continue
        fault = check_file(paths[0])
        if fault:
            scan.faults.append((paths[0], table, *fault))
        else:
            scan.files[table] = paths[0]
    return scan


def check_file(path: Path) -> tuple[str, str] | None:
    """Why ``path`` cannot be read as a table file — ``(problem, fix)`` — or ``None`` when it can.

    Checks, without parsing: the link resolves (not dangling, no loop), it is a regular
    file (not a folder, FIFO or device), it is not empty, its first bytes can be read, and
    a ``.parquet`` file has a readable Parquet footer.
    """
    try:
        st = os.stat(path)
    except OSError as err:
        if path.is_symlink():
            target = os.readlink(path)
            if err.errno == errno.ELOOP:
                return (f"is a symbolic link that loops (-> {target})",
                        "point the link at the real file, or replace it with the file")
            return (f"is a symbolic link to a file that does not exist (-> {target})",
                    "restore the file it points to, or replace the link with the file")
        return f"cannot be read ({err.strerror or err})", "check the file and its permissions"
    if stat.S_ISDIR(st.st_mode):
        return ("is a folder, not a file (a partitioned export?)",
                "export the table as one file, or move the folder out of the data folder")
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a pipe or device)", "replace it with the exported file"
    if st.st_size == 0:
        return "file is empty (0 bytes)", "export the table again; the file was not written completely"
    try:
        with open(path, "rb") as f:
            f.read(4)
    except OSError as err:
        reason = "permission denied" if isinstance(err, PermissionError) else (err.strerror or str(err))
        return (f"cannot be read ({reason})",
                "give the account that runs liveops read permission on the file (chmod a+r)")
    if path.name.lower().endswith(".parquet"):
        return _check_parquet(path)
    return None


def _check_parquet(path: Path) -> tuple[str, str] | None:
    """A Parquet file whose footer (schema, row groups) cannot be read is truncated or corrupt."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with open(path, "rb") as f:
            head = f.read(4)
        if head != b"PAR1":
            what = " (it starts like a text file)" if head.decode("latin-1").isprintable() else ""
            return (f"is not a Parquet file{what}",
                    "export the table again as Parquet, or give the file the extension of its format")
        names = pq.ParquetFile(path).schema_arrow.names  # reads the footer
    except (pa.ArrowException, OSError, ValueError) as err:
        detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return (f"is not a readable Parquet file (truncated or corrupt: {detail})",
                "export the table again or restore the file from a backup")
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        return (f"column {', '.join(repr(n) for n in twice)} appears twice; either could be meant",
                "keep one of the two columns and export the table again")
    return None


def read_folder(folder: str | Path, *, tz: str = DEFAULT_TZ) -> RawTables:
    """Attach every table file in ``folder`` to a fresh in-memory DuckDB via Ibis.

    Parameters
    ----------
    folder : the data folder.
    tz : time zone in which naive timestamps are read.

    Returns
    -------
    RawTables
        The tables as read, with the problems and warnings reading noticed.

    Raises
    ------
    LiveOpsError
        ``folder`` does not exist, is a file, or cannot be listed.
    DataFileError, DataValidationError
        A table file cannot be read (see :func:`scan_folder`); every such file is named.
    """
    import ibis

    folder = Path(folder)
    _check_folder(folder)
    scan = scan_folder(folder)
    if len(scan.faults) == 1:
        path, fault_table, problem, fix = scan.faults[0]
        raise DataFileError(path, fault_table, problem, fix)
    if scan.faults:
        raise DataValidationError([DataProblem(tname, None, f"{p.name}: {problem}", fix)
                                   for p, tname, problem, fix in scan.faults], str(folder))
    con = ibis.duckdb.connect()
    raw = RawTables(con=con, tables={}, files=scan.files)
    for name, path in raw.files.items():
        table = TABLES[name]
        if path.suffix.lower() == ".parquet":
            t = con.read_parquet(str(path), table_name=f"src_{name}")
            untyped = [c for c in t.columns if _untyped(t[c].type())]
            t = _drop_empty_columns(t, table, path, _parquet_empty_columns(path) + untyped, raw)
            t = _type_missing_columns(t, table)
            t = _fix_parquet_timestamps(t, table, raw, tz)
        else:
            df = read_csv(path, table, raw, tz)
            empty = [c for c in df.columns if len(df) and df[c].isna().all()]
            t = _drop_empty_columns(ibis.memtable(df), table, path, empty, raw)
        raw.tables[name] = t
    for path in scan.ignored:
        raw.warnings.append(DataProblem(path.name, None, "file is not a table of the data model and was ignored",
                                        "rename it to one of: " + ", ".join(f"{n}.parquet / .csv" for n in TABLES)))
    return raw


def _check_folder(folder: Path) -> None:
    """Refuse a data folder that does not exist, is a file, or cannot be listed — saying which."""
    if folder.is_dir():
        try:
            os.listdir(folder)
        except OSError as err:
            raise LiveOpsError(f"data folder '{folder}' cannot be read ({err.strerror or err}); give the account "
                               "that runs liveops read permission on it") from None
        return
    if folder.is_symlink() and not folder.exists():
        raise LiveOpsError(f"data folder '{folder}' is a symbolic link to a folder that does not exist "
                           f"(-> {os.readlink(folder)}); point it at the data folder")
    if folder.exists():
        hint = ""
        if _table_name(folder.name):
            hint = f" (it is the {_table_name(folder.name)[0]} table; pass its folder '{folder.parent}')"  # type: ignore[index]
        raise LiveOpsError(f"'{folder}' is a file, not a data folder{hint}; pass the folder that holds the table "
                           "files (rooms, sessions, ...)")
    raise LiveOpsError(
        f"data folder '{folder}' does not exist; create it with `liveops demo --out {folder}` "
        "or point LIVEOPS_DATA / the data_dir parameter at your dataset."
    )


def find_files(folder: Path) -> dict[str, Path]:
    """Map table name -> file for every readable ``<table>.parquet`` / ``.csv`` / ``.csv.gz`` in ``folder``."""
    return scan_folder(Path(folder)).files


def from_connection(con: Any) -> RawTables:
    """Use tables already in an Ibis backend (DuckDB file, Spark, Postgres...) by their model names."""
    names = set(con.list_tables())
    return RawTables(con=con, tables={n: con.table(n) for n in TABLES if n in names})


def _parquet_empty_columns(path: Path) -> list[str]:
    """Columns of a Parquet file with rows whose every value is missing (from the footer's counts)."""
    import pyarrow.parquet as pq

    md = pq.ParquetFile(path).metadata
    if not md.num_rows:
        return []
    out = []
    for j in range(md.num_columns):
        stats = [md.row_group(g).column(j).statistics for g in range(md.num_row_groups)]
        if all(st is not None and st.has_null_count for st in stats) and \
                sum(int(st.null_count) for st in stats) == md.num_rows:
            out.append(md.schema.column(j).path)
    return out


def _drop_empty_columns(t, table: Table, path: Path, empty: list[str], raw: RawTables):
    """An optional column without a single value is read as not reported (absent), with a warning.

    Summing it would give 0 — paid spend 0 instead of "not reported" — so it is left out, as when
    the export has no such column. Required columns stay (validation reports their missing values).
    """
    names = set(table.column_names)
    drop = [c for c in dict.fromkeys(empty) if c in names and c in t.columns and not table.column(c).required]
    for c in drop:
        raw.warnings.append(DataProblem(table.name, c, f"{path.name}: the column has no values; read as not reported",
                                        "remove the empty column, or fill it in"))
    return t.drop(*drop) if drop else t


def _untyped(dtype) -> bool:
    """An all-missing Parquet column: Ibis ``null``, or DuckDB's NULL type that Ibis shows as unknown."""
    return bool(dtype.is_null() or (dtype.is_unknown() and "NULL" in str(dtype)))


def _type_missing_columns(t, table: Table):
    """Give the data model's type to Parquet columns Ibis has no type for.

    An all-missing column has type NULL (it then reads as missing values); nanosecond
    time-zone-aware timestamps (what pandas writes by default) are DuckDB's TIMESTAMPTZ_NS,
    read as microsecond instants like every other timestamp.
    """
    casts = {}
    for c in table.columns:
        if c.name in t.columns:
            dtype = t[c.name].type()
            untyped = _untyped(dtype)
            tz_ns = dtype.is_unknown() and "TIMESTAMPTZ" in str(dtype) and c.dtype == "timestamp"
            if untyped or tz_ns:
                casts[c.name] = t[c.name].cast(_IBIS_TYPES[c.dtype])
    return t.mutate(**casts) if casts else t


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
