"""Fixtures of the CLI tests: the tiny dataset with experiments, and running `liveops` in process."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from liveops_nb.cli import main
from tests.abtest.helpers import tiny_experiment

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture()
def tx_dir(tmp_path: Path) -> Path:
    """devtools/tiny.py plus the experiments EXP-T, EXP-T2 (viewers) and EXP-S (sessions) of tests/abtest."""
    return tiny_experiment(tmp_path / "tx")


@pytest.fixture()
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run("sessions", "--data", d)`` -> (exit code, stdout, stderr); LIVEOPS_DATA unset unless a test sets it."""
    monkeypatch.delenv("LIVEOPS_DATA", raising=False)

    def go(*args: object) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return code, out, err
    return go
