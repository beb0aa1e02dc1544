"""Section 9 — 下一步 Next steps: targets and actions for the next broadcast.

* For the weakest main metrics (``results.weakest`` against the page's basis — by default the
  room median of the last 10 sessions — or against the category P50 when that gives none) and
  for every diagnosis finding: a **target** and an **action** (an action code: the metric key or
  the finding's rule code, with the finding's evidence as parameters).
* Target (:func:`target_value`): of the room median and the category P50, the one nearer to the
  current value among those better than it in the metric's direction (above for "higher", below
  for "lower"); none when the value is already at least as good as both.
* GMV target for the next session = traffic × conversion × order value
  (:func:`liveops_nb.measures.gmv_plan` of the registry's ``uv``, ``view_to_order_rate`` and
  ``aov``), each factor raised to its target (or kept); the current GMV is the registry's ``gmv``.

Language-neutral: the actions' words and the tables are in :mod:`liveops_nb.render.review.next_steps`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import measures
from ..config import load_benchmarks
from ..metrics import MAIN_KEYS, REGISTRY
from . import diagnosis
from .results import Basis, check_basis, comparison_table, prior_sessions, weakest

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

TITLE = ("下一步", "Next steps")
HISTORY_N = 10
WEAK_K = 3
GMV_FACTORS: tuple[str, ...] = ("uv", "view_to_order_rate", "aov")
ACTION_COLUMNS: tuple[str, ...] = ("source", "key", "current", "target", "unit", "params")


@dataclass(frozen=True)
class NextStepsData:
    """Targets and actions for the next broadcast.

    ``actions``: one row per action — source (``finding`` / ``metric``), key (rule code / metric key),
    current, target, unit, params (the finding's evidence; empty for metrics); findings first.
    ``gmv``: factor, current, target, plan (empty when a factor is not available).
    """

    session_id: str
    actions: pd.DataFrame
    gmv: pd.DataFrame = field(default_factory=pd.DataFrame)
    weakest: tuple[str, ...] = ()


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and bool(np.isnan(v)))


def _val(v: Any) -> float | None:
    """A table cell as a float (None when missing)."""
    return None if _missing(v) else float(v)


def target_value(value: float | None, median: float | None, bench_p50: float | None, direction: str) -> float | None:
    """The nearer of ``median`` / ``bench_p50`` among those better than ``value`` (None if neither is)."""
    v = _val(value)
    if v is None or direction not in ("higher", "lower"):
        return None
    refs = [r for r in (_val(median), _val(bench_p50)) if r is not None]
    better = [r for r in refs if (r > v if direction == "higher" else r < v)]
    return min(better, key=lambda r: abs(r - v)) if better else None


def metric_actions(comparison: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """One action row per weak metric ``key`` (from ``results.comparison_table``)."""
    comp = comparison.set_index("key")
    rows: list[dict[str, Any]] = []
    for k in keys:
        m = REGISTRY[k]
        c = comp.loc[k]
        rows.append({"source": "metric", "key": k, "current": c["value"], "unit": m.unit,
                     "target": target_value(_val(c["value"]), _val(c["median"]), _val(c["bench_p50"]), m.direction),
                     "params": {}})
    return pd.DataFrame(rows, columns=list(ACTION_COLUMNS))


def finding_actions(findings: Iterable[diagnosis.Finding], comparison: pd.DataFrame) -> pd.DataFrame:
    """One action row per diagnosis finding, with a target where the finding has one."""
    comp = comparison.set_index("key")
    rows = []
    for f in findings:
        ev = {k: v for k, v in f.evidence.items() if not _missing(v)}
        cur = target = None
        unit = ""
        if f.code == "short_stay" and "avg_watch_seconds" in comp.index:
            c = comp.loc["avg_watch_seconds"]
            cur, unit = c["value"], "seconds"
            target = target_value(_val(c["value"]), _val(c["median"]), _val(c["bench_p50"]), "higher")
        elif f.code == "single_channel":
            cur, target, unit = ev.get("share"), ev.get("limit"), "ratio"
        elif f.code == "cart_drop":
            cur, target, unit = ev.get("ratio"), ev.get("room_median"), "ratio"
        elif f.code == "refunds":
            cur, target, unit = ev.get("recent_rate"), ev.get("earlier_rate"), "ratio"
        rows.append({"source": "finding", "key": f.code, "current": cur, "target": target, "unit": unit, "params": ev})
    return pd.DataFrame(rows, columns=list(ACTION_COLUMNS))


def gmv_decomposition(comparison: pd.DataFrame, planned_gmv: float | None = None) -> pd.DataFrame:
    """``factor, current, target, plan`` for uv, view_to_order_rate, aov and ``gmv``.

    ``target``: each factor's :func:`target_value` (or its current value when it is already at least as good
    as both references); the gmv row's target is their :func:`~liveops_nb.measures.gmv_plan` and its current
    value the registry's ``gmv`` when ``comparison`` has it (else the plan of the current factors, the same
    number). ``plan`` (when the next session has a planned ``gmv_target``): that GMV and the viewers needed to
    reach it at the target conversion and order value (:func:`~liveops_nb.measures.viewers_needed`).
    Empty when a factor is not available.
    """
    comp = comparison.set_index("key")
    rows = []
    for k in GMV_FACTORS:
        c = comp.loc[k]
        now = _val(c["value"])
        if now is None:
            return pd.DataFrame(columns=["factor", "current", "target", "plan"])
        tgt = target_value(now, _val(c["median"]), _val(c["bench_p50"]), REGISTRY[k].direction)
        rows.append({"factor": k, "current": now, "target": now if tgt is None else tgt})
    df = pd.DataFrame(rows).set_index("factor")
    cur, tg = df["current"], df["target"]
    gmv_now = _val(comp.at["gmv", "value"]) if "gmv" in comp.index else None
    if gmv_now is None:
        gmv_now = measures.gmv_plan(cur["uv"], cur["view_to_order_rate"], cur["aov"])
    df.loc["gmv"] = [gmv_now, measures.gmv_plan(tg["uv"], tg["view_to_order_rate"], tg["aov"])]
    df["plan"] = float("nan")
    if not _missing(planned_gmv):
        df["plan"] = [measures.viewers_needed(planned_gmv, tg["view_to_order_rate"], tg["aov"]),
                      tg["view_to_order_rate"], tg["aov"], float(planned_gmv)]  # type: ignore[arg-type]
    return df.reset_index()


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
    """Targets and actions for ``session_id``.

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    basis : picks the weakest metrics (``results.weakest``; the category P50 is used when the basis gives
        none, e.g. a room's first session).
    history_n : the room's earlier sessions in the median.
    findings : an already built diagnosis to reuse.
    """
    check_basis(basis)
    si = ds.session_info
    ds.session(session_id)
    hist = prior_sessions(si, session_id)["session_id"].iloc[-history_n:].tolist()
    keys = tuple(dict.fromkeys([*MAIN_KEYS, *GMV_FACTORS]))
    comp = comparison_table(ds.kpis(keys, where={"session_id": [*hist, session_id]}), si, session_id, history_n,
                            basis=basis, benchmarks=load_benchmarks(ds.path), keys=keys)
    weak = weakest(comp, basis, WEAK_K) or weakest(comp, "benchmark", WEAK_K)
    diag = findings if findings is not None else diagnosis.build(ds, session_id, history_n=history_n)
    parts = [p for p in (finding_actions(diag.findings, comp), metric_actions(comp, weak)) if not p.empty]
    acts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(ACTION_COLUMNS))
    return NextStepsData(session_id, acts, gmv_decomposition(comp, next_planned_gmv(si, session_id)), tuple(weak))


def key_figures(data: NextStepsData) -> dict[str, float | str | None]:
    """GMV target and its factors, the weakest metrics, the number of actions and each weak metric's target."""
    out: dict[str, float | str | None] = {"n_actions": float(len(data.actions)), "weakest": ",".join(data.weakest)}
    g = data.gmv.set_index("factor") if not data.gmv.empty else None
    for k in (*GMV_FACTORS, "gmv"):
        out[f"{k}_current"] = None if g is None else _val(g.at[k, "current"])
        out[f"{k}_target"] = None if g is None else _val(g.at[k, "target"])
        out[f"{k}_plan"] = None if g is None else _val(g.at[k, "plan"])
    weak = data.actions[data.actions["source"] == "metric"] if not data.actions.empty else data.actions
    for i in range(WEAK_K):
        row = weak.iloc[i] if i < len(weak) else None
        out[f"weak_{i + 1}_key"] = None if row is None else str(row["key"])
        out[f"weak_{i + 1}_current"] = None if row is None else _val(row["current"])
        out[f"weak_{i + 1}_target"] = None if row is None else _val(row["target"])
    return out
