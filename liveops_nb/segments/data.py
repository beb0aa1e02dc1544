"""The per-person numbers every part of the board reads: one registry query per dataset.

``ds.kpis(["uv", "buyers", "gmv"], by=["room_id", "day", "user_id"])`` — the registry's viewers,
buyers and GMV of every person per room and local day (a session belongs to the day it starts in).
A person is a *viewer* of a day when their ``uv`` is positive and a *buyer* when their ``buyers`` is;
over several rooms a person of a day is counted once and their GMV added up. Needs viewer-level data.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..engine.reasons import Reason

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

NEEDS: tuple[str, ...] = ("events", "orders", "users")
"""The viewer-level tables the board needs."""
KEYS: tuple[str, ...] = ("uv", "buyers", "gmv")


def missing(ds: Dataset) -> Reason | None:
    """Why the board cannot be built from ``ds`` (the first absent table), or None."""
    absent = [t for t in NEEDS if not ds.has(t)]
    return Reason("needs_table", table=absent[0]) if absent else None


def _per_room_day(ds: Dataset) -> pd.DataFrame:
    return ds.remember(("segments", "room_day_user"),
                       lambda: ds.kpis(list(KEYS), by=["room_id", "day", "user_id"]))


def daily(ds: Dataset, room: str = "") -> pd.DataFrame:
    """One row per (local day, person) with a view or a purchase in ``room`` ("" = every room).

    Columns ``day`` (naive local midnight), ``user_id`` (str), ``viewer`` and ``buyer`` (bool), ``gmv``.
    """
    def build() -> pd.DataFrame:
        k = _per_room_day(ds)
        if room:
            k = k[k["room_id"] == room]
        k = k.assign(viewer=k["uv"] > 0, buyer=k["buyers"] > 0, user_id=k["user_id"].astype(str))
        k = k[k["viewer"] | k["buyer"]]
        out = k.groupby(["day", "user_id"], as_index=False).agg(viewer=("viewer", "any"), buyer=("buyer", "any"),
                                                                 gmv=("gmv", "sum"))
        out["day"] = pd.to_datetime(out["day"])  # the engine's local day: naive midnight
        return out.sort_values(["day", "user_id"]).reset_index(drop=True)
    return ds.remember(("segments", "daily", room), build).copy()


def purchases(daily_rows: pd.DataFrame, until: pd.Timestamp) -> pd.DataFrame:
    """The purchase days (``user_id, day, gmv``) up to and including day ``until``."""
    p = daily_rows[daily_rows["buyer"] & (daily_rows["day"] <= until)]
    return p[["user_id", "day", "gmv"]].reset_index(drop=True)


def session_ids(ds: Dataset, first: pd.Timestamp, last: pd.Timestamp, room: str = "") -> list[str]:
    """Sessions starting on the local days ``first`` .. ``last`` (inclusive), of ``room`` ("" = every room)."""
    dims = ds.session_dims
    keep = (dims["day"] >= first) & (dims["day"] <= last)
    if room:
        keep &= dims["room_id"] == room
    return dims.loc[keep, "session_id"].tolist()
