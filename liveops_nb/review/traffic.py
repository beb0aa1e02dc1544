"""Section 3 — 流量来源 Traffic sources: channel mix, GPM per channel, paid spend and ROI, concentration.

Per channel and per channel group (organic 自然流量 / paid 付费 / private 私域): viewers (UV)
and views (PV) with their shares, GMV, GPM (same definition as the registry's ``gpm``:
GMV / views (PV) × 1000), and for paid channels spend and ROI (GMV / spend). The session's
total paid spend and ROI are the registry values ``paid_spend`` / ``paid_roi``. A warning
fires when one channel brings more than ``concentration_threshold`` of the viewers; the
Herfindahl–Hirschman index of UV shares is reported alongside.

Works on aggregate-only datasets (the platform's ``channels`` export).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..metrics import REGISTRY
from ..render.html import note, table
from ..render.metrics import kpi_table

TITLE = ("流量来源", "Traffic sources")
GROUPS: tuple[str, ...] = ("organic", "paid", "private")

register({
    "traffic_no_channels": ("流量来源数据缺失：本数据源没有 channels 表（也无法从行为事件推导）。",
                            "No traffic-source data: this source has no channels table (and no events to derive it from)."),
    "traffic_concentrated": ("流量过于集中：{channel} 带来 {share} 的观看人数（阈值 {thr}），HHI = {hhi}。",
                             "Traffic is concentrated: {channel} brings {share} of viewers (threshold {thr}); HHI = {hhi}."),
    "traffic_spread": ("最大渠道 {channel} 占观看人数 {share}（阈值 {thr}），HHI = {hhi}（1 = 全部来自一个渠道）。",
                       "Largest channel {channel} brings {share} of viewers (threshold {thr}); HHI = {hhi} (1 = all from one channel)."),
    "traffic_no_uv": ("本场没有观看人数，无法计算渠道占比。", "No viewers in this session: channel shares cannot be computed."),
    "traffic_paid_total": ("付费合计：消耗 {spend}，ROI {roi}（= 付费渠道成交金额 / 投放消耗）。",
                           "Paid total: spend {spend}, ROI {roi} (= GMV from paid channels / paid spend)."),
    "traffic_paid_none": ("本场没有付费渠道流量。", "No paid traffic in this session."),
    "traffic_gpm_note": ("渠道 GPM = 渠道成交金额 / 渠道观看次数(PV) × 1000，与指标 “{label}” 同口径。",
                         "Channel GPM = channel GMV / channel views (PV) × 1000, the same definition as “{label}”."),
    "traffic_group_organic": ("自然流量", "Organic"),
    "traffic_group_paid": ("付费", "Paid"),
    "traffic_group_private": ("私域", "Private domain"),
    "traffic_col_channel": ("渠道", "Channel"),
    "traffic_col_group": ("渠道类型", "Group"),
    "traffic_col_uv": ("观看人数", "Viewers (UV)"),
    "traffic_col_uv_share": ("人数占比", "UV share"),
    "traffic_col_views": ("观看次数", "Views (PV)"),
    "traffic_col_views_share": ("次数占比", "Views share"),
    "traffic_col_gmv": ("成交金额", "GMV"),
    "traffic_col_gpm": ("GPM", "GPM"),
    "traffic_col_spend": ("投放消耗", "Spend"),
    "traffic_col_roi": ("ROI", "ROI"),
    "traffic_total": ("付费合计", "Paid total"),
})


@dataclass(frozen=True)
class TrafficData:
    """What the traffic section shows (see :func:`build`). ``channels`` is None without channel data."""

    session_id: str
    channels: pd.DataFrame | None
    groups: pd.DataFrame | None
    top_channel: str | None
    top_share: float | None
    hhi: float | None
    threshold: float
    paid_spend: float | None  # registry paid_spend
    paid_roi: float | None  # registry paid_roi
    paid_roi_reason: dict[str, str | None]  # lang -> why paid_roi is not available


# ----------------------------------------------------------------------------- pure functions
def _share(part: pd.Series) -> pd.Series:
    total = part.sum()
    return part / total if total > 0 else pd.Series(np.nan, index=part.index)


def _gpm(gmv: pd.Series, views: pd.Series) -> pd.Series:
    """GMV per 1,000 views with the registry's ``gpm`` scale (NaN where views = 0)."""
    return (gmv / views * REGISTRY["gpm"].scale).where(views > 0)


