"""Writing the dataset: one Parquet file per table plus ``planted.json``, atomically."""
from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import OutputExistsError


def occupied(out: Path) -> bool:
    """True when ``out`` exists and is not empty.

    Raises
    ------
    OutputExistsError
        ``out`` exists and is not a folder.
    """
    if not out.exists():
        return False
    if not out.is_dir():
        raise OutputExistsError(out)
    return any(out.iterdir())


def write_tables(tables: dict[str, pa.Table], folder: Path) -> None:
    """``<name>.parquet`` (zstd) for every table into ``folder``."""
    for name, t in tables.items():
        pq.write_table(t, folder / f"{name}.parquet", compression="zstd", row_group_size=1 << 20)


def write_dataset(out: Path, tables: dict[str, pa.Table], planted: dict[str, Any], *, overwrite: bool,
                  files: dict[str, str] | None = None) -> None:
    """Write the tables and ``planted.json`` into a temporary folder next to ``out``, then rename it to ``out``.

    Parameters
    ----------
    out:
        The output folder; its parent must exist.
    tables:
        Table name → Arrow table.
    planted:
        The answer key (JSON-ready).
    overwrite:
        Replace ``out`` when it is not empty.
    files:
        Other text files to write (file name → UTF-8 text), e.g. ``targets.csv``.

    Raises
    ------
    OutputExistsError
        ``out`` is not empty (or not a folder) and ``overwrite`` is false.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        write_tables(tables, tmp)
        for fname, text in (files or {}).items():
            (tmp / fname).write_text(text, encoding="utf-8")
        (tmp / "planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)
        if occupied(out):
            if not overwrite:
                raise OutputExistsError(out)
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rename(out, old / "data")
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                if out.exists():
                    out.rmdir()
                os.rename(tmp, out)
            except OSError as err:  # another writer filled ``out`` in the meantime
                if err.errno in (errno.ENOTEMPTY, errno.EEXIST):
                    raise OutputExistsError(out) from None
                raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
