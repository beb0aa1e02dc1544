"""The same metric code on Spark (local mode): every registry metric at every grain equals DuckDB's.

One Spark session for the module (starting one costs ~10 s); its tests run on one xdist worker. The
DuckDB side is the engine's default, whose numbers are checked by hand in test_grains.py; here the two
backends must agree, and only aggregated results may come back from Spark (no raw event rows).
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.spark, pytest.mark.xdist_group("spark")]

GRAINS: list[list[str]] = [
    [], ["room_id", "week"], ["host", "month", "day", "weekday", "hour"], ["session_id", "channel"],
    ["session_id", "channel_group"], ["session_id", "product_id"], ["session_id", "minute"],
    ["gender", "age_band", "region", "member_tier"],
]
"""Every dimension once (sessions() is the session grain): Spark plans each grain's query in seconds to
tens of seconds even on two sessions, so dimensions are combined rather than tried one by one."""


@pytest.fixture(scope="module")
def spark():
    from liveops_nb.io.spark import session

    s = session("local[2]")
    yield s


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory) -> Path:
    from devtools import tiny

    folder = tmp_path_factory.mktemp("tiny-spark")
    tiny.write(folder)
    return folder


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory) -> Path:
    """One week of the demo (three rooms, its planted outage left out): big enough for every table and grain."""
    from liveops_nb.demo import generate

    return generate(tmp_path_factory.mktemp("demo-spark") / "demo", seed=7, weeks=1)


def _pair(folder: Path, spark):
    """The folder on DuckDB and on Spark (views of its own in the module's Spark session)."""
    import liveops_nb

    return liveops_nb.open(folder), liveops_nb.open(folder, engine="spark")


def _same(duck: pd.DataFrame, sp: pd.DataFrame, by: list[str], where: str) -> None:
    assert list(sp.columns) == list(duck.columns), where
    if by:
        duck = duck.sort_values(by, kind="stable").reset_index(drop=True)
        sp = sp.sort_values(by, kind="stable").reset_index(drop=True)
    assert len(sp) == len(duck), f"{where}: {len(sp)} rows on Spark, {len(duck)} on DuckDB"
    for c in duck.columns:
        a, b = duck[c], sp[c]
        if c in by or a.dtype == object or b.dtype == object:
            assert a.astype(str).tolist() == b.astype(str).tolist(), f"{where}: column {c}"
            continue
        if pd.api.types.is_datetime64_any_dtype(a) or pd.api.types.is_datetime64_any_dtype(b):
            assert pd.to_datetime(a).tolist() == pd.to_datetime(b).tolist(), f"{where}: {c}"  # any resolution
            continue
        x, y = pd.to_numeric(a, errors="coerce").to_numpy(float), pd.to_numeric(b, errors="coerce").to_numpy(float)
        assert (np.isnan(x) == np.isnan(y)).all(), f"{where}: {c} available on one backend only"
        ok = np.isnan(x) | np.isclose(x, y, rtol=1e-9, atol=1e-9)
        assert ok.all(), f"{where}: {c} differs: {x[~ok][:3]} vs {y[~ok][:3]}"


def test_every_metric_at_every_grain_equals_duckdb_on_the_tiny_dataset(tiny_folder, spark):
    from liveops_nb.metrics import REGISTRY

    duck, sp = _pair(tiny_folder, spark)
    keys = list(REGISTRY)
    for by in GRAINS:
        _same(duck.kpis(keys, by=by or None).reset_index(drop=True),
              sp.kpis(keys, by=by or None).reset_index(drop=True), by, f"tiny by={by}")
    _same(duck.sessions(), sp.sessions(), ["session_id"], "tiny sessions()")


def test_demo_week_on_spark_equals_duckdb_and_only_results_come_back(small_demo, spark, monkeypatch):
    from liveops_nb.metrics import REGISTRY

    duck, sp = _pair(small_demo, spark)
    n_events = int(duck.table("events").count().execute())
    returned: list[tuple[int, tuple[str, ...]]] = []
    backend = sp.con
    original = backend.execute

    def recording(expr, *args, **kwargs):
        out = original(expr, *args, **kwargs)
        cols = tuple(out.columns) if isinstance(out, pd.DataFrame) else (getattr(out, "name", "") or "",)
        returned.append((len(out), cols))
        return out

    monkeypatch.setattr(backend, "execute", recording)
    _same(duck.sessions(), sp.sessions(), ["session_id"], "demo sessions()")
    keys = list(REGISTRY)
    for by in (["room_id", "week"],):
        _same(duck.kpis(keys, by=by).reset_index(drop=True), sp.kpis(keys, by=by).reset_index(drop=True), by,
              f"demo by={by}")
    assert returned, "the Spark backend was not used"
    biggest = max(n for n, _ in returned)
    assert biggest < n_events / 5, f"a result of {biggest} rows came back (the week has {n_events} events)"
    assert not [cols for _, cols in returned if {"ts", "event_type"} <= set(cols)], "raw event rows came back"


SPARK_SECTIONS = ("results", "traffic", "funnel")
"""Review sections built on Spark in the suite: the KPI cards and the channel and funnel grains (each
section is tens of Spark queries; all nine: ``LIVEOPS_ENGINE=spark`` with papermill, docs/scale.md)."""


def test_review_sections_on_spark_show_duckdbs_key_figures(tiny_folder, spark):
    from liveops_nb.pages import sections

    duck, sp = _pair(tiny_folder, spark)
    sid = "S1"  # devtools/tiny.py
    options = sections.ReviewOptions()
    for name in SPARK_SECTIONS:
        s = sections.get(name)
        built = s.build(sp, sid, options)  # every section builds on Spark
        if s.key_figures is None:
            continue
        a, b = s.key_figures(s.build(duck, sid, options)), s.key_figures(built)
        assert a.keys() == b.keys(), name
        for k, v in a.items():
            w = b[k]
            if isinstance(v, float) and isinstance(w, float) and not (math.isnan(v) and math.isnan(w)):
                assert w == pytest.approx(v, rel=1e-9, abs=1e-9), f"{name}.{k}"
            elif not (isinstance(v, float) and math.isnan(v)):
                assert w == v, f"{name}.{k}"


def test_spark_engine_chosen_by_name_or_environment(tiny_folder, spark, monkeypatch):
    import liveops_nb
    from liveops_nb.errors import LiveOpsError
    from liveops_nb.io.spark import connect_folder, engine_of

    monkeypatch.setenv("LIVEOPS_ENGINE", "spark")
    ds = liveops_nb.open(tiny_folder)
    assert ds.source == f"spark:{tiny_folder}" and type(ds.con).__module__.startswith("ibis.backends.pyspark")
    other = liveops_nb.open(connect_folder(tiny_folder, spark=spark))  # model-name views: your own registration
    assert other.kpis(["gmv"], by=None)["gmv"].iloc[0] == pytest.approx(600.0)
    assert ds.kpis(["gmv"], by=None)["gmv"].iloc[0] == pytest.approx(600.0)  # 500 + 100, devtools/tiny.py
    assert engine_of("duckdb") == "duckdb"
    with pytest.raises(LiveOpsError, match="engine must be one of duckdb, spark"):
        engine_of("postgres")
