"""Fixtures for liveops_nb.comments: hand-made Chinese 弹幕 frames.

Every expected value in these tests is written out by hand (not computed by
the code under test).
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from liveops_nb.comments import classify_comments

from . import data


@pytest.fixture
def make_frame() -> Callable[..., pd.DataFrame]:
    """Build a comments frame from ``(comment_id, session_id, user_id, seconds after T0, text, reply_to)`` rows."""
    return data.make_frame


@pytest.fixture
def main_rows() -> list:
    """The main hand-classified rows: ``(row, kind, is_question, answered)``."""
    return data.MAIN_ROWS


@pytest.fixture
def main_frame() -> pd.DataFrame:
    # a non-default index checks that the output keeps the input index
    rows = [r[0] for r in data.MAIN_ROWS]
    return data.make_frame(rows, index=range(100, 100 + len(rows)))


@pytest.fixture
def classified(main_frame) -> pd.DataFrame:
    return classify_comments(main_frame)
