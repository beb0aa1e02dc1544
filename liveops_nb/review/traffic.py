"""Section 3 — 流量来源 Traffic sources: channel mix, GPM per channel, paid spend and ROI, concentration.

Every registered number comes from :meth:`liveops_nb.Dataset.kpis`:

* per channel — ``uv``, ``views``, ``gmv``, ``orders``, ``gpm``, ``paid_spend`` and ``paid_roi`` at
  ``by=["session_id", "channel"]``; the channel's group (organic / paid / private) from
  :attr:`Dataset.channel_groups` (a channel the dataset does not name is organic, as in the
  derived ``channels`` table);
* per channel group — the same keys with ``where={"session_id": sid, "channel": [its channels]}``,
  so a group's people are counted once and its GPM / ROI are ratios of the group's sums;
* the session's paid spend and ROI — the registry values ``paid_spend`` / ``paid_roi``;
* per minute — people entering (``uv``), views and GMV per channel group at
  ``by=["session_id", "minute", "channel_group"]`` (viewer-level data: the channel a viewer entered
  through, the channel an order came from), and paid spend per minute at ``by=["session_id", "minute"]``
  where the source reports it (a ``minute_stats.paid_spend`` column); otherwise the engine's reason says
  why not (e.g. aggregate-only exports without per-minute channels, spend reported per session only).

Spend and ROI are shown for paid channels only. Shares of viewers and views and the
Herfindahl–Hirschman index come from :mod:`liveops_nb.measures`. A finding says whether one
channel brings more than ``concentration_threshold`` of the viewers.

Works on aggregate-only datasets (the platform's ``channels`` export). Language-neutral: the
words are in :mod:`liveops_nb.render.review.traffic`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from .. import measures
from ..engine.reasons import Reason
from .findings import Finding

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

TITLE = ("流量来源", "Traffic sources")
GROUPS: tuple[str, ...] = ("organic", "paid", "private")
CHANNEL_KEYS: tuple[str, ...] = ("uv", "views", "gmv", "orders", "gpm", "paid_spend", "paid_roi")
MINUTE_KEYS: tuple[str, ...] = ("uv", "views", "gmv")
COLUMNS: tuple[str, ...] = ("uv", "views", "gmv", "orders", "spend", "uv_share", "views_share", "gpm", "roi")


@dataclass(frozen=True)
class TrafficData:
    """What the traffic section shows (see :func:`build`). ``channels`` is None without channel data.

    ``findings``: ``traffic_no_channels``, or ``traffic_concentrated`` / ``traffic_spread`` (channel,
    share, threshold, hhi) / ``traffic_no_uv``, then ``traffic_paid_total`` (spend, roi, roi_reason)
    or ``traffic_paid_none``.
    """

    session_id: str
    channels: pd.DataFrame | None
    groups: pd.DataFrame | None
    top_channel: str | None
    top_share: float | None
    hhi: float | None
    threshold: float
    paid_spend: float | None  # registry paid_spend
    paid_roi: float | None  # registry paid_roi
    paid_roi_reason: Reason | None  # why paid_roi is not available
    findings: tuple[Finding, ...] = ()
    minutes: pd.DataFrame | None = None  # minute, channel_group, uv, views, gmv (every minute × present group)
    minutes_reason: Reason | None = None  # why there is no per-minute channel split
    spend_minutes: pd.DataFrame | None = None  # minute, paid_spend
    spend_reason: Reason | None = None  # why there is no per-minute paid spend


# ----------------------------------------------------------------------------- tables
def _table(kpis: pd.DataFrame, first: str, groups: pd.Series) -> pd.DataFrame:
    """Registry values per row, renamed for display: spend and ROI for paid rows only, plus shares."""
    paid = (groups == "paid").to_numpy()
    out = pd.DataFrame({first: kpis[first].to_numpy()}) if first == "channel_group" else \
        pd.DataFrame({"channel": kpis["channel"].to_numpy(), "channel_group": groups.to_numpy()})
    for col in ("uv", "views", "gmv", "orders"):
        out[col] = kpis[col].astype(float).to_numpy()
    out["spend"] = np.where(paid, kpis["paid_spend"].astype(float), np.nan)
    out["uv_share"] = measures.share(out["uv"])
    out["views_share"] = measures.share(out["views"])
    out["gpm"] = kpis["gpm"].astype(float).to_numpy()
    out["roi"] = np.where(paid, kpis["paid_roi"].astype(float), np.nan)
    return out


def channel_table(ds: Dataset, session_id: str) -> pd.DataFrame:
    """One row per channel of one session: people, views, money, shares, GPM and (paid) spend and ROI.

    Parameters
    ----------
    ds : the :class:`~liveops_nb.Dataset`.
    session_id : the session.

    Returns
    -------
    DataFrame with channel, channel_group, uv, views, gmv, orders, spend (registry ``paid_spend``,
    paid channels only), uv_share, views_share, gpm (registry ``gpm``) and roi (registry
    ``paid_roi``, paid channels only), sorted by uv descending.
    """
    k = ds.kpis(list(CHANNEL_KEYS), by=["session_id", "channel"], where={"session_id": session_id})
    k = k[k["channel"].notna()].reset_index(drop=True)
    named = ds.channel_groups
    groups = k["channel"].map(lambda c: named.get(c, "organic"))
    tab = _table(k, "channel", groups)
    return tab.sort_values(["uv", "views", "channel"], ascending=[False, False, True]).reset_index(drop=True)


def group_table(ds: Dataset, session_id: str, channel_tab: pd.DataFrame) -> pd.DataFrame:
    """Channel groups (organic / paid / private) present in ``channel_tab``, with the registry's values per group.

    One ``ds.kpis(by=["session_id", "channel_group"])`` (people counted once per group; GPM and ROI
    are ratios of the group's sums). Columns as :func:`channel_table`, with channel_group first and
    no channel; ordered organic, paid, private.
    """
    present = set(channel_tab["channel_group"])
    k = ds.kpis(list(CHANNEL_KEYS), by=["session_id", "channel_group"], where={"session_id": session_id})
    k = k[k["channel_group"].isin(present)]
    order = {g: i for i, g in enumerate(GROUPS)}
    k = k.sort_values("channel_group", key=lambda s: s.map(lambda g: (order.get(g, len(GROUPS)), g)))
    k = k.drop(columns=["session_id"]).reset_index(drop=True)
    return _table(k, "channel_group", k["channel_group"])


def concentration(channel_tab: pd.DataFrame) -> tuple[str | None, float, float]:
    """The channel with the largest UV share, that share, and the HHI.

    HHI (Herfindahl–Hirschman index) = Σ (UV share of each channel)², on a 0–1 scale: 1 when
    every viewer came from one channel, 1/n for n equal channels. ``(None, nan, nan)`` when
    there are no viewers. ``channel_tab`` needs the columns channel and uv.
    """
    share = measures.share(channel_tab["uv"])
    if share.isna().all():
        return None, float("nan"), float("nan")
    i = int(np.argmax(share.to_numpy()))
    return str(channel_tab["channel"].iloc[i]), float(share.iloc[i]), measures.hhi(share)


def minute_channels(ds: Dataset, session_id: str) -> tuple[pd.DataFrame | None, Reason | None]:
    """People entering, views and GMV per minute and channel group of one session (registry values).

    Every minute of the grid × every group present, 0 where nobody entered / nothing was sold; ``(None,
    reason)`` when the source cannot split minutes by channel group.
    """
    k = ds.kpis(list(MINUTE_KEYS), by=["session_id", "minute", "channel_group"], where={"session_id": session_id})
    missing = k.attrs.get("missing", {})
    if "uv" in missing or k.empty:
        return None, missing.get("uv")
    k = k[k["channel_group"].notna()]
    grid = ds.kpis(["pcu"], by=["session_id", "minute"], where={"session_id": session_id})["minute"]
    minutes = pd.Index(sorted(set(grid) | set(k["minute"])), name="minute")  # every broadcast minute
    groups = [g for g in GROUPS if g in set(k["channel_group"])] + \
        sorted(set(k["channel_group"]) - set(GROUPS))
    full = pd.MultiIndex.from_product([minutes, groups], names=["minute", "channel_group"])
    out = k.set_index(["minute", "channel_group"])[list(MINUTE_KEYS)].reindex(full).fillna(0.0).reset_index()
    return out, None


def minute_spend(ds: Dataset, session_id: str) -> tuple[pd.DataFrame | None, Reason | None]:
    """Paid spend per minute of one session (registry ``paid_spend`` at the minute grain), or ``(None, reason)``."""
    k = ds.kpis(["paid_spend"], by=["session_id", "minute"], where={"session_id": session_id})
    reason = k.attrs.get("missing", {}).get("paid_spend")
    if reason is not None or k.empty or k["paid_spend"].isna().all():
        return None, reason
    return k[["minute", "paid_spend"]].reset_index(drop=True), None


def _value(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


# ----------------------------------------------------------------------------- build
def build(ds: Dataset, session_id: str, *, concentration_threshold: float = 0.5) -> TrafficData:
    """Channel and group tables, concentration, and the registry's paid spend / ROI for one session."""
    ds.session(session_id)
    row = ds.kpis(["paid_spend", "paid_roi"], where={"session_id": session_id}).iloc[0]
    spend, roi = _value(row["paid_spend"]), _value(row["paid_roi"])
    reason: Reason | None = None
    if roi is None:
        reason = cast("Reason | None", ds.session_kpis(session_id).set_index("key").at["paid_roi", "reason"])
    if not ds.has("channels"):
        return TrafficData(session_id, None, None, None, None, None, concentration_threshold, spend, roi, reason,
                           (Finding("traffic_no_channels"),))
    tab = channel_table(ds, session_id)
    top, share, hhi = concentration(tab)
    findings: list[Finding] = []
    if top is None:
        findings.append(Finding("traffic_no_uv"))
    else:
        code = "traffic_concentrated" if share > concentration_threshold else "traffic_spread"
        findings.append(Finding(code, {"channel": top, "share": share, "threshold": concentration_threshold,
                                       "hhi": hhi}))
    if (tab["channel_group"] == "paid").any():
        findings.append(Finding("traffic_paid_total", {"spend": spend, "roi": roi, "roi_reason": reason}))
    else:
        findings.append(Finding("traffic_paid_none"))
    minutes, minutes_reason = minute_channels(ds, session_id)
    spend_minutes, spend_reason = minute_spend(ds, session_id)
    return TrafficData(session_id=session_id, channels=tab, groups=group_table(ds, session_id, tab),
                       top_channel=top, top_share=None if np.isnan(share) else share,
                       hhi=None if np.isnan(hhi) else hhi, threshold=concentration_threshold,
                       paid_spend=spend, paid_roi=roi, paid_roi_reason=reason, findings=tuple(findings),
                       minutes=minutes, minutes_reason=minutes_reason, spend_minutes=spend_minutes,
                       spend_reason=spend_reason)


def key_figures(data: TrafficData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: channel count, top channel and share, HHI, warning flag, group UV shares, paid totals."""
    out: dict[str, float | str | None] = {
        "n_channels": None if data.channels is None else float((data.channels["uv"] > 0).sum()),
        "top_channel": data.top_channel, "top_channel_uv_share": data.top_share, "hhi": data.hhi,
        "concentration_warning": None if data.top_share is None else float(data.top_share > data.threshold),
        "paid_spend": _value(data.paid_spend),
        "paid_roi": _value(data.paid_roi),
    }
    groups = data.groups.set_index("channel_group") if data.groups is not None else None
    for g in GROUPS:
        v = groups.at[g, "uv_share"] if groups is not None and g in groups.index else (None if groups is None else 0.0)
        out[f"{g}_uv_share"] = _value(v)
    return out
