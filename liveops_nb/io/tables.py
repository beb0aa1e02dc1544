"""What reading returns: Ibis tables plus what reading noticed."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataProblem


@dataclass
class RawTables:
    """Tables as read, before validation: Ibis tables plus what reading noticed."""

    con: Any
    tables: dict[str, Any]
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[DataProblem] = field(default_factory=list)
    warnings: list[DataProblem] = field(default_factory=list)
