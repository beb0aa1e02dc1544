"""The stop logic of run_batch in-process, with the session runner replaced (fast: no kernels).

The real processes and kernels are exercised in test_interrupt.py; here a signal is sent to this very
process while a fake session runs, and the run must wind down the same way.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest

from liveops_nb.batch import report_complete, report_dir, run_batch
from liveops_nb.batch import run as batch_run
from liveops_nb.errors import BatchInterruptedError

from .helpers import IDS, three_sessions


def _fake_run_one(calls: list[str], sig: int):
    def run_one(session_id, data_dir, out, *, stop=None, **_kw):
        calls.append(session_id)
        if session_id == "S 1":
            folder = report_dir(out, session_id)
            folder.mkdir()
            for name in ("review.ipynb", "review.html"):
                (folder / name).write_text("x", encoding="utf-8")
            (folder / "key_figures.json").write_text(json.dumps({"session_id": session_id}), encoding="utf-8")
            return batch_run.SessionOutcome(session_id, "ok")
        os.kill(os.getpid(), sig)  # Ctrl-C / SIGTERM while this session runs
        assert stop is not None and stop.wait(10)  # the handler set the stop flag (a real kernel is killed now)
        return batch_run.SessionOutcome(session_id, "interrupted")
    return run_one


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_a_session_stops_the_run_and_writes_the_index(tmp_path, monkeypatch, sig):
    calls: list[str] = []
    monkeypatch.setattr(batch_run, "run_one", _fake_run_one(calls, sig))
    before = signal.getsignal(sig)
    out = tmp_path / "reports"
    t0 = time.monotonic()
    with pytest.raises(BatchInterruptedError) as caught:
        run_batch(three_sessions(tmp_path / "data"), ",".join(IDS), out, workers=1, progress=False)
    assert time.monotonic() - t0 < 30
    err = caught.value
    assert err.exit_code == 128 + sig and err.signal_name == signal.Signals(sig).name
    assert "1 done, 0 skipped (already done), 0 failed, 1 interrupted, 1 not run" in str(err)
    assert "\n" not in str(err)  # one line
    assert calls == ["S 1", "S_1"]  # no session started after the signal
    assert [o.status for o in err.summary.outcomes] == ["ok", "interrupted", "not_run"]
    rows = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in rows] == ["ok", "interrupted", "not_run"]
    assert signal.getsignal(sig) is before  # the caller's handler is back

    # the rerun resumes: the finished session is skipped, only the others run
    calls.clear()
    monkeypatch.setattr(batch_run, "run_one", lambda sid, *a, **k: calls.append(sid) or batch_run.SessionOutcome(sid, "ok"))
    summary = run_batch(tmp_path / "data", ",".join(IDS), out, workers=2, progress=False)
    assert sorted(calls) == sorted(["S_1", "S/1"])
    assert [o.status for o in summary.outcomes] == ["skipped", "ok", "ok"]
    assert report_complete(out, "S 1")


def test_a_signal_before_any_session_started_stops_with_nothing_written(tmp_path, monkeypatch):
    import liveops_nb.dataset

    def slow_open(*_a, **_k):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)  # the handler interrupts this at once
        raise AssertionError("not interrupted")

    monkeypatch.setattr(liveops_nb.dataset, "open", slow_open)
    t0 = time.monotonic()
    with pytest.raises(BatchInterruptedError, match="interrupted by SIGTERM: before any session started") as caught:
        run_batch(tmp_path, "all", tmp_path / "reports", progress=False)
    assert time.monotonic() - t0 < 5 and caught.value.exit_code == 143
    assert not (tmp_path / "reports").exists()


def test_outside_the_main_thread_no_handler_is_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(batch_run, "run_one", lambda sid, *a, **k: batch_run.SessionOutcome(sid, "ok"))
    seen = {}

    def job():
        seen["summary"] = run_batch(three_sessions(tmp_path / "data"), "S 1", tmp_path / "r", progress=False)

    before = signal.getsignal(signal.SIGINT)
    th = threading.Thread(target=job)
    th.start()
    th.join(60)
    assert [o.status for o in seen["summary"].outcomes] == ["ok"]
    assert signal.getsignal(signal.SIGINT) is before
