"""Merging, splitting and un-merging sessions of a dataset folder (a stream that dropped and reconnected).

* **Merge** two sessions of one room (the second starting after the first ends) into ``<first>+<second>``:
  start of the first, end of the second; additive totals (GMV, orders, units, views, comments, follows,
  refunds, targets) are sums — missing if either is missing; the peak (pcu) is the larger peak (exact:
  the windows do not overlap); average concurrent viewers are pooled by broadcast minutes over the merged
  window and the average watch time by viewers, so online-minutes and watch time are preserved. **People
  counts** (UV, impressions, buyers, product-impression/click and interacting people) cannot be added —
  a viewer of both parts counts twice: with viewer-level data (``events``) the dataset re-derives them
  from the viewers (exact); otherwise the sum is written and recorded as an **upper bound** in
  ``session_edits.json`` (and said so by the CLI). Rows of every session-level table (minutes, pitches,
  incidents, events, orders, comments) move to the merged id; channels and product stats are summed
  per channel / product (their people counts are then upper bounds too).
* **Split** a session at a time into ``<id>-p1`` and ``<id>-p2``: rows go to the part their time falls
  in; totals of each part come from its minute rows where they exist (sums; peaks and averages are left
  to the engine, which reads them from the minutes), people counts are left missing ("not available")
  unless viewer-level data re-derives them; channels and product stats cannot be divided and are kept
  only with the originals.
* **Unmerge** undoes either: the originals of every table are saved, before the edit, under
  ``session_edits/<edit id>/<table>.parquet`` and written back.

Every edit is one transaction under the folder lock (:mod:`liveops_nb.imports.store`).
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import measures
from ..errors import SessionEditError, did_you_mean
from ..schema import DEFAULT_TZ, TABLES
from . import store

EDITS_FILE = "session_edits.json"
EDITS_DIR = "session_edits"
ADDITIVE = ("views", "gmv", "orders", "units", "new_followers", "comments", "refund_amount", "gmv_target")
PEOPLE = ("impressions", "uv", "buyers", "product_impression_uv", "product_click_uv", "interaction_uv")
_CHILD_PEOPLE = {"channels": ("impressions", "uv"), "product_stats": ("impression_uv", "click_uv", "buyers")}
_TIME_OF = {"minute_stats": "minute", "pitches": "start", "incidents": "start", "events": "ts", "orders": "ts",
            "comments": "ts", "run_sheet": "planned_start"}
_AT_START = frozenset({"inventory"})  # a state at the session's start: the first part's (merge), part 1's (split)
_MINUTE_SUMS = {"gmv": "gmv", "orders": "orders", "comments": "comments", "new_followers": "new_followers",
                "views": "entries"}


@dataclass
class EditResult:
    """What a merge, split or unmerge did (or would do, with ``dry_run``)."""

    edit_id: str
    kind: str  # merge | split | unmerge
    removed: list[str]
    added: list[str]
    upper_bound: list[str] = field(default_factory=list)  # table.column values that are upper bounds
    notes: list[str] = field(default_factory=list)
    written: bool = False


def session_tables() -> list[str]:
    """Tables of the data model with a ``session_id`` column (besides ``sessions``)."""
    return [n for n, t in TABLES.items() if n != "sessions" and "session_id" in t.column_names]


def merged_away(edits: dict[str, Any]) -> set[str]:
    """Session ids replaced by a merge or split recorded in ``session_edits.json``."""
    return {sid for e in edits.get("edits", {}).values() for sid in e.get("from", [])}


def suggest_merges(sessions: pd.DataFrame, gap_minutes: float,
                   only: set[str] | None = None) -> list[tuple[str, str, float]]:
    """Consecutive sessions of one room whose gap (next start − end) is ≥ 0 and under ``gap_minutes``.

    Returns (first id, second id, gap in minutes) pairs; with ``only``, pairs touching those sessions.
    """
    s = sessions.sort_values(["room_id", "start_time"]).reset_index(drop=True)
    nxt = s.shift(-1)
    gap = (nxt["start_time"] - s["end_time"]).dt.total_seconds() / 60
    pick = (s["room_id"] == nxt["room_id"]).fillna(False) & (gap >= 0) & (gap < gap_minutes)
    if only is not None:
        pick &= s["session_id"].isin(only) | nxt["session_id"].isin(only)
    pick = pick.fillna(False).astype(bool)
    return [(str(a), str(b), round(float(g), 1))
            for a, b, g in zip(s.loc[pick, "session_id"], nxt.loc[pick, "session_id"], gap[pick], strict=True)]


def _row(sessions: pd.DataFrame, sid: str) -> pd.Series:
    hit = sessions[sessions["session_id"] == sid]
    if hit.empty:
        raise SessionEditError(f"session '{sid}' is not in this folder.{did_you_mean(sid, sessions['session_id'])} "
                               "List them with `liveops sessions --data FOLDER`.")
    return hit.iloc[0]


def _parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def _originals(tables: dict[str, pd.DataFrame], ids: list[str], edit_id: str) -> dict[str, bytes]:
    out = {}
    for name, df in tables.items():
        if "session_id" in df:
            part = df[df["session_id"].isin(ids)]
            if len(part):
                out[f"{EDITS_DIR}/{edit_id}/{name}.parquet"] = _parquet(part)
    return out


def _has_viewers(tables: dict[str, pd.DataFrame], ids: list[str]) -> bool:
    ev = tables.get("events")
    return ev is not None and bool(ev["session_id"].isin(ids).any())


def _minutes(span: pd.Series) -> float:
    return (span["end_time"] - span["start_time"]).total_seconds() / 60


def merge_sessions(folder: str | Path, first: str, second: str, *, dry_run: bool = False,
                   tz: str = DEFAULT_TZ) -> EditResult:
    """Merge two sessions of one room into one (rules in the module docstring).

    Raises
    ------
    SessionEditError
        Unknown session, different rooms, overlapping windows, the same session twice.
    """
    folder = Path(folder)
    with store.locked(folder):
        tables = store.load_tables(folder, tz)
        sessions = tables.get("sessions", pd.DataFrame(columns=["session_id"]))
        a, b = sorted((_row(sessions, first), _row(sessions, second)), key=lambda r: r["start_time"])
        if a["session_id"] == b["session_id"]:
            raise SessionEditError(f"'{first}' is given twice; name two different sessions")
        if a["room_id"] != b["room_id"]:
            raise SessionEditError(f"{a['session_id']} and {b['session_id']} are in different rooms "
                                   f"({a['room_id']}, {b['room_id']}); only one room's sessions can be merged")
        if b["start_time"] < a["end_time"]:
            raise SessionEditError(f"{b['session_id']} starts before {a['session_id']} ends; overlapping sessions "
                                   "are not one broadcast — check their times")
        ids = [str(a["session_id"]), str(b["session_id"])]
        new_id = "+".join(ids)
        viewers = _has_viewers(tables, ids)
        row = a.copy()
        row["session_id"], row["end_time"] = new_id, b["end_time"]
        if pd.isna(row.get("title")) and "title" in b:
            row["title"] = b["title"]
        span = {"start_time": a["start_time"], "end_time": b["end_time"]}
        for c in ADDITIVE:
            if c in row:
                row[c] = a[c] + b[c] if pd.notna(a[c]) and pd.notna(b[c]) else None
        upper = []
        for c in PEOPLE:
            if c in row:
                row[c] = a[c] + b[c] if pd.notna(a[c]) and pd.notna(b[c]) else None
                if pd.notna(row[c]) and not viewers:
                    upper.append(f"sessions.{c}")
        if "pcu" in row:
            row["pcu"] = max(a["pcu"], b["pcu"]) if pd.notna(a["pcu"]) and pd.notna(b["pcu"]) else None
        if "acu" in row:
            row["acu"] = _nan_none(measures.weighted_mean([a["acu"], b["acu"]], [_minutes(a), _minutes(b)],
                                                          over=_minutes(pd.Series(span))))
        if "avg_watch_seconds" in row and "uv" in a:
            row["avg_watch_seconds"] = _nan_none(measures.weighted_mean([a["avg_watch_seconds"], b["avg_watch_seconds"]],
                                                                        [a["uv"], b["uv"]]))
        out = {"sessions": pd.concat([sessions[~sessions["session_id"].isin(ids)], row.to_frame().T],
                                     ignore_index=True)}
        for name in session_tables():
            df = tables.get(name)
            if df is None or not df["session_id"].isin(ids).any():
                continue
            moved = df[df["session_id"].isin(ids)]
            moved = moved.assign(_part=moved["session_id"].map({ids[0]: 0, ids[1]: 1}), session_id=new_id)
            moved = moved.sort_values("_part", kind="stable").drop(columns="_part")
            if name in _AT_START:
                moved = moved.drop_duplicates([k for k in TABLES[name].key], keep="first")
            elif name in _CHILD_PEOPLE:
                key = [k for k in TABLES[name].key if k != "session_id"]
                if moved.duplicated(key).any() and not viewers:
                    upper += [f"{name}.{c}" for c in _CHILD_PEOPLE[name] if c in moved]
                moved = _sum_by(moved, name, key)
            out[name] = pd.concat([df[~df["session_id"].isin(ids)], moved], ignore_index=True)
        notes = [f"gap between the two parts: {(b['start_time'] - a['end_time']).total_seconds() / 60:.1f} min"]
        if viewers:
            notes.append("people counts are re-derived from the viewer-level data (exact)")
        elif upper:
            notes.append("people counts are sums of the two parts: upper bounds (a viewer of both counts twice)")
        result = EditResult(new_id, "merge", ids, [new_id], upper, notes)
        if dry_run:
            return result
        edits = store.read_json(folder, EDITS_FILE)
        edits.setdefault("edits", {})[new_id] = {"kind": "merge", "from": ids, "into": [new_id],
                                                 "upper_bound": upper, "at": _now()}
        side = {EDITS_FILE: store.json_bytes(edits), **_originals(tables, ids, new_id)}
        store.commit(folder, out, side)
        result.written = True
        return result


def _sum_by(df: pd.DataFrame, table: str, key: list[str]) -> pd.DataFrame:
    spec = TABLES[table]
    numeric = [c.name for c in spec.columns if c.dtype in ("int", "float") and c.name in df]
    other = [c for c in df.columns if c not in numeric and c not in key and c != "session_id"]
    agg: dict[str, Any] = {c: (lambda s: s.sum(min_count=len(s))) for c in numeric}
    agg.update({c: "first" for c in other})
    return df.groupby(["session_id", *key], as_index=False, dropna=False).agg(agg)


def split_session(folder: str | Path, session_id: str, at: str | dt.datetime | pd.Timestamp, *,
                  dry_run: bool = False, tz: str = DEFAULT_TZ) -> EditResult:
    """Split a session at time ``at`` into ``<id>-p1`` and ``<id>-p2`` (rules in the module docstring).

    Raises
    ------
    SessionEditError
        Unknown session, or ``at`` not strictly inside the session.
    """
    folder = Path(folder)
    try:
        cut = pd.Timestamp(at)
    except (ValueError, TypeError):
        raise SessionEditError(f"--at must be a time like 2026-09-07 10:30, not {at!r}") from None
    cut = cut.tz_localize(tz) if cut.tzinfo is None else cut.tz_convert(tz)
    with store.locked(folder):
        tables = store.load_tables(folder, tz)
        sessions = tables.get("sessions", pd.DataFrame(columns=["session_id"]))
        s = _row(sessions, session_id)
        if not (s["start_time"] < cut < s["end_time"]):
            raise SessionEditError(f"{cut:%Y-%m-%d %H:%M} is not inside {session_id} "
                                   f"({s['start_time']:%Y-%m-%d %H:%M}–{s['end_time']:%H:%M})")
        ids = [f"{session_id}-p1", f"{session_id}-p2"]
        viewers = _has_viewers(tables, [session_id])
        minutes = tables.get("minute_stats")
        mine = None if minutes is None else minutes[minutes["session_id"] == session_id]
        parts = []
        for pid, lo, hi in ((ids[0], s["start_time"], cut), (ids[1], cut, s["end_time"])):
            row = s.copy()
            row["session_id"], row["start_time"], row["end_time"] = pid, lo, hi
            for c in (*ADDITIVE, *PEOPLE, "pcu", "acu", "avg_watch_seconds"):
                if c in row:
                    row[c] = None
            if mine is not None and len(mine):
                inside = mine[mine["minute"] < cut] if pid == ids[0] else mine[mine["minute"] >= cut]
                for col, src in _MINUTE_SUMS.items():
                    if col in sessions and src in inside and _adds_up(mine[src], s[col]):
                        row[col] = inside[src].sum()
            parts.append(row)
        out = {"sessions": pd.concat([sessions[sessions["session_id"] != session_id], pd.DataFrame(parts)],
                                     ignore_index=True)}
        notes = []
        for name in session_tables():
            df = tables.get(name)
            if df is None or not (df["session_id"] == session_id).any():
                continue
            keep = df[df["session_id"] != session_id]
            mine_rows = df[df["session_id"] == session_id]
            if name in _AT_START:
                out[name] = pd.concat([keep, mine_rows.assign(session_id=ids[0])], ignore_index=True)
            elif name in _TIME_OF:
                first = mine_rows[_TIME_OF[name]] < cut
                moved = pd.concat([mine_rows[first].assign(session_id=ids[0]),
                                   mine_rows[~first].assign(session_id=ids[1])])
                out[name] = pd.concat([keep, moved], ignore_index=True)
            else:
                out[name] = keep
                notes.append(f"{name} rows cannot be divided between the parts; they stay with the original "
                             "(kept for unmerge)" + ("; the dataset re-derives them from the viewer-level data"
                                                     if viewers else ""))
        unsplit = [c for c, src in _MINUTE_SUMS.items() if c in sessions and pd.notna(s[c])
                   and (mine is None or src not in mine or not _adds_up(mine[src], s[c]))]
        if unsplit and not viewers:
            notes.append(f"{', '.join(unsplit)} of the parts are not available: the minute rows do not add up to "
                         "the session's totals (or there are none)")
        if not viewers:
            notes.append("people counts of the parts are not available (only viewer-level data could count them)")
        result = EditResult(session_id, "split", [session_id], ids, [], notes)
        if dry_run:
            return result
        edits = store.read_json(folder, EDITS_FILE)
        edits.setdefault("edits", {})[session_id] = {"kind": "split", "from": [session_id], "into": ids,
                                                     "at": _now(), "cut": cut.isoformat()}
        store.commit(folder, out, {EDITS_FILE: store.json_bytes(edits), **_originals(tables, [session_id], session_id)})
        result.written = True
        return result


def unmerge(folder: str | Path, edit_id: str, *, dry_run: bool = False, tz: str = DEFAULT_TZ) -> EditResult:
    """Undo a merge (give the merged id) or a split (give the original id or a part's id).

    Raises
    ------
    SessionEditError
        No such edit, or a later edit built on its result (undo that one first).
    """
    folder = Path(folder)
    with store.locked(folder):
        edits = store.read_json(folder, EDITS_FILE)
        known = edits.get("edits", {})
        key = edit_id if edit_id in known else next((k for k, e in known.items() if edit_id in e["into"]), None)
        if key is None:
            raise SessionEditError(f"'{edit_id}' is not a merged or split session of this folder."
                                   f"{did_you_mean(edit_id, known)} Recorded edits: {', '.join(known) or 'none'}")
        entry = known[key]
        later = [k for k, e in known.items() if set(e["from"]) & set(entry["into"])]
        if later:
            raise SessionEditError(f"{', '.join(later)} was made from {key}'s result; unmerge {later[0]} first")
        tables = store.load_tables(folder, tz)
        saved = folder / EDITS_DIR / key
        out = {}
        for name, df in tables.items():
            if "session_id" not in df:
                continue
            back = saved / f"{name}.parquet"
            hit = df["session_id"].isin(entry["into"])
            if hit.any() or back.is_file():
                parts = [df[~hit]] + ([pd.read_parquet(back)] if back.is_file() else [])
                out[name] = pd.concat(parts, ignore_index=True)
        result = EditResult(key, "unmerge", list(entry["into"]), list(entry["from"]))
        if dry_run:
            return result
        del known[key]
        store.commit(folder, out, {EDITS_FILE: store.json_bytes(edits)}, remove=[f"{EDITS_DIR}/{key}"])
        result.written = True
        return result


def upper_bounds(folder: str | Path) -> dict[str, list[str]]:
    """Merged session id -> its values that are upper bounds (``sessions.uv`` …), from ``session_edits.json``."""
    edits = store.read_json(Path(folder), EDITS_FILE).get("edits", {})
    return {k: list(e.get("upper_bound", [])) for k, e in edits.items() if e.get("upper_bound")}


def _adds_up(minutes: pd.Series, total: Any) -> bool:
    """Whether the minute rows add up to the session's total (within 0.5 %): only then can they divide it."""
    if pd.isna(total) or minutes.isna().any():
        return False
    return bool(abs(float(minutes.sum()) - float(total)) <= max(0.5, 0.005 * abs(float(total))))


def _nan_none(x: float) -> float | None:
    return None if pd.isna(x) else x


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
