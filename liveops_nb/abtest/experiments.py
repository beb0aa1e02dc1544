"""Experiments and their units: definitions, assignments, exposure windows and viewer segments.

An experiment (one row of the ``experiments`` table) randomises *viewers* or *sessions* of some
rooms between variants (``planned_split``); the ``assignments`` table says which unit got which
variant. Exposure is the sessions of the experiment's rooms that start within [start, end]; the
CUPED pre-period and the planner's history are the same rooms before the start.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import ibis
import pandas as pd

from liveops_nb.abtest.errors import ExperimentError, MetricNotAvailableError, UnknownExperimentError
from liveops_nb.errors import MissingTableError

if TYPE_CHECKING:
    from liveops_nb.dataset import Dataset

Unit = Literal["viewer", "session"]
UNITS: tuple[Unit, ...] = ("viewer", "session")
Segment = Literal["new", "returning"]
SEGMENTS: tuple[Segment, ...] = ("new", "returning")


@dataclass(frozen=True)
class Experiment:
    """One row of the ``experiments`` table, parsed (``split`` keeps the planned order of variants)."""

    experiment_id: str
    name: str
    hypothesis: str
    unit: Unit
    variable: str
    start: pd.Timestamp
    end: pd.Timestamp
    primary_metric: str
    status: str
    control: str
    split: tuple[tuple[str, float], ...]
    room_ids: tuple[str, ...]

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.split)

    @property
    def treatments(self) -> tuple[str, ...]:
        return tuple(v for v in self.variants if v != self.control)

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.split)

    def check_variants(self, control: str, treatments: Iterable[str]) -> None:
        """Raise :class:`ExperimentError` unless ``control`` and every treatment are planned variants."""
        unknown = [v for v in (control, *treatments) if v not in self.variants]
        if unknown:
            raise ExperimentError(f"variant '{unknown[0]}' is not in {self.experiment_id}; its variants are "
                                  f"{', '.join(self.variants)}", code="unknown_variant", variant=unknown[0],
                                  variants=list(self.variants))


def parse_split(text: str) -> tuple[tuple[str, float], ...]:
    """``"A:0.5,B:0.5"`` -> ``(("A", 0.5), ("B", 0.5))`` (weights normalised to sum to 1)."""
    pairs = []
    for part in str(text).replace("，", ",").replace(";", ",").split(","):
        if part.strip():
            name, _, w = part.rpartition(":")
            try:
                pairs.append((name.strip(), float(w)))
            except ValueError:
                raise ExperimentError(f"planned_split '{text}' is not like 'A:0.5,B:0.5'") from None
    total = sum(w for _, w in pairs)
    if len(pairs) < 2 or total <= 0 or any(not n or w < 0 for n, w in pairs):
        raise ExperimentError(f"planned_split '{text}' needs two or more 'variant:share' parts")
    return tuple((n, w / total) for n, w in pairs)


def experiments_frame(ds: Dataset) -> pd.DataFrame:
    """The ``experiments`` table (empty frame when the dataset has none)."""
    if not ds.has("experiments"):
        return pd.DataFrame(columns=["experiment_id", "name", "unit", "variable", "start", "end"])
    return ds.frame("experiments").sort_values("start").reset_index(drop=True)


def experiment_from_row(row: pd.Series) -> Experiment:
    """Parse one experiments row into an :class:`Experiment` (:class:`ExperimentError` if it cannot be)."""
    try:
        rooms = row.get("room_ids")
        room_ids = () if rooms is None or pd.isna(rooms) else tuple(
            r.strip() for r in str(rooms).replace(";", ",").replace("，", ",").split(",") if r.strip())
        split = parse_split(row["planned_split"])
        if row["control_variant"] not in dict(split):
            raise ExperimentError(f"control_variant '{row['control_variant']}' is not in planned_split "
                                  f"'{row['planned_split']}' of {row['experiment_id']}")
        if row["unit"] not in UNITS:
            raise ExperimentError(f"unit '{row['unit']}' of {row['experiment_id']} is not 'viewer' or 'session'")
        return Experiment(str(row["experiment_id"]), str(row["name"]), str(row["hypothesis"]), row["unit"],
                          str(row["variable"]), pd.Timestamp(row["start"]), pd.Timestamp(row["end"]),
                          str(row["primary_metric"]), str(row["status"]), str(row["control_variant"]), split,
                          room_ids)
    except KeyError as err:
        raise ExperimentError(f"the experiments row has no column {err}; see docs/data-model.md") from None
    except (TypeError, ValueError) as err:
        if isinstance(err, ExperimentError):
            raise
        raise ExperimentError(f"the experiments row cannot be read: {err}") from None


def load_experiment(ds: Dataset, experiment_id: str) -> Experiment:
    """The experiment ``experiment_id``; :class:`UnknownExperimentError` lists the known ids."""
    df = experiments_frame(ds)
    hit = df[df.experiment_id == experiment_id]
    if hit.empty:
        raise UnknownExperimentError(experiment_id, df.experiment_id.tolist())
    return experiment_from_row(hit.iloc[0])


def window_session_ids(info: pd.DataFrame, exp: Experiment, *, start: pd.Timestamp | None = None,
                       end: pd.Timestamp | None = None, rooms: Iterable[str] | None = None) -> list[str]:
    """Sessions in the experiment's rooms (or ``rooms``) starting in [start, end] (default: the experiment's)."""
    lo, hi = start if start is not None else exp.start, end if end is not None else exp.end
    keep = (info.start_time >= lo) & (info.start_time <= hi)
    room_list = list(rooms) if rooms is not None else list(exp.room_ids)
    if room_list:
        keep &= info.room_id.isin(room_list)
    return info.loc[keep, "session_id"].astype(str).tolist()


def pre_period_ids(info: pd.DataFrame, exp: Experiment, days: int, rooms: Iterable[str] | None = None) -> list[str]:
    """Sessions of the experiment's rooms in the ``days`` before its start (the CUPED pre-period)."""
    return window_session_ids(info, exp, start=exp.start - pd.Timedelta(days=days),
                              end=exp.start - pd.Timedelta(microseconds=1), rooms=rooms)


