"""A persistent result store on disk, outside the data folder, shared safely by several processes.

Results that take long to compute and never change while their inputs do not (a dataset's
validation, the all-sessions base table) are kept here between processes. An entry's key is a
hash of everything that could change the result:

* the data folder's resolved path and the names in it (an added or removed file changes the key);
* a fingerprint of every input file: size, modification time (ns) and a cheap content hash (the
  first and last 64 KiB, and for Parquet its whole footer) -- :func:`file_fingerprint`;
* the package's version and a hash of the source files that compute the result (:data:`VALIDATION_CODE`,
  :data:`BASES_CODE`) and the versions of DuckDB, Ibis, pandas, PyArrow and NumPy (other code, other results);
* the request (what was computed, with which options).

So a result is never served for other inputs: any change makes a new key, and old entries
simply age out. Entries are written atomically (a private temporary file, then ``os.replace``,
:func:`liveops_nb.io.atomic.write_atomic`): a reader sees a whole entry or none, several writers
of one key leave one whole entry, and a process killed mid-write leaves only a temporary dot-file
(removed later). Every entry carries its length and a SHA-256 of its content: a truncated or
corrupt entry is a miss, and is removed. The store is bounded: when it grows past its size cap
the least recently used entries (oldest modification time; a hit refreshes it) are removed.

Folder: ``$LIVEOPS_CACHE``, else ``~/.cache/liveops``; ``LIVEOPS_CACHE=off`` disables the store.
A folder inside the data folder is refused (the data folder is never written to).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LiveOpsError
from ..io.atomic import TMP_SUFFIX, write_atomic

ENV = "LIVEOPS_CACHE"
OFF_VALUES = {"off", "0", "no", "false", "none"}
DEFAULT_MAX_BYTES = 2 * 2**30  # 2 GiB
EDGE = 64 * 2**10  # bytes hashed at each end of a file
STORE_VERSION = 1  # the entry format; a new one ignores old entries
_MAGIC = b"LOPS"
_HEADER = struct.Struct(">4sHQ32s")  # magic, format version, payload length, sha256 of payload
_ENTRY = ".entry"
_STALE_TMP_S = 3600.0  # a temporary file this old was left by a killed writer


class StoreError(LiveOpsError):
    """The result store cannot be used where it was asked to be (e.g. inside a data folder)."""


def default_folder() -> Path | None:
    """The store's folder: ``$LIVEOPS_CACHE``, else ``~/.cache/liveops``; None when set to ``off``."""
    value = os.environ.get(ENV, "").strip()
    if value.lower() in OFF_VALUES:
        return None
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "liveops"


def default_store() -> Store | None:
    """The store at :func:`default_folder`, or None when disabled."""
    folder = default_folder()
    return None if folder is None else Store(folder)


# ---------------------------------------------------------------------------- fingerprints
def file_fingerprint(path: str | Path) -> tuple[str, int, int, str]:
    """Name, size, modification time (ns) and a content hash of one file (first/last 64 KiB, Parquet footer).

    A file that cannot be read gives size and time -1 (so it differs from any readable state).
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return (path.name, -1, -1, "")
    return (path.name, st.st_size, st.st_mtime_ns, _content_hash(str(path), st.st_size))


def _content_hash(path: str, size: int) -> str:
    """Hash of a file's two ends and Parquet footer (read every time: a rewrite may keep size and time)."""
    h = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as fh:
            h.update(fh.read(EDGE))
            if size > EDGE:
                fh.seek(max(EDGE, size - EDGE))
                tail = fh.read()
                h.update(tail)
                if path.lower().endswith(".parquet") and size >= 12 and tail[-4:] == b"PAR1":
                    footer_len = struct.unpack("<I", tail[-8:-4])[0]
                    if footer_len + 8 > len(tail) and footer_len + 8 <= size:
                        fh.seek(size - 8 - footer_len)
                        h.update(fh.read(footer_len))
    except OSError:
        return "unreadable"
    return h.hexdigest()


def folder_fingerprint(folder: str | Path) -> dict[str, Any]:
    """The data folder's resolved path, the names of its entries, and the fingerprint of each of its files.

    Every regular file at the folder's top level counts (tables, ignored files, settings); dot-files
    (lock files, temporaries) do not.
    """
    folder = Path(folder).resolve()
    try:
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError:
        names = []
    files = [folder / n for n in names if (folder / n).is_file()]
    return {"folder": str(folder), "names": names, "files": [file_fingerprint(p) for p in files]}


# the package's source the stored results depend on (files or folders, relative to the package)
VALIDATION_CODE = ("__init__.py", "validate.py", "schema.py", "errors.py", "config.py", "io")
BASES_CODE = ("__init__.py", "dataset.py", "engine", "derive.py", "metrics.py", "measures.py", "schema.py",
              "errors.py", "config.py", "io", "comments")


