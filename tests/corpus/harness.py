"""The corpus harness: a case is one defect applied to a copy of a small demo dataset, and its exact outcome.

Outcomes are either :class:`Refused` (the package's own error, naming the place: the exact set of
``(table, column)`` problems, words of the message such as the file name, and the sample row) or
:class:`Read` (the dataset opens with exactly the listed warnings and the numbers worked out by hand
from the defect). Any exception that is not a :class:`~liveops_nb.errors.LiveOpsError` fails the case
(a raw traceback), and so does a case that does not finish within :data:`HANG_SECONDS`. The data folder
must be byte-identical afterwards (content hash, mode and mtime of every entry).
"""
from __future__ import annotations

import hashlib
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import liveops_nb
from liveops_nb.errors import DataValidationError, LiveOpsError

HANG_SECONDS = 60.0
# the tables every case starts from (a valid viewer-level dataset); others are added per case
CORE = ("rooms", "sessions", "products", "users", "events", "orders")
Where = tuple[str, "str | None"]


@dataclass(frozen=True)
class Refused:
    """The dataset is refused with the package's error.

    ``problems`` is the exact set of ``(table, column)`` reported (``None`` for an error that is not a
    list of data problems, e.g. a folder that does not exist); every word in ``words`` is in the
    message; ``row`` holds key → value pairs found in the first sample row of the problem.
    """

    problems: frozenset[Where] | None
    words: tuple[str, ...] = ()
    row: dict[str, Any] = field(default_factory=dict)
    n_rows: int | None = None


@dataclass(frozen=True)
class Read:
    """The dataset opens, with exactly ``warnings`` ((table, column) pairs); ``check`` asserts its numbers."""

    check: Callable[[Any, Base], None]
    warnings: frozenset[Where] = frozenset()


@dataclass(frozen=True)
class Case:
    """One damaged dataset: ``damage`` edits the copy in place; ``target`` is what is opened (default the folder)."""

    name: str
    damage: Callable[[Path], None]
    expect: Refused | Read
    extra: tuple[str, ...] = ()  # tables of the demo dataset added to CORE
    folder: str = "data"
    target: Callable[[Path], Path] | None = None
    deny: tuple[str, ...] = ()  # file names whose reading is refused with a permission error


@dataclass(frozen=True)
class Base:
    """Reference numbers of the undamaged dataset, computed by hand from its files (pandas sums)."""

    folder: Path
    gmv: float
    gmv_by_session: dict[str, float]
    n_sessions: int


def base_numbers(folder: Path) -> Base:
    o = pd.read_parquet(folder / "orders.parquet")
    s = pd.read_parquet(folder / "sessions.parquet")
    by = o.groupby("session_id")["amount"].sum().to_dict()
    return Base(folder, float(o["amount"].sum()), {k: float(v) for k, v in by.items()}, len(s))


# ------------------------------------------------------------------ building a case

