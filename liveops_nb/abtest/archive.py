"""Archive of experiment conclusions (实验结论知识库): append-only, one JSON file per record.

Records live in ``<data folder>/archive/``. Each save writes a new file named
``<UTC timestamp>-<uuid4>.json``: the JSON goes to a private temporary file
in the same folder (``O_CREAT | O_EXCL``, fsync), which is then hard-linked
to its final name -- ``os.link`` fails rather than replace an existing file,
so nothing is ever overwritten -- and the temporary name is removed. Readers
ignore dot-files, so a half-written record is never read, and two people
archiving at the same moment both get their own file.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import math
import os
import uuid
from pathlib import Path
from typing import Any, Iterable, Literal, Optional

import pandas as pd

from liveops_nb.abtest.analysis import Analysis
from liveops_nb.abtest.verdict import verdicts
from liveops_nb.errors import LiveOpsError
from liveops_nb.render.i18n import Lang, register, t
from liveops_nb.metrics import REGISTRY
from liveops_nb.schema import DEFAULT_TZ

Decision = Literal["ship", "keep_control", "iterate"]
DECISIONS: tuple[str, ...] = ("ship", "keep_control", "iterate")
ARCHIVE_DIR = "archive"

register({
    "abtest_decision_ship": ("上线实验组", "Ship the treatment"),
    "abtest_decision_keep_control": ("保留对照组", "Keep control"),
    "abtest_decision_iterate": ("继续迭代", "Iterate"),
})

# columns of load_archive, with bilingual headers for the CSV export
COLUMNS: dict[str, tuple[str, str]] = {
    "archived_at": ("归档时间", "Archived at"), "author": ("归档人", "Author"),
    "experiment_id": ("实验ID", "Experiment ID"), "experiment_name": ("实验名称", "Experiment"),
    "variable": ("实验变量", "Variable"), "unit": ("随机化单位", "Unit"), "room_ids": ("直播间", "Rooms"),
    "start": ("开始", "Start"), "end": ("结束", "End"), "control": ("对照组", "Control"),
    "treatment": ("实验组", "Treatment"), "metric": ("指标", "Metric key"), "metric_label": ("指标名称", "Metric"),
    "control_value": ("对照组数值", "Control value"), "treatment_value": ("实验组数值", "Treatment value"),
    "effect_rel": ("相对效果", "Relative effect"), "ci_low": ("区间下限", "Interval low"),
    "ci_high": ("区间上限", "Interval high"), "p_value": ("p值(校正后)", "p-value (corrected)"),
    "chance_to_win": ("胜出概率", "Chance to win"), "significant": ("显著", "Significant"),
    "mde": ("可检测最小变化", "Detectable change"), "srm_ok": ("分流正常", "Split OK"),
    "decision": ("决定", "Decision"), "verdict": ("结论", "Verdict"), "notes": ("备注", "Notes"),
    "record_id": ("记录ID", "Record ID"),
}


class ArchiveError(LiveOpsError):
    """An archive record cannot be written or read (the message says why)."""


def archive_path(data_dir: str | Path) -> Path:
    """The archive folder of a data folder."""
    return Path(data_dir) / ARCHIVE_DIR


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    if hasattr(v, "item"):  # numpy scalars
        return _clean(v.item())
    return v


def build_record(a: Analysis, *, decision: str, notes: str = "", author: str = "", lang: Lang = "zh",
                 now: Optional[dt.datetime] = None) -> dict[str, Any]:
    """The archive record of an analysis: experiment, variants, figures per metric and treatment, decision."""
    if decision not in DECISIONS:
        raise ArchiveError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    e = a.experiment
    now = now or dt.datetime.now(dt.timezone.utc)
    results = []
    for c in a.comparisons:
        rel, lo, hi = c.decision
        results.append({
            "metric": c.metric, "metric_label": REGISTRY[c.metric].label(lang), "treatment": c.treatment,
            "control_value": c.rel.control_value if c.rel else None,
            "treatment_value": c.rel.treatment_value if c.rel else None,
            "effect_rel": rel, "ci_low": lo, "ci_high": hi, "p_value": c.p_adjusted,
            "chance_to_win": c.bayes.chance_to_win if c.bayes else None,
            "significant": bool(c.significant), "mde": c.mde, "adjusted": c.adjusted is not None,
            "n_control": c.rel.n_control if c.rel else None, "n_treatment": c.rel.n_treatment if c.rel else None,
            "error": c.error})
    o = a.options
    return _clean({
        "record_id": uuid.uuid4().hex, "archived_at": now.astimezone(dt.timezone.utc).isoformat(),
        "author": author.strip(), "decision": decision, "notes": notes, "lang": lang,
        "experiment_id": e.experiment_id, "experiment_name": e.name, "hypothesis": e.hypothesis,
        "variable": e.variable, "unit": e.unit, "room_ids": list(e.room_ids), "start": e.start.isoformat(),
        "end": e.end.isoformat(), "control": a.control, "treatments": list(a.treatments),
        "metrics": list(a.metrics), "options": {"alpha": o.alpha, "alternative": o.alternative,
                                                "sequential": o.sequential, "cuped": o.cuped,
                                                "correction": o.correction},
        "srm_p_value": a.srm.p_value, "srm_ok": a.srm.ok,
        "verdict": [v.text for m in a.metrics for v in verdicts(a, lang, m)], "results": results})


def record_file_name() -> str:
    """``<UTC time to the microsecond>-<uuid4>.json``: sorts by time, unique across writers."""
    return f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex}.json"


def save_record(data_dir: str | Path, record: dict[str, Any]) -> Path:
    """Append ``record`` as a new file in the archive (atomic, never overwrites). Returns its path."""
    folder = archive_path(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / record_file_name()
    tmp = folder / f".{final.stem}.{os.getpid()}.tmp"
    payload = json.dumps(_clean(record), ensure_ascii=False, indent=1).encode("utf-8")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, final)  # raises FileExistsError instead of replacing
    finally:
        tmp.unlink(missing_ok=True)
    return final


def archive_verdict(data_dir: str | Path, a: Analysis, *, decision: str, notes: str = "", author: str = "",
                    lang: Lang = "zh") -> Path:
    """Build and save the record of ``a`` (see :func:`build_record`, :func:`save_record`)."""
    return save_record(data_dir, build_record(a, decision=decision, notes=notes, author=author, lang=lang))


def read_records(data_dir: str | Path) -> list[dict[str, Any]]:
    """Every record in the archive, oldest first (dot-files and unreadable files are skipped)."""
    folder = archive_path(data_dir)
    out = []
    for p in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            out.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(out, key=lambda r: (r.get("archived_at", ""), r.get("record_id", "")))


def records_frame(records: Iterable[dict[str, Any]], tz: str = DEFAULT_TZ) -> pd.DataFrame:
    """One row per (record, metric, treatment), columns :data:`COLUMNS` (records without results: one row)."""
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


def filter_archive(df: pd.DataFrame, *, variable: Optional[str] = None, room: Optional[str] = None,
                   metric: Optional[str] = None, decision: Optional[str] = None) -> pd.DataFrame:
    """Rows matching every given filter (``None`` or ``""`` = any); ``room`` matches any of a record's rooms."""
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


