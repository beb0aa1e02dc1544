"""The ``liveops`` console script: a thin layer over library functions.

    liveops demo --out data/demo --seed 7 [--scale N]     generate the demo dataset
    liveops validate DATA                                  check a dataset, list every problem
    liveops sessions DATA [--lang en]                       list sessions with their main KPIs
    liveops docs                                            regenerate docs/data-model.md and docs/metrics.md
    liveops batch --sessions all|ID,ID|since:DATE --out reports/   one executed review per session
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import BatchInterruptedError, LiveOpsError


def _demo(args: argparse.Namespace) -> int:
    from .demo import OutputExistsError, generate

    try:
        path = generate(Path(args.out), seed=args.seed, scale=args.scale, weeks=args.weeks, progress=True,
                        overwrite=args.force)
    except OutputExistsError:
        print(f"{args.out} already holds data; use --force to replace it", file=sys.stderr)
        return 1
    print(f"demo dataset written to {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from . import open as open_dataset

    ds = open_dataset(args.data)
    for w in ds.warnings:
        print(f"warning: {w}")
    print(f"OK: {len(ds.session_info)} sessions, level={ds.level}, tables: {', '.join(sorted(ds.raw))}")
    return 0


def _sessions(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import open as open_dataset

    ds = open_dataset(args.data)
    with pd.option_context("display.width", 200, "display.max_columns", 12, "display.max_rows", 500):
        print(ds.sessions()[["session_id", "room_name", "host", "start_time", "gmv", "uv", "gpm"]])
    return 0


def _batch(args: argparse.Namespace) -> int:
    try:
        from .batch import run_batch

        summary = run_batch(args.data, args.sessions, args.out, workers=args.workers, force=args.force,
                            lang=args.lang, notebook=args.notebook)
    except BatchInterruptedError as err:  # Ctrl-C / SIGTERM: the index of what finished is written
        print(f"liveops batch: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:  # before the run installed its handlers (while importing)
        print("liveops batch: interrupted before any session started; nothing was written", file=sys.stderr)
        return 130
    print(summary.text())
    return 0 if not summary.failed else 2


def _docs(args: argparse.Namespace) -> int:
    from .reference import write_docs

    for p in write_docs(args.out):
        print(f"wrote {p}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="liveops", description="LiveOps review workbench (直播复盘工作台)")
    sub = p.add_subparsers(dest="command", required=True)

    d = sub.add_parser("demo", help="generate the synthetic demo dataset")
    d.add_argument("--out", default="data/demo", help="output folder (default data/demo)")
    d.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives the same data")
    d.add_argument("--scale", type=float, default=1.0,
                   help="multiplies viewers per session (about 20 gives ~10M events)")
    d.add_argument("--weeks", type=int, default=8, help="number of weeks (at least 8 for the planted phenomena)")
    d.add_argument("--force", action="store_true", help="replace an existing folder")
    d.set_defaults(func=_demo)

    v = sub.add_parser("validate", help="check a dataset against the data model")
    v.add_argument("data", help="data folder")
    v.set_defaults(func=_validate)

    s = sub.add_parser("sessions", help="list sessions with their main KPIs")
    s.add_argument("data", help="data folder")
    s.add_argument("--lang", choices=["zh", "en"], default="zh")
    s.set_defaults(func=_sessions)

    r = sub.add_parser("docs", help="regenerate docs/data-model.md and docs/metrics.md from the code")
    r.add_argument("--out", default="docs")
    r.set_defaults(func=_docs)

    b = sub.add_parser(
        "batch", help="execute the session review notebook once per session (papermill)",
        description="Execute the session review notebook once per session into OUT/<slug>-<hash>/ (a readable slug "
                    "of the session id plus a short hash of the exact id), with OUT/index.html and OUT/batch.json "
                    "listing every report. Ctrl-C or SIGTERM stops the run promptly: no new session starts, sessions "
                    "in flight are discarded (never half written), the index is written for what finished and the "
                    "exit code is 130 / 143. Run the same command again to resume: a session whose report is "
                    "complete (its folder holds review.ipynb, review.html and key_figures.json naming the session) "
                    "is skipped unless --force.")
    b.add_argument("--data", default="data/demo", help="data folder")
    b.add_argument("--sessions", default="all", help="'all', comma-separated ids, or 'since:YYYY-MM-DD'")
    b.add_argument("--out", default="reports", help="output folder")
    b.add_argument("--workers", type=int, default=2, help="parallel papermill workers")
    b.add_argument("--force", action="store_true",
                   help="rerun sessions that already have a complete report (default: skip them, so a rerun resumes)")
    b.add_argument("--lang", choices=["zh", "en"], default="zh")
    b.add_argument("--notebook", default=None, help="notebook to execute (default notebooks/01-session-review.ipynb)")
    b.set_defaults(func=_batch)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LiveOpsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
