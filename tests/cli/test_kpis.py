"""``liveops kpis``: ds.kpis on the command line.

Hand-worked (devtools/tiny.py): the week of Monday 2026-09-07 in room R1 holds S1 and S2: GMV 500 + 100 = 600,
views 4 + 1 = 5, GPM 600 / 5 × 1000 = 120,000, viewers u1, u2, u4 (u1 in both sessions counted once) = 3.
Day 2026-09-07 alone (S1): GMV 500. Per channel group (orders' channels): organic 直播推荐 100 + 关注 100 = 200,
paid 千川 300 + 100 = 400.
"""
from __future__ import annotations

import io

import pandas as pd
import pytest

BOM = b"\xef\xbb\xbf"


def _csv(out: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(out))


def test_by_room_and_week(run, tiny_dir):
    code, out, _ = run("kpis", "--data", tiny_dir, "--by", "room_id,week", "--keys", "gmv,gpm,uv", "--format", "csv")
    assert code == 0
    df = _csv(out)
    assert list(df.columns) == ["room_id", "week", "gmv", "gpm", "uv"]
    assert df.to_dict("records") == [{"room_id": "R1", "week": "2026-09-07", "gmv": 600.0, "gpm": 120000.0, "uv": 3.0}]


def test_total_row_filters_and_row_groupings(run, tiny_dir):
    code, out, _ = run("kpis", "--data", tiny_dir, "--by", "none", "--keys", "gmv,views", "--format", "csv")
    assert code == 0 and _csv(out).to_dict("records") == [{"gmv": 600.0, "views": 5.0}]
    code, out, _ = run("kpis", "--data", tiny_dir, "--by", "day", "--keys", "gmv", "--where", "day=2026-09-07",
                       "--format", "csv")
    assert code == 0 and _csv(out).to_dict("records") == [{"day": "2026-09-07", "gmv": 500.0}]
    code, out, _ = run("kpis", "--data", tiny_dir, "--by", "channel_group", "--keys", "gmv", "--format", "csv")
    assert code == 0
    assert dict(_csv(out).values.tolist()) == {"organic": 200.0, "paid": 400.0}
    code, out, _ = run("kpis", "--data", tiny_dir, "--keys", "gmv", "--where", "session_id=S2", "--format", "csv")
    assert code == 0 and _csv(out).to_dict("records") == [{"session_id": "S2", "gmv": 100.0}]


def test_table_in_each_language(run, tiny_dir):
    code, out, _ = run("kpis", "--data", tiny_dir, "--by", "week", "--keys", "gmv,gpm")
    assert code == 0
    assert out.splitlines()[0].split() == ["周（周一）", "成交金额", "千次观看成交金额"]
    assert out.splitlines()[1].split() == ["2026-09-07", "¥600", "¥120,000"]
    code, out, _ = run("kpis", "--data", tiny_dir, "--by", "week", "--keys", "gmv", "--lang", "en")
    assert code == 0 and out.splitlines()[0].split() == ["Week", "(Monday)", "GMV"]


def test_csv_and_xlsx_files(run, tiny_dir, tmp_path):
    args = ("kpis", "--data", tiny_dir, "--by", "room_id,week", "--keys", "gmv,gpm")
    assert run(*args, "--format", "csv", "--out", tmp_path / "k.csv")[0] == 0
    assert (tmp_path / "k.csv").read_bytes().startswith(BOM)
    assert pd.read_csv(tmp_path / "k.csv", encoding="utf-8-sig").gpm.tolist() == [120000.0]
    assert run(*args, "--format", "xlsx", "--out", tmp_path / "k.xlsx")[0] == 0
    df = pd.read_excel(tmp_path / "k.xlsx")
    assert df.gmv.tolist() == [600] and df.gpm.tolist() == [120000]
    assert str(df.week.iloc[0])[:10] == "2026-09-07"


@pytest.mark.parametrize("args,words", [
    (["--keys", "gpn"], ["'gpn' is not a registered metric", "Did you mean 'gpm'"]),
    (["--by", "wek"], ["'wek' is not a grouping", "Did you mean 'week'"]),
    (["--where", "room_id"], ["--where takes DIMENSION=VALUE"]),
    (["--where", "hour=eight"], ["--where hour= takes whole numbers"]),
    (["--where", "day=yesterday"], ["must be a date like 2026-09-07"]),
    (["--keys", ","], ["--keys needs at least one metric key"]),
])
def test_bad_requests(run, tiny_dir, args, words):
    code, out, err = run("kpis", "--data", tiny_dir, *args)
    assert code == 1 and out == "" and err.startswith("error: ")
    for w in words:
        assert w in err, err
