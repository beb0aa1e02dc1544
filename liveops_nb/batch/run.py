"""Running the batch: the review notebook executed once per session with papermill, in worker threads.

Each report is built in a private folder (``.tmp-<folder>-<pid>-<token>``) and moved into place
with one atomic rename, so a half-written report never appears at its final path. A failing
session is recorded with its error and does not stop the others.

Stopping: SIGINT (Ctrl-C) and SIGTERM set a stop flag instead of raising. No new session starts;
the kernels are killed at once (their process groups), so sessions in flight end within about a
second and their build folders are deleted -- a session whose notebook had already finished still
completes its rename. ``index.html`` and ``batch.json`` are written for what finished, the other
sessions marked ``interrupted`` or ``not_run``, and :class:`BatchInterruptedError` is raised
(the console script prints it as one line and exits with 128 + the signal number). A second
signal stops waiting for sessions in flight. The same command run again resumes: sessions with a
complete report are skipped unless ``force``.
"""
from __future__ import annotations

import os
import shutil
import signal
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from ..config import resolve_data_dir
from ..errors import BatchInterruptedError, LiveOpsError
from .folders import (
    DONE_MARKER,
    OLD_PREFIX,
    check_unique,
    remove_stale_builds,
    report_complete,
    report_dir,
    report_dir_name,
    temp_dir_name,
)
from .index import write_index
from .kernels import KernelPool, SessionInterrupted
from .outcomes import BatchSummary, SessionOutcome, select_sessions

DEFAULT_NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01-session-review.ipynb"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "nbconvert"
WORKBOOK = "review.xlsx"  # the review as an Excel workbook (复盘表), beside review.html
STOP_GRACE_SECONDS = 20.0  # after a stop: how long sessions in flight may take to finish or discard their build


