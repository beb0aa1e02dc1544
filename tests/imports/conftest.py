"""Fixtures of the import tests: hand-built exports (tests/imports/exports.py) in a temporary folder."""
from __future__ import annotations

from pathlib import Path

import pytest

from . import exports


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    """The three Douyin exports: a GBK session list, the minute trend of session B, the workbook of session C."""
    src = tmp_path / "exports"
    src.mkdir()
    return {"list": exports.write_list(src / "直播间列表.csv"),
            "minutes": exports.write_minutes(src / "xiaomei88-分钟级数据.xlsx"),
            "workbook": exports.write_workbook(src / "整场数据下载.xlsx")}


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the three exports imported (shared by a module's tests: read it, do not change it)."""
    from liveops_nb.imports import import_files

    tmp = tmp_path_factory.mktemp("shop")
    src = {"list": exports.write_list(tmp / "直播间列表.csv"),
           "minutes": exports.write_minutes(tmp / "xiaomei88-分钟级数据.xlsx"),
           "workbook": exports.write_workbook(tmp / "整场数据下载.xlsx")}
    import_files("douyin", list(src.values()), tmp / "shop")
    return tmp / "shop"
