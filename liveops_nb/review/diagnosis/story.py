"""One story per page: which worse metrics matter, which finding explains each, and what each costs.

The results section compares every main metric with the page's basis (room median, previous
session, category P50 or target). This module turns that comparison and the rule findings of
:mod:`.rules` into the findings that the diagnosis *and* the next steps show:

1. :func:`assess` — each metric is ``better``, ``flat``, ``not_comparable``, ``worse_normal``
   (worse than the basis, but within normal variation) or ``worse_material``. Materially worse
   means the direction-aware relative shortfall exceeds the threshold ``variation_k × s`` bounded
   to [``material_gap``, ``material_max_gap``] (10 %–50 %), where ``s`` is the room's relative
   robust spread of the metric over the last sessions (:func:`liveops_nb.measures.robust_spread`,
   at least ``variation_min_sessions`` of them; without them ``material_gap`` applies). ``rule``
   says which applied: ``variation``, ``material_gap`` (the floor: smaller gaps never matter) or
   ``material_max_gap`` (the ceiling: a gap of more than half always matters).
2. :func:`explain` — a materially worse metric is explained by a rule finding or by another
   materially worse metric it is built from (:data:`EXPLAINED_BY`: GMV = UV × conversion × order
   value, UV value = conversion × order value, …), resolved to the findings at the root; a metric
   that nothing explains becomes a ``metric_worse`` finding of its own.
3. :func:`metric_impact` — the GMV a worse metric cost against its basis: a factor GMV is
   proportional to (traffic, conversion steps, order value, UV value, GPM, GMV itself):
   ``GMV × (basis / value − 1)``; the refund rate: the refunds above the basis rate
   ``(rate − basis) × GMV``; paid ROI: ``(basis − ROI) × paid spend``; engagement metrics have no
   direct GMV link (no estimate). A finding's impact is its own estimate (an outage: the session's
   GMV per minute × outage minutes) or else the largest impact among the metrics it explains.
4. :func:`rank` — findings by estimated impact (largest first; no estimate last), then severity.

Language-neutral: codes and numbers only.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from ... import measures
from ...metrics import REGISTRY
from ..findings import Figure
from ..results import BASIS_COLUMN, Basis, shortfall
from .rules import CODES, SEVERITY_ORDER, Finding, Severity, th

STATUSES: tuple[str, ...] = ("better", "flat", "not_comparable", "worse_normal", "worse_material")

LEVERS: Mapping[str, str] = MappingProxyType({
    "views": "traffic", "uv": "traffic", "pcu": "traffic", "acu": "traffic", "impression_to_view_rate": "traffic",
    "product_click_rate": "conversion", "click_to_order_rate": "conversion", "view_to_order_rate": "conversion",
    "buyers": "conversion", "orders": "conversion",
    "aov": "order_value", "uv_value": "order_value", "gpm": "order_value", "gmv": "traffic",
    "avg_watch_seconds": "retention", "interaction_rate": "engagement", "new_followers": "engagement",
    "follow_rate": "engagement", "refund_rate": "after_sales", "paid_roi": "paid",
    "short_stay": "retention", "single_channel": "traffic", "rhythm_off": "order_value", "incident": "stability",
    "cart_drop": "conversion", "refunds": "after_sales"})
"""Metric key or rule code -> the lever the next session needs (traffic, conversion, order value, …)."""

EXPLAINED_BY: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "uv": ("impression_to_view_rate", "incident"),
    "views": ("uv", "incident"),
    "pcu": ("uv", "incident"),
    "acu": ("uv", "avg_watch_seconds", "incident"),
    "avg_watch_seconds": ("short_stay", "incident"),
    "click_to_order_rate": ("cart_drop",),
    "view_to_order_rate": ("product_click_rate", "click_to_order_rate", "cart_drop"),
    "buyers": ("uv", "view_to_order_rate"),
    "orders": ("buyers",),
    "aov": ("rhythm_off",),
    "uv_value": ("view_to_order_rate", "aov", "rhythm_off"),
    "gpm": ("uv_value",),
    "gmv": ("uv", "buyers", "aov", "uv_value"),
    "new_followers": ("uv", "follow_rate"),
    "refund_rate": ("refunds",),
})
"""Metric -> what can explain it being worse: rule codes, or metrics it is built from (checked first)."""

ORDER: tuple[str, ...] = (
    "impression_to_view_rate", "product_click_rate", "click_to_order_rate", "aov", "avg_watch_seconds",
    "interaction_rate", "follow_rate", "refund_rate", "paid_roi", "uv", "views", "pcu", "acu", "view_to_order_rate",
    "buyers", "orders", "uv_value", "gpm", "gmv", "new_followers")
"""Metrics in the order :func:`explain` resolves them (everything a metric is built from comes before it)."""

PROPORTIONAL: frozenset[str] = frozenset({
    "views", "uv", "pcu", "acu", "impression_to_view_rate", "product_click_rate", "click_to_order_rate",
    "view_to_order_rate", "buyers", "orders", "aov", "uv_value", "gpm", "gmv"})
"""Metrics GMV is (about) proportional to, other factors equal."""


def basis_scope(basis: str) -> str:
    """The figure scope of a basis (``median`` / ``previous`` / ``benchmark`` / ``target``)."""
    return basis


def _num(v: Any) -> float:
    return float("nan") if v is None or pd.isna(v) else float(v)


def _opt(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


# ---------------------------------------------------------------------------------------- 1. assess
def assess(comparison: pd.DataFrame, history: pd.DataFrame, basis: Basis) -> pd.DataFrame:
    """Whether each metric of ``comparison`` is materially worse than ``basis`` (see the module docstring).

    Parameters
    ----------
    comparison : :func:`liveops_nb.review.results.comparison_table` (key, value, the basis column, …).
    history : the room's earlier sessions used for the normal variation, one row per session, one
        column per metric key (``ds.kpis`` wide frame; metrics without a column get no spread).
    basis : the page's basis.

    Returns
    -------
    DataFrame with key, value, reference (the basis value), shortfall (relative, positive = worse),
    spread (the room's relative robust spread), n (sessions in the spread), threshold, rule
    (``variation``, ``material_gap`` or ``material_max_gap``: what set the threshold) and status.
    """
    s = shortfall(comparison, basis)
    rows = []
    for (_, c), gap in zip(comparison.iterrows(), s, strict=True):
        k = c["key"]
        vals = history[k].dropna() if k in history.columns else pd.Series(dtype=float)
        n = int(len(vals))
        spread = measures.robust_spread(vals) if n >= th("variation_min_sessions") else float("nan")
        var_bound = th("variation_k") * spread
        if pd.isna(var_bound) or var_bound <= th("material_gap"):
            rule, threshold = "material_gap", th("material_gap")
        elif var_bound >= th("material_max_gap"):
            rule, threshold = "material_max_gap", th("material_max_gap")
        else:
            rule, threshold = "variation", var_bound
        if pd.isna(gap):
            status = "not_comparable"
        elif abs(gap) < 1e-9:
            status = "flat"
        elif gap < 0:
            status = "better"
        else:
            status = "worse_material" if gap > threshold else "worse_normal"
        rows.append({"key": k, "value": _num(c["value"]), "reference": _num(c[BASIS_COLUMN[basis]]),
                     "shortfall": _num(gap), "spread": spread, "n": n, "threshold": threshold,
                     "rule": rule, "status": status})
    return pd.DataFrame(rows, columns=["key", "value", "reference", "shortfall", "spread", "n", "threshold", "rule",
                                       "status"])


# ---------------------------------------------------------------------------------------- 2. explain
def explain(material: Iterable[str], rule_codes: Iterable[str]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Resolve each materially worse metric to the findings that explain it.

    Parameters
    ----------
    material : keys of the materially worse metrics.
    rule_codes : codes of the rule findings of the session.

    Returns
    -------
    (causes, unexplained): ``causes[metric]`` = ids of the findings at the root of its explanation
    (a rule code, or ``metric_worse:<key>`` for a metric that is its own finding); ``unexplained``
    = the metrics that become ``metric_worse`` findings, in :data:`ORDER`.
    """
    todo = set(material)
    rules = set(rule_codes)
    order = [k for k in ORDER if k in todo] + sorted(todo - set(ORDER))
    causes: dict[str, tuple[str, ...]] = {}
    own: list[str] = []
    for k in order:
        roots: list[str] = []
        for e in EXPLAINED_BY.get(k, ()):
            found = (e,) if e in rules else causes.get(e, ())
            roots += [r for r in found if r not in roots]
        if not roots:
            own.append(k)
            roots = [f"metric_worse:{k}"]
        causes[k] = tuple(roots)
    return causes, own


# ---------------------------------------------------------------------------------------- 3. impact
def metric_impact(key: str, value: float | None, reference: float | None, gmv: float | None,
                  paid_spend: float | None) -> float | None:
    """Estimated GMV impact (CNY, positive = lost) of metric ``key`` being at ``value`` instead of ``reference``.

    See the module docstring; None when the metric has no GMV link or an input is missing.
    """
    if key in PROPORTIONAL:
        out = measures.factor_impact(gmv, value, reference)
    elif key == "refund_rate":
        out = measures.excess_amount(value, reference, gmv)
    elif key == "paid_roi":
        out = measures.excess_amount(reference, value, paid_spend)
    else:
        return None
    return None if pd.isna(out) else float(out)


# ---------------------------------------------------------------------------------------- 4. rank
def rank(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Largest estimated GMV impact first; findings without an estimate after, by severity, then rule order."""
    codes = {c: i for i, c in enumerate(CODES)}
    return tuple(sorted(findings, key=lambda f: (f.impact is None, -(f.impact or 0.0), SEVERITY_ORDER[f.severity],
                                                 codes.get(f.code, len(codes)), f.metric or "")))


# ---------------------------------------------------------------------------------------- assemble
def _basis_figure(key: str, a: pd.DataFrame, basis: str, n_history: int) -> Figure | None:
    if key not in a.index:
        return None
    return Figure(key, _opt(a.at[key, "reference"]), REGISTRY[key].unit, basis_scope(basis),
                  n_history if basis == "median" else None)


def _session_figure(key: str, a: pd.DataFrame) -> Figure:
    return Figure(key, _opt(a.at[key, "value"]) if key in a.index else None, REGISTRY[key].unit, "session")


def rule_figures(f: Finding, a: pd.DataFrame, basis: str, n_history: int) -> tuple[str | None, tuple[Figure, ...]]:
    """The registry metric a rule finding is about and its figures with scopes (``a``: :func:`assess` by key)."""
    ev = f.evidence
    if f.code == "short_stay":
        k = "avg_watch_seconds"
        figs = [_session_figure(k, a), Figure(k, _opt(ev.get("room_median")), "seconds", "median", n_history),
                Figure(k, _opt(ev.get("bench_p50")), "seconds", "benchmark")]
        return k, tuple(figs)
    if f.code == "refunds":
        k = "refund_rate"
        figs = [_session_figure(k, a)]
        b = _basis_figure(k, a, basis, n_history)
        if b is not None:
            figs.append(b)
        figs += [Figure(k, _opt(ev.get("recent_rate")), "ratio", "recent", int(ev.get("days", th("refund_recent_days")))),
                 Figure(k, _opt(ev.get("earlier_rate")), "ratio", "earlier",
                        int(ev.get("earlier_days", th("refund_earlier_days"))))]
        return k, tuple(figs)
    if f.code == "single_channel":
        return None, (Figure("channel_share", _opt(ev.get("share")), "ratio", "session"),)
    if f.code == "cart_drop":
        return None, (Figure("cart_to_buyer", _opt(ev.get("ratio")), "ratio", "session"),
                      Figure("cart_to_buyer", _opt(ev.get("room_median")), "ratio", "median", n_history))
    if f.code == "rhythm_off":
        return None, (Figure("pitch_online", _opt(ev.get("avg_online")), "people", "session"),
                      Figure("median_online", _opt(ev.get("median_online")), "people", "session"))
    if f.code == "incident":
        figs = [Figure("outage_minutes", _opt(ev.get("outage_minutes")), "count", "session")] \
            if _opt(ev.get("outage_minutes")) is not None else []
        if _opt(ev.get("logged")) is not None:
            figs.append(Figure("incidents_logged", _opt(ev.get("logged")), "count", "session"))
        return None, tuple(figs)
    return None, ()


def assemble(rule_findings: Iterable[Finding], assessment: pd.DataFrame, basis: str,
             n_history: int, *, gmv: float | None, paid_spend: float | None = None,
             broadcast_minutes: float | None = None) -> tuple[tuple[Finding, ...], dict[str, tuple[str, ...]]]:
    """The page's findings, ranked, and which findings explain each materially worse metric.

    Parameters
    ----------
    rule_findings : what the rules of :mod:`.rules` found.
    assessment : :func:`assess` of the page's comparison.
    basis, n_history : the page's basis and the sessions in the room median.
    gmv, paid_spend, broadcast_minutes : the session's registry GMV and paid spend, and its broadcast
        minutes (for the impact estimates).
    """
    a = assessment.set_index("key")
    rules = list(rule_findings)
    material = a.index[a["status"] == "worse_material"].tolist()
    causes, own = explain(material, [f.code for f in rules])
    impacts = {k: metric_impact(k, _opt(a.at[k, "value"]), _opt(a.at[k, "reference"]), gmv, paid_spend)
               for k in material}

    def explained_by(fid: str) -> tuple[str, ...]:
        return tuple(k for k in material if fid in causes[k])

    def combined(own_estimate: float | None, keys: tuple[str, ...]) -> float | None:
        if own_estimate is not None:
            return own_estimate
        vals = [v for k in keys if (v := impacts.get(k)) is not None]
        return max(vals) if vals else None

    out: list[Finding] = []
    for f in rules:
        metric, figs = rule_figures(f, a, basis, n_history)
        own_est = None
        if f.code == "incident":
            v = measures.pro_rata(gmv, _opt(f.evidence.get("outage_minutes")), broadcast_minutes)
            own_est = None if pd.isna(v) else float(v)
        keys = explained_by(f.code)
        out.append(dataclasses.replace(f, metric=metric, figures=figs, explains=keys, impact=combined(own_est, keys),
                                       lever=LEVERS.get(f.code)))
    for k in own:
        gap = _num(a.at[k, "shortfall"])
        severity: Severity = "medium" if gap >= th("metric_medium_gap") else "low"
        ev = {"metric": k, "value": _opt(a.at[k, "value"]), "reference": _opt(a.at[k, "reference"]), "gap": gap,
              "threshold": _num(a.at[k, "threshold"]), "rule": str(a.at[k, "rule"]), "basis": basis,
              "n": n_history}
        figs = tuple(x for x in (_session_figure(k, a), _basis_figure(k, a, basis, n_history)) if x is not None)
        keys = explained_by(f"metric_worse:{k}")
        out.append(Finding("metric_worse", severity, ev, metric=k, figures=figs, explains=keys,
                           impact=combined(impacts.get(k), keys), lever=LEVERS.get(k)))
    return rank(out), causes
