"""Section 4 — 转化漏斗 Funnel: people at each step, step conversion and loss.

Two funnels, both counted in people (人数):

* the platform funnel 曝光 → 进入 → 商品曝光 → 商品点击 → 成交: counts are registered
  metrics (impressions, uv, buyers) from ``ds.kpis`` and base quantities
  (product_impression_uv, product_click_uv) from ``ds.bases``; step conversions are the
  registry rates impression_to_view_rate, product_impression_rate, product_click_rate,
  click_to_order_rate, compared with the category benchmark P50 where one exists;
* the review template's 曝光 → 进入 → 停留 → 互动 → 下单, where 停留 = viewers whose watch
  time (base ``watch_seconds`` per viewer) adds up to ≥ ``stay_seconds`` (default 60 s),
  互动 = people who liked, commented or shared (base interaction_uv) and 下单 = buyers. It
  needs viewer-level events; on aggregate-only data it is None. Its steps are not nested
  (someone can interact within their first minute), so a step can exceed 100 %. Its
  conversions after the first are step conversions (:func:`liveops_nb.measures.step_conversion`).

Language-neutral: missing values carry engine reasons, and the findings (weakest step,
steps below the category P50) are codes with parameters; the words are in
:mod:`liveops_nb.render.review.funnel`.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import measures
from ..config import load_benchmarks
from ..engine.reasons import Reason
from .findings import Finding

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

TITLE = ("转化漏斗", "Conversion funnel")

# (count key, registry rate from the previous step)
PLATFORM_STEPS: tuple[tuple[str, str | None], ...] = (
    ("impressions", None), ("uv", "impression_to_view_rate"), ("product_impression_uv", "product_impression_rate"),
    ("product_click_uv", "product_click_rate"), ("buyers", "click_to_order_rate"))
TEMPLATE_STEPS: tuple[str, ...] = ("impressions", "uv", "stayers", "interaction_uv", "buyers")
_KPI_KEYS: tuple[str, ...] = ("impressions", "uv", "buyers", "impression_to_view_rate", "product_impression_rate",
                              "product_click_rate", "click_to_order_rate")
_BASE_KEYS: tuple[str, ...] = ("product_impression_uv", "product_click_uv", "interaction_uv")


@dataclass(frozen=True)
class FunnelData:
    """What the funnel section shows (see :func:`build`). ``template`` is None on aggregate-only data.

    ``reasons`` maps a registry key or base quantity to the engine's :class:`Reason` its value is
    missing. ``findings``: ``funnel_biggest_loss`` (from, to, conversion, loss, rate_key) and
    ``funnel_below_bench`` (rate_keys), both about the platform funnel.
    """

    session_id: str
    platform: pd.DataFrame
    template: pd.DataFrame | None
    stay_seconds: int
    illustrative: bool
    reasons: Mapping[str, Reason] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()


# ----------------------------------------------------------------------------- pure functions
def _num(v: Any) -> float:
    return np.nan if v is None or pd.isna(v) else float(v)


def funnel_steps(steps: Sequence[str], counts: Sequence[float | None],
                 conversions: Sequence[float | None]) -> pd.DataFrame:
    """A funnel table: step, count, conversion (from the previous step), loss (people) and loss_rate.

    ``conversions[i]`` is the conversion into step ``i`` (ignored for the first step); pass
    None to use the step conversion ``count[i] / count[i-1]`` (:func:`measures.step_conversion`).
    ``loss`` = previous count - count; ``loss_rate`` = 1 - conversion.
    """
    nums = [_num(c) for c in counts]
    rows = []
    for i, step in enumerate(steps):
        conv = np.nan
        if i > 0:
            given = conversions[i]
            conv = measures.step_conversion(nums[i], nums[i - 1]) if given is None else _num(given)
        loss = nums[i - 1] - nums[i] if i > 0 else np.nan
        rows.append({"step": step, "count": nums[i], "conversion": conv, "loss": loss, "loss_rate": 1.0 - conv})
    return pd.DataFrame(rows)


def platform_funnel(values: Mapping[str, float | None], bench_p50: Mapping[str, float | None] | None = None) -> pd.DataFrame:
    """The platform funnel from registry values and base quantities.

    Parameters
    ----------
    values : counts (impressions, uv, product_impression_uv, product_click_uv, buyers) and the
        registry rates (impression_to_view_rate, product_impression_rate, product_click_rate,
        click_to_order_rate), e.g. from ``ds.kpis`` and ``ds.bases``.
    bench_p50 : category P50 per rate key (missing keys: no benchmark).

    Returns
    -------
    :func:`funnel_steps` columns plus rate_key, bench_p50 and vs_bench
    (``(conversion - P50) / P50``, :func:`measures.relative_gap`, where P50 > 0).
    """
    bench_p50 = bench_p50 or {}
    steps = [s for s, _ in PLATFORM_STEPS]
    rates = [r for _, r in PLATFORM_STEPS]
    df = funnel_steps(steps, [values.get(s) for s in steps],
                      [None if r is None else _num(values.get(r)) for r in rates])
    df["rate_key"] = rates
    df["bench_p50"] = [_num(None if r is None else bench_p50.get(r)) for r in rates]
    df["vs_bench"] = [measures.relative_gap(c, b) if b > 0 else np.nan
                      for c, b in zip(df["conversion"], df["bench_p50"], strict=True)]
    return df


def stayers(watch: pd.DataFrame, stay_seconds: float = 60) -> int:
    """Viewers whose watch time adds up to at least ``stay_seconds`` (rows of user_id, watch_seconds)."""
    if watch.empty:
        return 0
    total = watch.groupby("user_id")["watch_seconds"].sum()
    return int((total >= stay_seconds).sum())


def template_funnel(values: Mapping[str, float | None], impression_to_view_rate: float | None) -> pd.DataFrame:
    """曝光 → 进入 → 停留 → 互动 → 下单 from counts (impressions, uv, stayers, interaction_uv, buyers).

    The first conversion is the registry's ``impression_to_view_rate``; the others are step
    conversions of consecutive counts.
    """
    first = np.nan if impression_to_view_rate is None else impression_to_view_rate
    return funnel_steps(TEMPLATE_STEPS, [values.get(s) for s in TEMPLATE_STEPS], [None, first, None, None, None])


def findings(platform: pd.DataFrame) -> tuple[Finding, ...]:
    """The weakest step of the platform funnel, and the steps whose conversion is below the category P50."""
    out: list[Finding] = []
    steps = platform.iloc[1:]
    if steps["conversion"].notna().any():
        i = int(np.nanargmin(steps["conversion"].to_numpy(dtype=float))) + 1
        out.append(Finding("funnel_biggest_loss", {
            "from": str(platform["step"].iloc[i - 1]), "to": str(platform["step"].iloc[i]),
            "conversion": float(platform["conversion"].iloc[i]), "loss": _num(platform["loss"].iloc[i]),
            "rate_key": platform["rate_key"].iloc[i]}))
    below = platform[platform["vs_bench"] < 0]
    if len(below):
        out.append(Finding("funnel_below_bench", {"rate_keys": tuple(below["rate_key"])}))
    return tuple(out)


# ----------------------------------------------------------------------------- build
def _value(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _stayers(ds: Dataset, session_id: str, stay_seconds: float) -> float:
    """Viewers (people who entered) of one session with at least ``stay_seconds`` of watch time."""
    per_viewer = ds.bases(["uv", "watch_seconds"], by=["session_id", "user_id"], where={"session_id": session_id})
    if not {"uv", "watch_seconds"} <= set(per_viewer.columns):
        return 0.0
    return float(stayers(per_viewer[per_viewer["uv"] > 0], stay_seconds))


def build(ds: Dataset, session_id: str, *, stay_seconds: int = 60) -> FunnelData:
    """Both funnels for one session (the template funnel only with viewer-level events)."""
    info = ds.session(session_id)
    where = {"session_id": session_id}
    kpis = ds.kpis(list(_KPI_KEYS), where=where)
    bases = ds.bases(list(_BASE_KEYS), where=where)
    values: dict[str, float | None] = {k: _value(kpis.iloc[0][k]) for k in _KPI_KEYS}
    values.update({k: _value(bases.iloc[0][k]) if k in bases.columns else None for k in _BASE_KEYS})
    reasons: dict[str, Reason] = dict(bases.attrs.get("missing", {}))
    if any(values[k] is None for k in _KPI_KEYS):
        sk = ds.session_kpis(session_id)
        reasons.update({k: r for k, r in zip(sk["key"], sk["reason"], strict=True) if k in _KPI_KEYS and r is not None})
    bench = load_benchmarks(ds.path)
    p50 = {r: bench.value(str(info.get("category", "")), r, "p50") for _, r in PLATFORM_STEPS if r}
    platform = platform_funnel(values, p50)
    template = None
    if ds.level == "viewer" and "events" in ds.raw:
        values["stayers"] = _stayers(ds, session_id, stay_seconds)
        template = template_funnel(values, values.get("impression_to_view_rate"))
    return FunnelData(session_id=session_id, platform=platform, template=template, stay_seconds=stay_seconds,
                      illustrative=bench.illustrative, reasons=reasons, findings=findings(platform))


def key_figures(data: FunnelData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: step counts, registry step conversions, weakest step, stayers (viewer-level)."""
    p = data.platform.set_index("step")
    val = _value
    out: dict[str, float | str | None] = {f"count_{s}": val(p.at[s, "count"]) for s, _ in PLATFORM_STEPS}
    for s, r in PLATFORM_STEPS[1:]:
        out[str(r)] = val(p.at[s, "conversion"])
    weakest = [f for f in data.findings if f.code == "funnel_biggest_loss"]
    out["weakest_step"] = str(weakest[0].params["rate_key"]) if weakest else None
    vs = data.platform.dropna(subset=["vs_bench"])
    out["furthest_below_bench"] = None if vs.empty or vs["vs_bench"].min() >= 0 else \
        str(vs["rate_key"].iloc[int(np.argmin(vs["vs_bench"].to_numpy(dtype=float)))])
    out["stay_seconds"] = float(data.stay_seconds)
    if data.template is not None:
        tp = data.template.set_index("step")
        out["count_stayers"] = val(tp.at["stayers", "count"])
        out["stay_conversion"] = val(tp.at["stayers", "conversion"])
    else:
        out["count_stayers"] = None
        out["stay_conversion"] = None
    return out
