"""``liveops simulate-live``: replay a recorded session into a data folder in scaled real time.

    liveops simulate-live --data data/demo --session R03-20261007-2 --into /tmp/live --speed 60

The target folder gets a copy of the data folder without the session's results, then the session's
live feed grows minute by minute (``<into>/live/<session>/``, see :mod:`liveops_nb.live.simulator`);
open the live monitor (``notebooks/05-live-monitor.ipynb``) with ``data_dir`` = the target folder.
"""
from __future__ import annotations

import argparse
import sys

import pandas as pd

from ..errors import LiveFeedError
from .common import HelpFormatter, data_dir, data_options


def _simulate(args: argparse.Namespace) -> int:
    from ..live import simulator

    if args.skip < 0 or (args.minutes is not None and args.minutes < 1):
        raise LiveFeedError("--skip must be ≥ 0 and --minutes ≥ 1")
    if not args.speed > 0:
        raise LiveFeedError(f"speed must be positive (60 = a broadcast minute per second), not {args.speed:g}")
    source = data_dir(args)
    rep = simulator.prepare(source, args.session, args.into)
    total = len(rep.minutes)
    seconds = (max(total - args.skip, 0) if args.minutes is None else args.minutes) * 60.0 / args.speed
    print(f"replaying {args.session}: {total} minutes into {args.into} at {args.speed:g}x "
          f"(about {seconds:,.0f} s); open the live monitor with data_dir={args.into}", flush=True)

    def progress(i: int, minute: pd.Timestamp) -> None:
        if not args.quiet:
            print(f"  {minute:%H:%M}  minute {i + 1}/{total}", flush=True)

    try:
        n = simulator.replay(rep, args.speed, skip=args.skip, limit=args.minutes, on_minute=progress)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    print(f"done: {n} minutes written")
    return 0


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``simulate-live``."""
    p = sub.add_parser("simulate-live", parents=[data_options()], formatter_class=HelpFormatter,
                       help="replay a session into a data folder in scaled real time (for the live monitor)",
                       description=__doc__)
    p.add_argument("--session", required=True, metavar="ID", help="the session to replay (see `liveops sessions`)")
    p.add_argument("--into", required=True, metavar="FOLDER",
                   help="target data folder (new, empty, or written by an earlier simulate-live)")
    p.add_argument("--speed", type=float, default=60.0,
                   help="broadcast minutes per real minute: 60 = one broadcast minute per second, 1 = real time")
    p.add_argument("--skip", type=int, default=0, metavar="MIN",
                   help="broadcast minutes written at once before the clock starts (start mid-broadcast)")
    p.add_argument("--minutes", type=int, default=None, metavar="N", help="stop after N minutes (default: all)")
    p.add_argument("--quiet", action="store_true", help="print no line per minute")
    p.set_defaults(func=_simulate)
