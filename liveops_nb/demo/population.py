"""Who and what the simulation is about: product catalogues, viewer pools, the session schedule.

:func:`setup` draws all of it from one seeded generator (``default_rng([seed, 0])``)
in a fixed order, marks the planted sessions (:func:`.planted.mark_planted`) and
returns the :class:`.context.Context` the per-session simulation runs on.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from . import text as txt
from .context import Context, Pool, Session, local_ms
from .numeric import weighted_choice
from .params import (
    DAY_MS,
    MS,
    PAID_ROI,
    PF,
    POOL_PER_ROOM,
    RG,
    ROOM_BASE_UV,
    ROOM_IDS,
    SCHEDULE,
    SHARED_SHARE,
    SLOT_FACTOR,
    START_DATE,
    TD,
    UV_NOISE,
    WEEKDAY_FACTOR,
    WEEKLY_GROWTH,
)
from .planted import mark_planted

Products = tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]


def make_products(rng: np.random.Generator) -> Products:
    """Per room a seeded subset of 15–25 catalogue items; roles follow the price rank.

    Returns
    -------
    tuple
        ``(ids, names, list prices, roles, rooms, catalog)``: the first five indexed by
        global product index, ``catalog`` the global product indices of each room.
    """
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


def make_pool(rng: np.random.Generator, scale: float, start_ms: int) -> Pool:
    """The viewer pool of all rooms (a small share belongs to two rooms).

    ``start_ms`` anchors the first-seen times of viewers known before the period.
    """
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
    tier = weighted_choice(rng, [w for _, w in txt.MEMBER_TIERS], n).astype(np.int8)
    gender = np.empty(n, dtype=np.int8)
    age = np.empty(n, dtype=np.int8)
    for r, room in enumerate(txt.ROOMS):
        m = home == r
        female, ages = txt.AUDIENCES[room[5]]
        gender[m] = np.where(rng.random(m.sum()) < female, 0, 1)
        age[m] = weighted_choice(rng, ages, int(m.sum()))
    gender[rng.random(n) < 0.04] = -1
    age[rng.random(n) < 0.06] = -1
    region = weighted_choice(rng, [w for _, w in txt.REGIONS], n).astype(np.int16)
    region[rng.random(n) < 0.03] = -1
    liker = np.where(rng.random(n) < 0.4, 0.0, rng.lognormal(0.0, 0.8, n))
    talk = rng.lognormal(-0.3, 1.0, n)
    pre_existing = follows.any(axis=1) | private | (rng.random(n) < 0.2)
    prior = start_ms - (rng.uniform(1.0, 540.0, n) * DAY_MS).astype(np.int64)
    prior = prior - prior % MS
    coupon_grid = rng.random(n) < 0.5
    creative_arm = rng.integers(0, 3, n).astype(np.int8)
    pool = Pool(n=n, home=home, second=second, activity=activity, follows=follows, private=private,
                tier=tier, gender=gender, age=age, region=region, liker=liker, talk=talk,
                pre_existing=pre_existing, prior_first_seen_ms=prior, coupon_grid=coupon_grid,
                creative_arm=creative_arm, dormant=np.zeros(n, dtype=bool))
    pool.members = [np.flatnonzero((home == r) | (second == r)) for r in range(n_rooms)]
    return pool


def make_sessions(rng: np.random.Generator, scale: float, weeks: int) -> list[Session]:
    """The schedule: each room on its weekdays (:data:`.params.SCHEDULE`), afternoon or evening, in start order."""
    out: list[Session] = []
    for day in range(weeks * 7):
        d = START_DATE + timedelta(days=day)
        week = day // 7 + 1
        for slot in (0, 1):
            for r, rid in enumerate(ROOM_IDS):
                if (d.weekday(), slot) not in SCHEDULE[r]:
                    continue
                if slot == 0:
                    start_min = 12 * 60 + int(rng.integers(-10, 16))
                    length = int(rng.integers(90, 151))
                else:
                    start_min = 19 * 60 + 30 + int(rng.integers(-10, 16))
                    length = int(rng.integers(150, 211))
                exp_uv = (ROOM_BASE_UV[r] * SLOT_FACTOR[slot] * WEEKDAY_FACTOR[d.weekday()]
                          * (1 + WEEKLY_GROWTH * (week - 1)) * rng.lognormal(0.0, UV_NOISE) * scale)
                theme = txt.THEMES[rid][int(rng.integers(len(txt.THEMES[rid])))]
                tmpl = txt.TITLES[rid][int(rng.integers(len(txt.TITLES[rid])))]
                title = tmpl.format(md=f"{d.month}.{d.day}", theme=theme)
                if slot == 1:
                    title += "（晚场）"
                out.append(Session(
                    idx=len(out), sid=f"{rid}-{d:%Y%m%d}-{slot + 1}", room=r, day=day, slot=slot,
                    start_ms=local_ms(d, start_min), length_min=length, exp_uv=exp_uv, title=title,
                    q_factor=float(rng.lognormal(0.0, 0.05)), answer_rate=float(rng.uniform(0.6, 0.9)),
                    target_mult=float(rng.uniform(1.0, 1.2)), roi=float(rng.uniform(*PAID_ROI)),
                ))
    return out


def setup(seed: int, scale: float, weeks: int) -> tuple[Context, dict[str, Any]]:
    """Products, viewer pool, schedule and planted sessions for one run.

    Returns
    -------
    tuple
        The :class:`Context` and the experiment setup (experiment id → session indices).
    """
    rng = np.random.default_rng([seed, 0])
    ids, names, prices, roles, rooms, catalog = make_products(rng)
    pool = make_pool(rng, scale, local_ms(START_DATE, 0))
    sessions = make_sessions(rng, scale, weeks)
    exp_info = mark_planted(rng, sessions, weeks)
    vocab: list[str] = []
    ctx = Context(seed=seed, scale=scale, weeks=weeks, pool=pool, sessions=sessions, prod_id=ids,
                  prod_name=names, prod_price=prices, prod_role=roles, prod_room=rooms, catalog=catalog,
                  vocab=vocab, vocab_index={}, texts={})
    t: dict[Any, Any] = {}
    for r, rid in enumerate(ROOM_IDS):
        t[("q", r)] = np.array([ctx.text_id(s) for s in txt.QUESTIONS_COMMON + txt.QUESTIONS_ROOM[rid]])
        t[("rem", r)] = np.array([ctx.text_id(s) for s in txt.REMARKS_COMMON + txt.REMARKS_ROOM[rid]])
    t["spam"] = np.array([ctx.text_id(s) for s in txt.SPAM])
    t["emoji"] = np.array([ctx.text_id(s) for s in txt.EMOJI_ONLY])
    t["flood"] = np.array([ctx.text_id(s) for s in txt.FLOOD])
    t["generic_reply"] = np.array([ctx.text_id(s) for s in txt.HOST_REPLIES_GENERIC])
    ctx.texts = t
    return ctx, exp_info
