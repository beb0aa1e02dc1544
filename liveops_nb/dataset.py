"""The dataset object: tables, derived aggregates, and the metric engine.

``liveops_nb.open(path)`` returns a :class:`Dataset`. Metric values are Ibis
expressions over a per-session table of *base quantities*; on the embedded
DuckDB default they run in-process, and the same expressions run on any Ibis
backend (e.g. Spark) handed to :func:`open`.
"""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any, Iterable, Literal

import ibis
import pandas as pd
from ibis import _

from . import derive
from .errors import DataProblem, DataValidationError, MissingTableError, UnknownSessionError
from .io import RawTables, from_connection, read_folder
from .metrics import BASE_SOURCES, MAIN_KEYS, REGISTRY, Lang, Metric
from .schema import DEFAULT_TZ, SESSION_TOTALS, TABLES

Level = Literal["viewer", "aggregate"]
REPURCHASE_WINDOW_DAYS = 90
NOT_AVAILABLE = {"zh": "此数据源无法提供", "en": "not available from this source"}

_BASE_CACHE_SIZE = 16
# Base quantities computed only when a metric needs them (costly), by group; the rest always are.
_OPTIONAL_GROUPS: dict[str, tuple[str, ...]] = {
    "comments": ("viewer_comments", "valid_comments", "questions", "answered_questions"),
    "retention": ("next_day_returners", "repeat_buyers"),
}
_CORE_BASES = frozenset(BASE_SOURCES).difference(*_OPTIONAL_GROUPS.values())
_AGG_BASES = [c.name for c in SESSION_TOTALS if c.name not in ("avg_watch_seconds",)]


