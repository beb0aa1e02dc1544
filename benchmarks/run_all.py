"""Run every benchmark in turn (``make bench``); each writes its own results/*.md.

Run from the repository root: ``.venv/bin/python -m benchmarks.run_all [options passed to each]``.
"""
from __future__ import annotations

import subprocess
import sys

from devtools import ROOT

MODULES = ("benchmarks.bench_foundation", "benchmarks.bench_abtest", "benchmarks.bench_review", "benchmarks.bench_load")

if __name__ == "__main__":
    failed = [m for m in MODULES if subprocess.call([sys.executable, "-m", m, *sys.argv[1:]], cwd=ROOT) != 0]
    if failed:
        print("benchmarks that failed:", ", ".join(failed), file=sys.stderr)
    sys.exit(1 if failed else 0)