def to_csv_bytes(df: pd.DataFrame, lang: Lang = "zh") -> bytes:
    """CSV that Excel opens correctly (UTF-8 with BOM), headers in ``lang``, decisions spelled out."""
    out = df.copy()
    if "decision" in out:
        out["decision"] = out["decision"].map(lambda d: t(f"abtest_decision_{d}", lang) if d in DECISIONS else d)
    if "archived_at" in out and not out.empty:
        out["archived_at"] = out["archived_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    out = out.rename(columns={k: v[0 if lang == "zh" else 1] for k, v in COLUMNS.items()})
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def export_csv(df: pd.DataFrame, path: str | Path, lang: Lang = "zh") -> Path:
    """Write :func:`to_csv_bytes` to ``path``."""
    p = Path(path)
    p.write_bytes(to_csv_bytes(df, lang))
    return p


# ---------------------------------------------------------------- the archive page (notebooks/03-ab-archive.ipynb)
register({
    "abtest_arch_empty": ("知识库里还没有归档的实验结论。", "The knowledge base has no archived verdicts yet."),
    "abtest_arch_count": ("共 {n} 条结论（{k} 个实验）。", "{n} results from {k} experiments."),
    "abtest_arch_any": ("全部", "any"), "abtest_arch_download": ("下载 CSV（Excel 可直接打开）", "Download CSV (opens in Excel)"),
    "abtest_arch_refresh": ("刷新", "Refresh"),
})
_SHOWN = ("archived_at", "experiment_id", "experiment_name", "variable", "room_ids", "control", "treatment",
          "metric_label", "effect_rel", "ci_low", "ci_high", "p_value", "decision", "author", "notes")


def display_frame(df: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """The archive formatted for people: percentages, decisions in words, bilingual headers."""
    out = df[list(_SHOWN)].copy()
    pc = lambda v: "—" if v is None or pd.isna(v) else f"{v * 100:+.1f}%"  # noqa: E731
    for c in ("effect_rel", "ci_low", "ci_high"):
        out[c] = out[c].map(pc)
    out["p_value"] = out["p_value"].map(lambda v: "—" if v is None or pd.isna(v) else f"{v:.3f}")
    out["archived_at"] = out["archived_at"].dt.strftime("%Y-%m-%d %H:%M")
    out["decision"] = out["decision"].map(lambda d: t(f"abtest_decision_{d}", lang) if d in DECISIONS else d)
    return out.rename(columns={k: COLUMNS[k][0 if lang == "zh" else 1] for k in _SHOWN})


def download_link(df: pd.DataFrame, lang: Lang = "zh", name: str = "ab-archive.csv") -> str:
    """An HTML link that downloads the CSV from the page itself (a data: URI, no server round-trip)."""
    import base64

    b64 = base64.b64encode(to_csv_bytes(df, lang)).decode("ascii")
    return (f'<a class="lo" download="{name}" href="data:text/csv;charset=utf-8;base64,{b64}">'
            f'{t("abtest_arch_download", lang)}</a>')


class ArchiveBrowser:
    """Browse and filter the archive, and export it (interactive: filter widgets; static: the whole table)."""

    def __init__(self, data_dir: str = "", lang: Lang = "zh", mode: str = "interactive") -> None:
        from liveops_nb.config import resolve_data_dir

        self.lang, self.static = lang, mode == "static"
        self.path = resolve_data_dir(data_dir)
        self.filters: dict[str, str] = {}
        self.out = None

    def frame(self) -> pd.DataFrame:
        """The filtered archive."""
        return filter_archive(load_archive(self.path), **self.filters)

    def controls(self) -> None:
        """Display the filters (interactive) -- variable, room, metric, decision."""
        from IPython.display import HTML, display

        from liveops_nb.render.html import page_style

        display(HTML(page_style()))
        if self.static:
            return
        import ipywidgets as w

        df, lang = load_archive(self.path), self.lang
        any_ = [(t("abtest_arch_any", lang), "")]
        rooms = sorted({r for s in df.room_ids.dropna() for r in s.split(",") if r})
        spec = {"variable": sorted(df.variable.dropna().unique()), "room": rooms,
                "metric": sorted(df.metric.dropna().unique()), "decision": list(DECISIONS)}
        label = {"variable": COLUMNS["variable"], "room": COLUMNS["room_ids"], "metric": COLUMNS["metric_label"],
                 "decision": COLUMNS["decision"]}
        boxes = []
        for key, values in spec.items():
            names = {"metric": lambda k: REGISTRY[k].label(lang) if k in REGISTRY else k,
                     "decision": lambda d: t(f"abtest_decision_{d}", lang)}.get(key, str)
            dd = w.Dropdown(options=any_ + [(names(v), v) for v in values], description=label[key][0 if lang == "zh" else 1])
            dd.observe(lambda c, k=key: self._filter(k, c["new"]), names="value")
            boxes.append(dd)
        refresh = w.Button(description=t("abtest_arch_refresh", lang))
        refresh.on_click(lambda _: self._show())
        display(w.VBox([w.HBox(boxes[:2]), w.HBox(boxes[2:]), refresh]))

    def table(self) -> None:
        """Display the (filtered) archive table and the CSV download link; re-rendered when a filter changes."""
        from IPython.display import display

        if self.static:
            for item in self._items():
                display(item)
            return
        import ipywidgets as w

        self.out = w.Output()
        display(self.out)
        self._show()

    def _filter(self, key: str, value: str) -> None:
        self.filters[key] = value
        self._show()

    def _items(self) -> list:
        from IPython.display import HTML

        from liveops_nb.render.html import note, table

        df = self.frame()
        if df.empty:
            return [HTML(note(t("abtest_arch_empty", self.lang), "na"))]
        shown = display_frame(df, self.lang)
        return [HTML(note(t("abtest_arch_count", self.lang, n=len(df), k=df.experiment_id.nunique()), "info")),
                HTML(table(shown)), HTML(download_link(df, self.lang))]

    def _show(self) -> None:
        from liveops_nb.pages.outputs import show_in

        show_in(self.out, self._items())
