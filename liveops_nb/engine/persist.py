"""What a dataset keeps in the on-disk result store (:mod:`liveops_nb.engine.store`) between processes.

* its validation (problems and warnings, reproduced identically), keyed by the data folder's full
  fingerprint and the time zone naive times are read in;
* its all-sessions session-grain base table (what ``sessions()`` and the pages compute first), keyed
  by the full fingerprint and everything the dataset was opened with.

Only a folder read by the embedded engine is stored (a connection or Spark has no files to fingerprint).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import DataProblem
from .store import BASES_CODE, VALIDATION_CODE, Store, StoreError, dataset_key, default_store


def _store_for(path: Path | None, source: str) -> Store | None:
    """The store to use for a dataset read from ``path`` (None: not a local folder, or the store is off)."""
    if path is None or source.startswith("spark:") or not Path(path).is_dir():
        return None
    store = default_store()
    if store is None:
        return None
    try:
        store.check_outside(path)
    except StoreError:  # a cache folder inside the data folder is never written to: no store
        return None
    return store


def validation(tables: dict[str, Any], files: Mapping[str, Path], path: Path | None, source: str, tz: str
               ) -> tuple[list[DataProblem], list[DataProblem]]:
    """:func:`liveops_nb.validate.validate_tables` of the tables read, from the store when the folder is unchanged.

    Parameters
    ----------
    tables : table name -> Ibis table, as read.
    files : table name -> the file it was read from.
    path : the data folder (None for a connection).
    source : the dataset's source label (``spark:...`` is not stored).
    tz : the time zone naive times were read in.

    Returns
    -------
    tuple
        Problems and warnings, as validation gives them.
    """
    from ..validate import validate_tables

    def run() -> tuple[list[DataProblem], list[DataProblem]]:
        return validate_tables(tables, files=dict(files))

    store = _store_for(path, source)
    if store is None or path is None or not files:
        return run()
    return store.remember(dataset_key(path, files, "validate", tz, code=VALIDATION_CODE), run)


def remembered(ds: Any, request: tuple, make: Callable[[], Any]) -> Any:
    """``make()`` for ``request`` on dataset ``ds`` (a :class:`liveops_nb.Dataset`), from the store when its
    folder is unchanged; the key holds the request, the level, the time zone and the tables read."""
    store = _store_for(ds.path, ds.source)
    if store is None or ds.path is None or not ds.files:
        return make()
    key = dataset_key(ds.path, ds.files, request, ds.level, ds.tz, sorted(ds.raw), code=BASES_CODE)
    return store.remember(key, make)
