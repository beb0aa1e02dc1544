"""Bad input: each refusal names file, sheet, row and column and the fix; nothing is half-imported."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from liveops_nb.errors import ImportFileError, LiveOpsError
from liveops_nb.imports import import_files

from . import exports

B = "dy_xiaomei88-20260907-1010"


def _refusal(tmp_path: Path, paths: list[Path]) -> ImportFileError:
    with pytest.raises(ImportFileError) as info:
        import_files("douyin", paths, tmp_path / "shop")
    assert isinstance(info.value, LiveOpsError)
    return info.value


def test_a_file_of_the_wrong_kind(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("订单号,金额\n1,2\n", encoding="utf-8")
    err = _refusal(tmp_path, [path])
    assert err.path == path and "not an export this mapping" in str(err) and "直播开始时间" in str(err)


def test_empty_file_and_empty_workbook(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in str(_refusal(tmp_path, [empty]))
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "blank.xlsx")
    assert "empty" in _refusal(tmp_path, [tmp_path / "blank.xlsx"]).problem


def test_unparseable_value_names_file_row_and_column(tmp_path: Path) -> None:
    bad = list(exports.ROW_B)
    bad[19] = "约五万"  # 直播间成交金额
    path = exports.write_list(tmp_path / "list.csv", [exports.ROW_A, bad])
    err = _refusal(tmp_path, [path])
    assert (err.path.name, err.row, err.column) == ("list.csv", 3, "直播间成交金额")  # header line 1, A line 2
    assert "cannot be read as numbers" in err.problem and err.fix


def test_unparseable_minute_value_names_the_sheet(tmp_path: Path) -> None:
    rows = [list(r) for r in exports.MINUTES_B]
    rows[2][3] = "很多"  # 实时在线人数 of 10:12, sheet row 4
    err = _refusal(tmp_path, [exports.write_list(tmp_path / "l.csv"), exports.write_minutes(tmp_path / "m.xlsx", rows)])
    assert (err.sheet, err.row, err.column) == ("分钟级数据", 4, "实时在线人数")
    assert "sheet '分钟级数据', row 4, column '实时在线人数'" in str(err)


def test_all_or_nothing(tmp_path: Path, files: dict[str, Path]) -> None:
    rows = [list(r) for r in exports.MINUTES_B]
    rows[0][0] = "昨天"
    bad = exports.write_minutes(tmp_path / "bad.xlsx", rows)
    _refusal(tmp_path, [files["list"], bad])
    assert not (tmp_path / "shop").exists()  # the folder the import would have created is not left behind
    import_files("douyin", [files["list"]], tmp_path / "shop")
    before = {p.name: p.read_bytes() for p in (tmp_path / "shop").iterdir() if p.is_file()}
    with pytest.raises(ImportFileError):
        import_files("douyin", [files["workbook"], bad], tmp_path / "shop")
    after = {p.name: p.read_bytes() for p in (tmp_path / "shop").iterdir() if p.is_file()}
    assert after == before  # the good workbook was not imported either


def test_every_problem_is_listed(tmp_path: Path) -> None:
    a, b = list(exports.ROW_A), list(exports.ROW_B)
    a[7], b[2] = "x", "someday"
    err = _refusal(tmp_path, [exports.write_list(tmp_path / "list.csv", [a, b])])
    found = {(e.column, e.row) for e in [err, *err.others]}
    assert {("直播间观看人数", 2), ("直播开始时间", 3)} <= found


def test_totals_and_duplicated_rows(tmp_path: Path) -> None:
    total = ["合计", "", "", "", "", "17,000"] + [""] * (len(exports.LIST_HEADER) - 6)
    path = exports.write_list(tmp_path / "list.csv", [exports.ROW_A, exports.ROW_B, exports.ROW_B, total])
    report = import_files("douyin", [path], tmp_path / "shop")
    assert report.changes["sessions"] == (2, 0)
    assert any("row 4 repeats row 3" in w for w in report.warnings)


def test_conflicting_rows_are_refused(tmp_path: Path) -> None:
    other = list(exports.ROW_B)
    other[19] = "¥1"
    err = _refusal(tmp_path, [exports.write_list(tmp_path / "list.csv", [exports.ROW_B, other])])
    assert "different values" in err.problem and err.column == "gmv" and err.rows == [2, 3]


def test_old_xls_and_corrupt_workbook(tmp_path: Path) -> None:
    xls = tmp_path / "list.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert ".xlsx" in _refusal(tmp_path, [xls]).fix
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04not really a zip")
    assert "not a readable Excel workbook" in _refusal(tmp_path, [broken]).problem


def test_product_id_that_lost_digits_in_excel(tmp_path: Path) -> None:
    path = exports.write_workbook(tmp_path / "wb.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["商品分析-商品明细"]["B5"] = 3612345678905678123  # typed as a number: Excel keeps 15 digits
    wb.save(path)
    err = _refusal(tmp_path, [path])
    assert (err.sheet, err.column, err.row) == ("商品分析-商品明细", "商品ID", 5) and "Text" in err.fix


def test_minute_file_without_its_session(tmp_path: Path) -> None:
    err = _refusal(tmp_path, [exports.write_list(tmp_path / "l.csv", [exports.ROW_A]),
                              exports.write_minutes(tmp_path / "m.xlsx")])
    assert "no session contains its minutes (2026-09-07 10:10–10:14)" in err.problem


def test_minute_file_when_two_rooms_were_live(tmp_path: Path) -> None:
    other = list(exports.ROW_C)
    other[2], other[3] = exports.ROW_B[2], exports.ROW_B[3]  # 阿强 live at the same time as B
    listing = exports.write_list(tmp_path / "l.csv", [exports.ROW_B, other])
    err = _refusal(tmp_path, [listing, exports.write_minutes(tmp_path / "分钟级数据.xlsx")])
    assert "2 sessions were live" in err.problem and "file name" in err.fix
    named = exports.write_minutes(tmp_path / "xiaomei88-分钟级数据.xlsx")
    import_files("douyin", [listing, named], tmp_path / "shop")
    assert set(pd.read_parquet(tmp_path / "shop" / "minute_stats.parquet")["session_id"]) == {B}


def test_missing_column_the_model_needs(tmp_path: Path) -> None:
    header = [h for h in exports.LIST_HEADER if h != "直播结束时间"]
    row = [c for h, c in zip(exports.LIST_HEADER, exports.ROW_A, strict=True) if h != "直播结束时间"]
    err = _refusal(tmp_path, [exports.write_list(tmp_path / "l.csv", [row], header=header)])
    assert "end_time" in err.problem


def test_empty_sheet_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = exports.write_workbook(tmp_path / "wb.xlsx", empty_sheet=True)
    report = import_files("douyin", [path], tmp_path / "shop")
    assert report.changes["sessions"] == (1, 0)
