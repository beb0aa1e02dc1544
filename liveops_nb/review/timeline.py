"""Section 2 — 直播过程 Timeline: minute-level trend, pitches, incidents and interaction intensity.

The analysis behind the timeline: online viewers per minute with product pitch segments (讲解)
and incidents (the ``incidents`` log plus outages detected from the trend); entries / exits,
GMV and comments per minute; a heat-map of actions per online viewer in 5-minute buckets; and
the share of broadcast time at peak 互动强度 / interaction intensity.

Per-minute registry numbers (online = ``pcu`` of the minute, entries = ``views``, ``gmv``,
``new_followers``) come from ``ds.kpis(..., by=["session_id", "minute"])``; the per-minute
counts the registry does not hold (exits, comments, likes, shares) from ``minute_stats``.
Interaction intensity is :func:`liveops_nb.measures.interaction_intensity` — (comments + likes +
shares) / online viewers of the minute — and is *not* the registry's 互动率 (interaction_rate =
interacting people / UV).

Everything here needs only minute-level data (platform aggregate or derived), so it works on
aggregate-only datasets; without minute data :attr:`TimelineData.missing` says why.
Text, HTML and charts: :mod:`liveops_nb.render.review.timeline`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import measures
from ..engine.reasons import Reason
from .findings import Finding

if TYPE_CHECKING:
    from ..dataset import Dataset

TITLE = ("直播过程", "Broadcast timeline")

INTERACTION_TYPES: tuple[str, ...] = ("comments", "likes", "shares", "new_followers")
MINUTE_KPIS: dict[str, str] = {"pcu": "online", "views": "entries", "gmv": "gmv", "new_followers": "new_followers"}
"""Registry metric per minute -> the column name it has in :attr:`TimelineData.minute`."""
MINUTE_COUNTS: tuple[str, ...] = ("exits", "comments", "likes", "shares")
"""Per-minute counts from ``minute_stats`` that are not registry metrics."""


@dataclass(frozen=True)
class TimelineData:
    """What the timeline section shows (see :func:`build`).

    ``minute`` is None without minute data, and ``missing`` then says why. ``intensity`` has one
    row per minute: minute, online, intensity, smoothed, is_peak. ``peak_share`` is
    ``peak_minutes / intensity_minutes`` (None when not computable). ``findings``: see :func:`findings`.
    """

    session_id: str
    minute: pd.DataFrame | None
    pitches: pd.DataFrame
    incidents: pd.DataFrame  # logged and detected bands: start, end, kind, source, note
    outages: pd.DataFrame
    intensity: pd.DataFrame
    heat: pd.DataFrame
    peak_share: float | None
    peak_minutes: int
    intensity_minutes: int
    q: float
    window: int
    drop: float
    min_minutes: int
    missing: Reason | None = None
    findings: tuple[Finding, ...] = ()
    alerts: pd.DataFrame | None = None
    """The session's post-hoc alerts (:func:`liveops_nb.alerts.session_alerts`: start, end, rule_id, metric,
    severity, product_id …), attached by the page (analyses do not import each other); None = not evaluated."""

    @property
    def incidents_logged(self) -> int:
        """Incidents from the log (detected outages not counted)."""
        return int((self.incidents["source"] == "log").sum()) if len(self.incidents) else 0


# ----------------------------------------------------------------------------- pure functions
def minute_frame(kpis: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """One session's minutes: the registry numbers of :data:`MINUTE_KPIS` next to :data:`MINUTE_COUNTS`.

    Parameters
    ----------
    kpis : ``ds.kpis(list(MINUTE_KPIS), by=["session_id", "minute"], where={"session_id": sid})``.
    counts : the session's ``minute_stats`` rows (``minute`` and the :data:`MINUTE_COUNTS` columns).

    Returns
    -------
    DataFrame with session_id, minute, online, entries, exits, gmv, comments, likes, shares,
    new_followers — one row per minute of ``kpis``, in time order (a count absent for a minute is 0).
    """
    k = kpis.rename(columns=MINUTE_KPIS)
    c = counts[["minute", *MINUTE_COUNTS]]
    m = k.merge(c, on="minute", how="left").fillna({col: 0 for col in MINUTE_COUNTS})
    cols = ["session_id", "minute", "online", "entries", "exits", "gmv", "comments", "likes", "shares", "new_followers"]
    return m.sort_values("minute")[cols].reset_index(drop=True)


def detect_outages(minute_df: pd.DataFrame | None, drop: float = 0.7, min_minutes: int = 3, *, window: int = 15,
                   min_history: int = 5, onset_minutes: int = 2, onset_level: float | None = 0.7) -> pd.DataFrame:
    """Outage windows: runs of ≥ ``min_minutes`` minutes with online below ``(1 - drop)`` × reference.

    The reference of a minute is the median of ``online`` over the ``window`` minutes before it
    (at least ``min_history`` of them); while the previous minute is already below its
    threshold the reference is held at its value from before the drop, so a long outage does
    not lower its own reference. Minutes without enough history are never flagged.

    An outage is a *sudden* fall: within the ``onset_minutes`` minutes just before the run,
    online must still have been ≥ ``onset_level`` × reference. This keeps ordinary troughs
    (audience drifting away over several minutes) out; ``onset_level=None`` accepts them.

    Parameters
    ----------
    minute_df : one session's minutes (columns ``minute``, ``online``).
    drop : fall relative to the reference that counts as an outage (0.7 → online < 30 %).
    min_minutes : shortest run reported.
    window, min_history : length of the reference window, and the fewest minutes it needs.
    onset_minutes, onset_level : the suddenness rule above.

    Returns
    -------
    DataFrame with start (first minute), end (minute after the last one), minutes,
    min_online and reference — one row per outage, in time order.
    """
    cols = ["start", "end", "minutes", "min_online", "reference"]
    if minute_df is None or minute_df.empty:
        return pd.DataFrame(columns=cols)
    df = minute_df.sort_values("minute").reset_index(drop=True)
    online = df["online"].to_numpy(dtype=float)
    below = np.zeros(len(df), dtype=bool)
    ref = np.full(len(df), np.nan)
    for i in range(len(df)):
        if i > 0 and below[i - 1]:
            ref[i] = ref[i - 1]
        elif i >= min_history:
            ref[i] = np.median(online[max(0, i - window):i])
        below[i] = bool(ref[i] > 0 and online[i] < (1.0 - drop) * ref[i])
    rows, i = [], 0
    while i < len(df):
        if not below[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(df) and below[j + 1]:
            j += 1
        sudden = onset_level is None or (i > 0 and online[max(0, i - onset_minutes):i].max() >= onset_level * ref[i])
        if j - i + 1 >= min_minutes and sudden:
            rows.append({"start": df.minute[i], "end": df.minute[j] + pd.Timedelta(minutes=1), "minutes": j - i + 1,
                         "min_online": float(online[i:j + 1].min()), "reference": float(ref[i])})
        i = j + 1
    return pd.DataFrame(rows, columns=cols)


def intensity_by_minute(minute_df: pd.DataFrame | None, q: float = 0.8, window: int = 5) -> pd.DataFrame:
    """Per minute: online, 互动强度 ``intensity``, its ``smoothed`` value and ``is_peak``.

    ``intensity`` is :func:`liveops_nb.measures.interaction_intensity` (comments + likes +
    shares) / online, NaN when nobody is online; ``smoothed`` is its centred ``window``-minute
    rolling mean (partial windows at the edges, NaN minutes skipped); ``is_peak`` is
    ``smoothed ≥ q × max(smoothed)`` (all False when the max is 0).
    """
    cols = ["minute", "online", "intensity", "smoothed", "is_peak"]
    if minute_df is None or minute_df.empty:
        return pd.DataFrame(columns=cols)
    df = minute_df.sort_values("minute").reset_index(drop=True)
    intensity = measures.interaction_intensity(df["comments"], df["likes"], df["shares"], df["online"])
    smoothed = intensity.rolling(window, center=True, min_periods=1).mean()
    top = smoothed.max()
    peak = (smoothed >= q * top) & (top > 0) if pd.notna(top) else pd.Series(False, index=df.index)
    return pd.DataFrame({"minute": df["minute"], "online": df["online"].astype(float), "intensity": intensity,
                         "smoothed": smoothed, "is_peak": peak.fillna(False).astype(bool)})[cols]


def peak_counts(intensity: pd.DataFrame) -> tuple[int, int]:
    """(minutes at peak, minutes with a smoothed intensity) of :func:`intensity_by_minute`'s result."""
    if intensity.empty:
        return 0, 0
    valid = intensity["smoothed"].notna()
    return int(intensity.loc[valid, "is_peak"].sum()), int(valid.sum())


