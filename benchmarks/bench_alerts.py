"""Alerts benchmark (issue 14, item 8): one live refresh across 20 concurrent sessions, and post-hoc alerts for
every session at the 10-million-event scale.

(a) **Live refresh** — the default rules (``liveops_nb/defaults/alert_rules.yaml``) evaluated for 20 sessions at
    one minute of their broadcast (``alerts.evaluate(ds, sid, upto=m)``), as a live monitor with 20 rooms on air
    does on every refresh. The first refresh of an opened dataset reads the minute table of every session once
    (the room baselines need the earlier sessions) and is reported separately (*cold*); the following refreshes
    (minute m + 1, m + 2, …) are the steady state (*warm*). Target: a warm refresh under 0.5 s.
(b) **Post-hoc** — every session of the dataset evaluated after the broadcast, from a freshly opened dataset
    (``validate=False``): the one minute-table query, then each session.

Both on the demo at the default scale (``--small``, default ``tests/.cache/demo-seed7`` else
``benchmarks/data/scale-1``) and at scale 20 (9.9 M events, ``benchmarks/data/scale-20``). Wall-clock and
process CPU seconds (all threads); the load average is recorded — the machine is shared and wall times move
with it.

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.bench_alerts                 # writes benchmarks/results/alerts.md
    .venv/bin/python -m benchmarks.bench_alerts --no-write --skip-large
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import liveops_nb
from devtools import ROOT
from devtools.bench import cpu_seconds, demo_data, load_text, machine, write_results
from liveops_nb import alerts

TARGET_S = 0.5
SESSIONS = 20


def small_dir(arg: str) -> Path:
    if arg:
        return Path(arg).resolve()
    cached = ROOT / "tests" / ".cache" / "demo-seed7"
    return cached if (cached / "planted.json").exists() else demo_data(1)


def live(folder: Path, refreshes: int) -> dict[str, object]:
    """Cold first refresh and warm refreshes of 20 sessions at consecutive minutes."""
    t0, c0 = time.perf_counter(), cpu_seconds()
    ds = liveops_nb.open(folder, validate=False)
    rules = alerts.load_rules(folder)
    info = ds.session_info
    length = ((info.end_time - info.start_time).dt.total_seconds() // 60).astype(int)
    chosen = info.assign(length=length).sort_values(["length", "session_id"]).session_id.tail(SESSIONS).tolist()
    minute = 60
    opened = time.perf_counter() - t0, cpu_seconds() - c0

    def refresh(m: int) -> tuple[float, float, int]:
        w, c = time.perf_counter(), cpu_seconds()
        n = sum(len(alerts.evaluate(ds, sid, rules, upto=m)) for sid in chosen)
        return time.perf_counter() - w, cpu_seconds() - c, n

    cold = refresh(minute)
    warm = [refresh(minute + k) for k in range(1, refreshes + 1)]
    return {"opened": opened, "cold": cold, "warm": warm, "sessions": len(chosen), "minute": minute,
            "stock": ds.has("inventory") or (folder / "inventory.parquet").exists()}


def post_hoc(folder: Path) -> dict[str, object]:
    t0, c0 = time.perf_counter(), cpu_seconds()
    ds = liveops_nb.open(folder, validate=False)
    rules = alerts.load_rules(folder)
    ids = ds.session_info.session_id.tolist()
    first = None
    n = 0
    for sid in ids:
        n += len(alerts.evaluate(ds, sid, rules))
        if first is None:
            first = time.perf_counter() - t0, cpu_seconds() - c0
    total = time.perf_counter() - t0, cpu_seconds() - c0
    assert first is not None
    return {"sessions": len(ids), "alerts": n, "first": first, "total": total,
            "rest_per_session": ((total[0] - first[0]) / max(len(ids) - 1, 1),
                                 (total[1] - first[1]) / max(len(ids) - 1, 1))}


def events(folder: Path) -> int:
    import pyarrow.parquet as pq

    f = folder / "events.parquet"
    return pq.ParquetFile(f).metadata.num_rows if f.exists() else 0


def section(name: str, folder: Path, lv: dict, ph: dict) -> str:
    warm = lv["warm"]
    ww = [w for w, _, _ in warm]
    wc = [c for _, c, _ in warm]
    ok = statistics.median(ww) < TARGET_S
    return "\n".join([
        f"### {name}: `{folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}` "
        f"({events(folder) / 1e6:.2f} M events, {ph['sessions']} sessions)",
        "",
        "| measurement | wall s | CPU s |",
        "|---|---|---|",
        f"| open the dataset | {lv['opened'][0]:.2f} | {lv['opened'][1]:.2f} |",
        f"| live, cold first refresh: {lv['sessions']} sessions at minute {lv['minute']} (reads every session's "
        f"minutes once) | {lv['cold'][0]:.2f} | {lv['cold'][1]:.2f} |",
        f"| **live, warm refresh: {lv['sessions']} sessions, one minute** (median of {len(warm)}; min {min(ww):.2f}, "
        f"max {max(ww):.2f}) | **{statistics.median(ww):.2f}** | {statistics.median(wc):.2f} |",
        f"| post-hoc, open + first session | {ph['first'][0]:.2f} | {ph['first'][1]:.2f} |",
        f"| post-hoc, every session ({ph['sessions']}, {ph['alerts']} alerts), total from opening | "
        f"{ph['total'][0]:.2f} | {ph['total'][1]:.2f} |",
        f"| post-hoc, per further session | {ph['rest_per_session'][0]:.3f} | {ph['rest_per_session'][1]:.3f} |",
        "",
        f"Warm live refresh target < {TARGET_S} s: **{'met' if ok else 'not met'}** (wall clock). "
        + ("" if lv["stock"] else "This folder has no `inventory` table (generated before it existed): the stock "
           "rules had nothing to evaluate."),
        ""])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", default="", help="the default-scale demo folder")
    ap.add_argument("--large", default="", help="the 10 M event folder (default benchmarks/data/scale-20)")
    ap.add_argument("--refreshes", type=int, default=10)
    ap.add_argument("--skip-large", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load0 = load_text()
    parts = []
    small = small_dir(args.small)
    parts.append(section("Default scale", small, live(small, args.refreshes), post_hoc(small)))
    if not args.skip_large:
        large = Path(args.large).resolve() if args.large else demo_data(20)
        parts.append(section("10 M events", large, live(large, args.refreshes), post_hoc(large)))
    m = machine(["pandas", "numpy", "duckdb"])
    text = "\n".join([
        "# Alerts benchmark", "",
        "`python -m benchmarks.bench_alerts` (issue 14, item 8): the default rules for one live minute across 20",
        "concurrent sessions, and post-hoc alerts for every session. See the script's docstring for the method.", "",
        *parts,
        "## Machine", "",
        *[f"- {k}: {v}" for k, v in m.items()],
        f"- load average (1/5/15 min) at start: {load0}; at end: {load_text()} — a shared machine: wall times "
        "move with the load; CPU seconds less so.", ""])
    print(text)
    if not args.no_write:
        write_results("alerts.md", text)


if __name__ == "__main__":
    main()
