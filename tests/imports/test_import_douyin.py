"""Importing Douyin Compass exports: every value read from the hand-built files of exports.py."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
from liveops_nb.imports import import_files

from . import exports

A, B, C = "dy_xiaomei88-20260907-0855", "dy_xiaomei88-20260907-1010", "dy_aqiang01-20260908-1900"


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{name}.parquet")


def test_session_list_values(shop: Path) -> None:
    s = _table(shop, "sessions").set_index("session_id")
    assert sorted(s.index) == sorted([A, B, C])
    a = s.loc[A]
    assert a["room_id"] == "dy_xiaomei88" and a["host"] == "小美直播间"
    assert a["start_time"] == pd.Timestamp("2026-09-07 08:55:37", tz="Asia/Shanghai")
    assert a["end_time"] == pd.Timestamp("2026-09-07 10:00:00", tz="Asia/Shanghai")
    assert a["gmv"] == 236552.0            # ¥236,552 (GBK file: ￥)
    assert a["uv"] == 3000 and a["views"] == 4500 and a["impressions"] == 12000   # "3,000"
    assert a["avg_watch_seconds"] == 90.0  # 1.5 minutes
    assert a["acu"] == 180.5 and a["pcu"] == 420
    assert a["refund_amount"] == 1200.5    # ¥1,200.5
    assert pd.isna(s.loc[B, "refund_amount"])  # "-"
    assert s.loc[C, "title"] == "秋季上新"   # from the workbook's 基本信息


def test_rooms_from_account_columns(shop: Path) -> None:
    rooms = _table(shop, "rooms").set_index("room_id")
    assert sorted(rooms.index) == ["dy_aqiang01", "dy_xiaomei88"]
    assert rooms.loc["dy_aqiang01", "room_name"] == "阿强" and rooms.loc["dy_aqiang01", "platform"] == "douyin"


def test_minute_file_attached_to_the_session_that_contains_it(shop: Path) -> None:
    m = _table(shop, "minute_stats")
    assert set(m["session_id"]) == {B}  # 10:10–10:14 lies in B (10:10–11:00), not in A (08:55–10:00)
    assert len(m) == 5
    assert m["gmv"].sum() == pytest.approx(100 + 1236.5 + 0 + 50 + 0)  # ¥100, ¥1,236.5, 0, ¥50, 0
    assert m["online"].tolist() == [45, 75, 85, 80, 60]
    assert m["product_impression_uv"].isna().sum() == 1  # "-" at 10:13
    assert (m["shares"] == 0).all()  # not in the export: the mapping's fill, reported


def test_workbook_channels_products_pitches(shop: Path) -> None:
    ch = _table(shop, "channels").set_index("channel")
    assert sorted(ch.index) == ["关注", "千川", "直播推荐"]  # the 整体 row is a total, not a channel
    assert ch.loc["千川", "channel_group"] == "paid" and ch.loc["千川", "spend"] == 800
    assert pd.isna(ch.loc["直播推荐", "spend"])
    assert ch["gmv"].sum() == 10000
    ps = _table(shop, "product_stats").set_index("product_id")
    assert sorted(ps.index) == ["3612345678901234", "3612345678905678"]  # SKU rows skipped
    assert ps.loc["3612345678901234", "units"] == 10 and ps.loc["3612345678905678", "refund_amount"] == 99
    products = _table(shop, "products").set_index("product_id")
    assert products.loc["3612345678905678", "list_price"] == 99 and products.loc["3612345678905678", "name"] == "围巾"
    pitches = _table(shop, "pitches")
    assert len(pitches) == 2 and set(pitches["session_id"]) == {C}


def test_report_unknown_columns_rate_check_and_merge_suggestion(tmp_path: Path, files: dict[str, Path]) -> None:
    report = import_files("douyin", list(files.values()), tmp_path / "shop")
    listed = next(f for f in report.files if f.path == files["list"])
    assert listed.kind == "session_list" and listed.unknown_columns == ["直播间热度"]
    kinds = {f.path.name: f.kind for f in report.files}
    assert kinds["xiaomei88-分钟级数据.xlsx"] == "minute_trend" and kinds["整场数据下载.xlsx"] == "session_workbook"
    # C: 商品曝光-点击率 50.00% but 300 / 1,000 = 30 %; A and B agree with their counts
    rate = [w for w in report.warnings if "商品曝光-点击率" in w]
    assert len(rate) == 1 and "rows 4" in rate[0] and "0.3000" in rate[0]
    assert report.merge_suggestions == [(A, B, 10.0)]  # 10:00 → 10:10, same room
    assert report.changes["sessions"] == (3, 0)


def test_opens_as_a_dataset_with_kpis(shop: Path) -> None:
    ds = liveops_nb.open(shop)
    k = ds.kpis(["gmv", "uv"], by=["session_id"]).set_index("session_id")
    assert k.loc[A, "gmv"] == 236552 and k.loc[C, "uv"] == 2000


def test_reimport_changes_nothing_and_originals_untouched(tmp_path: Path, files: dict[str, Path]) -> None:
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files.values()}
    import_files("douyin", list(files.values()), tmp_path / "shop")
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "shop").glob("*.parquet")}
    again = import_files("douyin", list(files.values()), tmp_path / "shop")
    assert [f.skipped for f in again.files] == ["unchanged"] * 3 and not again.written
    forced = import_files("douyin", list(files.values()), tmp_path / "shop", force=True)
    assert not forced.changed and all(v == (0, 0) for v in forced.changes.values())
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "shop").glob("*.parquet")} == stamps
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files.values()} == before


def test_overlapping_export_updates_rather_than_duplicates(tmp_path: Path, files: dict[str, Path]) -> None:
    import_files("douyin", [files["list"]], tmp_path / "shop")
    newer = list(exports.ROW_B)
    newer[19] = "¥51,000"  # B's GMV corrected in a later export that also holds a new session D
    d = list(exports.ROW_B)
    d[2], d[3] = "2026/09/09 20:00:00", "2026/09/09 22:00:00"
    later = exports.write_list(tmp_path / "later.csv", [newer, d], encoding="utf-8-sig")
    report = import_files("douyin", [later], tmp_path / "shop")
    assert report.changes["sessions"] == (1, 1)
    s = _table(tmp_path / "shop", "sessions").set_index("session_id")
    assert len(s) == 4 and s.loc[B, "gmv"] == 51000


def test_dry_run_writes_nothing(tmp_path: Path, files: dict[str, Path]) -> None:
    report = import_files("douyin", list(files.values()), tmp_path / "shop", dry_run=True)
    assert report.changes["sessions"] == (3, 0) and not report.written
    assert not (tmp_path / "shop").exists()


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_csv_encodings_and_title_lines(tmp_path: Path, encoding: str) -> None:
    path = exports.write_list(tmp_path / "list.csv", encoding=encoding, preamble=["直播间列表 下载明细", ""])
    import_files("douyin", [path], tmp_path / "shop")
    s = _table(tmp_path / "shop", "sessions").set_index("session_id")
    assert s.loc[B, "gmv"] == 50000 and s.loc[B, "host"] == "小美直播间"


def test_excel_session_list_with_merged_title(tmp_path: Path) -> None:
    path = exports.write_list_xlsx(tmp_path / "直播间列表.xlsx")
    import_files("douyin", [path], tmp_path / "shop")
    s = _table(tmp_path / "shop", "sessions").set_index("session_id")
    assert s.loc[C, "buyers"] == 50 and s.loc[A, "product_click_uv"] == 500


def test_durations_in_minutes_and_seconds(tmp_path: Path) -> None:
    header = [h if h != "人均观看时长(分钟)" else "人均观看时长" for h in exports.LIST_HEADER]
    row = list(exports.ROW_A)
    row[11] = "1分5秒"
    path = exports.write_list(tmp_path / "list.csv", [row], header=header)
    import_files("douyin", [path], tmp_path / "shop")
    assert _table(tmp_path / "shop", "sessions")["avg_watch_seconds"].tolist() == [65.0]
