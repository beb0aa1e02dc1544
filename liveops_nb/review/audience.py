"""Section 7 — 观众 Audience: new vs returning, regions, tiers, followers, private domain, RFM layers.

Definitions
-----------
* **Viewer**: a user with an ``enter`` event in the session; **buyer**: a user
  with an order in the session.
* **Returning viewer** (老观众): watched (``enter``) an earlier session of the
  same room (sessions that started before this one, as far back as the data
  goes); otherwise **new** (新观众 — first time in this room). **Returning
  buyer** (老买家): bought in an earlier session of the same room; otherwise new.
* Follower / private-domain shares: share of viewers with ``users.is_follower``
  / ``users.in_private_domain`` (the users table is a snapshot, so these are
  the current flags).
* **RFM layers** of the room's buyers — every user with an order in the room
  before this session; recency is measured at the session end from their last
  purchase before the session (purchases in this session do not move a buyer
  out of the layer they came in with, so a reactivated dormant buyer shows as
  "dormant, bought this session"):

  ========  ==============================================================
  new       first purchase in the room within :data:`NEW_DAYS` (14) days
  active    not new, last purchase within :data:`DORMANT_DAYS` (28) days
  dormant   last purchase more than :data:`DORMANT_DAYS` (28) days ago
  ========  ==============================================================

  Thresholds suit rooms that broadcast several times a week; change the
  constants for slower rooms (e.g. 30 / 60 days).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..charts import audience as charts
from ..render.fmt import fmt_value, is_missing
from ..render.i18n import Lang, register, t
from ..metrics import REGISTRY
from ..render.html import note, table

TITLE = ("观众", "Audience")
NEW_DAYS = 14
DORMANT_DAYS = 28
LAYERS: tuple[str, ...] = ("new", "active", "dormant")
TOP_REGIONS = 10

register({
    "audience_aggregate": ("观众画像：此数据源无法提供（需要 events / orders / users 明细）",
                           "Audience profile: not available from this source (needs events / orders / users detail)"),
    "audience_group": ("人群", "Group"),
    "audience_new": ("新", "New"),
    "audience_returning": ("老", "Returning"),
    "audience_returning_share": ("老客占比", "Returning share"),
    "audience_viewers": ("观众", "Viewers"),
    "audience_buyers": ("买家", "Buyers"),
    "audience_value": ("取值", "Value"),
    "audience_share": ("观众占比", "Share of viewers"),
    "audience_shares": ("粉丝占比 {f}；私域用户占比 {p}；{ndr_label} {ndr}",
                        "Followers {f} of viewers; private-domain users {p}; {ndr_label} {ndr}"),
    "audience_def": ("老观众/老买家 = 此前在本直播间看过/买过；新 = 首次来本直播间。",
                     "Returning viewer/buyer = watched/bought in this room before; new = first time in this room."),
    "audience_rfm_def": ("RFM 分层（截至本场下播，按本场之前的购买）：新客 = 首购在 {n} 天内；活跃 = 近 {d} 天内购买过；沉睡 = 超过 {d} 天未购买",
                         "RFM layers (as of the session end, from purchases before it): new = first purchase within {n} days; "
                         "active = bought within {d} days; dormant = no purchase for more than {d} days"),
    "audience_layer": ("分层", "Layer"),
    "audience_layer_new": ("新客", "New"),
    "audience_layer_active": ("活跃", "Active"),
    "audience_layer_dormant": ("沉睡", "Dormant"),
    "audience_layer_buyers": ("买家数", "Buyers"),
    "audience_layer_watched": ("本场来看", "Watched this session"),
    "audience_layer_bought": ("本场购买", "Bought this session"),
    "audience_region": ("地域", "Region"),
    "audience_tier": ("会员等级", "Member tier"),
})


@dataclass(frozen=True)
class AudienceData:
    """What the audience section shows for one session."""

    session_id: str
    available: bool
    next_day_return_rate: float | None = None
    new_returning: pd.DataFrame = field(default_factory=pd.DataFrame)
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    tiers: pd.DataFrame = field(default_factory=pd.DataFrame)
    shares: dict = field(default_factory=dict)
    rfm: pd.DataFrame = field(default_factory=pd.DataFrame)
    layers: pd.DataFrame = field(default_factory=pd.DataFrame)  # user_id, first, last, layer


def new_vs_returning(viewers: set[str], buyers: set[str], earlier_viewers: set[str],
                     earlier_buyers: set[str]) -> pd.DataFrame:
    """Rows ``viewers`` and ``buyers`` with ``group, new, returning, total, returning_share``."""
    rows = []
    for group, now, before in (("viewers", viewers, earlier_viewers), ("buyers", buyers, earlier_buyers)):
        ret = len(now & before)
        rows.append({"group": group, "new": len(now) - ret, "returning": ret, "total": len(now),
                     "returning_share": ret / len(now) if now else np.nan})
    return pd.DataFrame(rows)


def breakdown(users: pd.DataFrame, column: str, viewers: set[str], buyers: set[str], top: int | None = None) -> pd.DataFrame:
    """Viewers and buyers by a ``users`` attribute: ``value, viewers, share, buyers`` (most viewers first).

    Missing attribute values are shown as ``"—"``; with ``top`` only the first ``top`` rows are kept.
    """
    u = users[["user_id", column]].assign(user_id=users["user_id"].astype(str))
    u = u.set_index("user_id")[column]
    v = u.reindex(sorted(viewers)).fillna("—").value_counts()
    b = u.reindex(sorted(buyers)).fillna("—").value_counts()
    out = pd.DataFrame({"value": v.index.astype(str), "viewers": v.to_numpy()})
    out["share"] = out["viewers"] / len(viewers) if viewers else np.nan
    out["buyers"] = out["value"].map(b).fillna(0).astype("int64")
    out = out.sort_values(["viewers", "value"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out.head(top) if top else out


def flag_share(users: pd.DataFrame, column: str, viewers: set[str]) -> float | None:
    """Share of ``viewers`` whose boolean ``users[column]`` is true (None without viewers)."""
    if not viewers:
        return None
    flags = users.assign(user_id=users["user_id"].astype(str)).set_index("user_id")[column]
    return float(flags.reindex(sorted(viewers)).fillna(False).astype(bool).mean())


def rfm_layers(orders_before: pd.DataFrame, as_of: pd.Timestamp, *, new_days: int = NEW_DAYS,
               dormant_days: int = DORMANT_DAYS) -> pd.DataFrame:
    """Layer of every buyer in ``orders_before`` (``user_id, ts``) as of ``as_of``.

    Returns ``user_id, first, last, orders, recency_days, layer`` (layer: new / active / dormant, see module
    docstring; recency in days from the last purchase to ``as_of``).
    """
    g = orders_before.assign(user_id=orders_before["user_id"].astype(str)).groupby("user_id")["ts"]
    df = pd.DataFrame({"first": g.min(), "last": g.max(), "orders": g.size()}).reset_index()
    df["recency_days"] = (as_of - df["last"]).dt.total_seconds() / 86400
    first_age = (as_of - df["first"]).dt.total_seconds() / 86400
    df["layer"] = np.where(first_age <= new_days, "new", np.where(df["recency_days"] <= dormant_days, "active", "dormant"))
    return df


def layer_summary(layers: pd.DataFrame, viewers: set[str], buyers: set[str]) -> pd.DataFrame:
    """Per layer: ``layer, buyers`` (in the layer), ``watched`` and ``bought`` (this session)."""
    rows = []
    for layer in LAYERS:
        ids = set(layers.loc[layers["layer"] == layer, "user_id"])
        rows.append({"layer": layer, "buyers": len(ids), "watched": len(ids & viewers), "bought": len(ids & buyers)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------- orchestration
def _ids(df: pd.DataFrame) -> set[str]:
    return set(df["user_id"].astype(str))


def build(ds, session_id: str, *, lang: Lang = "zh", **options) -> AudienceData:
    """Collect the audience section for ``session_id`` (see module docstring)."""
    info = ds.session(session_id)
    k = ds.session_kpis(session_id).set_index("key")["value"]
    ndr = None if is_missing(k.get("next_day_return_rate")) else float(k["next_day_return_rate"])
    if not all(ds.has(x) for x in ("events", "orders", "users")):
        return AudienceData(session_id, False, ndr)
    si = ds.session_info
    earlier = si.loc[(si["room_id"] == info["room_id"]) & (si["start_time"] < info["start_time"]), "session_id"].tolist()
    ev = ds.table("events")
    enters = ev.filter((ev.event_type == "enter") & ev.session_id.isin([session_id, *earlier]))
    enters = enters.select("session_id", "user_id").distinct().execute()
    viewers = _ids(enters[enters["session_id"] == session_id])
    earlier_viewers = _ids(enters[enters["session_id"] != session_id])
    orders = ds.frame("orders", [session_id, *earlier])
    buyers = _ids(orders[orders["session_id"] == session_id])
    before = orders[orders["session_id"] != session_id]
    users = ds.frame("users")
    layers = rfm_layers(before, info["end_time"])
    return AudienceData(
        session_id, True, ndr, new_vs_returning(viewers, buyers, earlier_viewers, _ids(before)),
        breakdown(users, "region", viewers, buyers, TOP_REGIONS), breakdown(users, "member_tier", viewers, buyers),
        {"follower_share": flag_share(users, "is_follower", viewers),
         "private_domain_share": flag_share(users, "in_private_domain", viewers)},
        layer_summary(layers, viewers, buyers), layers)


def _breakdown_table(df: pd.DataFrame, label_key: str, lang: Lang) -> str:
    cols = [t(label_key, lang), t("audience_viewers", lang), t("audience_share", lang), t("audience_buyers", lang)]
    out = pd.DataFrame({cols[0]: df["value"], cols[1]: [fmt_value(v, "people", lang) for v in df["viewers"]],
                        cols[2]: [fmt_value(v, "ratio", lang) for v in df["share"]],
                        cols[3]: [fmt_value(v, "people", lang) for v in df["buyers"]]})
    return table(out, numeric=cols[1:])


def render(data: AudienceData, lang: Lang = "zh") -> list:
    """New vs returning, shares, RFM layers, regions and tiers."""
    ndr_label = REGISTRY["next_day_return_rate"].label(lang)
    ndr = fmt_value(data.next_day_return_rate, "ratio", lang) if data.next_day_return_rate is not None else t("not_available", lang)
    if not data.available:
        return [note(t("audience_aggregate", lang), "na"), note(f"{ndr_label}: {ndr}", "info")]
    nr = data.new_returning
    items: list = [note(t("audience_def", lang), "info"), table(pd.DataFrame({
        t("audience_group", lang): [t(f"audience_{g}", lang) for g in nr["group"]],
        t("audience_new", lang): [fmt_value(v, "people", lang) for v in nr["new"]],
        t("audience_returning", lang): [fmt_value(v, "people", lang) for v in nr["returning"]],
        t("audience_returning_share", lang): [fmt_value(v, "ratio", lang) for v in nr["returning_share"]]})),
        charts.new_vs_returning(nr, lang),
        note(t("audience_shares", lang, f=fmt_value(data.shares.get("follower_share"), "ratio", lang),
               p=fmt_value(data.shares.get("private_domain_share"), "ratio", lang), ndr_label=ndr_label, ndr=ndr), "info"),
        note(t("audience_rfm_def", lang, n=NEW_DAYS, d=DORMANT_DAYS), "info")]
    cols = [t(x, lang) for x in ("audience_layer", "audience_layer_buyers", "audience_layer_watched", "audience_layer_bought")]
    items.append(table(pd.DataFrame({cols[0]: [t(f"audience_layer_{x}", lang) for x in data.rfm["layer"]],
                                     cols[1]: data.rfm["buyers"], cols[2]: data.rfm["watched"], cols[3]: data.rfm["bought"]}),
                       numeric=cols[1:]))
    items += [_breakdown_table(data.regions, "audience_region", lang), charts.region_bars(data.regions, lang),
              _breakdown_table(data.tiers, "audience_tier", lang), charts.tier_bars(data.tiers, lang)]
    return items


def key_figures(data: AudienceData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON (None when not available)."""
    out: dict[str, float | str | None] = {"next_day_return_rate": data.next_day_return_rate}
    names = ["viewers", "new_viewers", "returning_viewers", "returning_viewer_share", "buyers", "new_buyers",
             "returning_buyers", "follower_share", "private_domain_share", "top_region"]
    out.update({n: None for n in names})
    out.update({f"rfm_{x}_{y}": None for x in LAYERS for y in ("buyers", "watched", "bought")})
    if not data.available:
        return out
    nr = data.new_returning.set_index("group")
    for g in ("viewers", "buyers"):
        out[g] = float(nr.at[g, "total"])
        out[f"new_{g}"] = float(nr.at[g, "new"])
        out[f"returning_{g}"] = float(nr.at[g, "returning"])
    out["returning_viewer_share"] = None if is_missing(nr.at["viewers", "returning_share"]) else float(nr.at["viewers", "returning_share"])
    out.update(data.shares)
    out["top_region"] = str(data.regions.iloc[0]["value"]) if not data.regions.empty else None
    for r in data.rfm.itertuples(index=False):
        out.update({f"rfm_{r.layer}_buyers": float(r.buyers), f"rfm_{r.layer}_watched": float(r.watched),
                    f"rfm_{r.layer}_bought": float(r.bought)})
    return out
