"""GrowingTable: a file rewritten atomically with rows appended is read again only from where it stopped."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from liveops_nb.errors import LiveFeedError
from liveops_nb.io.atomic import write_atomic
from liveops_nb.live.feed import TAIL, GrowingTable, LiveFeed, feed_dir, feed_sessions

HEADER = "session_id,minute,online,entries,exits,comments,likes,shares,new_followers,orders,buyers,gmv\n"
ROWS = ["L,2026-10-03T20:00:00+08:00,4,4,0,1,2,0,0,0,0,0.0\n",
        "L,2026-10-03T20:01:00+08:00,10,7,1,1,2,0,0,1,1,100.0\n",
        "L,2026-10-03T20:02:00+08:00,8,2,4,1,2,0,0,1,1,50.5\n"]
MORE = ["L,2026-10-03T20:03:00+08:00,12,6,2,1,2,0,0,2,2,250.0\n",
        "L,2026-10-03T20:04:00+08:00,6,1,7,1,2,0,0,0,0,0.0\n"]


def test_appended_rows_are_the_only_bytes_read_again(tmp_path: Path) -> None:
    path = tmp_path / "minute_stats.csv"
    write_atomic(path, HEADER + "".join(ROWS))
    g = GrowingTable(path, "minute_stats")
    assert g.poll() == 3
    first = len((HEADER + "".join(ROWS)).encode())
    assert (g.bytes_read, g.rows_read, g.full_reads) == (first, 3, 1)
    assert g.poll() == 0 and g.bytes_read == first  # unchanged stamp: the file is not even opened

    write_atomic(path, HEADER + "".join(ROWS + MORE))  # a new file whose prefix is the old one
    assert g.poll() == 2
    new = len("".join(MORE).encode())
    # the TAIL bytes before the old end (prefix check) plus the two new lines, nothing else
    assert g.bytes_read == first + TAIL + new
    assert (g.rows_read, g.full_reads) == (5, 1)
    f = g.frame()
    assert f.online.tolist() == [4, 10, 8, 12, 6]
    assert f.gmv.tolist() == [0.0, 100.0, 50.5, 250.0, 0.0]
    assert str(f.minute.dt.tz) == "Asia/Shanghai"
    assert f.minute.iloc[3] == pd.Timestamp("2026-10-03 20:03", tz="Asia/Shanghai")
    assert f.online.dtype == "int64" and f.gmv.dtype == "float64"


def test_changed_prefix_is_read_again_whole(tmp_path: Path) -> None:
    path = tmp_path / "minute_stats.csv"
    write_atomic(path, HEADER + "".join(ROWS))
    g = GrowingTable(path, "minute_stats")
    g.poll()
    fixed = ROWS[2].replace(",8,", ",9,")  # the last known row was corrected: not a pure append
    write_atomic(path, HEADER + ROWS[0] + ROWS[1] + fixed + MORE[0])
    assert g.poll() == 4
    assert g.full_reads == 2
    assert g.frame().online.tolist() == [4, 10, 9, 12]


def test_a_partial_last_line_waits_for_its_end(tmp_path: Path) -> None:
    path = tmp_path / "minute_stats.csv"
    path.write_text(HEADER + ROWS[0] + ROWS[1][:20], encoding="utf-8")  # a writer that is not atomic
    g = GrowingTable(path, "minute_stats")
    assert g.poll() == 1
    path.write_text(HEADER + ROWS[0] + ROWS[1], encoding="utf-8")
    assert g.poll() == 1
    assert g.frame().online.tolist() == [4, 10]
    assert g.full_reads == 1


def test_missing_file_is_empty_and_a_bad_row_is_refused(tmp_path: Path) -> None:
    g = GrowingTable(tmp_path / "minute_stats.csv", "minute_stats")
    assert g.poll() == 0 and len(g.frame()) == 0
    write_atomic(g.path, HEADER + "L,2026-10-03T20:00:00+08:00,many,4,0,1,2,0,0,0,0,0.0\n")
    with pytest.raises(LiveFeedError, match="minute_stats"):
        g.poll()


def test_feed_lists_sessions_with_a_status_and_polls_status_changes(tmp_path: Path) -> None:
    folder = feed_dir(tmp_path, "L")
    folder.mkdir(parents=True)
    assert feed_sessions(tmp_path) == []
    write_atomic(folder / "status.json", '{"session_id": "L", "done": false}')
    feed_dir(tmp_path, "X").mkdir()  # no status file: not a feed
    assert feed_sessions(tmp_path) == ["L"]
    feed = LiveFeed(tmp_path, "L")
    assert feed.poll() is True and feed.done is False
    assert feed.poll() is False
    write_atomic(folder / "status.json", '{"session_id": "L", "done": true}')
    assert feed.poll() is True and feed.done is True
    write_atomic(folder / "status.json", "not json")
    with pytest.raises(LiveFeedError, match="status"):
        feed.poll()
