"""The growing files of a live session, read incrementally.

Layout (written by :mod:`liveops_nb.live.simulator`, or by any feed that follows the same rules)::

    <data folder>/live/<session_id>/minute_stats.csv   one row per finished minute, rows only added
    <data folder>/live/<session_id>/orders.csv         orders placed so far, rows only added
    <data folder>/live/<session_id>/pitches.csv        pitches started so far (end empty while running)
    <data folder>/live/<session_id>/status.json        {"session_id", "upto", "done", "speed", ...}

Every file is replaced whole in one step (:func:`liveops_nb.io.atomic.write_atomic`), so a reader sees
the old or the new version, never half a file; a growing file's new version starts with the old
version's bytes (rows are only ever appended).

:class:`GrowingTable` reads such a file without reading unchanged data again: it keeps the file's
``(inode, size, mtime)`` stamp — an unchanged stamp is not opened at all — and the byte offset of
the end of the last row it parsed. When the stamp changed it opens the file, checks that the
``TAIL`` bytes just before the offset are still the ones it read (the old content is a prefix of
the new one), and parses only the bytes after the offset. A file whose prefix changed (a pitch that
got its end time, a feed restarted) is read again whole.
"""
from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import LiveFeedError
from ..schema import DEFAULT_TZ, TABLES

LIVE_DIR = "live"
"""Folder of the live feeds inside a data folder."""
FEED_TABLES = ("minute_stats", "orders", "pitches")
"""Tables a live feed carries for its session (each ``<table>.csv``)."""
STATUS = "status.json"
TAIL = 32
"""Bytes before the read offset compared on every change (the old content must be the new one's prefix)."""


def feed_dir(data_dir: str | Path, session_id: str) -> Path:
    """The folder of session ``session_id``'s live feed inside ``data_dir``."""
    return Path(data_dir) / LIVE_DIR / session_id


def feed_sessions(data_dir: str | Path) -> list[str]:
    """Session ids that have a live feed folder (with a status file) in ``data_dir``, in name order."""
    root = Path(data_dir) / LIVE_DIR
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / STATUS).is_file())


def read_status(data_dir: str | Path, session_id: str) -> dict[str, Any]:
    """The feed's status (``{}`` when there is none yet).

    Raises
    ------
    LiveFeedError
        The status file is not JSON (a feed written by a foreign tool).
    """
    path = feed_dir(data_dir, session_id) / STATUS
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        status = json.loads(text)
    except json.JSONDecodeError as err:
        raise LiveFeedError(f"{path} is not a JSON status file ({err.msg}); restart the feed") from None
    return status if isinstance(status, dict) else {}


def _typed(df: pd.DataFrame, table: str, tz: str) -> pd.DataFrame:
    """Cells read as text, given their data-model types (timestamps in ``tz``)."""
    spec = TABLES[table]
    for c in df.columns:
        if c not in spec.column_names:
            continue
        dtype = spec.column(c).dtype
        s = df[c]
        if dtype == "timestamp":
            df[c] = pd.to_datetime(s, utc=True, format="ISO8601").dt.tz_convert(tz).astype(pd.DatetimeTZDtype("us", tz))
        elif dtype in ("int", "float"):
            num = pd.to_numeric(s, errors="raise")
            df[c] = num.astype("int64") if dtype == "int" and not num.isna().any() else num.astype("float64")
        elif dtype == "bool":
            df[c] = s.map({"true": True, "false": False, "True": True, "False": False, "1": True, "0": False})
        else:
            df[c] = s.astype(object).where(s.notna(), None)
    return df


