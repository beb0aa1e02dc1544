"""Validation and the all-sessions table kept in the on-disk store: reused on unchanged data, redone on any change."""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import liveops_nb
import liveops_nb.validate as validate_mod
from devtools import tiny
from liveops_nb.engine import compute


@pytest.fixture()
def counted(monkeypatch):
    """Counts the runs of validation (the store calls ``liveops_nb.validate.validate_tables``)."""
    calls = []
    real = validate_mod.validate_tables

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(validate_mod, "validate_tables", spy)
    return calls


def _with_warning(tmp_path: Path) -> Path:
    """The tiny dataset with a column the data model does not know (a warning, not an error)."""
    rooms = tiny.tables()["rooms"].assign(mood="calm")
    return tiny.write(tmp_path / "warn", overrides={"rooms": rooms})


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_unchanged_folder_is_validated_once_and_warnings_repeat(tmp_path, counted):
    folder = _with_warning(tmp_path)
    first = liveops_nb.open(folder)
    assert len(counted) == 1
    assert [w.column for w in first.warnings] == ["mood"]
    second = liveops_nb.open(folder)
    assert len(counted) == 1  # served from the store
    assert second.warnings == first.warnings


def test_a_changed_row_is_validated_again_and_its_problem_reported(tmp_path, counted):
    folder = tiny.write(tmp_path / "d")
    liveops_nb.open(folder)
    orders = pd.read_parquet(folder / "orders.parquet")
    orders.loc[orders.order_id == "o2", "amount"] = -300.0
    orders.to_parquet(folder / "orders.parquet", index=False)
    with pytest.raises(liveops_nb.DataValidationError) as info:
        liveops_nb.open(folder)
    assert len(counted) == 2
    hit = [p for p in info.value.problems if p.table == "orders" and p.column == "amount"]
    assert hit and hit[0].n_rows == 1 and hit[0].rows[0]["order_id"] == "o2"
    with pytest.raises(liveops_nb.DataValidationError):  # the refusal is reproduced from the store too
        liveops_nb.open(folder)
    assert len(counted) == 2


@pytest.mark.parametrize("change", ["touch", "add", "remove"])
def test_touched_added_or_removed_file_validates_again(tmp_path, counted, change):
    folder = tiny.write(tmp_path / "d")
    liveops_nb.open(folder)
    if change == "touch":
        st = (folder / "rooms.parquet").stat()
        os.utime(folder / "rooms.parquet", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    elif change == "add":
        (folder / "notes.txt").write_text("hello")
    else:
        (folder / "comments.parquet").unlink()
    liveops_nb.open(folder)
    assert len(counted) == 2


def test_store_never_writes_into_the_data_folder(tmp_path):
    folder = tiny.write(tmp_path / "d")
    before = _listing(folder)
    for _ in range(2):
        ds = liveops_nb.open(folder)
        ds.sessions()
    assert _listing(folder) == before


def test_sessions_served_from_the_store_and_never_stale(tmp_path, monkeypatch):
    folder = tiny.write(tmp_path / "d")
    cold = liveops_nb.open(folder).sessions(["gmv", "uv"])
    real = compute.base_table

    def refuse(*args, **kwargs):
        raise AssertionError("computed again")

    cold_kpis = liveops_nb.open(folder).kpis(["gmv", "uv", "gpm"])
    monkeypatch.setattr(compute, "base_table", refuse)
    again = liveops_nb.open(folder)  # a new dataset, as in a new process
    warm = again.sessions(["gmv", "uv"])
    pd.testing.assert_frame_equal(warm, cold)
    warm_kpis = again.kpis(["gmv", "uv", "gpm"])
    pd.testing.assert_frame_equal(warm_kpis, cold_kpis)
    assert warm_kpis.attrs == cold_kpis.attrs and "people_summed" in warm_kpis.attrs
    monkeypatch.setattr(compute, "base_table", real)
    # S1's orders are o1 100, o2 300, o3 100 (devtools/tiny.py): o2 at 350 makes S1's GMV 100 + 350 + 100 = 550
    orders = pd.read_parquet(folder / "orders.parquet")
    orders.loc[orders.order_id == "o2", "amount"] = 350.0
    orders.to_parquet(folder / "orders.parquet", index=False)
    after = liveops_nb.open(folder).sessions(["gmv", "uv"]).set_index("session_id")
    assert after.loc["S1", "gmv"] == 550.0
    assert after.loc["S2", "gmv"] == cold.set_index("session_id").loc["S2", "gmv"]


def test_off_runs_validation_every_time(tmp_path, counted, monkeypatch):
    monkeypatch.setenv("LIVEOPS_CACHE", "off")
    folder = tiny.write(tmp_path / "d")
    liveops_nb.open(folder)
    liveops_nb.open(folder)
    assert len(counted) == 2
