"""The small demo dataset every corpus case starts from (seed 7, scale 0.06, one week; its orders row 0 is a paid order), generated once."""
from __future__ import annotations

from pathlib import Path

import pytest

from liveops_nb.demo import generate
from tests.corpus.harness import CORE, Base, base_numbers


@pytest.fixture(scope="session")
def corpus_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every table of the small demo dataset (about 5 700 events, 16 orders, 6 sessions)."""
    return generate(tmp_path_factory.mktemp("corpus") / "demo", seed=7, scale=0.06, weeks=1)


@pytest.fixture(scope="session")
def corpus_base(corpus_demo: Path) -> Base:
    """Hand reference numbers of the undamaged core tables."""
    assert all((corpus_demo / f"{t}.parquet").exists() for t in CORE)
    return base_numbers(corpus_demo)
