"""Run the workbench on Spark: a data folder's Parquet tables registered in a Spark session, as an Ibis connection.

The metric engine is Ibis expressions, so the numbers are computed wherever the connection points — an
embedded DuckDB (the default) or Spark (local mode on one machine, a cluster otherwise). Only results come
back to Python. Three ways in:

- ``liveops_nb.open(folder, engine="spark")`` — this module registers ``folder``'s tables in a Spark session
  (``$LIVEOPS_SPARK_MASTER``, default ``local[2]``) and opens the dataset through it;
- ``LIVEOPS_ENGINE=spark`` in the environment does the same for every page, notebook and command that opens
  a folder (no notebook change needed);
- ``liveops_nb.open(ibis.pyspark.connect(session))`` with tables you registered yourself under the data
  model's names (docs/scale.md shows a cluster layout partitioned by date and room).

A table is ``<table>.parquet`` or a folder ``<table>/`` of Parquet files (Hive partitions such as
``events/date=2026-10-01/room_id=R01/part-0.parquet`` are read as columns). CSV folders are for DuckDB:
convert them first (``liveops_nb.open(folder)`` then ``Dataset.table(name).to_parquet(...)``).
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from ..errors import LiveOpsError, UnknownOptionError
from ..schema import TABLES
from .tables import RawTables

ENGINES = ("duckdb", "spark")
"""Values of ``LIVEOPS_ENGINE`` / ``open(..., engine=)``."""


class SparkUnavailableError(LiveOpsError, RuntimeError):
    """PySpark or its Java runtime is not installed, or a folder holds no table Spark can read."""


def engine_of(engine: str | None = None) -> str:
    """The engine to use: ``engine`` if given, else ``$LIVEOPS_ENGINE``, else ``duckdb``."""
    name = (engine or os.environ.get("LIVEOPS_ENGINE") or "duckdb").strip().lower()
    if name not in ENGINES:
        raise UnknownOptionError("engine", name, ENGINES)
    return name


def session(master: str | None = None) -> Any:
    """The process's Spark session (created once): ``master`` or ``$LIVEOPS_SPARK_MASTER`` or ``local[2]``.

    Timestamps are kept in UTC inside Spark (the dataset converts them to its time zone for display); the
    web UI and console progress bars are off (a notebook page has no use for them).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as err:
        raise SparkUnavailableError("the Spark engine needs PySpark and a Java runtime: pip install 'pyspark>=3.5' "
                                    "and install Java 17 (Debian: apt-get install openjdk-17-jre-headless)") from err
    builder = (SparkSession.builder.master(master or os.environ.get("LIVEOPS_SPARK_MASTER") or "local[2]")
               .appName("liveops")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", os.environ.get("LIVEOPS_SPARK_PARTITIONS", "4")))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def table_paths(folder: str | Path) -> dict[str, Path]:
    """The data-model tables of ``folder`` Spark can read: ``<name>.parquet`` files or ``<name>/`` folders."""
    root = Path(folder)
    found: dict[str, Path] = {}
    for name in TABLES:
        for candidate in (root / f"{name}.parquet", root / name):
            if candidate.is_file() or (candidate.is_dir() and any(candidate.rglob("*.parquet"))):
                found[name] = candidate
                break
    if not found:
        raise SparkUnavailableError(f"{root}: no Parquet table the Spark engine can read (expected files such as "
                                    "sessions.parquet, or folders such as events/ of Parquet files)")
    return found


def register_folder(folder: str | Path, spark: Any, prefix: str = "") -> dict[str, str]:
    """Register ``folder``'s tables in ``spark`` as temporary views ``<prefix><table>``; returns {table: view}.

    A view ``<prefix><table>`` left from another folder is dropped when ``folder`` has no such table, so the
    views under one prefix always show one folder.
    """
    paths = table_paths(folder)
    views: dict[str, str] = {}
    for name in TABLES:
        view = f"{prefix}{name}"
        if name in paths:
            spark.read.parquet(str(paths[name])).createOrReplaceTempView(view)
            views[name] = view
        else:
            spark.catalog.dropTempView(view)
    return views


def connect_folder(folder: str | Path, *, spark: Any = None, master: str | None = None) -> Any:
    """An Ibis PySpark connection in which ``folder``'s tables are registered under their model names.

    Parameters
    ----------
    folder : a data folder of Parquet tables.
    spark : a Spark session to use (default: :func:`session`).
    master : Spark master URL when the session is created here (``local[2]``, ``spark://host:7077`` …).

    The views carry the model names, so registering another folder in the same Spark session replaces
    them; :func:`open_folder` keeps several folders apart.
    """
    import ibis

    spark = spark or session(master)
    register_folder(folder, spark)
    return ibis.pyspark.connect(spark)


def open_folder(folder: str | Path, *, spark: Any = None, master: str | None = None) -> RawTables:
    """``folder``'s tables on Spark under views of their own (``lo_<hash of the folder>_<table>``).

    What ``liveops_nb.open(folder, engine="spark")`` reads: several folders can be open in one Spark
    session at once without one dataset's views replacing another's.
    """
    import ibis

    spark = spark or session(master)
    tag = hashlib.sha1(str(Path(folder).resolve()).encode()).hexdigest()[:10]
    views = register_folder(folder, spark, prefix=f"lo_{tag}_")
    con = ibis.pyspark.connect(spark)
    return RawTables(con=con, tables={name: con.table(view) for name, view in views.items()})