def _roi(gmv: pd.Series, spend: pd.Series) -> pd.Series:
    """GMV / spend with the registry's ``paid_roi`` scale (NaN where spend is missing or 0)."""
    return (gmv / spend * REGISTRY["paid_roi"].scale).where(spend > 0)


def channel_table(channels_df: pd.DataFrame) -> pd.DataFrame:
    """One row per channel: people, views, money, shares, GPM and (paid) ROI.

    Parameters
    ----------
    channels_df : rows of the ``channels`` table (one session, or several — they are summed
        per channel).

    Returns
    -------
    DataFrame with channel, channel_group, uv, views, gmv, orders, spend, uv_share,
    views_share, gpm (GMV / views × 1000) and roi (GMV / spend, paid channels with spend > 0
    only), sorted by uv descending. ``spend`` is NaN where the source does not report it.
    """
    df = channels_df.copy()
    if "spend" not in df.columns:
        df["spend"] = np.nan
    g = df.groupby(["channel", "channel_group"], as_index=False).agg(
        uv=("uv", "sum"), views=("views", "sum"), gmv=("gmv", "sum"), orders=("orders", "sum"),
        spend=("spend", lambda s: s.sum(min_count=1)))
    g = g.astype({"uv": float, "views": float, "gmv": float, "orders": float, "spend": float})
    g["uv_share"] = _share(g["uv"])
    g["views_share"] = _share(g["views"])
    g["gpm"] = _gpm(g["gmv"], g["views"])
    g["roi"] = _roi(g["gmv"], g["spend"]).where(g["channel_group"] == "paid")
    return g.sort_values(["uv", "views", "channel"], ascending=[False, False, True]).reset_index(drop=True)


def group_table(channel_tab: pd.DataFrame) -> pd.DataFrame:
    """Channel groups (organic / paid / private): uv, views, gmv, spend, shares, GPM, ROI (paid)."""
    g = channel_tab.groupby("channel_group", as_index=False).agg(
        uv=("uv", "sum"), views=("views", "sum"), gmv=("gmv", "sum"), spend=("spend", lambda s: s.sum(min_count=1)))
    g["uv_share"] = _share(g["uv"])
    g["views_share"] = _share(g["views"])
    g["gpm"] = _gpm(g["gmv"], g["views"])
    g["roi"] = _roi(g["gmv"], g["spend"]).where(g["channel_group"] == "paid")
    order = {k: i for i, k in enumerate(GROUPS)}
    return g.sort_values("channel_group", key=lambda s: s.map(lambda x: order.get(x, 99))).reset_index(drop=True)


def concentration(channel_tab: pd.DataFrame) -> tuple[str | None, float, float]:
    """The channel with the largest UV share, that share, and the HHI.

    HHI (Herfindahl–Hirschman index) = Σ (UV share of each channel)², on a 0–1 scale: 1 when
    every viewer came from one channel, 1/n for n equal channels. ``(None, nan, nan)`` when
    there are no viewers.
    """
    uv = channel_tab["uv"].astype(float)
    if uv.sum() <= 0:
        return None, float("nan"), float("nan")
    share = uv / uv.sum()
    i = int(np.argmax(share.to_numpy()))
    return str(channel_tab["channel"].iloc[i]), float(share.iloc[i]), float((share ** 2).sum())


# ----------------------------------------------------------------------------- build / render
def build(ds, session_id: str, *, lang: Lang = "zh", concentration_threshold: float = 0.5) -> TrafficData:
    """Channel and group tables, concentration, and the registry's paid spend / ROI for one session."""
    ds.session(session_id)
    row = ds.kpis(["paid_spend", "paid_roi"], where={"session_id": session_id}).iloc[0]
    values = {k: (None if pd.isna(row[k]) else float(row[k])) for k in ("paid_spend", "paid_roi")}
    reasons: dict[str, str | None] = {"zh": None, "en": None}
    if values["paid_roi"] is None:
        for lg in ("zh", "en"):
            reasons[lg] = kpi_table(ds.session_kpis(session_id), lg).set_index("key").at["paid_roi", "missing_reason"]
    if not ds.has("channels"):
        return TrafficData(session_id, None, None, None, None, None, concentration_threshold,
                           values["paid_spend"], values["paid_roi"], reasons)
    tab = channel_table(ds.frame("channels", session_id))
    top, share, hhi = concentration(tab)
    return TrafficData(session_id=session_id, channels=tab, groups=group_table(tab), top_channel=top,
                       top_share=None if np.isnan(share) else share, hhi=None if np.isnan(hhi) else hhi,
                       threshold=concentration_threshold, paid_spend=values["paid_spend"],
                       paid_roi=values["paid_roi"], paid_roi_reason=reasons)


