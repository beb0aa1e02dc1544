"""``liveops export``: any table or KPI frame to CSV (UTF-8 with BOM, for Excel) or xlsx, exact numbers.

Hand-worked (devtools/tiny.py): orders o1..o4 with amounts 100, 300, 100, 100 (total 600); S1 holds o1..o3.
"""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

BOM = b"\xef\xbb\xbf"


def test_a_table_to_csv_and_xlsx(run, tiny_dir, tmp_path):
    code, out, _ = run("export", "orders", "--data", tiny_dir, "--out", tmp_path / "orders.csv")
    assert code == 0 and out.strip() == f"wrote {tmp_path / 'orders.csv'} (4 rows)"
    raw = (tmp_path / "orders.csv").read_bytes()
    assert raw.startswith(BOM + b"order_id,session_id,user_id,product_id,ts,")
    df = pd.read_csv(tmp_path / "orders.csv", encoding="utf-8-sig")
    assert df.order_id.tolist() == ["o1", "o2", "o3", "o4"] and df.amount.sum() == 600
    assert df.channel.tolist() == ["直播推荐", "千川", "千川", "关注"]
    assert df.ts.iloc[0] == "2026-09-07 20:01:20"  # local time of the dataset

    code, _, _ = run("export", "orders", "--data", tiny_dir, "--out", tmp_path / "orders.xlsx")
    assert code == 0
    rows = list(openpyxl.load_workbook(tmp_path / "orders.xlsx")["orders"].iter_rows(values_only=True))
    head = list(rows[0])
    assert [r[head.index("amount")] for r in rows[1:]] == [100, 300, 100, 100]
    assert [r[head.index("quantity")] for r in rows[1:]] == [1, 2, 1, 1]


def test_one_sessions_rows(run, tiny_dir, tmp_path):
    assert run("export", "orders", "--data", tiny_dir, "--session", "S1", "--out", tmp_path / "o.csv")[0] == 0
    assert pd.read_csv(tmp_path / "o.csv", encoding="utf-8-sig").amount.tolist() == [100, 300, 100]


def test_kpi_frames(run, tiny_dir, tmp_path):
    code, _, _ = run("export", "kpis", "--data", tiny_dir, "--keys", "gmv,gpm", "--by", "room_id,week",
                     "--out", tmp_path / "k.xlsx")
    assert code == 0
    df = pd.read_excel(tmp_path / "k.xlsx")
    assert df[["room_id", "gmv", "gpm"]].to_dict("records") == [{"room_id": "R1", "gmv": 600, "gpm": 120000}]
    code, _, _ = run("export", "kpis", "--data", tiny_dir, "--keys", "gmv", "--session", "S2",
                     "--format", "csv", "--out", tmp_path / "k.txt")
    assert code == 0
    assert (tmp_path / "k.txt").read_bytes().startswith(BOM)
    assert pd.read_csv(tmp_path / "k.txt", encoding="utf-8-sig").to_dict("records") == [{"session_id": "S2",
                                                                                        "gmv": 100.0}]
    code, _, _ = run("export", "sessions", "--data", tiny_dir, "--out", tmp_path / "s.csv")
    assert code == 0
    s = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert s.gmv.tolist() == [500.0, 100.0] and s.views.tolist() == [4.0, 1.0]  # main KPIs by default


@pytest.mark.parametrize("args,words", [
    (["ordrs", "--out", "x.csv"], ["'ordrs' is neither a table nor a KPI frame", "Did you mean 'orders'?"]),
    (["orders", "--out", "x.json"], ["cannot tell the format of x.json"]),
    (["orders", "--session", "s1", "--out", "x.csv"], ["session 's1' is not in this dataset",
                                                       "Did you mean 'S1'?"]),
    (["pitches", "--out", "x.csv"], ["table 'pitches' is not in this dataset"]),
])
def test_bad_requests(run, tiny_dir, tmp_path, monkeypatch, args, words):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", *args, "--data", tiny_dir)
    assert code == 1 and out == "" and err.startswith("error: ")
    for w in words:
        assert w in err, err
    assert not list(tmp_path.glob("x.*"))


def test_an_unwritable_file_is_the_message_not_a_traceback(run, tiny_dir, tmp_path):
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    code, _, err = run("export", "orders", "--data", tiny_dir, "--out", tmp_path / "blocker" / "o.csv")
    assert code == 1 and err.startswith("error: cannot write")
