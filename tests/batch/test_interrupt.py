"""`liveops batch` in a real process: Ctrl-C / SIGTERM stop it promptly and cleanly, and a rerun resumes.

A stub notebook with the review's parameters (tests/batch/helpers.py) stands in for the review, so the
timing is under the test's control: the session in flight sleeps until its kernel is killed. The kernels
are real (papermill, jupyter_client) -- they must die with the run.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from liveops_nb.batch import report_complete, report_dir, report_dir_name

from .helpers import IDS, started, stub_notebook, three_sessions

ROOT = Path(__file__).resolve().parents[2]
LIVEOPS = Path(sys.executable).parent / "liveops"
PROMPT = 15.0  # seconds from the signal to the exit (a killed kernel is noticed within ~1 s; the machine is shared)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("papermill")]  # runs batch jobs


@pytest.fixture()
def setup(tmp_path):
    return three_sessions(tmp_path / "data"), stub_notebook(tmp_path / "nb"), tmp_path / "reports", tmp_path / "log"


def _batch(data, nb, out, log, *, workers=1, slow=(), extra=()) -> subprocess.Popen:
    cmd = [str(LIVEOPS) if LIVEOPS.exists() else sys.executable, *([] if LIVEOPS.exists() else ["-m", "liveops_nb.cli"]),
           "batch", "--data", str(data), "--sessions", ",".join(IDS), "--out", str(out), "--workers", str(workers),
           "--notebook", str(nb), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "STUB_LOG": str(log), "STUB_SLOW": "|".join(slow),
           "STUB_SLEEP": "300"}
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(cond, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if proc.poll() is not None:
            raise AssertionError(f"batch ended early ({proc.returncode}): {proc.stderr.read() if proc.stderr else ''}")
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _kernels(proc: subprocess.Popen) -> list[psutil.Process]:
    return [c for c in psutil.Process(proc.pid).children(recursive=True) if "ipykernel" in " ".join(c.cmdline())]


def _stop(proc: subprocess.Popen, sig: int) -> tuple[float, str, list[psutil.Process]]:
    kernels = _kernels(proc)
    t0 = time.monotonic()
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    return time.monotonic() - t0, err, kernels


def _rows(out: Path) -> dict[str, dict]:
    return {r["session_id"]: r for r in json.loads((out / "batch.json").read_text(encoding="utf-8"))}


def _assert_nothing_partial(out: Path) -> None:
    assert not [p.name for p in out.iterdir() if p.name.startswith((".tmp-", ".old-")) or p.name.endswith(".tmp")]
    for sid in IDS:  # a report folder exists only when complete
        assert report_dir(out, sid).exists() == report_complete(out, sid), sid


def _alive(k: psutil.Process) -> bool:
    try:
        return k.is_running() and k.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _assert_dead(kernels: list[psutil.Process]) -> None:
    time.sleep(0.5)
    assert not [k for k in kernels if _alive(k)], "kernels outlived the batch run"


def test_ctrl_c_stops_promptly_writes_the_index_and_a_rerun_resumes(setup):
    data, nb, out, log = setup
    proc = _batch(data, nb, out, log, slow=["S_1"])
    _wait_for(lambda: report_complete(out, "S 1") and started(log) == ["S 1", "S_1"], proc)  # S_1 in flight
    elapsed, err, kernels = _stop(proc, signal.SIGINT)
    assert kernels, "the run had a kernel"
    assert elapsed < PROMPT
    assert proc.returncode == 130  # 128 + SIGINT
    assert "Traceback" not in err
    last = [ln for ln in err.strip().splitlines() if ln.strip()][-1]
    assert last.startswith("liveops batch: batch run interrupted by SIGINT: 1 done, 0 skipped (already done), "
                           "0 failed, 1 interrupted, 1 not run ->") and "run the same command again to resume" in last
    _assert_dead(kernels)
    _assert_nothing_partial(out)
    rows = _rows(out)
    assert [rows[s]["status"] for s in IDS] == ["ok", "interrupted", "not_run"]
    assert rows["S 1"]["report"] == f"{report_dir_name('S 1')}/review.html" and rows["S_1"]["report"] is None
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<a href=") == 1 and "已中断" in index and "未运行" in index
    assert started(log) == ["S 1", "S_1"]  # S/1 never started

    first = report_dir(out, "S 1") / "key_figures.json"
    before = first.stat().st_mtime_ns
    again = _batch(data, nb, out, log)
    _, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    assert started(log) == ["S 1", "S_1", "S_1", "S/1"]  # only the remaining sessions ran
    assert first.stat().st_mtime_ns == before  # the finished report was left alone
    rows = _rows(out)
    assert [rows[s]["status"] for s in IDS] == ["skipped", "ok", "ok"]
    assert all(report_complete(out, s) for s in IDS)
    _assert_nothing_partial(out)


def test_sigterm_stops_two_workers_in_flight_and_leaves_no_report_half_written(setup):
    data, nb, out, log = setup
    proc = _batch(data, nb, out, log, workers=2, slow=list(IDS))
    _wait_for(lambda: len(started(log)) == 2, proc)  # both workers inside a session
    elapsed, err, kernels = _stop(proc, signal.SIGTERM)
    assert len(kernels) == 2
    assert elapsed < PROMPT
    assert proc.returncode == 143  # 128 + SIGTERM
    assert "Traceback" not in err and "interrupted by SIGTERM: 0 done" in err
    _assert_dead(kernels)
    _assert_nothing_partial(out)
    assert not any(report_dir(out, s).exists() for s in IDS)
    rows = _rows(out)
    assert sorted(r["status"] for r in rows.values()) == ["interrupted", "interrupted", "not_run"]

    # the rerun completes all three: ids differing only by a space, "_" and "/" get three reports, each linked
    again = _batch(data, nb, out, log, workers=2)
    _, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    folders = {sid: report_dir(out, sid) for sid in IDS}
    assert len(set(folders.values())) == 3
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(p.name for p in folders.values())
    for sid, folder in folders.items():
        assert json.loads((folder / "key_figures.json").read_text(encoding="utf-8"))["session_id"] == sid
    index = (out / "index.html").read_text(encoding="utf-8")
    for sid in IDS:
        assert f"<td>{sid}</td>" in index and f'href="{report_dir_name(sid)}/review.html"' in index
    assert {s: r["report"] for s, r in _rows(out).items()} == {s: f"{report_dir_name(s)}/review.html" for s in IDS}
    assert [r["status"] for r in _rows(out).values()] == ["ok", "ok", "ok"]


def test_a_run_killed_outright_leaves_an_index_of_what_finished_and_no_partial_report(setup):
    data, nb, out, log = setup
    proc = _batch(data, nb, out, log, slow=["S_1"])
    _wait_for(lambda: report_complete(out, "S 1") and started(log) == ["S 1", "S_1"], proc)
    _wait_for(lambda: _rows(out)["S 1"]["status"] == "ok", proc)  # the index is kept up to date during the run
    kernels = _kernels(proc)
    proc.send_signal(signal.SIGKILL)  # no handler runs: the worst case
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10  # orphaned kernels notice their parent is gone (ipykernel polls each second)
    while any(_alive(k) for k in kernels) and time.monotonic() < deadline:
        time.sleep(0.2)
    _assert_dead(kernels)
    rows = _rows(out)
    assert [rows[s]["status"] for s in IDS] == ["ok", "pending", "pending"]
    assert (out / "index.html").read_text(encoding="utf-8").count("<a href=") == 1
    assert not report_dir(out, "S_1").exists()  # the build in flight never reached its final path
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]  # index files are replaced whole

    again = _batch(data, nb, out, log)
    _, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    assert started(log) == ["S 1", "S_1", "S_1", "S/1"]  # resumed: only the unfinished sessions ran
    assert [_rows(out)[s]["status"] for s in IDS] == ["skipped", "ok", "ok"]
    _assert_nothing_partial(out)  # the killed run's build folder was cleared
