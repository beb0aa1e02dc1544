"""``liveops batch``: one executed session review per session (papermill), with an index of the reports."""
from __future__ import annotations

import argparse
import sys

from ..errors import BatchInterruptedError
from .common import HelpFormatter, data_dir, data_options


def _batch(args: argparse.Namespace) -> int:
    if args.period is not None:  # one period review instead of the session reviews
        from ..batch.period import run_period

        outcome = run_period(data_dir(args), args.period, args.out, rooms=args.rooms, lang=args.lang,
                             notebook=args.notebook)
        print(outcome.text())
        return 0 if not outcome.section_errors else 2
    try:
        from ..batch import run_batch

        summary = run_batch(data_dir(args), args.sessions, args.out, workers=args.workers, force=args.force,
                            lang=args.lang, notebook=args.notebook)
    except BatchInterruptedError as err:  # Ctrl-C / SIGTERM: the index of what finished is written
        print(f"liveops batch: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:  # before the run installed its handlers (while importing)
        print("liveops batch: interrupted before any session started; nothing was written", file=sys.stderr)
        return 130
    print(summary.text())
    return 0 if not summary.failed else 2


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``batch``."""
    b = sub.add_parser(
        "batch", help="execute the session review notebook once per session (papermill)",
        parents=[data_options(), lang], formatter_class=HelpFormatter,
        description="Execute the session review notebook once per session into OUT/<slug>-<hash>/ (a readable slug "
                    "of the session id plus a short hash of the exact id), with OUT/index.html and OUT/batch.json "
                    "listing every report. Ctrl-C or SIGTERM stops the run promptly: no new session starts, sessions "
                    "in flight are discarded (never half written), the index is written for what finished and the "
                    "exit code is 130 / 143. Run the same command again to resume: a session whose report is "
                    "complete (its folder holds review.ipynb, review.html and key_figures.json naming the session) "
                    "is skipped unless --force.")
    b.add_argument("--sessions", default="all", help="'all', comma-separated ids, or 'since:YYYY-MM-DD'")
    b.add_argument("--out", default="reports", help="output folder")
    b.add_argument("--workers", type=int, default=2, help="parallel papermill workers")
    b.add_argument("--force", action="store_true",
                   help="rerun sessions that already have a complete report (default: skip them, so a rerun resumes)")
    b.add_argument("--notebook", default=None, help="notebook to execute (default notebooks/01-session-review.ipynb)")
    b.add_argument("--period", default=None, metavar="PERIOD",
                   help="run the period review (notebooks/04-period-review.ipynb) once instead: 2026-10-12, 2026-W41, "
                        "2026-10 or 2026-Q4 ('' = the latest week); into OUT/period-<label>/ with the HTML and xlsx exports")
    b.add_argument("--rooms", default="", help="with --period: comma-separated room ids (default all rooms)")
    b.set_defaults(func=_batch)
