"""Deterministic, realistic synthetic dataset for demos, notebooks and tests.

>>> from liveops_nb.demo import generate
>>> generate("data/demo")            # doctest: +SKIP
PosixPath('data/demo')

:func:`generate` writes one Parquet file per table of :data:`liveops_nb.schema.TABLES`
(``<table>.parquet``) plus ``planted.json``, the answer key of the phenomena
planted in the data (an outage, a mistimed pitch, a refund rise, a dormant
cohort, an ordinary session, and three experiments with known true effects).
``docs/demo-data.md`` describes the content.

How it works
------------
1. *Setup* (one seeded generator): rooms, product catalogues, a viewer pool per
   room (with a small share of viewers belonging to two rooms), the session
   schedule (3 rooms × 2 sessions a day), experiment assignments.
2. *Simulation*, one session at a time, in start order, each session with its
   own generator ``default_rng([seed, 1, session_index])``. Within a session all
   work is vectorised over viewers, visits and events: impressions follow an
   arrival-intensity curve (ramp-up, bumps at traffic-driver pitches, troughs),
   viewers enter with a channel-dependent probability, stay a lognormal time,
   sometimes come back, and while watching like, comment, share, follow, see
   and click products, add to cart and order.
3. *Aggregation* in pandas from the viewer-level tables, following the
   derivation rules documented in ``docs/demo-data.md`` (the same rules the
   package's derivation engine implements).

Same ``seed``/``scale``/``weeks`` → byte-identical files. Nothing depends on
the wall clock or on set ordering.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import demo_text as txt
from .errors import LiveOpsError
from .schema import DEFAULT_TZ, EVENT_TYPES, TABLES

__all__ = ["generate", "OutputExistsError", "START_DATE", "CHANNELS", "CHANNEL_GROUP"]

START_DATE = date(2026, 9, 7)  # a Monday
ROOM_IDS = tuple(r[0] for r in txt.ROOMS)

# Douyin channel names (METRICS.md). Used for all rooms, including the Kuaishou one.
CHANNELS: tuple[str, ...] = (
    "直播推荐", "短视频引流", "关注", "搜索", "个人主页&店铺&橱窗", "商城推荐",
    "千川", "品牌广告", "随心推", "社群",
)
CHANNEL_GROUP: dict[str, str] = {c: "organic" for c in CHANNELS}
CHANNEL_GROUP.update({"千川": "paid", "品牌广告": "paid", "随心推": "paid", "社群": "private"})
_CH = {c: i for i, c in enumerate(CHANNELS)}
_PAID = np.array([CHANNEL_GROUP[c] == "paid" for c in CHANNELS])

# event type codes (index into schema.EVENT_TYPES)
_E = {e: i for i, e in enumerate(EVENT_TYPES)}
IMP, ENTER, EXIT = _E["impression"], _E["enter"], _E["exit"]
COMMENT, LIKE, SHARE, FOLLOW = _E["comment"], _E["like"], _E["share"], _E["follow"]
PIMP, PCLICK, CART, ORDER = _E["product_impression"], _E["product_click"], _E["cart"], _E["order"]

ROLES = ("traffic_driver", "profit", "regular")
TD, PF, RG = 0, 1, 2
STATUSES = ("paid", "refunded", "partially_refunded")

MS = 1000
MIN_MS = 60_000
DAY_MS = 86_400_000


# ----------------------------------------------------------------- parameters
# Behaviour parameters. Changing any of them changes the data for every seed.
ROOM_BASE_UV = (150.0, 180.0, 115.0)        # expected viewers (UV) of a session at scale 1
SLOT_FACTOR = (0.75, 1.25)                  # afternoon, evening
WEEKDAY_FACTOR = (0.92, 0.95, 0.97, 1.00, 1.06, 1.12, 1.08)
WEEKLY_GROWTH = 0.035                       # +3.5 % expected UV per week
POOL_PER_ROOM = 20_000                      # viewer pool per room at scale 1
SHARED_SHARE = 0.06                         # share of viewers also in a second room
# impression share of the "open" channels (关注 only for followers, 社群 only for private domain)
BASE_MIX = {"直播推荐": 0.34, "短视频引流": 0.14, "搜索": 0.05, "个人主页&店铺&橱窗": 0.04,
            "商城推荐": 0.09, "千川": 0.17, "品牌广告": 0.04, "随心推": 0.07}
FOLLOW_CHANNEL_SHARE = 0.40                 # a follower's impression comes from 关注
PRIVATE_CHANNEL_SHARE = 0.30                # a private-domain member's impression comes from 社群
P_ENTER = {"直播推荐": 0.22, "短视频引流": 0.30, "关注": 0.55, "搜索": 0.45, "个人主页&店铺&橱窗": 0.40,
           "商城推荐": 0.20, "千川": 0.25, "品牌广告": 0.15, "随心推": 0.25, "社群": 0.50}
ENTER_MEAN = 0.30                           # overall impression→enter, to size impressions
WATCH_MEDIAN_S = (150.0, 130.0, 170.0)      # lognormal median watch time per room
WATCH_SIGMA = 1.15
P_REENTER = (0.16, 0.30)                    # non-follower, follower
LIKE_RATE, COMMENT_RATE, SHARE_RATE = 0.09, 0.04, 0.006   # per watched minute
P_FOLLOW = 0.07
CLICK_RATE = (0.32, 0.16, 0.20)             # per product impression, by role
BUY_RATE = (0.32, 0.22, 0.18)               # P(order | clicked) per person, by room
TIER_BUY = (0.85, 1.05, 1.35, 1.70)
BUY_ROLE_WEIGHT = (1.5, 0.7, 1.0)           # which clicked product a buyer buys
REFUND_RATE = (0.060, 0.055, 0.080)         # share of orders refunded, by room
REFUND_RATE_RISE = 0.24                     # R02 in the refund-rise weeks
COMMENT_KIND_P = (0.28, 0.38, 0.10, 0.24)   # question, remark, spam, emoji
PAID_ROI = (1.6, 3.6)                       # per-session paid ROI drawn uniformly

# planted phenomena (days are 0-based offsets from START_DATE)
OUTAGE = dict(room=2, day=4 * 7 + 2, slot=1, minutes=8)      # R03, week 5 Wednesday evening
MISTIMED = dict(room=1, day=5 * 7 + 3, slot=1)               # R02, week 6 Thursday evening
REFUND_RISE = dict(room=1, first_week=6)                     # R02 from week 6 on
DORMANT = dict(room=0, cohort_weeks=(1, 2), last_active_week=3, share=0.40)
EXPERIMENT_SPECS: dict[str, dict[str, Any]] = {
    "EXP-SCRIPT": dict(room=1, weeks=(3, 6), unit="session", variable="script",
                       variants=("A", "B"), control="A", split="A:0.5,B:0.5",
                       primary_metric="click_to_order_rate",
                       effect={"A": 1.0, "B": 1.20}, lever="P(order | product click) per person"),
    "EXP-COUPON": dict(room=0, weeks=(4, 7), unit="viewer", variable="coupon",
                       variants=("list", "grid"), control="list", split="list:0.5,grid:0.5",
                       primary_metric="view_to_order_rate",
                       effect={"list": 1.0, "grid": 1.15}, lever="P(order) of each viewer"),
    "EXP-CREATIVE": dict(room=2, weeks=(2, 5), unit="viewer", variable="creative",
                         variants=("15s", "30s", "60s"), control="15s",
                         split="15s:0.3333,30s:0.3333,60s:0.3334",
                         primary_metric="impression_to_view_rate",
                         effect={"15s": 1.0, "30s": 1.10, "60s": 1.00}, lever="P(enter | impression)"),
}


class OutputExistsError(LiveOpsError, FileExistsError):
    """The output folder exists and is not empty."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"output folder '{path}' exists and is not empty; pass overwrite=True to replace it "
                         f"or choose another folder.")


# ===================================================================== setup
@dataclass
class _Pool:
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
class _Session:
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
    planted: str = ""                    # "outage" | "mistimed" | ""
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
class _Ctx:
    seed: int
    scale: float
    weeks: int
    pool: _Pool
    sessions: list[_Session]
    prod_id: list[str]
    prod_name: list[str]
    prod_price: np.ndarray
    prod_role: np.ndarray
    prod_room: np.ndarray
    catalog: list[np.ndarray]           # per room, global product indices
    vocab: list[str]
    vocab_index: dict[str, int]
    texts: dict[str, Any]
    mistimed_info: dict[str, Any] = field(default_factory=dict)

    def text_id(self, s: str) -> int:
        i = self.vocab_index.get(s)
        if i is None:
            i = len(self.vocab)
            self.vocab.append(s)
            self.vocab_index[s] = i
        return i


