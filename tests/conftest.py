"""Shared fixtures: the hand-made tiny dataset and the default-scale demo dataset (generated once)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from devtools import tiny

# an unregistered text key is an error in tests (pages show the key itself instead)
os.environ.setdefault("LIVEOPS_STRICT_TEXT", "1")

ROOT = Path(__file__).resolve().parents[1]
DEMO_CACHE = ROOT / "tests" / ".cache" / "demo-seed7"


@pytest.fixture()
def tiny_dir(tmp_path: Path) -> Path:
    return tiny.write(tmp_path / "tiny")


@pytest.fixture()
def tiny_ds(tiny_dir: Path):
    import liveops_nb

    return liveops_nb.open(tiny_dir)


@pytest.fixture()
def tiny_aggregate_dir(tmp_path: Path) -> Path:
    """The tiny dataset as platform totals only: sessions carry ``tiny.SESSION_TOTALS``; no events, orders or comments."""
    return tiny.write(tmp_path / "agg", aggregate_only=True)


@pytest.fixture()
def tiny_aggregate_ds(tiny_aggregate_dir: Path):
    import liveops_nb

    return liveops_nb.open(tiny_aggregate_dir)


def _demo_dir() -> Path:
    """Generate the default demo dataset once per checkout (safe with parallel workers)."""
    if (DEMO_CACHE / "planted.json").exists():
        return DEMO_CACHE
    from liveops_nb.demo import generate

    tmp = DEMO_CACHE.with_name(f"demo-seed7.tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    generate(tmp, seed=7)
    try:
        tmp.rename(DEMO_CACHE)
    except OSError:  # another worker finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return DEMO_CACHE


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return _demo_dir()


@pytest.fixture(scope="session")
def demo_ds(demo_dir: Path):
    import liveops_nb

    return liveops_nb.open(demo_dir)


@pytest.fixture(scope="session")
def planted(demo_dir: Path) -> dict:
    import json

    return json.loads((demo_dir / "planted.json").read_text(encoding="utf-8"))
