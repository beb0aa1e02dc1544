"""One exception tree for the package.

Every error carries structured fields *and* a message that says what went
wrong and what to do next, so the same object serves the notebook user (who
reads the message) and code (which reads the fields).
"""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class LiveOpsError(Exception):
    """Root of every error raised by :mod:`liveops_nb`."""


def did_you_mean(name: object, known: Iterable[object]) -> str:
    """" Did you mean 'x'?" for the known names closest to ``name`` (empty when none is close).

    >>> did_you_mean("order", ["rooms", "sessions", "orders"])
    " Did you mean 'orders'?"
    >>> did_you_mean("zzz", ["gmv"])
    ''
    """
    names = [str(k) for k in dict.fromkeys(known)]
    text = str(name)
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.6)
    close += [k for k in names if k not in close and k.lower() == text.lower()]
    if not close:
        return ""
    return " Did you mean " + " or ".join(f"'{c}'" for c in close[:3]) + "?"


@dataclass
class DataProblem:
    """One problem found in the input data.

    Attributes
    ----------
    table, column:
        Where the problem is (``column`` may be ``None`` for table-level issues).
    problem:
        What is wrong, in one sentence.
    rows:
        Up to five offending rows (as dicts) so the user can find them.
    n_rows:
        How many rows are affected in total.
    fix:
        What the user should do about it.
    """

    table: str
    column: str | None
    problem: str
    fix: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    n_rows: int = 0

    def __str__(self) -> str:  # pragma: no cover - exercised via DataValidationError
        where = f"{self.table}.{self.column}" if self.column else self.table
        text = f"[{where}] {self.problem}"
        if self.n_rows:
            text += f" ({self.n_rows} row{'s' if self.n_rows != 1 else ''})"
        if self.rows:
            shown = "; ".join(_fmt_row(r) for r in self.rows[:5])
            text += f"\n    e.g. {shown}"
        text += f"\n    fix: {self.fix}"
        return text


def _fmt_row(row: dict[str, Any]) -> str:
    return "{" + ", ".join(f"{k}={v!r}" for k, v in row.items()) + "}"


class DataValidationError(LiveOpsError):
    """The dataset breaks the data model. ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[DataProblem], source: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{len(self.problems)} problem(s) in dataset {source}".rstrip()
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class DataFileError(DataValidationError):
    """A data file cannot be read at all (empty, undecodable, malformed CSV): names the file, table and line.

    A :class:`DataValidationError` with one problem, so code and pages that list problems show it too.
    """

    def __init__(self, path: Path | str, table: str, problem: str, fix: str, *,
                 line: int | None = None, rows: Sequence[dict[str, Any]] = (), n_rows: int = 0) -> None:
        self.path = Path(path)
        self.table = table
        self.line = line
        where = f"{self.path.name}" + (f", line {line}" if line is not None else "")
        super().__init__([DataProblem(table, None, f"{where}: {problem}", fix, list(rows)[:5], n_rows)],
                         str(self.path))


class MissingTableError(LiveOpsError):
    """A table needed for this computation is not in the dataset."""

    def __init__(self, table: str, needed_for: str = "") -> None:
        self.table = table
        self.needed_for = needed_for
        msg = f"table '{table}' is not in this dataset"
        if needed_for:
            msg += f" (needed for {needed_for})"
        msg += f"; add {table}.parquet or {table}.csv to the data folder (see docs/data-model.md)."
        super().__init__(msg)


class UnknownTableError(MissingTableError, KeyError):
    """A table name that is not in the data model at all (a typo, not a missing file)."""

    def __init__(self, table: str, known: Iterable[str] = ()) -> None:
        self.table = table
        self.needed_for = ""
        names = list(known)
        LiveOpsError.__init__(self, f"'{table}' is not a table of the data model.{did_you_mean(table, names)} "
                              f"Tables: {', '.join(names)} (docs/data-model.md).")

    def __str__(self) -> str:
        return self.args[0]


class UnknownSessionError(LiveOpsError, KeyError):
    """A session id that is not in the dataset."""

    def __init__(self, session_id: str, known: Sequence[str] = (), candidates: Iterable[str] = ()) -> None:
        self.session_id = session_id
        hint = did_you_mean(session_id, candidates or known)
        if known:
            hint += f" Known sessions include: {', '.join(list(known)[:5])}."
        super().__init__(f"session '{session_id}' is not in this dataset.{hint} Pick one from ds.sessions().")

    def __str__(self) -> str:  # KeyError would repr() the message otherwise
        return self.args[0]


class UnknownMetricError(LiveOpsError, KeyError):
    """A metric key that is not in the registry."""

    def __init__(self, key: str, known: Iterable[str] = ()) -> None:
        self.key = key
        super().__init__(f"'{key}' is not a registered metric.{did_you_mean(key, known)} See "
                         "liveops_nb.metrics.REGISTRY or docs/metrics.md for the keys.")

    def __str__(self) -> str:
        return self.args[0]


class ConfigError(LiveOpsError):
    """A configuration file (``benchmarks.yaml``) is malformed."""


class AlertRulesError(ConfigError, ValueError):
    """An alert rules file (``alert_rules.yaml``) is malformed: ``rule`` and ``field`` say where."""

    def __init__(self, source: str, rule: str | None, field: str | None, problem: str) -> None:
        self.source, self.rule, self.field, self.problem = source, rule, field, problem
        where = ", ".join(p for p in (f"rule '{rule}'" if rule else "", f"field '{field}'" if field else "") if p)
        super().__init__(f"{source}: {where + ': ' if where else ''}{problem}")


class AlertLogError(LiveOpsError, ValueError):
    """The alert log cannot be read or written, or names an alert it does not hold."""


class CommentInputError(LiveOpsError, ValueError):
    """A comments frame or a comment-rule parameter is unusable (missing column, out-of-range window, ...)."""


class OutputExistsError(LiveOpsError, FileExistsError):
    """The output folder exists and is not empty."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"output folder '{path}' exists and is not empty; pass overwrite=True to replace it "
                         f"or choose another folder.")