@dataclass
class GrowingTable:
    """One growing CSV file of a live feed, read incrementally (see the module docstring).

    Attributes
    ----------
    path : the file.
    table : its table in the data model (column types).
    tz : time zone of the timestamps returned.
    bytes_read : bytes read from the file so far (prefix checks included).
    rows_read : rows parsed so far.
    full_reads : times the file was read from its start (the first read included).
    """

    path: Path
    table: str
    tz: str = DEFAULT_TZ
    bytes_read: int = 0
    rows_read: int = 0
    full_reads: int = 0
    _stamp: tuple[int, int, int] | None = None
    _offset: int = 0
    _tail: bytes = b""
    _header: bytes = b""
    _parts: list[pd.DataFrame] = field(default_factory=list)
    _frame: pd.DataFrame | None = None

    def poll(self) -> int:
        """Read what was added since the last call; the number of new rows (0: unchanged, not read).

        A file that was read again whole returns the number of all its rows.

        Raises
        ------
        LiveFeedError
            A row cannot be parsed (the file is not one of this table).
        """
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - closed below; the open file is one version of it
        except FileNotFoundError:
            if self._stamp is not None:  # the feed was removed: nothing is known any more
                self._reset()
                self._stamp = None
                self._frame = None
            return 0
        with fh:
            st = os.fstat(fh.fileno())
            stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
            if stamp == self._stamp:
                return 0
            fresh = True
            if self._offset and st.st_size >= self._offset:
                fh.seek(self._offset - len(self._tail))
                seen = fh.read(len(self._tail))
                self.bytes_read += len(seen)
                fresh = seen != self._tail
            if fresh:
                self._reset()
                fh.seek(0)
            data = fh.read()
            self.bytes_read += len(data)
            self._stamp = stamp
        complete = data[: data.rfind(b"\n") + 1]  # an atomic writer leaves no partial line; be safe anyway
        if fresh:
            self.full_reads += 1
            cut = complete.find(b"\n") + 1
            self._header, body, start = complete[:cut], complete[cut:], 0
        else:
            body, start = complete, self._offset
        end = start + len(complete)
        if end:
            self._offset = end
            self._tail = (self._header + body)[-TAIL:] if fresh else (self._tail + body)[-TAIL:]
        if not body:
            return 0
        try:
            part = pd.read_csv(io.BytesIO(self._header + body), dtype=str, keep_default_na=False,
                               na_values=[""], encoding="utf-8")
            part = _typed(part, self.table, self.tz)
        except (ValueError, TypeError) as err:
            raise LiveFeedError(f"{self.path}: rows cannot be read as table {self.table} ({err})") from None
        self._parts.append(part)
        self._frame = None
        self.rows_read += len(part)
        return len(part)

    def frame(self) -> pd.DataFrame:
        """Every row read so far (a new frame only after new rows arrived; do not modify it)."""
        if self._frame is None:
            if self._parts:
                self._frame = pd.concat(self._parts, ignore_index=True) if len(self._parts) > 1 else self._parts[0]
                self._parts = [self._frame]
            else:
                self._frame = pd.DataFrame(columns=TABLES[self.table].column_names)
        return self._frame

    def _reset(self) -> None:
        self._offset, self._tail, self._header, self._parts, self._frame = 0, b"", b"", [], None


class LiveFeed:
    """The live feed of one session: its growing tables and status, polled together.

    Parameters
    ----------
    data_dir : the data folder holding ``live/<session_id>/``.
    session_id : the live session.
    tz : time zone of the timestamps returned.
    """

    def __init__(self, data_dir: str | Path, session_id: str, tz: str = DEFAULT_TZ) -> None:
        self.data_dir = Path(data_dir)
        self.session_id = session_id
        self.folder = feed_dir(data_dir, session_id)
        self.tables = {name: GrowingTable(self.folder / f"{name}.csv", name, tz) for name in FEED_TABLES}
        self.status: dict[str, Any] = {}
        self._status_stamp: tuple[int, int] | None = None

    def poll(self) -> bool:
        """Read what every table gained; True if anything changed (rows or status)."""
        changed = False
        for table in self.tables.values():
            changed = bool(table.poll()) or changed
        try:
            st = os.stat(self.folder / STATUS)
            stamp = (st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            stamp = None
        if stamp != self._status_stamp:
            self._status_stamp = stamp
            self.status = read_status(self.data_dir, self.session_id)
            changed = True
        return changed

    def frame(self, table: str) -> pd.DataFrame:
        """The rows of ``table`` read so far."""
        return self.tables[table].frame()

    @property
    def done(self) -> bool:
        """The feed says the session has ended (no more rows will come)."""
        return bool(self.status.get("done"))
