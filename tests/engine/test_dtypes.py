"""ds.sessions(): the local day as datetime64, counts as nullable integers, rates and money as floats."""
from __future__ import annotations

import pandas as pd

import liveops_nb
from devtools import tiny
from liveops_nb.engine.dtypes import as_count, is_count


def test_sessions_dates_are_datetimes_and_counts_integers(tiny_ds):
    s = tiny_ds.sessions().set_index("session_id")
    assert pd.api.types.is_datetime64_dtype(s["date"])
    assert list(s["date"]) == [pd.Timestamp("2026-09-07"), pd.Timestamp("2026-09-08")]
    for key in ("views", "uv", "pcu", "orders", "buyers", "new_followers"):
        assert str(s[key].dtype) == "Int64", key
    # S1 (devtools/tiny.py): views 4 (u1, u2 twice, u4), viewers u1 u2 u4, peak 2 online, 3 orders by u1 and u4
    assert (s.at["S1", "views"], s.at["S1", "uv"], s.at["S1", "pcu"], s.at["S1", "orders"], s.at["S1", "buyers"]) \
        == (4, 3, 2, 3, 2)
    assert s["acu"].dtype == "float64" and abs(s.at["S1", "acu"] - 10 / 6) < 1e-12  # an average stays a float
    assert s["gmv"].dtype == "float64" and s.at["S2", "gmv"] == 100.0


def test_a_missing_count_is_NA_not_NaN(tmp_path):
    totals = tiny.SESSION_TOTALS.copy()
    totals["pcu"] = pd.array([2, None], dtype="Int64")  # the platform export left S2's peak online empty
    sessions = tiny.tables()["sessions"].merge(totals, on="session_id")
    folder = tiny.write(tmp_path / "agg", aggregate_only=True, overrides={"sessions": sessions})
    s = liveops_nb.open(folder).sessions().set_index("session_id")
    assert str(s["pcu"].dtype) == "Int64" and s.at["S1", "pcu"] == 2 and s.at["S2", "pcu"] is pd.NA


def test_fractional_values_are_never_rounded_into_counts():
    assert as_count(pd.Series([1.0, 2.5])).tolist() == [1.0, 2.5]
    assert as_count(pd.Series([1.0, None])).tolist() == [1, pd.NA]
    assert is_count("uv") and is_count("orders") and not is_count("acu") and not is_count("gpm")