def session_span(info: pd.DataFrame, session_ids: Sequence[str]) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """(first start, last end) of ``session_ids``: every event and order of them lies inside it."""
    hit = info[info.session_id.isin(list(session_ids))]
    return (hit.start_time.min(), hit.end_time.max()) if len(hit) else None


def time_slot(ts: pd.Timestamp) -> str:
    """Broadcast time slot of a local start time: morning 6–12, afternoon 12–18, evening 18–22, night."""
    h = ts.hour
    return "morning" if 6 <= h < 12 else "afternoon" if 12 <= h < 18 else "evening" if 18 <= h < 22 else "night"


def assignments(ds: Dataset, exp: Experiment) -> Any:
    """The experiment's assignment rows (``unit_id``, ``variant``) as an Ibis table."""
    if not ds.has("assignments"):
        raise MissingTableError("assignments", f"experiment {exp.experiment_id}")
    a = ds.table("assignments")
    return a.filter(a.experiment_id == exp.experiment_id).select("unit_id", "variant")


def assigned_ids(ds: Dataset, exp: Experiment) -> list[str]:
    """Every assigned unit id (sessions or viewers)."""
    return assignments(ds, exp).unit_id.execute().astype(str).tolist()


def assignment_counts(ds: Dataset, exp: Experiment) -> dict[str, int]:
    """Assigned units per variant (the SRM check's observed counts), in planned order."""
    a = assignments(ds, exp)
    df = a.group_by("variant").agg(n=a.count()).execute()
    got = dict(zip(df.variant.astype(str), df.n.astype(int), strict=True))
    return {**{v: got.pop(v, 0) for v in exp.variants}, **got}


def active_viewers(ds: Dataset, session_ids: Sequence[str]) -> Any:
    """Every viewer with an event in ``session_ids``, as a units table (``unit_id``, ``variant = "all"``)."""
    if ds.level != "viewer":
        raise MetricNotAvailableError("per-viewer history needs the viewer-level events table",
                                      code="history_needs_viewer_level")
    e = ds.raw["events"]
    e = e.filter(e.session_id.isin(list(session_ids) or ["\0"]))
    return e.select(unit_id=e.user_id).distinct().mutate(variant=ibis.literal("all"))


def viewer_segments(ds: Dataset, exp: Experiment, users: Any = None) -> Any:
    """``user_id, segment`` for ``users`` (an Ibis table of ``user_id``).

    Default: the assigned viewers; for session tests every viewer of the assigned sessions.
    ``"new"`` when first seen at or after the start and with no earlier visit to the
    experiment's rooms, else ``"returning"``.
    """
    if ds.level != "viewer":
        raise MetricNotAvailableError("new vs returning viewers needs the viewer-level events table",
                                      code="segments_need_viewer_level")
    e = ds.raw["events"]
    if users is None:
        a = assignments(ds, exp)
        if exp.unit == "session":
            ids = assigned_ids(ds, exp)
            users = e.filter(e.session_id.isin(ids or ["\0"])).select(user_id=e.user_id).distinct()
        else:
            users = a.select(user_id=a.unit_id)
    before = window_session_ids(ds.session_info, exp, start=pd.Timestamp.min.tz_localize("UTC"),
                                end=exp.start - pd.Timedelta(microseconds=1))
    old = e.filter(e.session_id.isin(before or ["\0"]) & (e.event_type == "enter")).select(uid=e.user_id)
    if ds.has("users"):
        u = ds.raw["users"]
        old = old.union(u.filter(u.first_seen < ibis.literal(exp.start.tz_convert("UTC"))).select(uid=u.user_id))
    old = old.distinct()
    j = users.left_join(old, users.user_id == old.uid)
    return j.select(user_id=j.user_id, segment=ibis.cases((j.uid.notnull(), "returning"), else_="new"))
