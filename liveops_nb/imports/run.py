"""``import_files``: platform exports into a dataset folder, all or nothing (docs/imports.md)."""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import ImportFileError
from ..schema import DEFAULT_TZ, TABLES
from . import build, store
from .edits import EDITS_FILE, merged_away, suggest_merges
from .mapping import Mapping, load_mapping
from .parse import Parsed, parse_record, parse_table, recognise
from .sources import read_sources

IMPORTS_FILE = "imports.json"
# columns an import never overwrites once the row exists (edited by hand in the folder)
KEEP = {"rooms": ("room_name", "platform", "category", "host"), "products": ("role", "category")}
ORDER = ("rooms", "sessions", "products", "minute_stats", "channels", "product_stats", "pitches")


@dataclass
class FileResult:
    """What one file was: its kind, the sheets read, its rows and unknown columns, or why it was skipped."""

    path: Path
    kind: str = ""
    rows: int = 0
    sheets: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    skipped: str = ""  # "unchanged": already imported, same content and mapping


@dataclass
class ImportReport:
    """The outcome of :func:`import_files` (also for ``dry_run``: what would change)."""

    folder: Path
    dry_run: bool
    files: list[FileResult] = field(default_factory=list)
    changes: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (rows added, rows changed)
    warnings: list[str] = field(default_factory=list)
    merge_suggestions: list[tuple[str, str, float]] = field(default_factory=list)  # (first, second, gap minutes)
    written: bool = False

    @property
    def changed(self) -> bool:
        """Whether the import adds or changes any row."""
        return any(a or c for a, c in self.changes.values())


def import_files(platform: str | Path, files: Sequence[str | Path], into: str | Path, *, dry_run: bool = False,
                 mappings: Sequence[str | Path] = (), merge_gap_minutes: float | None = None, force: bool = False,
                 tz: str = DEFAULT_TZ) -> ImportReport:
    """Import platform exports (session lists, minute trends, single-session workbooks) into a dataset folder.

    Parameters
    ----------
    platform : a mapping name (``douyin``, ``generic``, one in ``data/mappings/``) or a YAML path.
    files : the exports (CSV in any common encoding, ``.xlsx``); their kind is recognised from content.
    into : the dataset folder (created when needed); readable afterwards by :func:`liveops_nb.open`.
    dry_run : read, check and report what would change; write nothing.
    mappings : extra folders where mappings are looked up first.
    merge_gap_minutes : suggest merging two sessions of a room closer than this (default: the mapping's).
    force : read files again even when the same content was imported before with the same mapping.
    tz : zone of the exports' times (platform back ends export Beijing time).

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportFileError
        Any file cannot be imported; every problem found is listed (``.others``) and nothing is written.
    DataValidationError
        The result would not be a valid dataset (nothing is written).
    """
    mapping = load_mapping(platform, mappings)
    folder = Path(into)
    report = ImportReport(folder, dry_run)
    if folder.is_dir():
        with store.locked(folder):
            return _run(mapping, [Path(f) for f in files], folder, report, merge_gap_minutes, force, tz)
    if dry_run:
        return _run(mapping, [Path(f) for f in files], folder, report, merge_gap_minutes, force, tz)
    folder.mkdir(parents=True)
    try:
        with store.locked(folder):
            return _run(mapping, [Path(f) for f in files], folder, report, merge_gap_minutes, force, tz)
    except BaseException:
        if {p.name for p in folder.iterdir()} <= {store.LOCK_NAME}:  # the folder this import created stays absent
            shutil.rmtree(folder, ignore_errors=True)
        raise


