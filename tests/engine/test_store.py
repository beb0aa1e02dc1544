"""The on-disk result store: atomic entries, damaged entries are misses, several processes, bounded, cleared."""
from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from liveops_nb.cli import main
from liveops_nb.engine import store as store_mod
from liveops_nb.engine.store import Store, StoreError, default_folder, file_fingerprint, make_key


def _entry_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.entry"))


def test_put_get_round_trip(tmp_path):
    s = Store(tmp_path / "c")
    key = make_key("a", 1)
    assert s.get(key) == (False, None)
    assert s.put(key, {"x": [1, 2.5, None]})
    assert s.get(key) == (True, {"x": [1, 2.5, None]})
    assert make_key("a", 1) == key and make_key("a", 2) != key


def test_truncated_entry_is_a_miss_and_removed(tmp_path):
    s = Store(tmp_path / "c")
    key = make_key("t")
    s.put(key, list(range(1000)))
    (path,) = _entry_files(tmp_path / "c")
    path.write_bytes(path.read_bytes()[:-7])  # as if a writer had been killed mid-write without the temp file
    assert s.get(key) == (False, None)
    assert not path.exists()
    assert s.remember(key, lambda: "again") == "again"
    assert s.get(key) == (True, "again")


def test_corrupt_byte_is_a_miss(tmp_path):
    s = Store(tmp_path / "c")
    key = make_key("b")
    s.put(key, "value")
    (path,) = _entry_files(tmp_path / "c")
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))
    assert s.get(key) == (False, None)


def _writer(folder: str, key: str, tag: int, n: int) -> None:
    s = Store(folder)
    for i in range(n):
        s.put(key, {"tag": tag, "i": i, "pad": bytes([tag]) * 200_000})


def test_two_processes_writing_one_key(tmp_path):
    folder = str(tmp_path / "c")
    key = make_key("shared")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_writer, args=(folder, key, tag, 30)) for tag in (1, 2)]
    for p in procs:
        p.start()
    s = Store(folder)
    seen = 0
    while any(p.is_alive() for p in procs):
        hit, value = s.get(key)
        if hit:  # any value read is whole: its padding matches its tag
            assert value["pad"] == bytes([value["tag"]]) * 200_000
            seen += 1
    for p in procs:
        p.join()
        assert p.exitcode == 0
    hit, value = s.get(key)
    assert hit and value["tag"] in (1, 2) and value["i"] == 29
    assert not list(Path(folder).rglob(".*.tmp"))  # no temporary left behind


def test_bounded_least_recently_used_go_first(tmp_path):
    s = Store(tmp_path / "c", max_bytes=350_000)
    keys = [make_key("k", i) for i in range(3)]
    for i, k in enumerate(keys):
        s.put(k, b"x" * 100_000)
        os.utime(s._path(k), (1_000_000 + i, 1_000_000 + i))  # distinct ages: k0 oldest
    s.get(keys[0])  # a hit makes k0 the most recently used
    s.put(make_key("k", 3), b"x" * 100_000)
    assert s.get(keys[0])[0] and s.get(keys[2])[0]
    assert not s.get(keys[1])[0]  # the least recently used went
    assert s.info().entries == 3


def test_cache_clear_and_info_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LIVEOPS_CACHE", str(tmp_path / "c"))
    s = Store(tmp_path / "c")
    s.put(make_key(1), 1)
    s.put(make_key(2), 2)
    assert main(["cache", "info", "--lang", "en"]) == 0
    assert "entries: 2" in capsys.readouterr().out
    assert main(["cache", "clear", "--lang", "en"]) == 0
    assert "Removed 2 cache entries" in capsys.readouterr().out
    assert _entry_files(tmp_path / "c") == [] and s.info().entries == 0


def test_off_disables_the_store(monkeypatch):
    monkeypatch.setenv("LIVEOPS_CACHE", "off")
    assert default_folder() is None and store_mod.default_store() is None


def test_never_inside_the_data_folder(tmp_path):
    with pytest.raises(StoreError):
        Store(tmp_path / "data" / "cache").check_outside(tmp_path / "data")
    Store(tmp_path / "cache").check_outside(tmp_path / "data")


def test_fingerprint_sees_size_time_and_content(tmp_path):
    f = tmp_path / "t.parquet"
    f.write_bytes(b"a" * 200_000)
    first = file_fingerprint(f)
    st = f.stat()
    f.write_bytes(b"a" * 199_999 + b"b")  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # same modification time: only the content differs
    assert file_fingerprint(f) != first
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert file_fingerprint(f)[2] == st.st_mtime_ns + 1_000_000
