"""The batch index's words (中文 / English): the line that counts what a run did.

The batch driver (:mod:`liveops_nb.batch`) counts sessions per status; this module says it in the
index's language, so a Chinese index has a Chinese status line.
"""
from __future__ import annotations

from collections.abc import Mapping

from .i18n import Lang, register, t

register({
    "batch_counts": ("完成 {ok} 场，跳过 {skipped} 场（此前已完成），失败 {failed} 场",
                     "{ok} done, {skipped} skipped (already done), {failed} failed"),
    "batch_counts_stopped": ("，中断 {interrupted} 场，未运行 {not_run} 场", ", {interrupted} interrupted, {not_run} not run"),
    "batch_counts_pending": ("，待运行 {pending} 场", ", {pending} pending"),
})


def counts_line(counts: Mapping[str, int], stopped: bool = False, lang: Lang = "zh") -> str:
    """``完成 3 场，跳过 1 场（此前已完成），失败 0 场`` / ``3 done, 1 skipped (already done), 0 failed``.

    Parameters
    ----------
    counts : sessions per status (``ok``, ``skipped``, ``failed``, ``interrupted``, ``not_run``, ``pending``;
        a missing status counts 0).
    stopped : the run was stopped (interrupted and not-run sessions are then counted even when 0).
    lang : "zh" or "en".
    """
    c = {k: int(counts.get(k, 0)) for k in ("ok", "skipped", "failed", "interrupted", "not_run", "pending")}
    line = t("batch_counts", lang, **c)
    if c["interrupted"] or c["not_run"] or stopped:
        line += t("batch_counts_stopped", lang, **c)
    if c["pending"]:
        line += t("batch_counts_pending", lang, **c)
    return line
