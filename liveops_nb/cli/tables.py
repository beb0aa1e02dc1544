"""``liveops sessions``, ``liveops kpis`` and ``liveops export``: tables and KPI frames, shown or written.

Every number comes from the dataset (``ds.sessions``, ``ds.kpis``, ``ds.frame``); these commands only
select rows and columns and write them.
"""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import did_you_mean
from ..metrics import MAIN_KEYS, REGISTRY
from ..schema import TABLES
from .common import (
    CliArgumentError,
    HelpFormatter,
    data_options,
    lang_of,
    legacy_data_positional,
    open_data,
    parse_date,
    parse_where,
    split_list,
    where_values,
)
from .output import FORMATS, emit, format_from_suffix, output_options

if TYPE_CHECKING:
    from ..dataset import Dataset

SESSION_COLUMNS = ("session_id", "room_id", "room_name", "host", "start_time")
DEFAULT_SESSION_KEYS = "gmv,uv,gpm"
FRAMES = ("sessions", "kpis")  # what `export` writes besides the data model's tables


def metric_keys(text: str) -> list[str]:
    """``--keys``: comma-separated metric keys, ``main`` (the main KPIs) or ``all``."""
    if text.strip() == "all":
        return list(REGISTRY)
    if text.strip() == "main":
        return list(MAIN_KEYS)
    keys = split_list(text)
    if not keys:
        raise CliArgumentError("--keys needs at least one metric key (or 'main' / 'all'); see docs/metrics.md")
    return keys


def session_table(ds: Dataset, keys: list[str], rooms: list[str], since: str | None, until: str | None
                  ) -> pd.DataFrame:
    """Sessions (room, host, start) with ``keys``, of some rooms (id or name) and local dates, by start time."""
    table = ds.sessions(keys)
    if rooms:
        known = sorted(set(table.room_id.astype(str)) | set(table.room_name.dropna().astype(str)))
        for r in rooms:
            if r not in known:
                raise CliArgumentError(f"room '{r}' is not in this dataset.{did_you_mean(r, known)} "
                                       f"Rooms: {', '.join(sorted(set(table.room_id.astype(str))))}.")
        table = table[table.room_id.astype(str).isin(rooms) | table.room_name.astype(str).isin(rooms)]
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    if first and last and first > last:
        raise CliArgumentError(f"--since {first} is after --until {last}")
    if first:
        table = table[table.date >= pd.Timestamp(first)]
    if last:
        table = table[table.date <= pd.Timestamp(last)]
    cols = [c for c in SESSION_COLUMNS if c in table.columns]
    return table[[*cols, "date", *keys]].reset_index(drop=True)


def kpi_frame(ds: Dataset, keys: str, by: str, where: list[str] | None) -> pd.DataFrame:
    """``ds.kpis`` as asked on the command line (``--by none`` for one total row)."""
    groups = [] if by.strip().lower() in ("", "none", "total") else split_list(by)
    return ds.kpis(metric_keys(keys), by=groups, where=where_values(parse_where(where)))


def _sessions(args: argparse.Namespace) -> int:
    ds = open_data(args)
    table = session_table(ds, metric_keys(args.keys), split_list(args.room), args.since, args.until)
    if args.fmt == "table":
        table = table.drop(columns=["date"])
    _done(emit(table, args.fmt, args.out, lang_of(args), sheet="sessions"))
    return 0


def _kpis(args: argparse.Namespace) -> int:
    ds = open_data(args)
    _done(emit(kpi_frame(ds, args.keys, args.by, args.where), args.fmt, args.out, lang_of(args), sheet="kpis"))
    return 0


