"""Section 2 — 直播过程 Timeline: minute-level trend, pitches, incidents and interaction heat.

Shows online viewers per minute with product pitch segments (讲解) and incidents (the
``incidents`` log plus outages detected from the trend) as shaded bands; entries / exits,
GMV and comments per minute as small multiples; a heat-map of interactions per online
viewer in 5-minute buckets; and the share of broadcast time at peak interaction.

Everything here needs only ``minute_stats`` (platform aggregate or derived), so it works on
aggregate-only datasets; without minute data the section says so in one line.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..render.i18n import Lang, register, t
from ..render.html import note, table

TITLE = ("直播过程", "Broadcast timeline")

INTERACTION_TYPES: tuple[str, ...] = ("comments", "likes", "shares", "new_followers")
PEAK_TYPES: tuple[str, ...] = ("comments", "likes", "shares")  # the registry's interaction_rate counts like/comment/share

register({
    "timeline_no_minutes": ("分钟级数据缺失：本数据源没有 minute_stats，无法画出直播过程曲线。",
                            "No minute-level data (minute_stats) in this source: the broadcast timeline cannot be drawn."),
    "timeline_outage_found": ("检测到 {n} 段疑似断流/卡顿（在线人数骤降至前 15 分钟中位数的 {pct} 以下且持续 ≥{m} 分钟）：{spans}。",
                              "{n} suspected outage(s) detected (online fell suddenly below {pct} of the preceding "
                              "15-minute median for ≥{m} minutes): {spans}."),
    "timeline_outage_none": ("未检测到断流（在线人数没有骤降至前 15 分钟中位数的 {pct} 以下并持续 ≥{m} 分钟）。",
                             "No outage detected (online never fell suddenly below {pct} of the preceding 15-minute "
                             "median for ≥{m} minutes)."),
    "timeline_incidents_logged": ("事故记录 {n} 条。", "{n} incident(s) in the log."),
    "timeline_peak_share": ("高峰互动时长占比 {pct}（{n}/{total} 分钟）。", "Time at peak interaction: {pct} ({n} of {total} minutes)."),
    "timeline_peak_definition": (
        "口径：每分钟互动率 = (评论 + 点赞 + 分享次数) / 在线人数，取以该分钟为中心的 5 分钟滑动平均；"
        "平滑后互动率 ≥ 本场最高平滑互动率 × {q} 的分钟计为高峰分钟，占比 = 高峰分钟 / 有在线人数的分钟。",
        "Definition: interaction rate per minute = (comments + likes + shares) / online viewers, smoothed by a centred "
        "5-minute rolling mean; a minute is at peak when its smoothed rate ≥ {q} × the session's highest smoothed rate; "
        "share = peak minutes / minutes with viewers online."),
    "timeline_peak_na": ("本场没有互动或在线数据，无法计算高峰互动时长占比。",
                         "No interactions or viewers online: the time at peak interaction cannot be computed."),
    "timeline_outage_detected": ("断流(自动检测)", "outage (detected)"),
    "timeline_col_start": ("开始", "Start"),
    "timeline_col_end": ("结束", "End"),
    "timeline_col_kind": ("类型", "Kind"),
    "timeline_col_note": ("说明", "Note"),
    "timeline_col_minutes": ("分钟", "Minutes"),
})


@dataclass(frozen=True)
class TimelineData:
    """What the timeline section shows (see :func:`build`). ``minute`` is None without minute data."""

    session_id: str
    minute: pd.DataFrame | None
    pitches: pd.DataFrame
    incidents: pd.DataFrame  # logged and detected bands: start, end, kind, source, note
    outages: pd.DataFrame
    rates: pd.DataFrame
    heat: pd.DataFrame
    peak_share: float | None
    q: float
    drop: float
    min_minutes: int


# ----------------------------------------------------------------------------- pure functions
def detect_outages(minute_df: pd.DataFrame, drop: float = 0.7, min_minutes: int = 3, *, window: int = 15,
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
    minute_df : one session's ``minute_stats`` (columns ``minute``, ``online``).
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


def interaction_rates(minute_df: pd.DataFrame, q: float = 0.8, window: int = 5) -> pd.DataFrame:
    """Per minute: interactions (comments + likes + shares), online, rate, smoothed rate and ``is_peak``.

    ``rate`` = interactions / online (NaN when nobody is online); ``smoothed`` is the centred
    ``window``-minute rolling mean of ``rate`` (partial windows at the edges, NaN minutes
    skipped); ``is_peak`` is ``smoothed ≥ q × max(smoothed)`` (all False when the max is 0).
    """
    df = minute_df.sort_values("minute").reset_index(drop=True)
    inter = df[list(PEAK_TYPES)].sum(axis=1).astype(float)
    online = df["online"].astype(float)
    rate = (inter / online).where(online > 0)
    smoothed = rate.rolling(window, center=True, min_periods=1).mean()
    top = smoothed.max()
    peak = (smoothed >= q * top) & (top > 0) if pd.notna(top) else pd.Series(False, index=df.index)
    return pd.DataFrame({"minute": df["minute"], "interactions": inter, "online": online, "rate": rate,
                         "smoothed": smoothed, "is_peak": peak.fillna(False).astype(bool)})


def peak_interaction_share(minute_df: pd.DataFrame, q: float = 0.8, window: int = 5) -> float | None:
    """Share of broadcast minutes at peak interaction.

    Definition: interaction rate per minute = (comments + likes + shares) / online viewers;
    it is smoothed with a centred ``window``-minute rolling mean (default 5); a minute is *at
    peak* when its smoothed rate is ≥ ``q`` × the session's highest smoothed rate (default
    80 %). The share is peak minutes / minutes with viewers online. None when there are no
    such minutes or no interactions at all.
    """
    if minute_df is None or minute_df.empty:
        return None
    r = interaction_rates(minute_df, q, window)
    valid = r["smoothed"].notna()
    if not valid.any() or not (r.loc[valid, "smoothed"].max() > 0):
        return None
    return float(r.loc[valid, "is_peak"].sum() / valid.sum())


def interaction_heatmap(minute_df: pd.DataFrame, bucket_minutes: int = 5) -> pd.DataFrame:
    """Interactions per online viewer by time bucket × type (long format).

    Buckets are ``bucket_minutes`` wide counted from the session's first minute. For each
    bucket and type (comments, likes, shares, new_followers): ``count`` (sum over the bucket),
    ``avg_online`` (mean online viewers in the bucket) and ``per_viewer`` = count / avg_online
    (NaN when nobody was online); ``relative`` = per_viewer / the type's highest per_viewer
    (0 for a type with no interactions), for colouring.
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
    long["per_viewer"] = (long["count"] / long["avg_online"]).where(long["avg_online"] > 0)
    top = long.groupby("type")["per_viewer"].transform("max")
    long["relative"] = (long["per_viewer"] / top).where(top > 0, 0.0)
    long["_order"] = long["type"].map({k: i for i, k in enumerate(INTERACTION_TYPES)})
    return long.sort_values(["bucket", "_order"])[cols].reset_index(drop=True)


