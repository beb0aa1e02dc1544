"""The ``liveops`` console script: a thin layer over library functions, one module per command group.

    liveops demo --out data/demo --seed 7 [--scale N]       generate the demo dataset
    liveops validate [--data FOLDER]                         check a dataset, list every problem
    liveops sessions [--room R] [--since D] [--until D]      sessions with their KPIs
    liveops kpis --keys gmv,gpm --by room_id,week            KPIs at any grain (ds.kpis)
    liveops ab list | liveops ab show ID                     experiments; one experiment's per-arm table
    liveops export NAME --out FILE.csv|.xlsx                 a table or KPI frame for Excel
    liveops docs                                             regenerate the reference docs
    liveops batch --sessions all|ID,ID|since:DATE --out reports/   one executed review per session

Every command that reads data takes ``--data FOLDER`` (default: ``$LIVEOPS_DATA``, else ``data/demo``)
and ``--lang zh|en``; the ones that print a frame take ``--format table|csv|xlsx`` and ``--out FILE``.
Errors print the package's message and exit non-zero, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from ..errors import LiveOpsError
from .common import HelpFormatter, lang_options

_FIRST = ("data", "tables", "ab", "batch")
"""Command modules shown first in ``--help``; every other module of this package with an ``add_commands``
function (``cli/<group>.py``) is added after them, in name order — a new command group is one new file."""


def _command_modules() -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in ("common", "output", "__main__"))
    return [*_FIRST, *(name for name in found if name not in _FIRST)]


def build_parser() -> argparse.ArgumentParser:
    """The ``liveops`` argument parser with every command."""
    p = argparse.ArgumentParser(prog="liveops", description="LiveOps review workbench (直播复盘工作台)",
                                formatter_class=HelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    lang = lang_options()
    for name in _command_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        if hasattr(module, "add_commands"):
            module.add_commands(sub, lang)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run one ``liveops`` command; returns the exit code (1 with the package's message on an error)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except LiveOpsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`liveops sessions | head`): stop quietly
        sys.stdout = open(os.devnull, "w")  # so the interpreter's final flush cannot fail
        return 141
    except OSError as err:  # the machine refused (disk full, permissions) outside the package's own checks
        print(f"error: {err.strerror or err}" + (f": {err.filename}" if err.filename else ""), file=sys.stderr)
        return 1
    except Exception as err:  # a bug: say so in one line; LIVEOPS_DEBUG=1 shows the traceback
        if os.environ.get("LIVEOPS_DEBUG") == "1":
            raise
        print(f"error: unexpected {type(err).__name__}: {err} (this is a bug in liveops; run again with "
              "LIVEOPS_DEBUG=1 for the details)", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
