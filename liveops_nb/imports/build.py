"""Recognised export tables to rows of the data model's tables (rooms, sessions, minute_stats, channels, …).

* **Rooms** come from the account columns: ``room_id`` = the mapping's ``room.id_prefix`` + the account
  (主播抖音号), its name the nickname; a ``room_id`` column is used as it is.
* **Sessions**: ``session_id`` is the export's when it has one, else ``<room_id>-<YYYYMMDD-HHMM>`` of the
  start time — the same export always gives the same ids, so importing it again changes nothing.
* **Minute files** are attached to the session whose window (start floored to the minute … end) contains
  all their minutes, among the sessions imported with them and those already in the folder; when
  several rooms were live then, the one whose account or name is in the file name; otherwise refused.
* Columns the model requires but the export does not give: the mapping's ``fill`` (reported), else the
  table is not written from that file (a warning names the column).
* Cross-checks (warnings, never failures): a rate column against ``numerator / denominator`` of the
  counts in the same row (beyond the mapping's ``rate_tolerance``); channel rows against the 整体 row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ImportFileError
from ..schema import TABLES
from .mapping import Mapping
from .parse import Parsed

_SILENT_FILL = frozenset({"role"})  # a classification the user sets afterwards (docs/imports.md), not a number
_ADDITIVE_CHANNEL = ("gmv", "orders", "spend", "views")


@dataclass
class Batch:
    """The rows an import brings, per table, and what building them noticed."""

    tables: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    minute_files: list[Parsed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, table: str, df: pd.DataFrame) -> None:
        """Queue rows of ``table``."""
        if len(df):
            self.tables.setdefault(table, []).append(df)

    def frame(self, table: str) -> pd.DataFrame | None:
        """All queued rows of ``table`` (``None`` when none)."""
        parts = self.tables.get(table)
        return pd.concat(parts, ignore_index=True) if parts else None


def where(p: Parsed) -> str:
    """``file`` or ``file [sheet]`` for messages."""
    return p.source.path.name + (f" [{p.source.sheet}]" if p.source.sheet else "")


def session_rows(p: Parsed, mapping: Mapping, problems: list[ImportFileError], batch: Batch) -> pd.DataFrame:
    """Sessions (and their rooms) from a session list or a workbook's record sheets."""
    df = p.frame.copy()
    need = [c for c in ("start_time", "end_time") if c not in df]
    if "room_account" not in df and "room_id" not in df:
        need.append("room_account")
    if need:
        problems.append(ImportFileError(p.source.path, f"the export has no column for {', '.join(need)}",
                        f"export it with these columns, or map them in {mapping.path.name}", sheet=p.source.sheet))
        return pd.DataFrame()
    if "room_id" not in df:
        df["room_id"] = df["room_account"].map(lambda a: None if a is None or pd.isna(a) else mapping.room_prefix + a)
    for col in ("room_id", "start_time", "end_time"):
        bad = df.index[df[col].isna()].tolist()
        if bad:
            problems.append(ImportFileError(p.source.path, "values are missing; a session needs its room, start and end",
                            "fill these cells or remove the rows", sheet=p.source.sheet, column=p.headers.get(col, col),
                            row=int(df["_row"].tolist()[bad[0]]), rows=df["_row"].iloc[bad].tolist()))
    ok = df.dropna(subset=["room_id", "start_time", "end_time"])
    back = ok.index[ok["end_time"] < ok["start_time"]].tolist()
    if back:
        problems.append(ImportFileError(p.source.path, "the session ends before it starts", "check the two times",
                        sheet=p.source.sheet, column=p.headers.get("end_time"), row=int(ok.loc[back[0], "_row"]),
                        rows=ok.loc[back, "_row"].tolist()))
    if "session_id" not in ok:
        ok = ok.assign(session_id=ok["room_id"] + "-" + ok["start_time"].dt.strftime("%Y%m%d-%H%M"))
    name = ok["room_name"] if "room_name" in ok else ok["room_id"]
    host = ok["host"] if "host" in ok else name
    ok = ok.assign(host=host.fillna(ok["room_id"]), room_name=name.fillna(ok["room_id"]))
    rooms = pd.DataFrame({"room_id": ok["room_id"], "room_name": ok["room_name"], "platform": mapping.platform,
                          "category": mapping.category, "host": ok["host"]}).drop_duplicates("room_id")
    batch.add("rooms", rooms)
    check_rates(p, ok, mapping, batch)
    cols = [c for c in TABLES["sessions"].column_names if c in ok]
    return ok[[*cols, "_row", "_src"]]


def check_rates(p: Parsed, df: pd.DataFrame, mapping: Mapping, batch: Batch) -> None:
    """Warn where a platform rate disagrees with the counts it is computed from."""
    for rate, (num_col, den_col) in p.rates.items():
        if rate not in df or num_col not in df or den_col not in df:
            continue
        num, den, given = (df[c].astype("Float64") for c in (num_col, den_col, rate))
        have = given.notna() & num.notna() & den.notna() & (den > 0)
        computed = num.where(have) / den.where(have)
        off = have & ((given - computed).abs() > mapping.rate_tolerance)
        off = off.fillna(False)
        if off.any():
            rows = df.loc[off, "_row"].astype(int).tolist()
            i = off[off].index[0]
            batch.warnings.append(
                f"{where(p)}: column '{p.headers[rate]}' disagrees with {p.headers.get(num_col, num_col)} / "
                f"{p.headers.get(den_col, den_col)} in {len(rows)} row(s) (rows {', '.join(map(str, rows[:5]))}; "
                f"e.g. {float(given[i]):.4f} given, {float(computed[i]):.4f} from the counts); the counts are kept")


