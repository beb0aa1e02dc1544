"""Mappings (shipped copies, the generic mapping, refusals) and the folder transaction (lock, journal)."""
from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

from liveops_nb.errors import ConfigError
from liveops_nb.imports import import_files, load_mapping, store
from liveops_nb.imports.mapping import BUILTIN, norm

from . import exports

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["douyin.yaml", "generic.yaml"])
def test_the_package_ships_the_mappings_of_data(name: str) -> None:
    assert (BUILTIN / name).read_bytes() == (ROOT / "data" / "mappings" / name).read_bytes()


def test_headers_compare_without_width_and_spaces() -> None:
    assert norm("人均观看时长（分钟）") == norm("人均观看时长(分钟)") == norm(" 人均观看时长 (分钟) ")


def test_generic_mapping(tmp_path: Path) -> None:
    (tmp_path / "sessions.csv").write_text(
        "session_id,room_id,room_name,host,start_time,end_time,gmv,uv\n"
        "S1,R1,旗舰店,小美,2026-09-07 20:00,2026-09-07 22:00,\"¥1,234.5\",300\n", encoding="utf-8-sig")
    (tmp_path / "minutes.csv").write_text(
        "session_id,minute,online,entries,exits,comments,likes,shares,new_followers,orders,buyers,gmv\n"
        "S1,2026-09-07 20:00,10,12,2,1,3,0,1,1,1,99\n", encoding="utf-8")
    report = import_files("generic", [tmp_path / "sessions.csv", tmp_path / "minutes.csv"], tmp_path / "shop")
    assert report.changes["sessions"] == (1, 0) and report.changes["minute_stats"] == (1, 0)
    s = pd.read_parquet(tmp_path / "shop" / "sessions.parquet")
    assert s["gmv"].tolist() == [1234.5] and s["room_id"].tolist() == ["R1"]
    assert pd.read_parquet(tmp_path / "shop" / "rooms.parquet")["platform"].tolist() == ["other"]


def test_a_mapping_naming_an_unknown_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("platform: other\nkinds:\n  session_list:\n    table: sessions\n"
                                       "    columns: {开播: start_tme}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="start_tme"):
        load_mapping(tmp_path / "bad.yaml")
    with pytest.raises(ConfigError, match="known: .*douyin"):
        load_mapping("nosuchplatform")


def _import(args: tuple[str, str]) -> str:
    listing, folder = args
    import_files("douyin", [listing], folder, force=True)
    return "ok"


def test_concurrent_imports_wait_for_each_other(tmp_path: Path) -> None:
    a = exports.write_list(tmp_path / "a.csv", [exports.ROW_A, exports.ROW_B])
    c = exports.write_list(tmp_path / "c.csv", [exports.ROW_C])
    folder = tmp_path / "shop"
    folder.mkdir()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        assert pool.map(_import, [(str(a), str(folder)), (str(c), str(folder))]) == ["ok", "ok"]
    assert len(pd.read_parquet(folder / "sessions.parquet")) == 3  # neither import lost the other's rows


def test_an_interrupted_swap_is_completed_by_the_next_writer(tmp_path: Path, files: dict[str, Path]) -> None:
    folder = tmp_path / "shop"
    import_files("douyin", [files["list"]], folder)
    stage = folder / ".import-stage-dead"
    stage.mkdir()
    new = pd.read_parquet(folder / "sessions.parquet").head(1)
    new.to_parquet(stage / "sessions.parquet", index=False)
    (folder / store.JOURNAL).write_text(json.dumps({"moves": [[f"{stage.name}/sessions.parquet", "sessions.parquet"]],
                                                    "remove": []}), encoding="utf-8")
    with store.locked(folder):  # what every import, merge and split does first
        pass
    assert len(pd.read_parquet(folder / "sessions.parquet")) == 1
    assert not (folder / store.JOURNAL).exists() and not stage.exists()
