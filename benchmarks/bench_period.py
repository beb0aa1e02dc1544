"""Period review benchmark: the page's numbers for a month and a quarter over all rooms at the 10 M event scale.

Timed, each on a freshly opened dataset (nothing computed yet; the OS file cache warm after one untimed round):

* ``engine page`` — every section's numbers of the period page (results vs goals over the period, the previous
  one, one cycle earlier and the history; bridge; cases; slots; hosts and rooms; products; channels; plan),
  without the recurring problems (one session diagnosis per session: timed per session in
  ``benchmarks/results/review.md``);
* ``engine core`` — the core numbers: per room and in total, for the period and the previous one, GMV, viewers,
  buyers, views and the ratios conversion, order value, GPM and UV value (``ds.kpis``);
* ``pandas core`` — the same numbers written plainly in pandas (read the Parquet files, groupby / nunique);
* ``SQL core`` — the same numbers as one hand-written DuckDB SQL query over the Parquet files.

The script first asserts that the three give the same core numbers. Results go to ``benchmarks/results/period.md``.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.bench_period                  # scale 20 (~10 M events), month and quarter
    .venv/bin/python -m benchmarks.bench_period --scale 1 --repeat 1 --no-write
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

import liveops_nb
from devtools.bench import Timing, demo_data, load_text, machine, measure, no_setup, write_results
from liveops_nb.period import Scope, bridge, cases, compare, goals, parse, period_kpis, plan, slots, structure

TZ = "Asia/Shanghai"
CORE = ("gmv", "uv", "buyers", "views", "view_to_order_rate", "aov", "gpm", "uv_value")
PERIODS = {"month": "2026-10", "quarter": "2026-Q4"}


# ---------------------------------------------------------------------- the three ways
def engine_page(ds, label: str) -> None:
    """Every section's numbers except the recurring problems."""
    scope = Scope(parse(label))
    g = goals.build(ds, scope)
    bridge.build(ds, scope)
    cases.build(ds, scope)
    slots.build(ds, scope)
    compare.build(ds, scope)
    structure.products(ds, scope)
    structure.channels(ds, scope)
    plan.build(ds, scope, g)


def engine_core(ds, label: str) -> pd.DataFrame:
    p = parse(label)
    rooms = period_kpis(ds, CORE, [p.previous, p], by=["room_id"])
    total = period_kpis(ds, CORE, [p.previous, p]).assign(room_id="__total__")
    return _sorted(pd.concat([rooms, total], ignore_index=True))


def _sessions(folder: Path, label: str) -> pd.DataFrame:
    """Sessions of the period and the previous one, with their period label (local start day)."""
    p = parse(label)
    s = pd.read_parquet(folder / "sessions.parquet", columns=["session_id", "room_id", "start_time"])
    day = pd.to_datetime(s["start_time"]).dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    s["period"] = np.where((day >= p.start) & (day <= p.end), p.label,
                           np.where((day >= p.previous.start) & (day <= p.previous.end), p.previous.label, ""))
    return s[s["period"] != ""]


def pandas_core(folder: Path, label: str) -> pd.DataFrame:
    s = _sessions(folder, label)
    ids = s["session_id"].tolist()
    e = pd.read_parquet(folder / "events.parquet", columns=["session_id", "user_id", "event_type"],
                        filters=[("session_id", "in", ids), ("event_type", "==", "enter")])
    o = pd.read_parquet(folder / "orders.parquet", columns=["session_id", "user_id", "amount"],
                        filters=[("session_id", "in", ids)])
    e = e.merge(s[["session_id", "room_id", "period"]], on="session_id")
    o = o.merge(s[["session_id", "room_id", "period"]], on="session_id")
    parts = []
    for keys, rooms in ((["period", "room_id"], None), (["period"], "__total__")):
        v = e.groupby(keys).agg(views=("user_id", "size"), uv=("user_id", "nunique"))
        m = o.groupby(keys).agg(gmv=("amount", "sum"), buyers=("user_id", "nunique"))
        b = v.join(m, how="outer").reset_index()
        if rooms:
            b["room_id"] = rooms
        parts.append(b)
    b = pd.concat(parts, ignore_index=True)
    b["view_to_order_rate"] = b["buyers"] / b["uv"]
    b["aov"] = b["gmv"] / b["buyers"]
    b["gpm"] = b["gmv"] / b["views"] * 1000
    b["uv_value"] = b["gmv"] / b["uv"]
    return _sorted(b)