def export_html(nb_path: Path, html_path: Path) -> None:
    """Static, self-contained HTML of an executed notebook (no code, no CDN scripts)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="liveops-static", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
    html_path.write_text(body, encoding="utf-8")


def run_one(session_id: str, data_dir: Path, out: Path, *, notebook: Path = DEFAULT_NOTEBOOK, lang: str = "zh",
            kernel_name: str = "python3", validate: bool = True, kernels: KernelPool | None = None,
            stop: threading.Event | None = None) -> SessionOutcome:
    """Execute the review for one session into ``out/<report_dir_name(session_id)>`` atomically.

    The folder holds the executed notebook, its static HTML, the key figures and the Excel workbook
    (:data:`WORKBOOK`).

    ``validate=False`` skips the data checks in the notebook (``run_batch`` ran them once for all sessions);
    ``kernels`` lends a warm kernel (default: a new kernel for this session only); ``stop`` set while the
    session runs turns its failure into ``interrupted`` (its kernel was killed; nothing is written).
    """
    import papermill as pm

    started = time.perf_counter()
    tmp = out / temp_dir_name(session_id, uuid.uuid4().hex[:8])
    tmp.mkdir(parents=True)
    try:
        nb_out = tmp / "review.ipynb"
        try:
            warm = {"km": kernels.acquire()} if kernels is not None else {"cwd": str(notebook.parent)}
            pm.execute_notebook(
                str(notebook), str(nb_out), kernel_name=kernel_name, progress_bar=False, **warm,
                parameters={"session_id": session_id, "data_dir": str(data_dir), "lang": lang, "mode": "static",
                            "validate": validate, "key_figures_path": str(tmp / DONE_MARKER),
                            "workbook_path": str(tmp / WORKBOOK)})
        except BaseException:
            if kernels is not None:
                kernels.discard()
            raise
        export_html(nb_out, tmp / "review.html")
        figures = _read_figures(tmp / DONE_MARKER)
        _move_into_place(tmp, out, session_id)
        return SessionOutcome(session_id, "ok", time.perf_counter() - started,
                              section_errors=list(figures.get("section_errors", [])))
    except Exception as err:  # noqa: BLE001 - every failure is reported, none stops the batch
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(err, SessionInterrupted) or (stop is not None and stop.is_set()):
            return SessionOutcome(session_id, "interrupted", time.perf_counter() - started,
                                  error="the run was stopped while this session ran")
        return SessionOutcome(session_id, "failed", time.perf_counter() - started, error=_describe(err))


def run_batch(data_dir: str | Path, sessions: str, out: str | Path, *, workers: int = 2, force: bool = False,
              lang: str = "zh", notebook: str | Path | None = None, progress: bool = True,
              handle_signals: bool = True) -> BatchSummary:
    """Execute the review notebook for every selected session in parallel workers.

    Parameters
    ----------
    data_dir, sessions, out : the data folder, the selection (:func:`select_sessions`), the output folder.
    workers : parallel workers, each with one warm kernel.
    force : rerun sessions whose report is complete (default: skip them, so a rerun resumes).
    lang, notebook, progress : report language, notebook to execute, progress bar.
    handle_signals : catch SIGINT / SIGTERM to stop cleanly (only possible in the main thread).

    Returns
    -------
    BatchSummary
        This run's outcomes; ``index.html`` and ``batch.json`` in ``out`` are written too.

    Raises
    ------
    BatchInterruptedError
        A signal stopped the run (after the index was written; ``.summary`` holds the outcomes).
    LiveOpsError
        Bad dataset, unknown notebook, or two session ids sharing a report folder.
    """
    with _StopSignals(handle_signals) as stopping:
        try:
            from ..dataset import open as open_dataset

            data = resolve_data_dir(data_dir)
            ds = open_dataset(data)  # validate once, up front: a broken dataset stops here with the full list
            out = Path(out).resolve()
            out.mkdir(parents=True, exist_ok=True)
            nb = Path(notebook).resolve() if notebook else DEFAULT_NOTEBOOK
            if not nb.exists():
                raise LiveOpsError(f"notebook {nb} not found; pass --notebook with the session review notebook")
            ids = select_sessions(ds.session_info, sessions)
            check_unique(ids)
            remove_stale_builds(out)
            todo = [sid for sid in ids if force or not report_complete(out, sid)]
        except _Interrupted as sig:
            raise BatchInterruptedError(_signal_name(sig.signum), 128 + sig.signum,
                                        "before any session started; nothing was written") from None
        stopping.cooperate()  # from here on a signal sets the stop flag and the run winds down
        outcomes = {sid: SessionOutcome(sid, "skipped") for sid in ids if sid not in todo}
        kernels = KernelPool(cwd=nb.parent, stop=stopping.event)
        table = ds.sessions()

        def one(sid: str) -> SessionOutcome:
            return run_one(sid, data, out, notebook=nb, lang=lang, validate=False, kernels=kernels,
                           stop=stopping.event)

        def so_far(done: dict[str, SessionOutcome]) -> None:
            """The index while the run goes on (a run killed outright still leaves one): unfinished = pending."""
            rows = [outcomes.get(s) or done.get(s) or SessionOutcome(s, "pending") for s in ids]
            try:
                write_index(BatchSummary(out, rows), table, lang)
            except (LiveOpsError, OSError):
                pass  # the final index below reports the problem

        try:
            so_far({})
            outcomes.update(_run_workers(todo, one, workers, stopping, kernels, progress, so_far))
        finally:
            kernels.close()
        for sid in todo:
            outcomes.setdefault(sid, SessionOutcome(sid, "not_run"))
        summary = BatchSummary(out, [outcomes[s] for s in ids], interrupted=stopping.name)
        write_index(summary, table, lang)
    if summary.interrupted:
        raise BatchInterruptedError(summary.interrupted, 128 + stopping.signum,
                                    f"{summary.counts_line()} -> {out / 'index.html'}; "
                                    "run the same command again to resume", summary=summary)
    return summary


def _run_workers(todo: list[str], run: Callable[[str], SessionOutcome], workers: int, stopping: _StopSignals,
                 kernels: KernelPool, progress: bool,
                 on_progress: Callable[[dict[str, SessionOutcome]], None]) -> dict[str, SessionOutcome]:
    """Run ``todo`` in daemon worker threads until done or stopped; outcomes of the sessions that ended.

    ``on_progress`` is called from this (the main) thread with the outcomes so far whenever a session ends.
    """
    from tqdm.auto import tqdm

    queue, lock = deque(todo), threading.Lock()
    outcomes: dict[str, SessionOutcome] = {}
    running: set[str] = set()
    bar = tqdm(total=len(todo), desc="session reviews", unit="session", disable=not progress)

    def work() -> None:
        while not stopping.event.is_set():
            with lock:
                if not queue:
                    return
                sid = queue.popleft()
                running.add(sid)
            outcome = run(sid)
            with lock:
                outcomes[sid] = outcome
                running.discard(sid)
            bar.update(1)

    threads = [threading.Thread(target=work, name=f"liveops-batch-{i}", daemon=True)
               for i in range(min(max(1, workers), len(todo)))]
    try:
        for th in threads:
            th.start()
        reported = 0
        while any(th.is_alive() for th in threads) and not stopping.event.is_set():
            stopping.event.wait(0.2)  # a signal handler sets the event: this wait ends at once
            with lock:
                done = dict(outcomes)
            if reported < len(done) and not stopping.event.is_set():
                on_progress(done)
                reported = len(done)
        if stopping.event.is_set():
            kernels.kill_all()  # sessions in flight end now; their builds are discarded
            deadline = time.monotonic() + STOP_GRACE_SECONDS
            while any(th.is_alive() for th in threads) and time.monotonic() < deadline and not stopping.hurry:
                time.sleep(0.05)
                kernels.kill_all()  # a kernel started meanwhile
    finally:
        bar.close()
    with lock:
        done = dict(outcomes)
        for sid in running:  # still running after the grace period: its build is never moved into place
            done.setdefault(sid, SessionOutcome(sid, "interrupted", error="still running when the run stopped"))
    return done


def _move_into_place(tmp: Path, out: Path, session_id: str) -> None:
    """Rename the finished build ``tmp`` to the session's report folder (replacing an old report: ``--force``)."""
    final = report_dir(out, session_id)
    if final.exists():  # --force: move the old report aside, then swap in the new one
        trash = out / f"{OLD_PREFIX}{report_dir_name(session_id)}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            os.replace(final, trash)
        except FileNotFoundError:  # another process moved it meanwhile
            pass
        shutil.rmtree(trash, ignore_errors=True)
    try:
        os.replace(tmp, final)
    except OSError:
        if report_complete(out, session_id):  # another batch process wrote this session's report meanwhile
            shutil.rmtree(tmp, ignore_errors=True)
            return
        raise


