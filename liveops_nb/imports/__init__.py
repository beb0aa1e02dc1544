"""Importing platform exports into a dataset folder, and merging / splitting sessions (docs/imports.md).

    >>> from liveops_nb.imports import import_files, merge_sessions
    >>> report = import_files("douyin", ["直播间列表.csv", "分钟级数据.xlsx"], "data/shop")   # doctest: +SKIP

Analyses layer: data in (files, a folder), results out (reports with counts, warnings, suggestions); the
CLI (``liveops import | merge | split | unmerge``) renders them.
"""
from .edits import EditResult, merge_sessions, split_session, suggest_merges, unmerge, upper_bounds
from .mapping import Mapping, load_mapping
from .run import FileResult, ImportReport, import_files

__all__ = ["EditResult", "FileResult", "ImportReport", "Mapping", "import_files", "load_mapping", "merge_sessions",
           "split_session", "suggest_merges", "unmerge", "upper_bounds"]
