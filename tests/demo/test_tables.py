"""The written tables follow :data:`liveops_nb.schema.TABLES` (:mod:`liveops_nb.demo.tables`)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from liveops_nb import schema

from .helpers import TZ


def _dtype_ok(s: pd.Series, dtype: str) -> bool:
    if dtype == "string":
        return pd.api.types.is_string_dtype(s.dtype)
    if dtype == "int":
        return s.dtype == np.int64
    if dtype == "float":
        return s.dtype == np.float64
    if dtype == "bool":
        return s.dtype == bool
    if dtype == "timestamp":
        return isinstance(s.dtype, pd.DatetimeTZDtype) and str(s.dtype.tz) == TZ
    raise AssertionError(dtype)


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_table_matches_schema(t: dict[str, pd.DataFrame], name: str) -> None:
    spec = schema.TABLES[name]
    df = t[name]
    assert len(df) > 0
    for col in spec.columns:
        if col.required:
            assert col.name in df.columns, f"{name}.{col.name} missing"
        if col.name not in df.columns:
            continue
        s = df[col.name]
        assert _dtype_ok(s, col.dtype), f"{name}.{col.name}: {s.dtype} is not {col.dtype}"
        if not col.nullable:
            assert s.notna().all(), f"{name}.{col.name} has nulls"
        if col.allowed:
            assert set(s.dropna().unique()) <= set(col.allowed), f"{name}.{col.name}"
        if col.nonnegative:
            assert (s.dropna() >= 0).all(), f"{name}.{col.name} negative"
    assert not df.duplicated(list(spec.key)).any(), f"{name}: duplicate key {spec.key}"
    for col, ref in spec.refs.items():
        rt, rc = ref.split(".")
        vals = set(df[col].dropna())
        assert vals <= set(t[rt][rc]), f"{name}.{col} -> {ref}"


@pytest.mark.parametrize("name", [n for n, s in schema.TABLES.items() if s.in_session_window])
def test_timestamps_inside_session_window(t: dict[str, pd.DataFrame], name: str) -> None:
    win = t["sessions"].set_index("session_id")[["start_time", "end_time"]]
    df = t[name].join(win, on="session_id")
    for col in schema.TABLES[name].in_session_window:
        ts = df[col]
        if col == "minute":  # minutes run from floor(start) to floor(end)
            assert (ts >= df["start_time"].dt.floor("min")).all() and (ts <= df["end_time"]).all()
        else:
            assert (ts >= df["start_time"]).all() and (ts <= df["end_time"]).all(), f"{name}.{col}"


def test_money_is_rounded_to_cents(t: dict[str, pd.DataFrame]) -> None:
    for name, col in [("orders", "amount"), ("orders", "refund_amount"), ("sessions", "gmv"),
                      ("minute_stats", "paid_spend"), ("channels", "spend"), ("product_stats", "gmv")]:
        v = t[name][col].dropna().to_numpy()
        assert np.allclose(v, np.round(v, 2), atol=1e-9), f"{name}.{col}"
