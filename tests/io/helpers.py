"""Assertion helpers of the CSV tests."""
from __future__ import annotations

from liveops_nb.errors import DataProblem


def only(problems: list[DataProblem], column: str | None) -> DataProblem:
    """The single problem of ``column`` (fails listing all problems otherwise)."""
    hits = [p for p in problems if p.column == column]
    assert len(hits) == 1, f"expected one problem for {column}: {[str(p) for p in problems]}"
    return hits[0]
