"""The demo dataset written as CSV (pandas' own format) reads to exactly the values of its Parquet files."""
from __future__ import annotations

import pandas as pd
import pytest

from liveops_nb.io.csv import read_csv
from liveops_nb.io.tables import RawTables
from liveops_nb.schema import TABLES


def _plain(s: pd.Series) -> list:
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
    return [None if pd.isna(v) else v for v in s.tolist()]


@pytest.mark.parametrize("table", ["sessions", "orders", "minute_stats", "pitches", "product_stats", "channels",
                                   "comments", "users", "products", "rooms", "experiments", "assignments"])
def test_demo_table_through_csv_is_identical(demo_dir, tmp_path, table):
    parquet = pd.read_parquet(demo_dir / f"{table}.parquet")
    path = tmp_path / f"{table}.csv"
    parquet.to_csv(path, index=False)
    raw = RawTables(con=None, tables={})
    got = read_csv(path, TABLES[table], raw, "Asia/Shanghai")
    assert raw.problems == [] and raw.warnings == []
    assert list(got.columns) == list(parquet.columns)
    for col in parquet.columns:
        assert _plain(got[col]) == _plain(parquet[col]), col
