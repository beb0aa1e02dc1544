"""The alert log: ``alerts.log`` in the data folder, append-only JSON lines, safe under concurrent writers.

Each line is one record:

* ``{"type": "alert", "alert_id": …, <the alert's fields>, "logged_at": …}`` — an alert, logged once;
* ``{"type": "ack", "alert_id": …, "by": …, "at": …, "note": …}`` — someone acknowledged it;
* ``{"type": "delivery", "alert_id": …, "ok": …, "attempts": …, "error": …, "at": …}`` — a webhook delivery.

Nothing is ever rewritten. Writers take an exclusive lock (``alerts.log.lock``, :mod:`filelock`) around
read-check-append, and every record is one ``os.write`` of a whole line to a file opened with ``O_APPEND``,
so two processes appending at once lose nothing and never interleave within a line. :func:`read_log` folds
the records: one row per alert with its acknowledgement status and who / when.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from ..errors import AlertLogError
from .evaluation import Alert

LOG_NAME = "alerts.log"
LOCK_TIMEOUT_S = 30.0
COLUMNS = ["alert_id", "session_id", "room_id", "rule_id", "metric", "product_id", "severity", "code", "start",
           "end", "fired_at", "value", "threshold", "logged_at", "acknowledged", "ack_by", "ack_at", "ack_note",
           "delivered"]


def log_path(data_dir: str | Path) -> Path:
    """Where a data folder's alert log is."""
    return Path(data_dir) / LOG_NAME


def _now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def _lock(path: Path) -> FileLock:
    return FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S)


def _append(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Append whole lines with one ``os.write`` each (caller holds the lock)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        for rec in records:
            line = (json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
            written = os.write(fd, line)
            if written != len(line):  # pragma: no cover - a full disk
                raise AlertLogError(f"{path}: only {written} of {len(line)} bytes written (disk full?)")
        os.fsync(fd)
    finally:
        os.close(fd)


def records(data_dir: str | Path) -> list[dict[str, Any]]:
    """Every record of the log in order (empty when there is no log). A damaged line raises :class:`AlertLogError`."""
    path = log_path(data_dir)
    if not path.is_file():
        return []
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as err:
                raise AlertLogError(f"{path}, line {n}: not a JSON record ({err.msg}); the log is append-only — "
                                    "move the damaged line out by hand") from None
            if not isinstance(rec, dict) or "type" not in rec:
                raise AlertLogError(f"{path}, line {n}: a record needs a 'type'")
            out.append(rec)
    return out


_SEEN: dict[str, tuple[int, int, set[str]]] = {}  # log path -> (inode, bytes read, alert ids in them)


def _logged_ids(path: Path) -> set[str]:
    """Alert ids in the log, reading only what was appended since the last call (caller holds the lock)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        _SEEN.pop(str(path), None)
        return set()
    inode, done, ids = _SEEN.get(str(path), (st.st_ino, 0, set()))
    if inode != st.st_ino or st.st_size < done:  # replaced or cut: read it all again
        done, ids = 0, set()
    with open(path, "rb") as f:
        f.seek(done)
        tail = f.read()
    end = tail.rfind(b"\n") + 1
    for line in tail[:end].splitlines():
        if line.strip():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # read_log reports damaged lines
            if isinstance(rec, dict) and rec.get("type") == "alert":
                ids.add(str(rec.get("alert_id")))
    _SEEN[str(path)] = (st.st_ino, done + end, ids)
    return ids


def log_alerts(data_dir: str | Path, alerts: Iterable[Alert], *, at: str | None = None) -> list[str]:
    """Append the alerts the log does not hold yet; returns the ids newly logged (in order).

    An alert already logged (same :attr:`Alert.id`) is not logged again, so a live monitor can log every
    refresh's alerts; a repeat that extended an alert keeps its id and is not logged twice.
    """
    path = log_path(data_dir)
    alerts = list(alerts)
    if not alerts:
        return []
    try:
        with _lock(path):
            have = set(_logged_ids(path))
            new = []
            for a in alerts:
                if a.id not in have:
                    have.add(a.id)
                    new.append({"type": "alert", **a.to_dict(), "logged_at": at or _now()})
            _append(path, new)
    except Timeout as err:
        raise AlertLogError(f"{path}: could not get the log's lock in {LOCK_TIMEOUT_S:.0f} s") from err
    return [r["alert_id"] for r in new]


def append_record(data_dir: str | Path, record: dict[str, Any]) -> None:
    """Append one record (``type`` required) under the lock, as it is."""
    if "type" not in record:
        raise AlertLogError("a log record needs a 'type'")
    path = log_path(data_dir)
    try:
        with _lock(path):
            _append(path, [record])
    except Timeout as err:
        raise AlertLogError(f"{path}: could not get the log's lock in {LOCK_TIMEOUT_S:.0f} s") from err


def acknowledge(data_dir: str | Path, alert_id: str, by: str, *, note: str | None = None,
                at: str | None = None) -> dict[str, Any]:
    """Record that ``by`` acknowledged an alert of the log; returns the record appended.

    Raises :class:`AlertLogError` when the log does not hold the alert or ``by`` is empty.
    """
    if not by or not str(by).strip():
        raise AlertLogError("an acknowledgement needs who acknowledged (by)")
    path = log_path(data_dir)
    rec = {"type": "ack", "alert_id": alert_id, "by": str(by).strip(), "at": at or _now(), "note": note}
    try:
        with _lock(path):
            ids = _logged_ids(path)
            if alert_id not in ids:
                hint = "" if ids else " The log is empty."
                raise AlertLogError(f"{path}: no alert '{alert_id}' in the log.{hint}")
            _append(path, [rec])
    except Timeout as err:
        raise AlertLogError(f"{path}: could not get the log's lock in {LOCK_TIMEOUT_S:.0f} s") from err
    return rec


def read_log(data_dir: str | Path, session_id: str | None = None) -> pd.DataFrame:
    """One row per logged alert with its acknowledgement (the latest) and whether a webhook delivered it.

    Columns :data:`COLUMNS`; ``acknowledged`` is False until an ack record names the alert; ``delivered`` is
    True / False after a delivery attempt, None without one.
    """
    recs = records(data_dir)
    acks: dict[str, dict[str, Any]] = {}
    sent: dict[str, bool] = {}
    rows: dict[str, dict[str, Any]] = {}
    for r in recs:
        aid = str(r.get("alert_id"))
        if r["type"] == "alert" and aid not in rows:
            rows[aid] = r
        elif r["type"] == "ack":
            acks[aid] = r
        elif r["type"] == "delivery":
            sent[aid] = bool(r.get("ok")) or sent.get(aid, False)
    out = []
    for aid, r in rows.items():
        if session_id is not None and r.get("session_id") != session_id:
            continue
        ack = acks.get(aid)
        out.append({**{c: r.get(c) for c in COLUMNS}, "acknowledged": ack is not None,
                    "ack_by": ack and ack.get("by"), "ack_at": ack and ack.get("at"), "ack_note": ack and ack.get("note"),
                    "delivered": sent.get(aid)})
    return pd.DataFrame(out, columns=COLUMNS)
