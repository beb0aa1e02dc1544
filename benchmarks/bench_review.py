"""Session review benchmark: the Voila page in a real browser, picker changes, and batch runs.

Three measurements on the demo dataset (``liveops demo``, seed 7):

(a) **Cold page** — Voila started like ``make voila`` (``voila.json`` at the
    repository root, ``JUPYTER_PATH=share/jupyter``), a fresh headless Chromium
    context opens ``/voila/render/01-session-review.ipynb``; timed from the
    navigation start until the first KPI card, the first chart
    (``.vega-embed svg, .vega-embed canvas``) and the last section
    (``next_steps``) are shown. Two servers: as configured in ``voila.json`` (one
    pre-heated kernel for the review page: the notebook runs before the request;
    each opening waits ``--settle`` seconds so the pool is heated again), and with
    a kernel started per opening and progressive rendering (``PER_OPENING_ARGS``).
    Each also with ``?session=<another id>``.
(b) **Picker change** — on a loaded page, another session is chosen in
    ``.lo-session-picker select``; timed until the KPI card values have changed
    *and* the timeline section shows a newly rendered chart.
(c) **Batch** — ``liveops_nb.batch.run_batch`` on ``--sessions`` sessions with
    1 and 2 workers (``force=True``, fresh output folder); seconds per session
    per worker = wall time × workers / sessions. Next to it the floor: papermill
    executing an empty notebook, and a notebook whose only cell is
    ``import liveops_nb`` (kernel start + package import).

Usage (from the repository root)::

    .venv/bin/python -m benchmarks.bench_review                    # all, writes results/review.md
    .venv/bin/python -m benchmarks.bench_review --only batch --no-write
    .venv/bin/python -m benchmarks.bench_review --repeat 5 --settle 30

Requires Debian's chromium (``make system-deps``) and Playwright (test extras).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from devtools import ROOT
from devtools.bench import demo_data, machine, write_results
from devtools.browser import CHART, chromium_version, launch, local_context
from devtools.voila import start_voila, stop_voila

REVIEW = "/voila/render/01-session-review.ipynb"
CARD = ".lo-section-results .lo-card .val"
LAST = ".lo-section-next_steps .jp-OutputArea-output"
PER_OPENING_ARGS = ["--VoilaConfiguration.preheat_kernel=False", "--VoilaConfiguration.progressive_rendering=True"]
TARGETS = {"cold": 5.0, "picker": 0.5, "batch_ratio": 1.5}
STARTUP_S = 90  # seconds Voila may take to answer
STOP_S = 20  # seconds Voila may take to exit when stopped


# ---------------------------------------------------------------------- helpers
def data_dir(arg: str) -> Path:
    """The demo dataset: ``--data``, else the tests' tests/.cache/demo-seed7, else benchmarks/data/scale-1."""
    if arg:
        return Path(arg).resolve()
    cached = ROOT / "tests" / ".cache" / "demo-seed7"
    if (cached / "planted.json").exists():
        return cached
    return demo_data(1)


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def fmt(xs: list[float]) -> str:
    if not xs:
        return "–"
    return f"{med(xs):.2f} s (min {min(xs):.2f}, max {max(xs):.2f}, n={len(xs)})"


# ---------------------------------------------------------------------- (a) + (b): the browser
EXTERNAL: list[str] = []  # every request that tried to leave 127.0.0.1


def open_page(browser, url: str, timeout_s: float = 90) -> tuple[object, object, dict[str, float]]:
    """Open the review page in a fresh context; seconds from navigation to cards, first chart, last section."""
    context = local_context(browser, EXTERNAL)  # like the browser tests: nothing may leave 127.0.0.1
    page = context.new_page()
    page.set_default_timeout(timeout_s * 1000)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    marks: dict[str, float] = {}
    page.wait_for_selector(CARD, state="visible")
    marks["cards"] = time.perf_counter() - t0
    page.wait_for_selector(CHART, state="visible")
    marks["chart"] = time.perf_counter() - t0
    page.wait_for_selector(LAST, state="attached")
    marks["complete"] = time.perf_counter() - t0
    return context, page, marks


