"""The A/B archive with real concurrent processes: writers at once, a reader alongside, a writer killed mid-write.

Every record carries a digest of its own payload, so "intact" means byte-for-byte what its writer built.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from liveops_nb.abtest import archive as ar

ROOT = Path(__file__).resolve().parents[2]

# One writer process: saves `n` records tagged with its name, printing each record id once it is saved.
WRITER = r"""
import hashlib, json, sys, time
from liveops_nb.abtest import archive as ar
folder, who, n, size, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
while not __import__("os").path.exists(go):  # start together
    time.sleep(0.005)
for i in range(n):
    notes = (f"{who}-{i} 复盘结论 " * size)[:size]
    rec = {"record_id": f"{who}-{i}", "archived_at": "2026-10-01T08:00:00+00:00", "author": who,
           "decision": "ship", "experiment_id": f"EXP-{who}", "notes": notes,
           "digest": hashlib.sha256(notes.encode()).hexdigest()}
    ar.save_record(folder, rec)
    print(rec["record_id"], flush=True)
"""

# A reader process: until `stop` appears, parses every record file it sees; prints the failures and the max count.
READER = r"""
import json, os, sys, time
from pathlib import Path
folder, stop = Path(sys.argv[1]) / "archive", sys.argv[2]
bad, seen, rounds = [], 0, 0
while not os.path.exists(stop):
    rounds += 1
    names = [p for p in folder.glob("*.json") if not p.name.startswith(".")] if folder.is_dir() else []
    for p in names:
        try:
            json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except ValueError as err:
            bad.append(f"{p.name}: {err}")
    seen = max(seen, len(names))
print(json.dumps({"bad": bad, "seen": seen, "rounds": rounds}))
"""


def _python(code: str, *args: object, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, **kw)


def _check_intact(records: list[dict]) -> None:
    for r in records:
        assert hashlib.sha256(r["notes"].encode()).hexdigest() == r["digest"], r["record_id"]


def test_writers_in_several_processes_lose_nothing_and_readers_never_see_a_partial_record(tmp_path):
    go, stop = tmp_path / "go", tmp_path / "stop"
    n, size = 30, 10_000  # 10 000 characters of notes: each write takes long enough for a reader to meet it
    reader = _python(READER, tmp_path, stop)
    writers = [_python(WRITER, tmp_path, who, n, size, go) for who in ("A", "B", "C")]
    go.touch()
    outs = [w.communicate(timeout=120) for w in writers]
    stop.touch()
    seen = json.loads(reader.communicate(timeout=60)[0])
    assert [w.returncode for w in writers] == [0, 0, 0], [err for _, err in outs]
    assert seen["bad"] == [] and seen["rounds"] > 1  # the reader ran alongside and never met a partial file

    records = ar.read_records(tmp_path)
    assert len(records) == 3 * n  # exact: nothing lost, nothing counted twice
    assert sorted(r["record_id"] for r in records) == sorted(f"{w}-{i}" for w in "ABC" for i in range(n))
    _check_intact(records)
    files = list((tmp_path / "archive").iterdir())
    assert len(files) == 3 * n and not [p for p in files if p.name.startswith(".")]  # no temporary file left
    assert len(ar.load_archive(tmp_path)) == 3 * n  # one row each (records without results)


def test_a_writer_killed_mid_write_leaves_no_partial_record(tmp_path):
    go = tmp_path / "go"
    go.touch()
    writer = _python(WRITER, tmp_path, "K", 10_000, 400_000, go)  # large records: a kill lands mid-write
    printed: list[str] = []
    assert writer.stdout is not None
    while len(printed) < 5:
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else "writer ended"
        printed.append(line.strip())
    time.sleep(0.05)
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    printed += [ln.strip() for ln in writer.stdout.read().splitlines() if ln.strip()]

    folder = tmp_path / "archive"
    finals = [p for p in folder.iterdir() if not p.name.startswith(".")]
    for p in finals:  # every file under a record's name is a whole record
        json.loads(p.read_text(encoding="utf-8"))
    records = ar.read_records(tmp_path)
    ids = {r["record_id"] for r in records}
    assert len(records) == len(finals)  # temporary files are never counted as records
    assert set(printed) <= ids  # every save that returned is there ...
    assert len(ids) - len(printed) in (0, 1)  # ... plus at most the one saved just before its print
    _check_intact(records)
    leftovers = [p for p in folder.iterdir() if p.name.startswith(".")]
    assert all(p.name.endswith(".tmp") for p in leftovers)  # at most the killed write's temporary file
    # the leftover is recognised as such, and the next writer is not disturbed by it
    from liveops_nb.io.atomic import stale_temporaries

    assert sorted(stale_temporaries(folder)) == sorted(leftovers)
    ar.save_record(tmp_path, {"record_id": "after", "archived_at": "2026-10-02T08:00:00+00:00"})
    assert len(ar.read_records(tmp_path)) == len(records) + 1


def test_on_a_file_system_without_hard_links_records_are_still_whole_and_never_overwritten(tmp_path, monkeypatch):
    import errno

    from liveops_nb.io import atomic

    def no_link(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted")  # what a CIFS/SMB mount or FAT answers

    monkeypatch.setattr(atomic.os, "link", no_link)
    first = ar.save_record(tmp_path, {"record_id": "r1", "archived_at": "2026-10-01T08:00:00+00:00"})
    assert ar.read_records(tmp_path)[0]["record_id"] == "r1"
    monkeypatch.setattr(ar, "record_file_name", lambda: first.name)  # force a clash
    with pytest.raises(FileExistsError):
        ar.save_record(tmp_path, {"record_id": "r2", "archived_at": "2026-10-01T08:00:00+00:00"})
    assert [r["record_id"] for r in ar.read_records(tmp_path)] == ["r1"]
    assert [p.name for p in (tmp_path / "archive").iterdir()] == [first.name]  # no temporary file left
