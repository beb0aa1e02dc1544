"""The diagnosis rules: small pure functions from a few numbers or tables to a :class:`Finding` or None.

Every threshold is a named entry of :data:`THRESHOLDS` (its words are in
:mod:`liveops_nb.render.review.diagnosis`). Ratios between the rule's inputs (gaps, shares,
multiples, step conversions) come from :mod:`liveops_nb.measures`; registry values come in
already computed (see :mod:`liveops_nb.review.diagnosis.inputs`).

=================  ======================================================================  ==========
code               fires when                                                              severity
=================  ======================================================================  ==========
short_stay         avg watch time < category P50 and < room median of last 10 sessions     medium
                   by more than 20 % (only the reference available is used if one is
                   missing)
single_channel     top channel > 50 % of UV                                                 medium
rhythm_off         (A) a high-value product (profit role or top-price quartile) pitched    A: medium
                   with average online < 60 % of the session's median online; (B) the      B: medium
                   lowest-online pitch (of ≥ 3) holds the highest-priced pitched product   A+B: high
incident           outage detected (``timeline.detect_outages``) or incident logged        outage: high,
                                                                                           log: medium
cart_drop          cart→buyer conversion (people who carted and ordered / people who       medium
                   carted, ≥ 20 carted) < 50 % of the room median (last 10 sessions)
refunds            room refund rate of sessions in the last 14 days > 1.5 × (and ≥ 2       one: medium
                   points above) the 28 days before (``rising``), and/or > 30 % of         both: high
                   refunds (≥ 5) in those 14 days processed more than 48 h after the
                   order (``slow``); the evidence says which of the two fired
metric_worse       a main metric materially worse than the page's basis that no rule       low; medium
                   explains (see :mod:`.story`: the shortfall exceeds ``variation_k`` ×    at ≥ 50 %
                   the room's robust spread, bounded to [10 %, 50 %])
=================  ======================================================================  ==========

Every finding also carries, once the story is assembled (:mod:`.story`), the registry metric it
is about (``metric``), its numbers with their scopes (``figures``), the metrics it explains, its
estimated GMV impact and the lever it needs.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import pandas as pd

from ... import measures
from ..findings import Figure

Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER: Mapping[str, int] = MappingProxyType({"high": 0, "medium": 1, "low": 2})

THRESHOLDS: Mapping[str, float] = MappingProxyType({
    "history_n": 10,
    "short_stay_gap": 0.20,
    "single_channel_share": 0.50,
    "trough_ratio": 0.60,
    "high_price_quantile": 0.75,
    "rhythm_min_pitches": 3,
    "outage_drop": 0.70,
    "outage_min_minutes": 3,
    "cart_vs_median": 0.50,
    "cart_min_people": 20,
    "refund_recent_days": 14,
    "refund_earlier_days": 28,
    "refund_rise_factor": 1.5,
    "refund_rise_min_diff": 0.02,
    "refund_slow_hours": 48,
    "refund_slow_share": 0.30,
    "refund_min_refunds": 5,
    "material_gap": 0.10,
    "material_max_gap": 0.50,
    "variation_k": 1.5,
    "variation_min_sessions": 5,
    "metric_medium_gap": 0.50,
})
"""Every threshold of the rules, by name."""

RULE_SECTIONS: Mapping[str, str] = MappingProxyType({
    "short_stay": "results", "single_channel": "traffic", "rhythm_off": "products", "incident": "timeline",
    "cart_drop": "funnel", "refunds": "results", "metric_worse": "results"})
"""Rule code -> the review section a finding points to."""

CODES: tuple[str, ...] = tuple(RULE_SECTIONS)


def th(name: str) -> float:
    """The value of threshold ``name``."""
    return THRESHOLDS[name]


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and bool(np.isnan(v)))


@dataclass(frozen=True)
class Finding:
    """One problem found: rule code, severity and the evidence (numbers, names, clock times ``HH:MM``).

    A missing piece of evidence is None or NaN; the renderer leaves out the sentence part that needs it.

    Attributes
    ----------
    metric : the registry metric the finding is about (its ``session`` figure is the session's own value).
    figures : the finding's numbers, each with its scope (本场 / 近14天 / 房间中位数 …).
    explains : main metrics materially worse than the basis that this finding accounts for.
    impact : estimated GMV impact in CNY (what the session lost against the basis; None = no estimate).
    lever : what the next session must work on (traffic, conversion, order_value, retention, …).
    """

    code: str
    severity: Severity
    evidence: Mapping[str, Any] = field(default_factory=dict)
    metric: str | None = None
    figures: tuple[Figure, ...] = ()
    explains: tuple[str, ...] = ()
    impact: float | None = None
    lever: str | None = None

    @property
    def section(self) -> str:
        """The review section to look at."""
        return RULE_SECTIONS[self.code]

    @property
    def id(self) -> str:
        """Identifies the finding on a page: the rule code, or ``metric_worse:<metric>``."""
        return f"{self.code}:{self.metric}" if self.code == "metric_worse" else self.code

    def figure(self, scope: str) -> Figure | None:
        """The finding's first figure of ``scope`` (None if it has none)."""
        return next((f for f in self.figures if f.scope == scope), None)


# ---------------------------------------------------------------------------------------- rules
def short_stay(value: float | None, bench_p50: float | None, room_median: float | None) -> Finding | None:
    """Average watch time below the category P50 and > 20 % below the room median (references present)."""
    if _missing(value) or (_missing(bench_p50) and _missing(room_median)):
        return None
    assert value is not None
    below_bench = _missing(bench_p50) or value < bench_p50  # type: ignore[operator]
    below_room = _missing(room_median) or value < (1 - th("short_stay_gap")) * room_median  # type: ignore[operator]
    if not (below_bench and below_room):
        return None
    ref = room_median if not _missing(room_median) else bench_p50
    return Finding("short_stay", "medium", {"value": value, "bench_p50": bench_p50, "room_median": room_median,
                                            "gap": -measures.relative_gap(value, ref)})


def single_channel(channel: str | None, share: float | None) -> Finding | None:
    """The top channel brings more than 50 % of UV."""
    if channel is None or _missing(share) or share <= th("single_channel_share"):  # type: ignore[operator]
        return None
    return Finding("single_channel", "medium", {"channel": channel, "share": share, "limit": th("single_channel_share")})


def peak_minute(minute_online: pd.DataFrame, window: int = 5) -> tuple[int, pd.Timestamp]:
    """Offset (minutes after the first minute) and clock time of the highest ``window``-minute mean online."""
    m = minute_online.sort_values("minute").reset_index(drop=True)
    i = int(np.nanargmax(m["online"].astype(float).rolling(window, center=True, min_periods=1).mean().to_numpy()))
    return i, m["minute"].iloc[i]


def rhythm_off(pitches: pd.DataFrame, minute_online: pd.DataFrame) -> Finding | None:
    """High-value product pitched in a traffic trough (see the module table).

    Parameters
    ----------
    pitches : one row per pitch — product_id, name, role, list_price, start, start_offset, avg_online
        (:func:`liveops_nb.review.diagnosis.inputs.pitch_online`).
    minute_online : the session's minutes — minute, online.
    """
    p = pitches.dropna(subset=["avg_online"])
    if p.empty or minute_online.empty:
        return None
    median = float(minute_online["online"].median())
    if median <= 0:
        return None
    cut = np.quantile(p["list_price"], th("high_price_quantile"))
    high = (p["role"] == "profit") | (p["list_price"] >= cut)
    ratio = p["avg_online"].map(lambda v: measures.multiple(v, median))
    a = p[high & (ratio < th("trough_ratio"))]
    lowest = p.iloc[int(np.argmin(p["avg_online"].to_numpy()))]
    b = len(p) >= th("rhythm_min_pitches") and bool(lowest["list_price"] >= p["list_price"].max())
    if a.empty and not b:
        return None
    worst = lowest if a.empty else a.iloc[int(np.argmin(ratio[a.index].to_numpy()))]
    severity: Severity = "high" if (not a.empty and b) else "medium"
    pk, pk_ts = peak_minute(minute_online)
    return Finding("rhythm_off", severity, {
        "product": worst["name"], "product_id": worst["product_id"], "price": float(worst["list_price"]),
        "pitch_minute": int(round(worst["start_offset"])), "pitch_clock": pd.Timestamp(worst["start"]).strftime("%H:%M"),
        "avg_online": float(worst["avg_online"]), "median_online": median,
        "ratio": measures.multiple(worst["avg_online"], median),
        "peak_minute": pk, "peak_clock": pd.Timestamp(pk_ts).strftime("%H:%M")})


def incident(outages: pd.DataFrame, logged: pd.DataFrame | None) -> Finding | None:
    """Outages detected in the minute trend (high) and/or incidents in the log (medium)."""
    n_log = 0 if logged is None else len(logged)
    if outages.empty and n_log == 0:
        return None
    starts = [*outages["start"], *([] if logged is None else logged["start"])]
    return Finding("incident", "high" if not outages.empty else "medium", {
        "outages": float(len(outages)) if not outages.empty else None,
        "outage_minutes": float(outages["minutes"].sum()) if not outages.empty else None,
        "logged": float(n_log) if n_log else None, "first": pd.Timestamp(min(starts)).strftime("%H:%M")})


def cart_conversion(cart_order: pd.DataFrame) -> pd.DataFrame:
    """Per session from distinct ``session_id, user_id, event_type`` rows (cart / order):
    ``cart_people``, ``cart_buyers`` (carted and ordered), ``ratio`` (the step conversion between them)."""
    c = cart_order[cart_order["event_type"] == "cart"][["session_id", "user_id"]].drop_duplicates()
    o = cart_order[cart_order["event_type"] == "order"][["session_id", "user_id"]].drop_duplicates().assign(bought=1)
    j = c.merge(o, on=["session_id", "user_id"], how="left")
    g = j.groupby("session_id").agg(cart_people=("user_id", "size"), cart_buyers=("bought", "sum")).reset_index()
    g["ratio"] = [measures.step_conversion(b, n) for b, n in zip(g["cart_buyers"], g["cart_people"], strict=True)]
    return g


def cart_drop(cart_people: float, cart_buyers: float, room_median: float | None) -> Finding | None:
    """Cart→buyer conversion below half the room median (with at least 20 people who carted)."""
    if cart_people < th("cart_min_people") or _missing(room_median) or room_median <= 0:  # type: ignore[operator]
        return None
    ratio = measures.step_conversion(cart_buyers, cart_people)
    if ratio >= th("cart_vs_median") * room_median:  # type: ignore[operator]
        return None
    return Finding("cart_drop", "medium", {"cart_people": cart_people, "cart_buyers": cart_buyers, "ratio": ratio,
                                           "room_median": room_median})


def refund_windows(room_sessions: pd.DataFrame, end: pd.Timestamp) -> tuple[list[str], list[str]]:
    """The room's sessions starting in the last ``refund_recent_days`` before ``end`` and in the
    ``refund_earlier_days`` before that (windows open at the start, closed at the end).

    ``room_sessions``: ``session_id, start_time``. The windows' refund rates are the registry's
    ``refund_rate`` over each window's sessions (a ratio of the summed refund amounts and GMV).
    """
    recent_from = end - pd.Timedelta(days=th("refund_recent_days"))
    earlier_from = recent_from - pd.Timedelta(days=th("refund_earlier_days"))
    s = room_sessions.sort_values("start_time")
    rec = s[(s["start_time"] > recent_from) & (s["start_time"] <= end)]
    ear = s[(s["start_time"] > earlier_from) & (s["start_time"] <= recent_from)]
    return rec["session_id"].astype(str).tolist(), ear["session_id"].astype(str).tolist()


def slow_refunds(orders: pd.DataFrame, end: pd.Timestamp) -> tuple[int, int]:
    """Refunded orders placed in the last ``refund_recent_days`` before ``end`` and how many were refunded
    more than ``refund_slow_hours`` after the order."""
    since = end - pd.Timedelta(days=th("refund_recent_days"))
    o = orders[(orders["ts"] > since) & (orders["ts"] <= end) & (orders["refund_amount"] > 0) & orders["refunded_at"].notna()]
    hours = (o["refunded_at"] - o["ts"]).dt.total_seconds() / 3600
    return int(len(o)), int((hours > th("refund_slow_hours")).sum())


def refunds(recent_rate: float | None, earlier_rate: float | None, n_refunds: int | None,
            n_slow: int | None) -> Finding | None:
    """Refund rate rising > 1.5× (and by ≥ 2 points) and/or > 30 % of ≥ 5 recent refunds slower than 48 h."""
    rising = bool(not _missing(recent_rate) and not _missing(earlier_rate) and earlier_rate > 0  # type: ignore[operator]
                  and recent_rate > th("refund_rise_factor") * earlier_rate  # type: ignore[operator]
                  and recent_rate - earlier_rate >= th("refund_rise_min_diff"))  # type: ignore[operator]
    factor = measures.multiple(recent_rate, earlier_rate)
    slow_share = measures.share_of(n_slow, n_refunds) if n_refunds else None
    slow = bool(n_refunds and n_refunds >= th("refund_min_refunds") and slow_share > th("refund_slow_share"))  # type: ignore[operator]
    if not (rising or slow):
        return None
    return Finding("refunds", "high" if rising and slow else "medium", {
        "days": int(th("refund_recent_days")), "recent_rate": recent_rate, "earlier_rate": earlier_rate,
        "factor": None if _missing(factor) else factor, "refunds": n_refunds, "slow_share": slow_share,
        "hours": int(th("refund_slow_hours")), "earlier_days": int(th("refund_earlier_days")),
        "rising": rising, "slow": slow})
