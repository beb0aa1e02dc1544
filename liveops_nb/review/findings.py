"""What an analysis found, without words: a finding code and its parameters.

Review sections return findings (e.g. ``Finding("traffic_concentrated", {"channel": "千川",
"share": 0.67, ...})``); the section's renderer in :mod:`liveops_nb.render.review` turns each
code into 中文 or English text, formatting the parameters.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One statement an analysis makes about a session.

    Attributes
    ----------
    code : stable identifier of the statement (the renderer's text key).
    params : the values the statement is about (numbers, metric keys, names, reason codes).
    """

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
