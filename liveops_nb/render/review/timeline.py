"""Rendering of section 2 (直播过程 Broadcast timeline): notes, the band table and the charts, in 中文 or English.

The numbers come from :func:`liveops_nb.review.timeline.build`; the charts from
:mod:`liveops_nb.charts.timeline`. The per-minute quantity is 互动强度 / interaction intensity
((comments + likes + shares) / online viewers), never called 互动率 (the registry's
interaction_rate = interacting people / UV).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ...review.findings import Finding
from ...review.timeline import TimelineData
from ..html import NoteKind, note, table
from ..i18n import Lang, register, t

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
    "timeline_peak_share": ("高峰互动强度时长占比 {pct}（{n}/{total} 分钟）。",
                            "Time at peak interaction intensity: {pct} ({n} of {total} minutes)."),
    "timeline_peak_definition": (
        "口径：每分钟互动强度 = (评论 + 点赞 + 分享次数) / 在线人数（不同于互动率 = 互动人数 / 观看人数），"
        "取以该分钟为中心的 {w} 分钟滑动平均；平滑后互动强度 ≥ 本场最高平滑互动强度 × {q} 的分钟计为高峰分钟，"
        "占比 = 高峰分钟 / 有在线人数的分钟。",
        "Definition: interaction intensity per minute = (comments + likes + shares) / online viewers (not the "
        "interaction rate = interacting people / viewers), smoothed by a centred {w}-minute rolling mean; a minute is "
        "at peak when its smoothed intensity ≥ {q} × the session's highest smoothed intensity; share = peak minutes / "
        "minutes with viewers online."),
    "timeline_peak_na": ("本场没有互动或在线数据，无法计算高峰互动强度时长占比。",
                         "No interactions or viewers online: the time at peak interaction intensity cannot be computed."),
    "timeline_outage_detected": ("断流(自动检测)", "outage (detected)"),
    "timeline_col_start": ("开始", "Start"),
    "timeline_col_end": ("结束", "End"),
    "timeline_col_kind": ("类型", "Kind"),
    "timeline_col_note": ("说明", "Note"),
    "timeline_alerts": ("本场触发预警 {n} 条（按数据目录中的预警规则，没有时按内置默认规则）：{spans}。",
                        "{n} alert(s) fired in this session (under the data folder's alert rules, or the shipped "
                        "defaults without them): {spans}."),
    "timeline_alerts_none": ("本场未触发预警（按数据目录中的预警规则，没有时按内置默认规则）。",
                             "No alert fired in this session (under the data folder's alert rules, or the shipped "
                             "defaults without them)."),
    "timeline_alert_kind": ("预警 · {label}", "alert · {label}"),
})


def band_labels(bands: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """``bands`` with a display ``label``: the logged kind, or "断流(自动检测) / outage (detected)"."""
    detected = t("timeline_outage_detected", lang)
    return bands.assign(label=[detected if src == "detected" else str(k) for k, src in zip(bands.kind, bands.source, strict=True)])


def _hm(ts: Any) -> str:
    return pd.Timestamp(ts).strftime("%H:%M")


_KIND: dict[str, NoteKind] = {"timeline_outage_found": "bad", "timeline_outage_none": "good",
                              "timeline_incidents_logged": "warn",
                              "timeline_peak_na": "na", "timeline_peak_share": "info"}


def finding_text(finding: Finding, lang: Lang = "zh") -> str:
    """One finding of :func:`liveops_nb.review.timeline.findings` in words."""
    p = finding.params
    if finding.code in ("timeline_outage_found", "timeline_outage_none"):
        spans = ", ".join(f"{_hm(a)}–{_hm(b)}" for a, b in p.get("spans", ()))
        return t(finding.code, lang, n=p.get("n", 0), pct=f"{(1 - p['drop']) * 100:.0f}%", m=p["min_minutes"],
                 spans=spans)
    if finding.code == "timeline_peak_share":
        return t(finding.code, lang, pct=f"{p['share'] * 100:.1f}%", n=p["peak_minutes"], total=p["minutes"])
    return t(finding.code, lang, **p)


def notes(data: TimelineData, lang: Lang = "zh") -> list[str]:
    """The section's notes: outages, logged incidents, the peak-intensity share and its definition."""
    items = [note(finding_text(f, lang), _KIND[f.code]) for f in data.findings]
    items.append(note(t("timeline_peak_definition", lang, q=f"{data.q:.0%}", w=data.window), "info"))
    return items


def band_table(bands: pd.DataFrame, lang: Lang = "zh") -> str:
    """Incidents and detected outages as an HTML table (start, end, kind, note); ``bands`` from :func:`band_labels`."""
    shown = pd.DataFrame({
        t("timeline_col_start", lang): [_hm(x) for x in bands.start],
        t("timeline_col_end", lang): [_hm(x) for x in bands.end],
        t("timeline_col_kind", lang): bands.label,
        t("timeline_col_note", lang): bands.note.fillna("").astype(str)})
    return table(shown)


def alert_bands(data: TimelineData, lang: Lang = "zh") -> pd.DataFrame:
    """The session's alerts as timeline bands (start, end, kind, source, note, label); an alert still running
    at the end of the data is drawn for one minute."""
    from ..alerts import timeline_labels

    cols = ["start", "end", "kind", "source", "note", "label"]
    if data.alerts is None or not len(data.alerts):
        return pd.DataFrame(columns=cols)
    a = timeline_labels(data.alerts, lang)
    start = pd.to_datetime(a["start"])
    end = pd.to_datetime(a["end"]).fillna(start + pd.Timedelta(minutes=1))
    label = [t("timeline_alert_kind", lang, label=x) for x in a["label"]]
    return pd.DataFrame({"start": start, "end": end, "kind": label, "source": "alert", "note": "",
                         "label": label})[cols]


def alert_note(data: TimelineData, bands: pd.DataFrame, lang: Lang = "zh") -> str | None:
    """One line on the session's alerts (None when they were not evaluated); ``bands`` from :func:`alert_bands`."""
    if data.alerts is None:
        return None
    if not len(bands):
        return note(t("timeline_alerts_none", lang), "good")
    spans = "；".join(f"{_hm(s)}–{_hm(e)} {k}" for s, e, k in zip(bands.start, bands.end, bands.label, strict=True))
    return note(t("timeline_alerts", lang, n=len(bands), spans=spans), "warn")


def render(data: TimelineData, lang: Lang = "zh") -> list:
    """Notes, the layered online chart, small multiples, the heat-map and the band table (incidents, outages, alerts)."""
    from ...charts import timeline as ch

    if data.minute is None:
        return [note(t("timeline_no_minutes", lang), "na")]
    items: list = list(notes(data, lang))
    extra = alert_bands(data, lang)
    line = alert_note(data, extra, lang)
    if line is not None:
        items.append(line)
    bands = band_labels(data.incidents, lang)
    if len(extra):
        bands = pd.concat([bands, extra], ignore_index=True) if len(bands) else extra
    items.append(ch.online_chart(data.minute, data.pitches, bands, lang))
    items.append(ch.small_multiples(data.minute, lang))
    items.append(ch.heatmap_chart(data.heat, lang))
    if len(bands):
        items.append(band_table(bands, lang))
    return items
