"""The engine agrees with an independent plain-pandas computation on the demo data at three grains.

The pandas side reads the Parquet files itself and counts with ``groupby``/``nunique`` — no code of
the package is used — so a grouping mistake in the engine (a person counted twice, an average of
ratios, a session put in the wrong week) shows up as a difference.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

TZ = "Asia/Shanghai"


@pytest.fixture(scope="module")
def raw(demo_dir: Path) -> dict[str, pd.DataFrame]:
    ev = pd.read_parquet(demo_dir / "events.parquet", columns=["session_id", "user_id", "event_type", "channel"])
    od = pd.read_parquet(demo_dir / "orders.parquet", columns=["session_id", "user_id", "amount", "channel"])
    s = pd.read_parquet(demo_dir / "sessions.parquet", columns=["session_id", "room_id", "start_time"])
    start = pd.to_datetime(s["start_time"], utc=True).dt.tz_convert(TZ).dt.tz_localize(None)
    s["week"] = start.dt.normalize() - pd.to_timedelta(start.dt.day_of_week, unit="D")
    s["weekday"] = start.dt.day_of_week
    s["hour"] = start.dt.hour
    return {"events": ev.merge(s, on="session_id"), "orders": od.merge(s, on="session_id")}


def _pandas(raw: dict[str, pd.DataFrame], by: list[str], row_dim: str | None = None) -> pd.DataFrame:
    ev, od = raw["events"], raw["orders"]
    enters = ev[ev.event_type == "enter"]
    if row_dim:
        enters, od = enters[enters[row_dim].notna()], od[od[row_dim].notna()]
    viewers = enters.groupby(by).agg(uv=("user_id", "nunique"), views=("user_id", "size"))
    money = od.groupby(by).agg(gmv=("amount", "sum"), buyers=("user_id", "nunique"))
    out = viewers.join(money, how="outer").fillna(0.0)
    out["gpm"] = np.where(out["views"] > 0, out["gmv"] / out["views"].where(out["views"] > 0) * 1000, np.nan)
    out["view_to_order_rate"] = out["buyers"] / out["uv"].where(out["uv"] > 0)
    return out.reset_index()


@pytest.mark.parametrize("by, row_dim", [(["session_id", "channel"], "channel"), (["room_id", "week"], None),
                                         (["weekday", "hour"], None)])
def test_engine_matches_plain_pandas(demo_ds, raw, by, row_dim):
    keys = ["uv", "views", "gmv", "buyers", "gpm", "view_to_order_rate"]
    mine = demo_ds.kpis(keys, by=by)
    want = _pandas(raw, by, row_dim)
    for c in by:
        if c in ("weekday", "hour"):
            mine[c] = mine[c].astype("int64")
            want[c] = want[c].astype("int64")
    m = want.merge(mine, on=by, how="outer", suffixes=("_pandas", "_engine"), indicator=True)
    active = m[(m["_merge"] == "both") | (m[["uv_engine", "gmv_engine"]].fillna(0).sum(axis=1) > 0)
               | (m[["uv_pandas", "gmv_pandas"]].fillna(0).sum(axis=1) > 0)]
    assert (active["_merge"] == "both").all(), active[active["_merge"] != "both"].head()
    assert len(active) > 3
    for k in keys:
        np.testing.assert_allclose(active[f"{k}_engine"].to_numpy(float), active[f"{k}_pandas"].to_numpy(float),
                                   rtol=1e-9, equal_nan=True, err_msg=f"{k} by {by}")
