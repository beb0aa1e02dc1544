"""Archive of experiment conclusions (实验结论知识库): append-only, one JSON file per record.

Records live in ``<data folder>/archive/``. Each save writes a new file named
``<UTC timestamp>-<uuid4>.json`` with :func:`liveops_nb.io.atomic.write_new`: the JSON
goes to a private temporary dot-file in the same folder (``O_CREAT | O_EXCL``, fsync),
which is then hard-linked to its final name -- ``os.link`` fails rather than replace an
existing file, so nothing is ever overwritten -- and the temporary name is removed.
Readers ignore dot-files, so a half-written record is never read (a writer killed
mid-write leaves at most a dot-file), and any number of people or processes archiving
at the same moment each get their own file: there is no shared index, so no lock.

A record built here is language-neutral: figures per metric and treatment, and the verdict as
findings (codes with parameters, :mod:`liveops_nb.abtest.verdict`). The page adds the verdict
in words before saving (``lang``, ``verdict``, ``metric_label``:
:func:`liveops_nb.render.abtest.record_texts`), so older records and records saved from the
page read the same in the knowledge base.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from liveops_nb.abtest.analysis import Analysis
from liveops_nb.abtest.errors import ArchiveError
from liveops_nb.abtest.verdict import Finding, findings
from liveops_nb.io.atomic import write_new
from liveops_nb.schema import DEFAULT_TZ

Decision = Literal["ship", "keep_control", "iterate"]
DECISIONS: tuple[Decision, ...] = ("ship", "keep_control", "iterate")
ARCHIVE_DIR = "archive"

COLUMNS: tuple[str, ...] = (
    "archived_at", "author", "experiment_id", "experiment_name", "variable", "unit", "room_ids", "start", "end",
    "control", "treatment", "metric", "metric_label", "control_value", "treatment_value", "effect_rel", "ci_low",
    "ci_high", "p_value", "chance_to_win", "significant", "mde", "srm_ok", "decision", "verdict", "notes",
    "record_id")
"""Columns of :func:`load_archive` (one row per record, metric and treatment)."""


def archive_path(data_dir: str | Path) -> Path:
    """The archive folder of a data folder."""
    return Path(data_dir) / ARCHIVE_DIR


def reason_record(err: BaseException | None) -> dict[str, Any] | None:
    """An error as plain data: ``code`` and ``params`` (for rendering) and the English ``message``."""
    if err is None:
        return None
    return {"code": getattr(err, "code", None), "params": _clean(getattr(err, "params", {})), "message": str(err)}


def _clean(v: Any) -> Any:
    """JSON-ready: non-finite floats become None, numpy scalars Python ones, errors and dataclasses dicts."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, BaseException):
        return reason_record(v)
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return _clean({f.name: getattr(v, f.name) for f in dataclasses.fields(v)})
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item"):  # numpy scalars
        return _clean(v.item())
    return v


def finding_record(f: Finding) -> dict[str, Any]:
    """A finding as plain data (errors in its parameters become :func:`reason_record` dicts)."""
    return _clean({"kind": f.kind, "code": f.code, "metric": f.metric, "treatment": f.treatment,
                   "params": dict(f.params)})


def build_record(a: Analysis, *, decision: str, notes: str = "", author: str = "",
                 now: dt.datetime | None = None) -> dict[str, Any]:
    """The archive record of an analysis: experiment, variants, figures per metric and treatment,
    findings per metric, decision (one of :data:`DECISIONS`; :class:`ArchiveError` otherwise)."""
    if decision not in DECISIONS:
        raise ArchiveError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}",
                           code="unknown_decision", decision=decision)
    e = a.experiment
    now = now or dt.datetime.now(dt.UTC)
    results = []
    for c in a.comparisons:
        rel, lo, hi = c.decision
        results.append({
            "metric": c.metric, "treatment": c.treatment,
            "control_value": c.rel.control_value if c.rel else None,
            "treatment_value": c.rel.treatment_value if c.rel else None,
            "effect_rel": rel, "ci_low": lo, "ci_high": hi, "p_value": c.p_adjusted,
            "chance_to_win": c.bayes.chance_to_win if c.bayes else None,
            "significant": bool(c.significant), "mde": c.mde, "adjusted": c.adjusted is not None,
            "n_control": c.rel.n_control if c.rel else None, "n_treatment": c.rel.n_treatment if c.rel else None,
            "error": str(c.error) if c.error is not None else None})
    o = a.options
    return _clean({
        "record_id": uuid.uuid4().hex, "archived_at": now.astimezone(dt.UTC).isoformat(),
        "author": author.strip(), "decision": decision, "notes": notes,
        "experiment_id": e.experiment_id, "experiment_name": e.name, "hypothesis": e.hypothesis,
        "variable": e.variable, "unit": e.unit, "room_ids": list(e.room_ids), "start": e.start.isoformat(),
        "end": e.end.isoformat(), "control": a.control, "treatments": list(a.treatments),
        "metrics": list(a.metrics), "options": {"alpha": o.alpha, "alternative": o.alternative,
                                                "sequential": o.sequential, "cuped": o.cuped,
                                                "correction": o.correction},
        "srm_p_value": a.srm.p_value, "srm_ok": a.srm.ok,
        "findings": [finding_record(f) for m in a.metrics for f in findings(a, m)], "results": results})


