"""``liveops import | merge | split | unmerge`` print the results and exit 1 with the package's message."""
from __future__ import annotations

from pathlib import Path

import pytest

from liveops_nb.cli import main

from . import exports

A, B = "dy_xiaomei88-20260907-0855", "dy_xiaomei88-20260907-1010"


def test_import_then_merge(tmp_path: Path, files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "shop"
    assert main(["import", "douyin", *map(str, files.values()), "--into", str(folder), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "sessions: 3 rows added" in out and f"liveops merge {folder} {A} {B}" in out
    assert main(["merge", str(folder), A, B, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "upper bounds" in out and "sessions.uv" in out
    assert main(["unmerge", f"{A}+{B}", "--data", str(folder)]) == 0
    assert main(["split", str(folder), B, "--at", "2026-09-07 10:30", "--dry-run"]) == 0
    assert "试运行" in capsys.readouterr().out


def test_errors_exit_1_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = list(exports.ROW_A)
    bad[7] = "?"
    path = exports.write_list(tmp_path / "list.csv", [bad])
    assert main(["import", "douyin", str(path), "--into", str(tmp_path / "shop")]) == 1
    err = capsys.readouterr().err
    assert "list.csv, row 2, column '直播间观看人数'" in err and "Traceback" not in err
    assert main(["merge", "only-one-id"]) == 1  # two sessions are needed
    assert "expected" in capsys.readouterr().err
