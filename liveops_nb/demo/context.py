"""State shared by the generator's stages: the viewer pool, the sessions and the run context."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from ..schema import DEFAULT_TZ
from .params import MIN_MS


@dataclass
class Pool:
    """The viewer pool (all rooms). Arrays indexed by global user index."""

    n: int
    home: np.ndarray
    second: np.ndarray
    activity: np.ndarray
    follows: np.ndarray  # bool [n, rooms], mutated as viewers follow
    private: np.ndarray
    tier: np.ndarray
    gender: np.ndarray
    age: np.ndarray
    region: np.ndarray
    liker: np.ndarray
    talk: np.ndarray
    pre_existing: np.ndarray
    prior_first_seen_ms: np.ndarray
    coupon_grid: np.ndarray
    creative_arm: np.ndarray
    dormant: np.ndarray
    members: list[np.ndarray] = field(default_factory=list)


@dataclass
class Session:
    """One scheduled broadcast and what is planted in it."""

    idx: int
    sid: str
    room: int
    day: int
    slot: int
    start_ms: int
    length_min: int
    exp_uv: float
    title: str
    q_factor: float
    answer_rate: float
    target_mult: float
    roi: float
    planted: str = ""                    # "outage" | "mistimed" | "sell_out" | "decline" | ""
    push: bool = False                   # part of the planted period effect (more traffic, lower conversion)
    outage_minute: int = -1              # minute offset of the first outage minute
    stutter: tuple[float, float] | None = None  # (offset s, duration s)
    script_variant: int = -1
    coupon: bool = False
    creative: bool = False

    @property
    def week(self) -> int:
        return self.day // 7 + 1

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.length_min * MIN_MS


@dataclass
class Context:
    """Everything the per-session simulation reads (and the few things it updates)."""

    seed: int
    scale: float
    weeks: int
    pool: Pool
    sessions: list[Session]
    prod_id: list[str]
    prod_name: list[str]
    prod_price: np.ndarray
    prod_role: np.ndarray
    prod_room: np.ndarray
    catalog: list[np.ndarray]           # per room, global product indices
    vocab: list[str]
    vocab_index: dict[str, int]
    texts: dict[Any, Any]
    mistimed_info: dict[str, Any] = field(default_factory=dict)
    sell_out_info: dict[str, Any] = field(default_factory=dict)

    def text_id(self, s: str) -> int:
        """Index of comment text ``s`` in :attr:`vocab`, appended on first use."""
        i = self.vocab_index.get(s)
        if i is None:
            i = len(self.vocab)
            self.vocab.append(s)
            self.vocab_index[s] = i
        return i


def local_ms(d: date, minutes: int) -> int:
    """Epoch milliseconds of local (Asia/Shanghai) midnight of ``d`` + ``minutes``."""
    ts = pd.Timestamp(datetime(d.year, d.month, d.day), tz=DEFAULT_TZ) + pd.Timedelta(minutes=minutes)
    return int(ts.value // 1_000_000)


def iso(ms: int) -> str:
    """ISO 8601 local time (Asia/Shanghai) of epoch milliseconds ``ms``."""
    return pd.Timestamp(int(ms) * 1_000_000, tz="UTC").tz_convert(DEFAULT_TZ).isoformat()
