"""Section 9 — 下一步 Next steps: what to work on in the next broadcast, and the targets for it.

* **Actions** — one per diagnosis finding, in the diagnosis' order (largest estimated GMV impact
  first): the finding's own value (本场), its comparison value with the comparison's scope, a
  target for the next session, the lever it needs and the finding's evidence for the action's
  words. Nothing else becomes an action: every problem here is a finding of section 8.
* **GMV factors** — traffic (``uv``), conversion (``view_to_order_rate``) and order value
  (``aov``), each with a target derived from the room's history and trend (:func:`factor_target`):
  the median of the room's last ``history_n`` sessions before this one (the results section's
  median), raised to the Theil–Sen trend's forecast for the next session when the trend points
  higher (at least ``min_trend`` sessions). The next session's GMV target is the product of the
  three targets (:func:`liveops_nb.measures.gmv_plan`); the current GMV is the registry's ``gmv``.
* **Plan** — when the schedule holds a GMV target for the room's next session
  (``sessions.gmv_target``), that plan and the viewers it needs at the target conversion and
  order value (:func:`liveops_nb.measures.viewers_needed`), shown beside the derived target.

Every KPI comes from ``ds.kpis`` (through the results comparison and the diagnosis);
language-neutral: the words and tables are in :mod:`liveops_nb.render.review.next_steps`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import measures
from ..metrics import REGISTRY
from . import diagnosis
from .results import Basis, check_basis, prior_sessions, session_comparison

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

TITLE = ("下一步", "Next steps")
HISTORY_N = 10
MIN_TREND = 5
GMV_FACTORS: tuple[str, ...] = ("uv", "view_to_order_rate", "aov")
FACTOR_LEVERS: Mapping[str, str] = {"uv": "traffic", "view_to_order_rate": "conversion", "aov": "order_value"}
ACTION_COLUMNS: tuple[str, ...] = ("finding", "code", "metric", "name", "lever", "impact", "current", "reference",
                                   "reference_scope", "reference_n", "target", "unit", "params")
FACTOR_COLUMNS: tuple[str, ...] = ("factor", "lever", "current", "median", "slope", "forecast", "target", "n",
                                   "rule", "findings")


@dataclass(frozen=True)
class NextStepsData:
    """Actions and targets for the next broadcast.

    Attributes
    ----------
    actions : one row per diagnosis finding (:data:`ACTION_COLUMNS`), in the diagnosis' order.
    factors : one row per GMV factor and a ``gmv`` row (:data:`FACTOR_COLUMNS`); empty when a factor is
        not available.
    planned_gmv, planned_viewers : the schedule's GMV target of the room's next session and the viewers it
        needs at the target conversion and order value (None without a planned target).
    n_history : the room's earlier sessions in the median.
    """

    session_id: str
    actions: pd.DataFrame
    factors: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FACTOR_COLUMNS)))
    planned_gmv: float | None = None
    planned_viewers: float | None = None
    n_history: int = 0


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and bool(np.isnan(v)))


def _val(v: Any) -> float | None:
    return None if _missing(v) else float(v)


# ---------------------------------------------------------------------------------------- targets
def factor_target(history: Sequence[float | None], current: float | None, direction: str = "higher",
                  unit: str = "count", min_trend: int = MIN_TREND) -> dict[str, Any]:
    """A next-session target for one factor from the room's history and trend.

    Parameters
    ----------
    history : the factor in the room's earlier sessions, oldest first (missing values skipped).
    current : the factor in this session (the last point of the trend).
    direction : the metric's direction (``higher`` / ``lower``).
    unit : the metric's unit (a ``ratio`` forecast is kept within 0–1, others at least 0).
    min_trend : the fewest points (earlier sessions and this one) a trend needs.

    Returns
    -------
    dict with median (of ``history``), slope (Theil–Sen, per session, over ``history`` + ``current``),
    forecast (the trend's value one session after this one), target and rule: ``trend`` when the
    forecast is better than the median (target = forecast), ``median`` (target = the median) or
    ``no_history`` (no earlier session: no target), and n (earlier sessions).
    """
    hist = [float(v) for v in history if v is not None and not _missing(v)]
    out: dict[str, Any] = {"median": float("nan"), "slope": float("nan"), "forecast": float("nan"),
                           "target": float("nan"), "rule": "no_history", "n": len(hist)}
    if not hist:
        return out
    out["median"] = float(np.median(hist))
    points = [*hist, *([] if _missing(current) else [float(current)])]  # type: ignore[arg-type]
    if len(points) >= min_trend:
        slope, intercept = measures.theil_sen(points)
        forecast = max(intercept + slope * len(points), 0.0)
        out.update(slope=slope, forecast=min(forecast, 1.0) if unit == "ratio" else forecast)
    better = (out["forecast"] > out["median"]) if direction == "higher" else (out["forecast"] < out["median"])
    if not _missing(out["forecast"]) and better:
        out.update(target=out["forecast"], rule="trend")
    else:
        out.update(target=out["median"], rule="median")
    return out


def factor_targets(wide: pd.DataFrame, session_id: str, history: list[str],
                   findings: Iterable[diagnosis.Finding] = ()) -> pd.DataFrame:
    """:func:`factor_target` of ``uv``, ``view_to_order_rate`` and ``aov`` and the GMV they make.

    Parameters
    ----------
    wide : ``ds.kpis`` frame, one row per session (this one and ``history``), with the factors and ``gmv``.
    session_id : this session.
    history : the room's earlier sessions, oldest first.
    findings : the diagnosis' findings (listed per factor when they need the factor's lever).

    Returns
    -------
    :data:`FACTOR_COLUMNS`; the ``gmv`` row's current value is the registry's ``gmv``, its target the
    product of the factor targets (NaN when one is missing). Empty when this session lacks a factor.
    """
    w = wide.set_index("session_id")
    found = list(findings)
    rows = []
    for k in GMV_FACTORS:
        now = _val(w.at[session_id, k]) if k in w.columns else None
        if now is None:
            return pd.DataFrame(columns=list(FACTOR_COLUMNS))
        m = REGISTRY[k]
        past = w.reindex(history)[k].tolist()
        t = factor_target(past, now, m.direction, m.unit)
        rows.append({"factor": k, "lever": FACTOR_LEVERS[k], "current": now, **t,
                     "findings": tuple(f.id for f in found if f.lever == FACTOR_LEVERS[k])})
    df = pd.DataFrame(rows).set_index("factor")
    tg = df["target"]
    gmv_target = float("nan") if tg.isna().any() else measures.gmv_plan(tg["uv"], tg["view_to_order_rate"], tg["aov"])
    gmv_now = _val(w.at[session_id, "gmv"]) if "gmv" in w.columns else None
    gmv_row: dict[str, Any] = {"lever": "", "current": float("nan") if gmv_now is None else gmv_now,
                               "median": float("nan"), "slope": float("nan"), "forecast": float("nan"),
                               "target": gmv_target, "rule": "product", "n": int(df["n"].min()), "findings": ()}
    df.loc["gmv"] = pd.Series(gmv_row)
    return df.reset_index()[list(FACTOR_COLUMNS)]


# ---------------------------------------------------------------------------------------- actions
def _target_of(f: diagnosis.Finding, factors: pd.DataFrame, reference: float | None) -> float | None:
    """The next-session target of a finding: its factor's target, the comparison it fell short of, or the rule's limit."""
    ev = f.evidence
    if f.metric in GMV_FACTORS and not factors.empty:
        return _val(factors.set_index("factor").at[f.metric, "target"])
    if f.code == "single_channel":
        return _val(ev.get("limit"))
    if f.code == "refunds" and reference is None:
        return _val(ev.get("earlier_rate"))
    return reference


def finding_actions(findings: Iterable[diagnosis.Finding], factors: pd.DataFrame | None = None) -> pd.DataFrame:
    """One action row per finding (:data:`ACTION_COLUMNS`), in the given order.

    ``current`` is the finding's own (``session``) figure of its metric (``name``: the figure's name),
    ``reference`` its first
    figure of another scope (the basis for a worse metric; the room median for cart and stay rules).
    """
    factors = pd.DataFrame(columns=list(FACTOR_COLUMNS)) if factors is None else factors
    rows = []
    for f in findings:
        own = [x for x in f.figures if x.scope == "session" and (f.metric is None or x.name == f.metric)]
        other = [x for x in f.figures if x.scope != "session" and (f.metric is None or x.name == f.metric)]
        cur, ref = (own[0] if own else None), (other[0] if other else None)
        reference = None if ref is None else _val(ref.value)
        rows.append({"finding": f.id, "code": f.code, "metric": f.metric, "name": None if cur is None else cur.name,
                     "lever": f.lever, "impact": f.impact,
                     "current": None if cur is None else _val(cur.value), "reference": reference,
                     "reference_scope": None if ref is None else ref.scope, "reference_n": None if ref is None else ref.n,
                     "target": _target_of(f, factors, reference),
                     "unit": cur.unit if cur is not None else (ref.unit if ref is not None else ""),
                     "params": {k: v for k, v in f.evidence.items() if not _missing(v)}})
    return pd.DataFrame(rows, columns=list(ACTION_COLUMNS))


def next_planned_gmv(session_info: pd.DataFrame, session_id: str) -> float | None:
    """``gmv_target`` of the room's next session after ``session_id`` (None when there is none or no target)."""
    if "gmv_target" not in session_info.columns:
        return None
    me = session_info.loc[session_info["session_id"] == session_id].iloc[0]
    nxt = session_info[(session_info["room_id"] == me["room_id"]) & (session_info["start_time"] > me["start_time"])]
    if nxt.empty:
        return None
    v = nxt.sort_values("start_time")["gmv_target"].iloc[0]
    return None if _missing(v) else float(v)