def _display(tab: pd.DataFrame, first: str, lang: Lang) -> pd.DataFrame:
    label = (lambda g: t(f"traffic_group_{g}", lang)) if first == "channel_group" else str
    out = pd.DataFrame({t(f"traffic_col_{'group' if first == 'channel_group' else 'channel'}", lang): tab[first].map(label)})
    if first == "channel":
        out[t("traffic_col_group", lang)] = tab["channel_group"].map(lambda g: t(f"traffic_group_{g}", lang))
    for col, unit in (("uv", "people"), ("uv_share", "ratio"), ("views", "times"), ("views_share", "ratio"),
                      ("gmv", "CNY"), ("gpm", "CNY"), ("spend", "CNY"), ("roi", "x")):
        out[t(f"traffic_col_{col}", lang)] = [fmt_value(v, unit, lang) for v in tab[col]]
    return out


def render(data: TrafficData, lang: Lang = "zh") -> list:
    """Concentration note, paid total note, share and GPM charts, channel and group tables."""
    from ..charts import traffic as ch

    if data.channels is None:
        return [note(t("traffic_no_channels", lang), "na")]
    items: list = []
    thr = f"{data.threshold:.0%}"
    if data.top_share is None:
        items.append(note(t("traffic_no_uv", lang), "na"))
    else:
        key = "traffic_concentrated" if data.top_share > data.threshold else "traffic_spread"
        items.append(note(t(key, lang, channel=data.top_channel, share=fmt_value(data.top_share, "ratio", lang), thr=thr,
                            hhi=f"{data.hhi:.2f}"), "warn" if data.top_share > data.threshold else "info"))
    if (data.channels["channel_group"] == "paid").any():
        roi = fmt_value(data.paid_roi, "x", lang) if not is_missing(data.paid_roi) else \
            f"— ({data.paid_roi_reason.get(lang) or t('not_available', lang)})"
        items.append(note(t("traffic_paid_total", lang, spend=fmt_value(data.paid_spend, "CNY", lang), roi=roi), "info"))
    else:
        items.append(note(t("traffic_paid_none", lang), "info"))
    items.append(note(t("traffic_gpm_note", lang, label=REGISTRY["gpm"].label(lang)), "info"))
    items.append(ch.share_chart(data.channels, lang))
    items.append(ch.gpm_chart(data.channels, lang))
    numeric = [t(f"traffic_col_{c}", lang) for c in ("uv", "uv_share", "views", "views_share", "gmv", "gpm", "spend", "roi")]
    items.append(table(_display(data.channels, "channel", lang), numeric=numeric))
    items.append(table(_display(data.groups, "channel_group", lang), numeric=numeric))
    return items


def key_figures(data: TrafficData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON: channel count, top channel and share, HHI, warning flag, group UV shares, paid totals."""
    out: dict[str, float | str | None] = {
        "n_channels": None if data.channels is None else float((data.channels["uv"] > 0).sum()),
        "top_channel": data.top_channel, "top_channel_uv_share": data.top_share, "hhi": data.hhi,
        "concentration_warning": None if data.top_share is None else float(data.top_share > data.threshold),
        "paid_spend": None if is_missing(data.paid_spend) else float(data.paid_spend),
        "paid_roi": None if is_missing(data.paid_roi) else float(data.paid_roi),
    }
    groups = data.groups.set_index("channel_group") if data.groups is not None else None
    for g in GROUPS:
        v = groups.at[g, "uv_share"] if groups is not None and g in groups.index else (None if groups is None else 0.0)
        out[f"{g}_uv_share"] = None if is_missing(v) else float(v)
    return out