def _read_figures(path: Path) -> dict[str, Any]:
    import json

    figures = json.loads(path.read_text(encoding="utf-8"))
    return figures if isinstance(figures, dict) else {}


class _Interrupted(KeyboardInterrupt):
    """A signal during the set-up (before any session started): unwinds like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _StopSignals:
    """SIGINT / SIGTERM handlers for one run: raise during the set-up, set ``event`` once sessions run."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and threading.current_thread() is threading.main_thread()
        self.event = threading.Event()
        self.signum = 0
        self.hurry = False  # a second signal: do not wait for sessions in flight
        self._cooperative = False
        self._previous: dict[int, Any] = {}

    @property
    def name(self) -> str:
        return _signal_name(self.signum) if self.signum else ""

    def cooperate(self) -> None:
        self._cooperative = True
        if self.signum:  # a signal arrived just as the set-up ended
            self.event.set()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.event.is_set():
            self.hurry = True
        self.signum = self.signum or signum
        if not self._cooperative:
            raise _Interrupted(signum)
        self.event.set()

    def __enter__(self) -> _StopSignals:
        if self.enabled:
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)


def _signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def _describe(err: BaseException) -> str:
    ename = getattr(err, "ename", None)
    if ename:  # papermill.PapermillExecutionError
        return f"{ename}: {getattr(err, 'evalue', '')} (cell {getattr(err, 'exec_count', '?')})"
    return f"{type(err).__name__}: {err}"
