"""The dataset's one result cache: copies handed out, whole tables served per session, bounded, cleared, fresh."""
from __future__ import annotations

import os
import time

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.engine import compute
from liveops_nb.engine.cache import ResultCache


def test_cached_answers_are_copies(tiny_ds):
    first = tiny_ds.session_kpis("S1")
    first.loc[:, "value"] = -1.0  # a section that changes its copy changes nobody else's
    assert tiny_ds.session_kpis("S1").set_index("key").at["gmv", "value"] == 500
    f = tiny_ds.frame("minute_stats", "S1")
    f["online"] = -1
    assert (tiny_ds.frame("minute_stats", "S1")["online"] >= 0).all()
    k = tiny_ds.kpis(["gmv"])
    k["gmv"] = 0.0
    assert tiny_ds.kpis(["gmv"])["gmv"].tolist() == [500.0, 100.0]


def test_preload_serves_each_session_from_the_whole_table(tiny_ds, tiny_dir):
    other = liveops_nb.open(tiny_dir)
    assert tiny_ds.preload("minute_stats")
    for sid in ("S1", "S2"):
        pd.testing.assert_frame_equal(tiny_ds.frame("minute_stats", sid), other.frame("minute_stats", sid))
    assert not tiny_ds.preload("no_such_table")


def test_a_changed_data_file_is_never_served_from_the_cache(tiny_dir):
    ds = liveops_nb.open(tiny_dir)
    assert ds.kpis(["gmv"], where={"session_id": "S1"})["gmv"].item() == 500  # o1 100 + o2 300 + o3 100
    orders = pd.read_parquet(tiny_dir / "orders.parquet")
    orders.loc[orders.order_id == "o1", "amount"] = 250.0
    time.sleep(0.01)
    orders.to_parquet(tiny_dir / "orders.parquet", index=False)
    os.utime(tiny_dir / "orders.parquet")
    assert ds.kpis(["gmv"], where={"session_id": "S1"})["gmv"].item() == 650
    assert ds.kpis(["gmv"], where={"session_id": "S2"})["gmv"].item() == 100  # the other session unchanged


def test_bounded_least_recently_used_and_clearable(tiny_ds):
    cache = ResultCache(max_entries=2)
    calls = []

    def make(v):
        return lambda: calls.append(v) or v

    cache.get_or_make("a", make("a"))
    cache.get_or_make("b", make("b"))
    cache.get_or_make("a", make("a"))  # hit: a is now the most recent
    cache.get_or_make("c", make("c"))  # evicts b
    assert len(cache) == 2 and calls == ["a", "b", "c"]
    cache.get_or_make("b", make("b"))
    assert calls == ["a", "b", "c", "b"]
    cache.clear()
    assert len(cache) == 0
    tiny_ds.kpis(["uv"])
    tiny_ds.clear_cache()
    assert len(tiny_ds._cache) == 0


def test_a_session_is_served_from_the_all_sessions_result_at_its_grain(tiny_dir, monkeypatch):
    """After the all-sessions KPIs by (session, channel), one session's read no data and are the same numbers."""
    fresh = liveops_nb.open(tiny_dir)
    expected = fresh.kpis(["views", "uv"], by=["session_id", "channel"], where={"session_id": "S1"})
    ds = liveops_nb.open(tiny_dir)
    everything = ds.kpis(["uv", "views", "gmv"], by=["session_id", "channel"])
    assert set(everything.session_id) == {"S1", "S2"}

    def no_query(*_a, **_k):
        raise AssertionError("a query was run")
    monkeypatch.setattr(ds.con, "execute", no_query)
    got = ds.kpis(["views", "uv"], by=["session_id", "channel"], where={"session_id": "S1"})
    pd.testing.assert_frame_equal(got, expected)
    assert got.attrs == expected.attrs
    # a filter the grain does not group by, or a key the earlier result lacks, is computed afresh
    with pytest.raises(AssertionError, match="a query was run"):
        ds.kpis(["views"], by=["channel"], where={"session_id": "S1"})
    with pytest.raises(AssertionError, match="a query was run"):
        ds.kpis(["orders"], by=["session_id", "channel"], where={"session_id": "S1"})


def test_a_total_over_some_sessions_adds_up_the_all_sessions_result(tiny_dir, monkeypatch):
    """Sums and peaks over sessions from the per-session result (no query); people still need the query."""
    keys = ["gmv", "refund_rate", "pcu", "paid_spend", "acu"]
    fresh = liveops_nb.open(tiny_dir).kpis(keys, by=None, where={"session_id": ["S1", "S2"]})
    assert fresh["gmv"].item() == 600  # S1 500 + S2 100 (tiny dataset)
    ds = liveops_nb.open(tiny_dir)
    ds.kpis()

    def no_query(*_a, **_k):
        raise AssertionError("a query was run")
    monkeypatch.setattr(compute, "base_table", no_query)  # the registry's formulas still run on the totals
    got = ds.kpis(keys, by=None, where={"session_id": ["S1", "S2"]})
    pd.testing.assert_frame_equal(got, fresh)
    with pytest.raises(AssertionError, match="a query was run"):
        ds.kpis(["uv"], by=None, where={"session_id": ["S1", "S2"]})  # a viewer of both counts once
