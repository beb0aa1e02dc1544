"""Writing files so that no reader ever sees half of one, and no writer loses another's file.

Two ways to put bytes at a final path, both through a private temporary file in the same
folder (a dot-file: readers that skip dot-files never pick it up), flushed and fsynced first:

* :func:`write_atomic` *replaces* the file with one ``os.replace`` (last writer wins, a reader
  sees the old or the new file, never a mix) -- for files that are rewritten whole, such as an index;
* :func:`write_new` *creates* the file with one ``os.link``, which fails rather than replace an
  existing file -- for append-only stores where every record is its own file.

A process killed mid-write leaves at most a temporary dot-file (``.<name>.<pid>.<random>.tmp``),
never a partial file at the final path; :func:`stale_temporaries` finds such leftovers.
"""
from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

TMP_SUFFIX = ".tmp"
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


def temporary_name(path: Path) -> Path:
    """A private, unique temporary path next to ``path``: ``.<name>.<pid>.<random>.tmp``."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{TMP_SUFFIX}")


def _write_temporary(path: Path, data: bytes) -> Path:
    tmp = temporary_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | Path, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``data`` in one step: readers see the old or the new content, never a part.

    Parameters
    ----------
    path : the final file; its folder must exist.
    data : bytes, or text encoded with ``encoding``.
    encoding : encoding of text ``data``.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data
    tmp = _write_temporary(path, raw)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def write_new(path: str | Path, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Create ``path`` holding ``data``, complete or not at all, never replacing an existing file.

    Raises
    ------
    FileExistsError
        ``path`` exists already (it is left untouched).
    """
    path = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else data
    tmp = _write_temporary(path, raw)
    try:
        try:
            os.link(tmp, path)  # fails with FileExistsError instead of replacing
        except OSError as err:
            if isinstance(err, FileExistsError) or err.errno not in _NO_HARD_LINKS:
                raise
            # a file system without hard links (some SMB shares, FAT): still complete-or-absent, and an
            # existing file is still refused -- only two writers of the very same name in the same instant
            # could replace one another (record names carry a random UUID)
            if os.path.lexists(path):
                raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_folder(path.parent)
    return path


def stale_temporaries(folder: str | Path) -> Iterator[Path]:
    """Temporary files left in ``folder`` by writers that were killed mid-write (safe to delete when idle)."""
    folder = Path(folder)
    if folder.is_dir():
        yield from (p for p in folder.glob(f".*{TMP_SUFFIX}") if p.is_file())