def read(d: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(d / f"{table}.parquet")


def write(d: Path, table: str, df: pd.DataFrame) -> None:
    df.to_parquet(d / f"{table}.parquet", index=False)


def edit(table: str, fn: Callable[[pd.DataFrame], pd.DataFrame | None]) -> Callable[[Path], None]:
    """A damage that rewrites ``table``'s Parquet file through ``fn`` (which may edit in place)."""
    def damage(d: Path) -> None:
        df = read(d, table)
        out = fn(df)
        write(d, table, df if out is None else out)
    return damage


def set_column(d: Path, table: str, column: str, array: pa.Array) -> None:
    """Replace one column of a Parquet file with an Arrow array (types pandas would not write)."""
    t = pq.read_table(d / f"{table}.parquet")
    t = t.set_column(t.schema.get_field_index(column), column, array)
    pq.write_table(t, d / f"{table}.parquet")


def csv_text(d: Path, table: str, fn: Callable[[pd.DataFrame], pd.DataFrame | None] | None = None) -> str:
    """The table as CSV text (ISO times with offsets, floats as Python writes them), after ``fn``."""
    df = read(d, table)
    if fn is not None:
        out = fn(df)
        df = df if out is None else out
    return df.to_csv(index=False)


def to_csv(table: str, fn: Callable[[pd.DataFrame], pd.DataFrame | None] | None = None, *,
           encoding: str = "utf-8", text: Callable[[str], str] | None = None,
           name: str | None = None) -> Callable[[Path], None]:
    """A damage that replaces ``table``'s Parquet file with a CSV export (optionally edited)."""
    def damage(d: Path) -> None:
        body = csv_text(d, table, fn)
        if text is not None:
            body = text(body)
        (d / f"{table}.parquet").unlink()
        (d / (name or f"{table}.csv")).write_bytes(body.encode(encoding))
    return damage


def chain(*damages: Callable[[Path], None]) -> Callable[[Path], None]:
    def damage(d: Path) -> None:
        for f in damages:
            f(d)
    return damage


# ------------------------------------------------------------------ running a case

def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root``: type, mode, mtime and (regular files) the SHA-256 of its bytes."""
    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            st = os.lstat(p)
            digest = ""
            if stat.S_ISREG(st.st_mode):
                try:
                    digest = hashlib.sha256(p.read_bytes()).hexdigest()
                except PermissionError:
                    digest = "unreadable"
            elif stat.S_ISLNK(st.st_mode):
                digest = os.readlink(p)
            out[str(p.relative_to(root))] = (stat.S_IFMT(st.st_mode), st.st_mode, st.st_mtime_ns, st.st_size, digest)
    st = os.lstat(root)
    out["."] = (st.st_mode, st.st_mtime_ns)
    return out


def within(fn: Callable[[], Any], seconds: float = HANG_SECONDS) -> Any:
    """Run ``fn`` in a daemon thread; a result, the exception it raised, or a failure when it hangs."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as err:  # noqa: BLE001 - handed back to the caller as is
            box["error"] = err

    th = threading.Thread(target=run, daemon=True)
    th.start()
    th.join(seconds)
    if th.is_alive():
        raise AssertionError(f"hang: still running after {seconds:.0f} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def open_case(target: Path) -> tuple[Any, LiveOpsError | None]:
    """Open ``target``: (dataset, None) or (None, the package's error). Any other exception propagates."""
    def go() -> Any:
        try:
            return liveops_nb.open(target), None
        except LiveOpsError as err:
            return None, err
    return within(go)


def assert_outcome(case: Case, ds: Any, err: LiveOpsError | None, base: Base, folder: Path | None = None) -> None:
    """The outcome ``case`` expects; every problem of a table read from a file in ``folder`` names that file."""
    expect = case.expect
    if isinstance(expect, Refused):
        assert err is not None, f"{case.name}: read without error, expected a refusal"
        text = str(err)
        assert "Traceback" not in text
        for w in expect.words:
            assert w in text, f"{case.name}: {w!r} not in the message:\n{text}"
        if expect.problems is None:
            return
        assert isinstance(err, DataValidationError), f"{case.name}: {type(err).__name__}: {text}"
        got = {(p.table, p.column) for p in err.problems}
        assert got == set(expect.problems), f"{case.name}: problems {got}, expected {set(expect.problems)}:\n{text}"
        for p in err.problems:
            files = [f"{p.table}{x}" for x in (".parquet", ".csv", ".csv.gz")]
            present = [f for f in files if folder is not None and os.path.lexists(folder / f)]
            assert all(f in str(p) for f in present), f"{case.name}: the problem does not name {present}: {p}"
        first = err.problems[0]
        for k, v in expect.row.items():
            assert first.rows and first.rows[0].get(k) == v, f"{case.name}: sample rows {first.rows}"
        if expect.n_rows is not None:
            assert first.n_rows == expect.n_rows, f"{case.name}: {first.n_rows} rows, expected {expect.n_rows}"
        assert first.fix, "every problem says what to do"
        return
    assert err is None, f"{case.name}: refused, expected to be read:\n{err}"
    got_w = {(w.table, w.column) for w in ds.warnings}
    assert got_w == set(expect.warnings), f"{case.name}: warnings {got_w}, expected {set(expect.warnings)}"
    within(lambda: expect.check(ds, base))
