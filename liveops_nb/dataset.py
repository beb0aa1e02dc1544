"""The dataset object: tables, derived aggregates, and the metric engine.

``liveops_nb.open(path)`` returns a :class:`Dataset`. Metric values are Ibis
expressions over a per-session table of *base quantities*; on the embedded
DuckDB default they run in-process, and the same expressions run on any Ibis
backend (e.g. Spark) handed to :func:`open`.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import ibis
import pandas as pd

from . import derive
from .config import resolve_data_dir
from .engine import compute, formulas, grains
from .engine.cache import ResultCache
from .engine.dtypes import typed_sessions
from .engine.reasons import Reason
from .engine.rollup import EXACT_SUMS
from .errors import (
    DataProblem,
    DataValidationError,
    MissingTableError,
    UnknownMetricError,
    UnknownSessionError,
    UnknownTableError,
)
from .io import RawTables, from_connection, read_folder
from .io.spark import engine_of, open_folder
from .metrics import BASES, MAIN_KEYS, REGISTRY
from .metrics import get as get_metric
from .schema import DEFAULT_TZ, TABLES

Level = Literal["viewer", "aggregate"]

# Base quantities computed only when a metric needs them (costly), by group; the rest always are.
OPTIONAL_GROUPS: dict[str, tuple[str, ...]] = {
    "comments": ("viewer_comments", "valid_comments", "questions", "answered_questions"),
    "retention": ("next_day_returners", "repeat_buyers"),
}
CORE_BASES = frozenset(BASES).difference(*OPTIONAL_GROUPS.values())


def open(source: str | Path | Any | None = None, *, validate: bool = True, use_viewer_level: bool = True,
         tz: str = DEFAULT_TZ, engine: str | None = None) -> Dataset:
    """Open a dataset.

    Parameters
    ----------
    source : folder of ``<table>.parquet`` / ``<table>.csv`` files, or an Ibis
        backend connection whose tables carry the data-model names. ``None`` (or ``""``):
        ``$LIVEOPS_DATA``, else the demo ``data/demo`` (:func:`liveops_nb.config.resolve_data_dir`).
    validate : check the data against the data model first and raise
        :class:`~liveops_nb.errors.DataValidationError` listing every problem.
    use_viewer_level : derive aggregate tables from viewer-level tables when
        they exist (set ``False`` to use only the platform aggregates).
    tz : time zone used to display timestamps and to read naive ones.
    engine : for a folder: ``"duckdb"`` (embedded, the default) or ``"spark"`` (the folder's Parquet tables
        registered in a Spark session, :mod:`liveops_nb.io.spark`); ``None``: ``$LIVEOPS_ENGINE``, else duckdb.

    Examples
    --------
    ``folder`` here holds the two-session example of devtools/tiny.py:

    >>> ds = liveops_nb.open(folder)
    >>> ds                                                   # doctest: +ELLIPSIS
    <liveops_nb.Dataset ...
      level: viewer, time zone: Asia/Shanghai
      tables: rooms, sessions, channels, products, events, orders, comments, users, experiments, assignments
      sessions: 2 in 1 room(s), 2026-09-07 .. 2026-09-08>
    """
    if source is None or source == "":
        source = resolve_data_dir("")
    path: Path | None
    if isinstance(source, (str, Path)) and engine_of(engine) == "spark":
        raw = open_folder(source)
        label = f"spark:{source}"
        path = Path(source)
    elif isinstance(source, (str, Path)):
        raw = read_folder(source, tz=tz)
        label = str(source)
        path = Path(source)
    else:
        raw = from_connection(source)
        label = type(source).__module__
        path = None
    return Dataset(raw, source=label, validate=validate, use_viewer_level=use_viewer_level, tz=tz, path=path)


def localize(df: pd.DataFrame, tz: str = DEFAULT_TZ) -> pd.DataFrame:
    """Show every timestamp column in ``tz`` (engines return UTC instants, sometimes naive)."""
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            df[c] = s.dt.tz_localize("UTC").dt.tz_convert(tz) if s.dt.tz is None else s.dt.tz_convert(tz)
    return df


class Dataset:
    """A validated dataset with one metric engine.

    Attributes
    ----------
    level : ``"viewer"`` when aggregate tables are derived from viewer-level
        data, ``"aggregate"`` when only platform aggregates are used.
    warnings : recoverable oddities found while reading (shown on pages).
    """

    def __init__(self, raw: RawTables, *, source: str = "", validate: bool = True,
                 use_viewer_level: bool = True, tz: str = DEFAULT_TZ, path: Path | None = None) -> None:
        self.source = source
        self.path = path  # data folder (for benchmarks.yaml etc.), None for a connection
        self.tz = tz
        self.con = raw.con
        self.raw = dict(raw.tables)
        self.files = raw.files
        self.warnings: list[DataProblem] = list(raw.warnings)
        problems = list(raw.problems)
        if validate:
            from .engine import persist

            p, w = persist.validation(self.raw, raw.files, path, source, tz)  # stored between processes
            problems += p
            self.warnings += w
        if problems:
            raise DataValidationError(problems, source)
        missing = [t for t, spec in TABLES.items() if spec.required and t not in self.raw]
        if missing:
            raise MissingTableError(missing[0], "every page")
        self.level: Level = "viewer" if (use_viewer_level and "events" in self.raw and "orders" in self.raw) else "aggregate"
        if not use_viewer_level:
            for name in [n for n, t in TABLES.items() if t.level == "viewer" and n not in ("experiments", "assignments")]:
                self.raw.pop(name, None)
        self._tables: dict[str, Any] = {}
        self._cache = ResultCache(self.files)
        self._preloaded: set[str] = set()

    def __repr__(self) -> str:
        return describe(self)

    # ------------------------------------------------------------------ tables
    def has(self, name: str) -> bool:
        """Whether table ``name`` is available (supplied, or derivable from viewer-level data)."""
        if name in ("minute_stats", "channels", "product_stats") and self.level == "viewer":
            return True
        return name in self.raw

    def table(self, name: str):
        """The effective Ibis table ``name`` (derived from viewer-level data when possible)."""
        if name in self._tables:
            return self._tables[name]
        if name not in TABLES:
            raise UnknownTableError(name, TABLES)
        if not self.has(name):
            raise MissingTableError(name)
        if self.level == "viewer" and name == "minute_stats":
            t = derive.minute_stats(self.raw["events"], self.raw["orders"], self.raw["sessions"],
                                    self._grid(), self.channel_groups, self.raw.get("channels"))
        elif self.level == "viewer" and name == "channels":
            t = derive.channels(self.raw["events"], self.raw["orders"], self.channel_groups, self.raw.get("channels"))
        elif self.level == "viewer" and name == "product_stats":
            t = derive.product_stats(self.raw["events"], self.raw["orders"])
        else:
            t = self.raw[name]
        self._tables[name] = t
        return t

    def frame(self, name: str, session_id: str | Iterable[str] | None = None) -> pd.DataFrame:
        """Table ``name`` as a pandas DataFrame (timestamps in the dataset's zone), optionally some sessions' rows.

        Remembered in the dataset's cache (each caller gets its own copy); after :meth:`preload`, any
        session's rows are served from the whole table without a query. A name that is not a table of
        the data model raises :class:`~liveops_nb.errors.UnknownTableError` (with the closest names).

        >>> ds.frame("orders", "S1")[["order_id", "amount"]]
          order_id  amount
        0       o1   100.0
        1       o2   300.0
        2       o3   100.0
        """
        ids = None if session_id is None else ((session_id,) if isinstance(session_id, str) else tuple(session_id))
        if ids is not None and name in self._preloaded:
            whole = self.frame(name)
            return whole[whole.session_id.isin(ids)].reset_index(drop=True)
        return self._cache.get_or_make(("frame", name, ids), lambda: self._read(name, ids)).copy()

    def _read(self, name: str, ids: tuple[str, ...] | None) -> pd.DataFrame:
        t = self.table(name)
        if ids is not None and "session_id" in t.columns:
            t = t.filter(t.session_id.isin(list(ids)))
        df = localize(t.execute(), self.tz)
        order = [c for c in ("session_id", "minute", "start", "ts") if c in df.columns]
        return df.sort_values(order).reset_index(drop=True) if order else df

    def preload(self, name: str) -> bool:
        """Read table ``name`` for all sessions once; True if later per-session frames come from it.

        Only tables whose rows are unique by their sort keys qualify (a session's frame is then
        exactly the whole frame's rows of that session, in order).
        """
        if name in self._preloaded:
            return True
        if not self.has(name):
            return False
        whole = self.frame(name)
        order = [c for c in ("session_id", "minute", "start", "ts") if c in whole.columns]
        if "session_id" not in order or len(order) < 2 or whole.duplicated(order).any():
            return False
        self._preloaded.add(name)
        return True

    def remember(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """``make()``, computed once per ``key`` in the dataset's one cache (for analyses' own results).

        The entry is bounded, cleared by :meth:`clear_cache` and dropped when a data file changes.
        Callers must not change what they get back (copy it first).
        """
        return self._cache.get_or_make(("remember", key), make)

    @property
    def channel_groups(self) -> dict[str, str]:
        """Channel -> group (organic / paid / private): the Douyin defaults, then the channels table's own."""
        def build() -> dict[str, str]:
            groups = dict(derive.DEFAULT_CHANNEL_GROUPS)
            if "channels" in self.raw:
                supplied = self.raw["channels"].select("channel", "channel_group").distinct().execute()
                groups.update(dict(zip(supplied.channel, supplied.channel_group, strict=True)))
            return groups
        return self._cache.get_or_make(("channel_groups",), build)

    @property
    def session_info(self) -> pd.DataFrame:
        """Sessions with room name, category and local date (small; cached — do not modify)."""
        def build() -> pd.DataFrame:
            s = localize(self.raw["sessions"].execute(), self.tz)
            rooms = self.raw["rooms"].execute().rename(columns={"host": "room_host"})
            df = s.merge(rooms, on="room_id", how="left")
            df["date"] = df["start_time"].dt.date
            return df.sort_values(["start_time", "session_id"]).reset_index(drop=True)

        def stored() -> pd.DataFrame:
            from .engine import persist

            return persist.remembered(self, ("session_info",), build)
        return self._cache.get_or_make(("session_info",), stored)

    def _grid(self):
        return derive.minute_grid(self.session_info)

    def session(self, session_id: str) -> pd.Series:
        """One session's descriptive row; raises :class:`UnknownSessionError` with known ids."""
        info = self.session_info
        hit = info[info.session_id == session_id]
        if hit.empty:
            raise UnknownSessionError(session_id, info.session_id.tail(5).tolist(), info.session_id.tolist())
        return hit.iloc[0]

    # ------------------------------------------------------------------ the engine's inputs
    @property
    def session_dims(self) -> pd.DataFrame:
        """Every session with its grouping attributes (room, host, local day/week/month, weekday, hour)."""
        return self._cache.get_or_make(("session_dims",), lambda: grains.session_dims(self.session_info))

    def spans(self, session_ids: list[str] | None = None) -> pd.DataFrame:
        """Broadcast minutes per session: the minutes floor(start) .. floor(end), inclusive."""
        info = self.session_info if session_ids is None else self.session_info[self.session_info.session_id.isin(session_ids)]
        first = pd.to_datetime(info["start_time"]).dt.floor("min")
        last = pd.to_datetime(info["end_time"]).dt.floor("min")
        n = ((last - first) // pd.Timedelta(minutes=1)).clip(lower=-1).astype("int64") + 1
        return pd.DataFrame({"session_id": info["session_id"].astype(str).to_numpy(),
                             "broadcast_minutes": n.astype("float64").to_numpy()})

    def comment_flags(self, session_ids: list[str] | None = None) -> pd.DataFrame:
        """One row per comment: session, viewer, minute and 0/1 flags by the comment rules (docs/comment-rules.md).

        ``viewer_comments`` (not a host reply), ``valid_comments``, ``questions``, ``answered_questions``.
        """
        def build() -> pd.DataFrame:
            from .comments import classify_comments

            c = self.raw["comments"]
            if session_ids is not None:
                c = derive.only_sessions(c, session_ids)
            cl = classify_comments(localize(c.execute(), self.tz))
            host = cl["is_host_reply"].astype(bool)
            question = cl["is_question"].astype(bool) & ~host
            ts = pd.to_datetime(cl["ts"])
            return pd.DataFrame({
                "session_id": cl["session_id"].astype(str), "user_id": cl["user_id"].astype(object),
                "ts": ts.dt.tz_convert("UTC") if ts.dt.tz is not None else ts,
                "viewer_comments": (~host).astype("int64"),
                "valid_comments": ((cl["kind"].astype(str) == "valid") & ~host).astype("int64"),
                "questions": question.astype("int64"),
                "answered_questions": (cl["answered"].astype(bool) & question).astype("int64"),
            })
        key = ("comment_flags", None if session_ids is None else tuple(sorted(set(session_ids))))
        return self._cache.get_or_make(key, build)

    # ------------------------------------------------------------------ metrics at any grain
    def bases(self, names: Iterable[str] | None = None, *, by: str | Iterable[str] | None = "session_id",
              where: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Base quantities (counts and sums the registry's formulas use) grouped ``by``, as a DataFrame.

        The same numbers :meth:`kpis` divides; for statistics that need numerators and denominators
        per unit (A/B tests). ``attrs["missing"]`` maps each quantity that cannot be had to a
        :class:`~liveops_nb.engine.reasons.Reason`.
        """
        wanted = set(BASES) if names is None else set(names)
        unknown = sorted(wanted - set(BASES))
        if unknown:
            raise UnknownMetricError(unknown[0], BASES)
        byd, wh = grains.check_by(by), grains.check_where(where)
        frame, missing, summed = self._base_frame(byd, wh, wanted)
        out = frame[[*byd, *[n for n in BASES if n in wanted and n in frame.columns]]].copy()
        out.attrs.update(missing={n: r for n, r in missing.items() if n in wanted}, people_summed=summed)
        return out

    def bases_table(self, names: Iterable[str], *, by: str | Iterable[str] | None = "session_id",
                    where: Mapping[str, Any] | None = None) -> tuple[Any, dict[str, Reason]]:
        """The same base quantities as :meth:`bases`, as a lazy Ibis table (not executed, not cached).

        For statistics that aggregate them further on the backend (A/B sums per viewer) instead of
        pulling every group into Python. Returns the table (``by`` columns + the quantities that can
        be had) and the reasons for those that cannot.
        """
        wanted = set(names)
        unknown = sorted(wanted - set(BASES))
        if unknown:
            raise UnknownMetricError(unknown[0], BASES)
        byd, wh = grains.check_by(by), grains.check_where(where)
        dims, session_ids = self._selected(wh)
        table, plan = compute.base_table(self, byd, wh, wanted, ibis.memtable(dims), session_ids)
        return table, dict(plan.missing)

    def kpis(self, keys: str | Iterable[str] | None = None, *, by: str | Iterable[str] | None = "session_id",
             where: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Registry metrics at any grain: the one door to every KPI the workbench shows.

        Parameters
        ----------
        keys : metric keys of :data:`liveops_nb.metrics.REGISTRY` (default: all).
        by : dimensions to group by, combinable: ``session_id``, ``room_id``, ``host``, ``day``,
            ``week`` (Monday of the ISO week), ``month`` (first day), ``weekday`` (0 = Monday),
            ``hour``, ``channel``, ``channel_group``, ``product_id``, ``minute``, ``user_id``, and the viewer
            attributes ``gender``, ``age_band``, ``region``, ``member_tier`` (``users``); ``None`` or ``[]`` for
            one total row.
        where : ``{dimension: value or list of values}`` filters, e.g. ``{"room_id": "R01"}``.

        Returns
        -------
        DataFrame with the ``by`` columns and one float column per key (NaN where not available).
        ``attrs["missing"]`` maps each key that this grain or source cannot give to a
        :class:`~liveops_nb.engine.reasons.Reason`; ``attrs["people_summed"]`` is True when people
        counts over several sessions are sums (aggregate-only data), not distinct people.
        Ratios over several sessions are ratios of summed base quantities, never averages of ratios.

        Examples
        --------
        On devtools/tiny.py: room R1's week of Monday 2026-09-07 sold ¥600 over 5 views (GPM = 600 / 5 × 1000):

        >>> ds.kpis(["gmv", "gpm"], by=["room_id", "week"])
          room_id       week    gmv       gpm
        0      R1 2026-09-07  600.0  120000.0
        >>> ds.kpis("gmv", by="channel_group", where={"session_id": "S1"})
          channel_group    gmv
        0       organic  100.0
        1          paid  400.0
        """
        keys = [keys] if isinstance(keys, str) else list(keys or REGISTRY)
        metrics = [get_metric(k) for k in keys]
        byd, wh = grains.check_by(by), grains.check_where(where)

        def build() -> pd.DataFrame:
            done = self._kpis_subset(keys, byd, wh)
            if done is not None:
                return done
            frame, missing, summed = self._base_frame(byd, wh, {i for m in metrics for i in m.inputs})
            out = formulas.apply(self.con, frame, byd, metrics)
            out.attrs.update(missing=formulas.missing_keys(metrics, missing), people_summed=summed)
            return out
        if byd == ("session_id",) and not wh:  # every session's KPIs: kept on disk between processes
            compute_all = build

            def build() -> pd.DataFrame:
                from .engine import persist

                return persist.remembered(self, ("kpis", list(keys), list(byd)), compute_all)
        return _copy(self._cache.get_or_make(("kpis", tuple(keys), byd, _where_key(wh)), build))

    def _kpis_subset(self, keys: list[str], by: tuple[str, ...], where: dict[str, tuple]) -> pd.DataFrame | None:
        """A filtered request served from an earlier unfiltered result at the same grain, or None.

        Only for filters on session attributes the result is grouped by: the rows of those groups
        carry the same numbers (every formula is applied per group), so the page of any session
        reads no data once the all-sessions result at its grain is there.
        """
        if not where or not set(where) <= set(by) or not set(where) <= set(grains.SESSION_DIMS):
            return None
        for key, frame in self._cache.items():
            if not (isinstance(key, tuple) and key[0] == "kpis" and key[2] == by and key[3] == ()
                    and set(keys) <= set(key[1])):
                continue
            dims = grains.select_sessions(self.session_dims, where)
            keep = pd.Series(True, index=frame.index)
            for k in where:
                keep &= frame[k].isin(dims[k])
            part = frame.loc[keep, [*by, *keys]].reset_index(drop=True)
            part.attrs = {**frame.attrs, "missing": {k: v for k, v in frame.attrs["missing"].items() if k in keys}}
            return part
        return None

    def _base_frame(self, by: tuple[str, ...], where: dict[str, tuple], names: set[str]
                    ) -> tuple[pd.DataFrame, dict[str, Reason], bool]:
        """Executed base quantities (float64) grouped ``by``; from the dataset's cache when it covers them.

        Per session, every core quantity is computed at once (one query, shared by all the session
        KPIs a page asks for); the costly comment and retention quantities only when asked for. Other
        grains compute what is asked. A request filtered to some sessions is served from an earlier
        unfiltered result at the same grain: after ``sessions()``, any session's KPIs read no data again.
        """
        if by == ("session_id",):
            groups = [g for g, ns in OPTIONAL_GROUPS.items() if names.intersection(ns)]
            full = frozenset(CORE_BASES.union(*(OPTIONAL_GROUPS[g] for g in groups)))
        else:
            full = frozenset(names)
        wkey = _where_key(where)
        for key, value in self._cache.items():
            if not isinstance(key, tuple) or key[0] != "bases" or key[1] != by or not names <= key[3]:
                continue
            if key[2] == wkey:
                return value
            if not key[2] and set(where) <= set(by) and set(where) <= set(grains.SESSION_DIMS):
                frame, missing, summed = value
                keep = pd.Series(True, index=frame.index)
                dims = grains.select_sessions(self.session_dims, where)
                for k in where:
                    keep &= frame[k].isin(dims[k])
                return frame[keep].reset_index(drop=True), missing, summed
        if not by and where and set(where) <= set(grains.SESSION_DIMS):
            total = self._total_of_sessions(names, where)
            if total is not None:
                return total

        def build():
            dims, session_ids = self._selected(where)
            table, plan = compute.base_table(self, by, where, set(full), ibis.memtable(dims), session_ids)
            if table is None:
                return pd.DataFrame({c: pd.Series(dtype=object) for c in by}), plan.missing, plan.people_summed
            frame = self.con.execute(table)
            frame = frame.astype({c: "float64" for c in frame.columns if c not in by})
            for c in by:
                if c in ("session_id", "room_id", "host", "channel", "channel_group", "product_id", "user_id",
                         *grains.USER_DIMS):
                    frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
                elif c == "minute":
                    frame = localize(frame, self.tz)
            if by:
                frame = frame.sort_values(list(by)).reset_index(drop=True)
            else:
                frame = frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
            return frame, plan.missing, plan.people_summed
        if by == ("session_id",) and not wkey:  # the all-sessions table: kept on disk between processes
            compute_all = build

            def build():
                from .engine import persist

                return persist.remembered(self, ("bases", list(by), sorted(full)), compute_all)
        return self._cache.get_or_make(("bases", by, wkey, full), build)

    def _total_of_sessions(self, names: set[str], where: dict[str, tuple]
                           ) -> tuple[pd.DataFrame, dict[str, Reason], bool] | None:
        """One total over some sessions from an earlier all-sessions result, or None.

        Only for quantities that add up over sessions (sums; peaks as the largest): people are counted
        once over several sessions and need the query. A sum that is unknown for one of the sessions
        (:data:`~liveops_nb.engine.rollup.EXACT_SUMS`) is unknown in total, as the query gives.
        """
        if any(BASES[n].kind == "people" for n in names):
            return None
        for key, value in self._cache.items():
            if not (isinstance(key, tuple) and key[0] == "bases" and key[1] == ("session_id",) and key[2] == ()
                    and names <= key[3]):
                continue
            frame, missing, summed = value
            ids = set(grains.select_sessions(self.session_dims, where)["session_id"])
            part = frame[frame["session_id"].isin(ids)]
            row: dict[str, float] = {}
            for n in sorted(names):
                col = part[n] if n in part.columns else pd.Series(dtype="float64")
                if BASES[n].kind == "max":
                    row[n] = float(col.max()) if col.notna().any() else float("nan")
                elif n in EXACT_SUMS and col.isna().any():
                    row[n] = float("nan")
                else:
                    row[n] = float(col.sum(min_count=1)) if len(col) else 0.0
            return pd.DataFrame([row]), {k: v for k, v in missing.items() if k in names}, summed
        return None

    def _selected(self, where: Mapping[str, tuple]) -> tuple[pd.DataFrame, list[str] | None]:
        """The sessions' grouping attributes passing ``where``, and their ids (None: no session filter)."""
        dims = grains.select_sessions(self.session_dims, where)
        return dims, (dims.session_id.tolist() if any(k in grains.SESSION_DIMS for k in where) else None)

    def clear_cache(self) -> None:
        """Forget every computed result (they are recomputed on the next request)."""
        self._cache.clear()
        self._preloaded.clear()

    def sessions(self, keys: Iterable[str] = MAIN_KEYS) -> pd.DataFrame:
        """One row per session: room, host, start/end, date and the main KPIs (column names are metric keys).

        ``date`` (the local broadcast day) is ``datetime64``; counts (viewers, views, orders, peak
        online …) are integers — nullable ``Int64`` where a value is missing; money, rates and
        averages stay floats.

        >>> ds.sessions(["gmv", "uv"])[["session_id", "date", "gmv", "uv"]]
          session_id       date    gmv  uv
        0         S1 2026-09-07  500.0   3
        1         S2 2026-09-08  100.0   1
        """
        info = self.session_info[[c for c in ("session_id", "room_id", "room_name", "category", "host", "title",
                                              "start_time", "end_time", "date", "gmv_target")
                                  if c in self.session_info]]
        vals = self.kpis(tuple(keys))
        return typed_sessions(info.merge(vals, on="session_id", how="left"))

    def session_kpis(self, session_id: str) -> pd.DataFrame:
        """One row per registered metric for one session: key, value, unit, denominator, direction, reason.

        ``reason`` is a :class:`~liveops_nb.engine.reasons.Reason` where the value is missing
        (``liveops_nb.render.metrics.reason_text`` turns it into words).
        """
        self.session(session_id)
        return _copy(self._cache.get_or_make(("session_kpis", session_id), lambda: self._session_kpis(session_id)))

    def _session_kpis(self, session_id: str) -> pd.DataFrame:
        wide = self.kpis(where={"session_id": session_id})
        bases = self.bases(where={"session_id": session_id})
        row, base_row = wide.iloc[0], bases.iloc[0]
        rows = []
        for k, m in REGISTRY.items():
            value = None if pd.isna(row[k]) else float(row[k])
            reason = None if value is not None else formulas.why_missing(m, base_row, wide.attrs["missing"].get(k))
            rows.append({"key": k, "value": value, "unit": m.unit, "denominator": m.denominator,
                         "direction": m.direction, "reason": reason})
        out = pd.DataFrame(rows)
        out["reason"] = pd.Series([r["reason"] for r in rows], dtype=object)
        return out


def describe(ds: Dataset) -> str:
    """The dataset in a few lines: folder, level, tables, sessions, rooms and the local date range."""
    info = ds.session_info
    dates = f"{info['date'].min()} .. {info['date'].max()}" if len(info) else "none"
    tables = ", ".join(n for n in TABLES if n in ds.raw)
    return (f"<liveops_nb.Dataset {ds.source or '(connection)'}\n  level: {ds.level}, time zone: {ds.tz}\n"
            f"  tables: {tables}\n  sessions: {len(info)} in {info['room_id'].nunique()} room(s), {dates}>")


def _where_key(where: Mapping[str, tuple]) -> tuple:
    """A hashable, order-free cache key for the filters of a request."""
    return tuple(sorted((k, tuple(map(str, v))) for k, v in where.items()))


def _copy(df: pd.DataFrame) -> pd.DataFrame:
    """A cached frame handed out: a copy (with its attrs), so a caller changing it changes nobody else's."""
    out = df.copy()
    out.attrs = dict(df.attrs)
    return out