def record_file_name() -> str:
    """``<UTC time to the microsecond>-<uuid4>.json``: sorts by time, unique across writers."""
    return f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex}.json"


def save_record(data_dir: str | Path, record: dict[str, Any]) -> Path:
    """Append ``record`` as a new file in the archive (atomic, never overwrites). Returns its path.

    Raises ``FileExistsError`` (never overwrites) if the file name is taken.
    """
    folder = archive_path(data_dir)
    try:
        payload = json.dumps(_clean(record), ensure_ascii=False, indent=1).encode("utf-8")
    except (TypeError, ValueError) as err:
        raise ArchiveError(f"the record cannot be written as JSON: {err}") from None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return write_new(folder / record_file_name(), payload)  # FileExistsError instead of replacing
    except (PermissionError, OSError) as err:
        if isinstance(err, FileExistsError):
            raise
        raise ArchiveError(f"the archive folder {folder} cannot be written ({err.strerror or err}); "
                           "make it writable for the user running the pages, or serve with a writable archive") from None


def archive_verdict(data_dir: str | Path, a: Analysis, *, decision: str, notes: str = "", author: str = "") -> Path:
    """Build and save the (language-neutral) record of ``a`` (see :func:`build_record`, :func:`save_record`)."""
    return save_record(data_dir, build_record(a, decision=decision, notes=notes, author=author))


def read_records(data_dir: str | Path) -> list[dict[str, Any]]:
    """Every record in the archive, oldest first (dot-files and unreadable files are skipped)."""
    folder = archive_path(data_dir)
    out = []
    for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        if p.name.startswith("."):  # a temporary file of a writer (pathlib's glob matches dot-files)
            continue
        try:
            out.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(out, key=lambda r: (r.get("archived_at", ""), r.get("record_id", "")))


def records_frame(records: Iterable[dict[str, Any]], tz: str = DEFAULT_TZ) -> pd.DataFrame:
    """One row per (record, metric, treatment), columns :data:`COLUMNS` (records without results: one row).

    ``verdict`` joins the record's verdict lines when it has them in words (empty otherwise).
    """
    rows = []
    for r in records:
        head = {k: r.get(k) for k in COLUMNS if k in r}
        head["room_ids"] = ",".join(r.get("room_ids") or [])
        head["verdict"] = " ".join(r.get("verdict") or [])
        for res in r.get("results") or [{}]:
            rows.append({**head, **{k: v for k, v in res.items() if k in COLUMNS}})
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    if not df.empty:
        df["archived_at"] = pd.to_datetime(df["archived_at"], utc=True).dt.tz_convert(tz)
    return df


def load_archive(data_dir: str | Path) -> pd.DataFrame:
    """The archive as a DataFrame (see :func:`records_frame`); empty with the columns when there is none."""
    return records_frame(read_records(data_dir))


def filter_archive(df: pd.DataFrame, *, variable: str | None = None, room: str | None = None,
                   metric: str | None = None, decision: str | None = None) -> pd.DataFrame:
    """Rows matching every given filter (``None`` or ``""`` = any); ``room`` matches any of a record's rooms."""
    missing = {"variable", "metric", "decision", "room_ids"} - set(df.columns)
    if missing:
        raise ArchiveError(f"not an archive frame (see load_archive): no column {', '.join(sorted(missing))}")
    keep = pd.Series(True, index=df.index)
    if variable:
        keep &= df.variable == variable
    if metric:
        keep &= df.metric == metric
    if decision:
        keep &= df.decision == decision
    if room:
        keep &= df.room_ids.fillna("").map(lambda s: room in s.split(","))
    return df[keep].reset_index(drop=True)
