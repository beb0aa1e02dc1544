"""Tests for :func:`liveops_nb.demo.generate`: files written, overwrite rules, arguments, determinism."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from liveops_nb import demo, schema
from liveops_nb.errors import LiveOpsError


def test_writes_one_file_per_table_and_planted_json(data_dir: Path) -> None:
    names = sorted(p.name for p in data_dir.iterdir())
    assert names == sorted([f"{n}.parquet" for n in schema.TABLES] + ["planted.json", "targets.csv"])
    leftovers = [p.name for p in data_dir.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # no temporary folders left next to the output


def test_refuses_non_empty_folder_and_overwrites_on_request(tmp_path: Path) -> None:
    out = tmp_path / "d"
    out.mkdir()
    assert demo.generate(out, scale=0.05, weeks=1) == out  # empty folder is fine
    marker = out / "mine.txt"
    marker.write_text("keep")
    with pytest.raises(demo.OutputExistsError):
        demo.generate(out, scale=0.05, weeks=1)
    with pytest.raises(FileExistsError):  # also a standard FileExistsError
        demo.generate(out, scale=0.05, weeks=1)
    with pytest.raises(LiveOpsError):  # and a LiveOpsError
        demo.generate(out, scale=0.05, weeks=1)
    assert marker.read_text() == "keep"
    demo.generate(out, scale=0.05, weeks=1, overwrite=True)
    assert not marker.exists()
    assert (out / "events.parquet").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


@pytest.mark.parametrize("kw", [dict(seed=-1), dict(scale=0), dict(weeks=0)])
def test_rejects_bad_arguments(tmp_path: Path, kw: dict) -> None:
    with pytest.raises(ValueError):
        demo.generate(tmp_path / "x", **kw)
    with pytest.raises(LiveOpsError):  # one exception tree: also a LiveOpsError
        demo.generate(tmp_path / "x", **kw)
    assert not (tmp_path / "x").exists()


def test_same_seed_gives_identical_files(data_dir: Path, tmp_path: Path) -> None:
    again = demo.generate(tmp_path / "again")
    for f in sorted(data_dir.iterdir()):
        assert f.read_bytes() == (again / f.name).read_bytes(), f.name


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    a = demo.generate(tmp_path / "a", seed=3, scale=0.2, weeks=2)
    b = demo.generate(tmp_path / "b", seed=3, scale=0.2, weeks=2)
    c = demo.generate(tmp_path / "c", seed=4, scale=0.2, weeks=2)
    ea, eb, ec = (pd.read_parquet(p / "events.parquet") for p in (a, b, c))
    pd.testing.assert_frame_equal(ea, eb)
    assert not ea.equals(ec)
    # a short run leaves out what does not fit, and says so in planted.json
    p = json.loads((a / "planted.json").read_text(encoding="utf-8"))
    assert p["weeks"] == 2 and p["scale"] == 0.2 and p["seed"] == 3
    assert "outage" not in p["phenomena"] and "ordinary_session" in p["phenomena"]
    assert list(p["experiments"]) == ["EXP-SCENE"]
