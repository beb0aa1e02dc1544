"""Constants and behaviour parameters of the demo generator.

Rooms, channels, event-type codes, product roles, the behaviour parameters of
the simulation and the planted phenomena / experiment specifications. Changing
any parameter changes the data for every seed.
"""
from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

from ..schema import EVENT_TYPES
from . import text as txt

__all__ = ["START_DATE", "ROOM_IDS", "CHANNELS", "CHANNEL_GROUP", "EXPERIMENT_SPECS"]

START_DATE = date(2026, 8, 31)  # a Monday; 9 weeks cover September and October completely
DEFAULT_WEEKS = 9
ROOM_IDS = tuple(r[0] for r in txt.ROOMS)

# Douyin channel names (docs/data-model.md, channel groups). Used for all rooms, including the Kuaishou one.
CHANNELS: tuple[str, ...] = (
    "直播推荐", "短视频引流", "关注", "搜索", "个人主页&店铺&橱窗", "商城推荐",
    "千川", "品牌广告", "随心推", "社群",
)
CHANNEL_GROUP: dict[str, str] = {c: "organic" for c in CHANNELS}
CHANNEL_GROUP.update({"千川": "paid", "品牌广告": "paid", "随心推": "paid", "社群": "private"})
CH_INDEX = {c: i for i, c in enumerate(CHANNELS)}
PAID = np.array([CHANNEL_GROUP[c] == "paid" for c in CHANNELS])

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
ROOM_BASE_UV = (2200.0, 2300.0, 2200.0)     # expected viewers (UV) of a session at scale 1
SLOT_FACTOR = (0.9, 1.1)                    # afternoon, evening
WEEKDAY_FACTOR = (0.92, 0.95, 0.97, 1.00, 1.06, 1.12, 1.08)
WEEKLY_GROWTH = 0.025                       # +2.5 % expected UV per week
UV_NOISE = 0.10                             # lognormal sigma of a session's expected UV
POOL_PER_ROOM = 60_000                      # viewer pool per room at scale 1
SHARED_SHARE = 0.06                         # share of viewers also in a second room
# impression share of the "open" channels (关注 only for followers, 社群 only for private domain)
BASE_MIX = {"直播推荐": 0.34, "短视频引流": 0.14, "搜索": 0.05, "个人主页&店铺&橱窗": 0.04,
            "商城推荐": 0.09, "千川": 0.17, "品牌广告": 0.04, "随心推": 0.07}
FOLLOW_CHANNEL_SHARE = 0.40                 # a follower's impression comes from 关注
PRIVATE_CHANNEL_SHARE = 0.30                # a private-domain member's impression comes from 社群
P_ENTER = {"直播推荐": 0.24, "短视频引流": 0.33, "关注": 0.60, "搜索": 0.50, "个人主页&店铺&橱窗": 0.44,
           "商城推荐": 0.22, "千川": 0.27, "品牌广告": 0.17, "随心推": 0.27, "社群": 0.55}
ENTER_MEAN = 0.33                           # overall impression→enter, to size impressions
WATCH_MEDIAN_S = (48.0, 36.0, 55.0)         # lognormal median watch time of a visit per room
WATCH_SIGMA = 1.1
P_REENTER = (0.06, 0.15)                    # non-follower, follower
LIKE_RATE, COMMENT_RATE, SHARE_RATE = 0.09, 0.04, 0.006   # per watched minute
P_FOLLOW = 0.07
CLICK_RATE = (0.32, 0.16, 0.20)             # per product impression, by role
CLICK_ROOM = (1.0, 1.6, 1.0)                # × per room (彩妆 viewers click more, then buy less often)
BUY_RATE = (0.15, 0.118, 0.18)               # P(order | clicked) per person, by room
TIER_BUY = (0.85, 1.05, 1.35, 1.70)
LIVE_DISCOUNT = (0.65, 0.85)                # live price = list price × U(0.65, 0.85) per pitch
PRICE_ELASTICITY = (0.3, 1.4, 1.6)          # P(order) × min(1, (cheapest clicked price / room median)^-e)
CHOICE_ELASTICITY = (1.0, 2.0, 2.5)         # which clicked product a buyer buys ∝ role weight × price^-e
BUY_ROLE_WEIGHT = (1.5, 0.7, 1.0)           # which clicked product a buyer buys
REFUND_RATE = (0.060, 0.050, 0.080)         # share of orders refunded, by room
REFUND_RATE_RISE = 0.18                     # R02 in the refund-rise weeks
COMMENT_KIND_P = (0.28, 0.38, 0.10, 0.24)   # question, remark, spam, emoji
PAID_ROI = (1.6, 3.6)                       # per-session paid ROI drawn uniformly