def peak_intensity_share(minute_df: pd.DataFrame | None, q: float = 0.8, window: int = 5) -> float | None:
    """Share of broadcast minutes at peak 互动强度 / interaction intensity.

    Definition: interaction intensity per minute = (comments + likes + shares) / online viewers
    (:func:`liveops_nb.measures.interaction_intensity`); it is smoothed with a centred
    ``window``-minute rolling mean (default 5); a minute is *at peak* when its smoothed
    intensity is ≥ ``q`` × the session's highest smoothed intensity (default 80 %). The share
    is peak minutes / minutes with viewers online. None when there are no such minutes or no
    interactions at all.
    """
    return peak_share(intensity_by_minute(minute_df, q, window))


def peak_share(intensity: pd.DataFrame) -> float | None:
    """Minutes at peak / minutes with a smoothed intensity, from :func:`intensity_by_minute`'s result.

    None when no minute has viewers online or nobody interacted at all.
    """
    valid = intensity["smoothed"].notna()
    if not valid.any() or not (intensity.loc[valid, "smoothed"].max() > 0):
        return None
    peak, total = peak_counts(intensity)
    return float(measures.share(pd.Series([peak, total - peak])).iloc[0])


def interaction_heatmap(minute_df: pd.DataFrame | None, bucket_minutes: int = 5) -> pd.DataFrame:
    """Actions per online viewer by time bucket × type (long format).

    Buckets are ``bucket_minutes`` wide counted from the session's first minute. For each
    bucket and type (comments, likes, shares, new_followers): ``count`` (sum over the bucket),
    ``avg_online`` (mean online viewers in the bucket) and ``per_viewer`` = count / avg_online
    (:func:`liveops_nb.measures.per_viewer`; NaN when nobody was online); ``relative`` =
    per_viewer / the type's highest per_viewer (0 for a type with no interactions), for colouring.
    """
    cols = ["bucket", "bucket_start", "type", "count", "avg_online", "per_viewer", "relative"]
    if minute_df is None or minute_df.empty:
        return pd.DataFrame(columns=cols)
    df = minute_df.sort_values("minute").reset_index(drop=True)
    offset = ((df["minute"] - df["minute"].iloc[0]).dt.total_seconds() // 60).astype(int)
    df = df.assign(bucket=offset // bucket_minutes)
    g = df.groupby("bucket")
    agg = g[list(INTERACTION_TYPES)].sum().astype(float)
    agg["avg_online"] = g["online"].mean().astype(float)
    agg["bucket_start"] = g["minute"].min()
    long = agg.reset_index().melt(id_vars=["bucket", "bucket_start", "avg_online"], value_vars=list(INTERACTION_TYPES),
                                  var_name="type", value_name="count")
    long["per_viewer"] = measures.per_viewer(long["count"], long["avg_online"])
    top = long.groupby("type")["per_viewer"].transform("max")
    long["relative"] = (long["per_viewer"] / top).where(top > 0, 0.0)
    long["_order"] = long["type"].map({k: i for i, k in enumerate(INTERACTION_TYPES)})
    return long.sort_values(["bucket", "_order"])[cols].reset_index(drop=True)


def pitch_segments(pitches: pd.DataFrame | None, products: pd.DataFrame | None) -> pd.DataFrame:
    """Pitch segments with product names: product_id, name, start, end, minutes (time order)."""
    cols = ["product_id", "name", "start", "end", "minutes"]
    if pitches is None or pitches.empty:
        return pd.DataFrame(columns=cols)
    p = pitches.copy()
    if products is not None and "name" in products.columns:
        p = p.merge(products[["product_id", "name"]], on="product_id", how="left")
    else:
        p["name"] = None
    p["name"] = p["name"].fillna(p["product_id"])
    p["minutes"] = (p["end"] - p["start"]).dt.total_seconds() / 60.0
    return p.sort_values("start")[cols].reset_index(drop=True)


def incident_bands(incidents: pd.DataFrame | None, outages: pd.DataFrame) -> pd.DataFrame:
    """Logged incidents and detected outages as one band table: start, end, kind, source ("log"/"detected"), note.

    Detected outages get kind ``"outage"``; rendering labels them "断流(自动检测) / outage (detected)".
    """
    cols = ["start", "end", "kind", "source", "note"]
    parts = []
    if incidents is not None and not incidents.empty:
        log = incidents.copy()
        log["note"] = log["note"] if "note" in log.columns else None
        parts.append(log.assign(source="log")[cols])
    if outages is not None and not outages.empty:
        parts.append(outages.assign(kind="outage", source="detected", note=None)[cols])
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True).sort_values("start").reset_index(drop=True)


def findings(outages: pd.DataFrame, incidents_logged: int, peak_share: float | None, peak_minutes: int,
             intensity_minutes: int, *, drop: float, min_minutes: int, q: float, window: int) -> tuple[Finding, ...]:
    """What the section states, as codes with parameters (the renderer words them).

    * ``timeline_outage_found`` {n, spans: ((start, end), …), drop, min_minutes} or
      ``timeline_outage_none`` {drop, min_minutes};
    * ``timeline_incidents_logged`` {n} when the incident log has entries;
    * ``timeline_peak_share`` {share, peak_minutes, minutes, q, window} — the share of minutes at
      peak 互动强度 / interaction intensity — or ``timeline_peak_na`` {q, window}.
    """
    rule = {"drop": drop, "min_minutes": min_minutes}
    out = [Finding("timeline_outage_found", {"n": len(outages), **rule,
                                              "spans": tuple(zip(outages["start"], outages["end"], strict=True))})
           if len(outages) else Finding("timeline_outage_none", rule)]
    if incidents_logged:
        out.append(Finding("timeline_incidents_logged", {"n": incidents_logged}))
    peak = {"q": q, "window": window}
    if peak_share is None:
        out.append(Finding("timeline_peak_na", peak))
    else:
        out.append(Finding("timeline_peak_share", {"share": peak_share, "peak_minutes": peak_minutes,
                                                   "minutes": intensity_minutes, **peak}))
    return tuple(out)


# ----------------------------------------------------------------------------- orchestration
def session_minutes(ds: Dataset, session_id: str) -> pd.DataFrame | None:
    """:func:`minute_frame` for one session (None without minute-level data)."""
    if not ds.has("minute_stats"):
        return None
    counts = ds.frame("minute_stats", session_id)
    if counts.empty:
        return None
    kpis = ds.kpis(list(MINUTE_KPIS), by=["session_id", "minute"], where={"session_id": session_id})
    return minute_frame(kpis, counts)


def build(ds: Dataset, session_id: str, *, drop: float = 0.7, min_minutes: int = 3, q: float = 0.8,
          window: int = 5, bucket_minutes: int = 5) -> TimelineData:
    """Minute trend, pitches, incidents (logged + detected), interaction heat and peak-intensity share.

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    drop, min_minutes : the outage rule (:func:`detect_outages`).
    q, window : the peak rule and smoothing window of :func:`peak_intensity_share`.
    bucket_minutes : width of the heat-map's time buckets.
    """
    ds.session(session_id)
    minute = session_minutes(ds, session_id)
    products = ds.frame("products") if ds.has("products") else None
    pitches = pitch_segments(ds.frame("pitches", session_id) if ds.has("pitches") else None, products)
    logged = ds.frame("incidents", session_id) if ds.has("incidents") else None
    outages = detect_outages(minute, drop, min_minutes)
    intensity = intensity_by_minute(minute, q, window)
    peak, total = peak_counts(intensity)
    share = peak_share(intensity)
    bands = incident_bands(logged, outages)
    n_logged = int((bands["source"] == "log").sum()) if len(bands) else 0
    said = findings(outages, n_logged, share, peak, total, drop=drop, min_minutes=min_minutes, q=q, window=window)
    return TimelineData(
        session_id=session_id, minute=minute, pitches=pitches, incidents=bands, outages=outages, intensity=intensity,
        heat=interaction_heatmap(minute, bucket_minutes), peak_share=share, peak_minutes=peak, intensity_minutes=total,
        q=q, window=window, drop=drop, min_minutes=min_minutes,
        missing=None if minute is not None else Reason("needs_table", table="minute_stats"),
        findings=said if minute is not None else ())


def key_figures(data: TimelineData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: minutes, outages, logged incidents, pitches, peak-intensity share, peak-online minute."""
    logged = float(data.incidents_logged)
    if data.minute is None:
        return {"minutes": None, "outages": None, "outage_minutes": None, "first_outage_start": None,
                "incidents_logged": logged, "pitches": float(len(data.pitches)), "peak_intensity_share": None,
                "pcu_minute": None}
    m = data.minute.sort_values("minute")
    return {
        "minutes": float(len(m)),
        "outages": float(len(data.outages)),
        "outage_minutes": float(data.outages["minutes"].sum()) if len(data.outages) else 0.0,
        "first_outage_start": data.outages.start.iloc[0].isoformat() if len(data.outages) else None,
        "incidents_logged": logged,
        "pitches": float(len(data.pitches)),
        "peak_intensity_share": data.peak_share,
        "pcu_minute": m.minute.iloc[int(np.argmax(m.online.to_numpy()))].isoformat(),
    }
