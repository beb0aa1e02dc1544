"""``liveops import | merge | split | unmerge``: platform exports into a dataset folder; session repairs.

    liveops import douyin 直播间列表.csv 分钟级数据.xlsx --into data/shop [--dry-run]
    liveops merge data/shop SESSION SESSION          (or: liveops merge SESSION SESSION --data data/shop)
    liveops split data/shop SESSION --at "2026-09-07 10:30"
    liveops unmerge data/shop MERGED_OR_SPLIT_SESSION
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..config import resolve_data_dir
from ..imports import import_files, merge_sessions, split_session, unmerge
from ..render.imports import edit_lines, import_lines
from .common import CliArgumentError, HelpFormatter, data_options, lang_of


def _import(args: argparse.Namespace) -> int:
    report = import_files(args.platform, args.files, args.into, dry_run=args.dry_run, mappings=args.mappings or (),
                          merge_gap_minutes=args.merge_gap, force=args.force)
    print("\n".join(import_lines(report, lang_of(args))))
    return 0


def _folder_and(args: argparse.Namespace, n: int, usage: str) -> tuple[Path, list[str]]:
    """``[FOLDER] ID…``: the folder is the first item when n + 1 items are given, else ``--data``."""
    items = list(args.items)
    if len(items) == n + 1:
        return Path(items[0]), items[1:]
    if len(items) == n:
        return resolve_data_dir(args.data), items
    raise CliArgumentError(f"expected {usage}, got {' '.join(items) or 'nothing'}")


def _merge(args: argparse.Namespace) -> int:
    folder, (a, b) = _folder_and(args, 2, "FOLDER SESSION SESSION")
    result = merge_sessions(folder, a, b, dry_run=args.dry_run)
    print("\n".join(edit_lines(result, lang_of(args), args.dry_run)))
    return 0


def _split(args: argparse.Namespace) -> int:
    folder, (sid,) = _folder_and(args, 1, "FOLDER SESSION --at TIME")
    result = split_session(folder, sid, args.at, dry_run=args.dry_run)
    print("\n".join(edit_lines(result, lang_of(args), args.dry_run)))
    return 0


def _unmerge(args: argparse.Namespace) -> int:
    folder, (sid,) = _folder_and(args, 1, "FOLDER SESSION")
    result = unmerge(folder, sid, dry_run=args.dry_run)
    print("\n".join(edit_lines(result, lang_of(args), args.dry_run)))
    return 0


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``import``, ``merge``, ``split`` and ``unmerge``."""
    imp = sub.add_parser("import", help="import platform exports (session lists, minute trends, workbooks) into a "
                         "dataset folder", parents=[lang], formatter_class=HelpFormatter,
                         description="Each file's kind is recognised from its content; re-importing a file changes "
                                     "nothing; an import is all or nothing. See docs/imports.md.")
    imp.add_argument("platform", help="column mapping: douyin, generic, a name in data/mappings/, or a YAML path")
    imp.add_argument("files", nargs="+", metavar="FILE", help="export files (.csv in any encoding, .xlsx)")
    imp.add_argument("--into", required=True, metavar="FOLDER", help="dataset folder (created if needed)")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument("--mappings", action="append", metavar="DIR", help="folder searched first for mappings")
    imp.add_argument("--merge-gap", type=float, default=None, metavar="MINUTES",
                     help="suggest merging sessions of a room closer than this (default: the mapping's)")
    imp.add_argument("--force", action="store_true", help="read files again even if imported before unchanged")
    imp.set_defaults(func=_import)
    for name, func, helptext, usage in (
            ("merge", _merge, "merge two sessions of one room (a stream that dropped and reconnected)",
             "[FOLDER] SESSION SESSION"),
            ("split", _split, "split a session in two at a time", "[FOLDER] SESSION --at TIME"),
            ("unmerge", _unmerge, "undo a merge or a split (the originals are restored)", "[FOLDER] SESSION")):
        p = sub.add_parser(name, help=helptext, parents=[data_options(), lang], formatter_class=HelpFormatter,
                           usage=f"liveops {name} {usage}")
        p.add_argument("items", nargs="+", metavar="ITEM", help=usage)
        p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        if name == "split":
            p.add_argument("--at", required=True, metavar="TIME", help="split time, e.g. '2026-09-07 10:30'")
        p.set_defaults(func=func)
