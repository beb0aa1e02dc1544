"""Run every benchmark in turn (``make bench``); each script writes its own results/*.md."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("bench_foundation.py", "bench_abtest.py", "bench_review.py")

if __name__ == "__main__":
    failed = [s for s in SCRIPTS if subprocess.call([sys.executable, str(HERE / s), *sys.argv[1:]]) != 0]
    if failed:
        print("benchmarks that failed:", ", ".join(failed), file=sys.stderr)
    sys.exit(1 if failed else 0)
