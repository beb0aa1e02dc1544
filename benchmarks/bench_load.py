"""Load benchmark: ten managers open the session review at once through ``make serve``.

For each scenario (pool size / refill delay), the team server is started as ``make serve`` starts it
(``python -m devtools.serve``: token, write-protected kernels, ``voila.json``) with
``--pool-size N`` and ``--VoilaKernelManager.fill_delay=D``, and, once the pool is heated, ``--pages``
review pages are opened in headless Chromium *at once* (each in its own browser context, the navigations
started one after another without waiting; every request must stay on 127.0.0.1). Half the pages open the
latest session (what a pre-heated kernel has already rendered), half ask for another one with ``?session=``.

Measured:

* **time to first chart** of every page — seconds from that page's navigation start to its first Vega chart
  (recorded inside the page, :data:`devtools.browser.FIRST_CHART_SCRIPT`), and the time until all have one;
* **memory per kernel** — RSS and PSS (proportional share of pages shared between processes, from
  ``/proc/<pid>/smaps``) of every kernel process, once the pool is heated (idle, review already computed) and
  once every page has rendered; the Voila server's own RSS next to them;
* how long the pool took to heat, and how many pages got a pre-heated kernel.

Usage (from the repository root; Debian's chromium and the test extras are needed)::

    .venv/bin/python -m benchmarks.bench_load                          # scenarios 10/1, 10/600, 1/1
    .venv/bin/python -m benchmarks.bench_load --scenarios 10/600 --pages 10 --no-write

The machine is shared: the load average at start and end is recorded with the figures.
"""
from __future__ import annotations

import argparse
import json
import secrets
import statistics
import time
from pathlib import Path

import psutil

from benchmarks.bench_review import data_dir  # the same dataset choice as the review benchmark
from devtools import ROOT
from devtools.bench import load_text, machine, write_results
from devtools.browser import FIRST_CHART_SCRIPT, chromium_version, first_chart_seconds, launch, local_context
from devtools.serve import start_serve
from devtools.voila import free_port, stop_voila, wait_until_heated

REVIEW = "/voila/render/01-session-review.ipynb"
HEAT_S = 900  # seconds a pool may take to heat on a loaded 2-core machine
PAGE_S = 600  # seconds a page may take to show its first chart
MiB = 2**20


def kernels(server_pid: int) -> list[psutil.Process]:
    """The kernel processes of a server (started through ``devtools.sandbox`` or ``ipykernel_launcher``)."""
    out = []
    for p in psutil.Process(server_pid).children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
        except psutil.Error:
            continue
        if "devtools.sandbox" in cmd or "ipykernel_launcher" in cmd:
            out.append(p)
    return out


def memory(server_pid: int) -> dict:
    """RSS and PSS (MiB) of every kernel, and the server's RSS."""
    rows = []
    for p in kernels(server_pid):
        try:
            full = p.memory_full_info()
            rows.append({"pid": p.pid, "rss": full.rss / MiB, "pss": getattr(full, "pss", float("nan")) / MiB})
        except psutil.Error:
            continue
    return {"kernels": rows, "server_rss": psutil.Process(server_pid).memory_info().rss / MiB}


def log_count(log: Path, text: str) -> int:
    return log.read_text(encoding="utf-8", errors="replace").count(text)


