"""Section 7 — 观众 Audience: new vs returning, regions, tiers, followers, private domain, RFM layers.

Definitions
-----------
* **Viewer** / **buyer** of a session: a person the registry counts in the session's ``uv`` /
  ``buyers`` — read per person from ``ds.kpis(["uv", "buyers"], by=["user_id"], where={"session_id":
  ...})`` (a viewer has ``uv`` 1, a buyer ``buyers`` 1), so the totals here are the registry's.
* **Returning viewer** (老观众): a viewer of an earlier session of the same room (sessions that
  started before this one, as far back as the data goes); otherwise **new** (新观众 — first time in
  this room). **Returning buyer** (老买家): a buyer of an earlier session of the same room.
* Follower / private-domain shares: share of viewers with ``users.is_follower`` /
  ``users.in_private_domain`` (the users table is a snapshot, so these are the current flags).
* **RFM layers** of the room's buyers — every user with an order in the room before this
  session; recency is measured at the session end from their last purchase before the session
  (purchases in this session do not move a buyer out of the layer they came in with, so a
  reactivated dormant buyer shows as "dormant, bought this session"):

  ========  ==============================================================
  new       first purchase in the room within :data:`NEW_DAYS` (14) days
  active    not new, last purchase within :data:`DORMANT_DAYS` (28) days
  dormant   last purchase more than :data:`DORMANT_DAYS` (28) days ago
  ========  ==============================================================

  Thresholds suit rooms that broadcast several times a week; change the
  constants for slower rooms (e.g. 30 / 60 days).

The viewer vs buyer portrait (gender, age band, region, member tier) is
:mod:`liveops_nb.review.portrait` (through the engine at the viewer-attribute grain).

Shares come from :mod:`liveops_nb.measures`. Needs viewer-level data (events, orders, users);
on aggregate-only data only the registry's next-day return rate is given, and ``missing`` says
why the rest is not. Language-neutral: words, tables and charts are in
:mod:`liveops_nb.render.review.audience`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from .. import measures
from ..engine.reasons import Reason
from . import portrait as portrait_

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

TITLE = ("观众", "Audience")
NEW_DAYS = 14
DORMANT_DAYS = 28
LAYERS: tuple[str, ...] = ("new", "active", "dormant")
TOP_REGIONS = 10
NEEDS: tuple[str, ...] = ("events", "orders", "users")
"""The viewer-level tables the section needs."""


@dataclass(frozen=True)
class AudienceData:
    """What the audience section shows for one session.

    ``available`` is False on aggregate-only data; ``missing`` then says which table is absent.
    ``next_day_return_rate`` is the registry value (None when not available, ``ndr_reason`` says why).
    """

    session_id: str
    available: bool
    next_day_return_rate: float | None = None
    new_returning: pd.DataFrame = field(default_factory=pd.DataFrame)
    regions: pd.DataFrame = field(default_factory=pd.DataFrame)
    tiers: pd.DataFrame = field(default_factory=pd.DataFrame)
    shares: Mapping[str, float | None] = field(default_factory=dict)
    rfm: pd.DataFrame = field(default_factory=pd.DataFrame)
    layers: pd.DataFrame = field(default_factory=pd.DataFrame)  # user_id, first, last, orders, recency_days, layer
    missing: Reason | None = None
    ndr_reason: Reason | None = None
    portrait: portrait_.PortraitData | None = None  # viewers vs buyers by gender, age band, region, member tier


# ---------------------------------------------------------------------------------------- pure functions
def people(per_user: pd.DataFrame, key: str) -> set[str]:
    """The ``user_id`` of every row of ``ds.kpis(..., by=["user_id"])`` where registry count ``key`` is positive."""
    if per_user.empty or key not in per_user.columns:
        return set()
    return set(per_user.loc[per_user[key] > 0, "user_id"].astype(str))


def new_vs_returning(viewers: set[str], buyers: set[str], earlier_viewers: set[str],
                     earlier_buyers: set[str]) -> pd.DataFrame:
    """Rows ``viewers`` and ``buyers`` with ``group, new, returning, total, returning_share``."""
    rows = []
    for group, now, before in (("viewers", viewers, earlier_viewers), ("buyers", buyers, earlier_buyers)):
        ret = len(now & before)
        rows.append({"group": group, "new": len(now) - ret, "returning": ret, "total": len(now),
                     "returning_share": measures.share_of(ret, len(now))})
    return pd.DataFrame(rows)


def breakdown(users: pd.DataFrame, column: str, viewers: set[str], buyers: set[str], top: int | None = None) -> pd.DataFrame:
    """Viewers and buyers by a ``users`` attribute: ``value, viewers, share, buyers`` (most viewers first).

    ``share`` is the value's share of all viewers. Missing attribute values are shown as ``"—"``;
    with ``top`` only the first ``top`` rows are kept.
    """
    u = users[["user_id", column]].assign(user_id=users["user_id"].astype(str)).set_index("user_id")[column]
    v = u.reindex(sorted(viewers)).fillna("—").value_counts()
    b = u.reindex(sorted(buyers)).fillna("—").value_counts()
    out = pd.DataFrame({"value": v.index.astype(str), "viewers": v.to_numpy()})
    out["share"] = measures.share(out["viewers"]) if viewers else np.nan
    out["buyers"] = out["value"].map(b).fillna(0).astype("int64")
    out = out.sort_values(["viewers", "value"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out.head(top) if top else out


def flag_share(users: pd.DataFrame, column: str, viewers: set[str]) -> float | None:
    """Share of ``viewers`` whose boolean ``users[column]`` is true (None without viewers)."""
    if not viewers:
        return None
    flags = users.assign(user_id=users["user_id"].astype(str)).set_index("user_id")[column]
    flagged = int(flags.reindex(sorted(viewers)).fillna(False).astype(bool).sum())
    return measures.share_of(flagged, len(viewers))


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
def _people_by_user(ds: Dataset, session_ids: list[str]) -> tuple[set[str], set[str]]:
    """Viewers and buyers of ``session_ids`` (each person once), from the registry's ``uv`` / ``buyers`` per viewer."""
    if not session_ids:
        return set(), set()
    per_user = ds.kpis(["uv", "buyers"], by=["user_id"], where={"session_id": session_ids})
    return people(per_user, "uv"), people(per_user, "buyers")


