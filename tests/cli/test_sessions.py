"""``liveops sessions``: filters, formats and languages on the tiny dataset.

Hand-worked (devtools/tiny.py): S1 (2026-09-07) GMV 100 + 300 + 100 = ¥500, viewers u1, u2, u4 = 3, views
u1 + u2 twice + u4 = 4, GPM 500 / 4 × 1000 = 125,000, buyers u1, u4 -> AOV 500 / 2 = 250; S2 (2026-09-08)
GMV ¥100, 1 viewer, 1 view, GPM 100,000, AOV 100.
"""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

BOM = b"\xef\xbb\xbf"


def test_table_in_chinese_and_english(run, tiny_dir):
    code, out, _ = run("sessions", "--data", tiny_dir)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["场次", "直播间ID", "直播间", "主播", "开播时间", "成交金额", "观看人数", "千次观看成交金额"]
    assert lines[1].split() == ["S1", "R1", "小美彩妆", "小美", "2026-09-07", "20:00", "¥500", "3", "¥125,000"]
    assert lines[2].split() == ["S2", "R1", "小美彩妆", "小美", "2026-09-08", "20:00", "¥100", "1", "¥100,000"]
    code, out, _ = run("sessions", "--data", tiny_dir, "--lang", "en", "--keys", "aov")
    assert code == 0
    assert "Session" in out.splitlines()[0] and "Average order value per buyer" in out.splitlines()[0]
    assert out.splitlines()[1].split()[-1] == "¥250" and out.splitlines()[2].split()[-1] == "¥100"


def test_csv_on_screen_has_the_exact_numbers(run, tiny_dir):
    code, out, _ = run("sessions", "--data", tiny_dir, "--format", "csv", "--keys", "gmv,views,gpm")
    assert code == 0 and not out.startswith("\ufeff")
    df = pd.read_csv(io.StringIO(out))
    assert list(df.columns) == ["session_id", "room_id", "room_name", "host", "start_time", "date", "gmv", "views",
                                "gpm"]
    assert df.session_id.tolist() == ["S1", "S2"]
    assert df.gmv.tolist() == [500.0, 100.0] and df.views.tolist() == [4.0, 1.0]
    assert df.gpm.tolist() == [125000.0, 100000.0]
    assert df.date.tolist() == ["2026-09-07", "2026-09-08"]
    assert df.start_time.tolist() == ["2026-09-07 20:00:00", "2026-09-08 20:00:00"]  # local time, no zone


def test_room_and_date_filters(run, tiny_dir):
    def ids(*args):
        code, out, err = run("sessions", "--data", tiny_dir, "--format", "csv", *args)
        assert code == 0, err
        return pd.read_csv(io.StringIO(out)).session_id.tolist()

    assert ids("--room", "R1") == ["S1", "S2"]
    assert ids("--room", "小美彩妆") == ["S1", "S2"]
    assert ids("--since", "2026-09-08") == ["S2"]
    assert ids("--until", "2026-09-07") == ["S1"]
    assert ids("--since", "2026-09-07", "--until", "2026-09-07") == ["S1"]
    assert ids("--since", "2026-09-09") == []


@pytest.mark.parametrize("args,words", [
    (["--room", "R2"], ["room 'R2' is not in this dataset", "Rooms: R1"]),
    (["--room", "r1"], ["Did you mean 'R1'?"]),
    (["--since", "07/09/2026"], ["--since must be a date like 2026-09-07"]),
    (["--since", "2026-09-08", "--until", "2026-09-07"], ["is after --until"]),
    (["--keys", "gvm"], ["'gvm' is not a registered metric", "Did you mean", "'gmv'"]),
    (["--format", "xlsx"], ["--format xlsx writes a file: add --out"]),
])
def test_bad_options_give_the_message_and_exit_1(run, tiny_dir, args, words):
    code, out, err = run("sessions", "--data", tiny_dir, *args)
    assert code == 1 and out == ""
    assert err.startswith("error: ")
    for w in words:
        assert w in err, err


def test_csv_file_starts_with_the_bom_and_xlsx_reads_back(run, tiny_dir, tmp_path):
    code, out, _ = run("sessions", "--data", tiny_dir, "--format", "csv", "--out", tmp_path / "s.csv")
    assert code == 0 and "wrote" in out
    raw = (tmp_path / "s.csv").read_bytes()
    assert raw.startswith(BOM)
    df = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert df.room_name.tolist() == ["小美彩妆", "小美彩妆"] and df.gmv.tolist() == [500.0, 100.0]

    code, _, _ = run("sessions", "--data", tiny_dir, "--format", "xlsx", "--out", tmp_path / "s.xlsx")
    assert code == 0
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == ["session_id", "room_id", "room_name", "host", "start_time", "date", "gmv", "uv", "gpm"]
    assert [r[header.index("gmv")] for r in rows[1:]] == [500, 100]
    assert [r[header.index("gpm")] for r in rows[1:]] == [125000, 100000]
    assert [r[header.index("uv")] for r in rows[1:]] == [3, 1]
    assert str(rows[1][header.index("start_time")]) == "2026-09-07 20:00:00"


def test_table_to_a_file(run, tiny_dir, tmp_path):
    code, out, _ = run("sessions", "--data", tiny_dir, "--lang", "en", "--out", tmp_path / "s.txt")
    assert code == 0 and out.strip() == f"wrote {tmp_path / 's.txt'}"
    assert "¥125,000" in (tmp_path / "s.txt").read_text(encoding="utf-8")
