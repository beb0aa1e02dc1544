"""The workbook reader: text, numbers, dates, merged cells — the same through both of its parsers."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from liveops_nb.imports import xlsx


@pytest.fixture()
def book(tmp_path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["标题 & <说明>", None, None])
    ws.merge_cells("A1:C1")
    ws.append([dt.datetime(2026, 9, 7, 8, 55, 37), 12.0, 0.1528])
    ws.append(["个人主页&店铺&橱窗", 3612345678901234567, "￥1,234"])
    ws.append([None, None, None])
    ws.append([dt.date(2026, 9, 8), -3, True])
    wb.create_sheet("空")
    wb.save(tmp_path / "book.xlsx")
    return tmp_path / "book.xlsx"


EXPECTED = [["标题 & <说明>"] * 3,
            ["2026-09-07 08:55:37", "12", "0.1528"],
            ["个人主页&店铺&橱窗", xlsx.LOST_DIGITS + "3.612345678901235e+18", "￥1,234"],
            ["2026-09-08 00:00:00", "-3", "TRUE"]]


def test_cells_as_the_user_sees_them(book: Path) -> None:
    sheets = xlsx.read_workbook(str(book))
    assert [s.name for s in sheets] == ["数据", "空"]
    assert sheets[0].rows == EXPECTED and sheets[0].row_numbers == [1, 2, 3, 5]  # the blank row 4 is skipped
    assert sheets[1].rows == []


def test_the_element_tree_reader_gives_the_same(book: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise xlsx._Fallback

    monkeypatch.setattr(xlsx, "_fast_cells", refuse)
    assert xlsx.read_workbook(str(book))[0].rows == EXPECTED