def build(ds: Dataset, session_id: str) -> AudienceData:
    """Collect the audience section for ``session_id`` (see the module docstring).

    Parameters
    ----------
    ds : the dataset.
    session_id : the session reviewed (unknown ids raise :class:`~liveops_nb.errors.UnknownSessionError`).
    """
    info = ds.session(session_id)
    kp = ds.session_kpis(session_id).set_index("key")
    v = cast("float | None", kp.at["next_day_return_rate", "value"])
    ndr = None if v is None or pd.isna(v) else float(v)
    ndr_reason = None if ndr is not None else cast("Reason | None", kp.at["next_day_return_rate", "reason"])
    absent = [x for x in NEEDS if not ds.has(x)]
    if absent:
        return AudienceData(session_id, False, ndr, missing=Reason("needs_table", table=absent[0]),
                            ndr_reason=ndr_reason, portrait=portrait_.build(ds, session_id))
    si = ds.session_info
    earlier = si.loc[(si["room_id"] == info["room_id"]) & (si["start_time"] < info["start_time"]), "session_id"].tolist()
    viewers, buyers = _people_by_user(ds, [session_id])
    earlier_viewers, earlier_buyers = _people_by_user(ds, earlier)
    orders = ds.frame("orders", [session_id, *earlier])
    orders_before = orders[orders["session_id"] != session_id]  # purchase times for the RFM layers
    users = ds.frame("users")
    layers = rfm_layers(orders_before, info["end_time"])
    return AudienceData(
        session_id, True, ndr, new_vs_returning(viewers, buyers, earlier_viewers, earlier_buyers),
        breakdown(users, "region", viewers, buyers, TOP_REGIONS), breakdown(users, "member_tier", viewers, buyers),
        {"follower_share": flag_share(users, "is_follower", viewers),
         "private_domain_share": flag_share(users, "in_private_domain", viewers)},
        layer_summary(layers, viewers, buyers), layers, ndr_reason=ndr_reason,
        portrait=portrait_.build(ds, session_id))


def _opt(v: Any) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _count(v: Any) -> float:
    return float(v)


def key_figures(data: AudienceData) -> dict[str, float | str | None]:
    """Numbers for the batch JSON (None when not available)."""
    out: dict[str, float | str | None] = {"next_day_return_rate": data.next_day_return_rate}
    names = ["viewers", "new_viewers", "returning_viewers", "returning_viewer_share", "buyers", "new_buyers",
             "returning_buyers", "follower_share", "private_domain_share", "top_region"]
    out.update(dict.fromkeys(names))
    out.update({f"rfm_{x}_{y}": None for x in LAYERS for y in ("buyers", "watched", "bought")})
    if data.portrait is not None:
        out.update(portrait_.key_figures(data.portrait))
    if not data.available:
        return out
    nr = data.new_returning.set_index("group")
    for g in ("viewers", "buyers"):
        out[g] = _count(nr.at[g, "total"])
        out[f"new_{g}"] = _count(nr.at[g, "new"])
        out[f"returning_{g}"] = _count(nr.at[g, "returning"])
    out["returning_viewer_share"] = _opt(nr.at["viewers", "returning_share"])
    out.update({k: _opt(v) for k, v in data.shares.items()})
    out["top_region"] = str(data.regions.iloc[0]["value"]) if not data.regions.empty else None
    for r in data.rfm.itertuples(index=False):
        out.update({f"rfm_{r.layer}_buyers": _count(r.buyers), f"rfm_{r.layer}_watched": _count(r.watched),
                    f"rfm_{r.layer}_bought": _count(r.bought)})
    return out