SQL = """
WITH s AS (
  SELECT session_id, room_id,
         CASE WHEN day BETWEEN $start AND $end THEN $label
              WHEN day BETWEEN $pstart AND $pend THEN $plabel END AS period
  FROM (SELECT session_id, room_id, CAST(timezone('Asia/Shanghai', start_time) AS DATE) AS day
        FROM read_parquet($sessions))
), e AS (
  SELECT s.period, s.room_id, e.user_id FROM read_parquet($events) e JOIN s USING (session_id)
  WHERE e.event_type = 'enter' AND s.period IS NOT NULL
), o AS (
  SELECT s.period, s.room_id, o.user_id, o.amount FROM read_parquet($orders) o JOIN s USING (session_id)
  WHERE s.period IS NOT NULL
), v AS (
  SELECT period, coalesce(room_id, '__total__') AS room_id, count(*) AS views, count(DISTINCT user_id) AS uv
  FROM e GROUP BY GROUPING SETS ((period, room_id), (period))
), m AS (
  SELECT period, coalesce(room_id, '__total__') AS room_id, sum(amount) AS gmv, count(DISTINCT user_id) AS buyers
  FROM o GROUP BY GROUPING SETS ((period, room_id), (period))
)
SELECT period, room_id, gmv, uv, buyers, views, buyers / uv AS view_to_order_rate, gmv / buyers AS aov,
       gmv / views * 1000 AS gpm, gmv / uv AS uv_value
FROM v FULL JOIN m USING (period, room_id)
"""


def sql_core(folder: Path, label: str) -> pd.DataFrame:
    p = parse(label)
    con = duckdb.connect()
    params = {"start": p.start.date(), "end": p.end.date(), "label": p.label, "pstart": p.previous.start.date(),
              "pend": p.previous.end.date(), "plabel": p.previous.label, "sessions": str(folder / "sessions.parquet"),
              "events": str(folder / "events.parquet"), "orders": str(folder / "orders.parquet")}
    return _sorted(con.execute(SQL, params).df())


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df[["period", "room_id", *CORE]].sort_values(["period", "room_id"]).reset_index(drop=True)


def check_agreement(folder: Path, label: str) -> None:
    eng = engine_core(liveops_nb.open(folder, validate=False), label)
    for name, other in (("pandas", pandas_core(folder, label)), ("SQL", sql_core(folder, label))):
        assert eng[["period", "room_id"]].astype(str).equals(other[["period", "room_id"]].astype(str)), f"{name}: rows"
        ok = np.isclose(eng[list(CORE)].to_numpy(float), other[list(CORE)].to_numpy(float), rtol=1e-9, equal_nan=True)
        assert ok.all(), f"{name} differs from the engine on {label}"


# ---------------------------------------------------------------------- run
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=float, default=20)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    folder = demo_data(args.scale)
    fresh = lambda: liveops_nb.open(folder, validate=False)  # noqa: E731
    n_events = __import__("pyarrow.parquet").parquet.ParquetFile(folder / "events.parquet").metadata.num_rows
    load_before = load_text()
    rows: list[tuple[str, str, int, Timing]] = []
    for kind, label in PERIODS.items():
        check_agreement(folder, label)
        n = len(Scope(parse(label)).period.mask(fresh().session_dims).pipe(lambda m: m[m]))
        print(f"{kind} {label}: {n} sessions; engine, pandas and SQL agree", flush=True)
        t = measure({
            "engine page": (lambda d, lb=label: engine_page(d, lb), fresh),
            "engine core": (lambda d, lb=label: engine_core(d, lb), fresh),
            "pandas core": (lambda _, lb=label: pandas_core(folder, lb), no_setup),
            "SQL core": (lambda _, lb=label: sql_core(folder, lb), no_setup),
        }, args.repeat)
        for name, timing in t.items():
            rows.append((f"{kind} {label}", name, n, timing))
            print(f"  {name:12s} {timing.median_wall:7.2f} s wall  {timing.median_cpu:7.2f} s CPU", flush=True)
    info = machine(["duckdb", "pandas", "ibis"])
    lines = ["# Period review benchmark", "",
             f"`python -m benchmarks.bench_period --scale {args.scale:g} --repeat {args.repeat}` · "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {n_events:,} events · "
             f"load before {load_before}, after {load_text()}", "",
             "Median of the timed rounds, each on a freshly opened dataset (file cache warm). *Core*: per room and in "
             "total, for the period and the previous one, GMV, viewers, buyers, views, conversion, order value, GPM, "
             "UV value — the three agree (asserted). *Engine page*: every section's numbers but the recurring "
             "problems (session diagnoses).", "",
             "| period | run | sessions | wall s | CPU s |", "|---|---|---:|---:|---:|"]
    lines += [f"| {p} | {n} | {s} | {t.median_wall:.2f} | {t.median_cpu:.2f} |" for p, n, s, t in rows]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()), ""]
    if not args.no_write:
        write_results("period.md", "\n".join(lines))
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
