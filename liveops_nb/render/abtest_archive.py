"""The conclusions archive in words: verdict lines of a record, the table for people, the CSV export.

Records and frames come from :mod:`liveops_nb.abtest.archive` (language-neutral); here they get
their verdict sentences, metric labels, decision words and column headers in 中文 or English.
"""
from __future__ import annotations

import base64
import copy
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from liveops_nb.abtest.archive import DECISIONS, records_frame
from liveops_nb.metrics import REGISTRY
from liveops_nb.render.abtest import experiment_title, finding_from_record, finding_text, metric_label, variable_text
from liveops_nb.render.i18n import Lang, t

HEADERS: dict[str, tuple[str, str]] = {
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
"""Column headers of the archive (every column of :data:`liveops_nb.abtest.archive.COLUMNS`)."""

SHOWN = ("archived_at", "experiment_id", "experiment_name", "variable", "room_ids", "control", "treatment",
         "metric_label", "effect_rel", "ci_low", "ci_high", "p_value", "decision", "author", "notes")
"""The columns a manager sees: the experiment's code and name, variables in words, rooms by name (their ids stay in
the CSV)."""


def header(column: str, lang: Lang = "zh") -> str:
    """The header of an archive column in ``lang``."""
    return HEADERS[column][0 if lang == "zh" else 1]


def decision_text(decision: Any, lang: Lang = "zh") -> Any:
    """A decision code in words (anything else unchanged)."""
    return t(f"abtest_decision_{decision}", lang) if decision in DECISIONS else decision


def record_texts(record: dict[str, Any], lang: Lang = "zh") -> dict[str, Any]:
    """A copy of an archive record with its words: verdict lines (from its findings) and metric labels.

    Words a record already has (records saved by the page, older records) are kept.
    """
    r = copy.deepcopy(record)
    if not r.get("verdict") and r.get("findings"):
        r["verdict"] = [finding_text(finding_from_record(f), r.get("variable") or "", lang) for f in r["findings"]]
        r["lang"] = lang
    for res in r.get("results") or []:
        if not res.get("metric_label") and res.get("metric"):
            res["metric_label"] = metric_label(res["metric"], lang)
    return r


def archive_frame(records: Iterable[dict[str, Any]], lang: Lang = "zh") -> pd.DataFrame:
    """:func:`liveops_nb.abtest.archive.records_frame` of the records with their words (:func:`record_texts`)."""
    return records_frame(record_texts(r, lang) for r in records)


def room_names_of(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Room id -> name from the records' ``room_names`` (saved by the A/B page; older records have none)."""
    names: dict[str, str] = {}
    for r in records:
        names.update({str(k): str(v) for k, v in (r.get("room_names") or {}).items() if v})
    return names


def rooms_text(room_ids: Any, room_names: dict[str, str], lang: Lang = "zh") -> str:
    """A record's ``room_ids`` ("R01,R02") by name ("、" / ", " between them)."""
    ids = [r for r in str(room_ids or "").split(",") if r]
    return ("、" if lang == "zh" else ", ").join(room_names.get(r) or r for r in ids)


def display_frame(df: pd.DataFrame, lang: Lang = "zh", room_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The archive formatted for people: percentages, decisions and variables in words, experiments and rooms
    by name (``room_names``: room id -> name), headers in ``lang``."""
    out = df[list(SHOWN)].copy()
    out["experiment_name"] = [experiment_title(i, n) for i, n in zip(df.experiment_id, df.experiment_name, strict=True)]
    out["variable"] = out["variable"].map(lambda v: variable_text(v, lang) if isinstance(v, str) else "—")
    out["room_ids"] = out["room_ids"].map(lambda ids: rooms_text(ids, room_names or {}, lang))
    out["metric_label"] = [metric_label(k, lang) if k in REGISTRY else shown  # in the page's language, whoever saved it
                           for k, shown in zip(df.metric, df.metric_label, strict=True)]

    def pc(v: Any) -> str:
        return "—" if v is None or pd.isna(v) else f"{v * 100:+.1f}%"

    for c in ("effect_rel", "ci_low", "ci_high"):
        out[c] = out[c].map(pc)
    out["p_value"] = out["p_value"].map(lambda v: "—" if v is None or pd.isna(v) else f"{v:.3f}")
    out["archived_at"] = out["archived_at"].dt.strftime("%Y-%m-%d %H:%M")
    out["decision"] = out["decision"].map(lambda d: decision_text(d, lang))
    return out.rename(columns={k: header(k, lang) for k in SHOWN})


def to_csv_bytes(df: pd.DataFrame, lang: Lang = "zh") -> bytes:
    """CSV that Excel opens correctly (UTF-8 with BOM), headers in ``lang``, decisions spelled out."""
    out = df.copy()
    if "decision" in out:
        out["decision"] = out["decision"].map(lambda d: decision_text(d, lang))
    if "archived_at" in out and not out.empty:
        out["archived_at"] = out["archived_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    out = out.rename(columns={k: header(k, lang) for k in HEADERS})
    buf = io.StringIO()
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def export_csv(df: pd.DataFrame, path: str | Path, lang: Lang = "zh") -> Path:
    """Write :func:`to_csv_bytes` to ``path``."""
    p = Path(path)
    p.write_bytes(to_csv_bytes(df, lang))
    return p


def download_link(df: pd.DataFrame, lang: Lang = "zh", name: str = "ab-archive.csv") -> str:
    """An HTML link that downloads the CSV from the page itself (a data: URI, no server round-trip)."""
    b64 = base64.b64encode(to_csv_bytes(df, lang)).decode("ascii")
    return (f'<a class="lo" download="{name}" href="data:text/csv;charset=utf-8;base64,{b64}">'
            f'{t("abtest_arch_download", lang)}</a>')