def export_frame(ds: Dataset, args: argparse.Namespace) -> pd.DataFrame:
    """The frame ``liveops export NAME`` writes: a data-model table, ``sessions`` or ``kpis``."""
    name = args.name
    ids = split_list(args.session)
    for sid in ids:
        ds.session(sid)
    if name == "kpis":
        where = list(args.where or []) + ([f"session_id={','.join(ids)}"] if ids else [])
        return kpi_frame(ds, args.keys or "main", args.by, where)
    if name == "sessions":
        table = session_table(ds, metric_keys(args.keys or "main"), [], None, None)
        return table[table.session_id.isin(ids)].reset_index(drop=True) if ids else table
    if name not in TABLES:
        known = list(dict.fromkeys([*FRAMES, *TABLES]))
        raise CliArgumentError(f"'{name}' is neither a table nor a KPI frame.{did_you_mean(name, known)} "
                               f"Names: {', '.join(known)}.")
    return ds.frame(name, ids or None)


def _export(args: argparse.Namespace) -> int:
    fmt = args.fmt or format_from_suffix(args.out)
    if fmt == "table":
        raise CliArgumentError("export writes csv or xlsx; for the screen use `liveops kpis` / `liveops sessions`")
    ds = open_data(args)
    frame = export_frame(ds, args)
    _done(emit(frame, fmt, args.out, lang_of(args), sheet=args.name))
    return 0


def _done(message: str | None) -> None:
    if message:
        print(message)


def _kpi_options(p: argparse.ArgumentParser, keys_default: str | None) -> None:
    p.add_argument("--keys", default=keys_default,
                   help="comma-separated metric keys (docs/metrics.md), 'main' or 'all'")
    p.add_argument("--by", default="session_id",
                   help="comma-separated groupings: session_id, room_id, host, day, week, month, weekday, hour, "
                        "channel, channel_group, product_id, minute, user_id; 'none' for one total row")
    p.add_argument("--where", action="append", metavar="DIM=VALUE[,VALUE]",
                   help="keep only these values of a grouping, e.g. room_id=R01 or week=2026-09-07 (repeatable)")


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``sessions``, ``kpis`` and ``export``."""
    s = sub.add_parser("sessions", help="list sessions with their KPIs",
                       parents=[data_options(), lang, output_options()], formatter_class=HelpFormatter)
    legacy_data_positional(s)
    s.add_argument("--room", default=None, help="only these rooms (comma-separated ids or names)")
    s.add_argument("--since", default=None, metavar="YYYY-MM-DD", help="only sessions starting on or after this day")
    s.add_argument("--until", default=None, metavar="YYYY-MM-DD", help="only sessions starting on or before this day")
    s.add_argument("--keys", default=DEFAULT_SESSION_KEYS,
                   help="comma-separated metric keys (docs/metrics.md), 'main' or 'all'")
    s.set_defaults(func=_sessions)

    k = sub.add_parser("kpis", help="KPIs at any grain (ds.kpis): e.g. --by room_id,week --keys gmv,gpm",
                       parents=[data_options(), lang, output_options()], formatter_class=HelpFormatter)
    _kpi_options(k, "gmv,uv,gpm")
    k.set_defaults(func=_kpis)

    e = sub.add_parser("export", help="write a table or a KPI frame to CSV (for Excel) or xlsx",
                       parents=[data_options(), lang], formatter_class=HelpFormatter,
                       description="NAME is a table of the data model (docs/data-model.md), 'sessions' (sessions "
                                   "with KPIs) or 'kpis' (ds.kpis with --keys/--by/--where). CSV files are UTF-8 "
                                   "with a byte order mark, so Excel shows Chinese text; numbers are exact.")
    e.add_argument("name", metavar="NAME", help="a table name, 'sessions' or 'kpis'")
    e.add_argument("--out", required=True, metavar="FILE", help="file to write (.csv or .xlsx)")
    e.add_argument("--format", choices=[f for f in FORMATS if f != "table"], default=None, dest="fmt",
                   help="csv or xlsx (default: from the file name)")
    e.add_argument("--session", default=None, help="only these sessions' rows (comma-separated ids)")
    _kpi_options(e, None)
    e.set_defaults(func=_export)

