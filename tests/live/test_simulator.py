"""The simulator: the target folder without the replayed session's results, then its feed minute by minute."""
from __future__ import annotations

import json
import threading
from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.cli import main
from liveops_nb.errors import LiveFeedError
from liveops_nb.live import simulator
from liveops_nb.live.feed import feed_dir
from liveops_nb.schema import TABLES

from .conftest import minute_rows, ts


class FakeClock:
    """A clock that advances only when slept on: records every wait."""

    def __init__(self) -> None:
        self.now = 100.0
        self.waits: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 9))
        self.now += seconds


def test_prepare_leaves_out_what_the_session_has_not_produced_yet(live_source: Path, tmp_path: Path) -> None:
    rep = simulator.prepare(live_source, "L", tmp_path / "live")
    assert len(rep.minutes) == 5 and rep.orders is None and len(rep.pitches) == 2
    ds = liveops_nb.open(tmp_path / "live")
    assert set(ds.frame("minute_stats").session_id) == {"A", "B"}
    assert ds.frame("pitches").session_id.tolist() == ["A"]
    s = ds.frame("sessions").set_index("session_id")
    assert s.loc["A", "gmv"] == 300.0 and pd.isna(s.loc["L", "gmv"]) and pd.isna(s.loc["L", "orders"])
    assert s.loc["L", "end_time"] == ts("2026-10-03 20:05")  # the planned end stays
    if "run_sheet" in TABLES:  # the plan is known before the broadcast
        assert ds.frame("run_sheet").session_id.tolist() == ["L"] * 3


def test_prepare_refuses_the_source_and_a_foreign_folder(live_source: Path, tmp_path: Path) -> None:
    with pytest.raises(LiveFeedError, match="source"):
        simulator.prepare(live_source, "L", live_source)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(LiveFeedError, match="not empty"):
        simulator.prepare(live_source, "L", other)
    with pytest.raises(liveops_nb.errors.UnknownSessionError):
        simulator.prepare(live_source, "NOPE", tmp_path / "new")
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(("speed", "wait"), [(60.0, 1.0), (120.0, 0.5), (600.0, 0.1)])
def test_one_broadcast_minute_every_60_over_speed_seconds(live_source: Path, tmp_path: Path, speed: float,
                                                            wait: float) -> None:
    rep = simulator.prepare(live_source, "L", tmp_path / "live")
    fake = FakeClock()
    assert simulator.replay(rep, speed, sleep=fake.sleep, clock=fake.clock) == 5
    assert fake.waits == [wait] * 5


def test_skipped_minutes_are_written_at_once_and_limit_stops(live_source: Path, tmp_path: Path) -> None:
    rep = simulator.prepare(live_source, "L", tmp_path / "live")
    fake = FakeClock()
    seen: list[int] = []
    n = simulator.replay(rep, 60.0, skip=3, limit=1, sleep=fake.sleep, clock=fake.clock,
                         on_minute=lambda i, _m: seen.append(i))
    assert n == 4 and seen == [2, 3]  # minutes 0-2 in one write, then minute 3 after one minute of waiting
    assert fake.waits == [1.0]
    folder = feed_dir(tmp_path / "live", "L")
    rows = pd.read_csv(folder / "minute_stats.csv")
    assert rows.online.tolist() == [4, 10, 8, 12]
    status = json.loads((folder / "status.json").read_text())
    assert status["upto"] == "2026-10-03T20:03:00+08:00" and status["done"] is False


def test_feed_files_grow_and_pitches_get_their_end(live_source: Path, tmp_path: Path) -> None:
    rep = simulator.prepare(live_source, "L", tmp_path / "live")
    folder = feed_dir(tmp_path / "live", "L")
    snapshots = []

    def look(i: int, _m: pd.Timestamp) -> None:
        snapshots.append(((folder / "minute_stats.csv").read_text(), (folder / "pitches.csv").read_text()))

    fake = FakeClock()
    simulator.replay(rep, 60.0, sleep=fake.sleep, clock=fake.clock, on_minute=look)
    texts = [m for m, _ in snapshots]
    assert all(b.startswith(a) for a, b in zip(texts[:-1], texts[1:], strict=True))  # rows are only ever appended
    # after minute 20:01 (its end 20:02:00) the p1 pitch (ends 20:02:00) has ended; after 20:00 it was on air
    p_after_0 = pd.read_csv(pd.io.common.StringIO(snapshots[0][1]))
    assert p_after_0.product_id.tolist() == ["p1"] and p_after_0.end.isna().all()
    p_after_1 = pd.read_csv(pd.io.common.StringIO(snapshots[1][1]))
    assert p_after_1.end.tolist() == ["2026-10-03T20:02:00+08:00"]
    p_end = pd.read_csv(folder / "pitches.csv")
    assert p_end.product_id.tolist() == ["p1", "p2"] and p_end.end.notna().all()
    assert json.loads((folder / "status.json").read_text())["done"] is True
    assert not list(folder.glob(".*.tmp"))  # no temporary file left behind


def test_a_reader_never_sees_half_a_file(live_source: Path, tmp_path: Path, monkeypatch) -> None:
    # a 120-minute session replayed at 0.002 s a minute while another thread reads the file as fast as it can
    long = minute_rows("L", "2026-10-03 20:00", list(range(120)), [1.0] * 120, [0] * 120, [1] * 120)
    rep = simulator.prepare(live_source, "L", tmp_path / "live")
    rep = simulator.Replay(rep.into, "L", long, None, None)
    writes: list[str] = []
    real = simulator.write_atomic
    monkeypatch.setattr(simulator, "write_atomic", lambda p, d: (writes.append(Path(p).name), real(p, d))[1])
    path = feed_dir(tmp_path / "live", "L") / "minute_stats.csv"
    done = threading.Event()
    seen: list[int] = []

    def read() -> None:
        while not done.is_set():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            lines = data.decode().split("\n")
            assert data.endswith(b"\n") and lines[0].startswith("session_id,minute")
            assert all(len(line.split(",")) == len(lines[0].split(",")) for line in lines[1:-1])
            seen.append(len(lines) - 2)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        simulator.replay(rep, 30_000.0)
    finally:
        done.set()
        reader.join()
    assert seen and seen == sorted(seen) and seen[-1] <= 120
    assert writes.count("minute_stats.csv") == 120  # every write of the feed goes through write_atomic


def test_cli_simulate_live(live_source: Path, tmp_path: Path, capsys) -> None:
    into = tmp_path / "live"
    assert main(["simulate-live", "--data", str(live_source), "--session", "L", "--into", str(into),
                 "--speed", "60000", "--quiet"]) == 0
    assert "done: 5 minutes written" in capsys.readouterr().out
    assert len(pd.read_csv(feed_dir(into, "L") / "minute_stats.csv")) == 5
    assert main(["simulate-live", "--data", str(live_source), "--session", "L", "--into", str(into),
                 "--speed", "0"]) == 1
    assert "speed must be positive" in capsys.readouterr().err
