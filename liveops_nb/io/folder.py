"""Reading a dataset: a folder of Parquet/CSV files, or an existing Ibis connection.

Parquet files are attached to an in-memory DuckDB through Ibis (nothing is
copied, nothing in the folder is written). CSV files — typically platform
exports — are parsed by :mod:`liveops_nb.io.csv`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataProblem, LiveOpsError
from ..schema import DEFAULT_TZ, TABLES, Table
from .csv import read_csv
from .tables import RawTables


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
            df = read_csv(path, table, raw, tz)
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