def child_rows(p: Parsed, table: str, session_id: str | None, batch: Batch) -> pd.DataFrame | None:
    """Rows of ``table`` (channels, product_stats, pitches, minute_stats) for one session, or ``None`` when
    the export lacks a column the model requires (a warning says which)."""
    df = p.frame.copy()
    for col, value in p.spec.fill.items():
        if col not in df and (col in TABLES[table].column_names
                              or (table == "product_stats" and col in TABLES["products"].column_names)):
            df[col] = value
            if col not in _SILENT_FILL:
                batch.warnings.append(f"{where(p)}: the export has no {col}; written as {value!r} (mapping 'fill')")
    if session_id is not None:
        df["session_id"] = session_id
    spec = TABLES[table]
    missing = [c.name for c in spec.columns if c.required and c.name not in df and c.name != "channel_group"]
    if missing:
        batch.warnings.append(f"{where(p)}: {table} not imported: the export has no {', '.join(missing)} "
                              "(required by the data model); add the column to the export or to the mapping")
        return None
    return df


def channel_rows(p: Parsed, session_id: str, mapping: Mapping, batch: Batch) -> pd.DataFrame | None:
    """Channels of one session, with their group; the 整体 row is checked against the channel rows."""
    df = child_rows(p, "channels", session_id, batch)
    if df is None:
        return None
    unknown = sorted(set(df["channel"].dropna()) - set(mapping.channel_groups))
    if unknown:
        batch.warnings.append(f"{where(p)}: channel(s) {', '.join(unknown)} not in the mapping's channel_groups; "
                              f"counted as organic (add them to {mapping.path.name})")
    df["channel_group"] = df["channel"].map(mapping.channel_groups).fillna("organic")
    if p.totals is not None:
        for col in _ADDITIVE_CHANNEL:
            given: Any = p.totals[col].tolist()[0] if col in p.totals else None
            if col in df and given is not None and pd.notna(given) and df[col].notna().all():
                total, summed = float(given), float(df[col].sum())
                if abs(total - summed) > max(0.01, 1e-6 * abs(total)):
                    batch.warnings.append(f"{where(p)}: the 整体 row's {p.headers.get(col, col)} ({total:g}) is not "
                                          f"the sum of the channel rows ({summed:g})")
    return df


def product_rows(p: Parsed, session_id: str, mapping: Mapping, batch: Batch) -> None:
    """Products and product stats of one session."""
    df = child_rows(p, "product_stats", session_id, batch)
    if df is None:
        return
    check_rates(p, df, mapping, batch)
    products = TABLES["products"]
    missing = [c.name for c in products.columns if c.required and c.name not in df]
    if missing:
        batch.warnings.append(f"{where(p)}: products not imported: the export has no {', '.join(missing)}; "
                              "product stats need them, so they are not imported either")
        return
    batch.add("products", df[[c for c in products.column_names if c in df]].drop_duplicates("product_id"))
    batch.add("product_stats", df[[c for c in TABLES["product_stats"].column_names if c in df] + ["_row", "_src"]])


def _utc(times: pd.Series) -> np.ndarray:
    """Tz-aware times as naive UTC ``datetime64[ns]`` (fast to compare)."""
    return times.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[ns]").to_numpy()


@dataclass(frozen=True)
class Windows:
    """Every session's window (start floored to the minute, end; naive UTC) with its id, room and host."""

    floors: np.ndarray
    ends: np.ndarray
    ids: np.ndarray
    rooms: np.ndarray
    hosts: np.ndarray


def windows(sessions: pd.DataFrame) -> Windows:
    """The sessions' windows, computed once per import for :func:`attach_minutes`."""
    return Windows(_utc(sessions["start_time"].dt.floor("min")), _utc(sessions["end_time"]),
                   sessions["session_id"].astype(str).to_numpy(), sessions["room_id"].astype(str).to_numpy(),
                   sessions["host"].astype(str).to_numpy())


def attach_minutes(p: Parsed, w: Windows, problems: list[ImportFileError],
                   room_names: dict[str, str] | None = None) -> str | None:
    """The session whose window contains every minute of ``p`` (see the module docstring), or ``None``."""
    minutes = p.frame["minute"].dropna() if "minute" in p.frame else pd.Series(dtype=object)
    if minutes.empty:
        problems.append(ImportFileError(p.source.path, "the minute file has no minutes", "export it again",
                                        sheet=p.source.sheet))
        return None
    first, last = minutes.min(), minutes.max()
    lo = np.datetime64(first.tz_convert("UTC").tz_localize(None), "ns")
    hi = np.datetime64(last.tz_convert("UTC").tz_localize(None), "ns")
    hit = np.flatnonzero((w.floors <= lo) & (w.ends >= hi))
    if len(hit) > 1:
        stem, names = p.source.path.stem, room_names or {}
        named = [i for i in hit if any(v and v != "nan" and v in stem for v in
                                       (w.rooms[i], names.get(w.rooms[i]), w.hosts[i], w.rooms[i].split("_", 1)[-1]))]
        hit = np.asarray(named) if len(named) == 1 else hit
    if len(hit) == 1:
        return str(w.ids[hit[0]])
    span = f"{first:%Y-%m-%d %H:%M}–{last:%H:%M}"
    if not len(hit):
        problems.append(ImportFileError(p.source.path, f"no session contains its minutes ({span})",
                        "import the session list (or the session's workbook) with it, or check the time zone",
                        sheet=p.source.sheet))
    else:
        problems.append(ImportFileError(p.source.path, f"{len(hit)} sessions were live at {span} "
                        f"({', '.join(w.ids[hit])}); the file does not say which it belongs to",
                        "put the room's account or name in the file name (e.g. <account>-分钟级数据.xlsx)",
                        sheet=p.source.sheet))
    return None
