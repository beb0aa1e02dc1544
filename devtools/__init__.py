"""Development tools shared by the tests and the benchmarks — not part of the ``liveops_nb`` package.

* :mod:`devtools.voila` — a Voila server on a free 127.0.0.1 port, started as ``make voila`` starts it;
* :mod:`devtools.browser` — headless Chromium: launch flags, and a context that blocks every request
  leaving 127.0.0.1;
* :mod:`devtools.serve` — ``make serve``: the pages for a team (token or password, no code, no files,
  write-protected kernels); :mod:`devtools.sandbox` — the Landlock write protection of those kernels;
* :mod:`devtools.bench` — benchmark helpers: interleaved timing, the demo data, the machine, results files;
* :mod:`devtools.tiny` — the hand-made two-session dataset whose every KPI is worked out by hand
  (``from devtools import tiny``; the ``tiny_dir`` / ``tiny_ds`` fixtures of ``tests/conftest.py``).

Imported from the repository root: pytest puts the root on ``sys.path`` (``pythonpath`` in
``pyproject.toml``) and the benchmarks run as modules (``python -m benchmarks.bench_review``).
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The repository root (where ``voila.json``, ``notebooks/`` and ``share/jupyter`` are)."""
