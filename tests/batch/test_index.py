"""The batch index: each row links its own report; rows of earlier and concurrent runs are kept (fast: no kernels)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd

from liveops_nb.batch import BatchSummary, SessionOutcome, report_dir_name, write_index

from .helpers import IDS
from .test_folders import _report

ROOT = Path(__file__).resolve().parents[2]
NO_SESSIONS = pd.DataFrame({"session_id": pd.Series([], dtype=str), "room_name": [], "start_time": [], "gmv": []})


def _rows(out: Path) -> dict[str, dict]:
    return {r["session_id"]: r for r in json.loads((out / "batch.json").read_text(encoding="utf-8"))}


def test_each_row_links_its_own_report(tmp_path):
    for sid in IDS:
        _report(tmp_path, sid)
    summary = BatchSummary(tmp_path, [SessionOutcome(sid, "ok") for sid in IDS])
    index = write_index(summary, NO_SESSIONS, lang="en").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(.*?)</td>.*?<a href=\"([^\"]+)\">", index)
    assert [(sid, href) for sid, href in rows] == [(sid, f"{report_dir_name(sid)}/review.html") for sid in IDS]
    assert len({href for _, href in rows}) == 3
    for sid, href in rows:  # every link leads to the key figures of its own session
        figures = json.loads((tmp_path / href).with_name("key_figures.json").read_text(encoding="utf-8"))
        assert figures["session_id"] == sid
    assert {sid: r["report"] for sid, r in _rows(tmp_path).items()} == dict(rows)


def test_no_link_without_a_complete_report_and_stopped_sessions_say_so(tmp_path):
    _report(tmp_path, "S 1")
    summary = BatchSummary(tmp_path, [SessionOutcome("S 1", "ok"), SessionOutcome("S_1", "interrupted"),
                                      SessionOutcome("S/1", "not_run")], interrupted="SIGINT")
    index = write_index(summary, NO_SESSIONS, lang="en").read_text(encoding="utf-8")
    assert index.count("<a href=") == 1
    assert "1 done, 0 skipped (already done), 0 failed, 1 interrupted, 1 not run" in index
    assert 'class="interrupted"><td>S_1</td>' in index and "interrupted (rerun to resume)" in index
    assert 'class="not_run"><td>S/1</td>' in index and "not run (rerun to resume)" in index
    rows = _rows(tmp_path)
    assert [rows[s]["status"] for s in IDS] == ["ok", "interrupted", "not_run"]
    assert rows["S_1"]["report"] is None and rows["S/1"]["report"] is None


def test_a_later_run_on_other_sessions_keeps_the_earlier_rows(tmp_path):
    for sid in IDS:
        _report(tmp_path, sid)
    write_index(BatchSummary(tmp_path, [SessionOutcome("S 1", "ok"), SessionOutcome("S_1", "failed", error="boom")]),
                NO_SESSIONS)
    write_index(BatchSummary(tmp_path, [SessionOutcome("S_1", "ok"), SessionOutcome("S/1", "ok")]), NO_SESSIONS)
    rows = _rows(tmp_path)
    assert list(rows) == ["S_1", "S/1", "S 1"]  # this run first, then the earlier run's other sessions
    assert [rows[s]["status"] for s in ("S 1", "S_1", "S/1")] == ["ok", "ok", "ok"]  # S_1's failure is replaced
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("<a href=") == 3


WRITER = r"""
import sys
import threading
from pathlib import Path
import pandas as pd
from liveops_nb.batch import BatchSummary, SessionOutcome, write_index
out, who, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
none = pd.DataFrame({"session_id": pd.Series([], dtype=str), "room_name": [], "start_time": [], "gmv": []})
while not (out / "go").exists():
    pass
for i in range(n):
    write_index(BatchSummary(out, [SessionOutcome(f"{who}{i}", "ok")]), none)
"""


def test_two_processes_writing_the_index_at_once_lose_no_row(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    n = 25
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), who, str(n)], env=env,
                              stderr=subprocess.PIPE, text=True) for who in ("A", "B")]
    bad, reads = [], [0]

    def reader() -> None:  # alongside the writers: every read of batch.json is a whole file
        while any(p.poll() is None for p in procs):
            try:
                json.loads((tmp_path / "batch.json").read_text(encoding="utf-8"))
                reads[0] += 1
            except FileNotFoundError:
                continue
            except ValueError as err:
                bad.append(str(err))

    watcher = threading.Thread(target=reader)
    watcher.start()
    (tmp_path / "go").touch()
    errs = [p.communicate(timeout=120)[1] for p in procs]
    watcher.join()
    assert [p.returncode for p in procs] == [0, 0], errs
    assert bad == [] and reads[0] > 0
    rows = _rows(tmp_path)
    assert sorted(rows) == sorted(f"{w}{i}" for w in "AB" for i in range(n))  # 50 rows: no update lost
    assert (tmp_path / "index.html").read_text(encoding="utf-8").count("<tr><td>") == 2 * n
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary file left
