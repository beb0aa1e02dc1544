"""Batch session reviews: the review notebook executed once per session with papermill.

For each session ``out/<slug>-<hash>/`` (:func:`report_dir_name`: a readable slug of the id plus a
short hash of the exact id, so ids differing only by a space, ``_`` or ``/`` get their own folders)
receives the executed notebook (``review.ipynb``), a self-contained static HTML (``review.html``,
charts as SVG, no network needed) and ``key_figures.json``. Each report is built in a temporary
folder and moved into place with one atomic rename, so a half-written report never appears. A
failing session is recorded with its error and does not stop the others. ``out/index.html`` links
every report of the folder; ``out/batch.json`` lists the outcomes (:mod:`.index`).

Ctrl-C (SIGINT) and SIGTERM stop a run promptly and cleanly (:mod:`.run`); a rerun resumes: a
session whose report is complete (:func:`report_complete`) is skipped unless ``force``.

Each worker keeps one warm kernel for its sessions (:class:`KernelPool`): the kernel start, the
package imports, the opened dataset and the chart renderer are paid once per worker, not once per
session. Before every session the kernel's namespace is reset (``%reset``, a new execution count),
so a report sees only its own parameters; a kernel whose session failed is replaced.
"""
from __future__ import annotations

from ..errors import BatchInterruptedError
from .folders import DONE_MARKER, REPORT_FILES, report_complete, report_dir, report_dir_name
from .index import write_index
from .kernels import KernelPool
from .outcomes import BatchSummary, SessionOutcome, select_sessions
from .run import DEFAULT_NOTEBOOK, TEMPLATES, export_html, run_batch, run_one

__all__ = ["DEFAULT_NOTEBOOK", "DONE_MARKER", "REPORT_FILES", "TEMPLATES", "BatchInterruptedError", "BatchSummary",
           "KernelPool", "SessionOutcome", "export_html", "report_complete", "report_dir", "report_dir_name",
           "run_batch", "run_one", "select_sessions", "write_index"]