# weekly schedule per room: (weekday 0 = Monday, slot 0 = afternoon / 1 = evening)
SCHEDULE: tuple[tuple[tuple[int, int], ...], ...] = (
    ((0, 1), (1, 1)),   # R01: Monday and Tuesday evening
    ((3, 1), (4, 1)),   # R02: Thursday and Friday evening
    ((5, 0), (6, 1)),   # R03: Saturday afternoon, Sunday evening
)

# planted phenomena (days are 0-based offsets from START_DATE)
OUTAGE: dict[str, Any] = dict(room=2, day=4 * 7 + 6, slot=1, minutes=8)      # R03, week 5 Sunday evening
MISTIMED: dict[str, Any] = dict(room=1, day=5 * 7 + 3, slot=1)  # R02, week 6 Thursday evening
REFUND_RISE: dict[str, Any] = dict(room=1, first_week=6)        # R02 from week 6 on
DORMANT: dict[str, Any] = dict(room=0, cohort_weeks=(1, 2), last_active_week=3, share=0.40)
# a traffic-driver product sells out at the session's traffic peak: R01, week 8 Tuesday evening
SELL_OUT: dict[str, Any] = dict(room=0, day=7 * 7 + 1, slot=1, min_before=3, min_after=3)
# online declines slowly over the second half (arrivals fall to DECLINE["floor"]): R02, week 2 Friday evening
DECLINE: dict[str, Any] = dict(room=1, day=1 * 7 + 4, slot=1, floor=0.25)
# R03's week-8 GMV grows on traffic (expected UV × uv) while conversion falls (P(order) × conversion)
PERIOD_EFFECT: dict[str, Any] = dict(room=2, week=8, uv=1.7, conversion=0.8)
# run sheet: cumulative lateness steps (P(step), step minutes), P(a planned extra product is skipped)
RUN_SHEET_LATE = (0.2, (2.0, 6.0))
RUN_SHEET_SKIP = 0.35
LATE_AFTER_MIN = 2.0                        # a pitch starting more than this after its plan is late
EXPERIMENT_SPECS: dict[str, dict[str, Any]] = {
    "EXP-SCRIPT": dict(room=1, weeks=(3, 6), unit="session", variable="script",
                       variants=("A", "B"), control="A", split="A:0.5,B:0.5",
                       primary_metric="click_to_order_rate",
                       effect={"A": 1.0, "B": 1.20}, lever="P(order | product click) per person"),
    "EXP-COUPON": dict(room=0, weeks=(4, 7), unit="viewer", variable="coupon",
                       # arms named as a team names them (like EXP-SCENE's 实景 / 绿幕): the page shows them as they are
                       variants=("列表", "宫格"), control="列表", split="列表:0.5,宫格:0.5",
                       primary_metric="view_to_order_rate",
                       effect={"列表": 1.0, "宫格": 1.15}, lever="P(order) of each viewer"),
    "EXP-CREATIVE": dict(room=2, weeks=(2, 5), unit="viewer", variable="creative",
                         variants=("15s", "30s", "60s"), control="15s",
                         split="15s:0.3333,30s:0.3333,60s:0.3334",
                         primary_metric="impression_to_view_rate",
                         effect={"15s": 1.0, "30s": 1.10, "60s": 1.00}, lever="P(enter | impression)"),
}
