"""Registry KPIs of several periods in one engine query, and the period's sessions.

Every number is ``ds.kpis(keys, by=[..., <grain>], where=...)``: day, week and month periods are engine
groupings, so the periods a section compares (this one, the previous one, one cycle earlier, the
room's history) come from one query grouped by the grain and filtered to those periods. A quarter is
not an engine grouping: each quarter is one query filtered to its three months.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .periods import Period

if TYPE_CHECKING:
    from ..dataset import Dataset


@dataclass(frozen=True)
class Scope:
    """What a period review looks at: one period and the rooms (empty = every room).

    Attributes
    ----------
    period : the reviewed period.
    rooms : room ids (empty tuple: all rooms of the dataset).
    """

    period: Period
    rooms: tuple[str, ...] = ()

    def where(self, period: Period | None = None) -> dict[str, Any]:
        """Engine filter of ``period`` (default the scope's) and the rooms."""
        w = (period or self.period).where()
        if self.rooms:
            w["room_id"] = list(self.rooms)
        return w

    def room_ids(self, ds: Dataset) -> list[str]:
        """The rooms looked at (all rooms of the dataset when none were chosen), sorted."""
        return list(self.rooms) if self.rooms else sorted(ds.session_dims["room_id"].unique().tolist())


def period_kpis(ds: Dataset, keys: Sequence[str], periods: Iterable[Period], *, by: Sequence[str] = (),
                rooms: Sequence[str] = ()) -> pd.DataFrame:
    """KPIs ``keys`` of every period in ``periods`` grouped by ``by``; column ``period`` holds the label.

    Periods without sessions have no rows. ``attrs["missing"]`` carries the engine's reasons.
    """
    periods = sorted(set(periods))
    if not periods:
        return pd.DataFrame(columns=["period", *by, *keys])
    grain = periods[0].grain
    room_filter = {"room_id": list(rooms)} if rooms else {}
    if grain != "quarter":
        where = {grain: [p.start for p in periods], **room_filter}
        frame = ds.kpis(list(keys), by=[*by, grain], where=where)
        labels = {p.start: p.label for p in periods}
        frame.insert(0, "period", frame.pop(grain).map(lambda s: labels.get(pd.Timestamp(s), "")))
        out = frame
    else:
        parts = []
        for p in periods:
            f = ds.kpis(list(keys), by=list(by), where={**p.where(), **room_filter})
            if len(f):
                f.insert(0, "period", p.label)
                parts.append(f)
        out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["period", *by, *keys])
        out.attrs.update(parts[0].attrs if parts else {})
    return out[out["period"] != ""].reset_index(drop=True)


def periods_frame(ds: Dataset, scope: Scope, keys: Sequence[str], back: int) -> pd.DataFrame:
    """KPIs ``keys`` per room and in total (``room_id`` ``__total__``) for the scope's period and the ``back``
    periods before it: two engine queries, remembered per scope, keys and ``back`` (results and bridge share them)."""
    periods = [scope.period.shift(-i) for i in range(back + 1)]

    def make() -> pd.DataFrame:
        by_room = period_kpis(ds, keys, periods, by=["room_id"], rooms=scope.rooms)
        total = period_kpis(ds, keys, periods, rooms=scope.rooms).assign(room_id="__total__")
        return pd.concat([by_room, total], ignore_index=True)
    return ds.remember(("period_frame", scope, tuple(keys), back), make)


def session_kpis(ds: Dataset, scope: Scope, keys: Sequence[str]) -> pd.DataFrame:
    """KPIs ``keys`` of each of the scope's sessions (one query, remembered; cases and the comparison share it)."""
    return ds.remember(("period_sessions", scope, tuple(keys)),
                       lambda: ds.kpis(list(keys), by=["session_id"], where=scope.where()))


def sessions_in(ds: Dataset, scope: Scope, period: Period | None = None) -> pd.DataFrame:
    """The scope's sessions in ``period`` (default the scope's): ``ds.session_dims`` rows plus name, title, times."""
    dims = ds.session_dims
    keep = (period or scope.period).mask(dims)
    if scope.rooms:
        keep &= dims["room_id"].isin(scope.rooms)
    info = ds.session_info.set_index("session_id")
    out = dims[keep].copy()
    for col in ("room_name", "title", "start_time", "end_time"):
        if col in info.columns:
            out[col] = info.loc[out["session_id"], col].to_numpy()
    return out.reset_index(drop=True)


def room_names(ds: Dataset) -> dict[str, str]:
    """Room id -> room name (the id itself when the room has no name)."""
    info = ds.session_info
    if "room_name" not in info.columns:
        return {r: r for r in info["room_id"].astype(str)}
    names = info.drop_duplicates("room_id").set_index("room_id")["room_name"]
    return {str(k): (str(v) if pd.notna(v) and str(v) else str(k)) for k, v in names.items()}


def room_categories(ds: Dataset) -> dict[str, str]:
    """Room id -> category (empty when unknown)."""
    info = ds.session_info
    if "category" not in info.columns:
        return {}
    cats = info.drop_duplicates("room_id").set_index("room_id")["category"]
    return {str(k): str(v) for k, v in cats.items() if pd.notna(v)}
