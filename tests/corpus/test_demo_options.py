"""``liveops demo`` writes data ``liveops validate`` accepts for every option value it accepts, and refuses the rest.

Small scales keep generation fast. ``--weeks 1`` and ``2`` used to write an empty ``assignments`` table
(no experiment has started), which validation rightly refuses; a scale so small that sessions have no
viewers used to write their average watch time as NaN.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from liveops_nb.cli import main


@pytest.mark.parametrize("args", [
    ["--weeks", "1", "--scale", "0.05"],
    ["--weeks", "2", "--scale", "0.05"],
    ["--weeks", "3", "--scale", "0.02", "--seed", "0"],
    ["--weeks", "1", "--scale", "0.000001"],
], ids=["weeks1", "weeks2", "weeks3-seed0", "no-viewers"])
def test_generated_data_validates(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), *args]) == 0
    capsys.readouterr()
    assert main(["validate", str(out)]) == 0, capsys.readouterr().err
    assert "OK: " in capsys.readouterr().out
    planted = json.loads((out / "planted.json").read_text(encoding="utf-8"))
    assert planted["weeks"] == int(args[1])
    if int(args[1]) < 3:  # no experiment with units yet: no assignments file rather than an empty one
        assert not (out / "assignments.parquet").exists()


@pytest.mark.parametrize("args", [["--weeks", "0"], ["--weeks", "-2"], ["--scale", "0"], ["--scale", "nan"],
                                  ["--scale", "inf"], ["--seed", "-1"]])
def test_values_the_generator_refuses(args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "x"), *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and args[0].lstrip("-") in err
    assert not (tmp_path / "x").exists()
