"""Reading and rewriting a dataset folder's tables: upserts, and an all-or-nothing swap under a file lock.

Writing a change (an import, a merge, a split) is one **transaction**:

1. under the folder's lock (``.liveops-import.lock``, :mod:`filelock`; other importers wait) the tables
   are read;
2. every changed table is written whole as a new Parquet file into a private staging folder
   ``.import-stage-<random>/`` (with hard links to the unchanged tables), and that folder is opened and
   validated as a dataset (:func:`liveops_nb.open`); any problem stops here and the folder is untouched;
3. a journal ``.import-journal.json`` listing the moves is written atomically, then each staged file is
   moved over its final name (``os.replace``) and a table's CSV of the same name is removed;
4. the journal and the staging folder are deleted.

A process killed during step 3 leaves the journal; the next writer (and :func:`recover`) completes the
moves before doing anything else, so the folder never keeps a mix of old and new tables. Readers that
open the folder during the moves (a fraction of a second) may see some tables new and some old.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from ..errors import LiveOpsError
from ..io.atomic import write_atomic
from ..io.folder import find_files, read_folder
from ..schema import DEFAULT_TZ, TABLES

LOCK_NAME = ".liveops-import.lock"
JOURNAL = ".import-journal.json"
STAGE_PREFIX = ".import-stage-"
LOCK_TIMEOUT = 120.0
_PANDAS = {"string": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's write lock (waits up to two minutes for another import, merge or split)."""
    try:
        with FileLock(str(folder / LOCK_NAME), timeout=LOCK_TIMEOUT):
            recover(folder)
            yield
    except Timeout:
        raise LiveOpsError(f"another import, merge or split has held '{folder}' for over {LOCK_TIMEOUT:.0f} s; "
                           f"wait for it to finish (or remove {LOCK_NAME} if no liveops process is running)") from None


def recover(folder: Path) -> None:
    """Complete the moves of a transaction a killed process left half-done, and delete stale staging folders."""
    journal = folder / JOURNAL
    if journal.exists():
        plan = json.loads(journal.read_text(encoding="utf-8"))
        for staged, final in plan["moves"]:
            if (folder / staged).exists():
                (folder / final).parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / staged, folder / final)
        for gone in plan.get("remove", []):
            target = folder / gone
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        journal.unlink()
    for stale in folder.glob(f"{STAGE_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def load_tables(folder: Path, tz: str = DEFAULT_TZ) -> dict[str, pd.DataFrame]:
    """Every table of ``folder`` as pandas frames typed by the data model (an empty dict for a new folder)."""
    files = find_files(folder) if folder.is_dir() else {}
    if not files:
        return {}
    if all(p.suffix.lower() == ".parquet" for p in files.values()):  # what imports write: typed already
        return {name: typed(name, pd.read_parquet(p), tz) for name, p in files.items()}
    raw = read_folder(folder, tz=tz)
    return {name: typed(name, t.execute()) for name, t in raw.tables.items()}


def typed(table: str, df: pd.DataFrame, tz: str = DEFAULT_TZ) -> pd.DataFrame:
    """The data model's columns of ``table`` in ``df``, in model order, with the model's dtypes."""
    out = {}
    for c in TABLES[table].columns:
        if c.name not in df:
            continue
        s: Any = df[c.name]
        if c.dtype == "timestamp":
            s = pd.to_datetime(s)
            s = (s.dt.tz_localize(tz) if s.dt.tz is None else s.dt.tz_convert(tz)).astype(f"datetime64[us, {tz}]")
        elif c.dtype == "string":
            s = s.astype("string")
        else:
            s = s.astype(_PANDAS[c.dtype])
        out[c.name] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def upsert(old: pd.DataFrame | None, new: pd.DataFrame, table: str,
           keep: Sequence[str] = ()) -> tuple[pd.DataFrame, int, int]:
    """Rows of ``new`` added to ``old`` or replacing the row with the same key.

    A value missing in ``new`` keeps the old value; columns in ``keep`` keep the old value whenever the
    row exists (e.g. a room's category edited by hand). Returns (table, rows added, rows changed).
    """
    key = list(TABLES[table].key)
    new = typed(table, new).drop_duplicates(key, keep="last")
    if old is None or old.empty:
        return new, len(new), 0
    old = typed(table, old)
    o, n = old.set_index(key), new.set_index(key)
    cols = list(dict.fromkeys([*o.columns, *n.columns]))
    o, n = o.reindex(columns=cols), n.reindex(columns=cols)
    both = n.index.intersection(o.index)
    fresh = n.loc[~n.index.isin(o.index)]
    upd = n.loc[both].combine_first(o.loc[both]) if len(both) else n.loc[both]
    for c in keep:
        if c in cols and len(both):
            upd[c] = o.loc[both, c]
    changed = 0
    if len(both):
        a, b = upd[cols], o.loc[both, cols]
        same = (a == b).fillna(False) | (a.isna() & b.isna())
        changed = int((~same.all(axis=1)).sum())
        o = pd.concat([o.drop(index=both), upd[cols]])
    merged = pd.concat([o, fresh]).reset_index()
    return typed(table, merged), len(fresh), changed


def commit(folder: Path, tables: dict[str, pd.DataFrame], side: dict[str, bytes] | None = None,
           remove: Sequence[str] = (), validate: bool = True) -> None:
    """Write ``tables`` (whole) and side files as one transaction (see the module docstring).

    Parameters
    ----------
    folder : the data folder (created if needed); the caller holds :func:`locked`.
    tables : table name -> its complete new content.
    side : relative path -> bytes of other files to write (``imports.json``, saved originals, …).
    remove : relative paths (files or folders) to delete in the same transaction.
    validate : open the staged dataset with :func:`liveops_nb.open` before swapping.
    """
    from ..dataset import open as open_dataset

    folder.mkdir(parents=True, exist_ok=True)
    stage = folder / f"{STAGE_PREFIX}{secrets.token_hex(4)}"
    stage.mkdir()
    try:
        moves: list[tuple[str, str]] = []
        gone: list[str] = list(remove)
        current = find_files(folder)
        for name, df in tables.items():
            typed(name, df).to_parquet(stage / f"{name}.parquet", index=False)
            moves.append((f"{stage.name}/{name}.parquet", f"{name}.parquet"))
            if name in current and current[name].name != f"{name}.parquet":
                gone.append(current[name].name)
        for name, path in current.items():
            if name not in tables:
                _link(path, stage / path.name)
        for rel, data in (side or {}).items():
            target = stage / "side" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            moves.append((f"{stage.name}/side/{rel}", rel))
        if validate:
            open_dataset(stage)
        write_atomic(folder / JOURNAL, json.dumps({"moves": moves, "remove": gone}, ensure_ascii=False))
        recover(folder)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _link(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def read_json(folder: Path, name: str) -> dict[str, Any]:
    """A side file of the folder (``imports.json``, ``session_edits.json``) as a dict (empty when absent)."""
    path = folder / name
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise LiveOpsError(f"{path} is not readable JSON ({err}); restore it from a backup or delete it "
                           "(it only records what was imported or merged)") from None
    return data if isinstance(data, dict) else {}


def json_bytes(data: dict[str, Any]) -> bytes:
    """A side file's content: indented UTF-8 JSON."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode("utf-8")