class DemoParameterError(LiveOpsError, ValueError):
    """A bad argument to the demo generator (negative seed, non-positive scale, weeks < 1)."""


class UnknownGrainError(LiveOpsError, KeyError):
    """A ``by`` / ``where`` column of ``Dataset.kpis`` that is not a known dimension."""

    def __init__(self, name: str, known: Sequence[str] = ()) -> None:
        self.name = name
        super().__init__(f"'{name}' is not a grouping the engine knows.{did_you_mean(name, known)} "
                         f"Use one of: {', '.join(known)}.")

    def __str__(self) -> str:
        return self.args[0]


class GrainNotAvailableError(LiveOpsError):
    """A grouping the dataset cannot give at all (e.g. per viewer from aggregate-only exports)."""

    def __init__(self, dim: str, needs: str) -> None:
        self.dim = dim
        self.needs = needs
        super().__init__(f"metrics by '{dim}' need {needs}; this dataset does not have it "
                         "(see docs/data-model.md).")


class UnknownSectionError(LiveOpsError, KeyError):
    """A page section name that is not in the registry of sections."""

    def __init__(self, name: str, known: Sequence[str] = ()) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(f"'{name}' is not a registered section; sections are: {', '.join(self.known)}.")

    def __str__(self) -> str:
        return self.args[0]


class UnknownOptionError(LiveOpsError, ValueError):
    """An option value that is not one of its allowed choices (e.g. a comparison basis)."""

    def __init__(self, option: str, value: object, allowed: Sequence[str] = ()) -> None:
        self.option = option
        self.value = value
        self.allowed = tuple(allowed)
        super().__init__(f"{option} must be one of {', '.join(self.allowed)}, not {value!r}.")


class UnknownColumnError(LiveOpsError, KeyError):
    """A column that is not in a table of the data model."""

    def __init__(self, table: str, column: str, known: Sequence[str] = ()) -> None:
        self.table = table
        self.column = column
        super().__init__(f"'{column}' is not a column of table '{table}'.{did_you_mean(column, known)} "
                         f"Its columns are: {', '.join(known)}.")

    def __str__(self) -> str:
        return self.args[0]


class NumberFormatError(LiveOpsError, ValueError):
    """A text that is not a number in any format platforms export (¥1,234 · 15.28% · 1.2万 · 1分5秒)."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(f"not a number: {value!r} (accepted: 1234.5, ¥1,234, 15.28%, 1.2万, 1分5秒, '-' for missing)")


class UnknownTextError(LiveOpsError, KeyError):
    """A bilingual text key that is not registered (raised when strict text checking is on, as in the tests)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"text key '{key}' is not registered in liveops_nb.render.i18n")

    def __str__(self) -> str:
        return self.args[0]


class PeriodError(LiveOpsError, ValueError):
    """A period that cannot be used: not a day / ISO week / month label, or no session in it."""


class TargetsFileError(LiveOpsError, ValueError):
    """``targets.csv`` in the data folder is malformed (columns ``room_id,period,metric,target``)."""


class BridgeInputError(LiveOpsError, ValueError):
    """Inputs of the GMV bridge that do not belong together (GMV ≠ UV × conversion × order value, or negative)."""


class BatchInterruptedError(LiveOpsError):
    """A batch run stopped by a signal (Ctrl-C / SIGTERM) after writing the index of what finished.

    ``exit_code`` is 128 + the signal number (the shell convention); ``summary`` holds the run's outcomes
    (None when the run stopped before any session started).
    """

    def __init__(self, signal_name: str, exit_code: int, detail: str, summary: Any = None) -> None:
        self.signal_name = signal_name
        self.exit_code = exit_code
        self.summary = summary
        super().__init__(f"batch run interrupted by {signal_name}: {detail}")


class ImportFileError(LiveOpsError, ValueError):
    """A platform export that cannot be imported: names the file, sheet, row and column, and the fix.

    ``others`` holds the further problems found in the same import (every problem is listed; nothing
    is written while any remains).
    """

    def __init__(self, path: Path | str, problem: str, fix: str, *, sheet: str | None = None,
                 row: int | None = None, column: str | None = None, rows: Sequence[int] = (),
                 others: Sequence[ImportFileError] = ()) -> None:
        self.path, self.problem, self.fix = Path(path), problem, fix
        self.sheet, self.row, self.column, self.rows = sheet, row, column, list(rows)
        self.others = list(others)
        lines = [self.describe()] + [o.describe() for o in self.others]
        head = "" if not self.others else f"{len(lines)} problems; nothing was imported:\n  - "
        super().__init__(head + "\n  - ".join(lines))

    def describe(self) -> str:
        """One line: where (file, sheet, row(s), column), what is wrong, and the fix."""
        where = [self.path.name]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if len(self.rows) > 1:
            shown = ", ".join(map(str, self.rows[:5])) + (f" … ({len(self.rows)} rows)" if len(self.rows) > 5 else "")
            where.append(f"rows {shown}")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.problem}; fix: {self.fix}"


class SessionEditError(LiveOpsError, ValueError):
    """A session merge, split or unmerge that cannot be done (unknown session, other room, bad time)."""


class LiveFeedError(LiveOpsError, ValueError):
    """A live feed (``<data folder>/live/<session>/``) that cannot be read or written as the live monitor expects."""