def pitch_segments(pitches: pd.DataFrame, products: pd.DataFrame | None) -> pd.DataFrame:
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

    Detected outages get kind ``"outage"``; pages show them as "断流(自动检测) / outage (detected)".
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


# ----------------------------------------------------------------------------- build / render
def build(ds, session_id: str, *, lang: Lang = "zh", drop: float = 0.7, min_minutes: int = 3, q: float = 0.8,
          bucket_minutes: int = 5) -> TimelineData:
    """Minute trend, pitches, incidents (logged + detected), interaction heat and peak share for one session."""
    ds.session(session_id)
    minute = ds.frame("minute_stats", session_id) if ds.has("minute_stats") else None
    if minute is not None and minute.empty:
        minute = None
    products = ds.frame("products") if ds.has("products") else None
    pitches = pitch_segments(ds.frame("pitches", session_id) if ds.has("pitches") else None, products)
    logged = ds.frame("incidents", session_id) if ds.has("incidents") else None
    outages = detect_outages(minute, drop, min_minutes)
    bands = incident_bands(logged, outages)
    rates = interaction_rates(minute, q) if minute is not None else pd.DataFrame()
    return TimelineData(session_id=session_id, minute=minute, pitches=pitches, incidents=bands, outages=outages,
                        rates=rates, heat=interaction_heatmap(minute, bucket_minutes),
                        peak_share=peak_interaction_share(minute, q) if minute is not None else None,
                        q=q, drop=drop, min_minutes=min_minutes)


