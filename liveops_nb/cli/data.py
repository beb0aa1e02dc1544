"""``liveops demo``, ``liveops validate`` and ``liveops docs``: making, checking and documenting data."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import HelpFormatter, data_dir, data_options, legacy_data_positional


def _demo(args: argparse.Namespace) -> int:
    from ..demo import OutputExistsError, generate

    try:
        path = generate(Path(args.out), seed=args.seed, scale=args.scale, weeks=args.weeks, progress=True,
                        overwrite=args.force)
    except OutputExistsError:
        print(f"{args.out} already holds data; use --force to replace it", file=sys.stderr)
        return 1
    print(f"demo dataset written to {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .. import open as open_dataset

    ds = open_dataset(data_dir(args))
    for w in ds.warnings:
        print(f"warning: {w}")
    print(f"OK: {len(ds.session_info)} sessions, level={ds.level}, tables: {', '.join(sorted(ds.raw))}")
    return 0


def _docs(args: argparse.Namespace) -> int:
    from ..reference import write_docs

    for p in write_docs(args.out):
        print(f"wrote {p}")
    return 0


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``demo``, ``validate`` and ``docs``."""
    d = sub.add_parser("demo", help="generate the synthetic demo dataset", formatter_class=HelpFormatter)
    d.add_argument("--out", default="data/demo", help="output folder")
    d.add_argument("--seed", type=int, default=7, help="random seed; the same seed gives the same data")
    d.add_argument("--scale", type=float, default=1.0,
                   help="multiplies viewers per session (about 11 gives ~10M events)")
    d.add_argument("--weeks", type=int, default=9, help="number of weeks from 2026-08-31 (at least 8 for the planted "
                   "phenomena; 9 cover September and October)")
    d.add_argument("--force", action="store_true", help="replace an existing folder")
    d.set_defaults(func=_demo)

    v = sub.add_parser("validate", help="check a dataset against the data model, listing every problem",
                       parents=[data_options()], formatter_class=HelpFormatter)
    legacy_data_positional(v)
    v.set_defaults(func=_validate)

    r = sub.add_parser("docs", help="regenerate the reference docs (data model, metrics, API) from the code",
                       formatter_class=HelpFormatter)
    r.add_argument("--out", default="docs", help="folder of the generated Markdown files")
    r.set_defaults(func=_docs)