def run_scenario(browser, data: Path, pool: int, fill_delay: int, n_pages: int, sessions: list[str],
                 log_dir: Path, host: str = "0.0.0.0") -> dict:
    """One server, one heated pool, ``n_pages`` pages opened at once; the figures of :func:`report`."""
    port, token = free_port(), secrets.token_urlsafe(24)
    log = log_dir / f"load-pool{pool}-delay{fill_delay}-{port}.log"
    t0 = time.perf_counter()
    # every page on its own loopback address (127.0.0.2, 127.0.0.3, ...), as from its own manager's machine:
    # one browser keeps one connection pool per host and opens one websocket per host at a time (RFC 6455)
    proc, url = start_serve(data, log, token=token, port=port, timeout=180, host=host,
                            extra_args=["--archive", "off", "--pool-size", str(pool), "--",
                                        f"--VoilaKernelManager.fill_delay={fill_delay}"])
    res: dict = {"pool": pool, "fill_delay": fill_delay, "pages": n_pages, "log": str(log.relative_to(ROOT)),
                 "hosts": "127.0.0.2…" if host == "0.0.0.0" else "127.0.0.1"}
    external: list[str] = []
    contexts = []
    try:
        wait_until_heated(proc, port, pool, HEAT_S)  # every kernel has run the notebook, waits for a page
        res["heat_s"] = time.perf_counter() - t0  # from the server's start
        res["memory_heated"] = memory(proc.pid)
        before = log_count(log, "Using pre-heated kernel")
        pages, page_problems = [], []
        start = time.perf_counter()
        for i in range(n_pages):
            query = f"&session={sessions[i]}" if sessions[i] else ""
            ctx = local_context(browser, external)
            ctx.add_init_script(FIRST_CHART_SCRIPT)
            page = ctx.new_page()
            page.set_default_timeout(PAGE_S * 1000)
            problems: list[str] = []  # console errors and failed requests, reported for a page with no chart
            page.on("console", lambda m, out=problems: out.append(f"console {m.type}: {m.text[:200]}")
                    if m.type == "error" else None)
            page.on("requestfailed", lambda r, out=problems: out.append(f"failed {r.url[:120]}: {r.failure}"))
            page.on("response", lambda r, out=problems: out.append(f"HTTP {r.status} {r.url[:120]}")
                    if r.status >= 400 else None)
            page_problems.append(problems)
            base = url.replace("127.0.0.1", f"127.0.0.{i + 2}") if host == "0.0.0.0" else url
            page.goto(f"{base}{REVIEW}?token={token}{query}", wait_until="commit")
            contexts.append(ctx)
            pages.append(page)
        charted: dict[int, float] = {}
        while len(charted) < n_pages and time.perf_counter() - start < PAGE_S:  # one deadline for all pages
            for i, page in enumerate(pages):
                if i not in charted:
                    sec = first_chart_seconds(page)
                    if sec is not None:
                        charted[i] = sec
            time.sleep(0.5)
        results = []
        for i, page in enumerate(pages):
            if i in charted:
                results.append({"session": sessions[i] or "latest", "chart_s": charted[i]})
            else:  # what the page shows instead, for the record
                shot = log_dir / f"load-pool{pool}-delay{fill_delay}-page{i + 1}.png"
                page.screenshot(path=str(shot))
                results.append({"session": sessions[i] or "latest", "error": f"no chart in {PAGE_S} s ({shot.name})",
                                "problems": page_problems[i][:20]})
        res["all_charts_s"] = time.perf_counter() - start
        res["results"] = results
        res["preheated_used"] = log_count(log, "Using pre-heated kernel") - before
        time.sleep(2)
        res["memory_rendered"] = memory(proc.pid)
    finally:
        for ctx in contexts:
            ctx.close()
        stop_voila(proc, 30)
    res["external_requests"] = sorted(set(external))
    return res


# ---------------------------------------------------------------------- report
def _stats(xs: list[float], unit: str = "s") -> str:
    if not xs:
        return "–"
    return (f"median {statistics.median(xs):.1f} {unit}, min {min(xs):.1f}, max {max(xs):.1f} (n={len(xs)})")


