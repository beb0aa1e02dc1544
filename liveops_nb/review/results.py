"""Section 1 — 阶段成果 Results: the main KPIs against history, benchmarks and the target.

Every main metric (:data:`liveops_nb.metrics.MAIN_KEYS`) is compared with

* the **previous** session of the same room;
* the **median** of the room's last ``history_n`` sessions (strictly before this one);
* the category **benchmark** P50 / P75 (``benchmarks.yaml``; illustrative defaults are flagged);
* the session's **target** (``sessions.gmv_target``; GMV only, with its attainment).

One of them is the *basis* (option ``basis``): each metric is better or worse than the basis in
its registry direction; the weakest are the (up to three) metrics *materially* worse than it —
beyond the room's normal variation, the diagnosis' rule (:func:`liveops_nb.review.diagnosis.story.assess`)
— with the largest relative shortfall, so that the results, the diagnosis and the next steps name
the same metrics.

Every value is a registry value from :meth:`liveops_nb.Dataset.kpis`; relative gaps and the
attainment come from :mod:`liveops_nb.measures`; a missing value carries the engine's
:class:`~liveops_nb.engine.reasons.Reason`. Language-neutral: words, HTML and the chart are in
:mod:`liveops_nb.render.review.results`.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from .. import measures
from ..config import Benchmarks, load_benchmarks
from ..engine.reasons import Reason
from ..errors import UnknownOptionError
from ..metrics import MAIN_KEYS, REGISTRY

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

TITLE = ("阶段成果", "Results")

Basis = Literal["previous", "median", "benchmark", "target"]
BASES: tuple[str, ...] = ("previous", "median", "benchmark", "target")
BASIS_COLUMN: dict[str, str] = {"previous": "previous", "median": "median", "benchmark": "bench_p50", "target": "target"}
_TOL = 1e-9


@dataclass(frozen=True)
class ResultsData:
    """What the results section shows (see :func:`build`).

    Attributes
    ----------
    comparison : :func:`comparison_table` of the main KPIs.
    weakest : the materially worse metrics with the largest shortfall against the basis (worst first).
    material : every metric materially worse than the basis (table order).
    reasons : metric key -> why its value is missing (only keys whose value is missing).
    gmv_attainment : GMV / GMV target (NaN without a target).
    illustrative, bench_source, category : where the benchmarks come from.
    """

    session_id: str
    basis: str
    history_n: int
    n_history: int  # sessions actually in the median
    previous_session_id: str | None
    comparison: pd.DataFrame
    weakest: tuple[str, ...]
    reasons: Mapping[str, Reason] = field(default_factory=dict)
    gmv_attainment: float = float("nan")
    illustrative: bool = False
    bench_source: str = ""
    category: str = ""
    material: tuple[str, ...] = ()

    @property
    def n_better(self) -> int:
        """Metrics better than the basis."""
        return int(sum(x is True for x in self.comparison["better"]))

    @property
    def n_worse(self) -> int:
        """Metrics worse than the basis."""
        return int(sum(x is False for x in self.comparison["better"]))

    @property
    def shown_history(self) -> int:
        """Sessions in the median as shown on the page (the sessions available, up to ``history_n``)."""
        return self.n_history or self.history_n


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, (float, np.floating)) and bool(np.isnan(v)))


# ----------------------------------------------------------------------------- pure functions
def check_basis(basis: str) -> Basis:
    """``basis`` if it is one of :data:`BASES`; raises :class:`~liveops_nb.errors.UnknownOptionError`."""
    if basis not in BASES:
        raise UnknownOptionError("basis", basis, BASES)
    return basis  # type: ignore[return-value]


def prior_sessions(session_info: pd.DataFrame, session_id: str) -> pd.DataFrame:
    """Sessions of the same room that started strictly before ``session_id``, oldest first."""
    me = session_info.loc[session_info.session_id == session_id].iloc[0]
    same = session_info[(session_info.room_id == me.room_id) & (session_info.start_time < me.start_time)]
    return same.sort_values(["start_time", "session_id"])


def is_better(rel: float, direction: str) -> bool | None:
    """Whether a relative difference is an improvement for a metric of ``direction`` (None: flat/unknown/neutral)."""
    if _missing(rel) or direction == "neutral" or abs(rel) < _TOL:
        return None
    return bool(rel > 0) if direction == "higher" else bool(rel < 0)


def _num(v: Any) -> float:
    return float("nan") if _missing(v) else float(v)


def comparison_table(kpis_wide: pd.DataFrame, session_info: pd.DataFrame, session_id: str, history_n: int = 10, *,
                     basis: Basis = "median", benchmarks: Benchmarks | None = None,
                     keys: tuple[str, ...] = MAIN_KEYS) -> pd.DataFrame:
    """One row per metric: this session against its comparisons.

    Parameters
    ----------
    kpis_wide : ``ds.kpis(keys, where={"session_id": [...]})`` — one row per session, one column per
        metric key (must contain this session and the room's earlier sessions wanted for the comparison).
    session_info : ``ds.session_info`` (session_id, room_id, start_time, category, gmv_target).
    session_id : the session under review.
    history_n : how many of the room's sessions before this one make up the median.
    basis : which comparison drives ``rel_vs_basis`` and ``better``.
    benchmarks : category benchmarks (``bench_p50``/``bench_p75`` are NaN without them).
    keys : metric keys, in display order.

    Returns
    -------
    DataFrame with columns key, value, previous, median, bench_p50, bench_p75, target,
    rel_vs_basis (:func:`liveops_nb.measures.relative_gap` of the value against the basis) and
    better (bool, or None when flat, unknown or the metric is neutral). ``target`` is only set for ``gmv``.

    Raises
    ------
    UnknownOptionError
        ``basis`` is not one of :data:`BASES`.
    """
    check_basis(basis)
    info = session_info.set_index("session_id")
    me = info.loc[session_id]
    wide = kpis_wide.set_index("session_id")
    prior = prior_sessions(session_info, session_id)
    prev_id = prior.session_id.iloc[-1] if len(prior) else None
    hist_ids = list(prior.session_id.iloc[-history_n:]) if history_n > 0 else []
    hist = wide.reindex(hist_ids)
    target = _num(me.get("gmv_target", np.nan)) if "gmv_target" in info.columns else float("nan")
    category = str(me.get("category", ""))
    rows = []
    for k in keys:
        p50 = benchmarks.value(category, k, "p50") if benchmarks else None
        p75 = benchmarks.value(category, k, "p75") if benchmarks else None
        row: dict[str, Any] = {
            "key": k, "value": _num(wide.at[session_id, k]) if k in wide.columns else float("nan"),
            "previous": _num(wide.at[prev_id, k]) if prev_id is not None and prev_id in wide.index and k in wide
            else float("nan"),
            "median": float(hist[k].median(skipna=True)) if k in hist and hist[k].notna().any() else float("nan"),
            "bench_p50": _num(p50), "bench_p75": _num(p75),
            "target": target if k == "gmv" else float("nan")}
        row["rel_vs_basis"] = measures.relative_gap(row["value"], row[BASIS_COLUMN[basis]])
        row["better"] = is_better(row["rel_vs_basis"], REGISTRY[k].direction)
        rows.append(row)
    out = pd.DataFrame(rows)
    out["better"] = out["better"].astype(object)
    return out


def shortfall(comparison: pd.DataFrame, basis: Basis) -> pd.Series:
    """Relative shortfall against ``basis`` per metric, direction-aware (positive = worse; NaN = not comparable)."""
    ref = comparison[BASIS_COLUMN[basis]]
    rel = pd.Series([measures.relative_gap(v, r) for v, r in zip(comparison["value"], ref, strict=True)], index=comparison.index)
    sign = comparison["key"].map(lambda k: {"higher": -1.0, "lower": 1.0}.get(REGISTRY[k].direction, np.nan))
    return rel * sign


def weakest(comparison: pd.DataFrame, basis: Basis, k: int = 3, only: Iterable[str] | None = None) -> list[str]:
    """The ``k`` metrics with the largest relative shortfall against ``basis`` (only those actually worse,
    and only the keys in ``only`` when given).

    Ties keep the table order (the order of ``MAIN_KEYS``).
    """
    s = shortfall(comparison, basis)
    keep = (s > _TOL) if only is None else (s > _TOL) & comparison["key"].isin(list(only))
    worse = comparison.assign(_s=s)[keep]
    return worse.sort_values("_s", ascending=False, kind="stable").key.head(k).tolist()


# ----------------------------------------------------------------------------- build
def session_comparison(ds: Dataset, session_id: str, *, basis: Basis = "median",
                       history_n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The session's main KPIs against its comparisons, as the results section shows them.

    The one place the "better / worse than the basis" comparison is made: the results cards, the
    diagnosis (which metrics are materially worse) and the next steps read this table.

    Returns
    -------
    (comparison, wide): :func:`comparison_table` of :data:`~liveops_nb.metrics.MAIN_KEYS`, and the
    ``ds.kpis`` frame it was made from (one row per session: the room's last ``history_n`` earlier
    sessions — at least one — and this one).
    """
    check_basis(basis)

    def make() -> tuple[pd.DataFrame, pd.DataFrame]:
        prior = prior_sessions(ds.session_info, session_id)
        ids = [*prior.session_id.iloc[-max(history_n, 1):], session_id]
        wide = ds.kpis(MAIN_KEYS, where={"session_id": ids})
        comp = comparison_table(wide, ds.session_info, session_id, history_n, basis=basis,
                                benchmarks=dataset_benchmarks(ds))
        return comp, wide
    comp, wide = ds.remember(("session_comparison", session_id, basis, history_n), make)
    return comp.copy(), wide.copy()


def session_assessment(ds: Dataset, session_id: str, *, basis: Basis = "median", history_n: int = 10) -> pd.DataFrame:
    """:func:`liveops_nb.review.diagnosis.story.assess` of :func:`session_comparison` against the room's last
    ``history_n`` sessions: which metrics are materially worse than the basis (remembered per session and basis)."""
    from .diagnosis.story import assess  # the diagnosis' materiality rule (imported here: it imports this module)

    def make() -> pd.DataFrame:
        comp, wide = session_comparison(ds, session_id, basis=basis, history_n=history_n)
        prior = prior_sessions(ds.session_info, session_id)
        hist = prior.session_id.iloc[-history_n:].tolist() if history_n > 0 else []
        return assess(comp, wide[wide["session_id"].isin(hist)], basis)
    return ds.remember(("session_assessment", session_id, basis, history_n), make).copy()


def dataset_benchmarks(ds: Dataset) -> Benchmarks:
    """The dataset's category benchmarks, read once per dataset (remembered in its cache)."""
    return ds.remember(("benchmarks", str(ds.path)), lambda: load_benchmarks(ds.path))


def build(ds: Dataset, session_id: str, *, basis: Basis = "median", history_n: int = 10, weak_k: int = 3) -> ResultsData:
    """Compare the session's main KPIs with the previous session, the room median, benchmarks and target.

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    basis : the comparison that decides better / worse and the weakest metrics.
    history_n : the room's earlier sessions in the median.
    weak_k : how many weakest metrics to name.

    Returns
    -------
    ResultsData
    """
    check_basis(basis)
    info = ds.session_info
    me = ds.session(session_id)
    prior = prior_sessions(info, session_id)
    bench = dataset_benchmarks(ds)
    comp, _ = session_comparison(ds, session_id, basis=basis, history_n=history_n)
    judged = session_assessment(ds, session_id, basis=basis, history_n=history_n)
    material = tuple(judged.loc[judged["status"] == "worse_material", "key"])
    reasons: dict[str, Reason] = {}
    if comp["value"].isna().any():  # why each missing value is missing
        sk = ds.session_kpis(session_id)
        sk = sk[sk.key.isin(MAIN_KEYS) & sk.reason.notna()]
        reasons = dict(zip(sk.key, sk.reason, strict=True))
    gmv = comp.set_index("key").loc["gmv"] if "gmv" in set(comp.key) else None
    attained = float("nan") if gmv is None else measures.attainment(_num(gmv["value"]), _num(gmv["target"]))
    return ResultsData(session_id=session_id, basis=basis, history_n=history_n,
                       n_history=min(len(prior), history_n),
                       previous_session_id=prior.session_id.iloc[-1] if len(prior) else None,
                       comparison=comp, weakest=tuple(weakest(comp, basis, weak_k, material)), reasons=reasons,
                       gmv_attainment=attained, illustrative=bench.illustrative, bench_source=bench.source,
                       category=str(me.get("category", "")), material=material)


def key_figures(data: ResultsData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: the basis, counts better/worse, weakest metrics, GMV attainment, rel per metric."""
    comp = data.comparison.set_index("key")
    out: dict[str, float | str | None] = {
        "basis": data.basis,
        "n_better": float(data.n_better),
        "n_worse": float(data.n_worse),
        "n_worse_material": float(len(data.material)),
        "weakest": ",".join(data.weakest),
        "history_sessions": float(data.n_history),
        "previous_session_id": data.previous_session_id,
        "benchmarks_illustrative": float(data.illustrative),
    }
    if "gmv" in comp.index:
        target = comp.at["gmv", "target"]
        out["gmv_target"] = None if _missing(target) else _num(target)
        out["gmv_attainment"] = None if _missing(data.gmv_attainment) else float(data.gmv_attainment)
    for k, r in comp.iterrows():
        out[f"{k}_rel_vs_{data.basis}"] = None if _missing(r["rel_vs_basis"]) else float(r["rel_vs_basis"])
    return out
