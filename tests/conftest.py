"""Shared fixtures: the hand-made tiny dataset and the default-scale demo dataset (generated once)."""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from devtools import tiny

# an unregistered text key is an error in tests (pages show the key itself instead)
os.environ.setdefault("LIVEOPS_STRICT_TEXT", "1")
# the on-disk result store (liveops_nb/engine/store.py): a fresh folder per test session, never a user's cache
_RESULT_CACHE = tempfile.mkdtemp(prefix="liveops-test-cache-")
os.environ["LIVEOPS_CACHE"] = _RESULT_CACHE
atexit.register(shutil.rmtree, _RESULT_CACHE, True)

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


def _generator_stamp() -> str:
    """A hash of the demo generator's sources: a cached dataset from another generator is regenerated."""
    h = hashlib.sha256()
    for path in sorted((ROOT / "liveops_nb" / "demo").glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def _demo_dir() -> Path:
    """Generate the default demo dataset once per checkout and generator (safe with parallel workers)."""
    from filelock import FileLock

    stamp_file = DEMO_CACHE / ".generator"
    stamp = _generator_stamp()
    DEMO_CACHE.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(DEMO_CACHE.parent / "demo-seed7.lock")):
        if (DEMO_CACHE / "planted.json").exists() and stamp_file.exists() and stamp_file.read_text() == stamp:
            return DEMO_CACHE
        from liveops_nb.demo import generate

        tmp = DEMO_CACHE.with_name(f"demo-seed7.tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        generate(tmp, seed=7)
        (tmp / ".generator").write_text(stamp)
        shutil.rmtree(DEMO_CACHE, ignore_errors=True)
        tmp.rename(DEMO_CACHE)
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
