"""The plain-pandas reference of the foundation benchmark computes the same numbers as the engine.

A benchmark against pandas code that computes something else would be
meaningless; these tests keep ``benchmarks/pandas_reference.py`` honest.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from benchmarks import pandas_reference as ref
from liveops_nb.metrics import MAIN_KEYS, REGISTRY


def _same(a: float, b: float) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or math.isnan(b)
    return b is not None and not math.isnan(b) and b == pytest.approx(a, rel=1e-9, abs=1e-9)


def test_reference_gives_hand_worked_values_on_tiny(tiny_dir: Path) -> None:
    got = ref.sessions_kpis(tiny_dir).set_index("session_id")
    # S1 (devtools/tiny.py): viewers u1, u2, u4 = 3; entries u1, u2 twice, u4 = 4 views
    assert got.at["S1", "uv"] == 3 and got.at["S1", "views"] == 4
    # online per minute 20:00..20:05 = 2,1,2,2,2,1 -> peak 2, mean 10/6
    assert got.at["S1", "pcu"] == 2 and got.at["S1", "acu"] == pytest.approx(10 / 6)
    # watch 120 + 30 + 60 + 175 (u4 never exits: until 20:05) = 385 s over 3 viewers
    assert got.at["S1", "avg_watch_seconds"] == pytest.approx(385 / 3)
    # paid (千川) orders o2 300 + o3 100 = 400 over spend 50 -> ROI 8
    assert got.at["S1", "paid_roi"] == pytest.approx(8.0)
    # S2: u1 online 20:00 and 20:01 of 4 minutes -> 1,1,0,0 -> mean 0.5; no paid spend -> ROI n/a
    assert got.at["S2", "acu"] == pytest.approx(0.5) and math.isnan(got.at["S2", "paid_roi"])
    one = ref.session_kpis(tiny_dir, "S1")
    # u1 comes back on 09-08: 1 of 3 viewers; neither buyer bought before: 0 of 2
    assert one["next_day_return_rate"] == pytest.approx(1 / 3) and one["repurchase_rate"] == 0
    # S2 is on the last day: no next day yet
    assert math.isnan(ref.session_kpis(tiny_dir, "S2")["next_day_return_rate"])


def test_reference_agrees_with_engine_on_tiny(tiny_dir: Path, tiny_ds) -> None:
    eng = tiny_ds.sessions().set_index("session_id")
    pan = ref.sessions_kpis(tiny_dir).set_index("session_id")
    for sid in ("S1", "S2"):
        for key in MAIN_KEYS:
            assert _same(float(eng.at[sid, key]), float(pan.at[sid, key])), (sid, key)
        rows = tiny_ds.session_kpis(sid).set_index("key")["value"]
        mine = ref.session_kpis(tiny_dir, sid)
        assert set(mine.index) == set(REGISTRY)
        for key in REGISTRY:
            v = rows[key]
            assert _same(np.nan if v is None else float(v), float(mine[key])), (sid, key)


def test_reference_agrees_with_engine_on_demo_main_kpis(demo_dir: Path, demo_ds) -> None:
    eng = demo_ds.sessions().set_index("session_id")[list(MAIN_KEYS)].sort_index()
    pan = ref.sessions_kpis(demo_dir).set_index("session_id")[list(MAIN_KEYS)].sort_index()
    assert list(eng.index) == list(pan.index)
    ok = np.isclose(eng.to_numpy(float), pan.to_numpy(float), rtol=1e-9, atol=1e-9, equal_nan=True)
    assert ok.all(), sorted({MAIN_KEYS[j] for j in np.where(~ok)[1]})
    # the comparison is not vacuous: most values are real numbers
    assert np.isfinite(eng.to_numpy(float)).mean() > 0.9
