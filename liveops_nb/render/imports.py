"""Words of the import, merge, split and unmerge results (``liveops import | merge | split | unmerge``).

The results come from :mod:`liveops_nb.imports` as counts, ids and warnings; this module lays them out
in Chinese or English. Warnings and errors are the package's English messages (like every error).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import Lang, register, t

if TYPE_CHECKING:
    from ..imports import EditResult, ImportReport

register({
    "import_dry_run": ("试运行：未写入任何文件。", "Dry run: nothing was written."),
    "import_written": ("已写入 {folder}。", "Written to {folder}."),
    "import_nothing": ("没有变化（这些文件已导入过）。", "Nothing changed (these files were imported before)."),
    "import_file": ("{name}：{kind}，{rows} 行", "{name}: {kind}, {rows} rows"),
    "import_file_unchanged": ("{name}：已导入过，内容未变，跳过", "{name}: imported before with the same content; skipped"),
    "import_kind_session_list": ("场次列表", "session list"),
    "import_kind_minute_trend": ("分钟级数据", "minute-level trend"),
    "import_kind_session_workbook": ("整场数据工作簿", "single-session workbook"),
    "import_table_change": ("  {table}：新增 {added} 行，更新 {changed} 行", "  {table}: {added} rows added, {changed} changed"),
    "import_warnings": ("提示（{n}）：", "Warnings ({n}):"),
    "import_suggest": ("可能是同一场直播（断流重连），可合并：{a} + {b}（间隔 {gap} 分钟）→ liveops merge {folder} {a} {b}",
                       "Possibly one broadcast (stream dropped and reconnected): {a} + {b} ({gap} min apart) "
                       "→ liveops merge {folder} {a} {b}"),
    "edit_merge": ("已合并 {removed} → {added}", "Merged {removed} → {added}"),
    "edit_split": ("已拆分 {removed} → {added}", "Split {removed} → {added}"),
    "edit_unmerge": ("已还原 {removed} → {added}", "Restored {removed} → {added}"),
    "edit_upper_bound": ("以下人数为两段之和，是上限（同一观众可能被计两次）：{cols}",
                         "These people counts are sums of the parts — upper bounds (a viewer of both counts twice): {cols}"),
})


def import_lines(report: ImportReport, lang: Lang) -> list[str]:
    """The import report as lines of text: files, changes per table, warnings, merge suggestions."""
    lines = []
    for f in report.files:
        if f.skipped:
            lines.append(t("import_file_unchanged", lang, name=f.path.name))
        else:
            kind = t(f"import_kind_{f.kind}", lang) if f.kind else "?"
            lines.append(t("import_file", lang, name=f.path.name, kind=kind, rows=f.rows))
    for table, (added, changed) in report.changes.items():
        if added or changed:
            lines.append(t("import_table_change", lang, table=table, added=added, changed=changed))
    if report.warnings:
        lines.append(t("import_warnings", lang, n=len(report.warnings)))
        lines += [f"  - {w}" for w in report.warnings]
    for a, b, gap in report.merge_suggestions:
        lines.append(t("import_suggest", lang, a=a, b=b, gap=f"{gap:g}", folder=report.folder))
    if report.dry_run:
        lines.append(t("import_dry_run", lang))
    elif report.written:
        lines.append(t("import_written", lang, folder=report.folder))
    elif not report.changed:
        lines.append(t("import_nothing", lang))
    return lines


def edit_lines(result: EditResult, lang: Lang, dry_run: bool = False) -> list[str]:
    """A merge, split or unmerge result as lines of text."""
    lines = [t(f"edit_{result.kind}", lang, removed=", ".join(result.removed), added=", ".join(result.added))]
    if result.upper_bound:
        lines.append(t("edit_upper_bound", lang, cols=", ".join(result.upper_bound)))
    lines += [f"  - {n}" for n in result.notes]
    if dry_run:
        lines.append(t("import_dry_run", lang))
    return lines
