"""A/B benchmark: per-arm sufficient statistics of a viewer-level test, engine against plain pandas.

Tasks (the demo's viewer-level experiments, primary metrics; about 10 million events):

* ``EXP-CREATIVE impression_to_view_rate`` (3 arms): per viewer, sessions entered (y) and
  sessions impressed (d) over the experiment's sessions, then per arm n, Σy, Σy², Σd, Σd², Σyd;
* ``EXP-COUPON view_to_order_rate`` (2 arms): sessions with an order (from ``orders``) over
  sessions entered.

Engine: :func:`liveops_nb.abtest.sums.sufficient_stats` on a freshly opened dataset (Ibis on
DuckDB, reading the Parquet files). Plain pandas: read the Parquet files, keep the
experiment's sessions, group per (viewer, session), then per viewer, then per arm -- timed
reading whole tables (``pd.read_parquet(path)``, as a notebook would), reading only the
needed columns, and from frames already in memory.
Both give the same sums (asserted). The operating system's file cache is warm for both
(one untimed warm-up); median of ``--repeat`` runs, wall and process CPU seconds.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.bench_abtest                # scale 20 (~9.9 M events)
    .venv/bin/python -m benchmarks.bench_abtest --scale 1 --repeat 3 --no-write

Data: ``benchmarks/data/scale-S`` (git-ignored), generated with
``liveops_nb.demo.generate(out, seed=7, scale=S)`` when absent. Results:
``benchmarks/results/abtest.md``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import liveops_nb
from devtools.bench import Timing, demo_data, load_text, machine, measure, no_setup, write_results
from liveops_nb.abtest import load_experiment, sufficient_stats

TASKS = (("EXP-CREATIVE", "impression_to_view_rate", "enter", "impression"),
         ("EXP-COUPON", "view_to_order_rate", "order", "enter"))
SUMS = ["n", "sum", "sum_squares", "denominator_sum", "denominator_sum_squares", "main_denominator_sum_product"]


# ---------------------------------------------------------------------- the pandas reference
def read_frames(folder: Path, all_columns: bool = False) -> dict[str, pd.DataFrame]:
    """The tables the task needs, read from Parquet into pandas: whole tables as a notebook would
    (``pd.read_parquet(path)``), or only the needed columns."""
    cols = None if all_columns else {"events": ["session_id", "user_id", "event_type"],
                                     "orders": ["session_id", "user_id"],
                                     "sessions": ["session_id", "room_id", "start_time"]}
    return {t: pd.read_parquet(folder / f"{t}.parquet", columns=None if cols is None else cols.get(t))
            for t in ("events", "orders", "assignments", "experiments", "sessions")}


def pandas_sums(f: dict[str, pd.DataFrame], eid: str, num: str, den: str) -> pd.DataFrame:
    """Per-arm sums with pandas: people counted per session, summed per viewer, then per arm."""
    exp = f["experiments"].set_index("experiment_id").loc[eid]
    s = f["sessions"]
    ids = s.session_id[(s.room_id == exp.room_ids) & (s.start_time >= exp.start) & (s.start_time <= exp.end)]
    ev = f["events"]
    ev = ev[ev.session_id.isin(ids) & ev.event_type.isin([num, den])]

    def people(df: pd.DataFrame) -> pd.Series:  # sessions per viewer in which the viewer did it
        return df.drop_duplicates(["session_id", "user_id"]).groupby("user_id").size()

    od = f["orders"]
    y = people(od[od.session_id.isin(ids)]) if num == "order" else people(ev[ev.event_type == num])
    d = people(ev[ev.event_type == den])
    a = f["assignments"]
    a = a[a.experiment_id == eid]
    u = pd.DataFrame({"variant": a.variant.to_numpy(), "y": a.unit_id.map(y).fillna(0).to_numpy(float),
                      "d": a.unit_id.map(d).fillna(0).to_numpy(float)})
    u = u[u.d > 0]
    g = u.assign(yy=u.y * u.y, dd=u.d * u.d, yd=u.y * u.d).groupby("variant")
    out = g.agg(n=("y", "size"), sum=("y", "sum"), sum_squares=("yy", "sum"), denominator_sum=("d", "sum"),
                denominator_sum_squares=("dd", "sum"), main_denominator_sum_product=("yd", "sum"))
    return out.sort_index()


def engine_sums(ds, eid: str, key: str) -> pd.DataFrame:
    arms = sufficient_stats(ds, load_experiment(ds, eid), key)
    return pd.DataFrame({v: {k: getattr(a, k) for k in SUMS} for v, a in arms.items()}).T.sort_index()


# ---------------------------------------------------------------------- run
def time_task(folder: Path, frames: dict[str, pd.DataFrame], task: tuple[str, str, str, str],
              repeat: int) -> dict[str, Timing]:
    """Engine and the three pandas variants on one task, each timed in turn (not interleaved)."""
    eid, key, num, den = task
    variants = {
        "engine": (lambda ds: engine_sums(ds, eid, key), lambda: liveops_nb.open(folder, validate=False)),
        "pandas, whole tables": (lambda _: pandas_sums(read_frames(folder, True), eid, num, den), no_setup),
        "pandas, needed columns": (lambda _: pandas_sums(read_frames(folder), eid, num, den), no_setup),
        "pandas, frames in memory": (lambda f: pandas_sums(f, eid, num, den), lambda: frames),
    }
    return {name: measure({name: run}, repeat)[name] for name, run in variants.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=20, help="demo scale (20 ≈ 9.9 M events)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true", help="print only, do not write the results file")
    args = ap.parse_args(argv)
    info = machine(["pandas", "duckdb", "ibis"])
    info["load average (1/5/15 min) at start"] = load_text()
    folder = demo_data(args.scale)
    n_ev = pq.ParquetFile(folder / "events.parquet").metadata.num_rows
    print(f"scale {args.scale:g}: {n_ev:,} events", flush=True)
    frames = read_frames(folder)
    rows, runs = [], []
    for task in TASKS:
        eid, key, num, den = task
        eng = engine_sums(liveops_nb.open(folder, validate=False), eid, key)
        pan = pandas_sums(frames, eid, num, den)
        assert list(eng.index) == list(pan.index) and np.allclose(eng[SUMS].to_numpy(float), pan[SUMS].to_numpy(float),
                                                                   rtol=1e-12), f"{eid}: engine and pandas differ"
        timings = time_task(folder, frames, task, args.repeat)
        med = {k: (t.median_wall, t.median_cpu) for k, t in timings.items()}
        rows.append((eid, key, len(eng), int(eng.n.sum()), med))
        runs.append((eid, {k: t.wall for k, t in timings.items()}))
        print(f"  {eid} {key}: " + ", ".join(f"{k} {w:.3f} s" for k, (w, _) in med.items()), flush=True)
    info["load average at end"] = load_text()
    text = report(info, args, n_ev, rows, runs)
    if not args.no_write:
        write_results("abtest.md", text)
    return 0


def report(info, args, n_ev, rows, runs) -> str:
    out = ["# A/B benchmark — results", "",
           "Generated by `benchmarks/bench_abtest.py` (method in its docstring): per-arm sufficient statistics",
           "of a viewer-level test, `liveops_nb.abtest.sums.sufficient_stats` (Ibis on DuckDB, fresh dataset,",
           "reading Parquet) against the same sums in plain pandas (read Parquet, group per viewer, then per arm).",
           "Targets: ≥ 10× faster than pandas and < 1 s.", "", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in info.items()]
    out += ["", f"Scale {args.scale:g} of the demo (seed 7): {n_ev:,} events. Median of {args.repeat} runs after one",
            "warm-up; wall-clock seconds, process CPU seconds (all threads) in brackets.", "", "## Figures", "",
            "| experiment | metric | arms | units | engine | pandas: read whole tables + compute | "
            "pandas: read needed columns + compute | pandas: frames in memory |", "|---|---|---|---|---|---|---|---|"]
    for eid, key, arms, units, med in rows:
        ew, ec = med["engine"]
        cells = [f"{w:.2f} s ({c:.2f}), {w / ew:.1f}×" for k, (w, c) in med.items() if k != "engine"]
        out.append(f"| {eid} | {key} | {arms} | {units:,} | {ew:.3f} s ({ec:.2f}) | " + " | ".join(cells) + " |")
    out += ["", "Speed-up = pandas wall time / engine wall time. Targets (≥ 10× and engine < 1 s):", ""]
    for eid, _key, _arms, _units, med in rows:
        ew = med["engine"][0]
        met = [k for k, (w, _) in med.items() if k != "engine" and w / ew >= 10]
        out.append(f"- {eid}: engine {'<' if ew < 1 else '≥'} 1 s; ≥ 10× against "
                   + (", ".join(met) if met else "none of the pandas variants"))
    out += ["", "Notes: the engine filters events by session and by the sessions' time span (the demo's events are",
            "time-ordered, so row groups outside it are skipped) and then does one hash aggregation over the",
            "(viewer, session) pairs; the pandas reference does the same work with drop_duplicates/groupby after",
            "pyarrow has read the files (multi-threaded). The machine is shared: see the load averages above."]
    out += ["", "All runs (wall seconds):", ""]
    for eid, d in runs:
        for k, v in d.items():
            out.append(f"- {eid}, {k}: " + ", ".join(f"{x:.3f}" for x in v))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
