"""Replay a recorded session into a data folder in (scaled) real time, so the live monitor can be seen working.

:func:`prepare` copies the source data folder into the target once — every table file and every
other top-level file — without what the replayed session has not produced yet: its rows of the
session-keyed fact tables (minute table, events, orders, comments, channel and product totals,
pitches, incidents) and its totals in ``sessions``. Its plan (``run_sheet``, ``inventory``) stays.
:func:`replay` then writes the session's live feed (:mod:`liveops_nb.live.feed`) minute by minute:
at ``60 / speed`` seconds per broadcast minute it appends the finished minute's row to
``minute_stats.csv``, the orders placed in it to ``orders.csv``, rewrites ``pitches.csv`` (pitches
started so far, the end empty while a pitch runs) and ``status.json``. Every file is replaced in one
step (:func:`liveops_nb.io.atomic.write_atomic`): a reader never sees half a file.
"""
from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import LiveFeedError
from ..io.atomic import write_atomic
from ..io.folder import find_files
from ..schema import SESSION_TOTALS
from .feed import LIVE_DIR, STATUS, feed_dir

MARKER = ".liveops-simulated"
"""File marking a folder written by :func:`prepare` (such a folder may be written again)."""
FACT_TABLES = ("minute_stats", "events", "orders", "comments", "channels", "product_stats", "pitches", "incidents")
"""Tables whose rows of the replayed session only exist once it has happened."""


@dataclass
class Replay:
    """A prepared replay: the target folder and the session's rows to write, minute by minute."""

    into: Path
    session_id: str
    minutes: pd.DataFrame
    orders: pd.DataFrame | None
    pitches: pd.DataFrame | None


def _check_target(source: Path, into: Path) -> None:
    if into.resolve() == source.resolve():
        raise LiveFeedError(f"--into {into} is the source folder; give an empty folder for the replay")
    if into.exists() and any(not p.name.startswith(".") for p in into.iterdir()) and not (into / MARKER).exists():
        raise LiveFeedError(f"--into {into} is not empty and was not written by simulate-live; "
                            "give an empty or new folder")


def _copy_table(path: Path, name: str, session_id: str, target: Path) -> None:
    """Copy one table file, leaving out the replayed session's rows (facts) or totals (sessions)."""
    if path.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        t = pq.read_table(path)
        if name in FACT_TABLES and "session_id" in t.column_names:
            t = t.filter(pc.not_equal(t["session_id"], pa.scalar(session_id)))
        elif name == "sessions":
            live = pc.equal(t["session_id"], pa.scalar(session_id))
            for c in (c.name for c in SESSION_TOTALS if c.name in t.column_names):
                col = t[c]
                t = t.set_column(t.column_names.index(c), c, pc.if_else(live, pa.scalar(None, col.type), col))
        buf = io.BytesIO()
        pq.write_table(t, buf)
        write_atomic(target, buf.getvalue())
        return
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if name in FACT_TABLES and "session_id" in df.columns:
        df = df[df.session_id != session_id]
    elif name == "sessions":
        for c in (c.name for c in SESSION_TOTALS if c.name in df.columns):
            df.loc[df.session_id == session_id, c] = ""
    write_atomic(target, df.to_csv(index=False))


def prepare(source: str | Path, session_id: str, into: str | Path, ds=None) -> Replay:
    """Copy ``source`` into ``into`` without session ``session_id``'s results, and read its rows to replay.

    Parameters
    ----------
    source : the recorded data folder (e.g. the demo).
    session_id : the session to replay.
    into : the target folder (new, empty, or written by an earlier replay).
    ds : the source folder's opened dataset, if already open.

    Raises
    ------
    UnknownSessionError
        ``session_id`` is not a session of ``source``.
    LiveFeedError
        ``into`` is the source, or holds files that an earlier replay did not write.
    """
    from ..dataset import open as open_dataset

    source, into = Path(source), Path(into)
    _check_target(source, into)
    ds = ds if ds is not None else open_dataset(source)
    ds.session(session_id)  # raises UnknownSessionError naming the known ids
    minutes = ds.frame("minute_stats", session_id)
    orders = ds.frame("orders", session_id).sort_values("ts", kind="stable") if "orders" in ds.raw else None
    pitches = ds.frame("pitches", session_id) if ds.has("pitches") else None
    into.mkdir(parents=True, exist_ok=True)
    (into / MARKER).write_text("written by liveops simulate-live\n", encoding="utf-8")
    old = feed_dir(into, session_id)
    if old.is_dir():  # a fresh replay starts with an empty feed
        for f in old.iterdir():
            if f.is_file():
                f.unlink()
    tables = find_files(source)
    for name, path in tables.items():
        _copy_table(path, name, session_id, into / path.name)
    for f in sorted(source.iterdir()):
        if f.is_file() and not f.name.startswith(".") and f not in tables.values():
            write_atomic(into / f.name, f.read_bytes())
    return Replay(into, session_id, minutes.reset_index(drop=True), orders, pitches)