def _run(mapping: Mapping, files: list[Path], folder: Path, report: ImportReport, gap: float | None,
         force: bool, tz: str) -> ImportReport:
    log = store.read_json(folder, IMPORTS_FILE)
    problems: list[ImportFileError] = []
    parsed: list[tuple[FileResult, list[Parsed], str]] = []
    for path in files:
        result = FileResult(path)
        report.files.append(result)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as err:
            problems.append(ImportFileError(path, f"cannot be read ({err.strerror or err})", "check the path"))
            continue
        seen = log.get("files", {}).get(digest)
        if seen and seen.get("mapping") == mapping.digest and not force:
            result.kind, result.skipped, result.sessions = seen.get("kind", ""), "unchanged", seen.get("sessions", [])
            continue
        try:
            parsed.append((result, _read_file(path, mapping, result, problems, report, tz), digest))
        except ImportFileError as err:
            problems.append(err)
    if not parsed and not problems:
        report.changes = {}
        return report
    batch = build.Batch()
    old = store.load_tables(folder, tz)
    edits = store.read_json(folder, EDITS_FILE)
    away = merged_away(edits)
    for result, tables, _ in parsed:
        _build_file(result, tables, mapping, batch, problems, away, report)
    sessions_new = batch.frame("sessions")
    new_tables = {t: batch.frame(t) for t in ORDER if t != "minute_stats"}
    for name in ("rooms", "sessions"):
        frame = new_tables[name]
        if frame is not None:
            new_tables[name] = _refuse_conflicts(frame, name, problems) if name == "sessions" else \
                frame.drop_duplicates("room_id")
    merged: dict[str, pd.DataFrame] = {}
    for name in ("rooms", "sessions"):
        df = new_tables.get(name)
        if df is not None:
            merged[name], *counts = store.upsert(old.get(name), df.drop(columns=["_row", "_src"], errors="ignore"), name,
                                                 KEEP.get(name, ()))
            report.changes[name] = (counts[0], counts[1])
    all_sessions = merged.get("sessions", old.get("sessions"))
    rooms = merged.get("rooms", old.get("rooms"))
    room_names = {} if rooms is None else dict(zip(rooms["room_id"].astype(str), rooms["room_name"].astype(str),
                                                   strict=True))
    spans = None if all_sessions is None or not batch.minute_files else build.windows(all_sessions)
    minute_parts = []
    for p in batch.minute_files:
        if "session_id" in p.frame and p.frame["session_id"].notna().all():  # the export names the session
            rows = build.child_rows(p, "minute_stats", None, batch)
            if rows is not None:
                minute_parts.append(rows)
                _result_of(report, p).sessions += sorted(set(rows["session_id"]))
            continue
        sid = None if spans is None else build.attach_minutes(p, spans, problems, room_names)
        if all_sessions is None:
            problems.append(ImportFileError(p.source.path, "no session to attach the minutes to",
                                            "import the session list with it", sheet=p.source.sheet))
        if sid:
            rows = build.child_rows(p, "minute_stats", sid, batch)
            if rows is not None:
                minute_parts.append(rows)
                _result_of(report, p).sessions.append(sid)
    if minute_parts:
        new_tables["minute_stats"] = pd.concat(minute_parts, ignore_index=True)
    for name in ORDER:
        df = new_tables.get(name)
        if name in ("rooms", "sessions") or df is None:
            continue
        df = _refuse_conflicts(df, name, problems)
        _refuse_missing(df, name, problems)
        merged[name], *counts = store.upsert(old.get(name), df.drop(columns=["_row", "_src"], errors="ignore"), name,
                                             KEEP.get(name, ()))
        report.changes[name] = (counts[0], counts[1])
    if problems:
        raise ImportFileError(problems[0].path, problems[0].problem, problems[0].fix, sheet=problems[0].sheet,
                              row=problems[0].row, column=problems[0].column, rows=problems[0].rows,
                              others=problems[1:])
    report.warnings = [*report.warnings, *batch.warnings]
    final_sessions = merged.get("sessions", old.get("sessions"))
    if final_sessions is not None:
        new_ids = set() if sessions_new is None else set(sessions_new.get("session_id", []))
        report.merge_suggestions = suggest_merges(final_sessions, gap if gap is not None else mapping.merge_gap_minutes,
                                                  only=new_ids or None)
    changed = {name: df for name, df in merged.items() if report.changes.get(name, (0, 0)) != (0, 0)}
    for result, _, digest in parsed:
        log.setdefault("files", {})[digest] = {"name": result.path.name, "kind": result.kind, "mapping": mapping.digest,
                                               "sessions": sorted(set(result.sessions)),
                                               "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    if report.dry_run:
        return report
    store.commit(folder, changed, {IMPORTS_FILE: store.json_bytes(log)}, validate=bool(changed))
    report.written = bool(changed)
    return report


def _read_file(path: Path, mapping: Mapping, result: FileResult, problems: list[ImportFileError],
               report: ImportReport, tz: str) -> list[Parsed]:
    sources = read_sources(path)
    out: list[Parsed] = []
    for src in sources:
        if src.encoding and not src.encoding_sure:
            report.warnings.append(f"{path.name}: text encoding is not certain; read as {src.encoding} — check that "
                                   "Chinese names read right")
    named = [s for s in sources if mapping.workbook_sheet(s.sheet or "") is not None]
    if len(named) >= 2:
        result.kind = "session_workbook"
        for src in named:
            spec = mapping.workbook_sheet(src.sheet or "")
            assert spec is not None
            if not src.rows:
                report.warnings.append(f"{path.name} [{src.sheet}]: the sheet is empty; skipped")
                continue
            if spec.layout == "record":
                out.append(parse_record(src, spec, tz, problems))
            else:
                head = _head(src, spec)
                if head is None:
                    problems.append(ImportFileError(path, "no header row with the expected columns "
                                    f"({', '.join(r.header for r in list(spec.rules.values())[:4])} …)",
                                    "export the sheet again without editing its header", sheet=src.sheet))
                    continue
                out.append(parse_table(src, spec.name, spec, head, tz, problems))
            result.sheets.append(src.sheet or "")
        return out
    for src in sources:
        if not src.rows:
            if len(sources) > 1:
                report.warnings.append(f"{path.name} [{src.sheet}]: the sheet is empty; skipped")
            continue
        found = recognise(src, mapping)
        if found is None:
            continue
        kind, spec, head = found
        result.kind = kind
        result.sheets.append(src.sheet or "")
        out.append(parse_table(src, kind, spec, head, tz, problems))
        return out
    if all(not s.rows for s in sources):
        raise ImportFileError(path, "is empty (no rows in any sheet)", "download the export again")
    kinds = "; ".join(f"{k}: {', '.join(s.signature)}" for k, s in mapping.kinds.items())
    raise ImportFileError(path, f"is not an export this mapping ({mapping.path.name}) recognises — no header row "
                          f"has the columns of a known kind ({kinds}), and its sheets are not those of the "
                          f"single-session workbook ({', '.join(mapping.workbook)})",
                          "check that this is the right file and platform, or add its kind to the mapping")


def _head(src, spec) -> int | None:
    from .parse import header_row

    i, hits = header_row(src, spec)
    return i if i >= 0 and hits >= 2 else None


def _result_of(report: ImportReport, p: Parsed) -> FileResult:
    return next(r for r in report.files if r.path == p.source.path)


def _build_file(result: FileResult, tables: list[Parsed], mapping: Mapping, batch: build.Batch,
                problems: list[ImportFileError], away: set[str], report: ImportReport) -> None:
    for p in tables:
        result.unknown_columns += [h for h in p.unknown if h not in result.unknown_columns]
        result.rows += len(p.frame)
        report.warnings += [f"{build.where(p)}: {n}" for n in p.notes]
    if result.unknown_columns:
        report.warnings.append(f"{result.path.name}: column(s) not in the mapping, not imported: "
                               f"{', '.join(result.unknown_columns)}")
    if result.kind == "session_list":
        rows = build.session_rows(tables[0], mapping, problems, batch)
        _add_sessions(rows, result, batch, away, report)
    elif result.kind == "minute_trend":
        batch.minute_files.extend(tables)
    elif result.kind == "session_workbook":
        records = [p for p in tables if p.spec.layout == "record"]
        if not records:
            problems.append(ImportFileError(result.path, "the workbook has no 基本信息 sheet (the session's room and "
                                            "times)", "download the whole-session workbook again"))
            return
        combined = records[0]
        for other in records[1:]:
            combined.frame = combined.frame.combine_first(other.frame)
            combined.headers = {**other.headers, **combined.headers}
            combined.rates = {**other.rates, **combined.rates}
        rows = build.session_rows(combined, mapping, problems, batch)
        if rows.empty:
            return
        _add_sessions(rows.head(1), result, batch, away, report)
        sid = str(rows["session_id"].iat[0])
        for p in tables:
            if p.spec.table == "channels":
                ch = build.channel_rows(p, sid, mapping, batch)
                if ch is not None:
                    batch.add("channels", ch)
            elif p.spec.table == "product_stats":
                build.product_rows(p, sid, mapping, batch)
            elif p.spec.table == "pitches":
                df = build.child_rows(p, "pitches", sid, batch)
                if df is not None:
                    batch.add("pitches", df)
            elif p.spec.table == "minute_stats":
                batch.minute_files.append(p)


def _add_sessions(rows: pd.DataFrame, result: FileResult, batch: build.Batch, away: set[str],
                  report: ImportReport) -> None:
    if rows.empty:
        return
    gone = rows["session_id"].isin(away)
    if gone.any():
        report.warnings.append(f"{result.path.name}: session(s) {', '.join(rows.loc[gone, 'session_id'])} were merged "
                               "or split in this folder; their rows were not imported again (unmerge first to update them)")
    rows = rows[~gone]
    result.sessions += rows["session_id"].astype(str).tolist()
    batch.add("sessions", rows)


def _refuse_conflicts(df: pd.DataFrame, table: str, problems: list[ImportFileError]) -> pd.DataFrame:
    """Rows of the import with one key: combined when they agree (an exact repeat, or one file giving columns
    the other lacks); refused when two give different values for one column."""
    key = [k for k in TABLES[table].key if k in df]
    cols = [c for c in df.columns if c not in ("_row", "_src", *key)]
    if not df.duplicated(key).any():
        return df
    clash = df.groupby(key, dropna=False)[cols].nunique(dropna=True).gt(1)
    bad = clash[clash.any(axis=1)]
    if len(bad):
        first = bad.index[0] if len(key) == 1 else bad.index[0][0]
        hit = df[df[key[0]] == first]
        column = next(c for c in cols if bad.iloc[0][c])
        files = sorted(set(hit["_src"].dropna())) if "_src" in hit else [table]
        rows = [int(r) for r in hit["_row"].dropna()] if "_row" in hit else []
        problems.append(ImportFileError(" and ".join(files), f"{len(bad)} {table} row(s) are given twice with "
                        f"different values (e.g. {key[0]} {first}: {', '.join(map(str, hit[column].tolist()))})",
                        "remove the outdated rows or files, or import the files one at a time (the later import "
                        "updates the earlier)", column=column, rows=rows, row=rows[0] if rows else None))
    return df.groupby(key, as_index=False, dropna=False, sort=False).first()


def _refuse_missing(df: pd.DataFrame, table: str, problems: list[ImportFileError]) -> None:
    for c in TABLES[table].columns:
        if c.name in df and not c.nullable and df[c.name].isna().any():
            rows = df.loc[df[c.name].isna(), "_row"].dropna().astype(int).tolist() if "_row" in df else []
            src = str(df.loc[df[c.name].isna(), "_src"].tolist()[0]) if "_src" in df else table
            problems.append(ImportFileError(src, f"values missing in {c.name} ({c.zh}), which the data "
                            "model requires", "fill these cells at the source", column=c.name, rows=rows,
                            row=rows[0] if rows else None))