def band_labels(bands: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """``bands`` with a display ``label``: the logged kind, or "断流(自动检测) / outage (detected)"."""
    detected = t("timeline_outage_detected", lang)
    return bands.assign(label=[detected if src == "detected" else str(k) for k, src in zip(bands.kind, bands.source)])


def _hm(ts) -> str:
    return pd.Timestamp(ts).strftime("%H:%M")


def render(data: TimelineData, lang: Lang = "zh") -> list:
    """Notes (outages, incidents, peak share + definition), the layered online chart, small multiples, heat-map."""
    from ..charts import timeline as ch

    if data.minute is None:
        return [note(t("timeline_no_minutes", lang), "na")]
    pct = f"{(1 - data.drop) * 100:.0f}%"
    items: list = []
    if len(data.outages):
        spans = ", ".join(f"{_hm(r.start)}–{_hm(r.end)}" for r in data.outages.itertuples())
        items.append(note(t("timeline_outage_found", lang, n=len(data.outages), pct=pct, m=data.min_minutes, spans=spans), "bad"))
    else:
        items.append(note(t("timeline_outage_none", lang, pct=pct, m=data.min_minutes), "good"))
    n_log = int((data.incidents["source"] == "log").sum()) if len(data.incidents) else 0
    if n_log:
        items.append(note(t("timeline_incidents_logged", lang, n=n_log), "warn"))
    if data.peak_share is None:
        items.append(note(t("timeline_peak_na", lang), "na"))
    else:
        valid = int(data.rates["smoothed"].notna().sum())
        n_peak = int(data.rates.loc[data.rates["smoothed"].notna(), "is_peak"].sum())
        items.append(note(t("timeline_peak_share", lang, pct=f"{data.peak_share * 100:.1f}%", n=n_peak, total=valid), "info"))
    items.append(note(t("timeline_peak_definition", lang, q=f"{data.q:.0%}"), "info"))
    bands = band_labels(data.incidents, lang)
    items.append(ch.online_chart(data.minute, data.pitches, bands, lang))
    items.append(ch.small_multiples(data.minute, lang))
    items.append(ch.heatmap_chart(data.heat, lang))
    if len(bands):
        shown = pd.DataFrame({
            t("timeline_col_start", lang): [_hm(x) for x in bands.start],
            t("timeline_col_end", lang): [_hm(x) for x in bands.end],
            t("timeline_col_kind", lang): bands.label,
            t("timeline_col_note", lang): bands.note.fillna("").astype(str)})
        items.append(table(shown))
    return items


def key_figures(data: TimelineData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: minutes, outages, logged incidents, pitches, peak share, peak-online minute."""
    if data.minute is None:
        return {"minutes": None, "outages": None, "outage_minutes": None, "first_outage_start": None,
                "incidents_logged": float((data.incidents["source"] == "log").sum()) if len(data.incidents) else 0.0,
                "pitches": float(len(data.pitches)), "peak_interaction_share": None, "pcu_minute": None}
    m = data.minute.sort_values("minute")
    return {
        "minutes": float(len(m)),
        "outages": float(len(data.outages)),
        "outage_minutes": float(data.outages["minutes"].sum()) if len(data.outages) else 0.0,
        "first_outage_start": data.outages.start.iloc[0].isoformat() if len(data.outages) else None,
        "incidents_logged": float((data.incidents["source"] == "log").sum()) if len(data.incidents) else 0.0,
        "pitches": float(len(data.pitches)),
        "peak_interaction_share": data.peak_share,
        "pcu_minute": m.minute.iloc[int(np.argmax(m.online.to_numpy()))].isoformat(),
    }