@functools.lru_cache(maxsize=16)
def code_stamp(parts: tuple[str, ...] = ()) -> str:
    """A hash of the package's source files ``parts`` (all of it when empty; its version is in ``__init__.py``)
    and of the versions of the engines that compute the results: other code, new keys."""
    from importlib import metadata

    root = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=16)
    h.update(f"store/{STORE_VERSION}".encode())
    for dist in ("duckdb", "ibis-framework", "pandas", "pyarrow", "numpy"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    sources: set[Path] = set()
    for part in parts or ("",):
        where = root / part
        sources.update(where.rglob("*.py") if where.is_dir() else [where])
    for p in sorted(sources):
        try:
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
        except OSError:
            h.update(str(p.relative_to(root)).encode() + b"\0-")
    return h.hexdigest()


def make_key(*parts: Any, code: tuple[str, ...] = ()) -> str:
    """A hex key of JSON-able ``parts`` and the :func:`code_stamp` of ``code``: equal in any process."""
    text = json.dumps([code_stamp(code), *parts], sort_keys=True, default=repr, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


# ---------------------------------------------------------------------------- the store
@dataclass(frozen=True)
class StoreInfo:
    """What :meth:`Store.info` reports."""

    folder: Path
    entries: int
    bytes: int
    max_bytes: int


class Store:
    """Results on disk, by key: atomic, checksummed, bounded (least recently used go first).

    Parameters
    ----------
    folder : where entries live (created on first write).
    max_bytes : size cap; past it the least recently used entries are removed.
    """

    def __init__(self, folder: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.folder = Path(folder).expanduser()
        self.max_bytes = int(max_bytes)

    def _path(self, key: str) -> Path:
        return self.folder / f"v{STORE_VERSION}" / key[:2] / f"{key}{_ENTRY}"

    def check_outside(self, data_folder: str | Path) -> None:
        """Refuse to store anything inside ``data_folder`` (the data folder is never written to)."""
        data = Path(data_folder).resolve()
        mine = self.folder.resolve()
        if mine == data or data in mine.parents:
            raise StoreError(f"the result cache folder {mine} is inside the data folder {data}; set {ENV} "
                             "to a folder outside it (or to 'off')")

    def get(self, key: str) -> tuple[bool, Any]:
        """``(True, value)`` for a whole entry, else ``(False, None)`` (a damaged entry is removed)."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            return False, None
        value = _decode(raw)
        if value is _BAD:
            path.unlink(missing_ok=True)
            return False, None
        try:
            os.utime(path)  # recently used
        except OSError:
            pass
        return True, value

    def put(self, key: str, value: Any) -> bool:
        """Store ``value`` under ``key`` atomically; False (and nothing stored) when it cannot be written."""
        path = self._path(key)
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, _HEADER.pack(_MAGIC, STORE_VERSION, len(payload), hashlib.sha256(payload).digest())
                         + payload)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return False
        try:
            self.trim()
        except OSError:  # another process trimming, or a read-only entry: the next write trims again
            pass
        return True

    def remember(self, key: str, make: Callable[[], Any]) -> Any:
        """The stored value of ``key``, or ``make()`` stored then returned."""
        hit, value = self.get(key)
        if hit:
            return value
        value = make()
        self.put(key, value)
        return value

    def _entries(self) -> list[tuple[float, int, Path]]:
        out: list[tuple[float, int, Path]] = []
        base = self.folder / f"v{STORE_VERSION}"
        if not base.is_dir():
            return out
        for p in base.glob(f"*/*{_ENTRY}"):
            try:
                st = p.stat()
            except OSError:
                continue
            out.append((st.st_mtime, st.st_size, p))
        return out

    def trim(self) -> None:
        """Remove the least recently used entries past the size cap, and temporaries of killed writers."""
        entries = sorted(self._entries(), key=lambda e: e[0])
        total = sum(size for _, size, _ in entries)
        for _, size, p in entries:
            if total <= self.max_bytes:
                break
            p.unlink(missing_ok=True)
            total -= size
        now = time.time()
        base = self.folder / f"v{STORE_VERSION}"
        for p in base.glob(f"*/.*{TMP_SUFFIX}") if base.is_dir() else ():
            try:
                if now - p.stat().st_mtime > _STALE_TMP_S:
                    p.unlink(missing_ok=True)
            except OSError:
                continue

    def clear(self) -> int:
        """Remove every entry (and leftover temporary); returns how many entries were removed."""
        n = 0
        base = self.folder / f"v{STORE_VERSION}"
        if not base.is_dir():
            return 0
        for p in list(base.glob("*/*")):
            if p.is_file():
                n += p.name.endswith(_ENTRY)
                p.unlink(missing_ok=True)
        for d in list(base.iterdir()):
            try:
                d.rmdir()
            except OSError:
                pass
        return n

    def info(self) -> StoreInfo:
        """Folder, number of entries, their total size and the cap."""
        entries = self._entries()
        return StoreInfo(self.folder, len(entries), sum(size for _, size, _ in entries), self.max_bytes)


_BAD = object()


def _decode(raw: bytes) -> Any:
    """The value of an entry's bytes, or ``_BAD`` when they are not a whole, intact entry."""
    if len(raw) < _HEADER.size:
        return _BAD
    magic, version, length, digest = _HEADER.unpack_from(raw)
    payload = raw[_HEADER.size:]
    if magic != _MAGIC or version != STORE_VERSION or len(payload) != length \
            or hashlib.sha256(payload).digest() != digest:
        return _BAD
    try:
        return pickle.loads(payload)
    except Exception:  # noqa: BLE001 - an entry from another environment (a class moved): a miss
        return _BAD


def dataset_key(path: str | Path, files: Mapping[str, Path], *request: Any, code: tuple[str, ...] = ()) -> str:
    """The key of a result computed by the package's ``code`` from the data folder ``path`` (its table
    ``files`` read) for ``request``."""
    return make_key(folder_fingerprint(path), {k: str(Path(v).resolve()) for k, v in files.items()}, *request,
                    code=code)
