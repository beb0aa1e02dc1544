"""Foundation benchmark: the metric engine against the same KPIs written plainly in pandas.

Two tasks, each timed for the engine (``liveops_nb``: Ibis on DuckDB) and for
``benchmarks/pandas_reference.py`` (read the Parquet files into pandas, then
groupby/merge):

* ``sessions()``  — main KPIs of every session (the session list);
* ``session_kpis(largest)`` — every KPI of the session with the most events.

Each is timed *cold*: a freshly opened dataset (nothing computed yet) for the
engine, a fresh read of the files for pandas; the operating system's file cache
is warm for both (one untimed warm-up run each). Wall time and process CPU time
(all threads) are recorded; the figure used is the median of ``--repeat`` runs.
At default scale the script first asserts that both give the same numbers.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.bench_foundation                 # scales 1 and 20 (~10 M events)
    .venv/bin/python -m benchmarks.bench_foundation --scales 1 --repeat 3 --no-write

Data are generated once into ``benchmarks/data/scale-S`` (git-ignored) with
``liveops_nb.demo.generate(out, seed=7, scale=S)``; existing folders are reused.
Results go to ``benchmarks/results/foundation.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

import liveops_nb
from benchmarks import pandas_reference as ref
from devtools import ROOT
from devtools.bench import Timing, demo_data, load_text, machine, measure, no_setup, write_results
from liveops_nb.metrics import MAIN_KEYS, REGISTRY

TEN_MILLION_SCALE = 20  # 9.9 M events with seed 7 (docs/demo-data.md; scale 1 gives ~0.49 M)


# ---------------------------------------------------------------------- data
def largest_session(folder: Path) -> tuple[str, int]:
    """The session with the most events (ties: smallest id) and its event count."""
    counts = pq.read_table(folder / "events.parquet", columns=["session_id"]).column(0).to_pandas().value_counts()
    top = counts[counts == counts.max()].sort_index()
    return str(top.index[0]), int(top.iloc[0])


def n_events(folder: Path) -> int:
    return pq.ParquetFile(folder / "events.parquet").metadata.num_rows


# ---------------------------------------------------------------------- a fresh dataset
def fresh(folder: Path, threads: int | None = None):
    """A newly opened dataset: nothing computed or cached yet (validation is timed separately).

    ``threads`` limits DuckDB to that many threads (to compare per core with single-threaded pandas).
    """
    ds = liveops_nb.open(folder, validate=False)
    if threads:
        ds.con.raw_sql(f"SET threads TO {int(threads)}")  # benchmark setting only, not engine code
    return ds


# ---------------------------------------------------------------------- agreement
def check_agreement(folder: Path, session_ids: list[str]) -> None:
    """Assert the engine and the pandas reference give the same numbers.

    All sessions × main KPIs, and every KPI of ``session_ids``.
    """
    ds = liveops_nb.open(folder)
    eng = ds.sessions().set_index("session_id")[list(MAIN_KEYS)].sort_index()
    pan = ref.sessions_kpis(folder).set_index("session_id")[list(MAIN_KEYS)].sort_index()
    assert list(eng.index) == list(pan.index), "session lists differ"
    _assert_close(eng.to_numpy(float), pan.to_numpy(float), list(MAIN_KEYS), "sessions()")
    for sid in session_ids:
        one = ds.session_kpis(sid).set_index("key")["value"].astype(float)
        other = ref.session_kpis(folder, sid).reindex(one.index)
        assert set(one.index) == set(REGISTRY)
        _assert_close(one.to_numpy()[None, :], other.to_numpy(float)[None, :], list(one.index), f"session_kpis({sid})")


def _assert_close(a: np.ndarray, b: np.ndarray, keys: list[str], what: str) -> None:
    ok = np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
    bad = sorted({keys[j] for j in np.where(~ok)[1]})
    assert not bad, f"{what}: engine and pandas reference differ on {bad}"


def check_sessions(folder: Path) -> list[str]:
    """Sessions whose every KPI is compared: the largest, the first, the last and the planted ones."""
    ds = liveops_nb.open(folder, validate=False)
    ids = [largest_session(folder)[0], ds.session_info.session_id.iloc[0], ds.session_info.session_id.iloc[-1]]
    planted = json.loads((folder / "planted.json").read_text(encoding="utf-8"))
    ids += [v for v in _strings(planted) if v in set(ds.session_info.session_id)]
    return list(dict.fromkeys(ids))[:10]


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


# ---------------------------------------------------------------------- one scale
@dataclass
class ScaleResult:
    scale: float
    events: int
    sessions: int
    largest: str
    largest_events: int
    open_validate: float
    timings: dict[str, Timing]


def bench_scale(scale: float, repeat: int) -> ScaleResult:
    folder = demo_data(scale)
    sid, n_big = largest_session(folder)
    print(f"scale {scale:g}: {n_events(folder):,} events; largest session {sid} ({n_big:,} events)", flush=True)
    w0 = time.perf_counter()
    ds = liveops_nb.open(folder)  # with validation, as the pages open it
    open_validate = time.perf_counter() - w0
    timings = measure({
        "engine sessions()": (lambda d: d.sessions(), lambda: fresh(folder)),
        "pandas sessions()": (lambda _: ref.sessions_kpis(folder), no_setup),
        "engine sessions() 1 thread": (lambda d: d.sessions(), lambda: fresh(folder, threads=1)),
    }, repeat)
    warm = fresh(folder)
    warm.session_kpis(sid)
    timings.update(measure({
        "engine session_kpis()": (lambda d: d.session_kpis(sid), lambda: fresh(folder)),
        "pandas session_kpis()": (lambda _: ref.session_kpis(folder, sid), no_setup),
        "engine session_kpis() again": (lambda _: warm.session_kpis(sid), no_setup),
    }, repeat))
    for k, t in timings.items():
        print(f"  {k:30s} wall {t.median_wall:7.2f} s   cpu {t.median_cpu:7.2f} s   (runs: "
              + ", ".join(f"{w:.2f}" for w in t.wall) + ")", flush=True)
    return ScaleResult(scale, n_events(folder), len(ds.session_info), sid, n_big, open_validate, timings)


# ---------------------------------------------------------------------- report
def commit() -> str:
    """The commit measured, and whether the engine or benchmark files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()

    changed = git("status", "--porcelain", "--", "liveops_nb/dataset.py", "liveops_nb/derive.py",
                  "benchmarks/bench_foundation.py", "benchmarks/pandas_reference.py")
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (engine/benchmark files modified)" if changed else "")


