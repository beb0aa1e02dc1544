"""``liveops cache info`` and ``liveops cache clear``: the on-disk result store (liveops_nb/engine/store.py)."""
from __future__ import annotations

import argparse

from ..engine.store import ENV, default_store
from ..render.i18n import register, t
from .common import HelpFormatter, lang_of

register({
    "cli_cache_off": ("结果缓存已关闭（{env}=off）。", "The result cache is off ({env}=off)."),
    "cli_cache_info": ("结果缓存：{folder}\n条目：{entries}，共 {mib:.1f} MiB（上限 {cap:.0f} MiB）",
                       "Result cache: {folder}\nentries: {entries}, {mib:.1f} MiB in all (cap {cap:.0f} MiB)"),
    "cli_cache_cleared": ("已清除 {n} 个缓存条目：{folder}", "Removed {n} cache entries from {folder}"),
})

MiB = 2**20


def add_commands(sub: argparse._SubParsersAction, lang: argparse.ArgumentParser) -> None:
    """Register ``cache info`` and ``cache clear``."""
    cache = sub.add_parser("cache", help=f"the result cache kept between runs (folder: ${ENV}, else "
                                         "~/.cache/liveops; never inside a data folder)",
                           formatter_class=HelpFormatter)
    cache_sub = cache.add_subparsers(dest="cache_command", required=True)
    info = cache_sub.add_parser("info", help="where the cache is, how many entries, how large",
                                parents=[lang], formatter_class=HelpFormatter)
    info.set_defaults(func=_info)
    clear = cache_sub.add_parser("clear", help="remove every cached result (they are recomputed when needed)",
                                 parents=[lang], formatter_class=HelpFormatter)
    clear.set_defaults(func=_clear)


def _info(args: argparse.Namespace) -> int:
    store = default_store()
    if store is None:
        print(t("cli_cache_off", lang_of(args), env=ENV))
        return 0
    i = store.info()
    print(t("cli_cache_info", lang_of(args), folder=i.folder, entries=i.entries, mib=i.bytes / MiB,
            cap=i.max_bytes / MiB))
    return 0


def _clear(args: argparse.Namespace) -> int:
    store = default_store()
    if store is None:
        print(t("cli_cache_off", lang_of(args), env=ENV))
        return 0
    print(t("cli_cache_cleared", lang_of(args), n=store.clear(), folder=store.folder))
    return 0
