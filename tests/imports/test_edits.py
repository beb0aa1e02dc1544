"""Merge, split and unmerge of imported sessions; expectations worked by hand from exports.py."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from liveops_nb.errors import SessionEditError
from liveops_nb.imports import import_files, merge_sessions, split_session, unmerge, upper_bounds

from . import exports

A, B, C = "dy_xiaomei88-20260907-0855", "dy_xiaomei88-20260907-1010", "dy_aqiang01-20260908-1900"
AB = f"{A}+{B}"


@pytest.fixture()
def folder(tmp_path: Path, files: dict[str, Path]) -> Path:
    import_files("douyin", [files["list"], files["minutes"]], tmp_path / "shop")
    return tmp_path / "shop"


def _sessions(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "sessions.parquet").set_index("session_id")


def test_merge_sums_pools_and_flags_upper_bounds(folder: Path) -> None:
    result = merge_sessions(folder, B, A)  # either order
    assert result.added == [AB] and result.removed == [A, B]
    s = _sessions(folder)
    assert sorted(s.index) == sorted([AB, C])
    m = s.loc[AB]
    assert m["start_time"] == pd.Timestamp("2026-09-07 08:55:37", tz="Asia/Shanghai")
    assert m["end_time"] == pd.Timestamp("2026-09-07 11:00:00", tz="Asia/Shanghai")
    assert m["gmv"] == 236552 + 50000 and m["orders"] == 160 and m["units"] == 175 and m["views"] == 6000
    assert pd.isna(m["refund_amount"])  # B's refund is "-": unknown stays unknown
    assert m["pcu"] == 420  # the larger peak
    assert m["uv"] == 4000 and m["buyers"] == 130  # sums ...
    assert {"sessions.uv", "sessions.buyers", "sessions.impressions"} <= set(result.upper_bound)  # ... upper bounds
    assert set(upper_bounds(folder)[AB]) == set(result.upper_bound)
    # A runs 3,863 s at 180.5 online, B 3,000 s at 100; the merged window is 7,463 s
    assert m["acu"] == pytest.approx((180.5 * 3863 + 100 * 3000) / 7463)
    assert m["avg_watch_seconds"] == pytest.approx((90 * 3000 + 120 * 1000) / 4000)  # 97.5 s per (summed) viewer
    assert set(pd.read_parquet(folder / "minute_stats.parquet")["session_id"]) == {AB}


def test_unmerge_restores_the_originals(folder: Path) -> None:
    before = _sessions(folder).sort_index()
    minutes = pd.read_parquet(folder / "minute_stats.parquet")
    merge_sessions(folder, A, B)
    unmerge(folder, AB)
    pd.testing.assert_frame_equal(_sessions(folder).sort_index(), before)
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "minute_stats.parquet"), minutes)
    assert json.loads((folder / "session_edits.json").read_text(encoding="utf-8"))["edits"] == {}
    assert not (folder / "session_edits" / AB).exists()


def test_reimport_after_merge_does_not_bring_the_parts_back(folder: Path, files: dict[str, Path]) -> None:
    merge_sessions(folder, A, B)
    report = import_files("douyin", [files["list"]], folder, force=True)
    assert sorted(_sessions(folder).index) == sorted([AB, C])
    assert any("were merged or split" in w for w in report.warnings)


def test_merge_refusals(folder: Path) -> None:
    with pytest.raises(SessionEditError, match="different rooms"):
        merge_sessions(folder, A, C)
    with pytest.raises(SessionEditError, match="Did you mean"):
        merge_sessions(folder, A, B + "x")
    with pytest.raises(SessionEditError, match="twice"):
        merge_sessions(folder, A, A)


def test_dry_run_merge_writes_nothing(folder: Path) -> None:
    before = (folder / "sessions.parquet").read_bytes()
    result = merge_sessions(folder, A, B, dry_run=True)
    assert result.added == [AB] and not result.written
    assert (folder / "sessions.parquet").read_bytes() == before


def test_split_by_minute_rows_that_add_up(tmp_path: Path) -> None:
    row = list(exports.ROW_B)  # B's totals made equal to its five minute rows
    row[19], row[18], row[12], row[13], row[8] = "¥1,386.5", "4", "10", "3", "150"
    listing = exports.write_list(tmp_path / "l.csv", [row])
    folder = tmp_path / "shop"
    import_files("douyin", [listing, exports.write_minutes(tmp_path / "xiaomei88-m.xlsx")], folder)
    result = split_session(folder, B, "2026-09-07 10:12:30")
    p1, p2 = f"{B}-p1", f"{B}-p2"
    assert result.added == [p1, p2]
    s = _sessions(folder)
    assert (s.loc[p1, "gmv"], s.loc[p1, "orders"], s.loc[p1, "comments"], s.loc[p1, "views"]) == (1336.5, 3, 9, 120)
    assert (s.loc[p2, "gmv"], s.loc[p2, "orders"], s.loc[p2, "comments"], s.loc[p2, "views"]) == (50, 1, 1, 30)
    assert s.loc[p1, "end_time"] == s.loc[p2, "start_time"] == pd.Timestamp("2026-09-07 10:12:30", tz="Asia/Shanghai")
    assert pd.isna(s.loc[p1, "uv"]) and pd.isna(s.loc[p2, "buyers"])  # people cannot be divided
    m = pd.read_parquet(folder / "minute_stats.parquet")
    assert m.groupby("session_id").size().to_dict() == {p1: 3, p2: 2}
    unmerge(folder, p2)  # a part's id names the split too
    assert list(_sessions(folder).index) == [B]


def test_split_leaves_totals_missing_when_minutes_do_not_add_up(folder: Path) -> None:
    result = split_session(folder, B, "2026-09-07 10:30")
    s = _sessions(folder)
    assert pd.isna(s.loc[f"{B}-p1", "gmv"])  # B's ¥50,000 is not the sum of its five minute rows
    assert any("do not add up" in n for n in result.notes)


def test_split_time_outside_the_session(folder: Path) -> None:
    with pytest.raises(SessionEditError, match="not inside"):
        split_session(folder, B, "2026-09-07 12:00")


def test_merge_with_viewer_level_data_counts_people_once(tmp_path: Path) -> None:
    import liveops_nb
    from devtools import tiny

    folder = tiny.write(tmp_path / "tiny")  # viewer-level: S1 and S2 of room R1 (devtools/tiny.py)
    result = merge_sessions(folder, "S1", "S2")
    assert result.upper_bound == [] and any("viewer-level" in n for n in result.notes)
    k = liveops_nb.open(folder).kpis(["uv", "buyers", "impressions"], by=["session_id"]).set_index("session_id")
    # viewers: S1 u1, u2, u4; S2 u1 again -> 3 people, not 4. Buyers: u1, u4 (u1 again in S2) -> 2, not 3.
    # Impressed: S1 u1–u4, S2 u5 and u1 -> 5, not 6.
    assert (k.loc["S1+S2", "uv"], k.loc["S1+S2", "buyers"], k.loc["S1+S2", "impressions"]) == (3, 2, 5)


def test_merge_suggestions_same_room_gap_under_the_limit() -> None:
    from liveops_nb.imports import suggest_merges

    t = lambda hm: pd.Timestamp(f"2026-09-07 {hm}", tz="Asia/Shanghai")  # noqa: E731
    s = pd.DataFrame({"session_id": ["a", "b", "c", "d", "x"], "room_id": ["R", "R", "R", "R", "Q"],
                      "start_time": [t("08:00"), t("09:10"), t("10:40"), t("10:50"), t("09:15")],
                      "end_time": [t("09:00"), t("10:00"), t("11:30"), t("12:00"), t("09:30")]})
    # a→b 10 min: suggested; b→c 40 min: not (limit 30); c→d overlaps: not; x is another room
    assert suggest_merges(s, 30) == [("a", "b", 10.0)]
    assert suggest_merges(s, 45) == [("a", "b", 10.0), ("b", "c", 40.0)]
    assert suggest_merges(s, 30, only={"c"}) == []


def test_stock_at_start_follows_the_first_part(folder: Path) -> None:
    from liveops_nb.imports import store

    products = pd.DataFrame({"product_id": ["P1", "P2"], "name": ["大衣", "围巾"], "list_price": [599.0, 99.0],
                             "role": ["regular", "regular"]})
    stock = pd.DataFrame({"session_id": [B, A, A], "product_id": ["P1", "P1", "P2"], "stock": [40, 100, 7]})
    with store.locked(folder):
        store.commit(folder, {"products": products, "inventory": stock})
    merge_sessions(folder, A, B)
    inv = pd.read_parquet(folder / "inventory.parquet").set_index("product_id")
    assert inv["stock"].to_dict() == {"P1": 100, "P2": 7} and set(inv["session_id"]) == {AB}  # A's, at the start
    unmerge(folder, AB)
    split_session(folder, A, "2026-09-07 09:30")
    inv = pd.read_parquet(folder / "inventory.parquet")
    assert set(inv.loc[inv["product_id"] == "P2", "session_id"]) == {f"{A}-p1"}
