"""The dataset's one result cache: keyed by arguments, bounded, clearable, dropped when the data files change."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from pathlib import Path
from typing import Any

DEFAULT_MAX_ENTRIES = 1024  # a session's nine sections add ~17 entries; the all-sessions results must outlive many pages


def fingerprint(files: Mapping[str, Path]) -> tuple:
    """Size and modification time of every data file (a changed, added or removed file changes it)."""
    out = []
    for name, path in sorted(files.items()):
        try:
            st = Path(path).stat()
            out.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((name, -1, -1))
    return tuple(out)


class ResultCache:
    """Least-recently-used results of one dataset.

    Parameters
    ----------
    files : the dataset's table files (empty for a connection): when any changes, every entry is dropped.
    max_entries : entries kept; the least recently used goes first.
    """

    def __init__(self, files: Mapping[str, Path] | None = None, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._files = dict(files or {})
        self._stamp = fingerprint(self._files)
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._max = max_entries
        self._lock = threading.RLock()

    def _check(self) -> None:
        if self._files:
            stamp = fingerprint(self._files)
            if stamp != self._stamp:
                self._entries.clear()
                self._stamp = stamp

    def changed(self) -> bool:
        """Whether the data files changed since the cache last looked (entries are then dropped)."""
        with self._lock:
            before = self._stamp
            self._check()
            return before != self._stamp

    def items(self) -> Iterator[tuple[Hashable, Any]]:
        """Current entries, most recent first (a snapshot)."""
        with self._lock:
            self._check()
            return iter(list(reversed(self._entries.items())))

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value for ``key``, computed by ``make()`` on a miss."""
        with self._lock:
            self._check()
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
