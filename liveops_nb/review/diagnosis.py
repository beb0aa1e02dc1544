"""Section 8 — 现存问题 Diagnosis: automatic findings from the template's problem list.

Each rule is a small pure function that takes a few numbers or tables and
returns a :class:`Finding` or None. Every threshold is a named entry of
:data:`THRESHOLDS`; :func:`rules_table` lists rules and thresholds (docs).

=================  ======================================================================  ==========
code               fires when                                                              severity
=================  ======================================================================  ==========
short_stay         avg watch time < category P50 and < room median of last 10 sessions     medium
                   by more than 20 % (only the reference available is used if one is
                   missing)
single_channel     top channel > 50 % of UV (``traffic.concentration``)                     medium
rhythm_off         (A) a high-value product (profit role or top-price quartile) pitched    A: medium
                   with average online < 60 % of the session's median online; (B) the      B: medium
                   lowest-online pitch (of ≥ 3) holds the highest-priced pitched product   A+B: high
incident           outage detected (``timeline.detect_outages``) or incident logged        outage: high,
                                                                                           log: medium
cart_drop          cart→buyer conversion (people who carted and ordered / people who       medium
                   carted, ≥ 20 carted) < 50 % of the room median (last 10 sessions)
refunds            room refund rate of sessions in the last 14 days > 1.5 × (and ≥ 2       one: medium
                   points above) the 28 days before, and/or > 30 % of refunds (≥ 5) in     both: high
                   those 14 days processed more than 48 h after the order
=================  ======================================================================  ==========
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ..config import load_benchmarks
from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..render.html import note
from . import funnel, products, results, timeline, traffic  # the sections a finding points to (titles)
from .products import HIGH_PRICE_QUANTILE, pitch_table, registry_ratio
from .results import comparison_table, prior_sessions
from .timeline import detect_outages
from .traffic import channel_table, concentration

TITLE = ("现存问题", "Problems found")
Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Threshold:
    value: float
    zh: str
    en: str


THRESHOLDS: dict[str, Threshold] = {
    "history_n": Threshold(10, "房间历史 = 本场之前最近 N 场", "room history = the last N sessions before this one"),
    "short_stay_gap": Threshold(0.20, "低于房间中位数的幅度", "shortfall vs the room median"),
    "single_channel_share": Threshold(0.50, "单一渠道观看人数占比上限", "max UV share of one channel"),
    "trough_ratio": Threshold(0.60, "讲解期平均在线 / 全场在线中位数 下限", "pitch avg online / session median online"),
    "high_price_quantile": Threshold(HIGH_PRICE_QUANTILE, "高价商品 = 标价不低于该分位数", "high-price = list price at/above this quantile"),
    "rhythm_min_pitches": Threshold(3, "条件 B 需要的最少讲解段数", "minimum pitches for condition B"),
    "outage_drop": Threshold(0.70, "断流：在线跌幅（timeline.detect_outages）", "outage: online drop (timeline.detect_outages)"),
    "outage_min_minutes": Threshold(3, "断流：最短持续分钟", "outage: minimum minutes"),
    "cart_vs_median": Threshold(0.50, "加购→成交转化 / 房间中位数 下限", "cart→buyer conversion / room median"),
    "cart_min_people": Threshold(20, "最少加购人数", "minimum people who carted"),
    "refund_recent_days": Threshold(14, "退款：近期窗口（天）", "refunds: recent window (days)"),
    "refund_earlier_days": Threshold(28, "退款：对比窗口（天）", "refunds: earlier window (days)"),
    "refund_rise_factor": Threshold(1.5, "退款率上升倍数", "refund rate rise factor"),
    "refund_rise_min_diff": Threshold(0.02, "退款率至少上升（绝对值）", "minimum absolute rise of the refund rate"),
    "refund_slow_hours": Threshold(48, "慢退款：下单后小时数", "slow refund: hours after the order"),
    "refund_slow_share": Threshold(0.30, "慢退款占比上限", "max share of slow refunds"),
    "refund_min_refunds": Threshold(5, "判断慢退款的最少退款笔数", "minimum refunds to judge speed"),
}


def th(name: str) -> float:
    """The value of threshold ``name``."""
    return THRESHOLDS[name].value


@dataclass(frozen=True)
class Rule:
    """A diagnosis rule's display: sentence parts (zh, en) over the evidence; a part is shown only when
    none of its fields is missing. ``units`` maps evidence keys to :func:`~liveops_nb.render.fmt.fmt_value` units."""

    code: str
    section: str
    title: tuple[str, str]
    parts: tuple[tuple[str, str], ...]
    units: dict[str, str] = field(default_factory=dict)


RULES: dict[str, Rule] = {r.code: r for r in (
    Rule("short_stay", "results", ("停留时长偏短", "Short stay"),
         (("人均观看时长 {value}", "Average watch time {value}"), ("同品类 P50 {bench_p50}", "category P50 {bench_p50}"),
          ("近期房间中位数 {room_median}（低 {gap}）", "room median {room_median} ({gap} below)")),
         {"value": "seconds", "bench_p50": "seconds", "room_median": "seconds", "gap": "ratio"}),
    Rule("single_channel", "traffic", ("流量依赖单一渠道", "Traffic depends on one channel"),
         (("“{channel}” 带来 {share} 的观看人数（上限 {limit}）", "'{channel}' brought {share} of viewers (limit {limit})"),),
         {"share": "ratio", "limit": "ratio"}),
    Rule("rhythm_off", "products", ("节奏错位：高价值商品在流量低谷讲解", "Rhythm off: high-value product pitched in a trough"),
         (("“{product}”（¥{price}）在开播第 {pitch_minute} 分钟（{pitch_clock}）讲解，平均在线 {avg_online}，"
           "仅为全场中位数 {median_online} 的 {ratio}",
           "'{product}' (¥{price}) was pitched at minute {pitch_minute} ({pitch_clock}) with {avg_online} online on "
           "average, {ratio} of the session median {median_online}"),
          ("在线高峰在第 {peak_minute} 分钟（{peak_clock}）", "online peaked at minute {peak_minute} ({peak_clock})")),
         {"avg_online": "people", "median_online": "people", "ratio": "ratio"}),
    Rule("incident", "timeline", ("技术故障", "Technical incident"),
         (("检测到断流 {outages} 次，共 {outage_minutes} 分钟", "{outages} outage(s) detected, {outage_minutes} minutes in total"),
          ("事故记录 {logged} 条", "{logged} incident(s) logged"), ("首次发生于 {first}", "first at {first}")),
         {"outages": "count", "outage_minutes": "count", "logged": "count"}),
    Rule("cart_drop", "funnel", ("加购后流失严重", "Drop between cart and pay"),
         (("加购 {cart_people} 人中 {cart_buyers} 人成交（{ratio}），不足房间中位数 {room_median} 的一半",
           "{cart_buyers} of {cart_people} people who carted bought ({ratio}), under half the room median {room_median}"),),
         {"cart_people": "people", "cart_buyers": "people", "ratio": "ratio", "room_median": "ratio"}),
    Rule("refunds", "results", ("退款上升或处理慢", "Refunds rising or slow"),
         (("近 {days} 天退款率 {recent_rate}，此前 {earlier_rate}（{factor} 倍）",
           "refund rate {recent_rate} in the last {days} days vs {earlier_rate} before ({factor}×)"),
          ("近期退款 {refunds} 笔中 {slow_share} 超过 {hours} 小时才处理",
           "{slow_share} of {refunds} recent refunds took more than {hours} h")),
         {"recent_rate": "ratio", "earlier_rate": "ratio", "factor": "x", "refunds": "count", "slow_share": "ratio"}),
)}

register({
    "diagnosis_none": ("未发现明显问题", "No significant problems found"),
    "diagnosis_severity_high": ("严重", "High"),
    "diagnosis_severity_medium": ("中", "Medium"),
    "diagnosis_severity_low": ("低", "Low"),
    "diagnosis_see": ("查看：{section}", "see: {section}"),
    "diagnosis_not_checked": ("未能检查（此数据源无法提供所需数据）：{rules}", "Not checked (not available from this source): {rules}"),
    "diagnosis_rule": ("规则", "Rule"),
    "diagnosis_threshold": ("阈值", "Threshold"),
    "diagnosis_value": ("取值", "Value"),
})


@dataclass(frozen=True)
class Finding:
    """One problem found: rule code, severity, evidence numbers and the section to look at."""

    code: str
    severity: Severity
    evidence: dict

    @property
    def section(self) -> str:
        return RULES[self.code].section

    def title(self, lang: Lang = "zh") -> str:
        return RULES[self.code].title[0 if lang == "zh" else 1]

    def text(self, lang: Lang = "zh") -> str:
        """The rule's sentence parts whose evidence is all present, formatted and joined."""
        rule = RULES[self.code]
        shown = {k: fmt_value(v, rule.units[k], lang) if k in rule.units else str(v)
                 for k, v in self.evidence.items() if not is_missing(v)}
        parts = []
        for zh, en in rule.parts:
            tmpl = zh if lang == "zh" else en
            try:
                parts.append(tmpl.format(**shown))
            except KeyError:  # a field of this part is missing
                continue
        text = ("；" if lang == "zh" else "; ").join(parts)
        return text if lang == "zh" else text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------------- rules
