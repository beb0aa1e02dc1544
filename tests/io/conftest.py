"""Helpers for the CSV tests: write a file as an export would be written, read it through the seam folder.py uses."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from liveops_nb.io.csv import read_csv
from liveops_nb.io.tables import RawTables
from liveops_nb.schema import TABLES

Reader = Callable[..., tuple[pd.DataFrame, RawTables]]


@pytest.fixture()
def read_export(tmp_path: Path) -> Reader:
    """``read_export(table, content, file=None, tz=...)``: write ``content`` (str as UTF-8, or bytes) and read it."""

    def _read(table: str, content: str | bytes, file: str | None = None,
              tz: str = "Asia/Shanghai") -> tuple[pd.DataFrame, RawTables]:
        path = tmp_path / (file or f"{table}.csv")
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        raw = RawTables(con=None, tables={})
        return read_csv(path, TABLES[table], raw, tz), raw

    return _read