def open(source: str | Path | Any, *, validate: bool = True, use_viewer_level: bool = True,
         tz: str = DEFAULT_TZ) -> "Dataset":
    """Open a dataset.

    Parameters
    ----------
    source : folder of ``<table>.parquet`` / ``<table>.csv`` files, or an Ibis
        backend connection whose tables carry the data-model names.
    validate : check the data against the data model first and raise
        :class:`~liveops_nb.errors.DataValidationError` listing every problem.
    use_viewer_level : derive aggregate tables from viewer-level tables when
        they exist (set ``False`` to use only the platform aggregates).
    tz : time zone used to display timestamps and to read naive ones.
    """
    if isinstance(source, (str, Path)):
        raw = read_folder(source, tz=tz)
        label = str(source)
        path: Path | None = Path(source)
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
            from .validate import validate_tables

            p, w = validate_tables(self.raw)
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
        self._base_cache: list[tuple[frozenset[str] | None, frozenset[str], pd.DataFrame, dict[str, str]]] = []

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
        """Table ``name`` as a pandas DataFrame (timestamps in the dataset's zone), optionally one session's rows."""
        t = self.table(name)
        if session_id is not None and "session_id" in t.columns:
            ids = [session_id] if isinstance(session_id, str) else list(session_id)
            t = t.filter(t.session_id.isin(ids))
        df = localize(t.execute(), self.tz)
        order = [c for c in ("session_id", "minute", "start", "ts") if c in df.columns]
        return df.sort_values(order).reset_index(drop=True) if order else df

    @functools.cached_property
    def channel_groups(self) -> dict[str, str]:
        groups = dict(derive.DEFAULT_CHANNEL_GROUPS)
        if "channels" in self.raw:
            supplied = self.raw["channels"].select("channel", "channel_group").distinct().execute()
            groups.update(dict(zip(supplied.channel, supplied.channel_group)))
        return groups

    @functools.cached_property
    def session_info(self) -> pd.DataFrame:
        """Sessions with room name, category and local date (small; cached)."""
        s = localize(self.raw["sessions"].execute(), self.tz)
        rooms = self.raw["rooms"].execute().rename(columns={"host": "room_host"})
        df = s.merge(rooms, on="room_id", how="left")
        df["date"] = df["start_time"].dt.date
        return df.sort_values(["start_time", "session_id"]).reset_index(drop=True)

    def _grid(self):
        return derive.minute_grid(self.session_info)

    def session(self, session_id: str) -> pd.Series:
        """One session's descriptive row; raises :class:`UnknownSessionError` with known ids."""
        info = self.session_info
        hit = info[info.session_id == session_id]
        if hit.empty:
            raise UnknownSessionError(session_id, info.session_id.tail(5).tolist())
        return hit.iloc[0]

    # ------------------------------------------------------------------ base quantities
    def base(self, session_ids: list[str] | None = None, needs: Iterable[str] | None = None) -> tuple[Any, dict[str, str]]:
        """Per-session base quantities as an Ibis table, and why each missing one is missing.

        ``needs`` limits the work to the base quantities a caller uses (default: all);
        the costly comment, next-day and repurchase quantities are only computed when needed.
        """
        needs = set(BASE_SOURCES) if needs is None else set(needs)
        sessions = self.raw["sessions"]
        if session_ids is not None:
            sessions = derive.only_sessions(sessions, session_ids)
        if self.level == "viewer":
            ev, od = self.raw["events"], self.raw["orders"]
            if session_ids is not None:
                ev, od = derive.only_sessions(ev, session_ids), derive.only_sessions(od, session_ids)
            info = self.session_info if session_ids is None else self.session_info[self.session_info.session_id.isin(session_ids)]
            b = derive.Parts(sessions.select("session_id"))
            b.join(derive.session_parts(ev, od, sessions, grid=derive.minute_grid(info)), **derive.TOTALS_FILL)
        else:
            b = self._aggregate_parts(sessions)
        self._channel_parts(b, session_ids)
        self._extra_parts(b, session_ids, needs)
        return b.build(), b.missing

    def _aggregate_parts(self, sessions) -> "derive.Parts":
        cols = {"session_id": sessions.session_id}
        for name in _AGG_BASES:
            if name in sessions.columns:
                cols[name] = sessions[name]
        if "avg_watch_seconds" in sessions.columns and "uv" in sessions.columns:
            cols["watch_seconds"] = sessions.avg_watch_seconds * sessions.uv
        b = derive.Parts(sessions.select(**cols))
        if ("pcu" not in cols or "acu" not in cols) and "minute_stats" in self.raw:
            m = self.raw["minute_stats"]
            b.join([m.group_by("session_id").agg(m_pcu=m.online.max(), m_acu=m.online.mean())])
            for k in ("pcu", "acu"):
                b.then(k, (lambda t, k=k: t[k].fill_null(t[f"m_{k}"])) if k in cols else (lambda t, k=k: t[f"m_{k}"]))
            b.scratch += ["m_pcu", "m_acu"]
        for name in [*_AGG_BASES, "watch_seconds"]:
            if name not in cols and name not in b.later:
                b.absent([name], "float64", _reason(name))
        return b

    def _channel_parts(self, b: "derive.Parts", session_ids) -> None:
        if not self.has("channels"):
            b.absent(["paid_spend", "paid_gmv"], "float64", _reason)
            return
        b.join([self._paid_money(session_ids)], paid_spend=0.0, paid_gmv=0.0)

    def _paid_money(self, session_ids):
        """Paid spend and paid-channel GMV per session, as the paid rows of ``table("channels")`` sum up.

        With viewer-level data the derived channels table is not built: its paid
        rows are the (session, channel) pairs seen in the events, so orders and
        supplied spend are summed over those pairs directly.
        """
        if self.level != "viewer":
            c = self.table("channels")
            if session_ids is not None:
                c = derive.only_sessions(c, session_ids)
            paid = c.channel_group == "paid"
            return c.group_by("session_id").agg(
                paid_spend=c.spend.sum(where=paid) if "spend" in c.columns else ibis.null("float64"),
                paid_gmv=c.gmv.sum(where=paid))
        ev, od = self.raw["events"], self.raw["orders"]
        if session_ids is not None:
            ev, od = derive.only_sessions(ev, session_ids), derive.only_sessions(od, session_ids)
        paid = [c for c, g in self.channel_groups.items() if g == "paid"] or ["\0"]
        pairs = derive.session_channels(ev.filter(ev.channel.isin(paid)))
        if "channel" in od.columns:
            o = od.filter(od.channel.isin(paid)).group_by(["session_id", "channel"]).agg(paid_gmv=_.amount.sum())
            pairs = pairs.left_join(o, ["session_id", "channel"]).drop("session_id_right", "channel_right")
        else:  # pragma: no cover - orders without channel attribution
            pairs = pairs.mutate(paid_gmv=ibis.null("float64"))
        supplied = self.raw.get("channels")
        if supplied is not None and "spend" in supplied.columns:
            sp = supplied.filter(supplied.channel.isin(paid)).select("session_id", "channel", "spend")
            pairs = pairs.left_join(sp, ["session_id", "channel"]).drop("session_id_right", "channel_right")
        else:
            pairs = pairs.mutate(spend=ibis.null("float64"))
        return pairs.group_by("session_id").agg(paid_gmv=pairs.paid_gmv.sum(), paid_spend=pairs.spend.sum())

    def _extra_parts(self, b: "derive.Parts", session_ids, needs: set[str]) -> None:
        names = list(_OPTIONAL_GROUPS["comments"])
        if not needs & set(names):
            b.absent(names, "int64")
        elif "comments" in self.raw:
            b.join([ibis.memtable(self.comment_stats(session_ids))], **{n: 0 for n in names})
        else:
            b.absent(names, "int64", _reason)
        retention = list(_OPTIONAL_GROUPS["retention"])
        if not needs & set(retention):
            b.absent(retention, "int64")
        elif self.level == "viewer":
            b.join([self._next_day_returners(session_ids), self._repeat_buyers(session_ids)], repeat_buyers=0)
            last_date = self.session_info.date.max()
            late = self.session_info.loc[self.session_info.date >= last_date, "session_id"].tolist()
            b.then("next_day_returners", lambda t: ibis.cases(
                (t.session_id.isin(late or ["\0"]), ibis.null("int64")), else_=t.next_day_returners.fill_null(0)))
        else:
            b.absent(retention, "int64", _reason)

    def comment_stats(self, session_ids: list[str] | None = None) -> pd.DataFrame:
        """Comment-quality counts per session by the rules of :mod:`liveops_nb.comments`."""
        from .comments import classify_comments, comment_summary_by_session

        c = self.raw["comments"]
        if session_ids is not None:
            c = derive.only_sessions(c, session_ids)
        df = localize(c.execute(), self.tz)
        summary = comment_summary_by_session(classify_comments(df))
        out = pd.DataFrame({
            "session_id": summary["session_id"].astype(str),
            "viewer_comments": summary["comments"].astype("int64"),
            "valid_comments": summary["valid_comments"].astype("int64"),
            "questions": summary["questions"].astype("int64"),
            "answered_questions": summary["answered_questions"].astype("int64"),
        })
        return out

    def _session_dates(self, session_ids: list[str] | None = None):
        info = self.session_info
        if session_ids is not None:
            info = info[info.session_id.isin(session_ids)]
        return ibis.memtable(pd.DataFrame({
            "session_id": info.session_id.astype(str), "room_id": info.room_id.astype(str),
            "local_date": pd.to_datetime(info.date).astype("datetime64[s]")}))

    def _next_day_sessions(self, session_ids: list[str]) -> list[str]:
        """The sessions of the same rooms on the local day after each given session (what a next-day count reads)."""
        info = self.session_info
        mine = info[info.session_id.isin(session_ids)]
        nxt = info.merge(mine.assign(date=mine.date + dt.timedelta(days=1))[["room_id", "date"]].drop_duplicates(),
                         on=["room_id", "date"])
        return sorted(set(nxt.session_id))

    def _viewers(self, session_ids: list[str] | None):
        """Distinct (session, viewer) pairs with an entry, with the session's room and local date."""
        e = self.raw["events"]
        e = (e if session_ids is None else derive.only_sessions(e, session_ids)).filter(_.event_type == "enter")
        return e.select("session_id", "user_id").distinct().inner_join(self._session_dates(session_ids), "session_id")

    def _next_day_returners(self, session_ids):
        mine = self._viewers(session_ids)
        later = mine if session_ids is None else self._viewers(self._next_day_sessions(session_ids))
        nxt = later.select("room_id", "user_id", prev_date=later.local_date - ibis.interval(days=1)).distinct()
        j = mine.inner_join(nxt, [mine.room_id == nxt.room_id, mine.user_id == nxt.user_id,
                                  mine.local_date == nxt.prev_date])
        return j.group_by("session_id").agg(next_day_returners=_.user_id.nunique())

    def _repeat_buyers(self, session_ids):
        s = self.raw["sessions"].select("session_id", "room_id", "start_time")
        o = self.raw["orders"].select("session_id", "user_id", "ts")
        prior_o = o
        if session_ids is not None:
            # only the same rooms' orders in the window before these sessions can count
            info = self.session_info
            mine = info[info.session_id.isin(session_ids)]
            room_sessions = info.loc[info.room_id.isin(mine.room_id), "session_id"].tolist()
            lo = (mine.start_time.min() - dt.timedelta(days=REPURCHASE_WINDOW_DAYS)).tz_convert("UTC")
            hi = mine.start_time.max().tz_convert("UTC")
            prior_o = o.filter(o.session_id.isin(room_sessions or ["\0"]) & (o.ts >= lo) & (o.ts < hi))
            o = derive.only_sessions(o, session_ids)
        orooms = prior_o.inner_join(s.select("session_id", "room_id"), "session_id")
        buyers = o.select("session_id", "user_id").distinct().inner_join(s, "session_id")
        prior = orooms.select(p_room=orooms.room_id, p_user=orooms.user_id, p_ts=orooms.ts)
        j = buyers.inner_join(prior, [buyers.room_id == prior.p_room, buyers.user_id == prior.p_user,
                                      prior.p_ts < buyers.start_time,
                                      prior.p_ts >= buyers.start_time - ibis.interval(days=REPURCHASE_WINDOW_DAYS)])
        return j.group_by("session_id").agg(repeat_buyers=_.user_id.nunique())

    # ------------------------------------------------------------------ metrics
    def kpis(self, session_ids: list[str] | None = None, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """Wide table: one row per session, one column per metric value (None where not available)."""
        keys = list(keys or REGISTRY)
        frame, _missing = self._base_frame(session_ids, {i for k in keys for i in REGISTRY[k].inputs})
        base = ibis.memtable(frame)
        exprs = {k: metric_expr(REGISTRY[k], base) for k in keys}
        df = self.con.execute(base.select(base.session_id, **exprs))
        return df.astype({k: "float64" for k in keys}).sort_values("session_id").reset_index(drop=True)

    def _base_frame(self, session_ids: list[str] | None, needs: set[str]) -> tuple[pd.DataFrame, dict[str, str]]:
        """Executed base quantities of these sessions (float64), and the missing reasons; cached per dataset.

        A request is served from an earlier result that covers its sessions and
        its optional quantity groups (comments, retention): after ``sessions()``,
        ``kpis()`` of any sessions' main KPIs reads no data again, and a page
        asking for one session's KPIs several times computes them once.
        """
        groups = frozenset(g for g, names in _OPTIONAL_GROUPS.items() if needs.intersection(names))
        want = None if session_ids is None else list(dict.fromkeys(session_ids))
        for ids, have, frame, missing in self._base_cache:
            if groups <= have and (ids is None or (want is not None and set(want) <= ids)):
                return (frame if want is None else frame[frame.session_id.isin(want)]), missing
        full_needs = set().union(*(_OPTIONAL_GROUPS[g] for g in groups)) | _CORE_BASES
        base, missing = self.base(want, needs=full_needs)
        frame = self.con.execute(base)
        frame = frame.astype({c: "float64" for c in frame.columns if c != "session_id"})
        frame["session_id"] = frame["session_id"].astype(str)
        self._base_cache.insert(0, (None if want is None else frozenset(want), groups, frame, missing))
        del self._base_cache[_BASE_CACHE_SIZE:]
        return frame, missing

    @functools.cache
    def _kpis_cached(self, keys: tuple[str, ...]) -> pd.DataFrame:
        return self.kpis(keys=keys)

    def sessions(self, lang: Lang = "zh", keys: Iterable[str] = MAIN_KEYS) -> pd.DataFrame:
        """One row per session: room, host, start/end, date and the main KPIs (column names are metric keys)."""
        info = self.session_info[[c for c in ("session_id", "room_id", "room_name", "category", "host", "title",
                                              "start_time", "end_time", "date", "gmv_target")
                                  if c in self.session_info]]
        vals = self._kpis_cached(tuple(keys))
        return info.merge(vals, on="session_id", how="left")

    def session_kpis(self, session_id: str, lang: Lang = "zh") -> pd.DataFrame:
        """One row per registered metric for one session: key, label, value, unit, denominator, direction, missing reason."""
        self.session(session_id)
        frame, missing = self._base_frame([session_id], set(BASE_SOURCES))
        base = ibis.memtable(frame)
        exprs = {k: metric_expr(m, base) for k, m in REGISTRY.items()}
        inputs = sorted({i for m in REGISTRY.values() for i in m.inputs})
        row = self.con.execute(base.select(*inputs, **{f"__{k}": e for k, e in exprs.items()})).iloc[0]
        rows = []
        for k, m in REGISTRY.items():
            value = row[f"__{k}"]
            value = None if pd.isna(value) else float(value)
            reason = None
            if value is None:
                reason = _why_missing(m, row, missing, lang)
            rows.append({"key": k, "label": m.label(lang), "value": value, "unit": m.unit,
                         "denominator": m.denominator, "direction": m.direction, "missing_reason": reason})
        out = pd.DataFrame(rows)
        out["missing_reason"] = pd.Series([r["missing_reason"] for r in rows], dtype=object)
        return out


def metric_expr(m: Metric, base):
    """The Ibis expression for metric ``m`` over a base-quantity table (null when inputs are missing or den = 0)."""
    num = base[m.numerator].cast("float64")
    if not m.is_ratio:
        return num
    den = base[m.denominator_base].cast("float64")
    return ibis.cases((den > 0, num / den * m.scale), else_=ibis.null("float64"))


def _reason(base_name: str) -> str:
    table, agg = BASE_SOURCES.get(base_name, ("", ""))
    text = f"needs the viewer-level '{table}' table"
    if agg:
        text += f" or the platform column {agg}"
    return text


def _why_missing(m: Metric, row: pd.Series, missing: dict[str, str], lang: Lang) -> str:
    head = NOT_AVAILABLE[lang]
    for i in m.inputs:
        if i in missing:
            return f"{head}: {missing[i]}"
    for i in m.inputs:
        if pd.isna(row.get(i)):
            if i == "next_day_returners":
                return f"{head}: " + ("次日数据尚未产生" if lang == "zh" else "the next day is not in the data yet")
            return f"{head}: " + (f"本场未提供 {i}" if lang == "zh" else f"{i} is not reported for this session")
    if m.is_ratio:
        return ("分母为 0" if lang == "zh" else "the denominator is 0") + f" ({m.denominator_base})"
    return head