def short_stay(value: float | None, bench_p50: float | None, room_median: float | None) -> Finding | None:
    """Average watch time below the category P50 and > 20 % below the room median (references present)."""
    if is_missing(value) or (is_missing(bench_p50) and is_missing(room_median)):
        return None
    below_bench = is_missing(bench_p50) or value < bench_p50
    below_room = is_missing(room_median) or value < (1 - th("short_stay_gap")) * room_median
    if not (below_bench and below_room):
        return None
    ref = room_median if not is_missing(room_median) else bench_p50
    return Finding("short_stay", "medium", {"value": value, "bench_p50": bench_p50, "room_median": room_median,
                                            "gap": (ref - value) / ref if ref else None})


def single_channel(channel: str | None, share: float | None) -> Finding | None:
    """The top channel brings more than 50 % of UV."""
    if channel is None or is_missing(share) or share <= th("single_channel_share"):
        return None
    return Finding("single_channel", "medium", {"channel": channel, "share": share, "limit": th("single_channel_share")})


def peak_minute(minute_stats: pd.DataFrame, window: int = 5) -> tuple[int, pd.Timestamp]:
    """Offset (minutes after the first minute) and clock time of the highest ``window``-minute mean online."""
    m = minute_stats.sort_values("minute").reset_index(drop=True)
    i = int(np.nanargmax(m["online"].astype(float).rolling(window, center=True, min_periods=1).mean().to_numpy()))
    return i, m["minute"].iloc[i]