def _csv(df: pd.DataFrame, header: bool) -> str:
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = [v.isoformat() if pd.notna(v) else "" for v in out[c]]
    return out.to_csv(index=False, header=header, lineterminator="\n")


def replay(rep: Replay, speed: float = 60.0, *, skip: int = 0, limit: int | None = None,
           sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
           on_minute: Callable[[int, pd.Timestamp], None] | None = None) -> int:
    """Write the session's live feed minute by minute at ``speed`` broadcast minutes per real minute.

    Parameters
    ----------
    rep : what :func:`prepare` returned.
    speed : 60 = one broadcast minute per second; 1 = real time.
    skip : broadcast minutes written at once before the clock starts (start mid-broadcast).
    limit : stop after this many minutes (None: the whole session).
    sleep, clock : waiting and the monotonic clock (tests pass their own).
    on_minute : called after each written minute with its index and time.

    Returns
    -------
    int
        Minutes written.

    Raises
    ------
    LiveFeedError
        ``speed`` is not positive.
    """
    if not speed > 0:
        raise LiveFeedError(f"speed must be positive (60 = a broadcast minute per second), not {speed}")
    folder = feed_dir(rep.into, rep.session_id)
    folder.mkdir(parents=True, exist_ok=True)
    minutes = rep.minutes if limit is None else rep.minutes.head(skip + limit)
    n = len(minutes)
    step = 60.0 / speed
    status = {"session_id": rep.session_id, "speed": speed, "minutes_total": len(rep.minutes), "upto": None,
              "done": False, "pid": os.getpid()}
    write_atomic(folder / STATUS, json.dumps(status))
    minute_text = _csv(minutes.iloc[0:0], True)
    order_text = _csv(rep.orders.iloc[0:0], True) if rep.orders is not None else ""
    last_pitches = None
    t0 = clock()
    written = 0
    sent = 0  # orders written so far (they are sorted by time)
    for i in range(n):
        minute = pd.Timestamp(minutes.minute.iloc[i])
        end = minute + pd.Timedelta(minutes=1)
        minute_text += _csv(minutes.iloc[[i]], False)
        if rep.orders is not None:
            upto = len(rep.orders) if i == len(rep.minutes) - 1 else int((rep.orders.ts < end).sum())
            order_text += _csv(rep.orders.iloc[sent:upto], False)
            sent = max(sent, upto)
        if i < skip - 1 and i < n - 1:
            continue  # minutes before the start are written together
        if i >= skip:
            wait = t0 + (i + 1 - skip) * step - clock()
            if wait > 0:
                sleep(wait)
        write_atomic(folder / "minute_stats.csv", minute_text)
        if rep.orders is not None:
            write_atomic(folder / "orders.csv", order_text)
        if rep.pitches is not None:
            p = rep.pitches[rep.pitches.start < end].copy()
            p["end"] = p.end.where(p.end <= end)  # still running: no end yet
            text = _csv(p, True)
            if text != last_pitches:
                write_atomic(folder / "pitches.csv", text)
                last_pitches = text
        status.update(upto=minute.isoformat(), done=i == len(rep.minutes) - 1)
        write_atomic(folder / STATUS, json.dumps(status))
        written = i + 1
        if on_minute is not None:
            on_minute(i, minute)
    return written


__all__ = ["FACT_TABLES", "LIVE_DIR", "MARKER", "Replay", "prepare", "replay"]
