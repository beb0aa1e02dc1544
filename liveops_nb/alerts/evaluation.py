"""Rules applied to one session's minutes: :func:`evaluate` (from a dataset) and :func:`evaluate_frame` (pure).

A rule's condition is checked minute by minute on the window value of its metric; a run of at least
``min_duration`` minutes is an alert that *fires* at the run's ``min_duration``-th minute (when a live
monitor can know it). A new run of the same rule (and product) that starts within ``quiet_minutes`` of the
previous alert's end is a repeat: it extends that alert (same id) instead of raising a new one.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import detect, series
from .rules import Rule, Rules, load_rules

if TYPE_CHECKING:
    from ..dataset import Dataset

MINUTE = pd.Timedelta(minutes=1)
SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Alert:
    """One alert, language-neutral (``code`` + ``params``; words in :mod:`liveops_nb.render.alerts`).

    ``start`` is the first minute of the run, ``end`` the minute after its last one (None while the run is still
    going on at the end of the data seen), ``fired_at`` the minute the rule could first say so. ``value`` is the
    most extreme window value of the run and ``threshold`` the limit it was compared with at that minute.
    """

    rule_id: str
    metric: str
    session_id: str
    room_id: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    value: float
    threshold: float | None
    severity: str
    code: str
    fired_at: pd.Timestamp
    product_id: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def id(self) -> str:
        """Stable identity: session, rule, product and start minute."""
        return f"{self.session_id}|{self.rule_id}|{self.product_id or ''}|{self.start.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (timestamps in ISO 8601 with their offset)."""
        def iso(t: pd.Timestamp | None) -> str | None:
            return None if t is None else pd.Timestamp(t).isoformat()
        return {"alert_id": self.id, "rule_id": self.rule_id, "metric": self.metric, "session_id": self.session_id,
                "room_id": self.room_id, "product_id": self.product_id, "start": iso(self.start), "end": iso(self.end),
                "fired_at": iso(self.fired_at), "value": _num(self.value), "threshold": _num(self.threshold),
                "severity": self.severity, "code": self.code, "params": {k: _plain(v) for k, v in self.params.items()}}


def _num(v: float | None) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def _plain(v: Any) -> Any:
    if isinstance(v, (np.floating, float)):
        return _num(float(v))
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return v


# ----------------------------------------------------------------------------- conditions
def compare(x: np.ndarray, op: str, thr: np.ndarray | float) -> np.ndarray:
    """``x op thr`` element-wise, False where either side is missing."""
    with np.errstate(invalid="ignore"):
        out = {"<": x < thr, ">": x > thr, "<=": x <= thr, ">=": x >= thr}[op]
    return out & np.isfinite(x) & np.isfinite(np.broadcast_to(thr, x.shape))


def runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) positions of every run of True values, inclusive, in order."""
    f = np.concatenate([[False], np.asarray(flags, dtype=bool), [False]])
    d = np.diff(f.astype(np.int8))
    return list(zip(np.flatnonzero(d == 1).tolist(), (np.flatnonzero(d == -1) - 1).tolist(), strict=True))


def held_recent_median(x: np.ndarray, op: str, ratio: float, minutes: int, *, min_history: int = 5,
                       min_reference: float = 0.0, onset: float | None = None, onset_minutes: int = 2
                       ) -> tuple[np.ndarray, np.ndarray]:
    """(flags, threshold) against ``ratio`` × the median of the previous ``minutes`` values.

    While the previous minute is flagged the reference is held at its value from before the run, so a long
    outage does not lower its own reference (as :func:`liveops_nb.review.timeline.detect_outages`). A reference
    below ``min_reference`` judges nothing. With ``onset`` a run must start suddenly: within the
    ``onset_minutes`` before it the value was still ≥ ``onset`` × reference (a slow drift is not an outage).
    """
    n = len(x)
    flags, thr, ref = np.zeros(n, dtype=bool), np.full(n, np.nan), np.full(n, np.nan)
    if n == 0:
        return flags, thr
    xf = np.where(np.isfinite(x), x, np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(np.concatenate([np.full(minutes, np.nan), xf]), minutes)[:n]
    enough = np.sum(~np.isnan(windows), axis=1) >= min_history
    rolling = np.full(n, np.nan)
    if enough.any():
        rolling[enough] = np.nanmedian(windows[enough], axis=1)
    le, lt = op in ("<", "<="), op == "<"
    for i in range(n):
        ref[i] = ref[i - 1] if i > 0 and flags[i - 1] else rolling[i]
        thr[i] = ratio * ref[i]
        r, v = ref[i], xf[i]
        if not (r > 0 and r >= min_reference and v == v):
            continue
        hit = (v < thr[i] if lt else v <= thr[i]) if le else (v > thr[i] if op == ">" else v >= thr[i])
        if hit and onset is not None and not (i > 0 and flags[i - 1]):
            before = xf[max(0, i - onset_minutes):i]
            hit = bool(len(before) and np.nanmax(before) >= onset * r) if not np.isnan(before).all() else False
        flags[i] = hit
    return flags, thr


def _alerts_from_flags(rule: Rule, flags: np.ndarray, x: np.ndarray, thr: np.ndarray, minutes: pd.Series, *,
                       session_id: str, room_id: str, code: str, params: dict[str, Any], open_end: bool,
                       product_id: str | None = None, extra: dict[int, dict[str, Any]] | None = None) -> list[Alert]:
    """Runs of ``flags`` at least ``min_duration`` long as alerts, repeats within the quiet period merged."""
    mins = pd.to_datetime(minutes).reset_index(drop=True)
    out: list[Alert] = []
    last_end: pd.Timestamp | None = None
    below = rule.comparison in ("<", "<=")
    for i, j in runs(flags):
        if j - i + 1 < rule.min_duration:
            continue
        seg = x[i:j + 1]
        k = i + int(np.nanargmin(seg) if below else np.nanargmax(seg)) if np.isfinite(seg).any() else i
        end = None if (open_end and j == len(flags) - 1) else mins[j] + MINUTE
        more = dict((extra or {}).get(i, {}))  # params of the run starting at i (level shifts)
        if out and last_end is not None and mins[i] - last_end < pd.Timedelta(minutes=rule.quiet_minutes):
            prev = out[-1]
            worse = (x[k] < prev.value) if below else (x[k] > prev.value)
            p = dict(prev.params)
            p["repeats"] = int(p.get("repeats", 0)) + 1
            p["minutes"] = int(p.get("minutes", 0)) + (j - i + 1)
            out[-1] = Alert(**{**prev.__dict__, "end": end, "params": p,
                               **({"value": float(x[k]), "threshold": _num(thr[k])} if worse else {})})
        else:
            out.append(Alert(rule.id, rule.metric, session_id, room_id, mins[i], end, float(x[k]), _num(thr[k]),
                             rule.severity, code, mins[i + rule.min_duration - 1], product_id,
                             {**params, **more, "minutes": j - i + 1, "repeats": 0}))
        last_end = end if end is not None else mins[j] + MINUTE
    return out


# ----------------------------------------------------------------------------- one rule on one series
def rule_alerts(rule: Rule, rows: pd.DataFrame, *, session_id: str, room_id: str, baseline: pd.Series | None = None,
                stock: pd.DataFrame | None = None, open_end: bool = False, con: Any = None) -> list[Alert]:
    """Alerts of one rule on one session's minutes (``rows``: minute, offset and the metric's column).

    ``baseline`` is the room's window-value curve by offset (for ``room_median``); ``stock`` the frame of
    :func:`.series.stock_left` (for ``stock_left``). Missing inputs give no alerts.
    """
    if not rule.enabled or rows.empty:
        return []
    direction = "below" if rule.comparison in ("<", "<=") else "above"
    if rule.metric == "stock_left":
        return _stock_alerts(rule, stock, session_id=session_id, room_id=room_id, open_end=open_end)
    if rule.metric not in rows.columns:
        return []
    x = series.window_values(rows, rule.metric, rule.window, rule.aggregate, con)
    base_params: dict[str, Any] = {"window": rule.window, "aggregate": rule.aggregate, "comparison": rule.comparison}
    if rule.kind == "anomaly":
        z = detect.robust_z(x, history=rule.history, min_level=rule.min_reference)
        flags = compare(z, "<" if direction == "below" else ">", -rule.z if direction == "below" else rule.z)
        return _alerts_from_flags(rule, flags, x, np.full(len(x), np.nan), rows["minute"], session_id=session_id,
                                  room_id=room_id, code=f"anomaly_{direction}", open_end=open_end,
                                  params={**base_params, "z": rule.z, "history": rule.history})
    if rule.kind == "level_shift":
        return _shift_alerts(rule, x, rows["minute"], session_id=session_id, room_id=room_id, open_end=open_end,
                             params=base_params)
    th = rule.threshold
    assert th is not None
    params = {**base_params, "reference": th.of or "absolute", "ratio": th.ratio}
    if th.of == "recent_median":
        flags, thr = held_recent_median(x, rule.comparison, float(th.ratio or 0), th.minutes,
                                        min_reference=rule.min_reference, onset=rule.onset)
        params["minutes_history"] = th.minutes
    else:
        if th.of == "room_median":
            if baseline is None or baseline.empty:
                return []
            ref = baseline.reindex(rows["offset"].to_numpy()).to_numpy(dtype=float)
            thr = np.where(ref >= rule.min_reference, float(th.ratio or 0) * ref, np.nan)
        else:
            thr = np.full(len(x), float(th.value if th.value is not None else np.nan))
        flags = compare(x, rule.comparison, thr)
    return _alerts_from_flags(rule, flags, x, thr, rows["minute"], session_id=session_id, room_id=room_id,
                              code=f"threshold_{direction}", params=params, open_end=open_end)


def _shift_alerts(rule: Rule, x: np.ndarray, minutes: pd.Series, *, session_id: str, room_id: str, open_end: bool,
                  params: dict[str, Any]) -> list[Alert]:
    ok = np.isfinite(x)
    if ok.sum() < 2 * max(rule.min_duration, 5):
        return []
    first = int(np.argmax(ok))
    xs, mins = x[first:], pd.to_datetime(minutes).reset_index(drop=True)[first:].reset_index(drop=True)
    breaks = detect.change_points(xs, max_breaks=None, min_size=max(rule.min_duration, 5))
    levels = detect.segment_levels(xs, breaks)
    edges = [*breaks, len(xs)]
    down = rule.comparison in ("<", "<=")
    flags = np.zeros(len(xs), dtype=bool)
    extra: dict[int, dict[str, Any]] = {}
    for b, (before, after), stop in zip(breaks, zip(levels[:-1], levels[1:], strict=True), edges[1:], strict=True):
        if not (np.isfinite(before) and before != 0 and abs(before) >= rule.min_reference):
            continue
        shift = (after - before) / abs(before)
        if (shift <= -rule.min_shift) if down else (shift >= rule.min_shift):
            flags[b:stop] = True
            if not (b > 0 and flags[b - 1]):  # a shift continuing a flagged one belongs to that run
                extra[b] = {"before": before, "after": after, "shift": shift}
    thr = np.full(len(xs), np.nan)
    return _alerts_from_flags(rule, flags, xs, thr, mins, session_id=session_id, room_id=room_id,
                              code=f"level_shift_{'down' if down else 'up'}", open_end=open_end,
                              params={**params, "min_shift": rule.min_shift}, extra=extra)


def _stock_alerts(rule: Rule, stock: pd.DataFrame | None, *, session_id: str, room_id: str,
                  open_end: bool) -> list[Alert]:
    th = rule.threshold
    if stock is None or stock.empty or th is None:
        return []
    out: list[Alert] = []
    every = stock["stock_left"].to_numpy(dtype=float)
    limit = (np.full(len(every), th.value) if th.of is None
             else float(th.ratio or 0) * stock["stock"].to_numpy(dtype=float))
    hit = compare(every, rule.comparison, limit)
    if not hit.any():
        return out
    hit_products = set(stock["product_id"].to_numpy()[hit])
    for pid, rows in stock[stock["product_id"].isin(hit_products)].groupby("product_id", sort=True):
        x = rows["stock_left"].to_numpy(dtype=float)
        thr = (np.full(len(x), th.value) if th.of is None
               else float(th.ratio or 0) * rows["stock"].to_numpy(dtype=float))
        flags = compare(x, rule.comparison, thr)
        out += _alerts_from_flags(rule, flags, x, thr, rows["minute"], session_id=session_id, room_id=room_id,
                                  code="stock_out" if th.of is None and (th.value or 0) <= 0 else "stock_low",
                                  params={"reference": th.of or "absolute", "ratio": th.ratio,
                                          "stock": float(rows["stock"].iloc[0])},
                                  open_end=open_end, product_id=str(pid))
    return out


# ----------------------------------------------------------------------------- a session
def evaluate_frame(rows: pd.DataFrame, rules: Rules, *, session_id: str, room_id: str,
                   baselines: Mapping[str, pd.Series] | None = None, stock: pd.DataFrame | None = None,
                   open_end: bool = False, con: Any = None) -> list[Alert]:
    """Every enabled rule (with the room's overrides) on one session's minute frame; no data access.

    Parameters
    ----------
    rows : the session's minutes in time order: ``minute``, ``offset`` (minutes since the start) and one column
        per rule metric (and the base quantities of ratio metrics with windows, see :func:`.series.all_minutes`).
    rules : the rules (:func:`load_rules`).
    baselines : rule id -> the room's curve of window values by offset (:func:`room_baselines`).
    stock : :func:`.series.stock_left` of the session, for ``stock_left`` rules.
    open_end : the data ends before the broadcast does (live): a run reaching the last minute has no end yet.
    con : the Ibis backend that applies registry formulas (ratio metrics over several minutes).
    """
    rows = rows.sort_values("minute").reset_index(drop=True)
    out: list[Alert] = []
    for r in rules.rules:
        rule = r.for_room(room_id)
        out += rule_alerts(rule, rows, session_id=session_id, room_id=room_id, open_end=open_end, con=con,
                           baseline=(baselines or {}).get(rule.id), stock=stock)
    return sorted(out, key=lambda a: (a.fired_at, -SEVERITY_RANK[a.severity], a.rule_id, a.product_id or ""))


def rule_metrics(rules: Rules) -> tuple[str, ...]:
    """The minute series the rules need (stock_left is read separately)."""
    return tuple(sorted({r.metric for r in rules.rules if r.metric != "stock_left"}))


def room_baselines(ds: Dataset, session_id: str, rules: Rules) -> dict[str, pd.Series]:
    """Per ``room_median`` rule: the room's typical window-value curve by offset (remembered by the dataset)."""
    def build() -> dict[str, pd.Series]:
        metrics = rule_metrics(rules)
        sessions = series.baseline_sessions(ds.session_info, session_id, rules.baseline)
        room = str(ds.session(session_id).room_id)
        out = {}
        for r in rules.rules:
            rule = r.for_room(room)
            if rule.enabled and rule.kind == "threshold" and rule.threshold is not None \
                    and rule.threshold.of == "room_median":
                matrix = series.window_matrix(ds, metrics, rule.metric, rule.window, rule.aggregate)
                out[rule.id] = series.room_curve(matrix, sessions, rules.baseline.min_sessions)
        return out
    return ds.remember(("alerts_baselines", session_id, rules), build)


def _upto_minute(upto: Any, start: pd.Timestamp) -> pd.Timestamp | None:
    if upto is None:
        return None
    if isinstance(upto, (int, np.integer)) and not isinstance(upto, bool):
        return pd.Timestamp(start).floor("min") + int(upto) * MINUTE
    t = pd.Timestamp(upto)
    if t.tzinfo is None:
        t = t.tz_localize(pd.Timestamp(start).tzinfo)
    return t.floor("min")


def evaluate(ds: Dataset, session_id: str, rules: Rules | None = None, *, upto: Any = None) -> list[Alert]:
    """The alerts of one session: every rule of ``rules`` on its minutes (post-hoc, or live with ``upto``).

    Parameters
    ----------
    ds : the dataset.
    session_id : the session (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    rules : the rules; default :func:`load_rules` of the dataset's folder.
    upto : only data up to this minute (a minute offset from the start — 0 is the first minute — or a
        timestamp): what a live monitor knew then. Alerts still running then have ``end`` None.

    Returns
    -------
    list of :class:`Alert`, by the minute they fired.
    """
    known = ds.remember(("alerts_session_rows",), lambda: {str(r.session_id): r for r in ds.session_info.itertuples()})
    info = known.get(session_id) if isinstance(session_id, str) else None
    if info is None:
        info = ds.session(session_id)  # raises UnknownSessionError naming the known ids
    rules = rules if rules is not None else load_rules(ds.path)
    rows = series.session_rows(ds, rule_metrics(rules), session_id)
    last = _upto_minute(upto, info.start_time)
    if last is not None:
        rows = rows[rows.minute <= last]
    open_end = last is not None and last < pd.Timestamp(info.end_time).floor("min")
    need_stock = any(r.metric == "stock_left" and r.enabled for r in rules.rules)
    stock = series.stock_left(ds, session_id, rows["minute"]) if need_stock and len(rows) else None
    return evaluate_frame(rows, rules, session_id=session_id, room_id=str(info.room_id),
                          baselines=room_baselines(ds, session_id, rules), stock=stock, open_end=open_end, con=ds.con)