def report(results: list[ScaleResult], info: dict[str, str], load: tuple[tuple[float, ...], tuple[float, ...]],
           repeat: int) -> str:
    lines = ["# Foundation benchmark — results", "",
             "Generated by `benchmarks/bench_foundation.py` (see `benchmarks/README.md` for the method).", "",
             "## Machine", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in info.items()]
    lines += [f"| load average (1/5/15 min) at start | {load_text(load[0])} |",
              f"| load average at end | {load_text(load[1])} |", "",
              f"Median of {repeat} runs after one warm-up round, engine and pandas runs interleaved; wall-clock "
              "seconds, with the fastest run and the median process CPU seconds (all threads) in brackets.",
              "", "## Figures", "",
              "| scale | events | task | engine | plain pandas | speed-up (median wall time) |",
              "|---|---|---|---|---|---|"]
    for r in results:
        for task in ("sessions()", "session_kpis()"):
            e, p = r.timings[f"engine {task}"], r.timings[f"pandas {task}"]
            name = "sessions() — all sessions, main KPIs" if task == "sessions()" else \
                f"session_kpis('{r.largest}') — {r.largest_events:,} events, all KPIs"
            lines.append(f"| {r.scale:g} | {r.events:,} | {name} | {_fig(e)} | {_fig(p)} | "
                         f"{p.median_wall / e.median_wall:.1f}× (fastest runs: {p.min_wall / e.min_wall:.1f}×) |")
    lines += ["", "Other engine figures:", ""]
    for r in results:
        again, one = r.timings["engine session_kpis() again"], r.timings["engine sessions() 1 thread"]
        pan = r.timings["pandas sessions()"]
        lines.append(f"- scale {r.scale:g} ({r.sessions} sessions): `sessions()` with DuckDB limited to one thread "
                     f"{one.median_wall:.2f} s ({pan.median_wall / one.median_wall:.1f}× plain pandas, per core); "
                     f"`session_kpis()` called again on the same dataset {again.median_wall:.2f} s; "
                     f"`liveops_nb.open()` with validation {r.open_validate:.2f} s (once per page).")
    lines += ["", "All runs (wall seconds):", ""]
    for r in results:
        for k, t in r.timings.items():
            lines.append(f"- scale {r.scale:g}, {k}: " + ", ".join(f"{w:.2f}" for w in t.wall))
    return "\n".join(lines) + "\n"


def _fig(t: Timing) -> str:
    return f"{t.median_wall:.2f} s (fastest {t.min_wall:.2f}; cpu {t.median_cpu:.2f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scales", type=float, nargs="+", default=[1, TEN_MILLION_SCALE])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="print only, do not write results/foundation.md")
    args = ap.parse_args(argv)
    load0 = os.getloadavg()
    default = demo_data(1)
    check_agreement(default, check_sessions(default))
    print("engine and pandas reference agree at default scale", flush=True)
    results = [bench_scale(s, args.repeat) for s in args.scales]
    info = {"commit": commit(), **machine(["pandas", "pyarrow", "duckdb", "ibis"])}
    text = report(results, info, (load0, os.getloadavg()), args.repeat)
    if not args.no_write:
        write_results("foundation.md", text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
