"""The segment board, section by section: one selection (as-of day, week or month, room, rules) in, results out.

Sections (:data:`SECTIONS`) and what they need: every section but ``retention`` needs viewer-level
data (``events``, ``orders``, ``users``; :func:`liveops_nb.segments.data.missing` says which is absent);
``retention`` reads the registry, which says itself what it cannot give. Every registered KPI comes
from ``ds.kpis`` / ``ds.bases``; per-person purchase days (RFM) are the registry's buyers and GMV per
person and day (:mod:`liveops_nb.segments.data`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import UnknownOptionError, UnknownSectionError
from . import cohorts as _cohorts
from . import data, people
from . import groups as _groups
from . import layers as _layers
from . import retention as _retention
from .rules import SegmentRules, load_rules
from .window import Window, window

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

SECTIONS: tuple[str, ...] = ("layers", "cohorts", "new_returning", "spending", "groups", "retention")
VIEWER_LEVEL: frozenset[str] = frozenset(SECTIONS) - {"retention"}
"""Sections that need viewer-level tables."""


@dataclass(frozen=True)
class Selection:
    """What the board shows: the window, the room ("" = every room) and the rules."""

    win: Window
    room: str = ""
    rules: SegmentRules = field(default_factory=SegmentRules)

    def key(self) -> tuple:
        return (self.win, self.room, self.rules)


@dataclass(frozen=True)
class LayerData:
    """The layer board, every buyer's layer as of the as-of day, and as of the end of the previous period."""

    board: pd.DataFrame
    buyers: pd.DataFrame
    before: pd.DataFrame


@dataclass(frozen=True)
class GroupsData:
    """Registry KPIs of the period's people by region (top ones), member tier, and private domain yes/no."""

    regions: pd.DataFrame
    tiers: pd.DataFrame
    private: pd.DataFrame


def default_as_of(ds: Dataset) -> pd.Timestamp:
    """The last local day with a session (the board's as-of day when none is asked for)."""
    return pd.Timestamp(ds.session_dims["day"].max()).normalize()


def selection(ds: Dataset, as_of: Any = None, granularity: str = "week", room: str = "",
              rules: SegmentRules | None = None) -> Selection:
    """The board's selection, checked against the dataset.

    Parameters
    ----------
    ds : the dataset.
    as_of : the last day counted (None or "": the last day with a session).
    granularity : "week" or "month".
    room : a room id ("" = every room).
    rules : the thresholds (None: the data folder's ``segments.yaml``, else the defaults).

    Raises
    ------
    UnknownOptionError
        An unknown room or granularity.
    SegmentInputError
        ``as_of`` is not a date.
    """
    rooms = sorted(ds.session_dims["room_id"].unique())
    if room and room not in rooms:
        raise UnknownOptionError("room", room, rooms)
    win = window(default_as_of(ds) if as_of is None or as_of == "" else as_of, granularity)
    return Selection(win, room, rules if rules is not None else load_rules(ds.path))


def _daily(ds: Dataset, sel: Selection) -> pd.DataFrame:
    return data.daily(ds, sel.room)


def layers(ds: Dataset, sel: Selection) -> LayerData:
    """RFM layers as of the as-of day and as of the end of the previous period, and the board."""
    purchases = data.purchases(_daily(ds, sel), sel.win.as_of)
    now = _layers.buyer_layers(purchases, sel.win.end_instant, sel.rules)
    before = _layers.buyer_layers(purchases, sel.win.prev_end_instant, sel.rules)
    return LayerData(_layers.layer_board(now, before), now, before)


def cohorts(ds: Dataset, sel: Selection) -> pd.DataFrame:
    """Cohort retention by first-purchase month up to the as-of day (:mod:`.cohorts`)."""
    return _cohorts.cohort_retention(data.purchases(_daily(ds, sel), sel.win.as_of), sel.win.as_of)


def new_returning(ds: Dataset, sel: Selection) -> pd.DataFrame:
    """New vs returning viewers and buyers per week or month (:func:`.people.new_vs_returning`)."""
    return people.new_vs_returning(_daily(ds, sel), sel.win)


def spending(ds: Dataset, sel: Selection) -> pd.DataFrame:
    """Spending tiers of the current period's buyers (:func:`.people.spending_tiers`)."""
    return people.spending_tiers(_daily(ds, sel), sel.win.start, sel.win.as_of, sel.rules.spending_tiers)


def groups(ds: Dataset, sel: Selection) -> GroupsData:
    """Regions (top :data:`~.groups.TOP_REGIONS` by viewers, the rest as one), member tiers and private domain."""
    ids = data.session_ids(ds, sel.win.start, sel.win.as_of, sel.room)
    where = {"session_id": ids or ["\0"]}
    users = ds.frame("users")
    regions = _groups.kpis_for_groups(ds, _groups.attribute_membership(users, "region"), where=where)
    top = _groups.attribute_membership(users, "region", _groups.TOP_REGIONS, regions.set_index("group")["uv"])
    regions = _groups.kpis_for_groups(ds, top, where=where)
    tiers = _groups.kpis_for_groups(ds, _groups.attribute_membership(users, "member_tier"), where=where)
    private = _groups.kpis_for_groups(ds, _groups.flag_membership(users, "in_private_domain"), where=where)
    regions = regions.sort_values("uv", ascending=False, kind="stable").reset_index(drop=True)
    return GroupsData(regions, tiers.sort_values("uv", ascending=False, kind="stable").reset_index(drop=True),
                      private.sort_values("group", ascending=False).reset_index(drop=True))


def retention(ds: Dataset, sel: Selection) -> _retention.RetentionData:
    """The registry's next-day return and repurchase rates (:mod:`.retention`)."""
    return _retention.retention(ds, sel.win, sel.room)


BUILDERS: dict[str, Callable[[Any, Selection], Any]] = {
    "layers": layers, "cohorts": cohorts, "new_returning": new_returning, "spending": spending,
    "groups": groups, "retention": retention}


def build(ds: Dataset, name: str, sel: Selection) -> Any:
    """The results of section ``name`` (raises :class:`~liveops_nb.errors.UnknownSectionError`)."""
    if name not in BUILDERS:
        raise UnknownSectionError(name, SECTIONS)
    return BUILDERS[name](ds, sel)