def _local_ms(d: date, minutes: int) -> int:
    """Epoch milliseconds of local (Asia/Shanghai) midnight of ``d`` + ``minutes``."""
    ts = pd.Timestamp(datetime(d.year, d.month, d.day), tz=DEFAULT_TZ) + pd.Timedelta(minutes=minutes)
    return int(ts.value // 1_000_000)


def _weighted_choice(rng: np.random.Generator, weights: Sequence[float], size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(len(p), size=size, p=p / p.sum())


def _make_products(rng: np.random.Generator) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    ids: list[str] = []
    names: list[str] = []
    prices: list[float] = []
    roles: list[int] = []
    rooms: list[int] = []
    catalog: list[np.ndarray] = []
    for r, rid in enumerate(ROOM_IDS):
        items = txt.PRODUCTS[rid]
        n = int(rng.integers(15, 26))
        n = min(n, len(items))
        pick = np.sort(rng.choice(len(items), size=n, replace=False))
        chosen = sorted((items[i] for i in pick), key=lambda x: (x[1], x[0]))
        n_td = max(3, round(n * 0.2))
        n_pf = max(3, round(n * 0.25))
        idx = []
        for k, (name, price) in enumerate(chosen):
            role = TD if k < n_td else (PF if k >= n - n_pf else RG)
            idx.append(len(ids))
            ids.append(f"P{r + 1}{k + 1:03d}")
            names.append(name)
            prices.append(price)
            roles.append(role)
            rooms.append(r)
        catalog.append(np.array(idx, dtype=np.int64))
    return (ids, names, np.array(prices), np.array(roles, dtype=np.int8),
            np.array(rooms, dtype=np.int8), catalog)


def _make_pool(rng: np.random.Generator, scale: float, start_ms: int) -> _Pool:
    per_room = max(200, int(round(POOL_PER_ROOM * scale)))
    n_rooms = len(ROOM_IDS)
    n = per_room * n_rooms
    home = np.repeat(np.arange(n_rooms, dtype=np.int8), per_room)
    shared = rng.random(n) < SHARED_SHARE
    other = (home + rng.integers(1, n_rooms, n)) % n_rooms
    second = np.where(shared, other, -1).astype(np.int8)
    activity = rng.lognormal(0.0, 1.0, n)
    follows = np.zeros((n, n_rooms), dtype=bool)
    follows[np.arange(n), home] = rng.random(n) < 0.15
    private = rng.random(n) < np.where(follows.any(axis=1), 0.25, 0.05)
    tier = _weighted_choice(rng, [w for _, w in txt.MEMBER_TIERS], n).astype(np.int8)
    gender = np.empty(n, dtype=np.int8)
    age = np.empty(n, dtype=np.int8)
    for r, room in enumerate(txt.ROOMS):
        m = home == r
        female, ages = txt.AUDIENCES[room[5]]
        gender[m] = np.where(rng.random(m.sum()) < female, 0, 1)
        age[m] = _weighted_choice(rng, ages, int(m.sum()))
    gender[rng.random(n) < 0.04] = -1
    age[rng.random(n) < 0.06] = -1
    region = _weighted_choice(rng, [w for _, w in txt.REGIONS], n).astype(np.int16)
    region[rng.random(n) < 0.03] = -1
    liker = np.where(rng.random(n) < 0.4, 0.0, rng.lognormal(0.0, 0.8, n))
    talk = rng.lognormal(-0.3, 1.0, n)
    pre_existing = follows.any(axis=1) | private | (rng.random(n) < 0.2)
    prior = start_ms - (rng.uniform(1.0, 540.0, n) * DAY_MS).astype(np.int64)
    prior = prior - prior % MS
    coupon_grid = rng.random(n) < 0.5
    creative_arm = rng.integers(0, 3, n).astype(np.int8)
    pool = _Pool(n=n, home=home, second=second, activity=activity, follows=follows, private=private,
                 tier=tier, gender=gender, age=age, region=region, liker=liker, talk=talk,
                 pre_existing=pre_existing, prior_first_seen_ms=prior, coupon_grid=coupon_grid,
                 creative_arm=creative_arm, dormant=np.zeros(n, dtype=bool))
    pool.members = [np.flatnonzero((home == r) | (second == r)) for r in range(n_rooms)]
    return pool


def _make_sessions(rng: np.random.Generator, scale: float, weeks: int) -> list[_Session]:
    out: list[_Session] = []
    for day in range(weeks * 7):
        d = START_DATE + timedelta(days=day)
        week = day // 7 + 1
        for slot in (0, 1):
            for r, rid in enumerate(ROOM_IDS):
                if slot == 0:
                    start_min = 12 * 60 + int(rng.integers(-10, 16))
                    length = int(rng.integers(90, 151))
                else:
                    start_min = 19 * 60 + 30 + int(rng.integers(-10, 16))
                    length = int(rng.integers(150, 211))
                exp_uv = (ROOM_BASE_UV[r] * SLOT_FACTOR[slot] * WEEKDAY_FACTOR[d.weekday()]
                          * (1 + WEEKLY_GROWTH * (week - 1)) * rng.lognormal(0.0, 0.12) * scale)
                theme = txt.THEMES[rid][int(rng.integers(len(txt.THEMES[rid])))]
                tmpl = txt.TITLES[rid][int(rng.integers(len(txt.TITLES[rid])))]
                title = tmpl.format(md=f"{d.month}.{d.day}", theme=theme)
                if slot == 1:
                    title += "（晚场）"
                out.append(_Session(
                    idx=len(out), sid=f"{rid}-{d:%Y%m%d}-{slot + 1}", room=r, day=day, slot=slot,
                    start_ms=_local_ms(d, start_min), length_min=length, exp_uv=exp_uv, title=title,
                    q_factor=float(rng.lognormal(0.0, 0.08)), answer_rate=float(rng.uniform(0.6, 0.9)),
                    target_mult=float(rng.uniform(1.0, 1.2)), roi=float(rng.uniform(*PAID_ROI)),
                ))
    return out


def _plant(rng: np.random.Generator, sessions: list[_Session], weeks: int) -> dict[str, Any]:
    """Mark planted sessions and experiment windows. Returns experiment setup info."""
    by_key = {(s.room, s.day, s.slot): s for s in sessions}
    if weeks >= 5:
        s = by_key[(OUTAGE["room"], OUTAGE["day"], OUTAGE["slot"])]
        s.planted = "outage"
        s.outage_minute = int(round(s.length_min * rng.uniform(0.42, 0.58)))
    if weeks >= 6:
        by_key[(MISTIMED["room"], MISTIMED["day"], MISTIMED["slot"])].planted = "mistimed"
    # two logged minor stutters in ordinary sessions of different rooms (weeks 1-4)
    cands = [s for s in sessions if not s.planted and s.week <= 4 and not (s.room == 0 and s.slot == 1)]
    picked: list[_Session] = []
    for i in rng.permutation(len(cands)):
        s = cands[int(i)]
        if all(p.room != s.room for p in picked):
            picked.append(s)
        if len(picked) == 2:
            break
    for s in picked:
        off = round(s.length_min * rng.uniform(0.25, 0.75)) * 60.0 + float(rng.integers(0, 60))
        s.stutter = (off, float(rng.integers(60, 181)))
    exp_info: dict[str, Any] = {}
    for eid, spec in EXPERIMENT_SPECS.items():
        w0, w1 = spec["weeks"]
        if weeks < w1:
            continue
        in_win = [s for s in sessions if s.room == spec["room"] and w0 <= s.week <= w1]
        if eid == "EXP-SCRIPT":
            perm = rng.permutation(len(in_win))
            half = len(in_win) // 2
            for rank, i in enumerate(perm):
                in_win[int(i)].script_variant = 0 if rank < half else 1
        for s in in_win:
            if eid == "EXP-COUPON":
                s.coupon = True
            elif eid == "EXP-CREATIVE":
                s.creative = True
        exp_info[eid] = [s.idx for s in in_win]
    return exp_info


def _setup(seed: int, scale: float, weeks: int) -> tuple[_Ctx, dict[str, Any]]:
    rng = np.random.default_rng([seed, 0])
    ids, names, prices, roles, rooms, catalog = _make_products(rng)
    pool = _make_pool(rng, scale, _local_ms(START_DATE, 0))
    sessions = _make_sessions(rng, scale, weeks)
    exp_info = _plant(rng, sessions, weeks)
    vocab: list[str] = []
    ctx = _Ctx(seed=seed, scale=scale, weeks=weeks, pool=pool, sessions=sessions, prod_id=ids,
               prod_name=names, prod_price=prices, prod_role=roles, prod_room=rooms, catalog=catalog,
               vocab=vocab, vocab_index={}, texts={})
    t: dict[str, Any] = {}
    for r, rid in enumerate(ROOM_IDS):
        t[("q", r)] = np.array([ctx.text_id(s) for s in txt.QUESTIONS_COMMON + txt.QUESTIONS_ROOM[rid]])
        t[("rem", r)] = np.array([ctx.text_id(s) for s in txt.REMARKS_COMMON + txt.REMARKS_ROOM[rid]])
    t["spam"] = np.array([ctx.text_id(s) for s in txt.SPAM])
    t["emoji"] = np.array([ctx.text_id(s) for s in txt.EMOJI_ONLY])
    t["flood"] = np.array([ctx.text_id(s) for s in txt.FLOOD])
    t["generic_reply"] = np.array([ctx.text_id(s) for s in txt.HOST_REPLIES_GENERIC])
    ctx.texts = t
    return ctx, exp_info


# ================================================================ simulation
def _cents(x: Any) -> np.ndarray:
    """Round money to 0.01 like SQL ``ROUND(x, 2)`` (DuckDB): the exact binary value, ties away from zero.

    NumPy's ``round`` is half-to-even on a scaled value (8.295 → 8.3 but 4.625 → 4.62); this
    matches DuckDB (8.295 → 8.29, 4.625 → 4.63) so independently derived tables agree.
    """
    x = np.asarray(x, dtype=float)
    y = np.abs(x) * 100.0
    out = np.copysign(np.floor(y + 0.5), x) / 100.0
    near = np.flatnonzero(np.abs(y - np.floor(y) - 0.5) < 1e-6)  # (near) ties: decide exactly
    if near.size:
        out = out.copy()
        flat = out.reshape(-1)
        for i in near:  # rare: a handful of values per table
            v = float(x.reshape(-1)[i])
            flat[i] = float(Decimal(v).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return out


def _window(t: np.ndarray, a: float, b: float, edge: float = 2.0) -> np.ndarray:
    """Smooth 0..1 window over [a, b] (minutes) with linear edges."""
    up = np.clip((t - a + edge / 2) / edge, 0.0, 1.0)
    down = np.clip((b - t + edge / 2) / edge, 0.0, 1.0)
    return up * down


def _plan(s: _Session, ctx: _Ctx, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Line-up, pitch segments (seconds from start) and the per-minute arrival intensity."""
    L = s.length_min
    T = L * 60.0
    mistimed = s.planted == "mistimed"
    n = int(rng.integers(7, 10)) if mistimed else int(rng.integers(6, 13))
    # line-up: traffic driver → profit → regular, repeated
    cat = ctx.catalog[s.room]
    by_role = [cat[ctx.prod_role[cat] == k] for k in (TD, PF, RG)]
    n_td = min(len(by_role[TD]), max(2, round(n * 0.3)))
    n_pf = min(len(by_role[PF]), max(2, round(n * 0.25)))
    n_rg = min(len(by_role[RG]), n - n_td - n_pf)
    chosen = [list(rng.choice(by_role[k], size=m, replace=False)) for k, m in ((TD, n_td), (PF, n_pf), (RG, n_rg))]
    top = int(by_role[PF][np.argmax(ctx.prod_price[by_role[PF]])])
    if mistimed and top not in chosen[PF]:
        chosen[PF][0] = top
    seq: list[int] = []
    order = (TD, PF, RG)
    k = 0
    while any(chosen):
        role = order[k % 3]
        k += 1
        if chosen[role]:
            seq.append(int(chosen[role].pop(0)))
    lineup = np.array(seq[:n], dtype=np.int64)
    n = len(lineup)
    roles = ctx.prod_role[lineup]

    amp = rng.uniform(0.6, 1.1, n)
    spill = np.ones(n)
    alpha = np.full(n, 6.0)
    j = kpk = -1
    if mistimed:
        # the most expensive profit product goes to the middle slot, which is made long and
        # starved of arrivals; a cheap traffic driver earlier gets the one big traffic wave
        pf_pos = np.flatnonzero(roles == PF)
        j = int(pf_pos[np.argmin(np.abs(pf_pos - n // 2))])
        pos_top = int(np.flatnonzero(lineup == top)[0])
        lineup[[j, pos_top]] = lineup[[pos_top, j]]
        roles = ctx.prod_role[lineup]
        td_pos = np.flatnonzero((roles == TD) & (np.abs(np.arange(n) - j) >= 2))
        kpk = int(td_pos[np.argmin(np.abs(td_pos - (j - 2)))])
        amp = np.minimum(amp, 0.7)
        amp[kpk] = 3.0
        spill[kpk] = 0.0
        if j > 0 and roles[j - 1] == TD:  # no traffic wave spilling into the mistimed slot
            amp[j - 1] = 0.3
            spill[j - 1] = 0.0
        alpha[j] = 15.0

    # pitch segments: consecutive, small gaps, covering most of the broadcast
    warm = rng.uniform(3, 8) * 60
    tail = rng.uniform(3, 8) * 60
    gaps = rng.uniform(20, 150, n - 1)
    avail = T - warm - tail - gaps.sum()
    lens = rng.dirichlet(alpha) * avail
    if mistimed and lens[j] < min(1800.0, 0.25 * avail):  # the mistimed slot lasts ≥ 30 min
        want = min(1800.0, 0.25 * avail)
        others = np.arange(n) != j
        lens[others] *= (avail - want) / lens[others].sum()
        lens[j] = want
    p_start = np.round(warm + np.concatenate([[0.0], np.cumsum(lens[:-1] + gaps)]))
    p_end = np.round(p_start + lens)

    t = np.arange(L) + 0.5
    shape = (1 - np.exp(-t / rng.uniform(3, 7))) * (1 - (0.0 if mistimed else 0.25) * t / L)
    shape[t > L - 5] *= 0.7
    bump = np.zeros(L)
    for i in range(n):
        a, b = p_start[i] / 60, p_end[i] / 60
        if roles[i] == TD:
            nxt = (p_end[i + 1] - p_start[i + 1]) / 60 if i + 1 < n else 0.0
            if i == kpk:  # planted peak: arrivals lead the pitch so that online peaks inside it
                bump += amp[i] * _window(t, a - 3.0, b - 2.5, 3.0)
            else:
                bump += amp[i] * _window(t, a, b + 0.5 * nxt * spill[i], 3.0)
        elif roles[i] == RG and not mistimed:
            bump -= 0.12 * _window(t, a, b)
    eps = rng.normal(0, 0.15, L)
    noise = np.empty(L)
    acc = 0.0
    for i in range(L):  # AR(1) over minutes (a few hundred steps per session)
        acc = 0.7 * acc + eps[i]
        noise[i] = acc
    lam = shape * (1 + bump) * np.exp(noise * 0.7)
    if mistimed:
        a, b = p_start[j] / 60, p_end[j] / 60
        # arrivals collapse from a few minutes before the pitch so that online is lowest during it
        lam *= 1 - 0.85 * _window(t, a - 6.0, b - 4.0, 2.0)
        ctx.mistimed_info = dict(session=s.idx, product=int(lineup[j]), start=float(p_start[j]),
                                 end=float(p_end[j]), peak_product=int(lineup[kpk]),
                                 peak_start=float(p_start[kpk]), peak_end=float(p_end[kpk]))
    if s.planted == "outage":
        m0 = s.outage_minute
        lam[m0:m0 + OUTAGE["minutes"]] = 0.0
        lam[m0 + OUTAGE["minutes"]:m0 + OUTAGE["minutes"] + 4] *= 2.0
    return lineup, p_start, p_end, np.maximum(lam, 1e-6)


def _top_k(rng: np.random.Generator, w: np.ndarray, k: int) -> np.ndarray:
    """Weighted sample of k distinct indices (Gumbel top-k). Weight 0 is never drawn."""
    with np.errstate(divide="ignore"):
        keys = np.log(w) + rng.gumbel(size=w.size)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    sel = np.argpartition(-keys, k - 1)[:k]
    return np.sort(sel)


def _simulate(s: _Session, ctx: _Ctx, rng: np.random.Generator) -> dict[str, Any]:
    pool = ctx.pool
    r = s.room
    L = s.length_min
    T = L * 60.0
    lineup, p_start, p_end, lam = _plan(s, ctx, rng)
    n_p = len(lineup)
    roles = ctx.prod_role[lineup]
    disc = np.round(rng.uniform(0.78, 0.95, n_p), 2)  # live price = list × discount

    # blocked window (outage) and forced drops (outage, stutter)
    block: tuple[float, float] | None = None
    breaks: list[tuple[float, float, float, bool]] = []
    if s.planted == "outage":
        m0 = s.outage_minute
        tf, tr = m0 * 60.0 - 50.0, (m0 + OUTAGE["minutes"]) * 60.0
        block = (tf, tr)
        breaks.append((tf, 1.0, 45.0, True))  # the stream is gone: every viewer drops
    if s.stutter is not None:
        breaks.append((s.stutter[0], 0.12, 30.0, False))

    def blocked(t: np.ndarray) -> np.ndarray:
        if block is None:
            return np.zeros(t.shape, dtype=bool)
        return (t >= block[0]) & (t < block[1])

    # ---- who is shown the room
    members = pool.members[r]
    w = pool.activity[members] * np.where(pool.follows[members, r], 3.0, 1.0) \
        * np.where(pool.home[members] == r, 1.0, 0.5)
    w = np.where(pool.dormant[members], 0.0, w)
    exp_uv = s.exp_uv * (1.4 if s.planted == "mistimed" else 1.0)  # a big promotion night
    n_imp = int(min(rng.poisson(exp_uv / ENTER_MEAN), np.count_nonzero(w)))
    users = members[_top_k(rng, w, n_imp)]
    n_imp = len(users)
    fol = pool.follows[users, r]
    priv = pool.private[users]

    # ---- channel of each impressed viewer
    open_names = list(BASE_MIX)
    base = np.array([BASE_MIX[c] for c in open_names])
    mix = rng.dirichlet(base / base.sum() * 80.0)
    P = np.zeros((n_imp, len(CHANNELS)))
    other = 1.0 - FOLLOW_CHANNEL_SHARE * fol - PRIVATE_CHANNEL_SHARE * priv
    for i, c in enumerate(open_names):
        P[:, _CH[c]] = mix[i] * other
    P[:, _CH["关注"]] = FOLLOW_CHANNEL_SHARE * fol
    P[:, _CH["社群"]] = PRIVATE_CHANNEL_SHARE * priv
    cum = np.cumsum(P, axis=1)
    ch = np.minimum((cum < rng.random(n_imp)[:, None] * cum[:, -1:]).sum(axis=1), len(CHANNELS) - 1).astype(np.int8)

    # ---- impression times follow the arrival intensity
    cl = np.cumsum(lam)
    m = np.searchsorted(cl, rng.random(n_imp) * cl[-1], side="right")
    imp_t = (np.minimum(m, L - 1) + rng.random(n_imp)) * 60.0
    if block is not None:
        b = blocked(imp_t)
        imp_t[b] = np.minimum(block[1] + rng.exponential(40.0, b.sum()), T - 5.0)

    # ---- who enters
    p_enter = np.array([P_ENTER[c] for c in CHANNELS])[ch]
    if s.creative:
        p_enter = p_enter * np.array([EXPERIMENT_SPECS["EXP-CREATIVE"]["effect"][v] for v in ("15s", "30s", "60s")])[
            pool.creative_arm[users]]
    entered = (rng.random(n_imp) < np.minimum(p_enter, 0.95)) & (imp_t < T - 10.0)
    e_loc = np.flatnonzero(entered)
    enter_t = np.minimum(imp_t[e_loc] + 1.0 + rng.exponential(6.0, e_loc.size), T - 3.0)

    # ---- visits (first visit + up to two re-entries)
    med = WATCH_MEDIAN_S[r]
    vu_l, vs_l, ve_l = [], [], []
    cur_u, cur_s = e_loc, enter_t
    for _round in range(3):
        if block is not None:
            b = blocked(cur_s)
            cur_s = cur_s.copy()
            cur_s[b] = block[1] + rng.exponential(45.0, b.sum())
        keep = cur_s < T - 2.0
        cur_u, cur_s = cur_u[keep], cur_s[keep]
        k = cur_u.size
        scale_u = med * np.where(fol[cur_u], 1.8, 1.0) * np.where(priv[cur_u], 1.3, 1.0)
        dur = np.maximum(3.0, scale_u * rng.lognormal(0.0, WATCH_SIGMA, k))
        cur_e = np.minimum(cur_s + dur, T)
        dropped = np.zeros(k, dtype=bool)
        for tb, p_drop, spread, is_outage in breaks:
            act = (cur_s < tb) & (cur_e > tb)
            d = act & (rng.random(k) < p_drop)
            cur_e[d] = np.minimum(tb + rng.uniform(0.0, spread, d.sum()), T)
            if is_outage:
                dropped |= d
        vu_l.append(cur_u)
        vs_l.append(cur_s)
        ve_l.append(cur_e)
        p_re = np.where(fol[cur_u], P_REENTER[1], P_REENTER[0])
        re = (rng.random(k) < p_re) & (cur_e < T - 60.0)
        nxt = cur_e + 2.0 + rng.lognormal(math.log(150.0), 0.9, k)
        if block is not None:
            ret = dropped & (rng.random(k) < 0.55)
            re = re | ret
            nxt[ret] = block[1] + rng.exponential(60.0, ret.sum())
        cur_u, cur_s = cur_u[re], nxt[re]
    vu = np.concatenate(vu_l)
    vs = np.concatenate(vs_l)
    ve = np.concatenate(ve_l)
    V = vu.size
    vd = ve - vs

    ev: list[tuple[np.ndarray, np.ndarray, int, np.ndarray | None, np.ndarray | None, np.ndarray | None]] = []
    # (local user, t seconds, type, product, channel, payload)
    ev.append((np.arange(n_imp), imp_t, IMP, None, ch, None))
    ev.append((vu, vs, ENTER, None, ch[vu], None))
    ev.append((vu, ve, EXIT, None, None, None))

    def in_visit(rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cnt = rng.poisson(rate)
        vi = np.repeat(np.arange(V), cnt)
        t = vs[vi] + rng.random(vi.size) * vd[vi]
        ok = ~blocked(t)
        return vi[ok], t[ok]

    gu = users[vu]
    vi, t = in_visit(vd / 60 * LIKE_RATE * pool.liker[gu])
    ev.append((vu[vi], t, LIKE, None, None, None))
    vi, t = in_visit(vd / 60 * SHARE_RATE)
    ev.append((vu[vi], t, SHARE, None, None, None))

    # follow: once, during the first visit, for viewers not yet following the room
    first = np.zeros(V, dtype=bool)
    first[: vu_l[0].size] = True
    p_f = P_FOLLOW * (1 - np.exp(-vd / 300.0)) * first * ~fol[vu]
    f = rng.random(V) < p_f
    ft = vs[f] + rng.random(f.sum()) * vd[f]
    okf = ~blocked(ft)
    ev.append((vu[f][okf], ft[okf], FOLLOW, None, None, None))

    # ---- comments (payload = text id; kind 0 question 1 remark 2 spam 3 emoji 4 flood 5 repeat)
    cvi, ct = in_visit(vd / 60 * COMMENT_RATE * pool.talk[gu])
    kind = rng.choice(4, size=cvi.size, p=COMMENT_KIND_P)
    text = np.empty(cvi.size, dtype=np.int64)
    for kk, arr in enumerate((ctx.texts[("q", r)], ctx.texts[("rem", r)], ctx.texts["spam"], ctx.texts["emoji"])):
        mk = kind == kk
        text[mk] = arr[rng.integers(0, arr.size, mk.sum())]
    rep = (rng.random(cvi.size) < np.where(kind == 2, 0.35, np.where(kind < 2, 0.08, 0.0)))
    rt = ct[rep] + 3.0 + rng.exponential(20.0, rep.sum())
    okr = (rt <= ve[cvi[rep]]) & ~blocked(rt)
    f_v, f_t, f_x = [], [], []
    flood = ctx.texts["flood"]
    for i in np.flatnonzero(roles == TD):  # host: "想要的扣1" after each traffic-driver pitch starts
        t0 = p_start[i] + 30.0
        act = np.flatnonzero((vs <= t0) & (ve > t0))
        act = act[rng.random(act.size) < 0.4]
        tt = t0 + rng.exponential(6.0, act.size)
        ok = (tt <= ve[act]) & ~blocked(tt)
        # most type the text the host asked for, some a variant
        x = np.where(rng.random(act.size) < 0.8, flood[int(rng.integers(flood.size))],
                     flood[rng.integers(0, flood.size, act.size)])
        f_v.append(act[ok])
        f_t.append(tt[ok])
        f_x.append(x[ok])
    f_v_a = np.concatenate(f_v) if f_v else np.zeros(0, dtype=np.int64)
    f_t_a = np.concatenate(f_t) if f_t else np.zeros(0)
    f_x_a = np.concatenate(f_x) if f_x else np.zeros(0, dtype=np.int64)
    c_v = np.concatenate([cvi, cvi[rep][okr], f_v_a])
    c_t = np.concatenate([ct, rt[okr], f_t_a])
    c_text = np.concatenate([text, text[rep][okr], f_x_a])
    c_kind = np.concatenate([kind, np.full(okr.sum(), 5), np.full(f_v_a.size, 4)])
    ev.append((vu[c_v], c_t, COMMENT, None, None, np.arange(c_v.size)))

    # ---- products: seen when pitched during the visit, plus browsing the bag (小黄车)
    os_ = np.maximum(vs[:, None], p_start[None, :])
    oe_ = np.minimum(ve[:, None], p_end[None, :])
    ov = oe_ - os_
    pv, pk = np.nonzero(ov > 2.0)
    ovl = ov[pv, pk]
    see = rng.random(pv.size) < 0.75 * (1 - np.exp(-ovl / 40.0))
    pv, pk, ovl = pv[see], pk[see], ovl[see]
    pt = os_[pv, pk] + np.minimum(1.0 + rng.exponential(8.0, pv.size), 0.5 * ovl)
    bag = rng.random(V) < 0.10 * (1 - np.exp(-vd / 120.0))
    bv = np.flatnonzero(bag)
    bk = rng.integers(0, n_p, bv.size)
    bt = vs[bv] + rng.random(bv.size) * vd[bv]
    pv = np.concatenate([pv, bv])
    pk = np.concatenate([pk, bk])
    pt = np.concatenate([pt, bt])
    ok = ~blocked(pt)
    pv, pk, pt = pv[ok], pk[ok], pt[ok]
    ev.append((vu[pv], pt, PIMP, lineup[pk], None, None))

    clk = rng.random(pv.size) < np.array(CLICK_RATE)[roles[pk]]
    kv, kk_, kt = pv[clk], pk[clk], pt[clk] + 1.0 + rng.exponential(20.0, clk.sum())
    ok = (kt <= ve[kv]) & ~blocked(kt)
    kv, kk_, kt = kv[ok], kk_[ok], kt[ok]
    ev.append((vu[kv], kt, PCLICK, lineup[kk_], None, None))

    crt = rng.random(kv.size) < 0.4
    at = kt[crt] + 1.0 + rng.exponential(15.0, crt.sum())
    ok = (at <= ve[kv[crt]]) & ~blocked(at)
    ev.append((vu[kv[crt]][ok], at[ok], CART, lineup[kk_[crt]][ok], None, None))

    # ---- orders: each clicking person buys with probability q (person level)
    cu = vu[kv]
    clickers = np.unique(cu)
    gcl = users[clickers]
    q = BUY_RATE[r] * np.array(TIER_BUY)[pool.tier[gcl]] * s.q_factor
    if s.script_variant == 1:
        q = q * EXPERIMENT_SPECS["EXP-SCRIPT"]["effect"]["B"]
    if s.coupon:
        q = q * np.where(pool.coupon_grid[gcl], EXPERIMENT_SPECS["EXP-COUPON"]["effect"]["grid"], 1.0)
    buyer_l = clickers[rng.random(clickers.size) < np.minimum(q, 0.95)]
    is_buyer_click = np.isin(cu, buyer_l)
    key = np.log(np.array(BUY_ROLE_WEIGHT)[roles[kk_]]) + rng.gumbel(size=kv.size)
    o_idx = np.flatnonzero(is_buyer_click)
    o_idx = o_idx[np.lexsort((-key[o_idx], cu[o_idx]))]
    first_o = np.ones(o_idx.size, dtype=bool)
    first_o[1:] = cu[o_idx][1:] != cu[o_idx][:-1]
    main = o_idx[first_o]
    main_prod = np.full(n_imp, -1)
    main_prod[cu[main]] = kk_[main]
    extra = o_idx[~first_o]
    extra = extra[(kk_[extra] != main_prod[cu[extra]]) & (rng.random(extra.size) < 0.10)]
    oc = np.concatenate([main, extra])  # index into clicks
    room_left = ve[kv[oc]] - kt[oc]
    ot = kt[oc] + np.minimum(2.0 + rng.exponential(40.0, oc.size), room_left * rng.uniform(0.3, 0.95, oc.size))
    ok = ~blocked(ot)
    oc, ot = oc[ok], ot[ok]
    n_o = oc.size
    ev.append((vu[kv[oc]], ot, ORDER, lineup[kk_[oc]], None, np.arange(n_o)))
    o_k = kk_[oc]
    price = ctx.prod_price[lineup[o_k]]
    qty = np.where(price > 500, _weighted_choice(rng, (0.92, 0.07, 0.01), n_o),
                   _weighted_choice(rng, (0.72, 0.20, 0.08), n_o)) + 1
    amount = _cents(price * qty * disc[o_k])
    rise = s.room == REFUND_RISE["room"] and s.week >= REFUND_RISE["first_week"] and ctx.weeks >= REFUND_RISE["first_week"]
    # big-ticket items (数码) are returned less often; keeps the refund-amount rate near REFUND_RATE
    p_ref = REFUND_RATE_RISE if rise else REFUND_RATE[r] * np.where(price > 500, 0.8, 1.1)
    refunded = rng.random(n_o) < p_ref
    partial = refunded & (rng.random(n_o) < 0.2)
    frac = np.where(partial, rng.uniform(0.3, 0.7, n_o), 1.0)
    refund = np.where(refunded, _cents(amount * frac), 0.0)
    if rise:
        delay_h = 50.0 + rng.lognormal(math.log(40.0), 0.5, n_o)
    else:
        delay_h = np.where(rng.random(n_o) < 0.05, rng.uniform(48.5, 120.0, n_o),
                           np.clip(rng.lognormal(math.log(18.0), 0.6, n_o), 1.0, 47.5))
    status = np.where(refunded, np.where(partial, 2, 1), 0).astype(np.int8)

    # ---- assemble events, drop duplicate keys (user, ts, type), sort
    e_u = np.concatenate([x[0] for x in ev])
    e_t = np.concatenate([x[1] for x in ev])
    e_ty = np.concatenate([np.full(x[0].size, x[2], dtype=np.int8) for x in ev])
    e_p = np.concatenate([x[3] if x[3] is not None else np.full(x[0].size, -1) for x in ev])
    e_c = np.concatenate([x[4] if x[4] is not None else np.full(x[0].size, -1, dtype=np.int8) for x in ev])
    e_pl = np.concatenate([x[5] if x[5] is not None else np.full(x[0].size, -1) for x in ev])
    # whole seconds, like platform logs (and so watch time is exact in any engine)
    e_ms = s.start_ms + np.floor(e_t).astype(np.int64) * MS
    o = np.lexsort((e_ty, e_ms, e_u))
    dup = np.zeros(o.size, dtype=bool)
    dup[1:] = (e_u[o][1:] == e_u[o][:-1]) & (e_ms[o][1:] == e_ms[o][:-1]) & (e_ty[o][1:] == e_ty[o][:-1])
    keep = np.sort(o[~dup])
    e_u, e_ms, e_ty, e_p, e_c, e_pl = e_u[keep], e_ms[keep], e_ty[keep], e_p[keep], e_c[keep], e_pl[keep]
    o = np.lexsort((e_ty, e_u, e_ms))
    e_u, e_ms, e_ty, e_p, e_c, e_pl = e_u[o], e_ms[o], e_ty[o], e_p[o], e_c[o], e_pl[o]

    # ---- orders table rows (in event order)
    oi = e_pl[e_ty == ORDER]
    o_ms = e_ms[e_ty == ORDER]
    o_user = e_u[e_ty == ORDER]
    orders = dict(
        u=users[o_user], p=lineup[o_k[oi]], ts=o_ms, qty=qty[oi].astype(np.int64), amount=amount[oi],
        refund=refund[oi],
        refunded_at=np.where(refunded[oi], o_ms + (delay_h[oi] * 3_600_000).astype(np.int64) // MS * MS, -1),
        status=status[oi], c=ch[o_user],
    )

    # ---- comments table: viewer comments + host replies
    ci = e_pl[e_ty == COMMENT]
    cm_ms = e_ms[e_ty == COMMENT]
    cm_u = users[e_u[e_ty == COMMENT]]
    cm_text = c_text[ci]
    is_q = c_kind[ci] == 0
    qi = np.flatnonzero(is_q)
    ans = qi[rng.random(qi.size) < s.answer_rate]
    r_ms = cm_ms[ans] + rng.integers(10, 121, ans.size) * MS
    okr = r_ms <= s.end_ms
    ans, r_ms = ans[okr], r_ms[okr]
    # product-specific reply about the product on stage at reply time, else a generic one
    r_off = (r_ms - s.start_ms) / 1000.0
    on_stage = np.full(ans.size, -1)
    for i in range(n_p):
        on_stage[(r_off >= p_start[i]) & (r_off < p_end[i])] = i
    reply_ids = np.empty((n_p, len(txt.HOST_REPLIES)), dtype=np.int64)
    for i in range(n_p):
        pid = int(lineup[i])
        live = f"{ctx.prod_price[pid] * disc[i]:.0f}"
        for jj, tmpl in enumerate(txt.HOST_REPLIES):
            reply_ids[i, jj] = ctx.text_id(tmpl.format(n=i + 1, name=ctx.prod_name[pid], price=live))
    use_prod = (on_stage >= 0) & (rng.random(ans.size) < 0.65)
    r_text = ctx.texts["generic_reply"][rng.integers(0, len(txt.HOST_REPLIES_GENERIC), ans.size)]
    tj = rng.integers(0, len(txt.HOST_REPLIES), ans.size)
    r_text = np.where(use_prod, reply_ids[np.maximum(on_stage, 0), tj], r_text)
    n_vc = cm_ms.size
    all_ms = np.concatenate([cm_ms, r_ms])
    all_u = np.concatenate([cm_u, np.full(ans.size, -1)])
    all_text = np.concatenate([cm_text, r_text])
    all_reply = np.concatenate([np.full(n_vc, -1), ans])
    co = np.lexsort((np.arange(all_ms.size), all_ms))
    pos = np.empty(co.size, dtype=np.int64)
    pos[co] = np.arange(co.size)
    reply_pos = np.where(all_reply[co] >= 0, pos[np.maximum(all_reply[co], 0)], -1)
    comments = dict(u=all_u[co], ts=all_ms[co], text=all_text[co], reply=reply_pos)

    # ---- follow state for later sessions
    fu = users[e_u[e_ty == FOLLOW]]
    pool.follows[fu, r] = True

    pitches = dict(p=lineup, start=s.start_ms + (p_start * 1000).astype(np.int64),
                   end=s.start_ms + (p_end * 1000).astype(np.int64))
    events = dict(u=users[e_u].astype(np.int32), ts=e_ms, et=e_ty, p=e_p.astype(np.int16), c=e_c)
    return dict(events=events, orders=orders, comments=comments, pitches=pitches)


# =============================================================== aggregation
def _cat(parts: list[dict[str, np.ndarray]], sess_idx: list[int]) -> pd.DataFrame:
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    s = np.concatenate([np.full(len(next(iter(p.values()))), i, dtype=np.int32) for p, i in zip(parts, sess_idx)])
    return pd.DataFrame({"s": s, **cols})


def _aggregate(ctx: _Ctx, ev: pd.DataFrame, od: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Aggregate tables from the viewer-level ones (int-coded frames)."""
    ses = ctx.sessions
    S = len(ses)
    start_ms = np.array([s.start_ms for s in ses], dtype=np.int64)
    end_ms = np.array([s.end_ms for s in ses], dtype=np.int64)
    m0 = start_ms // MIN_MS
    nmin = end_ms // MIN_MS - m0 + 1                       # minutes floor(start)..floor(end)
    block = nmin + 1                                       # + one padding slot per session
    off = np.concatenate([[0], np.cumsum(block)[:-1]])
    total = int(block.sum())

    ev = ev.assign(mi=(ev["ts"].to_numpy() // MIN_MS - m0[ev["s"].to_numpy()]))
    et = ev["et"].to_numpy()

    def count_s(mask: np.ndarray) -> np.ndarray:
        return np.bincount(ev["s"].to_numpy()[mask], minlength=S)

    def nuniq_s(mask: np.ndarray) -> np.ndarray:
        d = ev.loc[mask, ["s", "u"]].drop_duplicates()
        return np.bincount(d["s"].to_numpy(), minlength=S)

    def count_m(mask: np.ndarray) -> np.ndarray:
        return np.bincount(off[ev["s"].to_numpy()[mask]] + ev["mi"].to_numpy()[mask], minlength=total)

    def nuniq_m(mask: np.ndarray) -> np.ndarray:
        d = ev.loc[mask, ["s", "mi", "u"]].drop_duplicates()
        return np.bincount(off[d["s"].to_numpy()] + d["mi"].to_numpy(), minlength=total)

    # visits: pair each enter with the same user's next exit in that session
    ent = ev.loc[et == ENTER, ["s", "u", "ts"]].sort_values("ts", kind="stable")
    ext = ev.loc[et == EXIT, ["s", "u", "ts"]].rename(columns={"ts": "ts_exit"}).sort_values("ts_exit", kind="stable")
    vis = pd.merge_asof(ent, ext, left_on="ts", right_on="ts_exit", by=["s", "u"], direction="forward")
    vs_ = vis["s"].to_numpy()
    a = vis["ts"].to_numpy() // MIN_MS - m0[vs_]
    b = vis["ts_exit"].to_numpy() // MIN_MS - m0[vs_]
    diff = np.bincount(off[vs_] + a, minlength=total + 1) - np.bincount(off[vs_] + b + 1, minlength=total + 1)
    online = np.cumsum(diff)[:total]
    watch = np.bincount(vs_, weights=(vis["ts_exit"] - vis["ts"]).to_numpy() / 1000.0, minlength=S)

    # orders
    os_ = od["s"].to_numpy()
    omi = od["ts"].to_numpy() // MIN_MS - m0[os_]
    o_gmv_s = _cents(np.bincount(os_, weights=od["amount"].to_numpy(), minlength=S))
    o_ref_s = _cents(np.bincount(os_, weights=od["refund"].to_numpy(), minlength=S))
    o_cnt_s = np.bincount(os_, minlength=S)
    o_units_s = np.bincount(os_, weights=od["qty"].to_numpy(), minlength=S).astype(np.int64)
    o_buy_s = np.bincount(od[["s", "u"]].drop_duplicates()["s"].to_numpy(), minlength=S)

    # ---- minute_stats
    ms_s = np.repeat(np.arange(S), block)
    ms_i = np.arange(total) - off[ms_s]
    real = ms_i < nmin[ms_s]
    paid_ent = count_m((et == ENTER) & _PAID[np.maximum(ev["c"].to_numpy(), 0)] & (ev["c"].to_numpy() >= 0))
    obuy = od.assign(mi=omi)[["s", "mi", "u"]].drop_duplicates()
    minute = pd.DataFrame({
        "s": ms_s, "minute_ms": (m0[ms_s] + ms_i) * MIN_MS,
        "online": online, "entries": count_m(et == ENTER), "exits": count_m(et == EXIT),
        "impressions": nuniq_m(et == IMP), "comments": count_m(et == COMMENT),
        "likes": count_m(et == LIKE), "shares": count_m(et == SHARE), "new_followers": count_m(et == FOLLOW),
        "product_impression_uv": nuniq_m(et == PIMP), "product_click_uv": nuniq_m(et == PCLICK),
        "orders": np.bincount(off[os_] + omi, minlength=total),
        "buyers": np.bincount(off[obuy["s"].to_numpy()] + obuy["mi"].to_numpy(), minlength=total),
        "gmv": _cents(np.bincount(off[os_] + omi, weights=od["amount"].to_numpy(), minlength=total)),
        "_paid_entries": paid_ent,
    })[real].reset_index(drop=True)

    # ---- sessions
    pcu = minute.groupby("s")["online"].max().reindex(range(S), fill_value=0).to_numpy()
    acu = minute.groupby("s")["online"].mean().reindex(range(S), fill_value=0.0).to_numpy()
    uv = nuniq_s(et == ENTER)
    sessions = pd.DataFrame({
        "s": np.arange(S),
        "impressions": nuniq_s(et == IMP), "views": count_s(et == ENTER), "uv": uv,
        "pcu": pcu, "acu": acu,
        "avg_watch_seconds": np.where(uv > 0, watch / np.maximum(uv, 1), np.nan),
        "gmv": o_gmv_s, "orders": o_cnt_s, "buyers": o_buy_s, "units": o_units_s,
        "product_impression_uv": nuniq_s(et == PIMP), "product_click_uv": nuniq_s(et == PCLICK),
        "interaction_uv": nuniq_s(np.isin(et, [LIKE, COMMENT, SHARE])),
        "new_followers": count_s(et == FOLLOW), "comments": count_s(et == COMMENT),
        "refund_amount": o_ref_s,
    })

    # ---- channels
    c = ev["c"].to_numpy()
    has_c = c >= 0
    g = ev.loc[has_c, ["s", "c", "u"]].assign(et=et[has_c])
    imp_uv = g[g["et"] == IMP].drop_duplicates(["s", "c", "u"]).groupby(["s", "c"]).size().rename("impressions")
    views = g[g["et"] == ENTER].groupby(["s", "c"]).size().rename("views")
    ch_uv = g[g["et"] == ENTER].drop_duplicates(["s", "c", "u"]).groupby(["s", "c"]).size().rename("uv")
    o_g = od.groupby(["s", "c"]).agg(gmv=("amount", "sum"), orders=("amount", "size"))
    channels = pd.concat([imp_uv, views, ch_uv, o_g], axis=1).fillna(0).reset_index()
    for col in ("impressions", "views", "uv", "orders"):
        channels[col] = channels[col].astype(np.int64)
    channels["gmv"] = _cents(channels["gmv"].to_numpy())
    channels = channels.sort_values(["s", "c"], kind="stable").reset_index(drop=True)

    # ---- product_stats: (session, product) with a product impression or click, or an order
    hp = np.isin(et, [PIMP, PCLICK])
    gp = ev.loc[hp, ["s", "p", "u"]].assign(et=et[hp])
    keys = pd.concat([gp[["s", "p"]], od[["s", "p"]]]).drop_duplicates().set_index(["s", "p"]).index
    pi_uv = gp[gp["et"] == PIMP].drop_duplicates(["s", "p", "u"]).groupby(["s", "p"]).size().rename("impression_uv")
    pc_uv = gp[gp["et"] == PCLICK].drop_duplicates(["s", "p", "u"]).groupby(["s", "p"]).size().rename("click_uv")
    po = od.groupby(["s", "p"]).agg(orders=("amount", "size"), units=("qty", "sum"), gmv=("amount", "sum"),
                                    refund_amount=("refund", "sum"))
    pb = od[["s", "p", "u"]].drop_duplicates().groupby(["s", "p"]).size().rename("buyers")
    pstats = pd.concat([pi_uv, pc_uv, pb, po], axis=1).reindex(keys).fillna(0)
    for col in ("impression_uv", "click_uv", "buyers", "orders", "units"):
        pstats[col] = pstats[col].astype(np.int64)
    for col in ("gmv", "refund_amount"):
        pstats[col] = _cents(pstats[col].to_numpy())
    pstats = pstats.reset_index().sort_values(["s", "p"], kind="stable").reset_index(drop=True)
    return dict(minute=minute, sessions=sessions, channels=channels, product_stats=pstats)


def _add_money(ctx: _Ctx, agg: dict[str, pd.DataFrame]) -> None:
    """gmv_target, channel spend and minute paid_spend (needs the aggregates)."""
    ses = ctx.sessions
    st = agg["sessions"]
    room = np.array([s.room for s in ses])
    slot = np.array([s.slot for s in ses])
    target = np.zeros(len(ses))
    for r in range(len(ROOM_IDS)):
        for sl in (0, 1):
            mk = (room == r) & (slot == sl)
            if mk.any():
                med = float(np.median(st["gmv"].to_numpy()[mk]))
                target[mk] = med * np.array([s.target_mult for s in ses])[mk]
    st["gmv_target"] = np.round(target / 10.0) * 10.0

    ch = agg["channels"]
    paid = _PAID[ch["c"].to_numpy()]
    ch_room = room[ch["s"].to_numpy()]
    spend = np.full(len(ch), np.nan)
    roi = np.array([s.roi for s in ses])
    for r in range(len(ROOM_IDS)):
        mk = paid & (ch_room == r)
        uv_tot = ch.loc[mk, "uv"].sum()
        cpv = ch.loc[mk, "gmv"].sum() / uv_tot if uv_tot > 0 else 0.0
        spend[mk] = _cents(ch.loc[mk, "uv"].to_numpy() * cpv / roi[ch.loc[mk, "s"].to_numpy()])
    ch["spend"] = spend

    mi = agg["minute"]
    # paid_spend(minute) = ROUND(e_m / E × S, 2): e_m the paid-channel entries of the minute, E those
    # of the session, S the session's paid spend (sum of the paid channels' spend); 0 when E = 0
    s_spend = np.bincount(ch.loc[paid, "s"].to_numpy(), weights=spend[paid], minlength=len(ses))
    e_tot = np.bincount(mi["s"].to_numpy(), weights=mi["_paid_entries"].to_numpy(), minlength=len(ses))
    sidx = mi["s"].to_numpy()
    share = np.where(e_tot[sidx] > 0, mi["_paid_entries"].to_numpy() / np.maximum(e_tot[sidx], 1), 0.0)
    mi["paid_spend"] = _cents(share * s_spend[sidx])


# ==================================================================== output
def _ts(ms: np.ndarray) -> pa.Array:
    ms = np.asarray(ms, dtype=np.int64)
    return pa.array(ms * 1000, type=pa.timestamp("us", tz=DEFAULT_TZ), mask=ms < 0)


def _str(codes: np.ndarray, vocab: Sequence[str]) -> pa.Array:
    codes = np.asarray(codes)
    idx = pa.array(codes.astype(np.int32), type=pa.int32(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(idx, pa.array(np.asarray(vocab, dtype=object), type=pa.string())).cast(
        pa.string())


def _user_ids(idx: np.ndarray) -> np.ndarray:
    """``U0000123``-style ids for global user indices (vectorised)."""
    return ("U" + pd.Series(idx, dtype=np.int64).astype("str").str.zfill(7)).to_numpy(dtype=object)


def _strs(values: Sequence[str | None]) -> pa.Array:
    return pa.array(list(values), type=pa.string())


def _table(name: str, cols: dict[str, pa.Array]) -> pa.Table:
    """Order columns as in the schema; check every required column is there."""
    spec = TABLES[name]
    missing = [c.name for c in spec.columns if c.required and c.name not in cols]
    if missing:  # pragma: no cover - programming error
        raise AssertionError(f"{name}: missing columns {missing}")
    names = [c.name for c in spec.columns if c.name in cols]
    return pa.table([cols[n] for n in names], names=names)


def _session_ids(ctx: _Ctx) -> list[str]:
    return [s.sid for s in ctx.sessions]


def _write(tables: dict[str, pa.Table], folder: Path) -> None:
    for name, t in tables.items():
        pq.write_table(t, folder / f"{name}.parquet", compression="zstd", row_group_size=1 << 20)


def _comment_ids(sess: np.ndarray, k: np.ndarray, sids: list[str], prefix: str, width: int) -> pa.Array:
    base = pd.Series(np.asarray(sids, dtype=object)[sess], dtype="str")
    num = pd.Series(k).astype("str").str.zfill(width)
    return pa.array((base + prefix + num).to_numpy(dtype=object), type=pa.string())


# ================================================================= generate
def _build(seed: int, scale: float, weeks: int, progress: bool) -> tuple[dict[str, pa.Table], dict[str, Any]]:
    ctx, exp_info = _setup(seed, scale, weeks)
    pool = ctx.pool
    ses = ctx.sessions
    parts: dict[str, list[dict[str, np.ndarray]]] = {"events": [], "orders": [], "comments": [], "pitches": []}
    dormant_ids = np.zeros(0, dtype=np.int64)
    n_cohort = 0
    cohort_done = False
    dormant_day = DORMANT["last_active_week"] * 7  # first day after the last active week
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(ses), desc="sessions", unit="session")
    for s in ses:
        if s.day == dormant_day and not cohort_done:
            cohort_done = True
            w0, w1 = DORMANT["cohort_weeks"]
            buyers = np.unique(np.concatenate(
                [parts["orders"][x.idx]["u"] for x in ses[: s.idx]
                 if x.room == DORMANT["room"] and w0 <= x.week <= w1] or [np.zeros(0, dtype=np.int64)]))
            n_cohort = buyers.size
            drng = np.random.default_rng([seed, 3])
            dormant_ids = np.sort(drng.permutation(buyers)[: int(round(DORMANT["share"] * buyers.size))])
            pool.dormant[dormant_ids] = True
        out = _simulate(s, ctx, np.random.default_rng([seed, 1, s.idx]))
        for k in parts:
            parts[k].append(out[k])
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()

    idx = [s.idx for s in ses]
    ev = _cat(parts["events"], idx)
    od = _cat(parts["orders"], idx)
    cm = _cat(parts["comments"], idx)
    pt = _cat(parts["pitches"], idx)
    agg = _aggregate(ctx, ev, od)
    _add_money(ctx, agg)
    sids = _session_ids(ctx)

    # ---- users that appear in the data
    seen = np.unique(ev["u"].to_numpy())
    first_ms = ev.groupby("u")["ts"].min().reindex(seen).to_numpy()
    first_seen = np.where(pool.pre_existing[seen], np.minimum(pool.prior_first_seen_ms[seen], first_ms), first_ms)
    tables: dict[str, pa.Table] = {}

    room_rows = txt.ROOMS
    tables["rooms"] = _table("rooms", {
        "room_id": _strs([r[0] for r in room_rows]), "room_name": _strs([r[1] for r in room_rows]),
        "platform": _strs([r[2] for r in room_rows]), "category": _strs([r[3] for r in room_rows]),
        "host": _strs([r[4] for r in room_rows]),
    })
    st = agg["sessions"]
    sess_cols: dict[str, pa.Array] = {
        "session_id": _strs(sids), "room_id": _strs([ROOM_IDS[s.room] for s in ses]),
        "host": _strs([txt.ROOMS[s.room][4] for s in ses]), "title": _strs([s.title for s in ses]),
        "start_time": _ts(np.array([s.start_ms for s in ses])), "end_time": _ts(np.array([s.end_ms for s in ses])),
        "gmv_target": pa.array(st["gmv_target"].to_numpy(), pa.float64()),
    }
    for c in TABLES["sessions"].columns:
        if c.name in st.columns and c.name not in sess_cols:
            arr = st[c.name].to_numpy()
            sess_cols[c.name] = pa.array(arr, pa.int64() if c.dtype == "int" else pa.float64())
    tables["sessions"] = _table("sessions", sess_cols)

    mi = agg["minute"]
    mcols: dict[str, pa.Array] = {"session_id": _str(mi["s"].to_numpy(), sids), "minute": _ts(mi["minute_ms"].to_numpy())}
    for c in TABLES["minute_stats"].columns[2:]:
        mcols[c.name] = pa.array(mi[c.name].to_numpy(), pa.int64() if c.dtype == "int" else pa.float64())
    tables["minute_stats"] = _table("minute_stats", mcols)

    ch = agg["channels"]
    tables["channels"] = _table("channels", {
        "session_id": _str(ch["s"].to_numpy(), sids), "channel": _str(ch["c"].to_numpy(), CHANNELS),
        "channel_group": _strs([CHANNEL_GROUP[CHANNELS[c]] for c in ch["c"].to_numpy()]),
        "impressions": pa.array(ch["impressions"].to_numpy(), pa.int64()),
        "views": pa.array(ch["views"].to_numpy(), pa.int64()), "uv": pa.array(ch["uv"].to_numpy(), pa.int64()),
        "gmv": pa.array(ch["gmv"].to_numpy(), pa.float64()), "orders": pa.array(ch["orders"].to_numpy(), pa.int64()),
        "spend": pa.array(ch["spend"].to_numpy(), pa.float64(), from_pandas=True),
    })

    tables["products"] = _table("products", {
        "product_id": _strs(ctx.prod_id), "name": _strs(ctx.prod_name),
        "category": _strs([txt.ROOMS[r][3] for r in ctx.prod_room]),
        "list_price": pa.array(ctx.prod_price, pa.float64()),
        "role": _strs([ROLES[k] for k in ctx.prod_role]),
    })
    ps = agg["product_stats"]
    pcols = {"session_id": _str(ps["s"].to_numpy(), sids), "product_id": _str(ps["p"].to_numpy(), ctx.prod_id)}
    for c in TABLES["product_stats"].columns[2:]:
        pcols[c.name] = pa.array(ps[c.name].to_numpy(), pa.int64() if c.dtype == "int" else pa.float64())
    tables["product_stats"] = _table("product_stats", pcols)

    tables["pitches"] = _table("pitches", {
        "session_id": _str(pt["s"].to_numpy(), sids), "product_id": _str(pt["p"].to_numpy(), ctx.prod_id),
        "start": _ts(pt["start"].to_numpy()), "end": _ts(pt["end"].to_numpy()),
    })

    inc = [s for s in ses if s.stutter is not None]
    inc_start = np.array([s.start_ms + int(s.stutter[0] * 1000) for s in inc], dtype=np.int64)
    inc_end = np.array([min(s.start_ms + int((s.stutter[0] + s.stutter[1]) * 1000), s.end_ms) for s in inc],
                       dtype=np.int64)
    tables["incidents"] = _table("incidents", {
        "session_id": _strs([s.sid for s in inc]), "start": _ts(inc_start - inc_start % MS),
        "end": _ts(inc_end - inc_end % MS), "kind": _strs(["stutter"] * len(inc)),
        "note": _strs([txt.INCIDENT_NOTES[i % len(txt.INCIDENT_NOTES)] for i in range(len(inc))]),
    })

    # events: user ids via a compact vocabulary of the users that appear
    u_code = np.searchsorted(seen, ev["u"].to_numpy())
    seen_ids = _user_ids(seen)
    tables["events"] = _table("events", {
        "session_id": _str(ev["s"].to_numpy(), sids), "user_id": _str(u_code, seen_ids),
        "ts": _ts(ev["ts"].to_numpy()), "event_type": _str(ev["et"].to_numpy(), EVENT_TYPES),
        "product_id": _str(ev["p"].to_numpy(), ctx.prod_id), "channel": _str(ev["c"].to_numpy(), CHANNELS),
    })

    o_s = od["s"].to_numpy()
    o_k = np.arange(len(od)) - np.concatenate([[0], np.cumsum(np.bincount(o_s, minlength=len(ses)))[:-1]])[o_s]
    tables["orders"] = _table("orders", {
        "order_id": _comment_ids(o_s, o_k + 1, sids, "-O", 5),
        "session_id": _str(o_s, sids), "user_id": _str(np.searchsorted(seen, od["u"].to_numpy()), seen_ids),
        "product_id": _str(od["p"].to_numpy(), ctx.prod_id), "ts": _ts(od["ts"].to_numpy()),
        "quantity": pa.array(od["qty"].to_numpy(), pa.int64()), "amount": pa.array(od["amount"].to_numpy(), pa.float64()),
        "refund_amount": pa.array(od["refund"].to_numpy(), pa.float64()),
        "refunded_at": _ts(od["refunded_at"].to_numpy()), "status": _str(od["status"].to_numpy(), STATUSES),
        "channel": _str(od["c"].to_numpy(), CHANNELS),
    })

    c_s = cm["s"].to_numpy()
    c_start = np.concatenate([[0], np.cumsum(np.bincount(c_s, minlength=len(ses)))[:-1]])
    c_k = np.arange(len(cm)) - c_start[c_s]
    cid = _comment_ids(c_s, c_k + 1, sids, "-C", 6)
    reply = cm["reply"].to_numpy()
    reply_abs = np.where(reply >= 0, c_start[c_s] + reply, -1)
    host_vocab = np.array([f"host_{r}" for r in ROOM_IDS], dtype=object)
    cu = cm["u"].to_numpy()
    is_host = cu < 0
    ucode = np.where(is_host, len(seen) + np.array([s.room for s in ses])[c_s], np.searchsorted(seen, np.maximum(cu, 0)))
    tables["comments"] = _table("comments", {
        "comment_id": cid, "session_id": _str(c_s, sids), "user_id": _str(ucode, np.concatenate([seen_ids, host_vocab])),
        "ts": _ts(cm["ts"].to_numpy()), "text": _str(cm["text"].to_numpy(), ctx.vocab),
        "reply_to": pa.array(cid.to_numpy(zero_copy_only=False)[np.maximum(reply_abs, 0)], type=pa.string(),
                             mask=reply_abs < 0) if len(cm) else pa.array([], pa.string()),
    })

    tables["users"] = _table("users", {
        "user_id": pa.array(seen_ids, pa.string()), "first_seen": _ts(first_seen),
        "region": _str(pool.region[seen], [r for r, _ in txt.REGIONS]),
        "gender": _str(pool.gender[seen], txt.GENDERS), "age_band": _str(pool.age[seen], txt.AGE_BANDS),
        "member_tier": _str(pool.tier[seen], [t for t, _ in txt.MEMBER_TIERS]),
        "is_follower": pa.array(pool.follows[seen].any(axis=1), pa.bool_()),
        "in_private_domain": pa.array(pool.private[seen], pa.bool_()),
    })

    exp_tables, exp_planted = _experiments(ctx, exp_info, ev, seen, seen_ids)
    tables.update(exp_tables)
    tables = {name: tables[name] for name in TABLES}  # schema order
    planted = _planted(ctx, agg, exp_planted, dormant_ids, n_cohort, seen, seen_ids)
    return tables, planted


def _experiments(ctx: _Ctx, exp_info: dict[str, Any], ev: pd.DataFrame, seen: np.ndarray,
                 seen_ids: np.ndarray) -> tuple[dict[str, pa.Table], dict[str, Any]]:
    ses = ctx.sessions
    rows: list[dict[str, Any]] = []
    a_exp: list[np.ndarray] = []
    a_unit: list[np.ndarray] = []
    a_var: list[np.ndarray] = []
    planted: dict[str, Any] = {}
    last_day = ctx.weeks * 7
    for eid, spec in EXPERIMENT_SPECS.items():
        if eid not in exp_info:
            continue
        w0, w1 = spec["weeks"]
        sidx = np.array(exp_info[eid], dtype=np.int64)
        name, hyp = txt.EXPERIMENT_TEXT[eid]
        rows.append(dict(experiment_id=eid, name=name, hypothesis=hyp, unit=spec["unit"], variable=spec["variable"],
                         start=_local_ms(START_DATE + timedelta(days=(w0 - 1) * 7), 0),
                         end=_local_ms(START_DATE + timedelta(days=w1 * 7), 0) - MS,
                         primary_metric=spec["primary_metric"], status="finished" if w1 * 7 <= last_day else "running",
                         control_variant=spec["control"], planned_split=spec["split"], room_ids=ROOM_IDS[spec["room"]]))
        if eid == "EXP-SCRIPT":
            units = [ses[i].sid for i in sidx]
            variants = [spec["variants"][ses[i].script_variant] for i in sidx]
        else:
            in_s = np.isin(ev["s"].to_numpy(), sidx)
            et_needed = ENTER if eid == "EXP-COUPON" else IMP
            u = np.unique(ev["u"].to_numpy()[in_s & (ev["et"].to_numpy() == et_needed)])
            arm = ctx.pool.coupon_grid[u].astype(int) if eid == "EXP-COUPON" else ctx.pool.creative_arm[u]
            units = seen_ids[np.searchsorted(seen, u)]
            variants = np.asarray(spec["variants"], dtype=object)[arm]
        a_exp.append(np.full(len(units), eid, dtype=object))
        a_unit.append(np.asarray(units, dtype=object))
        a_var.append(np.asarray(variants, dtype=object))
        planted[eid] = {
            "unit": spec["unit"], "room_id": ROOM_IDS[spec["room"]], "weeks": list(spec["weeks"]),
            "variable": spec["variable"], "variants": list(spec["variants"]), "control": spec["control"],
            "planned_split": spec["split"], "primary_metric": spec["primary_metric"],
            "true_effect": {"lever": spec["lever"], "multiplier": dict(spec["effect"])},
            "n_units": len(units), "session_ids": [ses[i].sid for i in sidx],
        }
    # one planned experiment, after the data ends, no assignments
    name, hyp = txt.EXPERIMENT_TEXT["EXP-SCENE"]
    rows.append(dict(experiment_id="EXP-SCENE", name=name, hypothesis=hyp, unit="session", variable="scene",
                     start=_local_ms(START_DATE + timedelta(days=last_day + 7), 0),
                     end=_local_ms(START_DATE + timedelta(days=last_day + 21), 0) - MS,
                     primary_metric="avg_watch_seconds", status="planned", control_variant="实景",
                     planned_split="实景:0.5,绿幕:0.5", room_ids="R02"))
    planted["EXP-SCENE"] = {"status": "planned", "n_units": 0}
    ex = pd.DataFrame(rows)
    exp_t = _table("experiments", {
        **{c: _strs(ex[c].tolist()) for c in ("experiment_id", "name", "hypothesis", "unit", "variable",
                                               "primary_metric", "status", "control_variant", "planned_split",
                                               "room_ids")},
        "start": _ts(ex["start"].to_numpy()), "end": _ts(ex["end"].to_numpy()),
    })
    cat = lambda parts: pa.array(np.concatenate(parts) if parts else np.zeros(0, dtype=object), pa.string())  # noqa: E731
    asg_t = _table("assignments", {"experiment_id": cat(a_exp), "unit_id": cat(a_unit), "variant": cat(a_var)})
    return {"experiments": exp_t, "assignments": asg_t}, planted


def _iso(ms: int) -> str:
    return pd.Timestamp(int(ms) * 1_000_000, tz="UTC").tz_convert(DEFAULT_TZ).isoformat()


def _planted(ctx: _Ctx, agg: dict[str, pd.DataFrame], exp_planted: dict[str, Any],
             dormant_ids: np.ndarray, n_cohort: int, seen: np.ndarray, seen_ids: np.ndarray) -> dict[str, Any]:
    ses = ctx.sessions
    mi = agg["minute"]
    ph: dict[str, Any] = {}
    for s in ses:
        if s.planted == "outage":
            m0 = s.outage_minute
            ph["outage"] = {
                "session_id": s.sid, "room_id": ROOM_IDS[s.room],
                "failure_at": _iso(s.start_ms + m0 * MIN_MS - 50_000),
                "start": _iso(s.start_ms + m0 * MIN_MS),
                "end": _iso(s.start_ms + (m0 + OUTAGE["minutes"] - 1) * MIN_MS),
                "minutes": OUTAGE["minutes"], "incident_logged": False,
                "description": "stream outage: mass exits in the 50 s before `start`, no entries and near-zero "
                               "online for the minutes start..end (inclusive), recovery burst afterwards; "
                               "not in the incident log",
            }
    if ctx.mistimed_info:
        info = ctx.mistimed_info
        s = ses[info["session"]]
        on = mi[mi["s"] == s.idx]
        roll = on["online"].rolling(10).mean().to_numpy()  # window ending at each minute
        interior = np.arange(len(on))
        ok = (interior >= 20 + 9) & (interior <= len(on) - 1 - 20)
        end_i = int(np.flatnonzero(ok)[np.argmin(roll[ok])])
        peak_i = int(np.argmax(on["online"].to_numpy()))
        mms = on["minute_ms"].to_numpy()
        ph["mistimed_pitch"] = {
            "session_id": s.sid, "product_id": ctx.prod_id[info["product"]],
            "product_name": ctx.prod_name[info["product"]], "list_price": float(ctx.prod_price[info["product"]]),
            "pitch_start": _iso(s.start_ms + int(info["start"] * 1000)),
            "pitch_end": _iso(s.start_ms + int(info["end"] * 1000)),
            "peak_product_id": ctx.prod_id[info["peak_product"]],
            "peak_product_name": ctx.prod_name[info["peak_product"]],
            "peak_list_price": float(ctx.prod_price[info["peak_product"]]),
            "peak_pitch_start": _iso(s.start_ms + int(info["peak_start"] * 1000)),
            "peak_pitch_end": _iso(s.start_ms + int(info["peak_end"] * 1000)),
            "trough_window": {"start": _iso(int(mms[end_i - 9])), "end": _iso(int(mms[end_i])),
                              "rule": "10-minute window with the lowest mean online, ignoring the first and "
                                      "last 20 minutes"},
            "peak_minute": _iso(int(mms[peak_i])),
        }
    if ctx.weeks >= REFUND_RISE["first_week"]:
        w = REFUND_RISE["first_week"]
        ph["refund_rise"] = {
            "room_id": ROOM_IDS[REFUND_RISE["room"]], "baseline_weeks": list(range(1, w)),
            "rise_weeks": list(range(w, ctx.weeks + 1)),
            "baseline_refund_share_of_orders": REFUND_RATE[REFUND_RISE["room"]],
            "rise_refund_share_of_orders": REFUND_RATE_RISE, "slow_after_hours": 48,
            "description": "refund rate (refund amount / GMV) rises ~4x in the rise weeks and every refund "
                           "in those weeks comes more than 48 h after the order",
        }
    if ctx.weeks > DORMANT["last_active_week"]:
        ids = seen_ids[np.searchsorted(seen, dormant_ids)].tolist()
        w0, w1 = DORMANT["cohort_weeks"]
        ph["dormant_cohort"] = {
            "room_id": ROOM_IDS[DORMANT["room"]],
            "cohort": f"users with an order in an {ROOM_IDS[DORMANT['room']]} session of weeks {w0}-{w1}",
            "cohort_size": int(n_cohort), "dormant_share": DORMANT["share"],
            "last_active_week": DORMANT["last_active_week"],
            "rule": "the dormant users have no event at all (no impression, no visit) in any room "
                    f"after week {DORMANT['last_active_week']}",
            "n_user_ids": len(ids), "user_ids": ids,
        }
    ph["ordinary_session"] = {"session_id": _pick_ordinary(ctx, agg)}
    ph["logged_incidents"] = [{"session_id": s.sid, "kind": "stutter"} for s in ses if s.stutter is not None]
    return {"seed": ctx.seed, "scale": ctx.scale, "start_date": START_DATE.isoformat(), "weeks": ctx.weeks,
            "timezone": DEFAULT_TZ, "phenomena": ph, "experiments": exp_planted}


def _pick_ordinary(ctx: _Ctx, agg: dict[str, pd.DataFrame]) -> str:
    """First session (R01 evenings, not in experiments, no incident) that passes plain sanity checks."""
    ses = ctx.sessions
    mi = agg["minute"]
    ch = agg["channels"]
    st = agg["sessions"]
    cands = [s for s in ses if not s.planted and s.stutter is None and not s.coupon and s.script_variant < 0
             and not s.creative]
    cands.sort(key=lambda s: (s.room != 0, s.slot != 1, abs(s.week - 3), s.idx))
    for s in cands:
        on = mi.loc[mi["s"] == s.idx, "online"].to_numpy()
        inner = on[15:-10]
        if inner.size == 0:
            continue
        med = float(np.median(inner))
        c = ch[ch["s"] == s.idx]
        share = c["uv"].max() / max(c["uv"].sum(), 1)
        gmv = float(st.loc[s.idx, "gmv"])
        refund = float(st.loc[s.idx, "refund_amount"]) / gmv if gmv > 0 else 1.0
        if med >= 3 and inner.min() >= 0.25 * med and share <= 0.45 and gmv > 0 and refund <= 0.12:
            return s.sid
    return cands[0].sid if cands else ses[0].sid


def generate(out: str | Path, *, seed: int = 7, scale: float = 1.0, weeks: int = 8, progress: bool = False,
             overwrite: bool = False) -> Path:
    """Generate the demo dataset into folder ``out``.

    Parameters
    ----------
    out:
        Output folder. Created (atomically: built in a temporary folder next to
        it, then renamed). An existing non-empty folder is only replaced when
        ``overwrite=True``.
    seed:
        Seed of the NumPy generators; same seed, scale and weeks give
        byte-identical files.
    scale:
        Multiplies viewer numbers (and the viewer pool). ``1.0`` gives about
        0.4 million events; events grow linearly with ``scale``.
    weeks:
        Number of weeks from 2026-09-07 (a Monday). Phenomena and experiments
        that do not fit in the period are left out (see ``planted.json``).
    progress:
        Show a tqdm progress bar over sessions.
    overwrite:
        Replace a non-empty existing ``out`` folder.

    Returns
    -------
    Path
        The output folder, holding ``<table>.parquet`` for every table in
        :data:`liveops_nb.schema.TABLES` and ``planted.json``.

    Raises
    ------
    OutputExistsError
        ``out`` exists, is not empty and ``overwrite`` is false.
    ValueError
        ``seed`` negative, ``scale`` not positive or ``weeks`` < 1.
    """
    out = Path(out)
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    if not isinstance(weeks, (int, np.integer)) or weeks < 1:
        raise ValueError(f"weeks must be an integer >= 1, got {weeks!r}")

    def occupied() -> bool:
        if not out.exists():
            return False
        if not out.is_dir():
            raise OutputExistsError(out)
        return any(out.iterdir())

    if occupied() and not overwrite:
        raise OutputExistsError(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tables, planted = _build(int(seed), float(scale), int(weeks), progress)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        _write(tables, tmp)
        (tmp / "planted.json").write_text(json.dumps(planted, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)
        if occupied():
            if not overwrite:
                raise OutputExistsError(out)
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.rename(out, old / "data")
            os.rename(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            if out.exists():
                out.rmdir()
            os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m liveops_nb.demo OUT [--seed 7] [--scale 1] [--weeks 8] [--overwrite]``."""
    ap = argparse.ArgumentParser(prog="python -m liveops_nb.demo", description="Generate the synthetic demo dataset.")
    ap.add_argument("out", help="output folder")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--scale", type=float, default=1.0, help="viewer volume multiplier (default 1.0)")
    ap.add_argument("--weeks", type=int, default=8, help="number of weeks from 2026-09-07 (default 8)")
    ap.add_argument("--overwrite", action="store_true", help="replace a non-empty output folder")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        path = generate(args.out, seed=args.seed, scale=args.scale, weeks=args.weeks, progress=True,
                        overwrite=args.overwrite)
    except (OutputExistsError, ValueError) as e:
        print(e, file=sys.stderr)
        return 1
    n = pq.ParquetFile(path / "events.parquet").metadata.num_rows
    print(f"wrote {path} ({n:,} events) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