def change_session(page, index: int, timeout_s: float = 60) -> dict[str, float]:
    """Pick option ``index`` of the session picker; seconds until new KPI cards, and until a new timeline chart."""
    page.evaluate("""() => document.querySelectorAll('.lo-section-timeline .vega-embed')
                              .forEach(e => e.setAttribute('data-bench-old', '1'))""")
    before = page.locator(CARD).all_inner_texts()
    select = page.locator(".lo-session-picker select")
    t0 = time.perf_counter()
    select.select_option(index=index)
    page.wait_for_function(
        """(before) => {
             const vals = [...document.querySelectorAll('.lo-section-results .lo-card .val')].map(e => e.innerText);
             return vals.length > 0 && JSON.stringify(vals) !== JSON.stringify(before);
           }""", arg=before, timeout=timeout_s * 1000, polling="raf")
    cards = time.perf_counter() - t0
    page.wait_for_function(
        """() => [...document.querySelectorAll('.lo-section-timeline .vega-embed:not([data-bench-old])')]
                 .some(e => e.querySelector('svg, canvas'))""", timeout=timeout_s * 1000, polling="raf")
    return {"cards": cards, "chart": time.perf_counter() - t0}


def picker_targets(ds, n: int) -> list[str]:
    """``n`` session ids from different rooms and weeks (not the latest, which the page opens on)."""
    info = ds.session_info.iloc[:-1]
    step = max(1, len(info) // (n + 1))
    return [info.session_id.iloc[-1 - i * step] for i in range(n)]


def close_page(ctx, page) -> None:
    """Close the page's browser context (Voila culls the kernel later: voila.json ``cull_idle_timeout``)."""
    ctx.close()


class Server:
    """A Voila server that is started again if something stopped it (the machine is shared)."""

    def __init__(self, data: Path, extra: list[str], log: Path, heat: float) -> None:
        self.data, self.extra, self.log, self.heat = data, extra, log, heat
        self.restarts = -1
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def ensure(self) -> str:
        if self.proc is None or self.proc.poll() is not None:
            self.restarts += 1
            self.proc, self.url = start_voila(self.data, self.log.with_suffix(f".{self.restarts}.log"),
                                              extra=self.extra, timeout=STARTUP_S)
            time.sleep(self.heat)  # let the pool heat
        return self.url

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            stop_voila(self.proc, STOP_S)


def timed_openings(browser, server: Server, path: str, n: int, pause: float, on_first=None) -> list[dict]:
    """``n`` openings of ``path`` with ``pause`` seconds between them; a failed opening is recorded, not fatal."""
    runs = []
    for i in range(n):
        url = server.ensure() + path
        try:
            ctx, page, marks = open_page(browser, url)
        except Exception as err:  # noqa: BLE001 - the figure says the page did not show
            runs.append({"error": f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"})
            continue
        try:
            if i == 0 and on_first is not None:
                on_first(page)
        finally:
            close_page(ctx, page)
        runs.append(marks)
        time.sleep(pause)
    return runs


def bench_browser(data: Path, repeat: int, settle: float, picks: int, log_dir: Path,
                  servers: tuple[str, ...] = ("preheat", "per_opening")) -> dict:
    from playwright.sync_api import sync_playwright

    import liveops_nb

    ds = liveops_nb.open(data, validate=False)
    other = ds.session_info.session_id.iloc[len(ds.session_info) // 2]
    targets = picker_targets(ds, picks)
    res: dict = {"settle": settle, "other_session": other, "picker": []}

    def pick(page) -> None:
        ids = _option_ids(page, ds)
        for sid in targets:
            if sid in ids:
                time.sleep(3)  # the previous change has finished rendering all nine sections
                try:
                    res["picker"].append(change_session(page, ids.index(sid)))
                except Exception as err:  # noqa: BLE001
                    res.setdefault("picker_errors", []).append(f"{sid}: {type(err).__name__}")

    with sync_playwright() as p:
        browser = launch(p)
        try:
            for key, extra in (("preheat", []), ("per_opening", PER_OPENING_ARGS)):
                if key not in servers:
                    continue
                # voila.json pre-heats one kernel for the review page: wait `settle` s between openings so
                # the pool is heated again; a kernel started per opening needs no pause
                settle_s = settle if key == "preheat" else 5.0
                server = Server(data, extra, log_dir / f"voila-{key}.log", settle_s)
                try:
                    res[key] = timed_openings(browser, server, REVIEW, repeat, settle_s,
                                              on_first=pick if key == "preheat" else None)
                    res[f"{key}_query"] = timed_openings(browser, server, f"{REVIEW}?session={other}", repeat,
                                                         settle_s)
                finally:
                    server.stop()
                res.setdefault("server_restarts", {})[key] = server.restarts
        finally:
            browser.close()
    res["external_requests"] = sorted(set(EXTERNAL))
    return res


def _option_ids(page, ds) -> list[str]:
    """Session ids in the picker's option order, matched by the labels' start time and room name."""
    texts = page.locator(".lo-session-picker select").evaluate(
        "s => [...s.options].map(o => o.text.replaceAll('\\u00a0', ' '))")
    info = ds.session_info
    ids = []
    for text in texts:
        hit = [r.session_id for r in info.itertuples()
               if f"{r.start_time:%Y-%m-%d %H:%M}" in text and r.room_name in text]
        ids.append(hit[0] if len(hit) == 1 else "")
    return ids


# ---------------------------------------------------------------------- (c): batch
def _papermill(nb: Path, out: Path, params: dict | None = None) -> float:
    import papermill as pm

    t0 = time.perf_counter()
    pm.execute_notebook(str(nb), str(out), kernel_name="python3", progress_bar=False, cwd=str(nb.parent),
                        parameters=params or {})
    return time.perf_counter() - t0


def bench_batch(data: Path, n_sessions: int, repeat: int, workers: list[int]) -> dict:
    import nbformat

    import liveops_nb
    from liveops_nb.batch import run_batch

    tmp = Path(tempfile.mkdtemp(prefix="bench-review-"))
    try:
        floors: dict[str, list[float]] = {}
        for name, source in (("empty notebook", ""), ("import liveops_nb", "import liveops_nb"),
                             ("import everything the review uses",
                              "from liveops_nb.pages.review_page import ReviewPage\nReviewPage._import_all()")):
            nb = nbformat.v4.new_notebook()
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            nb.cells = [nbformat.v4.new_code_cell(source)] if source else []
            path = tmp / f"floor-{len(floors)}.ipynb"
            nbformat.write(nb, path)
            _papermill(path, tmp / "floor-out.ipynb")  # warm-up (file cache)
            floors[name] = [_papermill(path, tmp / "floor-out.ipynb") for _ in range(repeat)]
        ds = liveops_nb.open(data, validate=False)
        info = ds.session_info
        step = max(1, len(info) // n_sessions)
        ids = [info.session_id.iloc[i * step] for i in range(n_sessions)]
        batch: dict[int, list[float]] = {}
        for w in workers:
            batch[w] = []
            for r in range(repeat):
                out = tmp / f"reports-{w}-{r}"
                t0 = time.perf_counter()
                summary = run_batch(data, ",".join(ids), out, workers=w, force=True, progress=False)
                wall = time.perf_counter() - t0
                if summary.failed:
                    raise RuntimeError(summary.text())
                batch[w].append(wall * w / n_sessions)
                shutil.rmtree(out, ignore_errors=True)
        return {"floors": floors, "batch": batch, "n_sessions": n_sessions, "sessions": ids}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------- report
def report(res: dict, mach: dict, loads: tuple, args) -> str:
    lines = ["# Session review benchmark", "",
             f"`benchmarks/bench_review.py` ({time.strftime('%Y-%m-%d %H:%M')}), demo dataset seed 7 "
             f"(`{res.get('data', '')}`). Median (min, max, n) of wall-clock seconds.", "",
             "## Machine", ""]
    lines += [f"* {k}: {v}" for k, v in mach.items()]
    lines += [f"* load average at start: {loads[0][0]:.2f}, at end: {loads[1][0]:.2f} "
              "(the machine is shared; figures move with it)", ""]
    b = res.get("browser")
    if b:
        def row(name, runs, key):
            failed = sum("error" in m for m in runs)
            extra = f"; {failed} of {len(runs)} opening(s) did not show within 90 s" if failed else ""
            return f"| {name} | {fmt([m[key] for m in runs if key in m])}{extra} |"

        lines += ["## (a) Cold page in headless Chromium", "",
                  "Voila as `make voila` starts it; each opening in a fresh browser context (5 s apart; "
                  f"{b['settle']:.0f} s with a pre-heated kernel, so the pool is heated again).", "",
                  "| opening → shown | seconds |", "|---|---|"]
        for label, key in (("voila.json (pre-heated kernel)", "preheat"),
                           (f"voila.json, `?session={b['other_session']}`", "preheat_query"),
                           ("kernel started per opening (progressive rendering)", "per_opening"),
                           (f"kernel per opening, `?session={b['other_session']}`", "per_opening_query")):
            runs = b.get(key) or []
            lines += [row(f"{label}: KPI cards", runs, "cards"), row(f"{label}: **first chart**", runs, "chart"),
                      row(f"{label}: all nine sections", runs, "complete")]
        lines += ["", "## (b) Session picker change", "",
                  "Another session chosen in the picker (sessions of different rooms and weeks, never shown "
                  "before on that page; 3 s apart, so the previous change has finished) → KPI card values "
                  "changed, and a new timeline chart rendered.", "",
                  f"* new KPI cards: {fmt([m['cards'] for m in b.get('picker', [])])}",
                  f"* new timeline chart: {fmt([m['chart'] for m in b.get('picker', [])])} "
                  f"(target < {TARGETS['picker']} s)", ""]
    c = res.get("batch")
    if c:
        floor = med(c["floors"]["import liveops_nb"])
        lines += ["## (c) Batch (papermill)", "",
                  f"`run_batch` on {c['n_sessions']} sessions (`{', '.join(c['sessions'])}`), `force=True`; "
                  "seconds per session per worker = wall × workers / sessions. Floor: papermill executing "
                  "a notebook (kernel start, execution, writing the output notebook).", "",
                  "| run | seconds | × floor (import liveops_nb) | × floor (import everything) |",
                  "|---|---|---|---|"]
        full = med(c["floors"]["import everything the review uses"])
        for name, xs in c["floors"].items():
            lines.append(f"| floor: {name} | {fmt(xs)} | {med(xs) / floor:.2f} | {med(xs) / full:.2f} |")
        for w, xs in c["batch"].items():
            lines.append(f"| batch, {w} worker{'s' if w > 1 else ''}: per session per worker | {fmt(xs)} | "
                         f"{med(xs) / floor:.2f} | {med(xs) / full:.2f} |")
        lines.append("")
    lines += ["## Targets", "",
              f"* cold page → first chart < {TARGETS['cold']} s",
              f"* picker change < {TARGETS['picker']} s",
              f"* batch per session per worker ≤ {TARGETS['batch_ratio']}× the bare-kernel floor", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="", help="dataset folder (default: the demo, seed 7)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--settle", type=float, default=30.0, help="seconds between page openings (pool re-heating)")
    ap.add_argument("--picks", type=int, default=5, help="picker changes to time")
    ap.add_argument("--sessions", type=int, default=6, help="sessions per batch run")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--only", choices=("browser", "batch"), default=None)
    ap.add_argument("--servers", default="preheat,per_opening", help="Voila set-ups to time (browser part)")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--json", default="", help="also dump the raw figures to this file")
    args = ap.parse_args(argv)
    data = data_dir(args.data)
    loads0 = os.getloadavg()
    res: dict = {"data": str(data.relative_to(ROOT) if data.is_relative_to(ROOT) else data)}
    log_dir = Path(tempfile.mkdtemp(prefix="bench-review-logs-"))
    if args.only in (None, "browser"):
        res["browser"] = bench_browser(data, args.repeat, args.settle, args.picks, log_dir,
                                       tuple(args.servers.split(",")))
        print(json.dumps(res["browser"], indent=1, default=str), flush=True)
    if args.only in (None, "batch"):
        res["batch"] = bench_batch(data, args.sessions, args.repeat, [int(w) for w in args.workers.split(",")])
        print(json.dumps(res["batch"], indent=1, default=str), flush=True)
    info = {**machine(["pandas", "voila"]), "chromium": chromium_version()}
    text = report(res, info, (loads0, os.getloadavg()), args)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1, default=str), encoding="utf-8")
    if not args.no_write:
        write_results("review.md", text)


if __name__ == "__main__":
    main()
