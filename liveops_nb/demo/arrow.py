"""Arrow columns and tables from the generator's int-coded arrays."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from ..schema import DEFAULT_TZ, TABLES


def ts_col(ms: np.ndarray) -> pa.Array:
    """Local (Asia/Shanghai) timestamps from epoch milliseconds; negative values are null."""
    ms = np.asarray(ms, dtype=np.int64)
    return pa.array(ms * 1000, type=pa.timestamp("us", tz=DEFAULT_TZ), mask=ms < 0)


def code_col(codes: np.ndarray, vocab: Sequence[str] | np.ndarray) -> pa.Array:
    """Strings ``vocab[code]``; negative codes are null."""
    codes = np.asarray(codes)
    idx = pa.array(codes.astype(np.int32), type=pa.int32(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(idx, pa.array(np.asarray(vocab, dtype=object), type=pa.string())).cast(
        pa.string())


def str_col(values: Sequence[str | None]) -> pa.Array:
    """A string column from Python strings."""
    return pa.array(list(values), type=pa.string())


def user_ids(idx: np.ndarray) -> np.ndarray:
    """``U0000123``-style ids for global user indices (vectorised)."""
    return ("U" + pd.Series(idx, dtype=np.int64).astype("str").str.zfill(7)).to_numpy(dtype=object)


def row_ids(sess: np.ndarray, k: np.ndarray, sids: list[str], prefix: str, width: int) -> pa.Array:
    """Ids like ``<session id><prefix><k zero-padded to width>`` (order and comment ids)."""
    base = pd.Series(np.asarray(sids, dtype=object)[sess], dtype="str")
    num = pd.Series(k).astype("str").str.zfill(width)
    return pa.array((base + prefix + num).to_numpy(dtype=object), type=pa.string())


def make_table(name: str, cols: dict[str, pa.Array]) -> pa.Table:
    """Order columns as in the schema; check every required column is there."""
    spec = TABLES[name]
    missing = [c.name for c in spec.columns if c.required and c.name not in cols]
    if missing:  # pragma: no cover - programming error
        raise AssertionError(f"{name}: missing columns {missing}")
    names = [c.name for c in spec.columns if c.name in cols]
    return pa.table([cols[n] for n in names], names=names)
