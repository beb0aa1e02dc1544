"""Fixtures of the A/B tests: the hand-made experiments on the tiny dataset (tests/abtest/helpers.py)."""
from __future__ import annotations

import pytest

import liveops_nb

from .helpers import tiny_experiment


@pytest.fixture()
def tds(tmp_path):
    """The tiny dataset with the experiments EXP-T, EXP-T2 (viewers) and EXP-S (sessions)."""
    return liveops_nb.open(tiny_experiment(tmp_path / "tinyexp"))