def rhythm_off(pitches: pd.DataFrame, minute_stats: pd.DataFrame) -> Finding | None:
    """High-value product pitched in a traffic trough (see the module table); ``pitches`` from ``products.pitch_table``."""
    p = pitches.dropna(subset=["avg_online"])
    if p.empty or minute_stats.empty:
        return None
    median = float(minute_stats["online"].median())
    if median <= 0:
        return None
    cut = np.quantile(p["list_price"], th("high_price_quantile"))
    high = (p["role"] == "profit") | (p["list_price"] >= cut)
    ratio = p["avg_online"] / median
    a = p[high & (ratio < th("trough_ratio"))]
    lowest = p.loc[p["avg_online"].idxmin()]
    b = len(p) >= th("rhythm_min_pitches") and bool(lowest["list_price"] >= p["list_price"].max())
    if a.empty and not b:
        return None
    worst = lowest if a.empty else a.loc[(a["avg_online"] / median).idxmin()]
    severity: Severity = "high" if (not a.empty and b) else "medium"
    pk, pk_ts = peak_minute(minute_stats)
    return Finding("rhythm_off", severity, {
        "product": worst["name"], "product_id": worst["product_id"], "price": f"{worst['list_price']:,.0f}",
        "pitch_minute": int(round(worst["start_offset"])), "pitch_clock": pd.Timestamp(worst["start"]).strftime("%H:%M"),
        "avg_online": float(worst["avg_online"]), "median_online": median, "ratio": float(worst["avg_online"] / median),
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
    ``cart_people``, ``cart_buyers`` (carted and ordered), ``ratio``."""
    c = cart_order[cart_order["event_type"] == "cart"][["session_id", "user_id"]].drop_duplicates()
    o = cart_order[cart_order["event_type"] == "order"][["session_id", "user_id"]].drop_duplicates().assign(bought=1)
    j = c.merge(o, on=["session_id", "user_id"], how="left")
    g = j.groupby("session_id").agg(cart_people=("user_id", "size"), cart_buyers=("bought", "sum")).reset_index()
    g["ratio"] = g["cart_buyers"] / g["cart_people"]
    return g


def cart_drop(cart_people: float, cart_buyers: float, room_median: float | None) -> Finding | None:
    """Cart→buyer conversion below half the room median (with at least 20 people who carted)."""
    if cart_people < th("cart_min_people") or is_missing(room_median) or room_median <= 0:
        return None
    ratio = cart_buyers / cart_people
    if ratio >= th("cart_vs_median") * room_median:
        return None
    return Finding("cart_drop", "medium", {"cart_people": cart_people, "cart_buyers": cart_buyers, "ratio": ratio,
                                           "room_median": room_median})


def refund_windows(room_sessions: pd.DataFrame, end: pd.Timestamp) -> tuple[float | None, float | None]:
    """Refund rate of the room's sessions starting in the last ``refund_recent_days`` before ``end`` and in the
    ``refund_earlier_days`` before that: registry ``refund_rate`` applied to the summed refund amounts and GMV.

    ``room_sessions``: ``start_time, gmv, refund_amount`` per session (rows with a missing value are left out).
    """
    recent_from = end - pd.Timedelta(days=th("refund_recent_days"))
    earlier_from = recent_from - pd.Timedelta(days=th("refund_earlier_days"))
    s = room_sessions.dropna(subset=["gmv", "refund_amount"])
    rec = s[(s["start_time"] > recent_from) & (s["start_time"] <= end)]
    ear = s[(s["start_time"] > earlier_from) & (s["start_time"] <= recent_from)]
    return (registry_ratio(float(rec["refund_amount"].sum()), float(rec["gmv"].sum()), "refund_rate"),
            registry_ratio(float(ear["refund_amount"].sum()), float(ear["gmv"].sum()), "refund_rate"))


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
    rising = not is_missing(recent_rate) and not is_missing(earlier_rate) and earlier_rate > 0 \
        and recent_rate > th("refund_rise_factor") * earlier_rate and recent_rate - earlier_rate >= th("refund_rise_min_diff")
    slow_share = n_slow / n_refunds if n_refunds else None
    slow = bool(n_refunds and n_refunds >= th("refund_min_refunds") and slow_share > th("refund_slow_share"))
    if not (rising or slow):
        return None
    factor = recent_rate / earlier_rate if not is_missing(recent_rate) and earlier_rate else None
    return Finding("refunds", "high" if rising and slow else "medium", {
        "days": int(th("refund_recent_days")), "recent_rate": recent_rate, "earlier_rate": earlier_rate,
        "factor": factor, "refunds": n_refunds, "slow_share": slow_share, "hours": int(th("refund_slow_hours"))})


# ---------------------------------------------------------------------------------------- orchestration
@dataclass(frozen=True)
class DiagnosisData:
    """Findings (most severe first) and the rules that could not be checked on this dataset."""

    session_id: str
    findings: tuple[Finding, ...]
    not_checked: tuple[str, ...] = ()


def _cart_inputs(ds, session_id: str, history: list[str]) -> tuple[float, float, float | None]:
    ev = ds.table("events")
    rows = ev.filter(ev.event_type.isin(["cart", "order"]) & ev.session_id.isin([*history, session_id]))
    conv = cart_conversion(rows.select("session_id", "user_id", "event_type").distinct().execute())
    hist = conv[conv["session_id"].isin(history)]
    me = conv[conv["session_id"] == session_id]
    median = float(hist["ratio"].median()) if len(hist) else None
    if me.empty:
        return 0.0, 0.0, median
    return float(me["cart_people"].iloc[0]), float(me["cart_buyers"].iloc[0]), median


def _room_kpis(ds, info: pd.Series) -> pd.DataFrame:
    """Registry values of the room's sessions that started up to this session's end (avg watch, GMV, refunds)."""
    si = ds.session_info
    room = si[(si["room_id"] == info["room_id"]) & (si["start_time"] <= info["end_time"])]
    k = ds.kpis(["avg_watch_seconds", "gmv", "refund_rate"], where={"session_id": room["session_id"].tolist()})
    k = k.merge(room[["session_id", "start_time"]], on="session_id")
    # refund amount back from the registry's refund_rate = refund_amount / gmv (0 when there was no GMV)
    return k.assign(refund_amount=k["refund_rate"] * k["gmv"]).assign(
        refund_amount=lambda d: d["refund_amount"].mask(d["gmv"] == 0, 0.0))


def _refund_inputs(ds, info: pd.Series, room: pd.DataFrame):
    if room["refund_amount"].isna().all():
        return None
    recent, earlier = refund_windows(room, info["end_time"])
    n = slow = None
    if ds.has("orders"):
        n, slow = slow_refunds(ds.frame("orders", room["session_id"].tolist()), info["end_time"])
    return recent, earlier, n, slow


def build(ds, session_id: str, *, lang: Lang = "zh", history_n: int | None = None, **options) -> DiagnosisData:
    """Run every rule on ``session_id``; rules whose inputs are missing are listed as not checked.

    Findings do not depend on ``lang``; results are memoised per (dataset, session, history_n) so that
    ``next_steps`` reuses the diagnosis the page already built.
    """
    ds.session(session_id)
    return _run(ds, session_id, int(history_n or th("history_n")))


@functools.lru_cache(maxsize=16)
def _run(ds, session_id: str, history_n: int) -> DiagnosisData:
    info = ds.session(session_id)
    si = ds.session_info
    history = prior_sessions(si, session_id)["session_id"].iloc[-history_n:].tolist()
    found: list[Finding | None] = []
    skipped: list[str] = []
    room = _room_kpis(ds, info)
    comp = comparison_table(room, si, session_id, history_n, benchmarks=load_benchmarks(ds.path),
                            keys=("avg_watch_seconds",)).iloc[0]
    if is_missing(comp["value"]):
        skipped.append("short_stay")
    found.append(short_stay(comp["value"], comp["bench_p50"], comp["median"]))
    if ds.has("channels"):
        top, share, _hhi = concentration(channel_table(ds.frame("channels", session_id)))
        found.append(single_channel(top, share))
    else:
        skipped.append("single_channel")
    minute = ds.frame("minute_stats", session_id) if ds.has("minute_stats") else None
    if minute is not None and ds.has("pitches") and ds.has("products"):
        found.append(rhythm_off(pitch_table(ds.frame("pitches", session_id), ds.frame("products"), minute), minute))
    else:
        skipped.append("rhythm_off")
    logged = ds.frame("incidents", session_id) if ds.has("incidents") else None
    if minute is None and logged is None:
        skipped.append("incident")
    else:
        outages = detect_outages(minute, th("outage_drop"), int(th("outage_min_minutes"))) if minute is not None \
            else pd.DataFrame(columns=["start", "minutes"])
        found.append(incident(outages, logged))
    if ds.has("events"):
        found.append(cart_drop(*_cart_inputs(ds, session_id, history)))
    else:
        skipped.append("cart_drop")
    ref = _refund_inputs(ds, info, room)
    if ref is None:
        skipped.append("refunds")
    else:
        found.append(refunds(*ref))
    findings = sorted((f for f in found if f is not None), key=lambda f: SEVERITY_ORDER[f.severity])
    return DiagnosisData(session_id, tuple(findings), tuple(skipped))


def _section_title(name: str, lang: Lang) -> str:
    try:
        title = {"funnel": funnel, "products": products, "results": results, "timeline": timeline,
                 "traffic": traffic}[name].TITLE
    except KeyError:
        return name
    return title[0] if lang == "zh" else title[1]


def card_text(f: Finding, lang: Lang = "zh") -> str:
    """One finding as a line: [severity] title: evidence — see: section."""
    sev = t(f"diagnosis_severity_{f.severity}", lang)
    sep = "：" if lang == "zh" else ": "
    return f"[{sev}] {f.title(lang)}{sep}{f.text(lang)} — {t('diagnosis_see', lang, section=_section_title(f.section, lang))}"


def render(data: DiagnosisData, lang: Lang = "zh") -> list:
    """Finding cards (bad = high, warn = medium/low), or "no significant problems"; then what was not checked."""
    items: list = [note(card_text(f, lang), "bad" if f.severity == "high" else "warn") for f in data.findings]
    if not data.findings:
        items.append(note(t("diagnosis_none", lang), "good"))
    if data.not_checked:
        names = ("、" if lang == "zh" else ", ").join(RULES[c].title[0 if lang == "zh" else 1] for c in data.not_checked)
        items.append(note(t("diagnosis_not_checked", lang, rules=names), "na"))
    return items


def rules_table(lang: Lang = "zh") -> pd.DataFrame:
    """The thresholds of every rule (for documentation pages)."""
    return pd.DataFrame({t("diagnosis_rule", lang): list(THRESHOLDS),
                         t("diagnosis_threshold", lang): [x.zh if lang == "zh" else x.en for x in THRESHOLDS.values()],
                         t("diagnosis_value", lang): [f"{x.value:g}" for x in THRESHOLDS.values()]})


def key_figures(data: DiagnosisData) -> dict[str, float | str | None]:
    """Counts by severity, the codes found, and each rule's severity (None = not found, "not_checked")."""
    out: dict[str, float | str | None] = {f"n_{s}": float(sum(f.severity == s for f in data.findings)) for s in SEVERITY_ORDER}
    out["n_findings"] = float(len(data.findings))
    out["codes"] = ",".join(f.code for f in data.findings)
    for code in RULES:
        hit = [f.severity for f in data.findings if f.code == code]
        out[f"rule_{code}"] = hit[0] if hit else ("not_checked" if code in data.not_checked else None)
    return out