# ---------------------------------------------------------------------------------------- orchestration
def build(ds: Dataset, session_id: str, *, basis: Basis = "median", history_n: int = HISTORY_N,
          findings: diagnosis.DiagnosisData | None = None) -> NextStepsData:
    """Actions and targets for the next broadcast after ``session_id``.

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    basis : the page's basis (the diagnosis' findings are made against it).
    history_n : the room's earlier sessions in the median and the trend.
    findings : an already built diagnosis to reuse (default: the page's, from the dataset's cache).
    """
    check_basis(basis)
    si = ds.session_info
    ds.session(session_id)
    hist = prior_sessions(si, session_id)["session_id"].iloc[-history_n:].tolist()
    _, wide = session_comparison(ds, session_id, basis=basis, history_n=history_n)
    diag = findings if findings is not None else diagnosis.build(ds, session_id, basis=basis, history_n=history_n)
    factors = factor_targets(wide, session_id, hist, diag.findings)
    planned = next_planned_gmv(si, session_id)
    viewers = None
    if planned is not None and not factors.empty:
        f = factors.set_index("factor")["target"]
        viewers = _val(measures.viewers_needed(planned, f["view_to_order_rate"], f["aov"]))
    return NextStepsData(session_id, finding_actions(diag.findings, factors), factors, planned, viewers, len(hist))


def key_figures(data: NextStepsData) -> dict[str, float | str | None]:
    """The actions (finding ids in order), each GMV factor's current value, median, trend and target, the plan."""
    out: dict[str, float | str | None] = {"n_actions": float(len(data.actions)),
                                          "actions": ",".join(map(str, data.actions["finding"]))}
    g = data.factors.set_index("factor") if not data.factors.empty else None
    for k in (*GMV_FACTORS, "gmv"):
        for col in ("current", "median", "slope", "target"):
            out[f"{k}_{col}"] = None if g is None else _val(g.at[k, col])
        out[f"{k}_rule"] = None if g is None else str(g.at[k, "rule"])
    out["gmv_planned"] = data.planned_gmv
    out["uv_planned"] = data.planned_viewers
    return out
