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


SCOPES: tuple[str, ...] = ("session", "previous", "median", "benchmark", "target", "recent", "earlier", "history",
                           "next")
"""What a number shows: this session (本场), the previous session, the room's median of the last ``n``
sessions, the category P50, the session's target, the room's last ``n`` days, the ``n`` days before
those, the room's last ``n`` sessions (a trend), the next session (a target)."""


@dataclass(frozen=True)
class Figure:
    """One number of a finding with the scope it shows (the renderer labels every cell with it).

    Attributes
    ----------
    name : a registry metric key, or the name of a non-registry measure (e.g. ``"cart_to_buyer"``).
    value : the number (None / NaN when missing).
    unit : a :func:`liveops_nb.render.fmt.fmt_value` unit.
    scope : one of :data:`SCOPES`.
    n : sessions (``median``, ``history``) or days (``recent``, ``earlier``) the scope spans.
    """

    name: str
    value: float | None
    unit: str
    scope: str
    n: int | None = None