def report(runs: list[dict], mach: dict, loads: tuple[str, str], data: Path) -> str:
    lines = ["# Load benchmark: ten managers open the review at once", "",
             f"`benchmarks/bench_load.py` ({time.strftime('%Y-%m-%d %H:%M')}), demo dataset seed 7 "
             f"(`{data.relative_to(ROOT) if data.is_relative_to(ROOT) else data}`), server as `make serve` starts "
             "it (`devtools.serve`: token, write-protected kernels, `voila.json`), pages opened at once in "
             "headless Chromium, each in its own browser context; half ask for the latest session (what a "
             "pre-heated kernel has rendered already), half for another one (`?session=`). Every page goes to its "
             "own loopback address (127.0.0.2, 127.0.0.3, …) so one browser does not share per-host connection "
             "limits between the ten 'managers'; the browser's ten tabs run on the same two cores as the server "
             "and its kernels, which a team's own machines would not. A page counts as failed after 600 s.", "",
             "## Machine", ""]
    lines += [f"* {k}: {v}" for k, v in mach.items()]
    lines += [f"* load average (1/5/15 min) at start: {loads[0]}, at end: {loads[1]} — the 2 cores were shared "
              "with other engineers' test runs during the measurement; absolute seconds move with that load", ""]
    lines += ["## Summary", "",
              "\"Pool kernels\" counts the pages Voila gave a kernel from its pool (`Using pre-heated kernel`); "
              "with a refill delay shorter than the burst, such a kernel may still be heating when it is given.", "",
              "| pool / refill delay | pool heated after | pool kernels | first chart per page | "
              "all pages charted | kernel RSS heated | kernel RSS after render | kernel PSS after render |",
              "|---|---|---|---|---|---|---|---|"]
    for r in runs:
        ok = [x["chart_s"] for x in r["results"] if "chart_s" in x]
        failed = len(r["results"]) - len(ok)
        heated = [k["rss"] for k in r["memory_heated"]["kernels"]]
        rendered = [k["rss"] for k in r["memory_rendered"]["kernels"]]
        pss = [k["pss"] for k in r["memory_rendered"]["kernels"]]
        all_charted = "–" if failed else f"{r['all_charts_s']:.1f} s"
        lines.append(f"| {r['pool']} / {r['fill_delay']} s | {r['heat_s']:.0f} s | {r['preheated_used']} of "
                     f"{r['pages']} | {_stats(ok)}{f'; **{failed} did not render**' if failed else ''} | "
                     f"{all_charted} | "
                     f"{_stats(heated, 'MiB')} | {_stats(rendered, 'MiB')} | "
                     f"{_stats(pss, 'MiB')} |")
    for r in runs:
        lines += ["", f"## Pool {r['pool']}, refill delay {r['fill_delay']} s", "",
                  f"Server log: `{r['log']}`. Voila server RSS {r['memory_rendered']['server_rss']:.0f} MiB; "
                  f"{len(r['memory_rendered']['kernels'])} kernel processes after the pages rendered "
                  f"(total RSS {sum(k['rss'] for k in r['memory_rendered']['kernels']):.0f} MiB, "
                  f"total PSS {sum(k['pss'] for k in r['memory_rendered']['kernels']):.0f} MiB). "
                  f"Requests leaving 127.0.0.1: {len(r['external_requests'])}.", "",
                  "| page | session | first chart (s) |", "|---|---|---|"]
        for i, x in enumerate(r["results"], 1):
            lines.append(f"| {i} | {x['session']} | {x['chart_s']:.1f} |" if "chart_s" in x
                         else f"| {i} | {x['session']} | did not render ({x['error']}) |")
    lines += ["", "Raw figures: `load.json` next to this file.", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="")
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--scenarios", default="10/1,10/600,1/1", help="pool/refill-delay pairs, comma-separated")
    ap.add_argument("--one-host", action="store_true",
                    help="all pages on 127.0.0.1 (one browser's per-host limits then serialize them)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    import liveops_nb

    data = data_dir(args.data)
    info = liveops_nb.open(data, validate=False).session_info
    step = max(1, len(info) // (args.pages + 1))
    sessions = ["" if i % 2 == 0 else info.session_id.iloc[-1 - i * step] for i in range(args.pages)]
    log_dir = ROOT / "tests" / ".cache"
    log_dir.mkdir(parents=True, exist_ok=True)
    mach = {**machine(["pandas", "voila"]), "chromium": chromium_version()}
    load0 = load_text()
    runs = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for sc in args.scenarios.split(","):
                pool, delay = (int(x) for x in sc.split("/"))
                print(f"scenario pool={pool} fill_delay={delay} ...", flush=True)
                runs.append(run_scenario(browser, data, pool, delay, args.pages, sessions, log_dir,
                                         "127.0.0.1" if args.one_host else "0.0.0.0"))
                print(json.dumps({k: v for k, v in runs[-1].items() if k != "memory_heated"}, default=str)[:2000],
                      flush=True)
        finally:
            browser.close()
    text = report(runs, mach, (load0, load_text()), data)
    print(text)
    if not args.no_write:
        write_results("load.md", text)
        write_results("load.json", json.dumps({"machine": mach, "runs": runs}, indent=1, default=str))
    if any(r["external_requests"] for r in runs):
        raise SystemExit(f"requests left 127.0.0.1: {[r['external_requests'] for r in runs]}")


if __name__ == "__main__":
    main()
