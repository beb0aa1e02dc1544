"""Where each session's report lives, and when a report there counts as done.

Every session id gets its own folder ``<slug>-<hash>``: a readable slug of the id (letters, digits
-- CJK included -- ``-``, ``_`` and ``.``; anything else becomes ``_``) and the first 8 hex digits
of the SHA-256 of the exact id. So ``S 1``, ``S_1`` and ``S/1`` share the slug ``S_1`` but get three
folders, ids differing only by case get two folders on a case-insensitive disk, and no id can name
a path outside the output folder (``..``, ``/``, a leading dot).

A report is *complete* -- and a rerun skips it unless ``force`` -- when its folder holds
``review.ipynb``, ``review.html`` and ``key_figures.json`` and the key figures name this very
session id. The folder only ever appears through one atomic rename of a finished build, so a
complete-looking folder is never half written; the session-id check guards against a folder
left by another id or an older layout.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from ..errors import LiveOpsError

DONE_MARKER = "key_figures.json"
REPORT_FILES = ("review.ipynb", "review.html", DONE_MARKER)
HASH_DIGITS = 8
SLUG_BYTES = 96  # file names are limited to 255 bytes; CJK characters take 3 bytes each in UTF-8
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"


def report_dir_name(session_id: str) -> str:
    """The report folder name of ``session_id``: ``<readable slug>-<8 hex digits of SHA-256(id)>``.

    Parameters
    ----------
    session_id : the exact session id (no normalisation: ids differing in any character differ here).

    Returns
    -------
    str
        A single path component, never starting with a dot.
    """
    sid = str(session_id)
    text = unicodedata.normalize("NFC", sid)
    slug = "".join(c if (c.isalnum() and c.isprintable()) or c in "-_." else "_" for c in text)
    slug = re.sub(r"_{2,}", "_", slug).strip("._-") or "session"
    while len(slug.encode("utf-8")) > SLUG_BYTES:
        slug = slug[:-1]
    digest = hashlib.sha256(sid.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
    return f"{slug}-{digest}"


def report_dir(out: Path, session_id: str) -> Path:
    """``out / report_dir_name(session_id)``."""
    return out / report_dir_name(session_id)


def report_complete(out: Path, session_id: str) -> bool:
    """True when the report of ``session_id`` under ``out`` is complete (see the module docstring)."""
    folder = report_dir(out, session_id)
    if not all((folder / name).is_file() for name in REPORT_FILES):
        return False
    try:
        figures = json.loads((folder / DONE_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(figures, dict) and figures.get("session_id") == str(session_id)


def check_unique(session_ids: Iterable[str]) -> None:
    """Refuse a run in which two session ids would share a folder (a hash clash: astronomically rare).

    Raises
    ------
    LiveOpsError
        Naming both ids and the folder.
    """
    seen: dict[str, str] = {}
    for sid in session_ids:
        name = report_dir_name(sid)
        if name.casefold() in seen and seen[name.casefold()] != sid:
            raise LiveOpsError(f"session ids {seen[name.casefold()]!r} and {sid!r} would share the report folder "
                               f"{name!r}; run them into separate --out folders")
        seen[name.casefold()] = sid


def temp_dir_name(session_id: str, token: str) -> str:
    """The private build folder of one session run: ``.tmp-<folder>-<pid>-<token>``."""
    return f"{TMP_PREFIX}{report_dir_name(session_id)}-{os.getpid()}-{token}"


def remove_stale_builds(out: Path) -> list[Path]:
    """Delete build folders (``.tmp-*``, ``.old-*``) left by batch processes that no longer run.

    Folders of a live process (another batch writing into ``out`` now) are left alone.
    Returns the folders removed.
    """
    removed = []
    for p in list(out.glob(f"{TMP_PREFIX}*")) + list(out.glob(f"{OLD_PREFIX}*")):
        parts = p.name.rsplit("-", 2)
        pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else 0
        if p.is_dir() and not _alive(pid):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True
