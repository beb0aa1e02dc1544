"""``liveops validate`` on damaged datasets: the package's message on stderr and a non-zero exit, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liveops_nb.cli import main
from tests.corpus.harness import CORE, snapshot
from tests.corpus.test_corpus import ALL, build

BY_NAME = {c.name: c for c in ALL}


@pytest.mark.parametrize("name,words", [
    ("dangling symlink", ["orders.parquet", "does not exist"]),
    ("truncated Parquet (first half)", ["orders.parquet", "truncated or corrupt"]),
    ("negative amount", ["orders.amount", "negative", "R01-20260831-2-O00001", "fix:"]),
    ("empty orders table (zero rows)", ["[orders]", "empty"]),
    ("file given where the folder is expected", ["sessions.parquet", "is a file, not a data folder"]),
])
def test_validate_prints_the_package_message(name: str, words: list[str], corpus_demo: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    case = BY_NAME[name]
    d = build(case, corpus_demo, tmp_path / "case")
    target = case.target(d) if case.target else d
    before = snapshot(tmp_path / "case")
    assert main(["validate", str(target)]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and "Traceback" not in err
    for w in words:
        assert w in err, err
    assert snapshot(tmp_path / "case") == before


def test_validate_accepts_the_undamaged_data(corpus_demo: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "data"
    d.mkdir()
    for t in CORE:
        os.link(corpus_demo / f"{t}.parquet", d / f"{t}.parquet")
    assert main(["validate", str(d)]) == 0
    assert "OK: 6 sessions, level=viewer" in capsys.readouterr().out


def test_validate_in_a_real_process(corpus_demo: Path, tmp_path: Path) -> None:
    d = build(BY_NAME["zero-byte Parquet"], corpus_demo, tmp_path / "case")
    run = subprocess.run([sys.executable, "-m", "liveops_nb.cli", "validate", str(d)], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "orders.parquet: file is empty (0 bytes)" in run.stderr
